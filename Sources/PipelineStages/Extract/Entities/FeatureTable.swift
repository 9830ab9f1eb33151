/// Feature hash → weight row, an open-addressing table (linear probing, 0 marks an empty slot) built once and only
/// read afterwards: cheaper than a Dictionary on the tagging hot path.
struct FeatureTable: Sendable, Equatable {
    private var slots: [UInt64]
    private var rows: [Int32]
    private let mask: Int
    /// The keys in row order (row k has key `keys[k]`).
    private(set) var keys: [UInt64]

    /// A table for `keys`, where `keys[k]` gets row k; keys are non-zero and distinct.
    init(keys: [UInt64]) {
        self.keys = keys
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [UInt64](repeating: 0, count: capacity)
        rows = [Int32](repeating: -1, count: capacity)
        for (row, key) in keys.enumerated() {
            var i = Int(truncatingIfNeeded: key) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = key
            rows[i] = Int32(row)
        }
    }

    /// The row of `key`, or -1.
    @inline(__always) func row(_ key: UInt64) -> Int {
        slots.withUnsafeBufferPointer { s in
            var i = Int(truncatingIfNeeded: key) & mask
            while true {
                let k = s[i]
                if k == key { return rows.withUnsafeBufferPointer { Int($0[i]) } }
                if k == 0 { return -1 }
                i = (i + 1) & mask
            }
        }
    }

    var count: Int { keys.count }
}
