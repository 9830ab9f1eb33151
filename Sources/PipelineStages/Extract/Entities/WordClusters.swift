/// Word clusters (Brown-style bit strings) keyed by the FNV hash of a word's exact bytes: words used in the same
/// contexts share a prefix of their bit string, so the tagger generalises from `Leicestershire` to `Warwickshire`.
struct WordClusters: Sendable, Equatable {
    /// Bit string (most significant bit first) and its length, by word hash.
    private(set) var table = HashKeyMap<UInt64>()

    init() {}

    /// Adds a word's cluster path.
    mutating func set(_ wordHash: UInt64, bits: UInt32, length: UInt8) {
        table[wordHash] = UInt64(bits) << 8 | UInt64(length)
    }

    /// The cluster path of a word, if it has one.
    @inline(__always) subscript(wordHash: UInt64) -> (bits: UInt32, length: UInt8)? {
        guard let v = table[wordHash] else { return nil }
        return (UInt32(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v))
    }

    var count: Int { table.count }
}
