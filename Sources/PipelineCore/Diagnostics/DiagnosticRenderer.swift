/// Formats diagnostics as `FILE:LINE:COL: error: MESSAGE`, followed by the source line and a caret under the offending
/// token, the way compilers do.
public struct DiagnosticRenderer: Sendable {
    private let sources: [String: [String]]
    private let color: Bool

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - sources: the text of each file, by the name used in locations (files not given are read from disk).
    ///   - color: whether to use ANSI colours.
    public init(sources: [String: String] = [:], color: Bool = false) {
        var lines: [String: [String]] = [:]
        for (k, v) in sources { lines[k] = Self.split(v) }
        self.sources = lines
        self.color = color
    }

    private static func split(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    /// Renders one diagnostic (several lines, ending in a newline).
    public func render(_ diagnostic: Diagnostic) -> String {
        let sev = diagnostic.severity.rawValue
        let sevText =
            color
            ? (diagnostic.severity == .error ? "\u{1B}[1;31m\(sev)\u{1B}[0m" : "\u{1B}[1;33m\(sev)\u{1B}[0m") : sev
        var out = ""
        guard let loc = diagnostic.location else {
            out = "\(sevText): \(diagnostic.message)\n"
            for n in diagnostic.notes { out += "  note: \(n)\n" }
            return out
        }
        out = "\(loc.file):\(loc.line):\(loc.column): \(sevText): \(diagnostic.message)\n"
        let fileLines = sources[loc.file] ?? (try? String(contentsOfFile: loc.file, encoding: .utf8)).map(Self.split)
        if let fileLines, loc.line >= 1, loc.line <= fileLines.count {
            let src = fileLines[loc.line - 1]
            out += "    \(src)\n"
            // Keep tabs in the padding so the caret lines up under tab-indented source.
            var pad = ""
            for (i, u) in src.unicodeScalars.enumerated() where i < loc.column - 1 { pad += u == "\t" ? "\t" : " " }
            let srcWidth = src.unicodeScalars.count
            let width = max(1, min(loc.length, max(1, srcWidth - (loc.column - 1))))
            let caret = "^" + String(repeating: "~", count: width - 1)
            out += "    \(pad)\(color ? "\u{1B}[1;32m\(caret)\u{1B}[0m" : caret)\n"
        }
        for n in diagnostic.notes { out += "  note: \(n)\n" }
        return out
    }

    /// Renders several diagnostics and a closing count line (`2 errors`).
    public func render(_ ds: [Diagnostic]) -> String {
        var out = ds.map(render).joined()
        let errors = ds.filter { $0.severity == .error }.count
        if errors > 0 { out += "\(errors) error\(errors == 1 ? "" : "s")\n" }
        return out
    }
}
