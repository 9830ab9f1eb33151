import OrderedCollections

/// Appends compact JSON to a byte buffer. Escapes only what JSON requires, plus U+2028/U+2029, so that every
/// serialised value fits on one line (no raw CR or LF ever appears inside a string).
public struct JSONWriter: Sendable {
    /// The bytes written so far (UTF-8).
    public var bytes: [UInt8]

    /// Creates a writer with an empty buffer, reserving `capacity` bytes.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written so far as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends raw ASCII text (punctuation, keys known to need no escaping).
    @inlinable
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one raw byte.
    @inlinable
    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends a JSON string literal.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { writeEscaped($0) }
    }

    /// Appends a JSON string literal from UTF-8 bytes, which must be valid UTF-8.
    public mutating func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = buf.count
        let plain = Self.plain
        while i < n {
            let b = buf[i]
            if plain[Int(b)] {
                i += 1
                continue
            }
            if b == 0xE2 {
                // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are line terminators for some readers.
                if i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9) {
                    if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                    raw(buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 3
                    runStart = i
                } else {
                    i += 1
                }
                continue
            }
            if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            default:
                raw("\\u00")
                bytes.append(Self.hex[Int(b >> 4)])
                bytes.append(Self.hex[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        if n > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<n])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Bytes that can be copied as they are (everything but control characters, `"`, `\\` and 0xE2, which may
    /// start U+2028/U+2029).
    private static let plain: [Bool] = (0..<256).map { b in b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 }

    /// Appends an integer.
    public mutating func int(_ v: Int) {
        if v >= 0 && v < 10 {
            bytes.append(UInt8(48 + v))
            return
        }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var mag = v.magnitude
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[19 - len] = UInt8(48 + mag % 10)
                mag /= 10
                len += 1
            } while mag > 0
            if v < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[(20 - len)...]))
        }
    }

    /// Appends a floating-point number (shortest form that reads back to the same value; non-finite becomes null).
    public mutating func double(_ v: Double) {
        guard v.isFinite else { raw("null"); return }
        if v.rounded() == v && abs(v) < 1e15 {
            // Keep a visible fraction so the value reads back as a double.
            int(Int(v))
            raw(".0")
            return
        }
        bytes.append(contentsOf: v.description.utf8)
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ v: Bool) { if v { raw("true") } else { raw("false") } }

    /// Appends any JSON value.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let a):
            byte(UInt8(ascii: "["))
            for (k, v) in a.enumerated() {
                if k > 0 { byte(UInt8(ascii: ",")) }
                write(v)
            }
            byte(UInt8(ascii: "]"))
        case .object(let o):
            writeObject(o)
        }
    }

    /// Appends an object in key order.
    public mutating func writeObject(_ o: OrderedDictionary<String, JSONValue>) {
        byte(UInt8(ascii: "{"))
        var first = true
        for (k, v) in o {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            string(k)
            byte(UInt8(ascii: ":"))
            write(v)
        }
        byte(UInt8(ascii: "}"))
    }
}
