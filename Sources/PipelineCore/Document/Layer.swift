/// The name of an annotation layer a stage can require or provide.
///
/// The built-in layers are static members; a custom stage names its own with `Layer("my_layer")`, which is stored in
/// ``Document/layers`` under that name.
public struct Layer: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The layer's name as it appears in JSON.
    public let name: String

    /// Creates a layer name.
    public init(_ name: String) { self.name = name }

    /// Creates a layer name from a literal.
    public init(stringLiteral value: String) { self.name = value }

    /// The name.
    public var description: String { name }

    /// Orders by name.
    public static func < (a: Layer, b: Layer) -> Bool { a.name < b.name }

    /// The document text (every loader provides it).
    public static let text: Layer = "text"
    /// The document title.
    public static let title: Layer = "title"
    /// The document date.
    public static let date: Layer = "date"
    /// Sentence spans.
    public static let sentences: Layer = "sentences"
    /// Token spans.
    public static let tokens: Layer = "tokens"
    /// Named entities.
    public static let entities: Layer = "entities"
    /// Quotations.
    public static let quotes: Layer = "quotes"
    /// Key phrases.
    public static let keyphrases: Layer = "keyphrases"
    /// The summary.
    public static let summary: Layer = "summary"
    /// Stances toward actors.
    public static let stances: Layer = "stances"
    /// Events between actors.
    public static let events: Layer = "events"

    /// The layers the document model stores in typed fields.
    public static let builtIn: [Layer] = [
        .text, .title, .date, .sentences, .tokens, .entities, .quotes, .keyphrases,
        .summary, .stances, .events,
    ]
}
