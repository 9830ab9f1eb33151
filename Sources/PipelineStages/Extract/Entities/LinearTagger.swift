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

    /// Viterbi over `n × tags` emission scores. Each tag is scored only from the tags allowed before it (an `I-X` tag
    /// has two), through raw buffers: the same sums and comparisons, in the same order, as scoring every pair.
    static func viterbi(_ emissions: [Float], n: Int, transitions: [Float]) -> [Int] {
        let T = tags
        guard n > 0 else { return [] }
        let minus = -Float.greatestFiniteMagnitude
        var score = [Float](repeating: minus, count: T)
        var next = [Float](repeating: 0, count: T)
        var back = [Int8](repeating: 0, count: n * T)
        let (offsets, previous) = predecessors
        emissions.withUnsafeBufferPointer { em in
            transitions.withUnsafeBufferPointer { tr in
                offsets.withUnsafeBufferPointer { po in
                    previous.withUnsafeBufferPointer { pp in
                        score.withUnsafeMutableBufferPointer { sc in
                            next.withUnsafeMutableBufferPointer { nx in
                                back.withUnsafeMutableBufferPointer { bk in
                                    var cur = sc.baseAddress!, nxt = nx.baseAddress!
                                    for t in 0..<T where EntityTags.allowed(-1, t) { cur[t] = tr[t] + em[t] }
                                    for i in 1..<max(n, 1) {
                                        let row = i * T
                                        for t in 0..<T {
                                            var best = minus
                                            var arg = 0
                                            for k in po[t]..<po[t + 1] {
                                                let p = pp[k]
                                                let sp = cur[p]
                                                guard sp > minus else { continue }
                                                let s = sp + tr[(p + 1) * T + t]
                                                if s > best { best = s; arg = p }
                                            }
                                            nxt[t] = best == minus ? minus : best + em[row + t]
                                            bk[row + t] = Int8(truncatingIfNeeded: arg)
                                        }
                                        swap(&cur, &nxt)
                                    }
                                    // After an odd number of steps the scores are in `next`.
                                    if cur != sc.baseAddress! { sc.baseAddress!.update(from: cur, count: T) }
                                }
                            }
                        }
                    }
                }
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

    /// For each tag, the tags allowed before it, ascending, as one list with each tag's start offset (the start of
    /// the sentence is not among them).
    private static let predecessors: (offsets: [Int], tags: [Int]) = {
        var offsets = [0], list: [Int] = []
        for t in 0..<tags {
            for p in 0..<tags where EntityTags.allowed(p, t) { list.append(p) }
            offsets.append(list.count)
        }
        return (offsets, list)
    }()
}
