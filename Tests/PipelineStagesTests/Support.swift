import Foundation
@_exported import TestSupport
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Builds a pipeline from text with the built-in stages.
func builtPipeline(
    _ text: String, file: String = "t.pipe", settings: BuildSettings = BuildSettings()
) throws -> Pipeline {
    let o = PipelineBuilder(registry: BuiltInStages.registry).build(
        PipelineDefinition.parse(text: text, file: file),
        settings: settings)
    return try #require(o.pipeline, "\(o.diagnostics)")
}

/// Reads every record of a loader stage.
func loadAll(_ pipe: String) throws -> [ProcessedRecord] {
    let p = try builtPipeline(pipe + "\nwrite jsonl path=\"-\"\n")
    return try p.loaders.flatMap { try StageExecutor.load($0, limit: nil) }
}

extension ProcessedRecord {
    var document: Document? { if case .document(let d, _) = self { return d } else { return nil } }
    var failure: DocumentFailure? { if case .failure(let f) = self { return f } else { return nil } }
}

/// Decodes every line of a JSONL file.
func readJSONL(_ path: String) throws -> [Document] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try Document(jsonText: String($0)) }
}
