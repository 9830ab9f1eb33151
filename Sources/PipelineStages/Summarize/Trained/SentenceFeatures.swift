import PipelineCore

/// The features the trained summarizer scores a sentence by: where it is, how long it is, how central it is under
/// TextRank, LexRank and the centroid, how much it shares with the title, and what it holds (capitalised names,
/// numbers, a quotation). The same function serves training and summarizing.
enum SentenceFeatures {
    static let names = [
        "bias", "position", "first", "lead3", "inverse position", "length", "short", "paragraph start",
        "textrank", "lexrank", "centroid", "title overlap", "capitalised", "digits", "quote",
    ]
    static var count: Int { names.count }

    /// One feature vector per sentence of `text` (sentences as code-point spans).
    static func compute(
        _ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], title: String?, stems: inout StemCache
    )
        -> (features: [[Double]], vectors: SentenceVectors)
    {
        let v = SentenceVectors(buf, sentences: sentences, stems: &stems, limit: GraphSummary.maxSentences)
        let n = v.count
        guard n > 0 else { return ([], v) }
        func normalised(_ x: [Double]) -> [Double] {
            let m = x.max() ?? 0
            return m > 0 ? x.map { $0 / m } : x
        }
        let textrank = normalised(GraphSummary.scores(.textrank, v))
        let lexrank = normalised(GraphSummary.scores(.lexrank(threshold: 0.1, continuous: false), v))
        let centroid = GraphSummary.scores(.centroid(lambda: 1), v)
        var titleStems = Set<Int32>()
        if var t = title {
            t.withUTF8 { p in
                let tv = SentenceVectors(p, sentences: [Span(start: 0, end: p.count)], stems: &stems, limit: 1)
                for (id, _) in tv.bags.first ?? [] { titleStems.insert(id) }
            }
        }
        var offsets = ScalarOffsets(buf)
        var out: [[Double]] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let a = offsets.byte(atScalar: sentences[i].start, in: buf)
            let b = max(a, offsets.byte(atScalar: sentences[i].end, in: buf))
            var capitals = 0, digits = 0, quote = 0.0
            var previous: UInt8 = 0x20
            for k in a..<b {
                let c = buf[k]
                if c &- 65 < 26 && (previous == 0x20 || previous == 0x0A) { capitals += 1 }
                if c &- 48 < 10 { digits += 1 }
                if c == 0x22
                    || (c == 0xE2 && k + 2 < b && buf[k + 1] == 0x80 && (buf[k + 2] == 0x9C || buf[k + 2] == 0x9D))
                {
                    quote = 1
                }
                previous = c
            }
            let words = Double(max(1, v.words[i]))
            let paragraphStart = a == 0 || (a >= 2 && buf[a - 1] == 0x0A && buf[a - 2] == 0x0A) ? 1.0 : 0
            let shared = v.bags[i].filter { titleStems.contains($0.id) }.count
            out.append([
                1, Double(i) / Double(max(1, n - 1)), i == 0 ? 1 : 0, i < 3 ? 1 : 0, 1 / Double(i + 1),
                min(words, 60) / 30, words < 8 ? 1 : 0, paragraphStart, textrank[i], lexrank[i], centroid[i],
                titleStems.isEmpty ? 0 : Double(shared) / Double(titleStems.count), Double(capitals) / words,
                Double(min(digits, 20)) / 20, quote,
            ])
        }
        return (out, v)
    }
}
