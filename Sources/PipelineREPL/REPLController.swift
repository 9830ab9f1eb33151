import Foundation
import PipelineCore

/// The read–execute–print loop: reads lines from a ``LineReader``, runs them in a ``REPLSession`` and prints the
/// results. On a terminal it shows prompts and sends long output through a pager; in scripts it prints no prompt, and
/// reports errors with their line number (and stops at the first with `bail`).
public final class REPLController {
    /// The interpreter.
    public let session: REPLSession
    private let reader: LineReader
    private let bail: Bool
    private let write: (String) -> Void
    private let writeError: (String) -> Void
    private let pager: String?

    /// Creates a loop.
    ///
    /// - Parameters:
    ///   - session: the interpreter.
    ///   - reader: where lines come from.
    ///   - bail: stop at the first error (scripts).
    ///   - pager: the pager command for long output on a terminal (nil: never page).
    ///   - write: prints normal output.
    ///   - writeError: prints errors.
    public init(
        session: REPLSession, reader: LineReader, bail: Bool = false, pager: String? = nil,
        write: @escaping (String) -> Void, writeError: @escaping (String) -> Void
    ) {
        self.session = session
        self.reader = reader
        self.bail = bail
        self.pager = pager
        self.write = write
        self.writeError = writeError
    }

    /// Runs until the input ends or `:quit`; returns the exit code (0, or 1 when a script had errors).
    public func run() -> Int32 {
        var lineNumber = 0
        var errors = 0
        let interactive = reader.isInteractive
        while let line = reader.readLine(prompt: interactive ? session.prompt : "") {
            lineNumber += 1
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { reader.remember(line) }
            do {
                switch try session.execute(line) {
                case .quit:
                    return errors > 0 && !interactive ? 1 : 0
                case .output(let text):
                    if !text.isEmpty { show(text, interactive: interactive) }
                }
            } catch {
                errors += 1
                let message = "\(error)"
                let prefix = interactive ? "" : "line \(lineNumber): "
                writeError(session.style.red("\(prefix)error:") + " " + message + "\n")
                if bail && !interactive { return 1 }
            }
        }
        if interactive { write("\n") }
        return errors > 0 && !interactive ? 1 : 0
    }

    private func show(_ text: String, interactive: Bool) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        if interactive, let pager, let rows = Terminal.rows, lines > rows - 2, Self.page(text, with: pager) { return }
        write(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Sends `text` through the pager (in the terminal's process group, so it can read keys); false when it cannot
    /// start. SIGPIPE is ignored so that quitting the pager early does not end the REPL.
    static func page(_ text: String, with command: String) -> Bool {
        signal(SIGPIPE, SIG_IGN)
        guard let pipe = popen(command, "w") else { return false }
        _ = text.withCString { fputs($0, pipe) }
        let status = pclose(pipe)
        // 127: the shell could not find the pager.
        return status != -1 && (status >> 8) & 0xFF != 127
    }
}
