/// Name lists matched against token sequences (longest match first): each token gets a bit set saying which lists
/// it is part of a match of (bit k) and which it starts a match of (bit 16 + k). Matching is on lower-cased tokens.
struct FeatureGazetteer: Sendable, Equatable {
    /// Phrase (hashes of its lower-cased tokens, combined) → list bits; ``continues`` is set on every proper beginning
    /// of a phrase (itself a phrase or not), so that matching stops as soon as no phrase goes on.
    private var phrases = HashKeyMap<UInt32>()
    /// The keys of ``phrases``, asked first: most token sequences are no phrase's beginning (see ``KeyFilter``);
    /// made again after the phrases change.
    private var filter = KeyFilter(keys: [])
    /// The mark of a beginning of a longer phrase.
    static let continues: UInt32 = 1 << 31
    /// Whether the beginnings are marked (gazetteers written before the marks were not: they are matched at every
    /// length up to ``longest``, with the same result).
    private var marked = true
    /// Longest phrase, in tokens.
    private(set) var longest = 0
    /// List names, by bit.
    private(set) var lists: [String] = []

    init() {}

    /// Adds the phrases of one list (each a sequence of tokens).
    mutating func add(list name: String, phrases tokenized: [[String]]) {
        let bit: UInt32
        if let k = lists.firstIndex(of: name) {
            bit = 1 << UInt32(k)
        } else {
            precondition(lists.count < 16, "at most 16 gazetteer lists")
            lists.append(name)
            bit = 1 << UInt32(lists.count - 1)
        }
        for tokens in tokenized where !tokens.isEmpty {
            var key: UInt64 = 0
            for (k, t) in tokens.enumerated() {
                if k > 0 { phrases[key] = (phrases[key] ?? 0) | Self.continues }
                var bytes = Array(t.utf8)
                key = Self.combine(
                    key,
                    bytes.withUnsafeMutableBufferPointer {
                        TokenFeatures.fnv(UnsafeBufferPointer($0), lowercase: true)
                    })
            }
            phrases[key] = (phrases[key] ?? 0) | bit
            longest = max(longest, tokens.count)
        }
        filter = KeyFilter(keys: phrases.sortedPairs.map(\.key))
    }

    @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { (a ^ b) &* 0x100_0000_01B3 &+ 0x2545 }

    /// The list bits of each token of a sentence.
    func memberships(_ bytes: UnsafeBufferPointer<UInt8>, _ ranges: ArraySlice<Range<Int>>) -> [UInt32] {
        let n = ranges.count
        var out = [UInt32](repeating: 0, count: n)
        guard longest > 0 else { return out }
        let hashes = ranges.map { TokenFeatures.fnv(UnsafeBufferPointer(rebasing: bytes[$0]), lowercase: true) }
        var i = 0
        while i < n {
            var key: UInt64 = 0
            var matched = 0
            var bits: UInt32 = 0
            for len in 1...min(longest, n - i) {
                key = Self.combine(key, hashes[i + len - 1])
                guard filter.mayContain(key), let b = phrases[key] else {
                    if marked { break } else { continue }
                }
                if b & ~Self.continues != 0 { matched = len; bits = b & ~Self.continues }
                if marked && b & Self.continues == 0 { break }
            }
            if matched > 0 {
                out[i] |= bits << 16
                for k in i..<(i + matched) { out[k] |= bits }
                i += matched
            } else {
                i += 1
            }
        }
        return out
    }

    /// Every phrase key and its bits, in key order (for writing a model deterministically).
    var sortedEntries: [(key: UInt64, bits: UInt32)] { phrases.sortedPairs.map { ($0.key, $0.value) } }

    /// Rebuilds a gazetteer from written entries (with or without the marks of beginnings).
    init(lists: [String], longest: Int, entries: [(UInt64, UInt32)]) {
        self.lists = lists
        self.longest = longest
        for (k, b) in entries { phrases[k] = b }
        filter = KeyFilter(keys: entries.map(\.0))
        marked = longest <= 1 || entries.contains { $0.1 & Self.continues != 0 }
    }
}
