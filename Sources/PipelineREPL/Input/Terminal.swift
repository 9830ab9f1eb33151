import CEditline
import Foundation

/// Facts about the terminal the REPL runs in.
public enum Terminal {
    /// Columns of stdout when it is a terminal.
    public static var columns: Int? {
        let c = Int(pipeline_terminal_columns())
        return c > 0 ? c : nil
    }

    /// Rows of stdout when it is a terminal.
    public static var rows: Int? {
        let r = Int(pipeline_terminal_rows())
        return r > 0 ? r : nil
    }

    /// Whether stdin is a terminal.
    public static var stdinIsTerminal: Bool { isatty(0) != 0 }

    /// Whether stdout is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(1) != 0 }
}
