import PipelineCore

/// `summarize centroid`: sentences closest (TF-IDF cosine) to the document's centroid, chosen with maximal marginal
/// relevance (Carbonell & Goldstein 1998): each pick weighs closeness to the centroid (`lambda`) against similarity to
/// the sentences already chosen.
public struct CentroidSummarizer: SummarizeStage {
    static let length = Group(SummaryLength.self)
    static let language = StageOption<String>("language", default: "english", type: .oneOf(Stemmer.languages),
                                              help: "the stemmer's language")
    static let group = StageOption<String?>("group", help: "summarise consecutive documents sharing this field (id, title, source, date or a meta field) together, on the first of them")
    static let lambda = StageOption<Double>("lambda", default: 0.7, range: 0...1,
                                            help: "MMR trade-off: 1 ranks by the centroid only, lower values avoid repetition")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "centroid",
        help: "sentences closest to the TF-IDF centroid, redundancy removed by MMR (the first 1,000 sentences)",
        options: [length, language, group, lambda], requires: [.sentences], provides: [.summary])

    let method: GraphSummary.Method
    let lengthValue: SummaryLength
    let languageName: String
    /// `group=`: the field that groups documents for one summary.
    public let groupField: String?

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws {
        lengthValue = try options[Self.length]
        method = .centroid(lambda: options[Self.lambda])
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
