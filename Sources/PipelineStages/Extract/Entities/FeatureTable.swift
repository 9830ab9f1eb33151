/// Feature hash → row of a model's weights: the keys in row order and a ``HashKeyMap`` from each key to its row (a
/// `Dictionary` lookup was the taggers' largest cost).
struct FeatureTable: Sendable, Equatable {
    private var rows = HashKeyMap<Int32>()
    /// The keys in row order (row k has key `keys[k]`).
    private(set) var keys: [UInt64]

    /// A table for `keys`, where `keys[k]` gets row k; keys are distinct.
    init(keys: [UInt64]) {
        self.keys = keys
        rows = HashKeyMap(minimumCapacity: keys.count, load: 0.75)
        for (row, key) in keys.enumerated() { rows[key] = Int32(row) }
    }

    static func == (a: FeatureTable, b: FeatureTable) -> Bool { a.keys == b.keys }

    /// The row of `key`, or -1.
    @inline(__always) func row(_ key: UInt64) -> Int { rows[key].map(Int.init) ?? -1 }

    var count: Int { keys.count }
}
