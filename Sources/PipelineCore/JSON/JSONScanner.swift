import Foundation
import OrderedCollections

/// A malformed-JSON error with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// Byte offset into the input (0-based).
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `"MESSAGE at byte N"`.
    public var description: String { "\(message) at byte \(offset + 1)" }
}

/// A byte-level JSON reader over a buffer of UTF-8. It validates UTF-8 inside strings and reports errors with byte
/// offsets. Callers either read a whole value (`readValue`) or walk an object key by key (`readObject`), which lets the
/// document decoder fill typed fields without building an intermediate tree.
public struct JSONScanner {
    @usableFromInline let base: UnsafeBufferPointer<UInt8>
    /// Current byte offset.
    public var position: Int
    private var depth = 0

    /// Creates a scanner over `buffer`, which must outlive the scanner.
    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer
        position = 0
    }

    /// Parses a complete JSON text (one value, surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buf in
            var s = JSONScanner(buf)
            let v = try s.readValue()
            try s.expectEnd()
            return v
        }
    }

    /// Parses a complete JSON text from a string.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    @inline(__always) func error(_ text: String) -> JSONSyntaxError { JSONSyntaxError(text, offset: position) }

    /// Skips JSON whitespace.
    @inline(__always)
    public mutating func skipWhitespace() {
        while position < base.count {
            let b = base[position]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 } else { return }
        }
    }

    /// Fails unless only whitespace remains.
    public mutating func expectEnd() throws {
        skipWhitespace()
        if position < base.count { throw error("unexpected text after the JSON value") }
    }

    /// The next non-whitespace byte, without consuming it; `nil` at the end.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < base.count ? base[position] : nil
    }

    /// Reads `null` if it comes next and returns true; otherwise leaves the position unchanged.
    public mutating func readNullIfPresent() throws -> Bool {
        if peek() == UInt8(ascii: "n") { try literal("null"); return true }
        return false
    }

    /// Reads any value.
    public mutating func readValue() throws -> JSONValue {
        guard let b = peek() else { throw error("unexpected end of input, expected a value") }
        switch b {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"):
            var o = OrderedDictionary<String, JSONValue>()
            try readObject { (key, s) in o[key] = try s.readValue() }
            return .object(o)
        case UInt8(ascii: "["):
            var a: [JSONValue] = []
            try readArray { (s) in a.append(try s.readValue()) }
            return .array(a)
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try readNumber()
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        if position + n <= base.count {
            var ok = true
            word.withUTF8Buffer { w in
                for k in 0..<n where base[position + k] != w[k] { ok = false; break }
            }
            if ok { position += n; return }
        }
        throw error("invalid literal, expected \(word)")
    }

    /// Reads an object, calling `body` with each key; `body` must consume the value.
    public mutating func readObject(_ body: (String, inout JSONScanner) throws -> Void) throws {
        guard peek() == UInt8(ascii: "{") else { throw error("expected an object") }
        depth += 1
        if depth > 512 { throw error("nesting deeper than 512 levels") }
        position += 1
        if peek() == UInt8(ascii: "}") { position += 1; depth -= 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try readString()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after key") }
            position += 1
            try body(key, &self)
            guard let c = peek() else { throw error("unexpected end of input inside an object") }
            position += 1
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { position -= 1; throw error("expected ',' or '}' in object") }
        }
        depth -= 1
    }

    /// Reads an array, calling `body` once per element; `body` must consume the element.
    public mutating func readArray(_ body: (inout JSONScanner) throws -> Void) throws {
        guard peek() == UInt8(ascii: "[") else { throw error("expected an array") }
        depth += 1
        if depth > 512 { throw error("nesting deeper than 512 levels") }
        position += 1
        if peek() == UInt8(ascii: "]") { position += 1; depth -= 1; return }
        while true {
            try body(&self)
            guard let c = peek() else { throw error("unexpected end of input inside an array") }
            position += 1
            if c == UInt8(ascii: "]") { break }
            if c != UInt8(ascii: ",") { position -= 1; throw error("expected ',' or ']' in array") }
        }
        depth -= 1
    }

    /// Reads an integer value (a number without fraction), failing otherwise.
    public mutating func readInt() throws -> Int {
        let start = position
        let v = try readNumber()
        guard let i = v.intValue else { position = start; throw error("expected an integer") }
        return i
    }

    /// Reads a number.
    public mutating func readNumber() throws -> JSONValue {
        skipWhitespace()
        let start = position
        var negative = false
        if position < base.count && base[position] == UInt8(ascii: "-") { negative = true; position += 1 }
        let digitsStart = position
        var value = 0
        var overflow = false
        while position < base.count, base[position] &- 48 < 10 {
            let d = Int(base[position] &- 48)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { overflow = true }
            value = s
            position += 1
        }
        if position == digitsStart {
            position = start
            throw error("expected a value")
        }
        if position - digitsStart > 1 && base[digitsStart] == UInt8(ascii: "0") {
            position = digitsStart
            throw error("leading zeros are not allowed in numbers")
        }
        var isDouble = false
        if position < base.count && base[position] == UInt8(ascii: ".") {
            isDouble = true
            position += 1
            let f = position
            while position < base.count, base[position] &- 48 < 10 { position += 1 }
            if position == f { throw error("expected digits after '.'") }
        }
        if position < base.count && (base[position] | 0x20) == UInt8(ascii: "e") {
            isDouble = true
            position += 1
            if position < base.count && (base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-")) {
                position += 1
            }
            let f = position
            while position < base.count, base[position] &- 48 < 10 { position += 1 }
            if position == f { throw error("expected digits in exponent") }
        }
        if !isDouble && !overflow { return .int(negative ? -value : value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: base[start..<position]), as: UTF8.self)
        guard let d = Double(text) else { throw error("invalid number") }
        // 1e999 would become infinity, which JSON cannot write back: reject it so write → read → write is stable.
        guard d.isFinite else { throw error("number \(text.prefix(40)) is out of range for a 64-bit float") }
        return .double(d)
    }

    /// Reads a string, decoding escapes and validating UTF-8.
    public mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        position += 1
        let start = position
        let n = base.count
        // One pass, eight bytes per step, to the first quote, backslash or control character: a quote means the
        // string has no escapes and is the bytes in between.
        var special = ByteScan.firstStringSpecial(base, from: start)
        if special < n && base[special] == 0x22 {
            let slice = UnsafeBufferPointer(rebasing: base[start..<special])
            position = special + 1
            if ByteScan.isASCII(slice) { return String(decoding: slice, as: UTF8.self) }
            guard let s = String(validating: slice, as: UTF8.self) else {
                position = start
                throw error("invalid UTF-8 in string")
            }
            return s
        }
        // Escapes: the runs between them are copied into one buffer, each escape decoded.
        var out = ByteAccumulator(capacity: 64 + (n - start) / 4)
        position = start
        while true {
            guard special < n else {
                position = n
                throw error("unterminated string")
            }
            if base[special] < 0x20 {
                position = special
                throw error("unescaped control character in string")
            }
            out.append(base.baseAddress! + position, special - position)
            position = special
            if base[special] == 0x22 {
                position += 1
                guard let s = out.string() else {
                    position = start
                    throw error("invalid UTF-8 in string")
                }
                return s
            }
            try readEscape(into: &out)
            special = ByteScan.firstStringSpecial(base, from: position)
        }
    }

    /// Decodes the escape at the backslash at `position` into `out` and moves past it.
    private mutating func readEscape(into out: inout ByteAccumulator) throws {
        let n = base.count
        position += 1
        guard position < n else { throw error("unterminated string") }
        let e = base[position]
        position += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // Surrogate pair.
                if position + 1 < n && base[position] == 0x5C && base[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                scalar = 0xFFFD
            }
            let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            for b in UTF8.encode(u)! { out.append(b) }
        default:
            position -= 1
            throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= base.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[position]
            var d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw error("invalid \\u escape")
            }
            v = v * 16 + d
            position += 1
        }
        return v
    }
}

/// A growable byte buffer for decoding strings, freed automatically (non-copyable, so it is never freed twice).
struct ByteAccumulator: ~Copyable {
    private var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        p.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = p
        capacity = newCapacity
    }

    mutating func append(_ source: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (pointer + count).update(from: source, count: n)
        count += n
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        pointer[count] = byte
        count += 1
    }

    /// The bytes as a string, or nil when they are not valid UTF-8.
    func string() -> String? {
        let b = UnsafeBufferPointer(start: pointer, count: count)
        return ByteScan.isASCII(b) ? String(decoding: b, as: UTF8.self) : String(validating: b, as: UTF8.self)
    }
}
