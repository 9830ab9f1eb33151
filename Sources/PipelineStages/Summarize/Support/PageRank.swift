/// PageRank by power iteration over a weighted, undirected graph given as a dense similarity matrix: damping `d`,
/// stopping when the scores change by less than `tolerance` (L1) or after `maxIterations`. A node without edges keeps
/// the teleport share.
enum PageRank {
    static func scores(
        _ weights: [Float], n: Int, damping d: Double = 0.85, tolerance: Double = 1e-6,
        maxIterations: Int = 100
    ) -> [Double] {
        guard n > 0 else { return [] }
        var outSum = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { outSum[i] += Double(weights[i * n + j]) } }
        var score = [Double](repeating: 1 / Double(n), count: n)
        var next = [Double](repeating: 0, count: n)
        for _ in 0..<maxIterations {
            var dangling = 0.0
            for i in 0..<n where outSum[i] == 0 { dangling += score[i] }
            for j in 0..<n { next[j] = (1 - d) / Double(n) + d * dangling / Double(n) }
            for i in 0..<n where outSum[i] > 0 {
                let share = d * score[i] / outSum[i]
                let row = i * n
                for j in 0..<n where weights[row + j] != 0 { next[j] += share * Double(weights[row + j]) }
            }
            var change = 0.0
            for j in 0..<n { change += abs(next[j] - score[j]) }
            swap(&score, &next)
            if change < tolerance { break }
        }
        return score
    }
}
