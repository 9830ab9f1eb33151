/// Turns the date notations found in news feeds into `YYYY-MM-DD`.
///
/// Accepted: `2026-11-20`, `2026-11-20T08:00:00Z` (any ISO 8601 date-time), `2026/11/20`, `20 November 2026`,
/// `20 Nov 2026`, `November 20, 2026`, `Nov 20 2026`, `26-FEB-1987 15:01:01.79` (Reuters), with an optional leading
/// weekday (`Friday, 20 November 2026`).
public enum DateNormalizer {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The normalised date, or `nil` when `text` is not a recognised date.
    public static func normalize(_ text: String) -> String? {
        var t = text
        // ISO and Reuters forms, read straight from the bytes.
        if let fast = t.withUTF8({ numeric($0) }) { return fast }
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        let bytes = Array(trimmed.utf8)
        // Word-based forms: split on spaces, commas, dashes, dots and slashes (bytes; ASCII letters lower-cased).
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        for b in bytes {
            if b == 32 || b == 44 || b == 45 || b == 46 || b == 47 || b == 9 {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
            } else {
                current.append(b >= 65 && b <= 90 ? b + 32 : b)
            }
            if words.count > 4 { break }
        }
        if !current.isEmpty { words.append(current) }
        if let w = words.first, w.count >= 3, int(w) == nil, monthIndex(w) == nil { words.removeFirst() }  // weekday
        guard words.count >= 3 else { return nil }
        // D Month Y  |  Month D Y
        if let d = int(words[0]), let m = monthIndex(words[1]), let y = int(words[2]) { return format(y, m, d) }
        if let m = monthIndex(words[0]), let d = int(ordinal(words[1])), let y = int(words[2]) {
            return format(y, m, d)
        }
        return nil
    }

    /// The all-digit forms (ISO and Reuters) read straight from the bytes, without allocating; nil otherwise.
    private static func numeric(_ raw: UnsafeBufferPointer<UInt8>) -> String?? {
        var a = 0
        var b = raw.count
        while a < b && (raw[a] == 32 || raw[a] == 9) { a += 1 }
        while b > a && (raw[b - 1] == 32 || raw[b - 1] == 9 || raw[b - 1] == 10 || raw[b - 1] == 13) { b -= 1 }
        let p = UnsafeBufferPointer(rebasing: raw[a..<b])
        if p.count >= 10, let y = number(p, 0, 4), p[4] == 45 || p[4] == 47, let m = number(p, 5, 2), p[7] == p[4],
            let d = number(p, 8, 2), p.count == 10 || p[10] == UInt8(ascii: "T") || p[10] == 32
        {
            return .some(format(y, m, d))
        }
        // Reuters: D-MON-YYYY or DD-MON-YYYY, optionally followed by a time.
        let k = p.count >= 2 && p[1] == 45 ? 1 : 2
        if p.count >= k + 9, let d = number(p, 0, k), p[k] == 45, p[k + 4] == 45,
            let m = monthIndex(p[k + 1], p[k + 2], p[k + 3]), let y = number(p, k + 5, 4),
            p.count == k + 9 || p[k + 9] == 32
        {
            return .some(format(y, m, d))
        }
        return nil
    }

    /// "jan", "feb", ... packed as three bytes in an integer.
    private static let monthKeys: [UInt32] = months.map { m in m.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    private static func monthIndex(_ byte: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let k = UInt32(byte | 0x20) << 16 | UInt32(b | 0x20) << 8 | UInt32(c | 0x20)
        for i in 0..<12 where monthKeys[i] == k { return i + 1 }
        return nil
    }

    private static func monthIndex(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 3 else { return nil }
        return monthIndex(bytes[0], bytes[1], bytes[2])
    }

    private static func int(_ bytes: [UInt8]) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var v = 0
        for b in bytes {
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    private static func ordinal(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > 2 else { return bytes }
        let tail = String(decoding: bytes.suffix(2), as: UTF8.self)
        return ["st", "nd", "rd", "th"].contains(tail) ? Array(bytes.dropLast(2)) : bytes
    }

    private static func number<C: RandomAccessCollection>(_ b: C, _ start: Int, _ len: Int) -> Int?
    where C.Element == UInt8, C.Index == Int {
        var v = 0
        for i in (b.startIndex + start)..<(b.startIndex + start + len) {
            let d = b[i] &- 48
            if d > 9 { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private static let daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    private static func format(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1...12).contains(m), (1...31).contains(d), (1000...9999).contains(y) else { return nil }
        guard d <= daysInMonth[m - 1] else { return nil }
        if m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) { return nil }
        return String(unsafeUninitializedCapacity: 10) { buf in
            buf[0] = UInt8(48 + y / 1000)
            buf[1] = UInt8(48 + y / 100 % 10)
            buf[2] = UInt8(48 + y / 10 % 10)
            buf[3] = UInt8(48 + y % 10)
            buf[4] = 45
            buf[5] = UInt8(48 + m / 10)
            buf[6] = UInt8(48 + m % 10)
            buf[7] = 45
            buf[8] = UInt8(48 + d / 10)
            buf[9] = UInt8(48 + d % 10)
            return 10
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF.
    public func trimmingWhitespace() -> String {
        let u = utf8
        var a = u.startIndex
        var b = u.endIndex
        func ws(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while a < b && ws(u[a]) { a = u.index(after: a) }
        while b > a && ws(u[u.index(before: b)]) { b = u.index(before: b) }
        if a == u.startIndex && b == u.endIndex { return self }
        return String(self[a..<b])
    }
}
