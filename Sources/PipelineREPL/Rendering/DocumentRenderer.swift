import Foundation
import OrderedCollections
import PipelineCore

/// Renders documents for people: the table of documents, a document's text with one layer highlighted, a document as
/// indented JSON, and the difference between two states. Every layer is rendered from the document schema, so layers
/// that later stages add (including custom `layers`) show without changes here.
public struct DocumentRenderer {
    /// Colours or plain markers.
    public var style: Style
    /// Output width.
    public var width: Int

    /// Creates a renderer.
    public init(style: Style, width: Int) {
        self.style = style
        self.width = width
    }

    /// The layers shown as columns of `:docs`, in a stable order.
    static func layerColumns(_ docs: [Document]) -> [Layer] {
        var seen: [Layer] = []
        for d in docs {
            for l in d.presentLayers where l != .title && l != .date && !seen.contains(l) { seen.append(l) }
        }
        return seen
    }

    /// One document of `:docs` in json mode: id, title, length and a count per layer.
    public func jsonRow(_ document: Document) -> String {
        var o = OrderedDictionary<String, JSONValue>()
        o["id"] = .string(document.id)
        o["title"] = document.title.map(JSONValue.string) ?? .null
        o["chars"] = .int(document.text.unicodeScalars.count)
        for l in document.presentLayers { o[l.name] = .int(document.count(of: l)) }
        return JSONValue.object(o).jsonText
    }

    /// The `:docs` table.
    public func table(_ docs: [Document]) -> String {
        let layers = Self.layerColumns(docs)
        let headers = ["id", "title", "chars"] + layers.map(\.name)
        let rows = docs.map { d in
            [d.id, d.title ?? "", String(d.text.unicodeScalars.count)] + layers.map { String(d.count(of: $0)) }
        }
        return TableFormatter(headers: headers, rows: rows, numeric: Set(2..<headers.count)).render(width: width)
    }

    /// A span to highlight with how to draw it.
    struct Mark {
        var span: Span
        var open: String
        var close: String
    }

    /// The layers `:show` can highlight in this document.
    public static func showableLayers(_ document: Document) -> [String] {
        var out: [String] = []
        for l in document.presentLayers {
            switch l {
            case .title, .date: continue
            default: out.append(l.name)
            }
        }
        return out
    }

    /// `:show ID [LAYER]`.
    public func show(_ document: Document, layer requested: String?) throws -> String {
        let layer =
            requested ?? (document.entities != nil ? "entities" : (document.sentences != nil ? "sentences" : nil))
        var header = style.bold(document.id)
        if let t = document.title { header += "  " + t }
        if let date = document.date { header += style.dim("  \(date)") }
        if let s = document.source { header += style.dim("  \(s)") }
        var out = header + "\n"
        var marks: [Mark] = []
        var footer: [String] = []
        let sentences = document.sentences ?? []
        switch layer {
        case nil:
            break
        case "sentences"?:
            marks = sentences.enumerated().map { i, s in Mark(span: s, open: style.dim("[\(i)]") + " ", close: "") }
        case "tokens"?:
            marks = (document.tokens ?? []).map { Mark(span: $0, open: style.dim("⌜"), close: style.dim("⌟")) }
        case "entities"?:
            marks = (document.entities ?? []).map { e in
                let label = e.type + (e.canonical.map { $0 != e.text ? "=\($0)" : "" } ?? "")
                if style.color {
                    return Mark(
                        span: e.span, open: style.entityOpen(e.type), close: style.reset + style.dim(":" + label))
                }
                return Mark(span: e.span, open: "[", close: "|\(label)]")
            }
        case "quotes"?:
            marks = (document.quotes ?? []).map { q in
                Mark(
                    span: q.span, open: style.yellow("«"),
                    close: style.yellow("»") + style.dim(q.speaker.map { " —\($0)" } ?? ""))
            }
        case "summary"?:
            let chosen = document.summary?.sentences ?? []
            var scoreOf: [Int: Double] = [:]
            if let scores = document.summary?.scores { for (i, x) in zip(chosen, scores) { scoreOf[i] = x } }
            marks = sentences.enumerated().compactMap { i, s in
                guard chosen.contains(i) else { return nil }
                let score = scoreOf[i].map { style.dim(" [\(String(format: "%.4f", $0))]") } ?? ""
                return Mark(
                    span: s, open: style.color ? style.reverseOpen : "»",
                    close: (style.color ? style.reset : "«") + score)
            }
            footer.append(
                "summary: sentences \((document.summary?.sentences ?? []).map(String.init).joined(separator: ", "))")
        case "stances"?:
            var byEvidence: [Int: [String]] = [:]
            for st in document.stances ?? [] {
                let s = "\(st.target) \(Self.signed(st.score))"
                for e in st.evidence { byEvidence[e, default: []].append(s) }
                footer.append(
                    "\(st.target): \(Self.signed(st.score)) \(st.label.rawValue), evidence \(st.evidence.map(String.init).joined(separator: ", "))"
                        + (st.attributes.isEmpty
                            ? "" : "  " + st.attributes.map { "\($0.key)=\($0.value.jsonText)" }.joined(separator: " "))
                )
            }
            marks = sentences.enumerated().compactMap { i, s in
                guard let targets = byEvidence[i] else { return nil }
                return Mark(
                    span: s, open: style.dim("{\(targets.joined(separator: "; "))} "),
                    close: "")
            }
        case "events"?:
            // The source and target mentions in brackets with their role, the action word in bold, each numbered by
            // the events it is part of (one mark per span: a verb with two targets is one action); the events below.
            var labels = OrderedDictionary<[Int], [String]>()  // [start, end, kind] → event numbers
            for (i, e) in (document.events ?? []).enumerated() {
                for (kind, key) in [(0, "source_mention"), (1, "target_mention"), (2, "trigger")] {
                    if case .object(let o)? = e.attributes[key], let a = o["start"]?.intValue,
                        let b = o["end"]?.intValue
                    {
                        labels[[a, b, kind], default: []].append(String(i))
                    }
                }
                let flags = EventRenderer.flags(e)
                footer.append(
                    "\(i). [\(e.sentence)] \(e.source) → \(e.target): \(e.action) \(e.code) \(e.quad.rawValue) "
                        + "\(Self.signed(e.weight))" + (flags.isEmpty ? "" : " (" + flags.joined(separator: ", ") + ")")
                )
            }
            for (key, numbers) in labels {
                let span = Span(start: key[0], end: key[1])
                let list = numbers.joined(separator: ",")
                switch key[2] {
                case 2:
                    marks.append(
                        Mark(
                            span: span, open: style.color ? "\u{1B}[1m" : "*",
                            close: (style.color ? style.reset : "*") + style.dim(list)))
                default:
                    let role = key[2] == 0 ? "source" : "target"
                    marks.append(Mark(span: span, open: "[", close: style.dim("|\(role) \(list)") + "]"))
                }
            }
        case "keyphrases"?:
            footer = (document.keyphrases ?? []).map { "\($0.text)  " + String(format: "%.3f", $0.score) }
        case let name?:
            guard let value = document.layers[name] else {
                let available = Self.showableLayers(document)
                throw REPLError(
                    "document '\(document.id)' has no layer '\(name)'"
                        + Suggest.hint(for: name, in: available)
                        + (available.isEmpty ? "" : "; layers: \(available.joined(separator: ", "))"))
            }
            marks = Self.spans(in: value).map { Mark(span: $0.0, open: style.dim("⟦"), close: style.dim("⟧" + $0.1)) }
            if marks.isEmpty { footer.append("\(name): \(value.jsonText)") }
        }
        out += highlight(document.text, marks) + "\n"
        if !footer.isEmpty { out += footer.joined(separator: "\n") + "\n" }
        let others = Self.showableLayers(document).filter { $0 != layer }
        if !others.isEmpty {
            out +=
                style.dim(
                    "layers: " + others.map { "\($0) (\(document.count(of: Layer($0))))" }.joined(separator: ", "))
                + "\n"
        }
        return out
    }

    static func signed(_ value: Double) -> String {
        let r = (value * 100).rounded() / 100
        return (r >= 0 ? "+" : "") + String(r)
    }

    /// Span-like items in a custom layer: arrays of objects with integer `start` and `end` (and a label from
    /// `type`/`label`/`text`).
    static func spans(in value: JSONValue) -> [(Span, String)] {
        guard case .array(let items) = value else { return [] }
        return items.compactMap { item in
            guard case .object(let o) = item, let a = o["start"]?.intValue, let b = o["end"]?.intValue else {
                return nil
            }
            let label = (o["type"] ?? o["label"])?.stringValue.map { ":" + $0 } ?? ""
            return (Span(start: a, end: b), label)
        }
    }

    /// The text with the marks inserted (marks are placed by code-point offsets; overlapping marks nest).
    func highlight(_ text: String, _ marks: [Mark]) -> String {
        if marks.isEmpty { return text }
        var opens: [Int: [String]] = [:]
        var closes: [Int: [String]] = [:]
        for m in marks.sorted(by: { $0.span < $1.span }) {
            opens[m.span.start, default: []].append(m.open)
            closes[m.span.end, default: []].insert(m.close, at: 0)
        }
        var out = ""
        var i = 0
        for u in text.unicodeScalars {
            if let c = closes[i] { out += c.joined() }
            if let o = opens[i] { out += o.joined() }
            out.unicodeScalars.append(u)
            i += 1
        }
        if let c = closes[i] { out += c.joined() }
        return out
    }

    /// A document as indented JSON.
    public func json(_ document: Document) -> String {
        guard let v = try? JSONScanner.parse(document.jsonText) else { return document.jsonText }
        return Self.pretty(v, indent: "", width: width)
    }

    static func pretty(_ value: JSONValue, indent: String, width: Int = 100) -> String {
        let inner = indent + "  "
        switch value {
        case .array(let a):
            if a.isEmpty { return "[]" }
            let small = a.allSatisfy { item in
                switch item {
                case .object(let o):
                    return o.count <= 4 && o.values.allSatisfy { $0.arrayValue == nil && $0.objectValue == nil }
                case .array: return false
                default: return true
                }
            }
            guard small else {
                return "[\n" + a.map { inner + pretty($0, indent: inner, width: width) }.joined(separator: ",\n") + "\n"
                    + indent + "]"
            }
            // Small items (spans, numbers): compact, several to a line.
            let items = a.map(\.jsonText)
            if items.joined(separator: ", ").count + indent.count < width {
                return "[" + items.joined(separator: ", ") + "]"
            }
            var lines: [String] = []
            var line = ""
            for item in items {
                if !line.isEmpty && inner.count + line.count + item.count + 2 > width {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : ", ") + item
            }
            if !line.isEmpty { lines.append(line) }
            return "[\n" + lines.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n"
                + o.map {
                    inner + JSONValue.string($0.key).jsonText + ": " + pretty($0.value, indent: inner, width: width)
                }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return value.jsonText
        }
    }

    /// `:diff`: what changed from `before` to `after`, per document.
    public func diff(before: [Document], after: [Document], failures: [DocumentFailure]) -> String {
        let old = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        for d in after {
            guard let o = old[d.id] else {
                lines.append("\(style.bold(d.id)): new document (\(d.text.unicodeScalars.count) chars)")
                continue
            }
            var parts: [String] = []
            let layers = Set(o.presentLayers + d.presentLayers).sorted()
            for l in layers {
                let (a, b) = (o.has(l), d.has(l))
                if !a && b {
                    parts.append(style.green("+\(l.name) (\(d.count(of: l)))"))
                } else if a && !b {
                    parts.append(style.red("-\(l.name)"))
                } else if a && b && Self.layerValue(o, l) != Self.layerValue(d, l) {
                    parts.append(style.yellow("~\(l.name) (\(o.count(of: l)) → \(d.count(of: l)))"))
                }
            }
            if o.text != d.text { parts.append(style.yellow("~text")) }
            if o.meta != d.meta { parts.append(style.yellow("~meta")) }
            lines.append(
                "\(style.bold(d.id)): " + (parts.isEmpty ? style.dim("no change") : parts.joined(separator: " ")))
        }
        for f in failures {
            lines.append("\(style.bold(f.id ?? "?")): " + style.red("failed in '\(f.stage)': \(f.message)"))
        }
        let kept = Set(after.map(\.id)).union(failures.compactMap(\.id))
        for d in before where !kept.contains(d.id) {
            lines.append("\(style.bold(d.id)): " + style.dim("no longer in play"))
        }
        return lines.joined(separator: "\n")
    }

    static func layerValue(_ document: Document, _ layer: Layer) -> String {
        var copy = Document(id: "", text: "")
        switch layer {
        case .sentences: copy.sentences = document.sentences
        case .tokens: copy.tokens = document.tokens
        case .entities: copy.entities = document.entities
        case .quotes: copy.quotes = document.quotes
        case .keyphrases: copy.keyphrases = document.keyphrases
        case .summary: copy.summary = document.summary
        case .stances: copy.stances = document.stances
        case .title: copy.title = document.title
        case .date: copy.date = document.date
        default: return document.layers[layer.name]?.jsonText ?? ""
        }
        return copy.jsonText
    }
}
