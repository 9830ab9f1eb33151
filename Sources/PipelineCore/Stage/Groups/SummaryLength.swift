/// How long a summary is, shared by every `summarize` stage: `sentences=K` (default 3), `ratio=R` of the document's
/// sentences, or `words=N`; at most one of them may be given.
public enum SummaryLength: StageOptionGroup, Hashable {
    /// A fixed number of sentences.
    case sentences(Int)
    /// A share of the document's sentences (rounded, at least one).
    case ratio(Double)
    /// Sentences up to a word budget (at least one sentence).
    case words(Int)

    /// `sentences=K`.
    public static let sentencesOption = StageOption<Int>(
        "sentences", default: 3, range: 1...10_000,
        help: "how many sentences")
    /// `ratio=R`.
    public static let ratioOption = StageOption<Double?>(
        "ratio", range: 0.001...1,
        help: "share of the sentences instead (rounded, at least 1)")
    /// `words=N`.
    public static let wordsOption = StageOption<Int?>(
        "words", range: 1...1_000_000,
        help: "a word budget instead (whole sentences, at least 1)")

    /// The group's options.
    public static let options: [any OptionDeclaring] = [sentencesOption, ratioOption, wordsOption]

    /// Reads the length; more than one of `sentences`, `ratio` and `words` is an error.
    public init(options: StageOptions) throws {
        let ratio = options[Self.ratioOption]
        let words = options[Self.wordsOption]
        let given = [
            options.isExplicit(Self.sentencesOption) ? "sentences=K" : nil, ratio.map { _ in "ratio=R" },
            words.map { _ in "words=N" },
        ].compactMap { $0 }
        if given.count > 1 {
            let at = words != nil ? Self.wordsOption.name : Self.ratioOption.name
            throw StageConfigurationError(
                "give one of sentences=K, ratio=R or words=N, not \(given.joined(separator: " and "))",
                option: at)
        }
        if let ratio {
            self = .ratio(ratio)
        } else if let words {
            self = .words(words)
        } else {
            self = .sentences(options[Self.sentencesOption])
        }
    }

    /// How many sentences to choose from a document, given the word count of each candidate sentence in the order
    /// they would be taken (for `words=N`: whole sentences while the budget lasts, at least one).
    public func count(wordCounts: [Int]) -> Int {
        let n = wordCounts.count
        guard n > 0 else { return 0 }
        switch self {
        case .sentences(let k): return min(k, n)
        case .ratio(let r): return min(n, max(1, Int((r * Double(n)).rounded())))
        case .words(let budget):
            var used = 0
            var k = 0
            while k < n && (k == 0 || used + wordCounts[k] <= budget) {
                used += wordCounts[k]
                k += 1
            }
            return k
        }
    }
}
