/// Reads lines from standard input without prompts or escape codes, for scripts: `pipeline repl FILE < session.txt`.
public final class PlainLineReader: LineReader {
    /// Creates a reader.
    public init() {}

    /// The next line of stdin (a trailing CR is dropped), or nil at the end.
    public func readLine(prompt: String) -> String? {
        guard var line = Swift.readLine(strippingNewline: true) else { return nil }
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// Scripts are not interactive.
    public var isInteractive: Bool { false }
}
