/// One input record as a loader yields it: a ready document, a document still to decode (decoding then runs on a
/// worker thread), or a record that could not be read at all. Every record becomes either an output document or an
/// error report; none is dropped.
public struct LoadedRecord: Sendable {
    /// What the record holds.
    public enum Content: Sendable {
        /// A document.
        case document(Document)
        /// A document to decode on a worker thread.
        case pending(@Sendable () throws -> Document)
        /// The record is unreadable; the id when it could be recovered.
        case failure(id: String?, message: String)
    }

    /// Where the record came from (file and line).
    public var origin: RecordOrigin
    /// The record.
    public var content: Content

    /// Creates a record.
    public init(origin: RecordOrigin, content: Content) {
        self.origin = origin
        self.content = content
    }
}

/// The input file and line (or row) of a record.
public struct RecordOrigin: Sendable, Hashable, CustomStringConvertible {
    /// Input file, or `-` for stdin.
    public var file: String
    /// 1-based line (JSONL, CSV) or 0 when the record is a whole file.
    public var line: Int

    /// Creates an origin.
    public init(file: String, line: Int = 0) {
        self.file = file
        self.line = line
    }

    /// `file:line`, or `file` for whole-file records.
    public var description: String { line > 0 ? "\(file):\(line)" : file }
}
