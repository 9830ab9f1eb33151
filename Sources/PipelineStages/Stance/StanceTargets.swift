import OrderedCollections
import PipelineCore

/// Which targets a document's stance is scored toward, and where each is mentioned: every canonical actor of
/// `extract entities` (all its mentions, adjectives and seats included), a list of names (matched through entities'
/// canonical names and texts), a field of the document (`field:NAME`: a name, or `{from, to, mention}` objects), or
/// the document's own `from`/`to` fields (`span`, for one annotated mention). A person's mention takes in the title
/// written right before it (`Senator` in `Senator Brooks`, the `role` the linker found there), as NewsMTSC marks
/// mentions (`President Trump`): the linker keeps titles out of names, the stance models saw them in training.
enum StanceTargets: Sendable, Equatable {
    case entities
    case names([String])
    case field(String)
    case span

    /// The `targets=` option every stance stage takes.
    static let option = StageOption<[String]>(
        "targets", default: ["entities"],
        help:
            "\"entities\" (every canonical actor), a list of names, \"field:NAME\", or \"span\" (the document's from/to)"
    )

    init(_ option: [String]) throws {
        if option == ["entities"] {
            self = .entities
        } else if option == ["span"] {
            self = .span
        } else if option.count == 1, option[0].hasPrefix("field:") {
            self = .field(String(option[0].dropFirst(6)))
        } else if !option.isEmpty {
            self = .names(option)
        } else {
            throw StageConfigurationError(
                "targets needs \"entities\", \"span\", \"field:NAME\" or a list of names", option: "targets")
        }
    }

    /// `span` widened to the start of the longest ending of `role` written right before it, one space between
    /// (`Gen.` of `Lt. Gen.` before `Kassab`); unchanged when none is. `byte` is where the span starts in the text's
    /// UTF-8 `bytes`.
    static func withTitle(_ span: Span, role: String, before byte: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Span {
        let words = role.split(separator: " ")
        for k in stride(from: words.count, through: 1, by: -1) {
            let title = words.suffix(k).joined(separator: " ") + " "
            let utf8 = Array(title.utf8)
            guard byte >= utf8.count, byte <= bytes.count, bytes[(byte - utf8.count)..<byte].elementsEqual(utf8) else {
                continue
            }
            return Span(start: span.start - title.unicodeScalars.count, end: span.end)
        }
        return span
    }

    /// Targets and their mention spans in `d`.
    func resolve(_ document: Document) -> [(name: String, mentions: [Span])] {
        func fromEntities(_ keep: (String) -> Bool) -> [(String, [Span])] {
            var order: [String] = []
            var spans: [String: [Span]] = [:]
            var text = document.text
            text.withUTF8 { bytes in
                var offsets = ScalarOffsets(bytes)
                for e in document.entities ?? [] where e.type != "DATE" {
                    let name = e.canonical ?? e.text
                    guard keep(name) || keep(e.text) else { continue }
                    if spans[name] == nil { order.append(name) }
                    var span = e.span
                    if e.type == "PER", let role = e.role, span.start >= 0 {
                        let byte = offsets.byte(atScalar: span.start, in: bytes)
                        span = Self.withTitle(span, role: role, before: byte, in: bytes)
                    }
                    spans[name, default: []].append(span)
                }
            }
            return order.map { ($0, spans[$0]!) }
        }
        func spans(_ value: JSONValue) -> [Span] {
            switch value {
            case .object(let o):
                if let a = o["from"]?.intValue, let b = o["to"]?.intValue, a <= b { return [Span(start: a, end: b)] }
                return []
            case .array(let items): return items.flatMap(spans)
            default: return []
            }
        }
        switch self {
        case .entities:
            return fromEntities { _ in true }
        case .names(let names):
            let wanted = Set(names.map { $0.lowercased() })
            let found = fromEntities { wanted.contains($0.lowercased()) }
            // Every asked-for name gets an entry, mentioned or not.
            return names.map { n in found.first { $0.0.lowercased() == n.lowercased() } ?? (n, []) }
        case .field(let f):
            guard let v = document.meta[f] else { return [] }
            if case .string(let name) = v { return StanceTargets.names([name]).resolve(document) }
            let ss = spans(v)
            let mention: String = {
                if case .object(let o) = v, let m = o["mention"]?.stringValue { return m }
                if case .array(let a) = v, case .object(let o)? = a.first, let m = o["mention"]?.stringValue {
                    return m
                }
                return f
            }()
            return [(mention, ss)]
        case .span:
            guard let a = document.meta["from"]?.intValue, let b = document.meta["to"]?.intValue, a <= b else {
                return []
            }
            return [
                (
                    document.meta["mention"]?.stringValue ?? document.text.slice(Span(start: a, end: b)),
                    [Span(start: a, end: b)]
                )
            ]
        }
    }
}
