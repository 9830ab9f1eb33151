import Foundation
import PipelineCore

/// `load example path=FILE`: one document per non-empty line of a text file (id `line-N`). A starting point: replace
/// the reader with your own source.
public struct ExampleLoader: LoadStage {
    /// `path=`: the shared input group, so `--input` replaces it.
    static let input = Group(InputPath.self)

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "example", help: "one document per line of a text file",
        options: [input], provides: [.text])

    let path: String

    /// Checks that the file exists (`pipeline check` runs this too).
    public init(options: StageOptions, context: StageContext) throws {
        path = try options[Self.input].path
        guard FileManager.default.fileExists(atPath: path) else {
            throw StageConfigurationError("'\(path)' does not exist", option: InputPath.pathOption.name)
        }
    }

    /// Reads the file.
    public func makeReader() throws -> any DocumentReader {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Reader(path: path, lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    struct Reader: DocumentReader {
        let path: String
        let lines: [String]
        var index = 0

        mutating func next() throws -> LoadedRecord? {
            while index < lines.count {
                index += 1
                let line = lines[index - 1]
                if line.isEmpty { continue }
                return LoadedRecord(
                    origin: RecordOrigin(file: path, line: index),
                    content: .document(Document(id: "line-\(index)", text: line)))
            }
            return nil
        }
    }
}
