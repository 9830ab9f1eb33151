import PipelineCore

/// `summarize lexrank`: sentences ranked by PageRank over their TF-IDF cosine similarity (Erkan & Radev 2004): an edge
/// where the cosine passes `threshold=`, weighted by it with `continuous=true`.
public struct LexRankSummarizer: GraphSummarizerStage {
    static let settingsGroup = Group(GraphSummarizerSettings.self)
    static let threshold = StageOption<Double>(
        "threshold", default: 0.1, range: 0...1,
        help: "cosine similarity above which two sentences are linked")
    static let continuous = StageOption<Bool>(
        "continuous", default: false,
        help: "weight the links by their similarity (continuous LexRank)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "lexrank",
        help: "PageRank over TF-IDF cosine similarity of sentences (dense graph of the first 1,000 sentences)",
        options: [settingsGroup, threshold, continuous], requires: [.sentences], provides: [.summary])

    let settings: GraphSummarizerSettings
    let method: GraphSummary.Method

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws {
        settings = try options[Self.settingsGroup]
        method = .lexrank(threshold: options[Self.threshold], continuous: options[Self.continuous])
    }
}
