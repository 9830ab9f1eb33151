import Synchronization

/// A flag another thread (a signal handler, the REPL) sets to stop a run. The runner checks it between batches and
/// at least four times a second; on cancellation the outputs are discarded as after a failure.
public final class RunCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset flag.
    public init() {}

    /// Asks the run to stop.
    public func cancel() { flag.store(true, ordering: .sequentiallyConsistent) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .sequentiallyConsistent) }
}
