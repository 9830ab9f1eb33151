import OrderedCollections

/// Decodes documents from JSON objects (schema v1) with a field mapping. Build one per loader and reuse it: the key
/// dispatch table is computed once.
public struct DocumentDecoder: Sendable {
    enum Action: Sendable {
        case id, text, title, source, date, metaObject, sentences, tokens, entities, quotes, keyphrases, summary,
            stances, events, layers, meta
    }

    /// The field mapping.
    public let mapping: FieldMapping
    private let actions: [String: Action]
    /// The same table for byte comparison, used when every name in it is ASCII (looking a key up by its Swift hash
    /// cost a tenth of decoding a Reuters record): all names back to back, each name's length, offset and action, and
    /// an open-addressing table of entry numbers (-1: empty) indexed by ``slot(_:)``.
    private let names: [UInt8]
    private let entries: [Entry]
    private let slots: [Int8]

    /// One name of the byte table: where its bytes are in `names`, and what its field does.
    struct Entry: Sendable {
        var length: Int
        var offset: Int
        var action: Action
    }

    /// A key's first slot: from its length and first and last bytes. 64 slots for at most 20 names.
    @inline(__always)
    private static func slot(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        (bytes.count &* 37 &+ Int(bytes[0]) &* 7 &+ Int(bytes[bytes.count - 1])) & 63
    }

    /// Creates a decoder for `mapping`.
    public init(mapping: FieldMapping = .standard) {
        self.mapping = mapping
        var a: [String: Action] = [
            "meta": .metaObject, "sentences": .sentences, "tokens": .tokens, "entities": .entities, "quotes": .quotes,
            "keyphrases": .keyphrases, "summary": .summary, "stances": .stances, "events": .events, "layers": .layers,
        ]
        // Schema fields moved elsewhere by the mapping are kept as metadata.
        for k in ["id", "text", "title", "source", "date"] { a[k] = .meta }
        if !mapping.source.isEmpty { a[mapping.source] = .source }
        if !mapping.date.isEmpty { a[mapping.date] = .date }
        if !mapping.title.isEmpty { a[mapping.title] = .title }
        if !mapping.id.isEmpty { a[mapping.id] = .id }
        if !mapping.text.isEmpty { a[mapping.text] = .text }
        actions = a
        if a.keys.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 < 0x80 } }) {
            var bytes: [UInt8] = []
            var list: [Entry] = []
            var table = [Int8](repeating: -1, count: 64)
            for (name, action) in a {
                var i = Array(name.utf8).withUnsafeBufferPointer { Self.slot($0) }
                while table[i] >= 0 { i = (i + 1) & 63 }
                table[i] = Int8(list.count)
                list.append(Entry(length: name.utf8.count, offset: bytes.count, action: action))
                bytes.append(contentsOf: name.utf8)
            }
            names = bytes
            entries = list
            slots = table
        } else {
            names = []
            entries = []
            slots = []
        }
    }

    /// What to do with the field `key`. An ASCII key equals an all-ASCII name exactly when their bytes are equal;
    /// any other key is looked up as a Swift string (canonical equivalence: U+212A KELVIN SIGN equals `K`).
    @inline(__always)
    private func action(_ key: String) -> Action {
        if !slots.isEmpty {
            var key = key
            let byBytes = key.withUTF8 { k -> Action? in
                guard !k.isEmpty else { return .meta }
                var high: UInt8 = 0
                for b in k { high |= b }
                guard high < 0x80 else { return nil }
                return slots.withUnsafeBufferPointer { slots in
                    entries.withUnsafeBufferPointer { entries in
                        names.withUnsafeBufferPointer { all in
                            var i = Self.slot(k)
                            while slots[i] >= 0 {
                                let e = entries[Int(slots[i])]
                                if e.length == k.count {
                                    var j = 0
                                    while j < e.length && all[e.offset + j] == k[j] { j += 1 }
                                    if j == e.length { return e.action }
                                }
                                i = (i + 1) & 63
                            }
                            return .meta
                        }
                    }
                }
            }
            if let byBytes { return byBytes }
        }
        return actions[key] ?? .meta
    }

    /// Decodes one JSON object.
    ///
    /// - Parameters:
    ///   - buffer: UTF-8 bytes of a JSON object.
    ///   - fallbackID: the id to use when the record has none.
    /// - Throws: ``DocumentError`` naming the field and the problem.
    public func decode(
        _ buffer: UnsafeBufferPointer<UInt8>,
        fallbackID: @autoclosure () -> String? = nil
    ) throws -> Document {
        var scanner = JSONScanner(buffer)
        let mapping = self.mapping
        var id: String?
        var text: String?
        var doc = Document(id: "", text: "")
        // Metadata is collected in arrays and turned into a dictionary once (hashing each key once).
        var metaKeys: [String] = []
        var metaValues: [JSONValue] = []
        do {
            try scanner.readObject { key, s in
                switch action(key) {
                case .id:
                    let v = try s.readValue()
                    switch v {
                    case .string(let x): id = x
                    case .int(let i): id = String(i)
                    case .null: break
                    default:
                        throw JSONSyntaxError("field '\(key)' (id) must be a string or an integer", offset: s.position)
                    }
                case .text:
                    if try !s.readNullIfPresent() { text = try Document.string(&s, key) }
                case .title:
                    if try !s.readNullIfPresent() { doc.title = try Document.string(&s, key) }
                case .source:
                    if try !s.readNullIfPresent() { doc.source = try Document.string(&s, key) }
                case .date:
                    if try !s.readNullIfPresent() {
                        let raw = try Document.string(&s, key)
                        guard let d = DateNormalizer.normalize(raw) else {
                            throw JSONSyntaxError(
                                "field '\(key)': '\(raw)' is not a date (expected YYYY-MM-DD)",
                                offset: s.position)
                        }
                        doc.date = d
                    }
                case .metaObject:
                    let v = try s.readValue()
                    switch v {
                    case .object(let o):
                        metaKeys.reserveCapacity(metaKeys.count + o.count)
                        metaValues.reserveCapacity(metaValues.count + o.count)
                        metaKeys.append(contentsOf: o.keys)
                        metaValues.append(contentsOf: o.values)
                    case .null: break
                    default: throw JSONSyntaxError("field 'meta' must be an object", offset: s.position)
                    }
                case .sentences:
                    doc.sentences = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.spans(&$0, key) }
                case .tokens:
                    doc.tokens = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.spans(&$0, key) }
                case .entities:
                    doc.entities = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.entities(&$0) }
                case .quotes:
                    doc.quotes = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.quotes(&$0) }
                case .keyphrases:
                    doc.keyphrases = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.keyphrases(&$0) }
                case .summary:
                    doc.summary = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.summary(&$0) } ?? nil
                case .stances:
                    doc.stances = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.stances(&$0) }
                case .events:
                    doc.events = try Self.layer(&s, key, &metaKeys, &metaValues) { try Document.events(&$0) }
                case .layers:
                    let v = try s.readValue()
                    guard case .object(let o) = v else {
                        throw JSONSyntaxError("field 'layers' must be an object", offset: s.position)
                    }
                    doc.layers = o
                case .meta:
                    // Room for a record's usual extra fields at once (growing 1, 2, 4, 8, 16 cost 3 % of decoding).
                    if metaKeys.isEmpty {
                        metaKeys.reserveCapacity(16)
                        metaValues.reserveCapacity(16)
                    }
                    metaKeys.append(key)
                    metaValues.append(try s.readValue())
                }
            }
            try scanner.expectEnd()
        } catch let e as JSONSyntaxError {
            throw DocumentError(e.message.hasPrefix("field ") ? e.message : "invalid JSON: \(e)", id: id)
        }
        guard let body = text else {
            throw DocumentError(
                "missing field '\(mapping.text)' (the document text)"
                    + (mapping.text == "text" ? "; map another field with text=NAME" : ""), id: id)
        }
        guard let docID = id ?? fallbackID() else {
            throw DocumentError("missing field '\(mapping.id)' (the document id)")
        }
        doc.id = docID
        doc.text = body
        doc.meta = Self.dictionary(metaKeys, metaValues)
        do {
            try doc.validateSpans()
        } catch var e as DocumentError {
            e.id = docID
            throw e
        }
        return doc
    }

    /// An ordered dictionary from parallel arrays; with duplicate keys the last value wins (in the first key's place),
    /// as for every JSON object read here. Keys are compared as Swift strings, so two spellings of one text in
    /// different Unicode normalisation (`é` and `e` + U+0301) are the same key.
    static func dictionary(_ keys: [String], _ values: [JSONValue]) -> OrderedDictionary<String, JSONValue> {
        if keys.isEmpty { return [:] }
        var unique = true
        if keys.count <= 32 {
            outer: for i in 1..<keys.count {
                // No byte-length shortcut: canonically equivalent keys differ in length.
                for j in 0..<i where keys[i] == keys[j] {
                    unique = false
                    break outer
                }
            }
        } else {
            unique = Set(keys).count == keys.count
        }
        if unique { return OrderedDictionary(uncheckedUniqueKeys: keys, values: values) }
        var d = OrderedDictionary<String, JSONValue>()
        for (k, v) in zip(keys, values) { d[k] = v }
        return d
    }

    /// A layer field in the schema's shape, or nil after keeping a value of another shape (a corpus's own `summary`
    /// string, say) in the metadata under the same name.
    static func layer<T>(
        _ scanner: inout JSONScanner, _ key: String, _ metaKeys: inout [String], _ metaValues: inout [JSONValue],
        _ parse: (inout JSONScanner) throws -> T
    ) throws -> T? {
        var attempt = scanner
        if let value = try? parse(&attempt) {
            scanner = attempt
            return value
        }
        metaKeys.append(key)
        metaValues.append(try scanner.readValue())
        return nil
    }
}
