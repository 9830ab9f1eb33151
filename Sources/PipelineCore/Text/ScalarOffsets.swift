/// Converts between UTF-8 byte offsets and Unicode code-point offsets in one text, cheaply when offsets are visited in
/// increasing order (the common case for stages that scan bytes and emit spans left to right).
///
/// For pure-ASCII text both offsets are the same and no counting happens.
public struct ScalarOffsets {
    /// Whether every byte is ASCII (then byte offset == code-point offset).
    public let isASCII: Bool
    private var byteCursor = 0
    private var scalarCursor = 0

    /// Prepares conversion for the UTF-8 bytes in `buffer`.
    public init(_ buffer: UnsafeBufferPointer<UInt8>) {
        isASCII = ScalarOffsets.allASCII(buffer)
    }

    /// Whether every byte of `buffer` is below 0x80.
    public static func allASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteScan.isASCII(buffer)
    }

    /// The code-point offset of byte offset `byte` (which must be on a scalar boundary).
    public mutating func scalar(atByte byte: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        if isASCII { return byte }
        if byte < byteCursor { byteCursor = 0; scalarCursor = 0 }
        var count = scalarCursor
        var i = byteCursor
        while i < byte {
            if buffer[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        byteCursor = byte
        scalarCursor = count
        return count
    }

    /// The byte offset of code-point offset `scalar`; offsets past the end map to the end.
    public mutating func byte(atScalar scalar: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        if isASCII { return min(scalar, buffer.count) }
        if scalar < scalarCursor { byteCursor = 0; scalarCursor = 0 }
        var count = scalarCursor
        var i = byteCursor
        let n = buffer.count
        while i < n {
            if buffer[i] & 0xC0 != 0x80 {
                if count == scalar { break }
                count += 1
            }
            i += 1
        }
        byteCursor = i
        scalarCursor = count
        return i
    }
}

extension String {
    /// Number of Unicode scalars (code points), the unit of every span offset.
    public var scalarCount: Int {
        var s = self
        return s.withUTF8 { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return n
        }
    }

    /// The substring covered by a code-point span, clamped to the text.
    public func slice(_ span: Span) -> String {
        var s = self
        return s.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            let a = offsets.byte(atScalar: max(0, span.start), in: buf)
            let b = max(a, offsets.byte(atScalar: max(0, span.end), in: buf))
            return String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
        }
    }
}
