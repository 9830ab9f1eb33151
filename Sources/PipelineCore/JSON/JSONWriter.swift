import OrderedCollections

/// Appends compact JSON to a byte buffer. Escapes only what JSON requires, plus U+2028/U+2029, so that every
/// serialised value fits on one line (no raw CR or LF ever appears inside a string).
public struct JSONWriter: Sendable {
    /// Backing store; only the first ``count`` bytes are meaningful.
    private var storage: [UInt8]
    /// Number of bytes written.
    public private(set) var count = 0

    /// Creates a writer with an empty buffer, reserving `capacity` bytes.
    public init(capacity: Int = 1024) {
        storage = Self.room(max(64, capacity))
    }

    /// `n` bytes of room, not zeroed (only the first ``count`` bytes are ever read): a batch's buffer is megabytes,
    /// and zeroing it first cost as much as a tenth of a light pipeline's time.
    private static func room(_ n: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
    }

    /// The bytes written so far (UTF-8), copied.
    public var bytes: [UInt8] { Array(storage[0..<count]) }

    /// The bytes written so far as a `String`.
    public var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the bytes written so far, without copying.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Writes a JSON array: `[`, each element by `element`, separated by commas, `]`.
    @inline(__always)
    public mutating func array<C: Collection>(_ items: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        byte(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { byte(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        byte(UInt8(ascii: "]"))
    }

    /// Forgets what was written, keeping the buffer.
    public mutating func reset() { count = 0 }

    private mutating func grow(_ extra: Int) {
        var bigger = Self.room(max(storage.count * 2, count + extra))
        let c = count
        bigger.withUnsafeMutableBytes { dst in
            storage.withUnsafeBytes { src in dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: c) }
        }
        storage = bigger
    }

    /// Appends `n` bytes from `source`.
    @inline(__always)
    public mutating func append(_ source: UnsafeRawPointer, _ n: Int) {
        if count + n > storage.count { grow(n) }
        let c = count
        storage.withUnsafeMutableBytes { dst in (dst.baseAddress! + c).copyMemory(from: source, byteCount: n) }
        count += n
    }

    /// Appends the bytes of a buffer.
    @inline(__always)
    public mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        if let b = buffer.baseAddress, buffer.count > 0 { append(UnsafeRawPointer(b), buffer.count) }
    }

    /// Appends raw ASCII text (punctuation, keys known to need no escaping).
    @inline(__always)
    public mutating func raw(_ s: StaticString) {
        append(UnsafeRawPointer(s.utf8Start), s.utf8CodeUnitCount)
    }

    /// Reserves room for `maxBytes` bytes and lets `body` write up to that many at the end of the output; `body`
    /// returns how many it wrote. For hot paths that format many small values at once.
    @inline(__always)
    public mutating func unsafeAppend(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if count + maxBytes > storage.count { grow(maxBytes) }
        let c = count
        let n = storage.withUnsafeMutableBufferPointer { body($0.baseAddress! + c) }
        precondition(n >= 0 && n <= maxBytes, "unsafeAppend wrote more than it reserved")
        count += n
    }

    /// "00" to "99", for writing two digits at a time.
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Writes the decimal digits of a non-negative integer at `p` (at most 19 bytes); returns how many. Two digits per
    /// division, from a table (span offsets are most of the numbers in a document's JSON).
    @inline(__always)
    public static func writeDecimal(_ v: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if v < 10 {
            p[0] = UInt8(truncatingIfNeeded: 48 + v)
            return 1
        }
        var n = v < 100 ? 2 : (v < 1000 ? 3 : (v < 10_000 ? 4 : (v < 100_000 ? 5 : (v < 1_000_000 ? 6 : 7))))
        if n == 7 {
            var t = v / 1_000_000
            while t > 0 { t /= 10; n += 1 }
            n -= 1
        }
        let pairs = digitPairs.utf8Start
        var x = v
        var i = n
        while x >= 100 {
            let q = x / 100
            let r = (x - q * 100) * 2
            i -= 2
            p[i] = pairs[r]
            p[i + 1] = pairs[r + 1]
            x = q
        }
        if x >= 10 {
            p[0] = pairs[2 * x]
            p[1] = pairs[2 * x + 1]
        } else {
            p[0] = UInt8(truncatingIfNeeded: 48 + x)
        }
        return n
    }

    /// Appends one raw byte.
    @inline(__always)
    public mutating func byte(_ byte: UInt8) {
        if count == storage.count { grow(1) }
        storage[count] = byte
        count += 1
    }

    /// Appends a JSON string literal.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { writeEscaped($0) }
    }

    /// Appends a JSON string literal from UTF-8 bytes, which must be valid UTF-8.
    public mutating func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>) {
        byte(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = buf.count
        while i < n {
            i = ByteScan.firstJSONSpecial(buf, from: i)
            guard i < n else { break }
            let b = buf[i]
            if b == 0xE2 {
                // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are line terminators for some readers.
                if i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9) {
                    if i > runStart { append(UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                    raw(buf[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 3
                    runStart = i
                } else {
                    i += 1
                }
                continue
            }
            if i > runStart { append(UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
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
                byte(Self.hex[Int(b >> 4)])
                byte(Self.hex[Int(b & 0xF)])
            }
            i += 1
            runStart = i
        }
        if n > runStart { append(UnsafeBufferPointer(rebasing: buf[runStart..<n])) }
        byte(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends an integer.
    public mutating func int(_ v: Int) {
        if v >= 0 && v < 10 {
            byte(UInt8(48 + v))
            return
        }
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var mag = v.magnitude
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[19 - len] = UInt8(48 + mag % 10)
                mag /= 10
                len += 1
            } while mag > 0
            if v < 0 { byte(UInt8(ascii: "-")) }
            append(p.baseAddress! + (20 - len), len)
        }
    }

    /// Appends a floating-point number (shortest form that reads back to the same value; non-finite becomes null).
    public mutating func double(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value.rounded() == value && abs(value) < 1e15 {
            // Keep a visible fraction so the value reads back as a double.
            int(Int(value))
            raw(".0")
            return
        }
        var d = value.description
        d.withUTF8 { append($0) }
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
            array(a) { w, v in w.write(v) }
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
