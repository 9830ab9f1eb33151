/// Turns one document into the bytes a writer appends for it (a JSON line, a CSV row). An encoder holds no mutable
/// state, so the runner gives the same one to every worker thread.
public protocol DocumentEncoder: Sendable {
    /// Appends the bytes of `document` to `out`.
    func encode(_ document: Document, into out: inout JSONWriter)
}

/// A writer whose output for a document depends on that document alone (JSON Lines, CSV), so that the runner can
/// encode documents on the worker threads, in parallel, and hand the writer finished bytes in input order: with more
/// jobs the encoding scales with them instead of queuing on the one writing thread. The runner calls
/// ``writeEncoded(_:)`` instead of ``DocumentWriter/write(_:)`` for every document it encoded; the two must give the
/// same bytes.
public protocol EncodingWriter: DocumentWriter {
    /// The encoder of this writer's output.
    var encoder: any DocumentEncoder { get }
    /// Appends the bytes ``encoder`` produced for one or more consecutive documents.
    func writeEncoded(_ bytes: UnsafeBufferPointer<UInt8>) throws
}
