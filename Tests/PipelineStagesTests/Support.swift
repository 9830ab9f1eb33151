import Foundation
import Testing
@testable import PipelineCore
@testable import PipelineStages

/// A temporary folder removed when the value is dropped.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// gzip-compresses `text` with the system's gzip.
    func gzip(_ name: String, _ text: String) throws -> String {
        let plain = try write(name, text)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", plain]
        try p.run()
        p.waitUntilExit()
        return plain + ".gz"
    }
}

/// Builds a pipeline from text with the built-in stages.
func builtPipeline(_ text: String, file: String = "t.pipe", settings: BuildSettings = BuildSettings()) throws -> Pipeline {
    let o = PipelineBuilder(registry: BuiltInStages.registry).build(PipelineDefinition.parse(text: text, file: file),
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
