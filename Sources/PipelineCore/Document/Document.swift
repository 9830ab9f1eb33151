import OrderedCollections

/// One news article and everything the pipeline has found in it.
///
/// Offsets in every span layer are Unicode code-point offsets into ``text``. The JSON form is schema v1 (see the
/// README); ``init(json:)`` and ``jsonBytes()`` convert losslessly, so writing and reading back gives an equal value.
public struct Document: Sendable, Hashable {
    /// Unique identifier within a run.
    public var id: String
    /// Body text.
    public var text: String
    /// Headline.
    public var title: String?
    /// Publisher or feed.
    public var source: String?
    /// Publication date, `YYYY-MM-DD`.
    public var date: String?
    /// Free-form metadata (unmapped input fields land here).
    public var meta: OrderedDictionary<String, JSONValue>
    /// Sentence spans, in order.
    public var sentences: [Span]?
    /// Token spans, in order.
    public var tokens: [Span]?
    /// Entity mentions.
    public var entities: [Entity]?
    /// Quotations.
    public var quotes: [Quote]?
    /// Key phrases.
    public var keyphrases: [Keyphrase]?
    /// Extractive summary.
    public var summary: Summary?
    /// Stance toward each target.
    public var stances: [Stance]?
    /// Events between actors, in the order of their sentences.
    public var events: [Event]?
    /// Layers written by custom stages, by layer name (JSON field `layers`).
    public var layers: OrderedDictionary<String, JSONValue>

    /// Creates a document with no annotations.
    public init(
        id: String, text: String, title: String? = nil, source: String? = nil, date: String? = nil,
        meta: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.id = id
        self.text = text
        self.title = title
        self.source = source
        self.date = date
        self.meta = meta
        self.layers = [:]
    }

    /// Whether the document carries `layer` (for the built-in layers, whether the typed field is set; otherwise whether
    /// ``layers`` has an entry of that name).
    public func has(_ layer: Layer) -> Bool {
        switch layer {
        case .text: return true
        case .title: return title != nil
        case .date: return date != nil
        case .sentences: return sentences != nil
        case .tokens: return tokens != nil
        case .entities: return entities != nil
        case .quotes: return quotes != nil
        case .keyphrases: return keyphrases != nil
        case .summary: return summary != nil
        case .stances: return stances != nil
        case .events: return events != nil
        default: return layers[layer.name] != nil
        }
    }

    /// How many items the layer holds: the sentences of the summary, the elements of an array layer, 1 for another
    /// present single-valued layer, 0 when absent.
    public func count(of layer: Layer) -> Int {
        switch layer {
        case .text: return 1
        case .title: return title == nil ? 0 : 1
        case .date: return date == nil ? 0 : 1
        case .sentences: return sentences?.count ?? 0
        case .tokens: return tokens?.count ?? 0
        case .entities: return entities?.count ?? 0
        case .quotes: return quotes?.count ?? 0
        case .keyphrases: return keyphrases?.count ?? 0
        case .summary: return summary?.sentences.count ?? 0
        case .stances: return stances?.count ?? 0
        case .events: return events?.count ?? 0
        default:
            switch layers[layer.name] {
            case nil: return 0
            case .array(let a)?: return a.count
            default: return 1
            }
        }
    }

    /// The value of a field for grouping documents (`group=FIELD`): `id`, `title`, `source`, `date`, or a `meta` field
    /// holding a string or a number; nil when the document has none (it is then a group of its own).
    public func groupKey(_ field: String) -> String? {
        switch field {
        case "id": return id
        case "title": return title
        case "source": return source
        case "date": return date
        default:
            switch meta[field] {
            case .string(let s)?: return s
            case .int(let i)?: return String(i)
            case .double(let d)?: return String(d)
            default: return nil
            }
        }
    }

    /// The names of the layers present, built-in ones first.
    public var presentLayers: [Layer] {
        Layer.builtIn.filter { $0 != .text && has($0) } + layers.keys.map { Layer($0) }
    }
}
