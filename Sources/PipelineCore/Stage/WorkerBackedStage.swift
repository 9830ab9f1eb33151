/// A transform whose work is done by its workers (scratch space, a stemmer, a worker process): it implements
/// ``TransformStage/makeWorker()``, and its ``TransformStage/process(_:)`` (for callers without a job slot) makes a
/// worker, processes the document with it and closes it. The runner and the REPL call the workers directly.
///
/// A conformer must implement `makeWorker()`: the default of ``TransformStage`` calls `process`, which here calls
/// `makeWorker`.
public protocol WorkerBackedStage: TransformStage {}

extension WorkerBackedStage {
    /// Processes `document` with a worker made for it alone.
    public func process(_ document: inout Document) throws {
        var worker = try makeWorker()
        defer { worker.close() }
        try worker.process(&document)
    }
}
