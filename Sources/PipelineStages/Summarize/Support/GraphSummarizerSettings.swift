import PipelineCore

/// The options every graph and centroid summarizer takes — the length, the stemmer's language and `group=` — read and
/// checked once; the stages add their method's own options.
struct GraphSummarizerSettings: StageOptionGroup {
    static let length = Group(SummaryLength.self)
    static let language = StageOption<String>(
        "language", default: "english", type: .oneOf(Stemmer.languages),
        help: "the stemmer's language")
    static let group = StageOption<String?>(
        "group",
        help:
            "summarise consecutive documents sharing this field (id, title, source, date or a meta field) together, on the first of them"
    )
    static let options: [any OptionDeclaring] = [length, language, group]

    let length: SummaryLength
    let language: String
    let groupField: String?

    /// Reads the options; checks that libstemmer has the language.
    init(options: StageOptions) throws {
        length = try options[Self.length]
        language = options[Self.language]
        groupField = options[Self.group].flatMap { $0.isEmpty ? nil : $0 }
        guard StemCache(language: language) != nil else {
            throw StageConfigurationError("libstemmer has no '\(language)' stemmer", option: Self.language.name)
        }
    }
}

/// A graph or centroid summarizer: its settings and its method give its workers, its grouping and its
/// per-document processing.
protocol GraphSummarizerStage: SummarizeStage, WorkerBackedStage {
    var settings: GraphSummarizerSettings { get }
    var method: GraphSummary.Method { get }
}

extension GraphSummarizerStage {
    /// `group=`: the field that groups documents for one summary.
    public var groupField: String? { settings.groupField }

    /// A worker with its own stemmer.
    public func makeWorker() throws -> any TransformWorker {
        GraphSummary.Worker(method: method, length: settings.length, stems: StemCache(language: settings.language)!)
    }
}
