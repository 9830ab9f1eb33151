import Foundation
import OrderedCollections
import PipelineCore
import Synchronization

/// The worker processes behind one `KIND command` stage: each job slot owns one long-lived worker (a ``Slot``, made by
/// the stage's `makeWorker()`), started on first use after a handshake and the options line. A worker that crashes,
/// hangs past the timeout, answers with invalid JSON or with another document's id costs only the document it was
/// given: it is killed and the slot starts a new one for its next document. Every live process is tracked so that
/// ``shutdown()`` can stop them all, also while a slot is waiting on one. Public as a handle only (what a
/// ``CommandTransformStage`` holds); its workings are internal.
public final class CommandWorkers: Sendable {
    /// The options every command stage takes itself; the rest go to the worker.
    static let reserved = ["run", "timeout"]

    /// `run=`: the worker's command line.
    static let run = StageOption<[String]>.required(
        "run", help: "the worker's command line, e.g. [\"python3\", \"Pipelines/stages/keywords.py\"]")

    /// `timeout=`, whose help depends on what a worker is given.
    static func timeout(_ kind: StageKind) -> StageOption<Double> {
        StageOption<Double>(
            "timeout", default: 30, range: 0.05...86_400,
            help:
                "seconds a worker may take per \(kind == .load ? "line" : "document") (its start-up may take \(Int(startupAllowance)) s or this, whichever is longer)"
        )
    }

    static func baseOptions(_ kind: StageKind) -> [any OptionDeclaring] { [run, timeout(kind)] }

    /// Seconds a worker may take to start and send its handshake, at least: an interpreter that imports a model
    /// (spaCy) or a loaded machine needs longer to start than to answer for one document.
    static let startupAllowance = 60.0

    /// The handshake deadline for a per-document `timeout`.
    static func startupTimeout(_ timeout: Double) -> Double { max(timeout, startupAllowance) }

    let command: [String]
    let timeout: Double
    let kind: StageKind
    let handshake: WorkerHandshake
    let label: String
    private let optionsLine: [UInt8]
    /// The live worker processes, and whether the stage is shutting down.
    private struct Live {
        var processes: [ObjectIdentifier: WorkerProcess] = [:]
        var closed = false
    }
    private let live = Mutex(Live())

    /// Starts one worker to read its handshake, then stops it; the descriptor of the stage it makes.
    static func describe(kind: StageKind, options: StageOptions) throws -> StageDescriptor {
        let command = options[run]
        let timeout = options[Self.timeout(kind)]
        let h = try handshake(command: command, kind: kind, timeout: timeout)
        return descriptor(kind: kind, handshake: h)
    }

    static func descriptor(kind: StageKind, handshake h: WorkerHandshake) -> StageDescriptor {
        StageDescriptor(
            kind: kind, name: "command", help: "\(h.name): \(h.help)",
            options: baseOptions(kind) + h.options as [any OptionDeclaring], requires: kind == .load ? [] : h.requires,
            provides: kind == .load ? [.text] + h.provides : h.provides)
    }

    private static func handshake(command: [String], kind: StageKind, timeout: Double) throws -> WorkerHandshake {
        let w = try WorkerProcess(command: command, label: "\(kind) command")
        defer { w.stop() }
        let line: [UInt8]
        do {
            line = try w.readLine(timeout: startupTimeout(timeout))
        } catch {
            throw StageConfigurationError(
                "no handshake from '\(command.joined(separator: " "))': \(error)", option: "run")
        }
        return try WorkerHandshake(line: line, expectedKind: kind, reserved: reserved)
    }

    init(kind: StageKind, options: StageOptions) throws {
        self.kind = kind
        command = options[Self.run]
        timeout = options[Self.timeout(kind)]
        handshake = try Self.handshake(command: command, kind: kind, timeout: timeout)
        label = "\(kind) command \(handshake.name)"
        var sent = OrderedDictionary<String, JSONValue>()
        for spec in handshake.options {
            if let v = options.values[spec.name] { sent[spec.name] = WorkerHandshake.json(v) }
        }
        optionsLine = Array(JSONValue.object(["options": .object(sent)]).jsonText.utf8)
    }

    /// Starts a worker, checks its handshake and sends the options.
    func start() throws -> WorkerProcess {
        let w = try WorkerProcess(command: command, label: label)
        do {
            let line = try w.readLine(timeout: Self.startupTimeout(timeout))
            let h = try WorkerHandshake(line: line, expectedKind: kind, reserved: Self.reserved)
            guard h.name == handshake.name else {
                throw WorkerError(.protocolViolation, "the worker now calls itself '\(h.name)'")
            }
            try w.send(optionsLine)
        } catch {
            w.kill9()
            throw WorkerError(.io, "the worker did not start: \(error)")
        }
        let isClosed = live.withLock { l in
            l.processes[ObjectIdentifier(w)] = w
            return l.closed
        }
        if isClosed {
            retire(w, healthy: false)
            throw WorkerError(.io, "the stage is shutting down")
        }
        return w
    }

    /// Stops a worker: politely when it is healthy, with SIGKILL when not.
    func retire(_ w: WorkerProcess, healthy: Bool) {
        if healthy { w.stop() } else { w.kill9() }
        _ = live.withLock { $0.processes.removeValue(forKey: ObjectIdentifier(w)) }
    }

    /// One job slot's worker process (``TransformStage/makeWorker()``): started on first use, replaced after a
    /// failure, stopped by ``close()``.
    struct Slot: TransformWorker {
        let workers: CommandWorkers
        var process: WorkerProcess?

        init(_ workers: CommandWorkers) { self.workers = workers }

        /// Sends one document to the slot's worker and takes its answer.
        mutating func process(_ document: inout Document) throws {
            let w: WorkerProcess
            do {
                w = try process ?? workers.start()
            } catch {
                throw DocumentError("\(workers.label): \(error)", id: document.id)
            }
            process = w
            let result: Result<Document, DocumentError>
            do {
                try w.send(document.jsonBytes())
                let answer = try w.readLine(timeout: workers.timeout)
                result = try workers.decode(answer, expectedID: document.id)
            } catch {
                workers.retire(w, healthy: false)
                process = nil
                throw DocumentError("\(workers.label): \(error); the worker was restarted", id: document.id)
            }
            // The worker answered properly (a document, or an error it reports for this document): keep it.
            document = try result.get()
        }

        /// Stops the slot's worker.
        mutating func close() {
            if let w = process { workers.retire(w, healthy: true) }
            process = nil
        }
    }

    /// The worker's answer: the document, or the error it reported for this document (`{"id", "error"}`).
    func decode(_ line: [UInt8], expectedID: String) throws -> Result<Document, DocumentError> {
        let value: JSONValue
        do {
            value = try JSONScanner.parse(line)
        } catch {
            let text = String(decoding: line.prefix(80), as: UTF8.self)
            throw WorkerError(.protocolViolation, "invalid JSON answer '\(text)': \(error)")
        }
        guard case .object(let o) = value else {
            throw WorkerError(.protocolViolation, "the answer is not a JSON object")
        }
        let id = o["id"]?.stringValue ?? o["id"]?.intValue.map(String.init)
        guard id == expectedID else {
            throw WorkerError(
                .protocolViolation, "answered for document '\(id ?? "(no id)")' when sent '\(expectedID)'")
        }
        if let message = o["error"]?.stringValue, o["text"] == nil {
            return .failure(DocumentError("\(label): \(message)", id: expectedID))
        }
        do {
            return .success(try line.withUnsafeBufferPointer { try Document(json: $0) })
        } catch {
            throw WorkerError(.protocolViolation, "the answer is not a valid document: \(error)")
        }
    }

    /// Stops every worker: closes their input, gives them a second to exit, then kills what is left. Workers in use
    /// by another thread are stopped too, which ends their wait (used when a run is interrupted).
    func shutdown() {
        let all = live.withLock { l in
            l.closed = true
            return Array(l.processes.values)
        }
        for w in all { w.closeInput() }
        let deadline = Date(timeIntervalSinceNow: 1)
        while all.contains(where: { $0.process.isRunning }) && Date() < deadline { usleep(5_000) }
        for w in all { w.kill9() }
        live.withLock { $0.processes = [:] }
    }

    deinit { shutdown() }
}
