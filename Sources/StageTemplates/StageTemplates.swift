import PipelineCore

/// The templates `Scripts/new-stage` copies into a new package, one per kind. They are compiled and tested with this
/// package, so they always match the stage API.
public enum StageTemplates {
    /// Every template, by kind.
    public static let all: [StageKind: any Stage.Type] = [
        .load: ExampleLoader.self, .extract: ExampleExtractor.self, .summarize: ExampleSummarizer.self,
        .stance: ExampleStanceScorer.self, .write: ExampleWriter.self,
    ]
}
