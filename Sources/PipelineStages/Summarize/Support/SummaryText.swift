import PipelineCore

/// The text of an extractive summary: the chosen sentences' bytes joined by single spaces.
enum SummaryText {
    /// Sets `document.summary`: `choose` scores the sentences of the document's text (its UTF-8 bytes) and picks
    /// them; the chosen sentences keep their scores (rounded to 6 decimals) and their text is joined.
    static func summarize(
        _ document: inout Document,
        _ choose: (UnsafeBufferPointer<UInt8>, [Span]) -> (chosen: [Int], scores: [Double])
    ) {
        let sentences = document.sentences ?? []
        var text = document.text
        let (chosen, scores, summaryText): ([Int], [Double], String) = text.withUTF8 { buf in
            let (chosen, scores) = choose(buf, sentences)
            return (
                chosen, chosen.map { (scores[$0] * 1e6).rounded() / 1e6 },
                join(buf, sentences: sentences, chosen: chosen)
            )
        }
        document.summary = Summary(sentences: chosen, text: summaryText, scores: scores)
    }

    /// The bytes of `sentences[chosen]` joined by single spaces.
    static func join(_ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], chosen: [Int]) -> String {
        var offsets = ScalarOffsets(buf)
        var out: [UInt8] = []
        for i in chosen {
            let a = offsets.byte(atScalar: sentences[i].start, in: buf)
            let b = max(a, offsets.byte(atScalar: sentences[i].end, in: buf))
            if !out.isEmpty { out.append(0x20) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[a..<b]))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
