/// The features of one target mention for the stance model, as hashes: the words to its left and right by distance
/// bucket (1, 2–3, 4–7, 8+), the two words on each side as bigrams, every word of the sentence, the mention's own
/// words (target-level stance), a negator just before it, whether it stands in a quotation, and the lexicon's words
/// near it by valence sign.
enum StanceFeatures {
    static func bucket(_ d: Int) -> Int { d <= 1 ? 1 : (d <= 3 ? 2 : (d <= 7 ? 3 : 4)) }

    static func hash(_ parts: String...) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for p in parts {
            for b in p.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            h = (h ^ 0x1F) &* 0x100_0000_01B3
        }
        return h
    }

    /// Features of the mention at tokens `first...last` of a sentence of lower-cased `words`.
    static func compute(words: [String], first: Int, last: Int, inQuote: Bool, lexicon: StanceLexicon) -> [UInt64] {
        var out: [UInt64] = [hash("bias")]
        for (i, w) in words.enumerated() where i < first || i > last {
            let left = i < first
            let d = left ? first - i : i - last
            out.append(hash(left ? "L" : "R", String(bucket(d)), w))
            out.append(hash("U", w))
            if let e = lexicon[w] {
                switch e.kind {
                case .valence, .conflict, .cooperation:
                    let sign = e.value > 0.3 ? "+" : (e.value < -0.3 ? "-" : "0")
                    out.append(hash("LEX", left ? "L" : "R", String(bucket(d)), sign, e.kind.rawValue))
                case .negator where left && d <= 3:
                    out.append(hash("NEG"))
                default: break
                }
            }
        }
        if first >= 2 { out.append(hash("LB", words[first - 2], words[first - 1])) }
        if first >= 1 { out.append(hash("L1", words[first - 1])) }
        if last + 2 < words.count { out.append(hash("RB", words[last + 1], words[last + 2])) }
        if last + 1 < words.count { out.append(hash("R1", words[last + 1])) }
        for i in first...last { out.append(hash("M", words[i])) }
        if inQuote { out.append(hash("QUOTE")) }
        out.append(hash("POS", first == 0 ? "start" : (Double(first) / Double(max(1, words.count)) < 0.5 ? "early" : "late")))
        return out
    }
}
