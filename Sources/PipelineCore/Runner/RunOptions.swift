/// How a pipeline runs.
public struct RunOptions: Sendable {
    /// Documents processed at once (worker threads).
    public var jobs: Int
    /// What to do with a failing document.
    public var onError: ErrorPolicy
    /// Receives progress and failures (the core prints nothing itself).
    public var observer: (any RunObserver)?
    /// Upper bound on the documents in one batch handed to a worker.
    public var batchDocuments: Int
    /// Upper bound on the input bytes in one batch.
    public var batchBytes: Int
    /// Set from another thread to stop the run early (outputs are then discarded).
    public var cancellation: RunCancellation?
    /// Continue the run that was interrupted with the same outputs, from its checkpoint (``RunJournal``).
    public var resume: Bool
    /// Seconds between checkpoints of a resumable run (taken at batch boundaries; 0: after every batch).
    public var checkpointInterval: Double

    /// Creates options.
    public init(
        jobs: Int = 1, onError: ErrorPolicy = .fail, observer: (any RunObserver)? = nil, batchDocuments: Int = 256,
        batchBytes: Int = 1 << 20, cancellation: RunCancellation? = nil, resume: Bool = false,
        checkpointInterval: Double = 1
    ) {
        self.jobs = max(1, jobs)
        self.onError = onError
        self.observer = observer
        self.batchDocuments = max(1, batchDocuments)
        self.batchBytes = max(1, batchBytes)
        self.cancellation = cancellation
        self.resume = resume
        self.checkpointInterval = max(0, checkpointInterval)
    }
}
