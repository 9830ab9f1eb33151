/// What a first tagging pass found in the whole document, for the second pass: for each word (by lower-cased hash),
/// the entity label it most often got elsewhere in the article. A name tagged once with confidence ("Claire Duval
/// said") then helps where it stands alone ("Duval"), and a headline in capitals gets the body's labels.
struct DocumentContext: Sendable {
    /// Word hash → label value (type + 1, with a bit for "began an entity"); absent words have none.
    private var labels: [UInt64: UInt64] = [:]

    init() {}

    /// Collects the labels of one tagged sentence.
    mutating func add(wordHashes: [UInt64], tags: [Int], counts: inout [UInt64: [Int]]) {
        for (h, tag) in zip(wordHashes, tags) {
            guard let type = EntityTags.type(of: tag) else { continue }
            counts[h, default: Array(repeating: 0, count: EntityTags.types.count)][type] += 1
        }
    }

    /// Fixes the majority label of every word seen in an entity.
    init(counts: [UInt64: [Int]]) {
        for (h, c) in counts {
            var best = 0
            for k in c.indices where c[k] > c[best] { best = k }
            labels[h] = UInt64(best + 1)
        }
    }

    /// The label of a word (0 when it was never part of an entity).
    @inline(__always) func label(ofWordHash h: UInt64) -> UInt64 { labels[h] ?? 0 }
}
