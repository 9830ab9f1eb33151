import Foundation

/// A flag another thread (a signal handler, the REPL) sets to stop a run. The runner checks it between batches and
/// at least four times a second; on cancellation the outputs are discarded as after a failure.
public final class RunCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// Creates an unset flag.
    public init() {}

    /// Asks the run to stop.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
