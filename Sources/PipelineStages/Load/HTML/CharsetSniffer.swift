/// Finds how an HTML page's bytes are encoded, the way browsers do before parsing: a byte-order mark, then a
/// `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 4 KB, then — when
/// nothing is declared — UTF-8 if the bytes are valid UTF-8, else windows-1252 (what browsers assume for Western
/// pages), with a note saying so.
enum CharsetSniffer {
    /// The encoding name for libxml2 and, when it was guessed rather than declared, a note for `meta`.
    static func sniff(_ bytes: UnsafeBufferPointer<UInt8>) -> (encoding: String, note: String?) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return ("UTF-8", nil) }
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return ("UTF-16LE", nil) }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return ("UTF-16BE", nil) }
        if let declared = declared(UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, 4096)])) {
            let name = canonical(declared)
            // A page that declares a legacy charset but is valid UTF-8 beyond ASCII was almost surely re-encoded by
            // whoever saved it; reading it as declared would garble every accented letter.
            if name != "UTF-8", hasMultibyte(bytes), String(validating: bytes, as: UTF8.self) != nil {
                return ("UTF-8", "declared charset \(declared), but the bytes are valid UTF-8; read as UTF-8")
            }
            return (name, nil)
        }
        if String(validating: bytes, as: UTF8.self) != nil { return ("UTF-8", nil) }
        return ("windows-1252", "no charset declared and the bytes are not UTF-8; read as windows-1252")
    }

    /// The charset named by a meta tag in `head`, if any.
    static func declared(_ head: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let n = head.count
        while i + 5 < n {
            // "<meta" case-insensitively
            if head[i] == 0x3C, lower(head[i + 1]) == 0x6D, lower(head[i + 2]) == 0x65, lower(head[i + 3]) == 0x74,
                lower(head[i + 4]) == 0x61
            {
                var j = i + 5
                var end = j
                while end < n && head[end] != 0x3E { end += 1 }
                // Find "charset" inside the tag.
                while j + 7 <= end {
                    if matches(head, j, "charset") {
                        var k = j + 7
                        while k < end && (head[k] == 0x20 || head[k] == 0x09) { k += 1 }
                        if k < end && head[k] == 0x3D {
                            k += 1
                            while k < end && (head[k] == 0x20 || head[k] == 0x09 || head[k] == 0x22 || head[k] == 0x27)
                            { k += 1 }
                            var e = k
                            while e < end && isNameByte(head[e]) { e += 1 }
                            if e > k {
                                return String(decoding: UnsafeBufferPointer(rebasing: head[k..<e]), as: UTF8.self)
                            }
                        }
                    }
                    j += 1
                }
                i = end
            }
            i += 1
        }
        return nil
    }

    /// Encoding names as libxml2 (iconv) knows them; the aliases browsers treat as windows-1252 become it.
    static func canonical(_ name: String) -> String {
        switch name.lowercased() {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "UTF-8"
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252":
            return "windows-1252"
        case "shift_jis", "sjis", "x-sjis": return "SHIFT_JIS"
        case "gb2312", "gbk", "x-gbk": return "GBK"
        default: return name.uppercased()
        }
    }

    private static func hasMultibyte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.contains { $0 >= 0x80 } }
    @inline(__always) private static func lower(_ byte: UInt8) -> UInt8 { byte &- 65 < 26 ? byte | 0x20 : byte }
    @inline(__always) private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte &- 48 < 10) || (byte | 0x20) &- 97 < 26 || byte == 0x2D || byte == 0x5F || byte == 0x3A || byte == 0x2E
    }
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard at + w.count <= bytes.count else { return false }
        for k in 0..<w.count where lower(bytes[at + k]) != w[k] { return false }
        return true
    }
}
