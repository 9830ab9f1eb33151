import Foundation

/// Runs a built ``Pipeline`` over its input with bounded memory: a reader thread reads batches of records, worker
/// threads decode and transform whole batches in parallel, and the calling thread writes batches strictly in input
/// order, so any number of jobs gives byte-identical output. At most `2 × jobs + 2` batches are in memory at once,
/// whatever the corpus size.
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
    /// - Throws: ``RunError`` when an input or output cannot be opened or written.
    public func run() throws -> RunSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        let loaders = pipeline.loaders
        let transforms = pipeline.transforms
        guard !loaders.isEmpty else { throw RunError("the pipeline has no load stage") }
        let chain = TransformChain(loaderLabel: loaders[0].label, stages: transforms)
        let stageCount = 1 + transforms.count + pipeline.writers.count
        let coordinator = RunCoordinator(maxInFlight: 2 * options.jobs + 2, stageCount: stageCount)

        // Open writers first: an unwritable output is reported before any input is read.
        var writers: [(label: String, writer: any DocumentWriter)] = []
        do {
            for w in pipeline.writers {
                guard let ws = w.instance as? any WriteStage else { continue }
                writers.append((w.label, try ws.makeWriter()))
            }
        } catch {
            for w in writers { w.writer.abort() }
            throw error
        }
        let errorReportPath = writers.last?.writer.destination.map { Self.errorReportPath(for: $0) }

        // Reader thread.
        let loaderStages = loaders.compactMap { rs in (rs.instance as? any LoadStage).map { (rs.label, $0) } }
        let opts = options
        let reader = Thread {
            var failure: Error?
            var bytesBefore = 0
            var nanos: UInt64 = 0
            outer: for (label, loader) in loaderStages {
                do {
                    var t = DispatchTime.now().uptimeNanoseconds
                    var r = try loader.makeReader()
                    nanos &+= DispatchTime.now().uptimeNanoseconds &- t
                    var done = false
                    while !done {
                        guard coordinator.waitForSlot() else { break outer }
                        t = DispatchTime.now().uptimeNanoseconds // time spent waiting for memory is not reading
                        var batch: [LoadedRecord] = []
                        batch.reserveCapacity(min(opts.batchDocuments, 1024))
                        var batchBytes = 0
                        while batch.count < opts.batchDocuments && batchBytes < opts.batchBytes {
                            guard let rec = try r.next() else { done = true; break }
                            batch.append(rec)
                            let p = r.progress.bytesRead
                            batchBytes = p - bytesBefore
                        }
                        let now = DispatchTime.now().uptimeNanoseconds
                        nanos &+= now &- t
                        t = now
                        let p = r.progress
                        if batch.isEmpty {
                            coordinator.releaseUnusedSlot()
                        } else {
                            coordinator.push(batch, bytesRead: p.bytesRead, totalBytes: p.totalBytes)
                        }
                        bytesBefore = p.bytesRead
                    }
                    bytesBefore = 0
                } catch {
                    failure = RunError("\(label): \(error)")
                    break
                }
            }
            coordinator.addNanos(0, nanos)
            coordinator.finishReading(error: failure)
        }
        reader.stackSize = 1 << 22
        reader.start()

        // Workers.
        let group = DispatchGroup()
        for _ in 0..<options.jobs {
            group.enter()
            let t = Thread {
                var nanos = [UInt64](repeating: 0, count: stageCount)
                while let batch = coordinator.takeBatch() {
                    var out: [ProcessedRecord] = []
                    out.reserveCapacity(batch.records.count)
                    for rec in batch.records { out.append(chain.run(rec, nanos: &nanos)) }
                    coordinator.complete(batch.sequence, out, nanos: nanos)
                    for k in nanos.indices { nanos[k] = 0 }
                }
                group.leave()
            }
            t.stackSize = 1 << 23
            t.start()
        }

        // Write in order on this thread.
        var summary = RunSummary()
        var errorReport: AtomicFile?
        var writerNanos = [UInt64](repeating: 0, count: writers.count)
        var progress = ProgressLine(enabled: options.progress, name: pipeline.name)
        var sequence = 0
        var fatal: Error?
        writing: while true {
            if options.cancellation?.isCancelled == true {
                fatal = RunError("interrupted; no output was written")
                coordinator.cancel()
                // Stages waiting on something outside the process (worker processes) must stop waiting.
                for t in transforms { t.instance.shutdown() }
                break writing
            }
            switch coordinator.waitFor(sequence, timeout: 0.25) {
            case .waiting:
                let p = coordinator.progressSnapshot
                progress.update(documents: summary.documentsIn, bytes: p.bytes, total: p.total)
                continue
            case .end:
                break writing
            case .batch(let records):
                sequence += 1
                for r in records {
                    summary.documentsIn += 1
                    do {
                        switch r {
                        case .document(let doc, _):
                            for (k, w) in writers.enumerated() {
                                let t0 = DispatchTime.now().uptimeNanoseconds
                                try w.writer.write(doc)
                                writerNanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
                            }
                            summary.documentsOut += 1
                        case .failure(let f):
                            summary.failed += 1
                            if options.onError == .fail {
                                summary.stoppedBy = f
                                coordinator.cancel()
                                break writing
                            }
                            var inPlace = false
                            for w in writers {
                                if let fw = w.writer as? any FailureRecordingWriter, fw.recordsFailuresInPlace {
                                    try fw.writeFailure(f)
                                    inPlace = true
                                }
                            }
                            if let path = errorReportPath {
                                if errorReport == nil { errorReport = try AtomicFile(path: path) }
                                var jw = JSONWriter()
                                jw.write(f.json)
                                jw.byte(0x0A)
                                try jw.withBytes { try errorReport!.write($0) }
                            } else if !inPlace {
                                FileHandle.standardError.write(Data("error: \(f)\n".utf8))
                            }
                        }
                    } catch {
                        fatal = error
                        coordinator.cancel()
                        break writing
                    }
                }
                let p = coordinator.progressSnapshot
                progress.update(documents: summary.documentsIn, bytes: p.bytes, total: p.total)
            }
        }
        group.wait()
        // After a normal end the reader is done; after a stop it may be blocked reading a pipe (stdin): give it a
        // moment to notice, but do not wait for input that may never come.
        var waited = 0
        while !coordinator.readerDone && waited < 500 {
            usleep(1000)
            waited += 1
        }
        progress.clear()
        if fatal == nil, let e = coordinator.readerError { fatal = e }
        if fatal != nil || summary.stoppedBy != nil {
            for w in writers { w.writer.abort() }
            errorReport?.discard()
            if let fatal { throw fatal }
        } else {
            for (k, w) in writers.enumerated() {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try w.writer.finish()
                writerNanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
            }
            if let report = errorReport {
                try report.commit()
                summary.errorReport = report.path
            } else if let path = errorReportPath, FileManager.default.fileExists(atPath: path) {
                // A report from an earlier run would now be wrong.
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let nanos = coordinator.nanos
        summary.bytesIn = coordinator.progressSnapshot.bytes
        summary.timings.append(.init(stage: loaders.map(\.label).joined(separator: " + "),
                                     seconds: Double(nanos[0]) / 1e9, documents: summary.documentsIn))
        for (k, t) in transforms.enumerated() {
            summary.timings.append(.init(stage: t.label, seconds: Double(nanos[k + 1]) / 1e9,
                                         documents: summary.documentsOut))
        }
        for (k, w) in writers.enumerated() {
            summary.timings.append(.init(stage: w.label, seconds: Double(writerNanos[k]) / 1e9,
                                         documents: summary.documentsOut))
        }
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }

    /// `out/daily.jsonl` → `out/daily.jsonl.errors.jsonl`.
    public static func errorReportPath(for output: String) -> String { output + ".errors.jsonl" }

    // MARK: one stage at a time (REPL)

    /// Reads up to `limit` records from the pipeline's loaders (all of them when `limit` is nil) and decodes them.
    public func load(limit: Int? = nil) throws -> [ProcessedRecord] {
        var out: [ProcessedRecord] = []
        for l in pipeline.loaders {
            out += try Self.load(l, limit: limit.map { $0 - out.count }, cancellation: options.cancellation)
        }
        return out
    }

    /// Reads up to `limit` records from one load stage and decodes them.
    ///
    /// - Throws: ``RunError`` when the input cannot be read or `cancellation` is set.
    public static func load(_ stage: ResolvedStage, limit: Int?, cancellation: RunCancellation? = nil) throws -> [ProcessedRecord] {
        guard let ls = stage.instance as? any LoadStage else { return [] }
        let chain = TransformChain(loaderLabel: stage.label, stages: [])
        var nanos: [UInt64] = [0]
        var out: [ProcessedRecord] = []
        var r = try ls.makeReader()
        while limit == nil || out.count < limit! {
            if cancellation?.isCancelled == true { throw RunError("interrupted") }
            guard let rec = try r.next() else { break }
            out.append(chain.run(rec, nanos: &nanos))
        }
        return out
    }

    /// Applies one transform stage to `documents` in parallel on `jobs` threads; results keep the input order.
    ///
    /// - Throws: ``RunError`` when `cancellation` is set before every document is done.
    public static func apply(_ stage: ResolvedStage, to documents: [Document],
                             jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                             cancellation: RunCancellation? = nil) throws -> [Result<Document, DocumentFailure>] {
        guard let t = stage.instance as? any TransformStage else {
            return documents.map { .failure(DocumentFailure(id: $0.id, origin: RecordOrigin(file: "-"),
                                                            stage: stage.label, message: "not a transform stage")) }
        }
        let results = ResultSlots<Result<Document, DocumentFailure>>(count: documents.count)
        let requires = stage.descriptor.requires
        let workers = max(1, min(jobs, documents.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < documents.count {
                if cancellation?.isCancelled == true { return }
                var doc = documents[i]
                let origin = RecordOrigin(file: doc.id)
                if let missing = requires.first(where: { !doc.has($0) }) {
                    results[i] = .failure(DocumentFailure(id: doc.id, origin: origin, stage: stage.label,
                                                          message: "the document has no '\(missing)' layer"))
                } else {
                    do {
                        try t.process(&doc)
                        results[i] = .success(doc)
                    } catch {
                        results[i] = .failure(DocumentFailure(id: doc.id, origin: origin, stage: stage.label,
                                                              message: "\(error)"))
                    }
                }
                i += workers
            }
        }
        guard let values = results.valuesIfComplete else { throw RunError("interrupted") }
        return values
    }
}

/// Fixed slots written by distinct threads at distinct indices.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return storage.map { $0! } }
    var valuesIfComplete: [T]? {
        lock.lock()
        defer { lock.unlock() }
        var out: [T] = []
        out.reserveCapacity(storage.count)
        for v in storage {
            guard let v else { return nil }
            out.append(v)
        }
        return out
    }
}
