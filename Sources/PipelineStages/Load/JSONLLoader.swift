import PipelineCore

/// `load jsonl`: one JSON document per line (schema v1, or any JSON objects with the field mapping), from files,
/// folders, globs, `.gz` files or stdin.
public struct JSONLLoader: LoadStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "jsonl",
        help: "JSON Lines documents from a file, folder, glob or stdin (-); .gz read transparently",
        options: [Self.input, Self.mapping, Self.layers],
        provides: [.text, .title, .date])

    static let input = Group(InputPath.self)
    /// `id=`, `text=`, `title=`, `date=`, `source=`.
    static let mapping = Group(FieldMapping.self)
    static let layers = StageOption<[String]>(
        "layers", default: [],
        help: "annotation layers the input already carries (e.g. [\"sentences\"]), for requires checks")

    let files: [String]
    /// The folder entries not read (FIFOs, devices), reported before the documents.
    let listing: InputFiles.Listing
    let decoder: DocumentDecoder
    let carried: [Layer]

    /// Builds the loader; fails when `path` matches no file.
    public init(options: StageOptions, context: StageContext) throws {
        listing = try InputFiles.expand(try options[Self.input].path, extensions: [".jsonl", ".ndjson", ".json"])
        files = listing.files
        decoder = DocumentDecoder(mapping: try options[Self.mapping])
        carried = options[Self.layers].map { Layer($0) }
    }

    /// Text, title, date and the layers named by `layers`.
    public var provides: [Layer] { Self.descriptor.provides + carried }

    /// Opens the first file.
    public func makeReader() throws -> any DocumentReader {
        listing.reader(Reader(files: files, decoder: decoder, total: InputFiles.totalSize(files)))
    }

    struct Reader: DocumentReader {
        let files: [String]
        /// The decoder, in a box: each record's decoding closure holds one reference instead of a copy of its fields.
        let decoder: DecoderBox
        let total: Int?
        var index = 0
        var lines: LineReader?
        var doneBytes = 0

        init(files: [String], decoder: DocumentDecoder, total: Int?) {
            self.files = files
            self.decoder = DecoderBox(decoder)
            self.total = total
        }

        var progress: (bytesRead: Int, totalBytes: Int?) { (doneBytes + (lines?.bytesRead ?? 0), total) }

        mutating func next() throws -> LoadedRecord? {
            while index < files.count {
                let file = files[index]
                if lines == nil { lines = LineReader(stream: try InputFiles.open(file)) }
                let decoder = self.decoder
                let line: Line?
                do {
                    line = try lines!.nextLine()
                } catch {
                    lines!.close()
                    lines = nil
                    index += 1
                    // The file cannot be read further (e.g. truncated .gz): a failure of the rest of that file.
                    return LoadedRecord(
                        origin: RecordOrigin(file: file, line: 0),
                        content: .failure(id: nil, message: "\(error)"))
                }
                var record: LoadedRecord?
                if var line {
                    let n = lines!.lineNumber
                    if n == 1 && line.withBytes({ $0.starts(with: [0xEF, 0xBB, 0xBF]) }) {
                        line.range = line.range.dropFirst(3)
                    }
                    let origin = RecordOrigin(file: file, line: n)
                    if line.withBytes({ $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
                        record = LoadedRecord(
                            origin: origin,
                            content: .failure(
                                id: nil, message: "blank line: every line must hold one JSON document"))
                    } else {
                        let line = line
                        record = LoadedRecord(
                            origin: origin,
                            content: .pending({
                                try line.withBytes {
                                    try decoder.decoder.decode($0, fallbackID: FallbackID.make(file: file, line: n))
                                }
                            }))
                    }
                }
                if let record { return record }
                doneBytes += lines!.bytesRead
                lines!.close()
                lines = nil
                index += 1
            }
            return nil
        }
    }
}

/// A document decoder shared by reference.
final class DecoderBox: Sendable {
    let decoder: DocumentDecoder

    init(_ decoder: DocumentDecoder) { self.decoder = decoder }
}
