import Foundation
import Synchronization

/// Runs one stage of a pipeline on documents held in memory — the REPL's steps and ad-hoc stage lines — through the
/// same code as the batch runner: the same decoding, requires check, per-job-slot workers, failure records and
/// writers, so a document fails with the same message wherever it runs.
public enum StageExecutor {
    /// Reads up to `limit` records from one load stage (all when nil) and decodes them.
    ///
    /// - Throws: ``RunError/input(stage:message:)`` when the input cannot be read, ``RunError/interrupted`` when
    ///   `cancellation` is set.
    public static func load(
        _ stage: ResolvedStage, limit: Int?, cancellation: RunCancellation? = nil
    ) throws -> [ProcessedRecord] {
        guard let ls = stage.instance as? any LoadStage else { return [] }
        var workers = TransformChain(loaderLabel: stage.label, stages: []).makeWorkers()
        defer { workers.close() }
        var nanos: [UInt64] = [0]
        var out: [ProcessedRecord] = []
        do {
            try RunCancellation.$current.withValue(cancellation) {
                var r = try ls.makeReader()
                while limit.map({ out.count < $0 }) ?? true {
                    if cancellation?.isCancelled == true { throw RunError.interrupted }
                    guard let rec = try r.next() else { break }
                    out.append(workers.run(rec, nanos: &nanos))
                }
            }
            if cancellation?.isCancelled == true { throw RunError.interrupted }
        } catch let e as RunError {
            throw e
        } catch {
            throw RunError.input(stage: stage.label, message: "\(error)")
        }
        return out
    }

    /// Applies one transform stage to `documents` on `jobs` threads, each with its own worker; results keep the input
    /// order.
    ///
    /// - Throws: ``RunError/interrupted`` when `cancellation` is set before every document is done.
    public static func apply(
        _ stage: ResolvedStage, to documents: [Document],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        cancellation: RunCancellation? = nil
    ) throws -> [Result<Document, DocumentFailure>] {
        let chain = TransformChain(loaderLabel: "input", stages: [stage])
        if chain.needsBatches {
            // Groups of consecutive documents, or all of them for a batching stage, go to one worker together.
            if cancellation?.isCancelled == true { throw RunError.interrupted }
            var workers = chain.makeWorkers()
            defer { workers.close() }
            var nanos: [UInt64] = [0, 0]
            let records = documents.map { LoadedRecord(origin: RecordOrigin(file: $0.id), content: .document($0)) }
            let out = RunCancellation.$current.withValue(cancellation) { workers.runBatch(records, nanos: &nanos) }
            if cancellation?.isCancelled == true { throw RunError.interrupted }
            return out.map { r in
                switch r {
                case .document(let d, _): return .success(d)
                case .failure(let f): return .failure(f)
                }
            }
        }
        let results = ResultSlots<Result<Document, DocumentFailure>>(count: documents.count)
        let slots = max(1, min(jobs, documents.count))
        DispatchQueue.concurrentPerform(iterations: slots) { slot in
            var workers = chain.makeWorkers()
            defer { workers.close() }
            var nanos: [UInt64] = [0, 0]
            var i = slot
            while i < documents.count {
                if cancellation?.isCancelled == true { return }
                let record = LoadedRecord(origin: RecordOrigin(file: documents[i].id), content: .document(documents[i]))
                switch RunCancellation.$current.withValue(
                    cancellation, operation: { workers.run(record, nanos: &nanos) })
                {
                case .document(let d, _): results[i] = .success(d)
                case .failure(let f): results[i] = .failure(f)
                }
                i += slots
            }
        }
        // A document a stage gave up on when interrupted is not a failure of that document.
        guard cancellation?.isCancelled != true, let values = results.valuesIfComplete else {
            throw RunError.interrupted
        }
        return values
    }

    /// Writes `documents` with one write stage as one batch of the run `run` and completes its output; on an error
    /// nothing is left behind.
    ///
    /// - Throws: ``RunError/output(stage:message:)``.
    public static func write(_ documents: [Document], with stage: ResolvedStage, run: RunInfo) throws {
        var outputs = try OpenOutputs([stage], run: run)
        do {
            for d in documents { try outputs.write(d) }
            try outputs.endBatch()
            var summary = RunSummary()
            summary.documentsIn = documents.count
            summary.documentsOut = documents.count
            _ = try outputs.finish(summary)
        } catch {
            outputs.abort()
            throw error
        }
    }
}

/// Fixed slots written by distinct threads at distinct indices.
final class ResultSlots<T: Sendable>: Sendable {
    private let storage: Mutex<[T?]>
    init(count: Int) { storage = Mutex(Array(repeating: nil, count: count)) }
    subscript(i: Int) -> T? {
        get { storage.withLock { $0[i] } }
        set { storage.withLock { $0[i] = newValue } }
    }
    var valuesIfComplete: [T]? {
        storage.withLock { s in
            var out: [T] = []
            out.reserveCapacity(s.count)
            for v in s {
                guard let v else { return nil }
                out.append(v)
            }
            return out
        }
    }
}
