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

    /// Viterbi over `n × tags` emission scores, through raw buffers. For the nine tags of the entity tagger the forward
    /// pass scores all tags at once (``forward9(_:n:transitions:cur:back:)``). Otherwise (and with `vectorized: false`,
    /// for the tests that compare the two) a tag that may follow any tag (`O`, `B-X`) takes the best of its nine
    /// predecessors as a tournament — pairs, then pairs of pairs, the earlier one kept on a tie, so the same winner as
    /// a scan from the first — whose comparisons do not wait on one another as a scan's do; an `I-X` tag looks at its
    /// two allowed predecessors only. The sums are the same as scoring every pair.
    static func viterbi(_ emissions: [Float], n: Int, transitions: [Float], vectorized: Bool = true) -> [Int] {
        let T = tags
        guard n > 0 else { return [] }
        let minus = -Float.greatestFiniteMagnitude
        // The scores after the previous token and the next ones, and the previous ones with unreachable tags (at
        // `minus`) as -infinity, which no sum makes a candidate.
        let buffers = UnsafeMutablePointer<Float>.allocate(capacity: 3 * T)
        defer { buffers.deallocate() }
        var cur = buffers, nxt = buffers + T
        let lv = buffers + 2 * T
        cur.initialize(repeating: minus, count: T)
        nxt.initialize(repeating: 0, count: 2 * T)
        var back = [Int8](repeating: 0, count: n * T)
        // Column t of the transitions: from each previous tag to t (for the scan; the vector pass reads rows).
        let vector = T == 9 && vectorized
        var columns = [Float](repeating: 0, count: vector ? 0 : T * T)
        if !vector { for t in 0..<T { for p in 0..<T { columns[t * T + p] = transitions[(p + 1) * T + t] } } }
        let (offsets, previous) = predecessors
        emissions.withUnsafeBufferPointer { em in
            columns.withUnsafeBufferPointer { cols in
                offsets.withUnsafeBufferPointer { po in
                    previous.withUnsafeBufferPointer { pp in
                        back.withUnsafeMutableBufferPointer { bk in
                            for t in 0..<T where EntityTags.allowed(-1, t) { cur[t] = transitions[t] + em[t] }
                            if vector {
                                Self.forward9(em, n: n, transitions: transitions, cur: cur, back: bk)
                                return
                            }
                            for i in 1..<n {
                                let row = i * T
                                for p in 0..<T { lv[p] = cur[p] > minus ? cur[p] : -.infinity }
                                for t in 0..<T {
                                    let col = cols.baseAddress! + t * T
                                    var best = minus
                                    var arg = 0
                                    if T == 9 && po[t + 1] - po[t] == 9 {
                                        let w = tournament9(lv, col)
                                        if w.score > minus { best = w.score; arg = w.tag }
                                    } else {
                                        for k in po[t]..<po[t + 1] {
                                            let p = pp[k]
                                            let sp = cur[p]
                                            guard sp > minus else { continue }
                                            let s = sp + col[p]
                                            if s > best { best = s; arg = p }
                                        }
                                    }
                                    nxt[t] = best == minus ? minus : best + em[row + t]
                                    bk[row + t] = Int8(truncatingIfNeeded: arg)
                                }
                                swap(&cur, &nxt)
                            }
                        }
                    }
                }
            }
        }
        var last = 0
        for t in 1..<T where cur[t] > cur[last] { last = t }
        var out = [Int](repeating: 0, count: n)
        out[n - 1] = last
        var i = n - 1
        while i > 0 {
            out[i - 1] = Int(back[i * T + out[i]])
            i -= 1
        }
        return out
    }

    /// The forward pass of ``viterbi(_:n:transitions:vectorized:)`` for the nine tags of the entity tagger, all tags at once:
    /// for each previous tag p in order, its score plus the transitions from it to the first eight tags as one vector
    /// (a transition the BIO constraint forbids is -infinity, which no sum makes a candidate), kept where strictly
    /// higher, so each tag gets the same best score and the same first best predecessor as the scan; the ninth tag
    /// alongside as a scalar. `cur` holds the first token's scores and is left with the last token's.
    private static func forward9(
        _ em: UnsafeBufferPointer<Float>, n: Int, transitions: [Float], cur: UnsafeMutablePointer<Float>,
        back: UnsafeMutableBufferPointer<Int8>
    ) {
        let minus = -Float.greatestFiniteMagnitude
        let none = SIMD8<Float>(repeating: minus)
        // On the stack (this runs once per sentence and pass): from previous tag p, to tags 0–7 and to tag 8.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 9) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 18) { scalars in
                let last = scalars.baseAddress!, live = scalars.baseAddress! + 9
                for p in 0..<9 {
                    rows[p] = SIMD8(repeating: -.infinity)
                    last[p] = -.infinity
                    for t in 0..<9 where EntityTags.allowed(p, t) {
                        let x = transitions[(p + 1) * 9 + t]
                        if t < 8 { rows[p][t] = x } else { last[p] = x }
                    }
                }
                for i in 1..<n {
                    for p in 0..<9 { live[p] = cur[p] > minus ? cur[p] : -.infinity }
                    var best = none
                    var arg = SIMD8<Int32>(repeating: 0)
                    var best8 = minus
                    var arg8: Int32 = 0
                    for p in 0..<9 {
                        let s = SIMD8<Float>(repeating: live[p]) + rows[p]
                        let higher = s .> best
                        best.replace(with: s, where: higher)
                        arg.replace(with: Int32(p), where: higher)
                        let s8 = live[p] + last[p]
                        if s8 > best8 { best8 = s8; arg8 = Int32(p) }
                    }
                    let row = i * 9
                    let e = UnsafeRawPointer(em.baseAddress! + row).loadUnaligned(as: SIMD8<Float>.self)
                    var next = best + e
                    next.replace(with: none, where: best .== none)
                    UnsafeMutableRawPointer(cur).storeBytes(of: next, as: SIMD8<Float>.self)
                    cur[8] = best8 == minus ? minus : best8 + em[row + 8]
                    for t in 0..<8 { back[row + t] = Int8(truncatingIfNeeded: arg[t]) }
                    back[row + 8] = Int8(truncatingIfNeeded: arg8)
                }
            }
        }
    }

    /// The highest of `live[p] + column[p]` over nine tags p, and the first p that reaches it.
    @inline(__always)
    private static func tournament9(
        _ live: UnsafeMutablePointer<Float>, _ column: UnsafePointer<Float>
    )
        -> (score: Float, tag: Int)
    {
        @inline(__always) func s(_ p: Int) -> (score: Float, tag: Int) { (live[p] + column[p], p) }
        // The later one wins only when strictly higher: ties go to the earlier tag, as in a scan.
        @inline(__always) func pick(
            _ a: (score: Float, tag: Int), _ b: (score: Float, tag: Int)
        ) -> (score: Float, tag: Int) {
            b.score > a.score ? b : a
        }
        let a = pick(pick(s(0), s(1)), pick(s(2), s(3)))
        let b = pick(pick(s(4), s(5)), pick(s(6), s(7)))
        return pick(pick(a, b), s(8))
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
