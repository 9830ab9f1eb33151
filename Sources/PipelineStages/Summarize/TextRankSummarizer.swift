import PipelineCore

/// `summarize textrank`: sentences ranked by PageRank over a graph whose edges are the stemmed content words two
/// sentences share, normalised by their lengths (Mihalcea & Tarau 2004).
public struct TextRankSummarizer: GraphSummarizerStage {
    static let settingsGroup = Group(GraphSummarizerSettings.self)

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "textrank",
        help: "PageRank over word-overlap similarity of sentences (dense graph of the first 1,000 sentences)",
        options: [settingsGroup], requires: [.sentences], provides: [.summary])

    let settings: GraphSummarizerSettings
    let method = GraphSummary.Method.textrank

    /// Reads the options; checks the stemmer.
    public init(options: StageOptions, context: StageContext) throws { settings = try options[Self.settingsGroup] }
}
