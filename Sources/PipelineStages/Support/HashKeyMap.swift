/// A map from 64-bit keys that are already hashes (of words, phrases, model features) to small values: open addressing
/// with linear probing over one array of key–value pairs. Looking a word up in a Swift `Dictionary` hashes the hash
/// again with SipHash and touches two arrays; this does one multiply and, mostly, one cache line.
struct HashKeyMap<Value: FixedWidthInteger & Sendable>: Sendable, Equatable {
    /// `slots[i]`: a key (0 = empty) and its value.
    private var slots: [(key: UInt64, value: Value)]
    private var shift: UInt64
    /// Key 0 cannot mark an empty slot, so its value is kept apart.
    private var zeroValue: Value?
    /// The number of keys.
    private(set) var count = 0
    /// The largest share of the slots in use, in 256ths, before the slots double.
    private var load = 128

    /// An empty map.
    init() {
        shift = 64 - 4
        slots = Array(repeating: (0, 0), count: 16)
    }

    /// An empty map that takes `count` keys without growing, with at most `load` of its slots in use (a half by
    /// default; more for a large table read often, so that fewer of its cache lines are touched).
    init(minimumCapacity count: Int, load: Double = 0.5) {
        precondition(load > 0 && load < 1, "a HashKeyMap's load is between 0 and 1")
        self.load = Int(load * 256)
        var size = 16
        var bits: UInt64 = 4
        while count * 256 > size * self.load { size *= 2; bits += 1 }
        shift = 64 - bits
        slots = Array(repeating: (0, 0), count: size)
    }

    @inline(__always) private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value of `key`; setting nil is not supported (the maps here only grow).
    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zeroValue }
            return slots.withUnsafeBufferPointer { s in
                let mask = s.count - 1
                var i = home(key)
                while true {
                    let k = s[i].key
                    if k == key { return s[i].value }
                    if k == 0 { return nil }
                    i = (i + 1) & mask
                }
            }
        }
        set {
            guard let v = newValue else { preconditionFailure("HashKeyMap does not remove keys") }
            if key == 0 {
                if zeroValue == nil { count += 1 }
                zeroValue = v
                return
            }
            if (count + 1) * 256 > slots.count * load { grow() }
            let mask = slots.count - 1
            var i = home(key)
            while true {
                let k = slots[i].key
                if k == key { slots[i].value = v; return }
                if k == 0 { slots[i] = (key, v); count += 1; return }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (0, 0), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (k, v) in old where k != 0 {
            var i = home(k)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = (k, v)
        }
    }

    /// Every key and value, by increasing key.
    var sortedPairs: [(key: UInt64, value: Value)] {
        var out = slots.filter { $0.key != 0 }
        if let z = zeroValue { out.append((0, z)) }
        return out.sorted { $0.key < $1.key }
    }

    static func == (a: HashKeyMap, b: HashKeyMap) -> Bool {
        a.count == b.count && a.sortedPairs.elementsEqual(b.sortedPairs) { $0.key == $1.key && $0.value == $1.value }
    }
}
