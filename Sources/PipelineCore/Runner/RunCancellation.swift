import Synchronization

/// A flag another thread (a signal handler, the REPL) sets to stop a run. The runner checks it between batches and
/// at least four times a second; on cancellation the outputs are discarded as after a failure.
///
/// Work that can run long inside one step — a folder walk while a loader is built, a stage on a very large
/// document — checks the flag of the run it belongs to with ``checkCurrent()``: the runner binds ``current`` on its
/// reader and worker threads, the CLI around building the pipeline, and the REPL around each command.
public final class RunCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset flag.
    public init() {}

    /// Asks the run to stop.
    public func cancel() { flag.store(true, ordering: .sequentiallyConsistent) }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .sequentiallyConsistent) }

    /// The flag of the run the calling thread works for, if any (bound with `RunCancellation.$current.withValue`).
    @TaskLocal public static var current: RunCancellation?

    /// Throws ``RunError/interrupted`` when the calling thread's run (``current``) was cancelled. Cheap enough to
    /// call once per sentence or per directory; in tighter loops call it every few thousand iterations.
    public static func checkCurrent() throws {
        if let c = current, c.isCancelled { throw RunError.interrupted }
    }
}
