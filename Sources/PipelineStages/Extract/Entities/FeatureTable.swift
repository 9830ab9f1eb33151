/// Feature hash → row, an open-addressing table with linear probing (a `Dictionary` lookup was the taggers' largest
/// cost). Each slot holds its key and its row side by side, so that a lookup touches one cache line, not two.
struct FeatureTable: Sendable, Equatable {
    /// Slot i: key at `2i` (0 = empty), row at `2i + 1`.
    private var slots: [UInt64]
    private let mask: Int
    /// The keys in row order (row k has key `keys[k]`).
    private(set) var keys: [UInt64]

    /// A table for `keys`, where `keys[k]` gets row k; keys are non-zero and distinct.
    init(keys: [UInt64]) {
        self.keys = keys
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        for (row, key) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: key) & mask
            while slots[2 * i] != 0 { i = (i + 1) & mask }
            slots[2 * i] = key
            slots[2 * i + 1] = UInt64(row)
        }
    }

    /// The row of `key`, or -1.
    @inline(__always) func row(_ key: UInt64) -> Int {
        slots.withUnsafeBufferPointer { s in
            var i = Int(truncatingIfNeeded: key) & mask
            while true {
                let k = s[2 * i]
                if k == key { return Int(truncatingIfNeeded: s[2 * i + 1]) }
                if k == 0 { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    var count: Int { keys.count }
}
