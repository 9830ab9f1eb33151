import PipelineCore

/// The stages that ship with pipeline.
public enum BuiltInStages {
    /// Every built-in stage type, grouped by kind.
    public static let all: [any Stage.Type] = [
        FilesLoader.self, JSONLLoader.self, CSVLoader.self, HTMLLoader.self, FeedLoader.self,
        SentencesStage.self, TokensStage.self, EntitiesStage.self, DatesStage.self, QuotesStage.self,
        KeyphrasesStage.self, EventsStage.self,
        LeadSummarizer.self, TextRankSummarizer.self, LexRankSummarizer.self, CentroidSummarizer.self,
        TrainedSummarizer.self,
        LexiconStanceStage.self, ModelStanceStage.self, EncoderStanceStage.self,
        JSONLWriter.self, CSVWriter.self, SQLiteWriter.self, ReportWriter.self,
    ]

    /// A registry holding the built-in stages; add custom ones with ``StageRegistry/register(_:)-(any Stage.Type)``.
    public static var registry: StageRegistry {
        do {
            var r = try StageRegistry(all)
            for f in commandFactories { try r.register(f) }
            return r
        } catch {
            // The built-in stages are checked by the test suite; this cannot happen in a released build.
            preconditionFailure("built-in stages: \(error)")
        }
    }
}
