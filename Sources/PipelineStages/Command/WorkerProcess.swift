import Foundation
import PipelineCore

/// One external worker process speaking JSON Lines: documents go to its stdin, answers come from its stdout, and its
/// stderr is copied to ours with every line prefixed by the stage's label.
///
/// Sendable by these rules (hence `@unchecked`): the read buffer is used by the one job slot that owns the worker;
/// only `closeInput()` and `kill9()` may be called from another thread (to stop a run), and they take `inputLock`.
final class WorkerProcess: @unchecked Sendable {
    let process: Process
    private let input: FileHandle
    private let outputFD: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var bufferStart = 0
    let label: String
    private let stderrDone = DispatchSemaphore(value: 0)
    private let inputLock = NSLock()
    private var inputClosed = false

    /// Starts `command` (the first element is the program, found on PATH unless it contains a `/`).
    init(command: [String], label: String) throws {
        guard let program = command.first, !program.isEmpty else {
            throw StageConfigurationError(
                "run must name a program, e.g. run=[\"python3\", \"stage.py\"]", option: "run")
        }
        self.label = label
        // A worker that dies must not kill us with SIGPIPE when we write to it.
        signal(SIGPIPE, SIG_IGN)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Self.locate(program))
        p.arguments = Array(command.dropFirst())
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        do {
            try p.run()
        } catch {
            throw StageConfigurationError(
                "cannot start '\(command.joined(separator: " "))': \(error.localizedDescription)",
                option: "run")
        }
        process = p
        input = inPipe.fileHandleForWriting
        outputFD = outPipe.fileHandleForReading.fileDescriptor
        let errHandle = errPipe.fileHandleForReading
        let prefix = "[\(label)] "
        let done = stderrDone
        Thread {
            var pending = Data()
            while true {
                let chunk = errHandle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = pending[pending.startIndex...nl]
                    FileHandle.standardError.write(Data(prefix.utf8) + line)
                    pending.removeSubrange(pending.startIndex...nl)
                }
            }
            if !pending.isEmpty { FileHandle.standardError.write(Data(prefix.utf8) + pending + Data([0x0A])) }
            done.signal()
        }.start()
    }

    /// The full path of `program`: as given when it contains a slash, else the first match on PATH.
    static func locate(_ program: String) throws -> String {
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else {
                throw StageConfigurationError("'\(program)' is not an executable file", option: "run")
            }
            return program
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw StageConfigurationError("program '\(program)' not found on PATH", option: "run")
    }

    /// Writes one line (a newline is added).
    func send(_ bytes: [UInt8]) throws {
        var data = Data(bytes)
        data.append(0x0A)
        do {
            inputLock.lock()
            defer { inputLock.unlock() }
            guard !inputClosed else { throw WorkerError(.io, "the worker was stopped") }
            try input.write(contentsOf: data)
        } catch let e as WorkerError {
            throw e
        } catch {
            throw WorkerError(.io, "the worker stopped reading its input (\(exitDescription))")
        }
    }

    /// Reads one line, waiting at most `timeout` seconds.
    func readLine(timeout: Double) throws -> [UInt8] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let nl = buffer[bufferStart...].firstIndex(of: 0x0A) {
                var line = Array(buffer[bufferStart..<nl])
                if line.last == 0x0D { line.removeLast() }
                bufferStart = nl + 1
                if bufferStart > 1 << 16 {
                    buffer.removeFirst(bufferStart)
                    bufferStart = 0
                }
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { throw WorkerError(.timeout, "no answer within \(Self.seconds(timeout)) s (timeout=)") }
            var fds = pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(remaining, 3600) * 1000) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw WorkerError(.io, "cannot read from the worker: \(String(cString: strerror(errno)))")
            }
            if ready == 0 { continue }
            let fd = outputFD
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw WorkerError(.io, "cannot read from the worker: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                process.waitUntilExit()
                let cleanly = process.terminationReason == .exit && process.terminationStatus == 0
                throw WorkerError(.exited(cleanly: cleanly), "the worker exited (\(exitDescription)) without answering")
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// How the process ended, or "still running".
    var exitDescription: String {
        guard !process.isRunning else { return "still running" }
        return process.terminationReason == .uncaughtSignal
            ? "killed by signal \(process.terminationStatus)"
            : "exit status \(process.terminationStatus)"
    }

    /// Closes the worker's input without stopping it (a producer that reads stdin to the end then goes on).
    func closeInput() {
        inputLock.lock()
        defer { inputLock.unlock() }
        guard !inputClosed else { return }
        inputClosed = true
        try? input.close()
    }

    /// Closes the worker's input (a well-behaved worker then exits), waits briefly, then kills it.
    func stop() {
        closeInput()
        let deadline = Date(timeIntervalSinceNow: 1)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        _ = stderrDone.wait(timeout: .now() + 1)
    }

    /// Kills the worker at once (after a timeout or a protocol error).
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        closeInput()
        process.waitUntilExit()
        _ = stderrDone.wait(timeout: .now() + 1)
    }
}

/// A worker misbehaved: crashed, hung, or broke the protocol.
struct WorkerError: Error, CustomStringConvertible {
    /// What went wrong, for callers that act on it (a producer that exits with status 0 has simply finished).
    enum Reason: Equatable {
        /// The process ended; `cleanly` when with exit status 0.
        case exited(cleanly: Bool)
        /// No answer within the timeout.
        case timeout
        /// The answer broke the protocol (not JSON, another id, a changed handshake).
        case protocolViolation
        /// Reading or writing the pipes failed, or the worker was stopped.
        case io
    }

    var reason: Reason
    var description: String

    init(_ reason: Reason, _ d: String) {
        self.reason = reason
        description = d
    }
}
