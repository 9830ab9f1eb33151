/// The tag set of the entity tagger: BIO over the CoNLL-2003 types (`O`, `B-PER`, `I-PER`, `B-ORG`, ...).
enum EntityTags {
    /// The entity types, in tag order.
    static let types = ["PER", "ORG", "LOC", "MISC"]
    /// Tags: 0 is `O`; type k has `B` = 1 + 2k and `I` = 2 + 2k.
    static let count = 1 + 2 * types.count
    /// Tag names, by index.
    static let names: [String] = ["O"] + types.flatMap { ["B-\($0)", "I-\($0)"] }

    /// The tag index of `B-type`.
    @inline(__always) static func begin(_ type: Int) -> Int { 1 + 2 * type }
    /// The tag index of `I-type`.
    @inline(__always) static func inside(_ type: Int) -> Int { 2 + 2 * type }
    /// The type of a tag (nil for `O`).
    @inline(__always) static func type(of tag: Int) -> Int? { tag == 0 ? nil : (tag - 1) / 2 }
    /// Whether a tag is an `I-` tag.
    @inline(__always) static func isInside(_ tag: Int) -> Bool { tag != 0 && (tag - 1) % 2 == 1 }

    /// Whether `tag` may follow `previous` (-1 for the sentence start): `I-X` only after `B-X` or `I-X`.
    @inline(__always) static func allowed(_ previous: Int, _ tag: Int) -> Bool {
        guard isInside(tag) else { return true }
        return previous >= 0 && previous != 0 && type(of: previous) == type(of: tag)
    }

    /// Tag index of a CoNLL tag (`B-PER`, `I-LOC`, `O`); IOB1 `I-` at an entity start reads as `B-`.
    static func index(of name: String, previous: Int) -> Int? {
        if name == "O" { return 0 }
        guard name.count > 2, let k = types.firstIndex(of: String(name.dropFirst(2))) else { return nil }
        if name.hasPrefix("B-") { return begin(k) }
        if name.hasPrefix("I-") {
            return previous != 0 && previous >= 0 && type(of: previous) == k ? inside(k) : begin(k)
        }
        return nil
    }

    /// Entity spans `(type, first token, end token)` of a tag sequence.
    static func spans(_ tags: [Int]) -> [(type: Int, start: Int, end: Int)] {
        var out: [(Int, Int, Int)] = []
        var i = 0
        while i < tags.count {
            guard let t = type(of: tags[i]) else { i += 1; continue }
            var j = i + 1
            while j < tags.count && isInside(tags[j]) && type(of: tags[j]) == t { j += 1 }
            out.append((t, i, j))
            i = j
        }
        return out
    }
}
