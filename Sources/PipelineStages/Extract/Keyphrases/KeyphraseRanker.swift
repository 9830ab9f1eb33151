import PipelineCore

/// Ranks the key phrases of one document, PositionRank style (Florescu & Caragea 2017, after TextRank): the content
/// words (not stop words, not numbers) are nodes of a graph, joined when they occur within `window` words of each
/// other in a sentence; PageRank with a teleport biased toward words that occur early (the title and the lead) scores
/// them; runs of adjacent content words are the candidate phrases, scored by the sum of their words' scores, merged
/// when they share stems (one surface form kept: the most frequent), and the top ones returned.
struct KeyphraseRanker {
    var window = 3
    var top = 10
    var maxWords = 4

    /// Words of each sentence: surface form and stem number (nil for a stop word, a number or punctuation); words
    /// with the same stem have the same number, a small one (an index into `nodeOf` of ``rank(_:nodeOf:)``).
    typealias Word = (text: String, stem: Int?)

    /// The key phrases of a document. `nodeOf` is scratch space kept by the caller between documents: -1 for every
    /// stem number (grown as needed), and so again on return.
    func rank(_ sentences: [[Word]], nodeOf: inout [Int32]) -> [Keyphrase] {
        // Nodes (numbered in order of first occurrence), position weights, and each word's node. Stems are looked up
        // by number in `nodeOf` (hashing them as strings was a sixth of the ranker's time); the stems seen are reset
        // to -1 at the end.
        var position: [Double] = []
        var seen: [Int] = []
        defer { for stem in seen { nodeOf[stem] = -1 } }
        var offset = 0
        let nodes: [[Int?]] = sentences.map { s in
            s.map { w in
                offset += 1
                guard let stem = w.stem else { return nil }
                if stem >= nodeOf.count { nodeOf.append(contentsOf: repeatElement(-1, count: stem + 1 - nodeOf.count)) }
                let id: Int
                if nodeOf[stem] >= 0 {
                    id = Int(nodeOf[stem])
                } else {
                    id = position.count
                    nodeOf[stem] = Int32(id)
                    seen.append(stem)
                    position.append(0)
                }
                position[id] += 1 / Double(offset)
                return id
            }
        }
        let n = position.count
        guard n > 0 else { return [] }
        let total = position.reduce(0, +)
        let teleport = position.map { $0 / total }
        // Co-occurrence edges (weighted, undirected), as (from, to) pairs sorted and counted: the graph as flat
        // arrays, neighbours in id order (a fixed summation order: the same scores in every run).
        var pairs: [Int] = []
        for ids in nodes {
            for (i, a) in ids.enumerated() {
                guard let a else { continue }
                for j in (i + 1)..<min(ids.count, i + window + 1) {
                    guard let b = ids[j], b != a else { continue }
                    pairs.append(a * n + b)
                    pairs.append(b * n + a)
                }
            }
        }
        pairs.sort()
        var start = [Int](repeating: 0, count: n + 1)
        var neighbour: [Int] = []
        var weight: [Double] = []
        var out = [Double](repeating: 0, count: n)
        var p = 0
        while p < pairs.count {
            var q = p + 1
            while q < pairs.count && pairs[q] == pairs[p] { q += 1 }
            let a = pairs[p] / n
            neighbour.append(pairs[p] % n)
            weight.append(Double(q - p))
            out[a] += Double(q - p)
            start[a + 1] = neighbour.count
            p = q
        }
        for a in 0..<n where start[a + 1] < start[a] { start[a + 1] = start[a] }
        let danglingNodes = (0..<n).filter { out[$0] == 0 }
        let score = Self.pageRank(
            teleport: teleport, out: out, start: start, neighbour: neighbour, weight: weight,
            dangling: danglingNodes)
        // Candidate phrases: runs of content words, keyed by their nodes (their stems), at most four of them packed
        // into two words (a Dictionary keyed by arrays hashed each array element by element).
        // Where each candidate occurs (sentence, first word, word count): its surface forms are spelt out only for
        // the candidates that are looked at below, not for every occurrence of every candidate.
        struct Occurrence { var sentence: Int; var start: Int; var count: Int }
        struct Candidate { var key: [Int]; var score: Double; var occurrences: [Occurrence]; var first: Int }
        struct Key: Hashable { var lo: UInt64 = 0, hi: UInt64 = 0 }
        precondition(maxWords <= 4, "a key phrase has at most four words")
        var candidates: [Candidate] = []
        var candidateIndex: [Key: Int] = [:]
        for (sentence, ids) in nodes.enumerated() {
            var run: [Int] = []  // word positions in the sentence, consecutive
            func flush() {
                defer { run.removeAll(keepingCapacity: true) }
                guard !run.isEmpty else { return }
                // Long runs are split into their trailing `maxWords` (heads of noun phrases come last in English).
                let words = run.suffix(maxWords)
                var packed = Key()
                for (k, w) in words.enumerated() {
                    let id = UInt64(ids[w]! + 1) & 0xFFFF_FFFF
                    if k < 2 { packed.lo |= id << (32 * UInt64(k)) } else { packed.hi |= id << (32 * UInt64(k - 2)) }
                }
                let occurrence = Occurrence(sentence: sentence, start: words.first!, count: words.count)
                if let c = candidateIndex[packed] {
                    candidates[c].occurrences.append(occurrence)
                } else {
                    let key = words.map { ids[$0]! }
                    candidateIndex[packed] = candidates.count
                    candidates.append(
                        Candidate(
                            key: key, score: key.reduce(0.0) { $0 + score[$1] }, occurrences: [occurrence],
                            first: candidates.count + 1))
                }
            }
            for (i, id) in ids.enumerated() { if id != nil { run.append(i) } else { flush() } }
            flush()
        }
        // Best first; ties by first occurrence. A phrase whose stems are all in a better one is left out; a chosen one
        // is written in its most frequent surface form (ties: the first in code-point order).
        let ranked = candidates.sorted { a, b in a.score != b.score ? a.score > b.score : a.first < b.first }
        var chosen: [(stems: Set<Int>, phrase: Keyphrase)] = []
        for c in ranked {
            let stems = Set(c.key)
            if chosen.contains(where: { stems.isSubset(of: $0.stems) }) { continue }
            var forms: [String: Int] = [:]
            for o in c.occurrences {
                forms[
                    sentences[o.sentence][o.start..<(o.start + o.count)].map(\.text).joined(separator: " "), default: 0] +=
                    1
            }
            let form = forms.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
            chosen.append((stems, Keyphrase(text: form, score: (c.score * 10_000).rounded() / 10_000)))
            if chosen.count == top { break }
        }
        return chosen.map(\.phrase)
    }

    /// PageRank over the co-occurrence graph (`start`/`neighbour`/`weight`: each node's edges; `out`: its total edge
    /// weight), teleporting by `teleport`, 50 rounds at most. Through raw buffers: this loop is most of the ranker's
    /// time, and array bounds checks were half of it. The sums are made in a fixed order: the same scores every run.
    private static func pageRank(
        teleport: [Double], out: [Double], start: [Int], neighbour: [Int], weight: [Double],
        dangling danglingNodes: [Int]
    ) -> [Double] {
        let n = teleport.count
        let buffers = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
        defer { buffers.deallocate() }
        var score = buffers, next = buffers + n
        for b in 0..<n { score[b] = teleport[b] }
        teleport.withUnsafeBufferPointer { tp in
            out.withUnsafeBufferPointer { od in
                start.withUnsafeBufferPointer { st in
                    neighbour.withUnsafeBufferPointer { nb in
                        weight.withUnsafeBufferPointer { wt in
                            for _ in 0..<50 {
                                for b in 0..<n { next[b] = 0.15 * tp[b] }
                                for a in 0..<n where od[a] > 0 {
                                    let share = 0.85 * score[a] / od[a]
                                    for e in st[a]..<st[a + 1] { next[nb[e]] += share * wt[e] }
                                }
                                // Dangling nodes give their rank back through the teleport.
                                var dangling = 0.0
                                for d in danglingNodes { dangling += score[d] }
                                var change = 0.0
                                for b in 0..<n {
                                    next[b] += 0.85 * dangling * tp[b]
                                    change += abs(next[b] - score[b])
                                }
                                swap(&score, &next)
                                if change < 1e-9 { break }
                            }
                        }
                    }
                }
            }
        }
        return Array(UnsafeBufferPointer(start: score, count: n))
    }
}
