/// How a pipeline runs.
public struct RunOptions: Sendable {
    /// Documents processed at once (worker threads).
    public var jobs: Int
    /// What to do with a failing document.
    public var onError: ErrorPolicy
    /// Whether to print a progress line on stderr (the CLI turns it on only when stderr is a terminal).
    public var progress: Bool
    /// Upper bound on the documents in one batch handed to a worker.
    public var batchDocuments: Int
    /// Upper bound on the input bytes in one batch.
    public var batchBytes: Int
    /// Set from another thread to stop the run early (outputs are then discarded).
    public var cancellation: RunCancellation?

    /// Creates options.
    public init(jobs: Int = 1, onError: ErrorPolicy = .fail, progress: Bool = false, batchDocuments: Int = 256,
                batchBytes: Int = 1 << 20, cancellation: RunCancellation? = nil) {
        self.jobs = max(1, jobs)
        self.onError = onError
        self.progress = progress
        self.batchDocuments = max(1, batchDocuments)
        self.batchBytes = max(1, batchBytes)
        self.cancellation = cancellation
    }
}
