/// Where the REPL's input lines come from: a terminal with line editing, a pipe or file, or a test script.
public protocol LineReader: AnyObject {
    /// The next line without its newline, or nil at the end of input.
    func readLine(prompt: String) -> String?
    /// Records a line in the history (interactive readers only).
    func remember(_ line: String)
    /// Whether prompts and colours make sense (a terminal).
    var isInteractive: Bool { get }
}

extension LineReader {
    /// Nothing to remember.
    public func remember(_ line: String) {}
}
