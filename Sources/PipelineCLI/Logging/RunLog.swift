import Foundation
import Logging
import PipelineCore

/// The structured log of `pipeline run --log FILE`: one JSON line when the run starts (pipeline, file, jobs, error
/// policy, inputs, outputs, variables), one per failure (id, stage, message, file, line, where it was recorded), one
/// per stage with its timing when the run ends, and a final line with the counts, the outputs and the error report —
/// or the error and exit code of a run that did not complete. Every line carries the run's pipeline name and a run id.
struct RunLog: Sendable {
    let logger: Logger

    init(path: String, pipeline: String) throws {
        let sink = try JSONLogHandler.Sink(path: path)
        var l = Logger(label: "pipeline") { _ in JSONLogHandler(sink: sink) }
        l[metadataKey: "pipeline"] = .string(pipeline)
        l[metadataKey: "run"] = .string(String(UUID().uuidString.prefix(8)).lowercased())
        logger = l
    }

    func started(_ pipeline: Pipeline, jobs: Int, onError: ErrorPolicy, resume: Bool) {
        logger.info(
            "run started",
            metadata: [
                "file": .string(pipeline.file ?? ""),
                "jobs": .stringConvertible(jobs),
                "on_error": .string("\(onError)"),
                "resume": .stringConvertible(resume),
                "inputs": .array(pipeline.loaders.compactMap { $0.value(of: .input) }.map { .string($0) }),
                "outputs": .array(pipeline.writers.compactMap { $0.value(of: .output) }.map { .string($0) }),
                "variables": .dictionary(
                    .init(
                        uniqueKeysWithValues: pipeline.variables.map { ($0.key, .string($0.value.value.description)) })),
            ])
    }

    func failure(_ failure: DocumentFailure, recorded: FailureRecord) {
        var m: Logger.Metadata = [
            "id": .string(failure.id ?? ""), "stage": .string(failure.stage), "message": .string(failure.message),
        ]
        m["input"] = .string(failure.origin.file)
        if failure.origin.line > 0 { m["line"] = .stringConvertible(failure.origin.line) }
        switch recorded {
        case .report(let path): m["recorded_in"] = .string(path)
        case .inPlace: m["recorded_in"] = .string("output")
        case .nowhere: break
        }
        logger.error("document failed", metadata: m)
    }

    func finished(_ summary: RunSummary, outputs: [String]) {
        for t in summary.timings {
            logger.info(
                "stage timing",
                metadata: [
                    "stage": .string(t.stage), "seconds": .stringConvertible(t.seconds),
                    "documents": .stringConvertible(t.documents),
                ])
        }
        var m: Logger.Metadata = [
            "documents_in": .stringConvertible(summary.documentsIn),
            "documents_out": .stringConvertible(summary.documentsOut),
            "failed": .stringConvertible(summary.failed), "seconds": .stringConvertible(summary.seconds),
            "bytes_in": .stringConvertible(summary.bytesIn), "outputs": .array(outputs.map { .string($0) }),
            "exit_code": .stringConvertible(0),
        ]
        if let r = summary.errorReport { m["error_report"] = .string(r) }
        if let r = summary.resumedAfter { m["resumed_after"] = .stringConvertible(r) }
        logger.info("run finished", metadata: m)
    }

    func failed(_ message: String, code: Int32, failure: DocumentFailure? = nil) {
        var m: Logger.Metadata = ["message": .string(message), "exit_code": .stringConvertible(Int(code))]
        if let f = failure {
            m["id"] = .string(f.id ?? "")
            m["stage"] = .string(f.stage)
            m["input"] = .string(f.origin.file)
            if f.origin.line > 0 { m["line"] = .stringConvertible(f.origin.line) }
        }
        logger.error("run failed", metadata: m)
    }
}

/// Passes a run's events to the console observer and its failures to the log.
final class LoggingObserver: RunObserver {
    let inner: any RunObserver
    let log: RunLog
    init(_ inner: any RunObserver, log: RunLog) {
        self.inner = inner
        self.log = log
    }

    func observe(_ event: RunEvent) {
        if case .failure(let f, let recorded) = event { log.failure(f, recorded: recorded) }
        inner.observe(event)
    }
}
