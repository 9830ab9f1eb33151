import Foundation

/// The writers of a run, opened, with the error report beside the last one: writes each document to every writer,
/// records failures (in place in filter mode, else in the report), and at the end completes or abandons everything
/// together. The batch runner and the REPL's write steps both use it.
struct OpenOutputs {
    private(set) var writers: [(label: String, writer: any DocumentWriter)] = []
    private(set) var nanos: [UInt64]
    /// `writers` that are ``EncodingWriter``s, cast once.
    private var encodingWriters: [(any EncodingWriter)?] = []
    private let errorReportPath: String?
    private var errorReport: AtomicFile?
    private let resumable: Bool

    /// Opens every writer and tells the ones that take part in the run as a whole (``RunAwareWriter``) that `run`
    /// starts; when one cannot be opened or started, the ones already open are abandoned. With `resumable`, every
    /// writer stage is a ``ResumableWriteStage`` (the runner checked) and is opened so that it can be checkpointed —
    /// from the states of `resuming` when the run continues an interrupted one — and so is the error report.
    ///
    /// - Throws: ``RunError/output(stage:message:)``.
    init(
        _ stages: [ResolvedStage], run: RunInfo, resumable: Bool = false, resuming: RunJournal.Checkpoint? = nil
    ) throws {
        self.resumable = resumable
        var k = 0
        for w in stages {
            guard let ws = w.instance as? any WriteStage else { continue }
            do {
                let writer: any DocumentWriter
                if resumable, let rs = ws as? any ResumableWriteStage {
                    writer = try rs.makeResumableWriter(resuming: resuming.map { $0.writers[k] })
                } else {
                    writer = try ws.makeWriter()
                }
                k += 1
                writers.append((w.label, writer))
                try (writer as? any RunAwareWriter)?.begin(run)
            } catch {
                for o in writers { o.writer.abort() }
                throw RunError.output(stage: w.label, message: "\(error)")
            }
        }
        nanos = Array(repeating: 0, count: writers.count)
        encodingWriters = writers.map { $0.writer as? any EncodingWriter }
        errorReportPath = writers.last?.writer.destination.map { PipelineRunner.errorReportPath(for: $0) }
        if let bytes = resuming?.errorReport, let path = errorReportPath {
            do {
                errorReport = try AtomicFile(path: path, resumable: true, resumingAt: bytes)
            } catch {
                for o in writers { o.writer.abort() }
                throw RunError.output(stage: "error report", message: "\(error)")
            }
        }
    }

    /// Makes every output durable and returns their states, for a checkpoint.
    mutating func checkpoint() throws -> (writers: [JSONValue], errorReport: Int?) {
        var states: [JSONValue] = []
        for k in writers.indices {
            guard let w = writers[k].writer as? any ResumableWriter else {
                throw RunError.output(stage: writers[k].label, message: "this writer cannot be checkpointed")
            }
            let t0 = DispatchTime.now().uptimeNanoseconds
            do { states.append(try w.checkpoint()) } catch {
                throw RunError.output(stage: writers[k].label, message: "\(error)")
            }
            nanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
        var report: Int?
        if let e = errorReport {
            do { report = try e.durableLength() } catch {
                throw RunError.output(stage: "error report", message: "\(error)")
            }
        }
        return (states, report)
    }

    /// Each writer's encoder, when it lets the workers encode documents for it (``EncodingWriter``).
    var encoders: [(any DocumentEncoder)?] { encodingWriters.map { $0?.encoder } }

    /// Writes records `records` of a finished batch, all documents, which are its documents number `documents`, to
    /// every writer: the bytes the workers encoded for them, at once, to the writers that have them; the documents
    /// themselves, one by one, to the others.
    mutating func write(_ batch: FinishedBatch, records: Range<Int>, documents: Range<Int>) throws {
        guard !records.isEmpty else { return }
        for k in writers.indices {
            let t0 = DispatchTime.now().uptimeNanoseconds
            do {
                if let e = batch.encoded[k], let w = encodingWriters[k] {
                    try e.withDocuments(documents) { try w.writeEncoded($0) }
                } else {
                    for r in records {
                        guard case .document(let doc?) = batch.records[r] else {
                            preconditionFailure("a writer without an encoder was not given the document")
                        }
                        try writers[k].writer.write(doc)
                    }
                }
            } catch {
                throw RunError.output(stage: writers[k].label, message: "\(error)")
            }
            nanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
    }

    /// Writes one document to every writer.
    mutating func write(_ doc: Document) throws {
        for k in writers.indices {
            let t0 = DispatchTime.now().uptimeNanoseconds
            do {
                try writers[k].writer.write(doc)
            } catch {
                throw RunError.output(stage: writers[k].label, message: "\(error)")
            }
            nanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
    }

    /// Tells the writers that take part in the run that a batch of documents ends.
    mutating func endBatch() throws {
        for k in writers.indices {
            guard let w = writers[k].writer as? any RunAwareWriter else { continue }
            let t0 = DispatchTime.now().uptimeNanoseconds
            do { try w.endBatch() } catch { throw RunError.output(stage: writers[k].label, message: "\(error)") }
            nanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
    }

    /// Records a failure in place (filter mode) and in the error report, if there is one.
    mutating func record(_ failure: DocumentFailure) throws -> FailureRecord {
        var recorded = FailureRecord.nowhere
        for w in writers {
            if let fw = w.writer as? any FailureRecordingWriter, fw.recordsFailuresInPlace {
                do { try fw.writeFailure(failure) } catch { throw RunError.output(stage: w.label, message: "\(error)") }
                recorded = .inPlace
            }
        }
        guard let path = errorReportPath else { return recorded }
        do {
            if errorReport == nil { errorReport = try AtomicFile(path: path, resumable: resumable) }
            var jw = JSONWriter()
            jw.write(failure.json)
            jw.byte(0x0A)
            try jw.withBytes { try errorReport!.write($0) }
        } catch {
            throw RunError.output(stage: "error report", message: "\(path): \(error)")
        }
        return .report(path)
    }

    /// Completes every output (the writers that take part in the run first hear how it ended, from `summary`);
    /// returns the error report's path when failures were recorded. A report left by an earlier run is removed, since
    /// it would now be wrong.
    mutating func finish(_ summary: RunSummary) throws -> String? {
        for k in writers.indices {
            let t0 = DispatchTime.now().uptimeNanoseconds
            do {
                try (writers[k].writer as? any RunAwareWriter)?.end(summary)
                try writers[k].writer.finish()
            } catch {
                throw RunError.output(stage: writers[k].label, message: "\(error)")
            }
            nanos[k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
        if let report = errorReport {
            do { try report.commit() } catch { throw RunError.output(stage: "error report", message: "\(error)") }
            return report.path
        }
        if let path = errorReportPath, FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.removeItem(atPath: path)
        }
        return nil
    }

    /// Abandons every output: nothing that looks complete is left behind.
    func abort() {
        for w in writers { w.writer.abort() }
        errorReport?.discard()
    }
}
