/// The features of one target mention for the stance model, as hashes: the words to its left and right by distance
/// bucket (1, 2–3, 4–7, 8+), the two words on each side as bigrams, every word of the sentence, the mention's own
/// words (target-level stance), a negator just before it, whether it stands in a quotation, its position, and the
/// hand-written lexicon's words near it by sign (flipped after a negator) and its distance-weighted tone in eight bins.
/// Word hashes are computed once per word and mixed with the template number.
enum StanceFeatures {
    static func bucket(_ d: Int) -> UInt64 { d <= 1 ? 1 : (d <= 3 ? 2 : (d <= 7 ? 3 : 4)) }

    /// FNV-1a of a word.
    static func wordHash(_ text: String) -> UInt64 {
        // Over the contiguous bytes (iterating a string's UTF-8 view byte by byte was most of the cost).
        var bytes = text
        return bytes.withUTF8 { buf in
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in buf { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            return h
        }
    }

    @inline(__always) static func mix(_ template: UInt64, _ a: UInt64, _ b: UInt64 = 0) -> UInt64 {
        TokenFeatures.mix(template, a &* 0x9E37_79B9 &+ b)
    }

    /// Where a mention feature comes from, for the "why" view: a word of the sentence (its index), or one of these.
    enum Origin {
        static let prior = -1, quotation = -2, position = -3, tone = -4
    }

    /// Features of the mention at tokens `first...last` of a sentence of lower-cased `words` (with their hashes).
    static func compute(
        words: ArraySlice<String>, hashes: ArraySlice<UInt64>, first: Int, last: Int, inQuote: Bool,
        lexicon: StanceLexicon
    ) -> [UInt64] {
        traced(
            hashes: hashes, entries: zip(words, hashes).map { lexicon.entry($0, hash: $1) }[...], first: first,
            last: last, inQuote: inQuote, trace: false
        ).features
    }

    /// ``compute(words:hashes:first:last:inQuote:lexicon:)`` for words whose lexicon entries are known (`entries[i]`:
    /// the entry of the word of `hashes[i]`, if any), and with `trace` each feature's ``Origin`` (a word index within
    /// the sentence, or a negative code).
    static func traced(
        hashes: ArraySlice<UInt64>, entries: ArraySlice<StanceLexicon.Entry?>, first: Int, last: Int, inQuote: Bool,
        trace: Bool
    ) -> (features: [UInt64], origins: [Int]) {
        let h = Array(hashes), entries = Array(entries)
        var out: [UInt64] = []
        var origins: [Int] = []
        out.reserveCapacity(3 * h.count + 12)
        func add(_ f: UInt64, _ origin: Int) {
            out.append(f)
            if trace { origins.append(origin) }
        }
        add(mix(1, 0), Origin.prior)
        var tone = 0.0
        for i in h.indices where i < first || i > last {
            let left = i < first
            let d = left ? first - i : i - last
            add(mix(left ? 2 : 3, bucket(d), h[i]), i)
            add(mix(4, h[i]), i)
            if let e = entries[i] {
                switch e.kind {
                case .valence, .conflict, .cooperation:
                    let negated = (max(0, i - 3)..<i).contains { entries[$0]?.kind == .negator }
                    let v = negated ? -e.value : e.value
                    tone += v / (1 + Double(d) / 5)
                    let sign: UInt64 = v > 0.3 ? 1 : (v < -0.3 ? 2 : 3)
                    add(
                        mix(
                            5, (left ? 10 : 20) &+ bucket(d),
                            sign &* 16 &+ UInt64(e.kind == .conflict ? 1 : (e.kind == .cooperation ? 2 : 3))), i)
                case .negator where left && d <= 3:
                    add(mix(6, 0), i)
                default: break
                }
            }
        }
        if first >= 2 { add(mix(7, h[first - 2], h[first - 1]), first - 1) }
        if first >= 1 { add(mix(8, h[first - 1]), first - 1) }
        if last + 2 < h.count { add(mix(9, h[last + 1], h[last + 2]), last + 1) }
        if last + 1 < h.count { add(mix(10, h[last + 1]), last + 1) }
        for i in first...last { add(mix(11, h[i]), i) }
        if inQuote { add(mix(12, 0), Origin.quotation) }
        add(mix(13, first == 0 ? 0 : (Double(first) / Double(max(1, h.count)) < 0.5 ? 1 : 2)), Origin.position)
        // The lexicon's proximity-weighted tone around the mention, in bins.
        let bins: [Double] = [-1.5, -0.8, -0.4, -0.15, 0.15, 0.4, 0.8, 1.5]
        add(mix(14, UInt64(bins.firstIndex { tone < $0 } ?? bins.count)), Origin.tone)
        return (out, origins)
    }

    /// Features of a whole document toward a named target it need not mention (document-level models), all joined
    /// with the target (what argues for or against one target says little about another): the target itself, every
    /// word, adjacent word pair, and character 3- to 5-gram of the lower-cased words (which catch hashtags and
    /// spelling variants).
    static func document(words: [String], hashes h: [UInt64], target: String) -> [UInt64] {
        let t = wordHash(target.lowercased())
        var out: [UInt64] = [mix(30, t)]
        out.reserveCapacity(8 * h.count + 1)
        for i in h.indices {
            out.append(mix(32, t, h[i]))
            if i + 1 < h.count { out.append(mix(34, t, h[i] &* 0x100_0000_01B3 ^ h[i + 1])) }
        }
        var chars: [UInt8] = [32]
        for w in words { chars.append(contentsOf: w.utf8); chars.append(32) }
        for n in 3...5 where chars.count >= n {
            for i in 0...(chars.count - n) {
                var g: UInt64 = 0xCBF2_9CE4_8422_2325
                for b in chars[i..<(i + n)] { g = (g ^ UInt64(b)) &* 0x100_0000_01B3 }
                out.append(mix(35, t, g))
            }
        }
        return out
    }
}
