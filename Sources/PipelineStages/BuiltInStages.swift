import PipelineCore

/// The stages that ship with pipeline.
public enum BuiltInStages {
    /// Every built-in stage type, grouped by kind.
    public static let all: [any Stage.Type] = [
        FilesLoader.self, JSONLLoader.self, CSVLoader.self,
        SentencesStage.self, TokensStage.self,
        LeadSummarizer.self,
        JSONLWriter.self, CSVWriter.self,
    ]

    /// A registry holding the built-in stages; add custom ones with ``StageRegistry/register(_:)-(any Stage.Type)``.
    public static var registry: StageRegistry {
        var r = StageRegistry(all)
        for f in commandFactories { r.register(f) }
        return r
    }
}
