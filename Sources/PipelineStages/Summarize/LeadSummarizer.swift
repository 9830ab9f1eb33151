import PipelineCore

/// `summarize lead`: the first sentences of the article, the strong baseline for news, where the most important
/// facts come first.
public struct LeadSummarizer: SummarizeStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "lead",
        help: "the first K sentences (sentences=K), a share of them (ratio=R) or a word budget (words=N)",
        options: [Self.length],
        requires: [.sentences], provides: [.summary])

    /// `sentences=`, `ratio=`, `words=`.
    static let length = Group(SummaryLength.self)

    let length: SummaryLength

    /// Builds the stage; `sentences`, `ratio` and `words` exclude each other.
    public init(options: StageOptions, context: StageContext) throws {
        length = try options[Self.length]
    }

    /// Sets `document.summary`.
    public func process(_ document: inout Document) throws {
        let sentences = document.sentences ?? []
        var text = document.text
        // Join the chosen sentences' bytes with single spaces, then make one string.
        let (chosen, summaryText): ([Int], String) = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(sentences.count)
            for s in sentences {
                let a = offsets.byte(atScalar: s.start, in: buf)
                ranges.append(a..<max(a, offsets.byte(atScalar: s.end, in: buf)))
            }
            let k: Int
            if case .words = length {
                k = length.count(wordCounts: ranges.map { ByteScan.wordCount(UnsafeBufferPointer(rebasing: buf[$0])) })
            } else {
                k = length.count(wordCounts: Array(repeating: 0, count: ranges.count))
            }
            var out: [UInt8] = []
            out.reserveCapacity(k == 0 ? 0 : min(buf.count, 512))
            for r in ranges.prefix(k) {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[r]))
            }
            return (Array(0..<k), String(decoding: out, as: UTF8.self))
        }
        document.summary = Summary(sentences: chosen, text: summaryText)
    }
}
