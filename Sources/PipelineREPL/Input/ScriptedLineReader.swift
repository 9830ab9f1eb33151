/// Feeds a fixed list of lines, for tests of the command interpreter.
public final class ScriptedLineReader: LineReader {
    private var lines: [String]
    /// Every line handed out, in order.
    public private(set) var consumed: [String] = []

    /// Creates a reader over `lines`.
    public init(_ lines: [String]) { self.lines = lines }

    /// The next scripted line, or nil when they are used up.
    public func readLine(prompt: String) -> String? {
        guard !lines.isEmpty else { return nil }
        let l = lines.removeFirst()
        consumed.append(l)
        return l
    }

    /// Not interactive.
    public var isInteractive: Bool { false }
}
