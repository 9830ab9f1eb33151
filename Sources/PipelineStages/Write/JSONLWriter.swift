import OrderedCollections
import PipelineCore

/// `write jsonl`: one document per line, schema v1. The file is written under a temporary name and renamed at the
/// end, so a failed run never leaves a half-written file that looks complete. `path=-` writes to stdout; there, under
/// `--on-error skip`, a failed record is written in place as `{"id":…, "error":{…}}` so that every input line gives
/// exactly one output line.
public struct JSONLWriter: ResumableWriteStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "jsonl",
        help: "JSON Lines, one document per line (schema v1); atomic; - for stdout",
        options: [Self.output])

    static let output = Group(OutputPath.self)

    let path: String

    /// Builds the writer.
    public init(options: StageOptions, context: StageContext) throws {
        path = try options[Self.output].path
    }

    /// Opens the output.
    public func makeWriter() throws -> any DocumentWriter { try Writer(path: path) }

    /// Opens the output through its partial file, as it was at a checkpoint when `state` (its bytes) is given.
    public func makeResumableWriter(resuming state: JSONValue?) throws -> any ResumableWriter {
        try Writer(path: path, resumable: true, resumingAt: state?.intValue)
    }

    /// A document's JSON (schema v1) and a newline.
    struct LineEncoder: DocumentEncoder {
        func encode(_ document: Document, into out: inout JSONWriter) {
            document.writeJSON(into: &out)
            out.byte(0x0A)
        }
    }

    final class Writer: FailureRecordingWriter, ResumableWriter, EncodingWriter {
        let file: AtomicFile
        var json = JSONWriter(capacity: 1 << 16)

        init(path: String, resumable: Bool = false, resumingAt: Int? = nil) throws {
            file = try AtomicFile(path: path, resumable: resumable, resumingAt: resumingAt)
        }

        func checkpoint() throws -> JSONValue { .int(try file.durableLength()) }

        var destination: String? { file.isStream ? nil : file.path }
        var recordsFailuresInPlace: Bool { file.isStream }

        var encoder: any DocumentEncoder { LineEncoder() }

        func write(_ document: Document) throws {
            json.reset()
            LineEncoder().encode(document, into: &json)
            try json.withBytes { try file.write($0) }
        }

        func writeEncoded(_ bytes: UnsafeBufferPointer<UInt8>) throws { try file.write(bytes) }

        func writeFailure(_ failure: DocumentFailure) throws {
            var o: JSONValue = failure.json
            if case .object(var obj) = o {
                let id = obj.removeValue(forKey: "id") ?? .null
                o = .object(["id": id, "error": .object(obj)])
            }
            json.reset()
            json.write(o)
            json.byte(0x0A)
            try json.withBytes { try file.write($0) }
        }

        func finish() throws { try file.commit() }
        func abort() {
            if file.isStream { try? file.flush() }
            file.discard()
        }
    }
}
