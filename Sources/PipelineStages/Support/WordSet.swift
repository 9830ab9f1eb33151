/// A fixed set of words for the rules' look-ups (`roleWords.contains(word)`): the same answers as a `Set<String>`, at a
/// fraction of its cost on ASCII words. A `Set<String>` hashes every word looked up with SipHash; this hashes its
/// UTF-8 bytes with FNV-1a into a ``HashKeyMap`` and compares the bytes of the one candidate it finds. A word with
/// bytes beyond ASCII (where Swift's equality is canonical equivalence, not bytes) is looked up in a `Set<String>`.
struct WordSet: Sendable, ExpressibleByArrayLiteral {
    /// FNV-1a 64 of a word's bytes → its index in `starts`.
    private let index: HashKeyMap<Int32>
    /// Every ASCII word's bytes, one after the other; word k is `bytes[starts[k]..<starts[k + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int]
    /// All the words, for the words with bytes beyond ASCII and for iterating.
    private let all: Set<String>

    /// A set of `words`.
    init<S: Sequence>(_ words: S) where S.Element == String {
        all = Set(words)
        var index = HashKeyMap<Int32>(minimumCapacity: all.count)
        var bytes: [UInt8] = []
        var starts = [0]
        // In a fixed order, so that the table is the same in every run.
        for word in all.sorted() where word.utf8.allSatisfy({ $0 < 0x80 }) {
            let h = Self.hash(word.utf8)
            precondition(index[h] == nil, "two words of a WordSet share a hash")
            index[h] = Int32(starts.count - 1)
            bytes += word.utf8
            starts.append(bytes.count)
        }
        self.index = index
        self.bytes = bytes
        self.starts = starts
    }

    /// A set of the words written.
    init(arrayLiteral words: String...) { self.init(words) }

    /// Whether `word` is in the set.
    @inline(__always) func contains<S: StringProtocol>(_ word: S) -> Bool {
        if let found = word.utf8.withContiguousStorageIfAvailable({ find($0) }) ?? nil { return found }
        return all.contains(String(word))
    }

    /// Whether `word` in lower case (ASCII letters lowered; other characters as `lowercased()` does) is in the set:
    /// `contains(word.lowercased())` without making the lower-case string when the word is ASCII.
    @inline(__always) func containsLowercased<S: StringProtocol>(_ word: S) -> Bool {
        if let found = word.utf8.withContiguousStorageIfAvailable({ find($0, lowering: true) }) ?? nil { return found }
        return all.contains(word.lowercased())
    }

    /// The number of words.
    var count: Int { all.count }

    /// The words. (Not a `Sequence`: its `contains(_:)` would scan them, and is chosen over this type's own for a
    /// `String`.)
    var words: Set<String> { all }

    /// The answer for ASCII bytes; nil when a byte is beyond ASCII.
    private func find(_ word: UnsafeBufferPointer<UInt8>, lowering: Bool = false) -> Bool? {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var any: UInt8 = 0
        for b in word {
            any |= b
            let c = lowering && b &- 65 < 26 ? b | 0x20 : b
            h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3
        }
        if any >= 0x80 { return nil }
        guard let k = index[h] else { return false }
        let start = starts[Int(k)], end = starts[Int(k) + 1]
        guard end - start == word.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            for i in 0..<word.count {
                let b = word[i]
                if all[start + i] != (lowering && b &- 65 < 26 ? b | 0x20 : b) { return false }
            }
            return true
        }
    }

    private static func hash(_ bytes: String.UTF8View) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
