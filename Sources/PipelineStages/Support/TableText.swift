extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (U+0009 and the Unicode space separators) — what
    /// Foundation's `trimmingCharacters(in: .whitespaces)` returns, without the trip through `NSString` that was most
    /// of the time of loading the built-in lexicons and actor table at start-up.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        @inline(__always) func isSpace(_ u: Unicode.Scalar) -> Bool {
            u.value < 0x80 ? (u == " " || u == "\t") : u.properties.generalCategory == .spaceSeparator
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
    /// The text's lines, split at every line feed byte — also the one of a CR LF pair, which a split on characters
    /// does not see, Swift reading "\r\n" as one character; a line keeps its trailing CR. Splitting bytes instead of
    /// characters took a fifth off loading the built-in tables at start-up.
    var lineSlices: [Substring] {
        utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
    }
}

extension Substring {
    /// The line's tab-separated columns, split on bytes.
    var tabColumns: [Substring] {
        utf8.split(separator: 0x09, omittingEmptySubsequences: false).map { Substring($0) }
    }
}
