import PipelineCore

/// Picks summary sentences by score under a ``SummaryLength``: the best eligible sentences (ties to the earlier
/// one), returned in document order; with `redundancy`, each next pick is penalised by its similarity to those
/// already chosen (MMR).
enum SummarySelection {
    static func choose(
        scores: [Double], vectors: SentenceVectors, length: SummaryLength,
        similarity: ((Int, Int) -> Double)? = nil, lambda: Double = 1
    ) -> [Int] {
        let candidates = scores.indices.filter { vectors.eligible[$0] }
        guard !candidates.isEmpty else { return [] }
        // How many: by sentences or ratio of the eligible sentences; by words, greedily below.
        let target: Int
        switch length {
        case .words: target = candidates.count
        default: target = length.count(wordCounts: candidates.map { vectors.words[$0] })
        }
        var chosen: [Int] = []
        var remaining = candidates
        var wordsUsed = 0
        // Each candidate's greatest similarity to the sentences chosen so far (MMR), updated after every pick.
        var redundancy = [Double](repeating: 0, count: scores.count)
        while !remaining.isEmpty && chosen.count < target {
            var best = remaining[0]
            var bestValue = -Double.infinity
            for i in remaining {
                let value =
                    similarity != nil && lambda < 1 ? lambda * scores[i] - (1 - lambda) * redundancy[i] : scores[i]
                if value > bestValue { bestValue = value; best = i }
            }
            if case .words(let budget) = length, !chosen.isEmpty, wordsUsed + vectors.words[best] > budget { break }
            chosen.append(best)
            wordsUsed += vectors.words[best]
            remaining.removeAll { $0 == best }
            if let similarity, lambda < 1 {
                for i in remaining { redundancy[i] = max(redundancy[i], similarity(i, best)) }
            }
        }
        return chosen.sorted()
    }
}
