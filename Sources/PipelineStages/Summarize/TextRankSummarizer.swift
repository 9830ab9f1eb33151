import PipelineCore

/// `summarize textrank`: sentences ranked by PageRank over a graph whose edges are the stemmed content words two
/// sentences share, normalised by their lengths (Mihalcea & Tarau 2004).
public struct TextRankSummarizer: SummarizeStage {
    static let length = Group(SummaryLength.self)
    static let language = StageOption<String>("language", default: "english", type: .oneOf(Stemmer.languages),
                                              help: "the stemmer's language")
    static let group = StageOption<String?>("group", help: "summarise consecutive documents sharing this field (id, title, source, date or a meta field) together, on the first of them")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "textrank",
        help: "PageRank over word-overlap similarity of sentences (dense graph of the first 1,000 sentences)",
        options: [length, language, group], requires: [.sentences], provides: [.summary])

    let method = GraphSummary.Method.textrank
    let lengthValue: SummaryLength
    let languageName: String
    /// `group=`: the field that groups documents for one summary.
    public let groupField: String?

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws {
        lengthValue = try options[Self.length]
        languageName = options[Self.language]
        groupField = options[Self.group].flatMap { $0.isEmpty ? nil : $0 }
        guard StemCache(language: languageName) != nil else {
            throw StageConfigurationError("libstemmer has no '\(languageName)' stemmer", option: Self.language.name)
        }
    }

    /// A worker with its own stemmer.
    public func makeWorker() throws -> any TransformWorker {
        GraphSummary.Worker(method: method, length: lengthValue, stems: StemCache(language: languageName)!)
    }

    /// Summarises with a worker of its own.
    public func process(_ document: inout Document) throws {
        var w = try makeWorker()
        try w.process(&document)
    }
}
