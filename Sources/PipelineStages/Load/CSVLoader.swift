import OrderedCollections
import PipelineCore

/// `load csv`: one document per row of a CSV file with a header row (RFC 4180 quoting); columns are mapped to id,
/// text, title, date and source, and the other columns go to `meta` as strings.
public struct CSVLoader: LoadStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "csv",
        help: "CSV rows with a header row (RFC 4180 quoting); columns mapped to document fields",
        options: [Self.input, Self.mapping, Self.delimiter],
        provides: [.text, .title, .date])

    static let input = Group(InputPath.self)
    /// `id=`, `text=`, `title=`, `date=`, `source=`.
    static let mapping = Group(FieldMapping.self)
    static let delimiter = Group(CSVDelimiter.self)

    let files: [String]
    /// The folder entries not read (FIFOs, devices), reported before the documents.
    let listing: InputFiles.Listing
    let mapping: FieldMapping
    let delimiter: UInt8

    /// Builds the loader; fails when `path` matches no file or the delimiter is not one ASCII character.
    public init(options: StageOptions, context: StageContext) throws {
        listing = try InputFiles.expand(try options[Self.input].path, extensions: [".csv", ".tsv"])
        files = listing.files
        mapping = try options[Self.mapping]
        delimiter = try options[Self.delimiter].byte
    }

    /// Opens the input.
    public func makeReader() throws -> any DocumentReader {
        listing.reader(
            Reader(files: files, mapping: mapping, delimiter: delimiter, total: InputFiles.totalSize(files)))
    }

    struct Reader: DocumentReader {
        let files: [String]
        let mapping: FieldMapping
        let delimiter: UInt8
        let total: Int?
        var index = 0
        var parser: CSVParser?
        var header: [String]?
        var doneBytes = 0

        init(files: [String], mapping: FieldMapping, delimiter: UInt8, total: Int?) {
            self.files = files
            self.mapping = mapping
            self.delimiter = delimiter
            self.total = total
        }

        var progress: (bytesRead: Int, totalBytes: Int?) { (doneBytes + (parser?.bytesRead ?? 0), total) }

        mutating func next() throws -> LoadedRecord? {
            while index < files.count {
                let file = files[index]
                if parser == nil {
                    parser = CSVParser(stream: try InputFiles.open(file), delimiter: delimiter)
                    header = nil
                }
                let row: CSVParser.Row?
                do {
                    row = try parser!.next()
                } catch {
                    endFile()
                    return LoadedRecord(
                        origin: RecordOrigin(file: file), content: .failure(id: nil, message: "\(error)"))
                }
                guard let row else { endFile(); continue }
                switch row {
                case .malformed(let m, let line):
                    if header == nil {
                        endFile()
                        return LoadedRecord(
                            origin: RecordOrigin(file: file, line: line),
                            content: .failure(id: nil, message: "header row: \(m); the file is skipped"))
                    }
                    return LoadedRecord(
                        origin: RecordOrigin(file: file, line: line),
                        content: .failure(id: nil, message: m))
                case .fields(var fields, let line):
                    guard let header else {
                        if let first = fields.first, first.hasPrefix("\u{FEFF}") { fields[0].removeFirst() }
                        let h = fields.map { $0.trimmingWhitespace() }
                        if !h.contains(mapping.text) {
                            endFile()
                            return LoadedRecord(
                                origin: RecordOrigin(file: file, line: line),
                                content: .failure(
                                    id: nil,
                                    message:
                                        "the header has no '\(mapping.text)' column (columns: \(h.joined(separator: ", "))); set text=COLUMN; the file is skipped"
                                ))
                        }
                        self.header = h
                        continue
                    }
                    let origin = RecordOrigin(file: file, line: line)
                    if fields.count == 1 && fields[0].isEmpty { continue }  // empty line between records
                    if fields.count != header.count {
                        return LoadedRecord(
                            origin: origin,
                            content: .failure(
                                id: nil, message: "row has \(fields.count) fields, the header has \(header.count)"))
                    }
                    return LoadedRecord(
                        origin: origin,
                        content: .document(
                            makeDocument(fields, header, FallbackID.make(file: file, line: line)))
                    )
                    .resolvingDate()
                }
            }
            return nil
        }

        private mutating func endFile() {
            doneBytes += parser?.bytesRead ?? 0
            parser?.close()
            parser = nil
            index += 1
        }

        private func makeDocument(_ fields: [String], _ header: [String], _ fallback: String) -> Document {
            var doc = Document(id: fallback, text: "")
            var meta = OrderedDictionary<String, JSONValue>()
            for (name, value) in zip(header, fields) {
                switch name {
                case mapping.id where !value.isEmpty: doc.id = value
                case mapping.text: doc.text = value.replacingCRLF()
                case mapping.title: doc.title = value.isEmpty ? nil : value
                case mapping.source: doc.source = value.isEmpty ? nil : value
                case mapping.date: if !value.isEmpty { doc.date = value }
                default: meta[name] = .string(value)
                }
            }
            doc.meta = meta
            return doc
        }
    }
}

extension LoadedRecord {
    /// Normalises a document's date, turning an unreadable date into a failure of the record.
    func resolvingDate() -> LoadedRecord {
        guard case .document(var d) = content, let raw = d.date else { return self }
        guard let norm = DateNormalizer.normalize(raw) else {
            return LoadedRecord(
                origin: origin,
                content: .failure(
                    id: d.id, message: "date '\(raw)' is not a date (expected YYYY-MM-DD)"))
        }
        d.date = norm
        return LoadedRecord(origin: origin, content: .document(d))
    }
}

extension String {
    /// The string with CRLF and lone CR line ends turned into LF.
    func replacingCRLF() -> String {
        guard utf8.contains(0x0D) else { return self }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var it = utf8.makeIterator()
        var pendingCR = false
        while let b = it.next() {
            if pendingCR {
                pendingCR = false
                out.append(0x0A)
                if b == 0x0A { continue }
            }
            if b == 0x0D { pendingCR = true } else { out.append(b) }
        }
        if pendingCR { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }
}
