import OrderedCollections
import PipelineCore

/// Renders the events of the documents in play for `:events`: one entry per event (document, sentence, who did what
/// to whom, its code, quad class and weight, its flags) with the sentence that reports it.
public struct EventRenderer {
    /// Colours or plain markers.
    public var style: Style
    /// Output width.
    public var width: Int

    /// Creates a renderer.
    public init(style: Style, width: Int) {
        self.style = style
        self.width = width
    }

    /// One event with its document, for listing.
    public struct Item {
        /// The document.
        public var document: Document
        /// The event.
        public var event: Event
    }

    /// The events of `documents` whose source or target is `actor` (any case; every event when empty), in document
    /// and sentence order.
    public static func items(_ documents: [Document], actor: String) -> [Item] {
        let wanted = actor.lowercased()
        var out: [Item] = []
        for d in documents {
            for e in d.events ?? []
            where wanted.isEmpty || e.source.lowercased() == wanted || e.target.lowercased() == wanted {
                out.append(Item(document: d, event: e))
            }
        }
        return out
    }

    /// The flags of an event as words (`negated`, `hypothetical`, `symmetric`, `reported by X`).
    public static func flags(_ e: Event) -> [String] {
        var f: [String] = []
        if e.negated { f.append("negated") }
        if e.hypothetical { f.append("hypothetical") }
        if e.attributes["symmetric"] == .bool(true) { f.append("symmetric") }
        if let r = e.reportedBy { f.append("reported by \(r)") }
        return f
    }

    /// The listing: a head line per event and its sentence below, indented and cut to the width.
    public func listing(_ items: [Item]) -> String {
        var out: [String] = []
        for item in items {
            let e = item.event
            let arrow = e.attributes["symmetric"] == .bool(true) ? "↔" : "→"
            let weight = (e.weight >= 0 ? "+" : "") + String(e.weight)
            let colour = e.weight < 0 ? style.red(weight) : style.green(weight)
            var head =
                "\(style.dim(item.document.id)) [\(e.sentence)] \(style.bold(e.source)) \(arrow) \(style.bold(e.target))"
                + "  \(e.action) \(e.code) \(e.quad.rawValue) \(colour)"
            let flags = Self.flags(e)
            if !flags.isEmpty { head += style.dim("  (" + flags.joined(separator: ", ") + ")") }
            out.append(head)
            if let sentences = item.document.sentences, e.sentence >= 0, e.sentence < sentences.count {
                let text = item.document.text.slice(sentences[e.sentence]).split(whereSeparator: \.isNewline)
                    .joined(separator: " ")
                let room = max(20, width - 4)
                out.append("    " + (text.count > room ? String(text.prefix(room - 1)) + "…" : text))
            }
        }
        return out.joined(separator: "\n")
    }

    /// One JSON object per event: the document id, the event's fields and the sentence.
    public func json(_ items: [Item]) -> String {
        items.map { item in
            let e = item.event
            var o: OrderedDictionary<String, JSONValue> = [
                "id": .string(item.document.id), "sentence": .int(e.sentence), "source": .string(e.source),
                "target": .string(e.target), "action": .string(e.action), "code": .string(e.code),
                "quad": .string(e.quad.rawValue), "weight": .double(e.weight), "negated": .bool(e.negated),
                "hypothetical": .bool(e.hypothetical),
            ]
            if let r = e.reportedBy { o["reported_by"] = .string(r) }
            for (k, v) in e.attributes { o[k] = v }
            if let sentences = item.document.sentences, item.event.sentence < sentences.count {
                o["sentence_text"] = .string(item.document.text.slice(sentences[item.event.sentence]))
            }
            return JSONValue.object(o).jsonText
        }.joined(separator: "\n")
    }
}
