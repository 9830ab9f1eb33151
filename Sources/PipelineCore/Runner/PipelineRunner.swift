import Foundation

/// Runs a built ``Pipeline`` over its input with bounded memory: a reader thread reads batches of records, worker
/// threads decode and transform whole batches in parallel (one ``TransformWorker`` per stage and job slot), and the
/// calling thread writes batches strictly in input order, so any number of jobs gives byte-identical output. At most
/// `4 × jobs + 4` batches are in memory at once, whatever the corpus size. Progress and failures go to the
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
        // Batches finish out of order and are written in order: with room for two per worker, a worker that finished
        // early waited for a slow batch to be written (the light benchmark with two jobs: 0.65–0.71 s; 0.59–0.62 s
        // with four per worker, for 8 MB more memory).
        let coordinator = RunCoordinator(
            maxInFlight: 4 * options.jobs + 4,
            stageCount: 1 + transforms.count + pipeline.writers.count)
        // Runs writing the same files take turns: each output's partial file, the checkpoint and the error report
        // have fixed names beside the last output.
        let lock = try lockOutputs()
        defer { lock?.release() }
        let (journal, checkpoint) = try openJournal()
        // Open writers first: an unwritable output is reported before any input is read.
        var run = RunInfo(pipeline, jobs: options.jobs)
        run.resume = options.resume
        var outputs = try OpenOutputs(pipeline.writers, run: run, resumable: journal != nil, resuming: checkpoint)
        startReader(
            loaders, coordinator, groupField: chain.groupField, loaderLabel: loaders[0].label,
            skip: checkpoint?.records ?? 0)
        let workers = startWorkers(chain, coordinator, encoders: outputs.encoders)

        var summary = RunSummary()
        if let c = checkpoint {
            summary.resumedAfter = c.records
            summary.documentsIn = c.records
            summary.documentsOut = c.documentsOut
            summary.failed = c.failed
        }
        var fatal: Error?
        do {
            try writeInOrder(coordinator, &outputs, &summary, started: started, journal: journal)
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
            journal?.remove()
            if let fatal { throw fatal }
        } else {
            do {
                summary.errorReport = try outputs.finish(summary)
            } catch {
                outputs.abort()
                journal?.remove()
                throw error
            }
            journal?.remove()
        }
        summary.bytesIn = coordinator.progressSnapshot.bytes
        summary.timings = timings(coordinator.nanos, outputs.nanos, loaders, transforms, summary)
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    /// `out/daily.jsonl` → `out/daily.jsonl.errors.jsonl`.
    public static func errorReportPath(for output: String) -> String { output + ".errors.jsonl" }

    /// The lock on the run's outputs when every writer writes a file (``OutputLock``); nil otherwise.
    private func lockOutputs() throws -> OutputLock? {
        let outputs = pipeline.writers.map { $0.value(of: .output) }
        guard !outputs.isEmpty, pipeline.writers.allSatisfy({ $0.instance is any ResumableWriteStage }),
            outputs.allSatisfy({ $0.map { !OutputTarget.isStream($0) } ?? false }), let last = outputs.last!
        else { return nil }
        let observer = options.observer
        return try OutputLock(destination: last, cancellation: options.cancellation) {
            observer?.observe(.waitingForOutputs(lockFile: $0))
        }
    }

    /// The run's journal when it can be resumed (every writer resumable and writing a file), and with `--resume` the
    /// checkpoint to continue from. A fresh run removes a checkpoint left by an interrupted one: its partial files are
    /// about to be rewritten.
    ///
    /// - Throws: ``RunError/cannotResume(_:)`` under `--resume` when the run cannot be resumed (a writer that cannot, or
    ///   stdout) or its checkpoint is from another pipeline.
    private func openJournal() throws -> (RunJournal?, RunJournal.Checkpoint?) {
        let writers = pipeline.writers
        let outputs = writers.map { $0.value(of: .output) }
        var journal: RunJournal?
        var why = "the pipeline has no writer"
        if let stuck = writers.first(where: { !($0.instance is any ResumableWriteStage) }) {
            why = "\(stuck.label) cannot resume its output"
        } else if let k = outputs.firstIndex(where: { $0.map(OutputTarget.isStream) ?? true }) {
            why = "\(writers[k].label) writes to stdout, a device or a pipe, which cannot be taken back"
        } else if let last = outputs.last, let destination = last {
            journal = RunJournal(
                destination: destination, fingerprint: RunJournal.fingerprint(pipeline, onError: options.onError))
        }
        guard options.resume else {
            journal?.remove()
            return (journal, nil)
        }
        guard let journal else { throw RunError.cannotResume(why) }
        // No checkpoint: the last run completed, failed, stopped cleanly or was killed before its first checkpoint;
        // there is nothing to continue, so the run starts from the beginning (which makes --resume safe in a cron job).
        guard let c = try journal.read() else { return (journal, nil) }
        guard c.fingerprint == journal.fingerprint, c.writers.count == writers.count else {
            throw RunError.cannotResume(
                "the checkpoint at \(journal.path) was written by another pipeline or other options; "
                    + "run without --resume to start again")
        }
        return (journal, c)
    }

    // MARK: steps of a run

    /// The reader thread: every loader in turn, in batches, waiting for a free slot before each batch.
    private func startReader(
        _ loaders: [ResolvedStage], _ coordinator: RunCoordinator, groupField: String?,
        loaderLabel: String, skip: Int
    ) {
        let loaderStages = loaders.compactMap { rs in (rs.instance as? any LoadStage).map { (rs.label, $0) } }
        let opts = options
        let reader = Thread {
            var failure: Error?
            var nanos: UInt64 = 0
            var toSkip = skip
            // A loader's long loops (a folder walk, a huge file) check the run's flag through `current`.
            RunCancellation.$current.withValue(opts.cancellation) {
                for (label, loader) in loaderStages {
                    do {
                        guard
                            try Self.read(
                                loader, opts, coordinator, nanos: &nanos, groupField: groupField,
                                loaderLabel: loaderLabel, skip: &toSkip)
                        else { break }
                    } catch let e as RunError where e == .interrupted {
                        failure = e
                        break
                    } catch {
                        failure = RunError.input(stage: label, message: "\(error)")
                        break
                    }
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
    private static func read(
        _ loader: any LoadStage, _ opts: RunOptions, _ coordinator: RunCoordinator,
        nanos: inout UInt64, groupField: String?, loaderLabel: String, skip: inout Int
    ) throws -> Bool {
        let decoder = TransformChain(loaderLabel: loaderLabel, steps: [])
        var carry: LoadedRecord?
        func key(_ r: LoadedRecord) -> String? {
            if case .document(let d) = r.content, let field = groupField { return d.groupKey(field) }
            return nil
        }
        var t = DispatchTime.now().uptimeNanoseconds
        var r = try loader.makeReader()
        // Records a resumed run already finished: read past them, untouched.
        while skip > 0, try r.next() != nil { skip -= 1 }
        nanos &+= DispatchTime.now().uptimeNanoseconds &- t
        var bytesBefore = r.progress.bytesRead
        while true {
            guard coordinator.waitForSlot() else { return false }
            t = DispatchTime.now().uptimeNanoseconds  // time spent waiting for memory is not reading
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
    /// Each worker encodes its batches' documents for every writer that has an encoder (`encoders`, one per writer).
    private func startWorkers(
        _ chain: TransformChain, _ coordinator: RunCoordinator,
        encoders: [(any DocumentEncoder)?]
    ) -> DispatchGroup {
        let group = DispatchGroup()
        let stageCount = 1 + chain.steps.count
        for _ in 0..<options.jobs {
            group.enter()
            let cancellation = options.cancellation
            let t = Thread {
                var workers = chain.makeWorkers()
                var nanos = [UInt64](repeating: 0, count: stageCount + encoders.count)
                var sizeHint = [Int](repeating: 0, count: encoders.count)
                while let batch = coordinator.takeBatch() {
                    var out: [ProcessedRecord] = []
                    out.reserveCapacity(batch.records.count)
                    // A stage's long loops (one huge document) check the run's flag through `current`.
                    RunCancellation.$current.withValue(cancellation) {
                        if chain.needsBatches {
                            out = workers.runBatch(batch.records, nanos: &nanos)
                        } else {
                            for rec in batch.records {
                                if cancellation?.isCancelled == true { break }
                                out.append(workers.run(rec, nanos: &nanos))
                            }
                        }
                    }
                    // An interrupted batch holds documents a stage gave up on: it is not a result (the writer stops).
                    if cancellation?.isCancelled == true { break }
                    let finished = FinishedBatch(
                        out, encoders: encoders, nanos: &nanos[stageCount...],
                        sizeHint: &sizeHint)
                    coordinator.complete(batch.sequence, finished, nanos: nanos)
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
    private func writeInOrder(
        _ coordinator: RunCoordinator, _ outputs: inout OpenOutputs, _ summary: inout RunSummary,
        started: UInt64, journal: RunJournal?
    ) throws {
        var sequence = 0
        var lastProgress: UInt64 = 0
        var lastCheckpoint = DispatchTime.now().uptimeNanoseconds
        let interval = UInt64(options.checkpointInterval * 1e9)
        func report(force: Bool) {
            guard let observer = options.observer else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            guard force || now &- lastProgress > 200_000_000 else { return }
            lastProgress = now
            let p = coordinator.progressSnapshot
            observer.observe(
                .progress(
                    RunProgress(
                        documents: summary.documentsIn, bytes: p.bytes, totalBytes: p.total,
                        seconds: Double(now &- started) / 1e9)))
        }
        while true {
            if options.cancellation?.isCancelled == true { throw RunError.interrupted }
            switch coordinator.waitFor(sequence, timeout: 0.25) {
            case .waiting:
                report(force: false)
            case .end:
                return
            case .batch(let batch):
                sequence += 1
                // Runs of consecutive documents go to the writers at once; a failure ends a run.
                var runStart = 0, runDocuments = 0, documents = 0
                for (i, r) in batch.records.enumerated() {
                    summary.documentsIn += 1
                    switch r {
                    case .document:
                        documents += 1
                        summary.documentsOut += 1
                    case .failure(let f):
                        try outputs.write(batch, records: runStart..<i, documents: runDocuments..<documents)
                        runStart = i + 1
                        runDocuments = documents
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
                try outputs.write(batch, records: runStart..<batch.records.count, documents: runDocuments..<documents)
                try outputs.endBatch()
                if let journal, DispatchTime.now().uptimeNanoseconds &- lastCheckpoint >= interval {
                    let states = try outputs.checkpoint()
                    do {
                        try journal.write(
                            .init(
                                fingerprint: journal.fingerprint, records: summary.documentsIn,
                                documentsOut: summary.documentsOut, failed: summary.failed,
                                writers: states.writers, errorReport: states.errorReport))
                    } catch {
                        throw RunError.output(stage: "checkpoint", message: "\(error)")
                    }
                    lastCheckpoint = DispatchTime.now().uptimeNanoseconds
                }
                report(force: false)
            }
        }
    }

    private func timings(
        _ nanos: [UInt64], _ writerNanos: [UInt64], _ loaders: [ResolvedStage],
        _ transforms: [ResolvedStage], _ summary: RunSummary
    ) -> [RunSummary.StageTiming] {
        var out = [
            RunSummary.StageTiming(
                stage: loaders.map(\.label).joined(separator: " + "),
                seconds: Double(nanos[0]) / 1e9, documents: summary.documentsIn)
        ]
        for (k, t) in transforms.enumerated() {
            out.append(.init(stage: t.label, seconds: Double(nanos[k + 1]) / 1e9, documents: summary.documentsOut))
        }
        for (k, w) in pipeline.writers.enumerated() {
            // Time on the writing thread, and encoding in the workers.
            let encoding = 1 + transforms.count + k < nanos.count ? nanos[1 + transforms.count + k] : 0
            out.append(
                .init(
                    stage: w.label, seconds: Double(writerNanos[k] &+ encoding) / 1e9, documents: summary.documentsOut))
        }
        return out
    }
}
