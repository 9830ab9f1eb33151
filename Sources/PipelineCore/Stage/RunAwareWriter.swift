/// A writer that takes part in the run as a whole, not only document by document: a store that records its runs and
/// commits in batches. The runner calls ``begin(_:)`` once before the first document, ``endBatch()`` after each batch
/// of documents it hands over (a batch is what one worker transformed at once, at most `RunOptions.batchDocuments`
/// documents), and ``end(_:)`` with the run's counts just before ``DocumentWriter/finish()``. After a failure or a stop
/// only ``DocumentWriter/abort()`` is called.
public protocol RunAwareWriter: DocumentWriter {
    /// The run starts.
    func begin(_ run: RunInfo) throws
    /// The documents written since the last call form a batch: a good moment to commit them.
    func endBatch() throws
    /// The run ends normally; `summary` holds its counts (its time and timings are not known yet).
    func end(_ summary: RunSummary) throws
}
