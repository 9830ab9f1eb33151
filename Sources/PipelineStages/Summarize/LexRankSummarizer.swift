import PipelineCore

/// `summarize lexrank`: sentences ranked by PageRank over their TF-IDF cosine similarity (Erkan & Radev 2004): an edge
/// where the cosine passes `threshold=`, weighted by it with `continuous=true`.
public struct LexRankSummarizer: SummarizeStage {
    static let length = Group(SummaryLength.self)
    static let language = StageOption<String>("language", default: "english", type: .oneOf(Stemmer.languages),
                                              help: "the stemmer's language")
    static let group = StageOption<String?>("group", help: "summarise consecutive documents sharing this field (id, title, source, date or a meta field) together, on the first of them")
    static let threshold = StageOption<Double>("threshold", default: 0.1, range: 0...1,
                                               help: "cosine similarity above which two sentences are linked")
    static let continuous = StageOption<Bool>("continuous", default: false,
                                              help: "weight the links by their similarity (continuous LexRank)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "lexrank",
        help: "PageRank over TF-IDF cosine similarity of sentences (dense graph of the first 1,000 sentences)",
        options: [length, language, group, threshold, continuous], requires: [.sentences], provides: [.summary])

    let method: GraphSummary.Method
    let lengthValue: SummaryLength
    let languageName: String
    /// `group=`: the field that groups documents for one summary.
    public let groupField: String?

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws {
        lengthValue = try options[Self.length]
        method = .lexrank(threshold: options[Self.threshold], continuous: options[Self.continuous])
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
