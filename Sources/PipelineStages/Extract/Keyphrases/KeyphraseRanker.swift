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

    /// Words of each sentence: surface form and stem (nil for a stop word, a number or punctuation).
    typealias Word = (text: String, stem: String?)

    func rank(_ sentences: [[Word]]) -> [Keyphrase] {
        // Nodes and position weights.
        var index: [String: Int] = [:]
        var position: [Double] = []
        var offset = 0
        for s in sentences {
            for w in s {
                offset += 1
                guard let stem = w.stem else { continue }
                if index[stem] == nil { index[stem] = position.count; position.append(0) }
                position[index[stem]!] += 1 / Double(offset)
            }
        }
        let n = position.count
        guard n > 0 else { return [] }
        let total = position.reduce(0, +)
        let teleport = position.map { $0 / total }
        // Each word's node, once.
        let nodes: [[Int?]] = sentences.map { s in s.map { $0.stem.flatMap { index[$0] } } }
        // Co-occurrence edges (weighted, undirected).
        var edges = [[Int: Double]](repeating: [:], count: n)
        for ids in nodes {
            for (i, a) in ids.enumerated() {
                guard let a else { continue }
                for j in (i + 1)..<min(ids.count, i + window + 1) {
                    guard let b = ids[j], b != a else { continue }
                    edges[a][b, default: 0] += 1
                    edges[b][a, default: 0] += 1
                }
            }
        }
        // The graph as flat arrays, neighbours in id order (a fixed summation order: the same scores in every run).
        var start = [Int](repeating: 0, count: n + 1)
        var neighbour: [Int] = []
        var weight: [Double] = []
        var out = [Double](repeating: 0, count: n)
        for a in 0..<n {
            for (b, w) in edges[a].sorted(by: { $0.key < $1.key }) {
                neighbour.append(b)
                weight.append(w)
                out[a] += w
            }
            start[a + 1] = neighbour.count
        }
        let danglingNodes = (0..<n).filter { out[$0] == 0 }
        var score = teleport
        var next = [Double](repeating: 0, count: n)
        for _ in 0..<50 {
            for b in 0..<n { next[b] = 0.15 * teleport[b] }
            for a in 0..<n where out[a] > 0 {
                let share = 0.85 * score[a] / out[a]
                for e in start[a]..<start[a + 1] { next[neighbour[e]] += share * weight[e] }
            }
            // Dangling nodes give their rank back through the teleport.
            let dangling = danglingNodes.reduce(0.0) { $0 + score[$1] }
            var change = 0.0
            for b in 0..<n {
                next[b] += 0.85 * dangling * teleport[b]
                change += abs(next[b] - score[b])
            }
            swap(&score, &next)
            if change < 1e-9 { break }
        }
        // Candidate phrases: runs of content words, keyed by their nodes (their stems).
        struct Candidate { var score: Double; var forms: [String: Int]; var first: Int }
        var candidates: [[Int]: Candidate] = [:]
        var order = 0
        for (s, ids) in zip(sentences, nodes) {
            var run: [Int] = [] // word positions in the sentence
            func flush() {
                defer { run.removeAll(keepingCapacity: true) }
                guard !run.isEmpty else { return }
                // Long runs are split into their trailing `maxWords` (heads of noun phrases come last in English).
                let words = run.suffix(maxWords)
                let key = words.map { ids[$0]! }
                let text = words.map { s[$0].text }.joined(separator: " ")
                let value = key.reduce(0.0) { $0 + score[$1] }
                order += 1
                var c = candidates[key] ?? Candidate(score: value, forms: [:], first: order)
                c.forms[text, default: 0] += 1
                candidates[key] = c
            }
            for (i, id) in ids.enumerated() { if id != nil { run.append(i) } else { flush() } }
            flush()
        }
        // Best first; ties by first occurrence. A phrase whose stems are all in a better one is left out.
        let ranked = candidates.sorted { a, b in a.value.score != b.value.score ? a.value.score > b.value.score : a.value.first < b.value.first }
        var chosen: [(stems: Set<Int>, phrase: Keyphrase)] = []
        for (key, c) in ranked {
            let stems = Set(key)
            if chosen.contains(where: { stems.isSubset(of: $0.stems) }) { continue }
            let form = c.forms.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
            chosen.append((stems, Keyphrase(text: form, score: (c.score * 10_000).rounded() / 10_000)))
            if chosen.count == top { break }
        }
        return chosen.map(\.phrase)
    }
}
