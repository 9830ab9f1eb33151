/// Turns the date notations found in news feeds into `YYYY-MM-DD`.
///
/// Accepted: `2026-11-20`, `2026-11-20T08:00:00Z` (any ISO 8601 date-time), `2026/11/20`, `20 November 2026`,
/// `20 Nov 2026`, `November 20, 2026`, `Nov 20 2026`, `26-FEB-1987 15:01:01.79` (Reuters), with an optional leading
/// weekday (`Friday, 20 November 2026`).
public enum DateNormalizer {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The normalised date, or `nil` when `text` is not a recognised date.
    public static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        let bytes = Array(trimmed.utf8)
        // ISO: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time.
        if bytes.count >= 10, let y = number(bytes, 0, 4), (bytes[4] == 45 || bytes[4] == 47),
           let m = number(bytes, 5, 2), bytes[7] == bytes[4], let d = number(bytes, 8, 2),
           bytes.count == 10 || bytes[10] == UInt8(ascii: "T") || bytes[10] == 32 {
            return format(y, m, d)
        }
        // Word-based forms: split on spaces, commas, dashes and dots.
        var words: [String] = []
        var current = ""
        for ch in trimmed.lowercased() {
            if ch == " " || ch == "," || ch == "-" || ch == "." || ch == "/" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        if let w = words.first, w.count >= 3, Int(w) == nil, monthIndex(w) == nil { words.removeFirst() } // weekday
        guard words.count >= 3 else { return nil }
        // D Month Y  |  Month D Y
        if let d = Int(words[0]), let m = monthIndex(words[1]), let y = Int(words[2]) { return format(y, m, d) }
        if let m = monthIndex(words[0]), let d = Int(words[1].trimmingSuffix()), let y = Int(words[2]) {
            return format(y, m, d)
        }
        return nil
    }

    private static func monthIndex(_ w: String) -> Int? {
        guard w.count >= 3 else { return nil }
        let p = String(w.prefix(3))
        guard let i = months.firstIndex(of: p) else { return nil }
        return i + 1
    }

    private static func number(_ b: [UInt8], _ start: Int, _ len: Int) -> Int? {
        var v = 0
        for i in start..<(start + len) {
            let d = b[i] &- 48
            if d > 9 { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private static func format(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1...12).contains(m), (1...31).contains(d), (1000...9999).contains(y) else { return nil }
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= days[m - 1] else { return nil }
        if m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { return nil }
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF.
    public func trimmingWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\r", "\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s.removeFirst() }
        while let l = s.last, ws.contains(l) { s.removeLast() }
        return String(s)
    }

    fileprivate func trimmingSuffix() -> String {
        var s = self
        for suffix in ["st", "nd", "rd", "th"] where s.hasSuffix(suffix) && s.count > 2 {
            s.removeLast(2)
            break
        }
        return s
    }
}
