import Foundation

/// Look-up of an ``ActorTable`` by normalised name: what an entity's text stands for.
struct ActorIndex: Sendable {
    /// What a name points to.
    struct Target: Sendable, Equatable {
        var canonical: String
        var type: String
    }

    private var names: [String: Target] = [:]
    private var adjectives: [String: String] = [:]
    private var seats: [String: String] = [:]

    init(_ table: ActorTable) {
        for e in table.entries {
            // A state's institutions are listed under its name with type ORG: the name itself keeps its first type.
            let canonicalKey = Self.key(e.canonical)
            if names[canonicalKey] == nil { names[canonicalKey] = Target(canonical: e.canonical, type: e.type) }
            for n in e.names { names[Self.key(n)] = Target(canonical: e.canonical, type: e.type) }
            for a in e.adjectives { adjectives[Self.key(a)] = e.canonical }
            for s in e.seats { seats[Self.key(s)] = e.canonical }
        }
    }

    /// The actor a name stands for.
    func name(_ text: String) -> Target? { names[Self.key(text)] }
    /// The actor an adjective or demonym points to (Iraqi → Iraq).
    func adjective(_ text: String) -> String? { adjectives[Self.key(text)] }
    /// The state a seat of government stands for (Baghdad → Iraq).
    func seat(_ text: String) -> String? { seats[Self.key(text)] }
    /// The same three look-ups by a key already made with ``key(_:)``.
    func name(key: String) -> Target? { names[key] }
    func adjective(key: String) -> String? { adjectives[key] }
    func seat(key: String) -> String? { seats[key] }

    /// Lower case, no periods, curly apostrophes straightened, a leading "the" and a trailing possessive dropped,
    /// single spaces: `U.S.` and `US` meet, as do `the Kremlin's` and `Kremlin`.
    static func key(_ text: String) -> String {
        // Into a buffer on the stack: most keys are short enough to be strings without storage of their own.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(text.utf8.count, 1)) { bytes -> String in
            var count = 0
            var space = false
            for b in text.utf8 {
                if b >= 0x80 { return slowKey(text) }
                if b == 0x2E { continue }  // .
                if b == 0x20 || b == 0x0A || b == 0x09 { space = count > 0; continue }
                if space { bytes[count] = 0x20; count += 1; space = false }
                bytes[count] = b &- 65 < 26 ? b | 0x20 : b
                count += 1
            }
            var start = 0
            var end = count
            if count >= 4 && bytes[0] == 0x74 && bytes[1] == 0x68 && bytes[2] == 0x65 && bytes[3] == 0x20 { start = 4 }
            if end - start >= 2 && bytes[end - 2] == 0x27 && bytes[end - 1] == 0x73 {
                end -= 2
            } else if end > start && bytes[end - 1] == 0x27 {
                end -= 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// Whether ``key(_:)`` of `text` is empty (only periods, spaces, a leading "the " and a trailing possessive),
    /// without making the key.
    static func hasEmptyKey(_ text: String) -> Bool {
        // A letter or digit other than those of "the" and a possessive's "s" leaves something.
        for b in text.utf8 where b >= 0x80 || (ByteClass.isASCIILetter(b) || ByteClass.isDigit(b)) {
            if b >= 0x80 { return key(text).isEmpty }
            switch b | 0x20 {
            case 0x74, 0x68, 0x65, 0x73: continue  // t h e s
            default: return false
            }
        }
        return key(text).isEmpty
    }

    private static func slowKey(_ text: String) -> String {
        var s = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(
            of: ".", with: "")
        if s.hasPrefix("the ") { s.removeFirst(4) }
        if s.hasSuffix("'s") { s.removeLast(2) } else if s.hasSuffix("'") { s.removeLast() }
        return s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }
}
