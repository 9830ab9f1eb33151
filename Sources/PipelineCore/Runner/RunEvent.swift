/// What a run reports while it goes. The core prints nothing: a front end renders these (the CLI draws a progress
/// line on a terminal and prints failures that have no other place).
public enum RunEvent: Sendable {
    /// Documents and bytes so far; sent after each batch and about four times a second while waiting.
    case progress(RunProgress)
    /// A record failed under `--on-error skip`, and where it was recorded.
    case failure(DocumentFailure, recorded: FailureRecord)
    /// Another run is writing the same outputs (it holds the lock file named here): this one waits for it to end
    /// before opening them. Sent once, before anything is read.
    case waitingForOutputs(lockFile: String)
    /// The run ended (normally, stopped by a failure, or with an error).
    case finished
}

/// Where a failure was recorded.
public enum FailureRecord: Sendable, Equatable {
    /// In the error report beside the output (`<output>.errors.jsonl`).
    case report(String)
    /// In place in the output (filter mode).
    case inPlace
    /// Nowhere: the observer is the only one to know (output to a writer without a file).
    case nowhere
}

/// How far a run is.
public struct RunProgress: Sendable, Equatable {
    /// Records read and written so far.
    public var documents: Int
    /// Input bytes read so far.
    public var bytes: Int
    /// Total input bytes, when known.
    public var totalBytes: Int?
    /// Seconds since the run started.
    public var seconds: Double
}

/// Receives a run's events, on the thread that calls ``PipelineRunner/run()``.
public protocol RunObserver: Sendable {
    /// Handles one event.
    func observe(_ event: RunEvent)
}
