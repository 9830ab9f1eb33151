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

    /// A document's words, sentence after sentence: each word's stem number (-1 for a stop word, a number or
    /// punctuation; words with the same stem have the same number, a small one: an index into the `nodeOf` of
    /// ``rank(_:nodeOf:)``) and its bytes. The bytes of all words share one array, so that a word becomes a string
    /// only when a key phrase spells it out (a string per word was a fifth of the stage's time).
    struct Words {
        /// Word i's stem number.
        private(set) var stems: [Int32] = []
        /// Word i's bytes are `bytes[starts[i]..<ends[i]]`.
        private var starts: [Int] = []
        private var ends: [Int] = []
        private var bytes: [UInt8] = []
        /// Sentence s's words are `sentenceStarts[s]..<sentenceStarts[s + 1]` (the last one ends at `count`).
        private(set) var sentenceStarts: [Int] = []

        /// Room for `capacity` words of `bytes` bytes in all (more are taken).
        init(capacity: Int, bytes: Int) {
            stems.reserveCapacity(capacity)
            starts.reserveCapacity(capacity)
            ends.reserveCapacity(capacity)
            self.bytes.reserveCapacity(bytes)
        }

        /// The number of words.
        var count: Int { stems.count }

        /// Starts a sentence: the words appended next are its words.
        mutating func startSentence() { sentenceStarts.append(stems.count) }

        /// Appends a word of the sentence started last.
        mutating func append(_ word: UnsafeBufferPointer<UInt8>, stem: Int32) {
            precondition(!sentenceStarts.isEmpty, "a word needs a sentence")
            starts.append(bytes.count)
            bytes.append(contentsOf: word)
            ends.append(bytes.count)
            stems.append(stem)
        }

        /// Removes the first `k` words of the sentence started last.
        mutating func removeFirstWords(_ k: Int) {
            let from = sentenceStarts[sentenceStarts.count - 1]
            precondition(from + k <= count, "a sentence has fewer words than it is asked to lose")
            stems.removeSubrange(from..<(from + k))
            starts.removeSubrange(from..<(from + k))
            ends.removeSubrange(from..<(from + k))
        }

        /// The words of sentence `s`.
        func sentence(_ s: Int) -> Range<Int> {
            sentenceStarts[s]..<(s + 1 < sentenceStarts.count ? sentenceStarts[s + 1] : count)
        }

        /// Whether word i is written `other`.
        func isWord(_ i: Int, _ other: StaticString) -> Bool {
            let n = ends[i] - starts[i]
            guard n == other.utf8CodeUnitCount else { return false }
            return other.withUTF8Buffer { o in (0..<n).allSatisfy { bytes[starts[i] + $0] == o[$0] } }
        }

        /// Word i as written.
        func text(_ i: Int) -> String {
            bytes.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[starts[i]..<ends[i]]), as: UTF8.self)
            }
        }
    }

    /// The key phrases of a document. `nodeOf` is scratch space kept by the caller between documents: -1 for every
    /// stem number (grown as needed), and so again on return.
    func rank(_ words: Words, nodeOf: inout [Int32]) -> [Keyphrase] {
        // Nodes (numbered in order of first occurrence), position weights, and each word's node (-1: none). Stems are
        // looked up by number in `nodeOf` (hashing them as strings was a sixth of the ranker's time); the stems seen
        // are reset to -1 at the end.
        var position: [Double] = []
        var seen: [Int] = []
        defer { for stem in seen { nodeOf[stem] = -1 } }
        var node = [Int32](repeating: -1, count: words.count)
        for (i, number) in words.stems.enumerated() where number >= 0 {
            let stem = Int(number)
            if stem >= nodeOf.count { nodeOf.append(contentsOf: repeatElement(-1, count: stem + 1 - nodeOf.count)) }
            if nodeOf[stem] < 0 {
                nodeOf[stem] = Int32(position.count)
                seen.append(stem)
                position.append(0)
            }
            node[i] = nodeOf[stem]
            position[Int(node[i])] += 1 / Double(i + 1)
        }
        let n = position.count
        guard n > 0 else { return [] }
        let total = position.reduce(0, +)
        let teleport = position.map { $0 / total }
        // Co-occurrence edges (weighted, undirected), as (from, to) pairs packed into one integer (from in the high
        // half), sorted and counted: the graph as flat arrays, neighbours in id order (a fixed summation order: the
        // same scores in every run).
        var pairs: [Int] = []
        for s in 0..<words.sentenceStarts.count {
            let range = words.sentence(s)
            for i in range {
                let a = Int(node[i])
                guard a >= 0 else { continue }
                for j in (i + 1)..<min(range.upperBound, i + window + 1) {
                    let b = Int(node[j])
                    guard b >= 0, b != a else { continue }
                    pairs.append(a << 32 | b)
                    pairs.append(b << 32 | a)
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
            let a = pairs[p] >> 32
            neighbour.append(pairs[p] & 0xFFFF_FFFF)
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
        // Candidate phrases: runs of content words, keyed by their nodes (their stems), at most four of them. Where
        // each candidate occurs (first word, word count): its surface forms are spelt out only for the candidates
        // that are looked at below, not for every occurrence of every candidate.
        // A candidate's occurrences are a chain through `occurrences` (no array per candidate).
        struct Occurrence { var start: Int32; var count: Int32; var next: Int32 }
        struct Candidate { var first: Int32; var last: Int32; var score: Double }
        precondition(maxWords <= 4, "a key phrase has at most four words")
        var candidates: [Candidate] = []
        var occurrences: [Occurrence] = []
        var candidateIndex = CandidateIndex(nodes: n)
        for s in 0..<words.sentenceStarts.count {
            var run = 0..<0  // consecutive content words of the sentence
            func flush() {
                defer { run = run.upperBound..<run.upperBound }
                guard !run.isEmpty else { return }
                // Long runs are split into their trailing `maxWords` (heads of noun phrases come last in English).
                let phrase = max(run.lowerBound, run.upperBound - maxWords)..<run.upperBound
                occurrences.append(Occurrence(start: Int32(phrase.lowerBound), count: Int32(phrase.count), next: -1))
                let o = Int32(occurrences.count - 1)
                let c = candidateIndex.index(of: node[phrase], next: candidates.count)
                if c < candidates.count {
                    occurrences[Int(candidates[c].last)].next = o
                    candidates[c].last = o
                } else {
                    candidates.append(
                        Candidate(first: o, last: o, score: phrase.reduce(0.0) { $0 + score[Int(node[$1])] }))
                }
            }
            for i in words.sentence(s) {
                if node[i] >= 0 {
                    if run.isEmpty { run = i..<i }
                    run = run.lowerBound..<(i + 1)
                } else {
                    flush()
                }
            }
            flush()
        }
        // Best first; ties by first occurrence. A phrase whose stems are all in a better one is left out; a chosen one
        // is written in its most frequent surface form (ties: the first in code-point order).
        let ranked = candidates.indices.sorted { a, b in
            candidates[a].score != candidates[b].score ? candidates[a].score > candidates[b].score : a < b
        }
        var chosen: [(stems: Set<Int>, phrase: Keyphrase)] = []
        for c in ranked.lazy.map({ candidates[$0] }) {
            func span(_ o: Int32) -> Range<Int> {
                Int(occurrences[Int(o)].start)..<Int(occurrences[Int(o)].start + occurrences[Int(o)].count)
            }
            let stems = Set(span(c.first).map { Int(node[$0]) })
            if chosen.contains(where: { stems.isSubset(of: $0.stems) }) { continue }
            var forms: [String: Int] = [:]
            var o = c.first
            while o >= 0 {
                forms[span(o).map(words.text).joined(separator: " "), default: 0] += 1
                o = occurrences[Int(o)].next
            }
            let form = forms.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
            chosen.append((stems, Keyphrase(text: form, score: (c.score * 10_000).rounded() / 10_000)))
            if chosen.count == top { break }
        }
        return chosen.map(\.phrase)
    }

    /// The candidates' numbers by their nodes (at most four): the nodes packed into one 64-bit key when there are
    /// fewer than 65,535 of them (a document of thousands of pages has more), else a dictionary keyed by the nodes.
    private struct CandidateIndex {
        let packs: Bool
        var packed = HashKeyMap<Int32>()
        var byNodes: [[Int32]: Int] = [:]

        init(nodes: Int) { packs = nodes < 0xFFFF }

        /// The number of the candidate of `nodes`; `next`, and `nodes` are given it, when they have none yet.
        mutating func index(of nodes: ArraySlice<Int32>, next: Int) -> Int {
            guard packs else {
                let key = Array(nodes)
                if let c = byNodes[key] { return c }
                byNodes[key] = next
                return next
            }
            var key: UInt64 = 0
            for id in nodes { key = key << 16 | UInt64(id + 1) }
            if let c = packed[key] { return Int(c) }
            packed[key] = Int32(next)
            return next
        }
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
