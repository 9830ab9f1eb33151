import PipelineCore

/// `write __NAME__ path=FILE`: one line per document, `id<TAB>title`, written atomically. A starting point: replace
/// `write` with your own output.
public struct __TYPE__: WriteStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "__NAME__", help: "id and title, one document per line",
        options: [OptionSpec("path", .path, required: true, help: "output file")])

    let path: String

    /// Reads the options once.
    public init(options: StageOptions, context: StageContext) throws {
        path = options.string("path") ?? "-"
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
