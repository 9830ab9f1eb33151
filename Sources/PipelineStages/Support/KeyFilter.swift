/// Which 64-bit keys a table may hold: one bit per slot of at least eight slots per key (a power of two), set for
/// each key's slot, so that a key whose bit is clear is certainly not in the table, and about one in eight of the
/// others passes. Most features the entity tagger looks up (pairs of neighbouring words, rare affixes) are not in its
/// model, and its filter (128 KB) stays in the processor's nearer caches where its table (2 MB of keys and rows, 6 MB
/// of weights) does not.
struct KeyFilter: Sendable, Equatable {
    private let words: [UInt64]
    private let shift: UInt64

    /// A filter of `keys`.
    init(keys: [UInt64]) {
        var bits: UInt64 = 6
        while (1 << bits) < keys.count * 8 { bits += 1 }
        shift = 64 - bits
        var words = [UInt64](repeating: 0, count: 1 << (bits - 6))
        for key in keys {
            let slot = Self.slot(key, shift)
            words[slot >> 6] |= 1 << UInt64(slot & 63)
        }
        self.words = words
    }

    @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xC2B2_AE3D_27D4_EB4F) >> shift)
    }

    /// False when `key` is not among the keys; true for every key among them (and for a few others).
    @inline(__always) func mayContain(_ key: UInt64) -> Bool {
        let slot = Self.slot(key, shift)
        return words.withUnsafeBufferPointer { $0[slot >> 6] } & (1 << UInt64(slot & 63)) != 0
    }
}
