import Foundation
import PipelineCore

/// A transform written in any language, run as worker processes (see the README's protocol section): the extract,
/// summarize and stance command stages are this one stage under three kinds.
public protocol CommandTransformStage: WorkerBackedStage {
    /// The stage's kind.
    static var commandKind: StageKind { get }
    /// What it says in `pipeline stages`.
    static var commandHelp: String { get }
    /// The stage's workers (their handshake and processes).
    var workers: CommandWorkers { get }
    /// Wraps started workers.
    init(workers: CommandWorkers)
}

extension CommandTransformStage {
    /// The options every command stage takes; the worker's own options come from its handshake.
    public static var descriptor: StageDescriptor {
        StageDescriptor(
            kind: commandKind, name: "command", help: commandHelp + " (needs --allow-commands)",
            options: CommandWorkers.baseOptions(commandKind))
    }

    /// Starts the workers' handshake.
    public init(options: StageOptions, context: StageContext) throws {
        self.init(workers: try CommandWorkers(kind: Self.commandKind, options: options))
    }

    /// The layers the worker declared.
    public var provides: [Layer] { workers.handshake.provides }

    /// A worker process for one job slot.
    public func makeWorker() throws -> any TransformWorker { CommandWorkers.Slot(workers) }

    /// Stops the workers.
    public func shutdown() { workers.shutdown() }
}

/// `extract command run=[...]`: an extractor written in any language, run as a worker process.
public struct ExtractCommand: ExtractStage, CommandTransformStage {
    /// `.extract`.
    public static let commandKind = StageKind.extract
    /// Its help line.
    public static let commandHelp = "an external worker process speaking JSON Lines"
    /// The stage's worker processes: the handshake, and one long-lived process per job slot.
    public let workers: CommandWorkers
    /// Wraps started workers.
    public init(workers: CommandWorkers) { self.workers = workers }
}

/// `summarize command run=[...]`: a summariser written in any language, run as a worker process.
public struct SummarizeCommand: SummarizeStage, CommandTransformStage {
    /// `.summarize`.
    public static let commandKind = StageKind.summarize
    /// Its help line.
    public static let commandHelp = "an external worker process speaking JSON Lines"
    /// The stage's worker processes: the handshake, and one long-lived process per job slot.
    public let workers: CommandWorkers
    /// Wraps started workers.
    public init(workers: CommandWorkers) { self.workers = workers }
}

/// `stance command run=[...]`: a stance model written in any language, run as a worker process.
public struct StanceCommand: StanceStage, CommandTransformStage {
    /// `.stance`.
    public static let commandKind = StageKind.stance
    /// Its help line.
    public static let commandHelp = "an external worker process speaking JSON Lines"
    /// The stage's worker processes: the handshake, and one long-lived process per job slot.
    public let workers: CommandWorkers
    /// Wraps started workers.
    public init(workers: CommandWorkers) { self.workers = workers }
}

/// `load command run=[...]`: a producer written in any language: after its handshake and the options line it prints
/// one document per line and exits.
public struct LoadCommand: LoadStage {
    /// The options every command stage takes; the worker's own options come from its handshake.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "command",
        help: "documents printed by an external producer process (needs --allow-commands)",
        options: CommandWorkers.baseOptions(.load), provides: [.text])
    let workers: CommandWorkers
    /// Checks the producer's handshake.
    public init(options: StageOptions, context: StageContext) throws {
        workers = try CommandWorkers(kind: .load, options: options)
    }
    /// Text plus the layers the producer declared.
    public var provides: [Layer] { [.text] + workers.handshake.provides }
    /// Starts the producer.
    public func makeReader() throws -> any DocumentReader { Reader(worker: try workers.start(), workers: workers) }
    /// Stops the producer.
    public func shutdown() { workers.shutdown() }

    final class Reader: DocumentReader {
        let worker: WorkerProcess
        let workers: CommandWorkers
        var line = 0
        var done = false
        var bytes = 0

        init(worker: WorkerProcess, workers: CommandWorkers) {
            self.worker = worker
            self.workers = workers
            worker.closeInput()  // the producer has its options; nothing more will come on its stdin
        }

        var progress: (bytesRead: Int, totalBytes: Int?) { (bytes, nil) }

        func next() throws -> LoadedRecord? {
            guard !done else { return nil }
            let origin = RecordOrigin(file: workers.label, line: line + 1)
            do {
                let text = try worker.readLine(timeout: workers.timeout)
                line += 1
                bytes += text.count + 1
                let label = workers.label
                let n = line
                return LoadedRecord(
                    origin: origin,
                    content: .pending({
                        try text.withUnsafeBufferPointer { try Document(json: $0, fallbackID: "\(label):\(n)") }
                    }))
            } catch let e as WorkerError {
                done = true
                workers.retire(worker, healthy: false)
                let ended = e.reason == .exited(cleanly: true)
                return ended
                    ? nil : LoadedRecord(origin: origin, content: .failure(id: nil, message: "\(workers.label): \(e)"))
            }
        }
    }
}

extension BuiltInStages {
    /// The command stages as registry factories (they describe themselves through a handshake and need permission).
    public static var commandFactories: [StageFactory] {
        [
            factory(ExtractCommand.self, .extract),
            factory(SummarizeCommand.self, .summarize),
            factory(StanceCommand.self, .stance),
            factory(LoadCommand.self, .load),
        ]
    }

    private static func factory<S: Stage>(_ type: S.Type, _ kind: StageKind) -> StageFactory {
        StageFactory(
            descriptor: S.descriptor, typeName: _typeName(type, qualified: false), runsCommands: true,
            describe: { options, _ in try CommandWorkers.describe(kind: kind, options: options) },
            make: { options, context in try S(options: options, context: context) })
    }
}
