import PipelineCore
import Synchronization

/// Holds the cancellation flag of the command running now, so a signal handler on another thread can interrupt it.
public final class InterruptSlot: Sendable {
    private let current = Mutex<RunCancellation?>(nil)

    /// Creates an empty slot.
    public init() {}

    /// Installs the flag of the command that starts (nil when it ends).
    public func set(_ c: RunCancellation?) { current.withLock { $0 = c } }

    /// Cancels the running command, if any; returns whether one was running.
    @discardableResult
    public func fire() -> Bool {
        current.withLock { c in
            c?.cancel()
            return c != nil
        }
    }
}
