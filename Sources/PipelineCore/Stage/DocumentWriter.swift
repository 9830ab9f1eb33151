/// Writes documents to an opened output, in order, from one thread.
public protocol DocumentWriter: AnyObject {
    /// Writes one document.
    func write(_ document: Document) throws
    /// Completes the output (flush, rename the temporary file into place). Called once after the last document.
    func finish() throws
    /// Abandons the output after a failure: nothing that looks complete may be left behind.
    func abort()
    /// The file written, when there is one, so that error reports can be placed beside it.
    var destination: String? { get }
}

extension DocumentWriter {
    /// No file.
    public var destination: String? { nil }
}

/// A writer that can put a failed record in place in its output (used by filter mode, where every input line must
/// give exactly one output line).
public protocol FailureRecordingWriter: DocumentWriter {
    /// Whether failures are written in place (for instance only when writing to stdout).
    var recordsFailuresInPlace: Bool { get }
    /// Writes a failure where the document would have been.
    func writeFailure(_ failure: DocumentFailure) throws
}
