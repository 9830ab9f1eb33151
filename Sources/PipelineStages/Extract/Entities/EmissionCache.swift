/// Both passes' sums of the weights of the features a token has on its own (``TokenFeatures/localKeys``), kept by
/// one worker across documents: news repeats its words, and one kept sum replaces some twenty table look-ups. The
/// sums are the ones the tagger makes without it, in the same order, so the tags are the same. Emptied when full
/// (a sentence longer than the capacity may keep more keys until the next is tagged).
struct EmissionCache {
    /// The most sums kept.
    let capacity: Int
    private var rows = HashKeyMap<Int32>()
    /// `2 × 9` numbers per kept key: the first pass's sums, then the second's.
    private(set) var sums: [Float] = []

    /// An empty cache that grows up to `capacity` keys (a worker made for one document costs little).
    init(capacity: Int = 1 << 15) {
        self.capacity = capacity
    }

    /// The number of keys kept.
    var count: Int { rows.count }

    /// Where `key`'s sums start in ``sums``, if kept.
    @inline(__always) func start(of key: UInt64) -> Int? { rows[key].map { Int($0) * 18 } }

    /// Empties the cache unless it has room for `n` more keys (before a sentence of `n` tokens: no key kept while
    /// tagging it goes away before its end).
    mutating func makeRoom(for n: Int) {
        guard rows.count + n > capacity, rows.count > 0 else { return }
        rows = HashKeyMap(minimumCapacity: rows.count)
        sums.removeAll(keepingCapacity: true)
    }

    /// Keeps `key`'s sums (first pass `a1`, `b1`; second pass `a2`, `b2`).
    @inline(__always)
    mutating func keep(_ key: UInt64, _ a1: SIMD8<Float>, _ b1: Float, _ a2: SIMD8<Float>, _ b2: Float) {
        rows[key] = Int32(sums.count / 18)
        for k in 0..<8 { sums.append(a1[k]) }
        sums.append(b1)
        for k in 0..<8 { sums.append(a2[k]) }
        sums.append(b2)
    }
}
