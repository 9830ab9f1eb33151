import Foundation

/// Runs a built ``Pipeline`` over its input with bounded memory: a reader thread reads batches of records, worker
/// threads decode and transform whole batches in parallel (one ``TransformWorker`` per stage and job slot), and the
/// calling thread writes batches strictly in input order, so any number of jobs gives byte-identical output. At most
/// `2 × jobs + 2` batches are in memory at once, whatever the corpus size. Progress and failures go to the
/// ``RunOptions/observer``; the runner prints nothing.
public struct PipelineRunner: Sendable {
    /// The pipeline to run.
    public var pipeline: Pipeline
    /// How to run it.
    public var options: RunOptions

    /// Creates a runner.
    public init(pipeline: Pipeline, options: RunOptions = RunOptions()) {
        self.pipeline = pipeline
        self.options = options
    }

    /// Runs the whole pipeline.
    ///
    /// - Returns: the summary; under `--on-error fail`, ``RunSummary/stoppedBy`` names the failing document and the
    ///   outputs are discarded.
    /// - Throws: ``RunError`` when an input or output cannot be opened or written, or the run is cancelled.
    public func run() throws -> RunSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        defer { options.observer?.observe(.finished) }
        let loaders = pipeline.loaders
        let transforms = pipeline.transforms
        guard !loaders.isEmpty else { throw RunError.noLoader }
        let chain = TransformChain(loaderLabel: loaders[0].label, stages: transforms)
        let coordinator = RunCoordinator(maxInFlight: 2 * options.jobs + 2,
                                         stageCount: 1 + transforms.count + pipeline.writers.count)
        // Open writers first: an unwritable output is reported before any input is read.
        var outputs = try OpenOutputs(pipeline.writers, run: RunInfo(pipeline, jobs: options.jobs))
        startReader(loaders, coordinator, groupField: chain.groupField, loaderLabel: loaders[0].label)
        let workers = startWorkers(chain, coordinator)

        var summary = RunSummary()
        var fatal: Error?
        do {
            try writeInOrder(coordinator, &outputs, &summary, started: started)
        } catch {
            fatal = error
            coordinator.cancel()
            if error as? RunError == .interrupted {
                // Stages waiting on something outside the process (worker processes) must stop waiting.
                for t in transforms { t.instance.shutdown() }
            }
        }
        workers.wait()
        // After a normal end the reader is done; after a stop it may be blocked reading a pipe (stdin): give it a
        // moment to notice, but do not wait for input that may never come.
        coordinator.waitForReader(milliseconds: 500)
        if fatal == nil, let e = coordinator.readerError { fatal = e }
        if fatal != nil || summary.stoppedBy != nil {
            outputs.abort()
            if let fatal { throw fatal }
        } else {
            summary.errorReport = try outputs.finish(summary)
        }
        summary.bytesIn = coordinator.progressSnapshot.bytes
        summary.timings = timings(coordinator.nanos, outputs.nanos, loaders, transforms, summary)
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    /// `out/daily.jsonl` → `out/daily.jsonl.errors.jsonl`.
    public static func errorReportPath(for output: String) -> String { output + ".errors.jsonl" }

    // MARK: steps of a run

    /// The reader thread: every loader in turn, in batches, waiting for a free slot before each batch.
    private func startReader(_ loaders: [ResolvedStage], _ coordinator: RunCoordinator, groupField: String?,
                             loaderLabel: String) {
        let loaderStages = loaders.compactMap { rs in (rs.instance as? any LoadStage).map { (rs.label, $0) } }
        let opts = options
        let reader = Thread {
            var failure: Error?
            var nanos: UInt64 = 0
            for (label, loader) in loaderStages {
                do {
                    guard try Self.read(loader, opts, coordinator, nanos: &nanos, groupField: groupField,
                                        loaderLabel: loaderLabel) else { break }
                } catch {
                    failure = RunError.input(stage: label, message: "\(error)")
                    break
                }
            }
            coordinator.addNanos(0, nanos)
            coordinator.finishReading(error: failure)
        }
        reader.stackSize = 1 << 22
        reader.start()
    }

    /// The most documents of one group kept in a batch: a longer run of one group is summarised in parts.
    public static let maxGroupDocuments = 10_000

    /// Reads one loader's records into batches; false when the run was cancelled. When a stage groups documents
    /// (`group=FIELD`), records are decoded here, to know their group, and a batch is only cut between groups (or
    /// after ``maxGroupDocuments``), so that a group is never split between two workers.
    private static func read(_ loader: any LoadStage, _ opts: RunOptions, _ coordinator: RunCoordinator,
                             nanos: inout UInt64, groupField: String?, loaderLabel: String) throws -> Bool {
        let decoder = TransformChain(loaderLabel: loaderLabel, steps: [])
        var carry: LoadedRecord?
        func key(_ r: LoadedRecord) -> String? {
            if case .document(let d) = r.content, let field = groupField { return d.groupKey(field) }
            return nil
        }
        var t = DispatchTime.now().uptimeNanoseconds
        var r = try loader.makeReader()
        nanos &+= DispatchTime.now().uptimeNanoseconds &- t
        var bytesBefore = 0
        while true {
            guard coordinator.waitForSlot() else { return false }
            t = DispatchTime.now().uptimeNanoseconds // time spent waiting for memory is not reading
            var batch: [LoadedRecord] = []
            batch.reserveCapacity(min(opts.batchDocuments, 1024))
            var done = false
            var lastKey: String?
            if let c = carry { batch.append(c); lastKey = key(c); carry = nil }
            while true {
                let full = batch.count >= opts.batchDocuments || r.progress.bytesRead - bytesBefore >= opts.batchBytes
                if full && groupField == nil { break }
                guard var rec = try r.next() else { done = true; break }
                if groupField != nil {
                    // Decode now, to know the record's group.
                    switch decoder.decode(rec) {
                    case .document(let d, _): rec.content = .document(d)
                    case .failure(let f): rec.content = .failure(id: f.id, message: f.message)
                    }
                    let k = key(rec)
                    if full && (k == nil || k != lastKey || batch.count >= maxGroupDocuments) {
                        carry = rec
                        break
                    }
                    lastKey = k
                }
                batch.append(rec)
            }
            nanos &+= DispatchTime.now().uptimeNanoseconds &- t
            let p = r.progress
            if batch.isEmpty {
                coordinator.releaseUnusedSlot()
            } else {
                coordinator.push(batch, bytesRead: p.bytesRead, totalBytes: p.totalBytes)
            }
            bytesBefore = p.bytesRead
            if done { return true }
        }
    }

    /// `jobs` worker threads, each with its own stage workers, taking batches until there are none.
    private func startWorkers(_ chain: TransformChain, _ coordinator: RunCoordinator) -> DispatchGroup {
        let group = DispatchGroup()
        let stageCount = 1 + chain.steps.count
        for _ in 0..<options.jobs {
            group.enter()
            let t = Thread {
                var workers = chain.makeWorkers()
                var nanos = [UInt64](repeating: 0, count: stageCount)
                while let batch = coordinator.takeBatch() {
                    var out: [ProcessedRecord] = []
                    out.reserveCapacity(batch.records.count)
                    if chain.groupField != nil {
                        out = workers.runBatch(batch.records, nanos: &nanos)
                    } else {
                        for rec in batch.records { out.append(workers.run(rec, nanos: &nanos)) }
                    }
                    coordinator.complete(batch.sequence, out, nanos: nanos)
                    for k in nanos.indices { nanos[k] = 0 }
                }
                workers.close()
                group.leave()
            }
            t.stackSize = 1 << 23
            t.start()
        }
        return group
    }

    /// Writes the finished batches in input order on the calling thread until the end, a stop, or an error.
    private func writeInOrder(_ coordinator: RunCoordinator, _ outputs: inout OpenOutputs, _ summary: inout RunSummary,
                              started: UInt64) throws {
        var sequence = 0
        var lastProgress: UInt64 = 0
        func report(force: Bool) {
            guard let observer = options.observer else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            guard force || now &- lastProgress > 200_000_000 else { return }
            lastProgress = now
            let p = coordinator.progressSnapshot
            observer.observe(.progress(RunProgress(documents: summary.documentsIn, bytes: p.bytes, totalBytes: p.total,
                                                   seconds: Double(now &- started) / 1e9)))
        }
        while true {
            if options.cancellation?.isCancelled == true { throw RunError.interrupted }
            switch coordinator.waitFor(sequence, timeout: 0.25) {
            case .waiting:
                report(force: false)
            case .end:
                return
            case .batch(let records):
                sequence += 1
                for r in records {
                    summary.documentsIn += 1
                    switch r {
                    case .document(let doc, _):
                        try outputs.write(doc)
                        summary.documentsOut += 1
                    case .failure(let f):
                        summary.failed += 1
                        if options.onError == .fail {
                            summary.stoppedBy = f
                            coordinator.cancel()
                            return
                        }
                        let recorded = try outputs.record(f)
                        options.observer?.observe(.failure(f, recorded: recorded))
                    }
                }
                try outputs.endBatch()
                report(force: false)
            }
        }
    }

    private func timings(_ nanos: [UInt64], _ writerNanos: [UInt64], _ loaders: [ResolvedStage],
                         _ transforms: [ResolvedStage], _ s: RunSummary) -> [RunSummary.StageTiming] {
        var out = [RunSummary.StageTiming(stage: loaders.map(\.label).joined(separator: " + "),
                                          seconds: Double(nanos[0]) / 1e9, documents: s.documentsIn)]
        for (k, t) in transforms.enumerated() {
            out.append(.init(stage: t.label, seconds: Double(nanos[k + 1]) / 1e9, documents: s.documentsOut))
        }
        for (k, w) in pipeline.writers.enumerated() {
            out.append(.init(stage: w.label, seconds: Double(writerNanos[k]) / 1e9, documents: s.documentsOut))
        }
        return out
    }
}
