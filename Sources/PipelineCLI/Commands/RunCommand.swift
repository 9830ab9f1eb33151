import ArgumentParser
import Foundation
import PipelineCore

/// `pipeline run FILE`.
struct RunCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline over its input.",
        discussion: """
            Documents are processed in parallel and written in input order. Exit codes: 0 success, 2 definition or \
            usage error, 65 a document failed (--on-error fail), 74 an input or output could not be read or written.
            """)

    @OptionGroup var definition: DefinitionOptions

    @OptionGroup var plugins: PluginOptions

    @Option(help: "Documents processed in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        name: .customLong("on-error"),
        help: "fail: stop at the first failing document; skip: record it in <output>.errors.jsonl and go on.")
    var onError: ErrorPolicy = .fail

    @Flag(help: "Print per-stage wall time and documents/s.")
    var timings = false

    @Flag(help: "Do not print the summary line.")
    var quiet = false

    @Flag(help: "Continue the run that was killed with these outputs, from its checkpoint (<last output>.checkpoint).")
    var resume = false

    @Option(
        help: "Append structured JSON log lines (run start, failures, stage timings, the final summary) to this file.")
    var log: String?

    @Option(
        name: .customLong("checkpoint-every"),
        help: "Seconds between checkpoints of a resumable run (0: after every batch).")
    var checkpointEvery: Double = 1

    func validate() throws {
        guard jobs >= 1 && jobs <= 1024 else { throw ValidationError("--jobs must be between 1 and 1024") }
        guard checkpointEvery >= 0 && checkpointEvery <= 86_400 else {
            throw ValidationError("--checkpoint-every must be between 0 and 86400 seconds")
        }
    }

    func execute(registry: StageRegistry) -> Int32 {
        // Ctrl-C or SIGTERM, from here on: stop between batches and discard the outputs (no temporary file, no
        // worker process is left behind). Installed before the build, which may already start worker handshakes.
        let cancellation = RunCancellation()
        let signals = Interrupts(cancellation)
        defer { signals.restore() }
        // A loader that walks folders while it is built stops when interrupted.
        let (built, _) = RunCancellation.$current.withValue(cancellation) {
            definition.build(registry: registry, jobs: jobs)
        }
        guard let pipeline = built else {
            return cancellation.isCancelled ? PipelineCLI.interrupted : PipelineCLI.usageError
        }
        defer { pipeline.shutdown() }
        if cancellation.isCancelled {
            Console.error("error: interrupted before the run started")
            return PipelineCLI.interrupted
        }
        var runLog: RunLog?
        if let path = log {
            do {
                runLog = try RunLog(path: path, pipeline: pipeline.name)
            } catch {
                Console.error("error: \(error)")
                return PipelineCLI.ioError
            }
            runLog?.started(pipeline, jobs: jobs, onError: onError, resume: resume)
        }
        let console = ConsoleObserver(name: pipeline.name, showProgress: Console.stderrIsTerminal)
        let runner = PipelineRunner(
            pipeline: pipeline,
            options: RunOptions(
                jobs: jobs, onError: onError,
                observer: runLog.map { LoggingObserver(console, log: $0) } ?? console,
                cancellation: cancellation, resume: resume,
                checkpointInterval: checkpointEvery))
        let summary: RunSummary
        do {
            summary = try runner.run()
        } catch let error as RunError {
            Console.error("error: \(error)")
            var code = error == .interrupted ? PipelineCLI.interrupted : PipelineCLI.ioError
            if case .cannotResume = error { code = PipelineCLI.usageError }
            runLog?.failed("\(error)", code: code)
            return code
        } catch {
            Console.error("error: \(error)")
            runLog?.failed("\(error)", code: PipelineCLI.ioError)
            return PipelineCLI.ioError
        }
        if let f = summary.stoppedBy {
            Console.error("error: \(f)")
            let toStdout = pipeline.writers.last?.value(of: .output) == "-"
            Console.error(
                "note: " + (toStdout ? "output stopped before this document" : "no output file was written")
                    + " (--on-error fail stops at the first failing document); "
                    + "use --on-error skip to write the other documents and list the failures")
            runLog?.failed("\(f)", code: PipelineCLI.dataError, failure: f)
            return PipelineCLI.dataError
        }
        runLog?.finished(summary, outputs: pipeline.writers.compactMap { $0.value(of: .output) })
        if !quiet {
            var line = summary.line(name: pipeline.name)
            if let report = summary.errorReport { line += " (failures listed in \(report))" }
            Console.error(line)
        }
        if timings { Console.error(Self.timingTable(summary)) }
        return 0
    }

    static func timingTable(_ summary: RunSummary) -> String {
        let width = max(10, summary.timings.map(\.stage.count).max() ?? 10)
        var out = "stage".padding(toLength: width, withPad: " ", startingAt: 0) + "   seconds      docs/s\n"
        for t in summary.timings {
            let rate = t.seconds > 0 ? String(Int(Double(t.documents) / t.seconds)) : "-"
            out +=
                t.stage.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %8.3f", t.seconds) + "  " + String(repeating: " ", count: max(0, 10 - rate.count))
                + rate + "\n"
        }
        let mb = Double(summary.bytesIn) / 1e6
        out +=
            "wall \(String(format: "%.3f", summary.seconds)) s, \(String(format: "%.1f", mb)) MB in, "
            + "\(String(format: "%.1f", summary.seconds > 0 ? mb / summary.seconds : 0)) MB/s"
        return out
    }
}

extension ErrorPolicy: @retroactive ExpressibleByArgument {}
