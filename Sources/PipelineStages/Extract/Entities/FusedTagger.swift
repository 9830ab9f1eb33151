/// The first-pass and second-pass taggers of a model over one feature table, so that tagging a document looks each
/// sentence feature up once for both passes; the second pass then adds only its two document features per token.
/// Gives exactly the tags of running the two ``LinearTagger``s one after the other.
struct FusedTagger: Sendable, Equatable {
    let table: FeatureTable
    /// The keys of `table`, asked first: most features looked up are not there (see ``KeyFilter``).
    let filter: KeyFilter
    /// Both passes' weights of each row side by side (`rows × 2 tags`: the first pass's, then the second's; zero where
    /// a pass has no weight for the feature), so that one lookup reads one stretch of memory.
    let both: [Float]
    let firstTransitions: [Float]
    let secondTransitions: [Float]

    init(_ a: LinearTagger, _ b: LinearTagger) {
        let T = EntityTags.count
        // The first tagger's keys in their order (so its row r stays row r), then the second's that it lacks.
        var keys = a.table.keys
        for k in b.table.keys where a.table.row(k) < 0 { keys.append(k) }
        table = FeatureTable(keys: keys)
        filter = KeyFilter(keys: keys)
        var w = [Float](repeating: 0, count: keys.count * 2 * T)
        for r in 0..<a.table.count {
            for t in 0..<T { w[r * 2 * T + t] = a.weights[r * T + t] }
        }
        for (r, k) in b.table.keys.enumerated() {
            let row = table.row(k)
            for t in 0..<T { w[row * 2 * T + T + t] = b.weights[r * T + t] }
        }
        both = w
        firstTransitions = a.transitions
        secondTransitions = b.transitions
    }

    /// Emission scores of both passes for the sentence features.
    func emissions(_ features: TokenFeatures) -> (first: [Float], second: [Float]) {
        var none: EmissionCache?
        return emissions(features, cache: &none)
    }

    /// Emission scores of both passes for the sentence features, the sums of each token's own features taken from
    /// `cache` when it has them, and kept there when not.
    func emissions(_ features: TokenFeatures, cache: inout EmissionCache?) -> (first: [Float], second: [Float]) {
        let T = EntityTags.count
        let n = features.count
        var e1 = [Float](repeating: 0, count: n * T)
        var e2 = [Float](repeating: 0, count: n * T)
        // First every feature's row, then the sums: the look-ups do not depend on one another, so the processor
        // overlaps their cache misses (one look-up after another, each waiting on its own, was most of the time).
        // A token whose own features' sums the cache keeps needs only its other features' rows.
        let hashes = features.hashes
        let offsets = features.offsets
        let localCount = features.localCount
        let ownWritten = features.ownWritten
        // Where token i's features with its neighbours start (its own come first when written).
        @inline(__always) func othersStart(_ i: Int) -> Int { ownWritten[i] ? offsets[i] + localCount : offsets[i] }
        var kept = [Int](repeating: -1, count: n)
        cache?.makeRoom(for: n)
        if let cache, T == 9 {
            for i in 0..<n { kept[i] = cache.start(of: features.localKeys[i]) ?? -1 }
        }
        for i in 0..<n where !ownWritten[i] {
            precondition(kept[i] >= 0, "a token's own features were skipped but its sums are not kept")
        }
        var rows = [Int32](repeating: -1, count: hashes.count)
        rows.withUnsafeMutableBufferPointer { rp in
            hashes.withUnsafeBufferPointer { hp in
                for i in 0..<n {
                    let from = kept[i] >= 0 ? othersStart(i) : offsets[i]
                    for j in from..<offsets[i + 1] {
                        let key = hp[j]
                        rp[j] = filter.mayContain(key) ? Int32(truncatingIfNeeded: table.row(key)) : -1
                    }
                }
            }
        }
        both.withUnsafeBufferPointer { w in
            rows.withUnsafeBufferPointer { rp in
                e1.withUnsafeMutableBufferPointer { p1 in
                    e2.withUnsafeMutableBufferPointer { p2 in
                        if T == 9 {
                            // The tag set's size: each token's sums stay in registers (eight lanes and one), added
                            // feature by feature in the same order as below, so the sums are the same.
                            let raw = UnsafeRawPointer(w.baseAddress!)
                            for i in 0..<n {
                                var a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
                                var b1: Float = 0, b2: Float = 0
                                @inline(__always) func add(_ js: Range<Int>) {
                                    for j in js {
                                        let r = Int(rp[j])
                                        if r < 0 { continue }
                                        let wr = r * 18
                                        a1 += raw.loadUnaligned(fromByteOffset: wr * 4, as: SIMD8<Float>.self)
                                        b1 += w[wr + 8]
                                        a2 += raw.loadUnaligned(fromByteOffset: (wr + 9) * 4, as: SIMD8<Float>.self)
                                        b2 += w[wr + 17]
                                    }
                                }
                                // The token's own features first (from the cache when it has them), then the rest,
                                // so the sums are made in the same order either way.
                                let local = offsets[i]..<othersStart(i)
                                let key = features.localKeys[i]
                                if kept[i] >= 0 {
                                    // Kept before this sentence: the cache is not emptied while it is tagged.
                                    let start = kept[i]
                                    cache!.sums.withUnsafeBufferPointer { c in
                                        let craw = UnsafeRawPointer(c.baseAddress!)
                                        a1 = craw.loadUnaligned(fromByteOffset: start * 4, as: SIMD8<Float>.self)
                                        b1 = c[start + 8]
                                        a2 = craw.loadUnaligned(fromByteOffset: (start + 9) * 4, as: SIMD8<Float>.self)
                                        b2 = c[start + 17]
                                    }
                                } else {
                                    add(local)
                                    if cache?.start(of: key) == nil { cache?.keep(key, a1, b1, a2, b2) }
                                }
                                add(local.upperBound..<offsets[i + 1])
                                let base = i * 9
                                UnsafeMutableRawPointer(p1.baseAddress! + base).storeBytes(
                                    of: a1, as: SIMD8<Float>.self)
                                p1[base + 8] = b1
                                UnsafeMutableRawPointer(p2.baseAddress! + base).storeBytes(
                                    of: a2, as: SIMD8<Float>.self)
                                p2[base + 8] = b2
                            }
                            return
                        }
                        for i in 0..<n {
                            let base = i * T
                            for j in offsets[i]..<offsets[i + 1] {
                                let r = Int(rp[j])
                                if r < 0 { continue }
                                let wr = r * 2 * T
                                for t in 0..<T {
                                    p1[base + t] += w[wr + t]
                                    p2[base + t] += w[wr + T + t]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (e1, e2)
    }

    /// The second pass's tags, given its sentence emissions and the document's context.
    func secondPass(_ emissions: [Float], _ features: TokenFeatures, _ context: DocumentContext) -> [Int] {
        let T = EntityTags.count
        var e = emissions
        @inline(__always) func add(_ feature: UInt64, _ i: Int) {
            guard filter.mayContain(feature) else { return }
            let r = table.row(feature)
            if r < 0 { return }
            for t in 0..<T { e[i * T + t] += both[r * 2 * T + T + t] }
        }
        for i in 0..<features.count {
            let (a, b) = TokenFeatures.documentFeatures(lower: features.lowers[i], shape: features.shapes[i], context)
            add(a, i)
            add(b, i)
        }
        return LinearTagger.viterbi(e, n: features.count, transitions: secondTransitions)
    }
}
