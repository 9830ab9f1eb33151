/// A position in a `.pipe` file: 1-based line and column (in code points), and how many columns the offending token
/// spans (for the caret line).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named (relative paths stay relative).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// Width of the token, at least 1.
    public var length: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int, length: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }
}
