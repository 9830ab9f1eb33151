import PipelineCore

/// `extract sentences`: sentence spans from a rule-based splitter for news text (see ``SentenceSplitter``).
public struct SentencesStage: ExtractStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "sentences",
        help: "sentence boundaries for news text (abbreviations, initials, quotes, headlines, datelines)",
        options: [Self.newlines],
        requires: [.text], provides: [.sentences])

    static let newlines = StageOption<SentenceSplitter.NewlineMode>(
        "newlines", default: .auto,
        help: "line breaks: auto (detect hard-wrapped text), always (each ends a sentence), never")

    let splitter: SentenceSplitter

    /// Builds the stage.
    public init(options: StageOptions, context: StageContext) throws {
        splitter = SentenceSplitter(newlines: options[Self.newlines])
    }

    /// Sets `document.sentences`.
    public func process(_ document: inout Document) throws {
        var text = document.text
        document.sentences = text.withUTF8 { buf in
            let ranges = splitter.split(buf)
            var offsets = ScalarOffsets(buf)
            if offsets.isASCII { return ranges.map { Span(start: $0.lowerBound, end: $0.upperBound) } }
            return ranges.map { r in
                Span(
                    start: offsets.scalar(atByte: r.lowerBound, in: buf),
                    end: offsets.scalar(atByte: r.upperBound, in: buf))
            }
        }
    }
}
