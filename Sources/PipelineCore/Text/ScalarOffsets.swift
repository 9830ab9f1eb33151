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

    /// The text's Unicode scalars, as `Array(unicodeScalars)` gives them, decoded straight from the UTF-8 bytes into
    /// an array of the right size (the standard library's way counted them through an iterator first, then copied:
    /// 2 % of the daily pipeline's instructions, for two stages).
    public var unicodeScalarArray: [Unicode.Scalar] {
        var s = self
        return s.withUTF8 { buf in
            var n = 0
            for b in buf where b & 0xC0 != 0x80 { n += 1 }
            return [Unicode.Scalar](unsafeUninitializedCapacity: n) { out, count in
                // A String's bytes are valid UTF-8: every lead byte has its continuation bytes and every value is
                // a scalar.
                var i = 0, k = 0
                let len = buf.count
                while i < len {
                    let b0 = UInt32(buf[i])
                    var v: UInt32
                    if b0 < 0x80 {
                        v = b0
                        i += 1
                    } else if b0 < 0xE0 {
                        v = (b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F)
                        i += 2
                    } else if b0 < 0xF0 {
                        v = (b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
                        i += 3
                    } else {
                        v =
                            (b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6
                            | UInt32(buf[i + 3] & 0x3F)
                        i += 4
                    }
                    (out.baseAddress! + k).initialize(to: unsafeBitCast(v, to: Unicode.Scalar.self))
                    k += 1
                }
                count = k
            }
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
