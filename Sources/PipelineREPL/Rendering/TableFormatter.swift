/// Formats rows as a plain-text table that fits a width, shrinking the widest text column first.
public struct TableFormatter {
    /// Column headers.
    public var headers: [String]
    /// Rows of cells.
    public var rows: [[String]]
    /// Columns whose numbers are right-aligned.
    public var numeric: Set<Int>

    /// Creates a table.
    public init(headers: [String], rows: [[String]], numeric: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.numeric = numeric
    }

    /// The table as text no wider than `width` (when possible).
    public func render(width: Int) -> String {
        var widths = headers.indices.map { c in max(headers[c].count, rows.map { $0[c].count }.max() ?? 0) }
        let gap = 2
        while widths.reduce(0, +) + gap * (widths.count - 1) > width {
            guard let widest = widths.indices.filter({ !numeric.contains($0) }).max(by: { widths[$0] < widths[$1] }),
                widths[widest] > 8
            else { break }
            widths[widest] -= 1
        }
        func cell(_ text: String, _ c: Int) -> String {
            var t = text
            if t.count > widths[c] { t = String(t.prefix(max(1, widths[c] - 1))) + "…" }
            let pad = String(repeating: " ", count: max(0, widths[c] - t.count))
            return numeric.contains(c) ? pad + t : t + pad
        }
        var lines = [headers.indices.map { cell(headers[$0], $0) }.joined(separator: "  ")]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in rows { lines.append(r.indices.map { cell(r[$0], $0) }.joined(separator: "  ")) }
        return lines.map { l in
            var x = l; while x.hasSuffix(" ") { x.removeLast() }; return x
        }.joined(separator: "\n")
    }
}
