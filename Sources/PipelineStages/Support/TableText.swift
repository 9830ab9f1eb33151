extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (U+0009 and the Unicode space separators) — what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` returns, without the trip through `NSString` that was most
    /// of the time of loading the built-in lexicons and actor table at start-up.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        @inline(__always) func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x80
                ? (scalar == " " || scalar == "\t") : scalar.properties.generalCategory == .spaceSeparator
        }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard isSpace(scalars[before]) else { break }
            end = before
        }
        return String(self[start..<end])
    }
}

extension String {
    /// The rows of a tab-separated table file (the lexicons, the actor table): for each line that is neither blank nor
    /// a `#` comment, its 1-based number, its text without a trailing CR (for messages) and its columns without
    /// surrounding spaces. Lines are split at every line feed byte — also the one of a CR LF pair, which a split on
    /// characters does not see, Swift reading "\r\n" as one character; splitting bytes instead of characters took a
    /// fifth off loading the built-in tables at start-up.
    var tableRows: [(number: Int, line: Substring, columns: [String])] {
        var rows: [(number: Int, line: Substring, columns: [String])] = []
        for (n, raw) in utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = raw.last == 0x0D ? Substring(raw.dropLast()) : Substring(raw)
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || line.utf8.first == UInt8(ascii: "#") { continue }
            let columns = line.utf8.split(separator: 0x09, omittingEmptySubsequences: false).map {
                Substring($0).trimmingSpaces
            }
            rows.append((n + 1, line, columns))
        }
        return rows
    }
}
