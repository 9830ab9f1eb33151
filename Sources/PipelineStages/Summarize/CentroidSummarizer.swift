import PipelineCore

/// `summarize centroid`: sentences closest (TF-IDF cosine) to the document's centroid, chosen with maximal marginal
/// relevance (Carbonell & Goldstein 1998): each pick weighs closeness to the centroid (`lambda`) against similarity to
/// the sentences already chosen.
public struct CentroidSummarizer: GraphSummarizerStage {
    static let settingsGroup = Group(GraphSummarizerSettings.self)
    static let lambda = StageOption<Double>(
        "lambda", default: 0.7, range: 0...1,
        help: "MMR trade-off: 1 ranks by the centroid only, lower values avoid repetition")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "centroid",
        help: "sentences closest to the TF-IDF centroid, redundancy removed by MMR (the first 1,000 sentences)",
        options: [settingsGroup, lambda], requires: [.sentences], provides: [.summary])

    let settings: GraphSummarizerSettings
    let method: GraphSummary.Method

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws {
        settings = try options[Self.settingsGroup]
        method = .centroid(lambda: options[Self.lambda])
    }
}
