/// A write stage whose output can survive an interruption and be continued by `pipeline run --resume`. A run whose
/// writers are all resumable (and write files, not stdout) keeps a checkpoint beside its output; see ``RunJournal``.
public protocol ResumableWriteStage: WriteStage {
    /// Opens the output so that it can be resumed: a fresh output when `state` is nil, else the output as it was at
    /// the checkpoint whose ``ResumableWriter/checkpoint()`` returned `state` (anything written after it is dropped).
    func makeResumableWriter(resuming state: JSONValue?) throws -> any ResumableWriter
}

/// A writer whose state at a batch boundary can be recorded and restored.
public protocol ResumableWriter: DocumentWriter {
    /// Makes everything written so far durable (flushed and fsync'd) and describes it (for instance the bytes in the
    /// partial file), for ``ResumableWriteStage/makeResumableWriter(resuming:)`` after an interruption.
    func checkpoint() throws -> JSONValue
}
