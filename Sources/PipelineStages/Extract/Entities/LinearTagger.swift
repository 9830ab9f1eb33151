/// A linear sequence tagger: emission weights per feature and tag, transition weights between tags (row 0 is the
/// sentence start), and Viterbi decoding under the BIO constraint. What a structured perceptron learns.
struct LinearTagger: Sendable, Equatable {
    /// Feature hash → row of `weights`.
    var table: FeatureTable
    /// `rows × EntityTags.count` emission weights.
    var weights: [Float]
    /// `(EntityTags.count + 1) × EntityTags.count` transition weights; row 0 is the start.
    var transitions: [Float]

    static let tags = EntityTags.count

    /// The best tag sequence for the tokens of `features`.
    func tag(_ features: TokenFeatures) -> [Int] {
        let n = features.count
        guard n > 0 else { return [] }
        let T = Self.tags
        var emissions = [Float](repeating: 0, count: n * T)
        weights.withUnsafeBufferPointer { w in
            emissions.withUnsafeMutableBufferPointer { e in
                for i in 0..<n {
                    let base = i * T
                    for f in features.features(of: i) {
                        let r = table.row(f)
                        if r < 0 { continue }
                        let wr = r * T
                        for t in 0..<T { e[base + t] += w[wr + t] }
                    }
                }
            }
        }
        return Self.viterbi(emissions, n: n, transitions: transitions)
    }

    /// Viterbi over `n × tags` emission scores.
    static func viterbi(_ emissions: [Float], n: Int, transitions: [Float]) -> [Int] {
        let T = tags
        var score = [Float](repeating: 0, count: T)
        var next = [Float](repeating: 0, count: T)
        var back = [Int8](repeating: 0, count: n * T)
        let minus = -Float.greatestFiniteMagnitude
        for t in 0..<T {
            score[t] = EntityTags.allowed(-1, t) ? transitions[t] + emissions[t] : minus
        }
        if n > 1 {
            for i in 1..<n {
                for t in 0..<T {
                    var best = minus
                    var arg = 0
                    for p in 0..<T where score[p] > minus && EntityTags.allowed(p, t) {
                        let s = score[p] + transitions[(p + 1) * T + t]
                        if s > best { best = s; arg = p }
                    }
                    next[t] = best == minus ? minus : best + emissions[i * T + t]
                    back[i * T + t] = Int8(arg)
                }
                swap(&score, &next)
            }
        }
        var last = 0
        for t in 1..<T where score[t] > score[last] { last = t }
        var out = [Int](repeating: 0, count: n)
        out[n - 1] = last
        var i = n - 1
        while i > 0 {
            out[i - 1] = Int(back[i * T + out[i]])
            i -= 1
        }
        return out
    }
}
