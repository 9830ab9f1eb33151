import OrderedCollections

extension Document {
    /// Decodes a document from one JSON object (schema v1).
    ///
    /// - Parameters:
    ///   - buffer: UTF-8 bytes of a JSON object.
    ///   - mapping: where id, text, title, date and source are read from; other fields that are not schema fields go
    ///     to `meta`.
    ///   - fallbackID: the id to use when the record has none.
    /// - Throws: ``DocumentError`` naming the field and the problem.
    public init(
        json buffer: UnsafeBufferPointer<UInt8>, mapping: FieldMapping = .standard,
        fallbackID: String? = nil
    ) throws {
        self = try DocumentDecoder(mapping: mapping).decode(buffer, fallbackID: fallbackID)
    }

    /// Decodes a document from JSON text.
    public init(jsonText: String, mapping: FieldMapping = .standard, fallbackID: String? = nil) throws {
        var t = jsonText
        self = try t.withUTF8 { try Document(json: $0, mapping: mapping, fallbackID: fallbackID) }
    }

    /// Checks that every span lies inside the text and that summary/evidence indices point at sentences.
    public func validateSpans() throws {
        let hasSpans = sentences != nil || tokens != nil || entities != nil || quotes != nil
        let length = hasSpans ? text.scalarCount : 0
        func check(_ span: Span, _ layer: String, _ i: Int) throws {
            if span.start < 0 || span.end < span.start || span.end > length {
                throw DocumentError(
                    "\(layer)[\(i)]: span \(span.start)..<\(span.end) is outside the text (length \(length))")
            }
        }
        for (i, s) in (sentences ?? []).enumerated() { try check(s, "sentences", i) }
        for (i, s) in (tokens ?? []).enumerated() { try check(s, "tokens", i) }
        for (i, e) in (entities ?? []).enumerated() { try check(e.span, "entities", i) }
        for (i, q) in (quotes ?? []).enumerated() { try check(q.span, "quotes", i) }
        let n = sentences?.count ?? 0
        for i in summary?.sentences ?? [] where i < 0 || i >= n {
            throw DocumentError("summary: sentence index \(i) does not exist (\(n) sentences)")
        }
        for st in stances ?? [] {
            for i in st.evidence where i < 0 || i >= n {
                throw DocumentError("stances[\(st.target)]: evidence sentence \(i) does not exist (\(n) sentences)")
            }
        }
        for (i, e) in (events ?? []).enumerated() where e.sentence < 0 || e.sentence >= n {
            throw DocumentError("events[\(i)]: sentence \(e.sentence) does not exist (\(n) sentences)")
        }
    }

    // MARK: decoding helpers

    static func string(_ scanner: inout JSONScanner, _ key: String) throws -> String {
        guard scanner.peek() == UInt8(ascii: "\"") else {
            throw JSONSyntaxError("field '\(key)' must be a string", offset: scanner.position)
        }
        return try scanner.readString()
    }

    static func spans(_ scanner: inout JSONScanner, _ key: String) throws -> [Span] {
        var out: [Span] = []
        try scanner.readArray { scanner in
            if scanner.peek() == UInt8(ascii: "[") {
                // A [start, end] pair, as some corpora write spans.
                var pair: [Int] = []
                try scanner.readArray { scanner in pair.append(try scanner.readInt()) }
                guard pair.count == 2 else {
                    throw JSONSyntaxError("field '\(key)': a span pair must be [start, end]", offset: scanner.position)
                }
                out.append(Span(start: pair[0], end: pair[1]))
                return
            }
            var start: Int?
            var end: Int?
            try scanner.readObject { k, scanner in
                switch k {
                case "start": start = try scanner.readInt()
                case "end": end = try scanner.readInt()
                default: _ = try scanner.readValue()
                }
            }
            guard let a = start, let b = end else {
                throw JSONSyntaxError(
                    "field '\(key)': each item needs integer 'start' and 'end'", offset: scanner.position)
            }
            out.append(Span(start: a, end: b))
        }
        return out
    }

    static func spanObject(
        _ o: OrderedDictionary<String, JSONValue>, _ layer: String,
        _ s: JSONScanner
    ) throws -> (Span, String) {
        guard let a = o["start"]?.intValue, let b = o["end"]?.intValue else {
            throw JSONSyntaxError("field '\(layer)': each item needs integer 'start' and 'end'", offset: s.position)
        }
        guard let t = o["text"]?.stringValue else {
            throw JSONSyntaxError("field '\(layer)': each item needs a string 'text'", offset: s.position)
        }
        return (Span(start: a, end: b), t)
    }

    static func entities(_ scanner: inout JSONScanner) throws -> [Entity] {
        var out: [Entity] = []
        try scanner.readArray { scanner in
            guard case .object(var o) = try scanner.readValue() else {
                throw JSONSyntaxError("field 'entities': items must be objects", offset: scanner.position)
            }
            let (span, text) = try spanObject(o, "entities", scanner)
            guard let type = o["type"]?.stringValue else {
                throw JSONSyntaxError("field 'entities': each item needs a string 'type'", offset: scanner.position)
            }
            let canonical = o["canonical"]?.stringValue
            for k in ["start", "end", "text", "type", "canonical"] { o.removeValue(forKey: k) }
            out.append(Entity(span: span, text: text, type: type, canonical: canonical, attributes: o))
        }
        return out
    }

    static func quotes(_ scanner: inout JSONScanner) throws -> [Quote] {
        var out: [Quote] = []
        try scanner.readArray { scanner in
            guard case .object(var o) = try scanner.readValue() else {
                throw JSONSyntaxError("field 'quotes': items must be objects", offset: scanner.position)
            }
            let (span, text) = try spanObject(o, "quotes", scanner)
            let speaker = o["speaker"]?.stringValue
            for k in ["start", "end", "text", "speaker"] { o.removeValue(forKey: k) }
            out.append(Quote(span: span, text: text, speaker: speaker, attributes: o))
        }
        return out
    }

    static func keyphrases(_ scanner: inout JSONScanner) throws -> [Keyphrase] {
        var out: [Keyphrase] = []
        try scanner.readArray { scanner in
            guard case .object(let o) = try scanner.readValue(), let t = o["text"]?.stringValue,
                let score = o["score"]?.doubleValue
            else {
                throw JSONSyntaxError(
                    "field 'keyphrases': each item needs 'text' and a numeric 'score'",
                    offset: scanner.position)
            }
            out.append(Keyphrase(text: t, score: score))
        }
        return out
    }

    static func summary(_ scanner: inout JSONScanner) throws -> Summary? {
        let v = try scanner.readValue()
        if v == .null { return nil }
        guard case .object(let o) = v, case .array(let idx)? = o["sentences"], let t = o["text"]?.stringValue else {
            throw JSONSyntaxError(
                "field 'summary' needs 'sentences' (an array of indices) and 'text'",
                offset: scanner.position)
        }
        var ints: [Int] = []
        for i in idx {
            guard let n = i.intValue else {
                throw JSONSyntaxError("field 'summary': sentence indices must be integers", offset: scanner.position)
            }
            ints.append(n)
        }
        var scores: [Double]?
        if case .array(let values)? = o["scores"] {
            scores = try values.map { v in
                guard let d = v.doubleValue else {
                    throw JSONSyntaxError("field 'summary': scores must be numbers", offset: scanner.position)
                }
                return d
            }
            guard scores!.count == ints.count else {
                throw JSONSyntaxError("field 'summary': one score per sentence", offset: scanner.position)
            }
        }
        var sources: [Summary.Source]?
        if case .array(let values)? = o["sources"] {
            sources = try values.map { v in
                guard case .object(let so) = v, let id = so["id"]?.stringValue, let k = so["sentence"]?.intValue else {
                    throw JSONSyntaxError(
                        "field 'summary': each source needs 'id' and 'sentence'", offset: scanner.position)
                }
                return Summary.Source(id: id, sentence: k)
            }
        }
        guard scores == nil || sources == nil || scores!.count == ints.count else {
            throw JSONSyntaxError("field 'summary': one score per sentence", offset: scanner.position)
        }
        return Summary(sentences: ints, text: t, scores: scores, sources: sources)
    }

    static func stances(_ scanner: inout JSONScanner) throws -> [Stance] {
        var out: [Stance] = []
        try scanner.readArray { scanner in
            guard case .object(var o) = try scanner.readValue(), let target = o["target"]?.stringValue,
                let score = o["score"]?.doubleValue, let labelText = o["label"]?.stringValue
            else {
                throw JSONSyntaxError(
                    "field 'stances': each item needs 'target', a numeric 'score' and 'label'",
                    offset: scanner.position)
            }
            guard let label = Stance.Label(rawValue: labelText) else {
                throw JSONSyntaxError(
                    "field 'stances': label '\(labelText)' is not negative, neutral or positive",
                    offset: scanner.position)
            }
            var evidence: [Int] = []
            if case .array(let a)? = o["evidence"] {
                for e in a {
                    guard let n = e.intValue else {
                        throw JSONSyntaxError(
                            "field 'stances': evidence must be sentence indices", offset: scanner.position)
                    }
                    evidence.append(n)
                }
            }
            for k in ["target", "score", "label", "evidence"] { o.removeValue(forKey: k) }
            out.append(Stance(target: target, score: score, label: label, evidence: evidence, attributes: o))
        }
        return out
    }

    static func events(_ scanner: inout JSONScanner) throws -> [Event] {
        var out: [Event] = []
        try scanner.readArray { scanner in
            guard case .object(var o) = try scanner.readValue(), let sentence = o["sentence"]?.intValue,
                let source = o["source"]?.stringValue, let target = o["target"]?.stringValue,
                let action = o["action"]?.stringValue, let code = o["code"]?.stringValue,
                let weight = o["weight"]?.doubleValue, let quadText = o["quad"]?.stringValue
            else {
                throw JSONSyntaxError(
                    "field 'events': each item needs 'sentence', 'source', 'target', 'action', 'code', 'quad' and a "
                        + "numeric 'weight'", offset: scanner.position)
            }
            guard let quad = Event.Quad(rawValue: quadText) else {
                throw JSONSyntaxError(
                    "field 'events': quad '\(quadText)' is not one of "
                        + Event.Quad.allCases.map(\.rawValue).joined(separator: ", "), offset: scanner.position)
            }
            var flags: [Bool] = []
            for k in ["negated", "hypothetical"] {
                switch o[k] {
                case nil: flags.append(false)
                case .bool(let b)?: flags.append(b)
                default:
                    throw JSONSyntaxError("field 'events': '\(k)' must be true or false", offset: scanner.position)
                }
            }
            let reportedBy = o["reported_by"]?.stringValue
            for k in [
                "sentence", "source", "target", "action", "code", "quad", "weight", "negated", "hypothetical",
                "reported_by",
            ] {
                o.removeValue(forKey: k)
            }
            out.append(
                Event(
                    sentence: sentence, source: source, target: target, action: action, code: code, quad: quad,
                    weight: weight, negated: flags[0], hypothetical: flags[1], reportedBy: reportedBy, attributes: o))
        }
        return out
    }

    // MARK: encoding

    /// Appends this document as one line of compact JSON (no trailing newline).
    public func writeJSON(into w: inout JSONWriter) {
        w.raw("{\"id\":")
        w.string(id)
        if let title { w.raw(",\"title\":"); w.string(title) }
        w.raw(",\"text\":")
        w.string(text)
        if let source { w.raw(",\"source\":"); w.string(source) }
        if let date { w.raw(",\"date\":"); w.string(date) }
        if !meta.isEmpty { w.raw(",\"meta\":"); w.writeObject(meta) }
        if let sentences { w.raw(",\"sentences\":"); Self.writeSpans(sentences, &w) }
        if let tokens { w.raw(",\"tokens\":"); Self.writeSpans(tokens, &w) }
        if let entities {
            w.raw(",\"entities\":")
            w.array(entities) { w, e in
                Self.writeSpanHead(e.span, e.text, &w)
                w.raw(",\"type\":")
                w.string(e.type)
                if let c = e.canonical { w.raw(",\"canonical\":"); w.string(c) }
                Self.writeAttributes(e.attributes, &w)
                w.byte(UInt8(ascii: "}"))
            }
        }
        if let quotes {
            w.raw(",\"quotes\":")
            w.array(quotes) { w, q in
                Self.writeSpanHead(q.span, q.text, &w)
                if let sp = q.speaker { w.raw(",\"speaker\":"); w.string(sp) }
                Self.writeAttributes(q.attributes, &w)
                w.byte(UInt8(ascii: "}"))
            }
        }
        if let keyphrases {
            w.raw(",\"keyphrases\":")
            w.array(keyphrases) { w, k in
                w.raw("{\"text\":")
                w.string(k.text)
                w.raw(",\"score\":")
                w.double(k.score)
                w.byte(UInt8(ascii: "}"))
            }
        }
        if let summary {
            w.raw(",\"summary\":{\"sentences\":")
            w.array(summary.sentences) { w, s in w.int(s) }
            w.raw(",\"text\":")
            w.string(summary.text)
            if let scores = summary.scores {
                w.raw(",\"scores\":")
                w.array(scores) { w, x in w.double(x) }
            }
            if let sources = summary.sources {
                w.raw(",\"sources\":")
                w.array(sources) { w, src in
                    w.raw("{\"id\":")
                    w.string(src.id)
                    w.raw(",\"sentence\":")
                    w.int(src.sentence)
                    w.byte(UInt8(ascii: "}"))
                }
            }
            w.byte(UInt8(ascii: "}"))
        }
        if let stances {
            w.raw(",\"stances\":")
            w.array(stances) { w, s in
                w.raw("{\"target\":")
                w.string(s.target)
                w.raw(",\"score\":")
                w.double(s.score)
                w.raw(",\"label\":")
                w.string(s.label.rawValue)
                w.raw(",\"evidence\":")
                w.array(s.evidence) { w, e in w.int(e) }
                Self.writeAttributes(s.attributes, &w)
                w.byte(UInt8(ascii: "}"))
            }
        }
        if let events {
            w.raw(",\"events\":")
            w.array(events) { w, e in
                w.raw("{\"sentence\":")
                w.int(e.sentence)
                w.raw(",\"source\":")
                w.string(e.source)
                w.raw(",\"target\":")
                w.string(e.target)
                w.raw(",\"action\":")
                w.string(e.action)
                w.raw(",\"code\":")
                w.string(e.code)
                w.raw(",\"quad\":")
                w.string(e.quad.rawValue)
                w.raw(",\"weight\":")
                w.double(e.weight)
                w.raw(e.negated ? ",\"negated\":true" : ",\"negated\":false")
                w.raw(e.hypothetical ? ",\"hypothetical\":true" : ",\"hypothetical\":false")
                if let r = e.reportedBy { w.raw(",\"reported_by\":"); w.string(r) }
                Self.writeAttributes(e.attributes, &w)
                w.byte(UInt8(ascii: "}"))
            }
        }
        if !layers.isEmpty { w.raw(",\"layers\":"); w.writeObject(layers) }
        w.byte(UInt8(ascii: "}"))
    }

    /// This document as compact JSON bytes (one line, no newline).
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: text.utf8.count * 2 + 256)
        writeJSON(into: &w)
        return w.bytes
    }

    /// This document as compact JSON text.
    public var jsonText: String { String(decoding: jsonBytes(), as: UTF8.self) }

    static func writeSpans(_ spans: [Span], _ w: inout JSONWriter) {
        // The hot path (token spans are most of a document's JSON): one reservation, digits written in place.
        var lowest = 0, highest = 0
        for s in spans {
            lowest = min(lowest, s.start, s.end)
            highest = max(highest, s.start, s.end)
        }
        if lowest >= 0 {
            // Reserve for the widest number actually present (a reservation for 19 digits each made the buffer grow
            // far beyond what a document needs).
            var digits = 1
            while highest >= 10 { highest /= 10; digits += 1 }
            // `{"start":` and `,"end":` as 8-byte stores (a call to memmove for each was a tenth of the light
            // pipeline's encoding); the eighth byte of `,"end":` is overwritten by the first digit that follows.
            let head8 = Self.packed("{\"start\"")
            let middle8 = Self.packed(",\"end\":X")
            w.unsafeAppend(maxBytes: 2 + spans.count * (9 + 7 + 2 * digits + 2) + 1) { p in
                let raw = UnsafeMutableRawPointer(p)
                var k = 0
                p[k] = UInt8(ascii: "["); k += 1
                for (i, s) in spans.enumerated() {
                    if i > 0 { p[k] = UInt8(ascii: ","); k += 1 }
                    raw.storeBytes(of: head8, toByteOffset: k, as: UInt64.self)
                    p[k + 8] = UInt8(ascii: ":")
                    k += 9
                    k += JSONWriter.writeDecimal(s.start, to: p + k)
                    raw.storeBytes(of: middle8, toByteOffset: k, as: UInt64.self)
                    k += 7
                    k += JSONWriter.writeDecimal(s.end, to: p + k)
                    p[k] = UInt8(ascii: "}"); k += 1
                }
                p[k] = UInt8(ascii: "]"); k += 1
                return k
            }
            return
        }
        w.array(spans) { w, s in
            w.raw("{\"start\":")
            w.int(s.start)
            w.raw(",\"end\":")
            w.int(s.end)
            w.byte(UInt8(ascii: "}"))
        }
    }

    /// Eight ASCII bytes as the `UInt64` whose in-memory bytes they are.
    @inline(__always)
    static func packed(_ s: StaticString) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(s.utf8Start[k]) << (8 * UInt64(k)) }
        return UInt64(littleEndian: v)
    }

    static func writeSpanHead(_ span: Span, _ text: String, _ w: inout JSONWriter) {
        w.raw("{\"start\":")
        w.int(span.start)
        w.raw(",\"end\":")
        w.int(span.end)
        w.raw(",\"text\":")
        w.string(text)
    }

    static func writeAttributes(_ attributes: OrderedDictionary<String, JSONValue>, _ w: inout JSONWriter) {
        for (k, v) in attributes {
            w.byte(UInt8(ascii: ","))
            w.string(k)
            w.byte(UInt8(ascii: ":"))
            w.write(v)
        }
    }
}
