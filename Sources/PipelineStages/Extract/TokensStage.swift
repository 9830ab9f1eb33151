import PipelineCore

/// `extract tokens`: word and punctuation tokens (see ``Tokenizer``).
public struct TokensStage: ExtractStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "tokens",
        help: "word, number and punctuation tokens (Penn Treebank style clitics, dotted abbreviations kept)",
        options: [Self.punctuation],
        requires: [.text], provides: [.tokens])

    static let punctuation = StageOption<Bool>("punctuation", default: true, help: "keep punctuation marks as tokens")

    let tokenizer = Tokenizer()
    let keepPunctuation: Bool

    /// Builds the stage.
    public init(options: StageOptions, context: StageContext) throws {
        keepPunctuation = options[Self.punctuation]
    }

    /// Sets `document.tokens`.
    public func process(_ document: inout Document) throws {
        var text = document.text
        let keep = keepPunctuation
        document.tokens = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            if keep && offsets.isASCII { return tokenizer.asciiSpans(buf) }
            let ranges = tokenizer.tokenize(buf)
            var spans: [Span] = []
            spans.reserveCapacity(ranges.count)
            for r in ranges {
                if !keep {
                    let (u, _) = ByteClass.scalar(buf, r.lowerBound)
                    if !ByteClass.isWordScalar(u) { continue }
                }
                spans.append(
                    Span(
                        start: offsets.scalar(atByte: r.lowerBound, in: buf),
                        end: offsets.scalar(atByte: r.upperBound, in: buf)))
            }
            return spans
        }
    }
}
