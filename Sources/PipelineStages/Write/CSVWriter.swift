import OrderedCollections
import PipelineCore

/// `write csv`: one row per document with chosen flattened fields (RFC 4180 quoting), written atomically.
public struct CSVWriter: ResumableWriteStage {
    /// The columns that can be chosen (plus `meta.KEY` for any metadata field).
    public static let columns = [
        "id", "title", "date", "source", "text", "chars", "sentences", "tokens", "entities",
        "actors", "quotes", "keyphrases", "summary", "stances", "events",
    ]

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "csv",
        help: "CSV, one row per document with flattened fields; atomic; - for stdout",
        options: [Self.output, Self.fields, Self.delimiter])

    static let output = Group(OutputPath.self)
    static let fields = StageOption<[String]>(
        "fields", default: ["id", "title", "date", "source", "chars", "sentences", "entities", "summary", "stances"],
        help: "columns: \(columns.joined(separator: ", ")), or meta.KEY")
    static let delimiter = Group(CSVDelimiter.self)

    let path: String
    let fields: [String]
    let delimiter: UInt8

    /// Builds the writer; fails on an unknown column name.
    public init(options: StageOptions, context: StageContext) throws {
        path = try options[Self.output].path
        fields = options[Self.fields]
        for f in fields where !f.hasPrefix("meta.") && !Self.columns.contains(f) {
            throw StageConfigurationError(
                "unknown column '\(f)'\(Suggest.hint(for: f, in: Self.columns)); columns: \(Self.columns.joined(separator: ", ")), meta.KEY",
                option: Self.fields.name)
        }
        if fields.isEmpty {
            throw StageConfigurationError("fields must name at least one column", option: Self.fields.name)
        }
        delimiter = try options[Self.delimiter].byte
    }

    /// Opens the output and writes the header row.
    public func makeWriter() throws -> any DocumentWriter {
        let w = try Writer(path: path, fields: fields, delimiter: delimiter)
        try w.row(fields)
        return w
    }

    /// Opens the output through its partial file: a new one with the header row, or the one of a checkpoint cut back
    /// to its recorded bytes (`state`), which already holds the header.
    public func makeResumableWriter(resuming state: JSONValue?) throws -> any ResumableWriter {
        let w = try Writer(
            path: path, fields: fields, delimiter: delimiter, resumable: true, resumingAt: state?.intValue)
        if state == nil { try w.row(fields) }
        return w
    }

    /// The value of one column for a document.
    static func value(_ field: String, _ document: Document) -> String {
        switch field {
        case "id": return document.id
        case "title": return document.title ?? ""
        case "date": return document.date ?? ""
        case "source": return document.source ?? ""
        case "text": return document.text
        case "chars": return String(document.text.unicodeScalars.count)
        case "sentences": return document.sentences.map { String($0.count) } ?? ""
        case "tokens": return document.tokens.map { String($0.count) } ?? ""
        case "entities":
            return document.entities.map { es in
                es.map { "\($0.canonical ?? $0.text) (\($0.type))" }.joined(separator: "; ")
            }
                ?? ""
        case "actors":
            // Canonical actors (not dates), most mentioned first: "Iraq (6); France (3); Claire Duval (2)".
            guard let es = document.entities else { return "" }
            var counts: [String: Int] = [:]
            var order: [String] = []
            for e in es where e.type != "DATE" {
                let name = e.canonical ?? e.text
                if counts[name] == nil { order.append(name) }
                counts[name, default: 0] += 1
            }
            return order.enumerated().sorted { a, b in
                counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
            }.map { "\($0.element) (\(counts[$0.element]!))" }.joined(separator: "; ")
        case "quotes":
            return document.quotes.map { qs in
                qs.map { ($0.speaker.map { "\($0): " } ?? "") + $0.text }.joined(separator: " | ")
            } ?? ""
        case "keyphrases": return document.keyphrases.map { $0.map(\.text).joined(separator: "; ") } ?? ""
        case "summary": return document.summary?.text ?? ""
        case "stances":
            return document.stances.map { ss in
                ss.map { "\($0.target): \(String(format2: $0.score)) \($0.label.rawValue)" }.joined(separator: "; ")
            } ?? ""
        case "events":
            // "Iraq > Turkey: accuse (112, -2.0)"; "not" and "maybe" before a negated and a hypothetical act.
            return document.events.map { es in
                es.map { e in
                    (e.negated ? "not " : "") + (e.hypothetical ? "maybe " : "")
                        + "\(e.source) > \(e.target): \(e.action) (\(e.code), \(String(format2: e.weight)))"
                }.joined(separator: "; ")
            } ?? ""
        default:
            let key = String(field.dropFirst(5))
            switch document.meta[key] {
            case nil, .null?: return ""
            case .string(let s)?: return s
            case let v?: return v.jsonText
            }
        }
    }

    /// One row per document: the values of `fields`, quoted where needed, CRLF-terminated.
    struct RowEncoder: DocumentEncoder {
        let fields: [String]
        let delimiter: UInt8

        func encode(_ document: Document, into out: inout JSONWriter) {
            row(fields.map { CSVWriter.value($0, document) }, into: &out)
        }

        func row(_ values: [String], into out: inout JSONWriter) {
            for (i, v) in values.enumerated() {
                if i > 0 { out.byte(delimiter) }
                let needsQuotes = v.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                if needsQuotes {
                    out.byte(0x22)
                    for b in v.utf8 {
                        if b == 0x22 { out.byte(0x22) }
                        out.byte(b)
                    }
                    out.byte(0x22)
                } else {
                    var v = v
                    v.withUTF8 { out.append($0) }
                }
            }
            out.byte(0x0D)
            out.byte(0x0A)
        }
    }

    final class Writer: ResumableWriter, EncodingWriter {
        let file: AtomicFile
        let rows: RowEncoder
        var buffer = JSONWriter(capacity: 4096)

        init(path: String, fields: [String], delimiter: UInt8, resumable: Bool = false, resumingAt: Int? = nil) throws {
            file = try AtomicFile(path: path, resumable: resumable, resumingAt: resumingAt)
            rows = RowEncoder(fields: fields, delimiter: delimiter)
        }

        func checkpoint() throws -> JSONValue { .int(try file.durableLength()) }

        var destination: String? { file.isStream ? nil : file.path }

        var encoder: any DocumentEncoder { rows }

        func row(_ values: [String]) throws {
            buffer.reset()
            rows.row(values, into: &buffer)
            try buffer.withBytes { try file.write($0) }
        }

        func write(_ document: Document) throws {
            buffer.reset()
            rows.encode(document, into: &buffer)
            try buffer.withBytes { try file.write($0) }
        }

        func writeEncoded(_ bytes: UnsafeBufferPointer<UInt8>) throws { try file.write(bytes) }

        func finish() throws { try file.commit() }
        func abort() { file.discard() }
    }
}
