import PipelineCore

/// `write example path=FILE`: one line per document, `id<TAB>title`, written atomically. A starting point: replace
/// `write` with your own output.
public struct ExampleWriter: WriteStage {
    /// `path=`: the shared output group, so `--output` replaces it.
    static let output = Group(OutputPath.self)

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "example", help: "id and title, one document per line", options: [output])

    let path: String

    /// Reads the options once.
    public init(options: StageOptions, context: StageContext) throws {
        path = try options[Self.output].path
    }

    /// Opens the output.
    public func makeWriter() throws -> any DocumentWriter { try Writer(path: path) }

    final class Writer: DocumentWriter {
        let file: AtomicFile
        init(path: String) throws { file = try AtomicFile(path: path) }
        var destination: String? { file.path == "-" ? nil : file.path }
        func write(_ document: Document) throws {
            try file.write(Array("\(document.id)\t\(document.title ?? "")\n".utf8))
        }
        func finish() throws { try file.commit() }
        func abort() { file.discard() }
    }
}
