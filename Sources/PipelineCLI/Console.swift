import Foundation

/// Writing to stdout and stderr, and whether they are terminals.
enum Console {
    /// Writes a line to stderr.
    static func error(_ text: String) {
        let t = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(t.utf8))
    }

    /// Writes text to stdout (no newline added).
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Whether stderr is a terminal.
    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// Whether colour may be used on stderr (a terminal, and NO_COLOR unset).
    static var colorOnStderr: Bool {
        stderrIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
