import Foundation
import PipelineCore

/// Holds the cancellation flag of the command running now, so a signal handler on another thread can interrupt it.
public final class InterruptSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var current: RunCancellation?

    /// Creates an empty slot.
    public init() {}

    /// Installs the flag of the command that starts (nil when it ends).
    public func set(_ c: RunCancellation?) {
        lock.lock()
        current = c
        lock.unlock()
    }

    /// Cancels the running command, if any; returns whether one was running.
    @discardableResult
    public func fire() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        current?.cancel()
        return current != nil
    }
}
