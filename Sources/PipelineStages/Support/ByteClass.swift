/// Byte and scalar classification helpers for the byte-level scanners.
enum ByteClass {
    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 65 < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 97 < 26 }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }
    @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 97 < 26 }
    @inline(__always) static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Decodes the scalar starting at `i` (assumes valid UTF-8); returns it and its byte length.
    @inline(__always)
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        let n = bytes.count
        if b0 < 0xE0, i + 1 < n {
            return (Unicode.Scalar(((b0 & 0x1F) << 6) | (UInt32(bytes[i + 1]) & 0x3F)) ?? "\u{FFFD}", 2)
        }
        if b0 < 0xF0, i + 2 < n {
            let v = ((b0 & 0x0F) << 12) | ((UInt32(bytes[i + 1]) & 0x3F) << 6) | (UInt32(bytes[i + 2]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        if i + 3 < n {
            let v =
                ((b0 & 0x07) << 18) | ((UInt32(bytes[i + 1]) & 0x3F) << 12) | ((UInt32(bytes[i + 2]) & 0x3F) << 6)
                | (UInt32(bytes[i + 3]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
        }
        return ("\u{FFFD}", 1)
    }

    /// Closing quotation marks and brackets that may follow a sentence's final punctuation.
    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", ")", "]", "}", "\u{201D}", "\u{2019}", "\u{00BB}", "\u{203A}": return true
        default: return false
        }
    }

    /// Opening quotation marks and brackets that may start a sentence.
    static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "(", "[", "{", "\u{201C}", "\u{2018}", "\u{00AB}", "\u{2039}", "\u{2014}", "-": return true
        default: return false
        }
    }

    /// Whether a Unicode white-space scalar (incl. no-break space).
    @inline(never) static func isSpaceScalar(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    // The scalar-property tests below stay out of line on purpose: `numericType` and `generalCategory` are resilient
    // types of the standard library, and a function that inlines them sets up their metadata on every call (measured:
    // half the tokenizer's time went to that set-up, on ASCII text that never reaches these tests).

    /// Whether a scalar is a letter or a number (alphabetic or with a numeric type).
    @inline(never) static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Whether a scalar continues a word: a letter, a number, or a combining (non-spacing) mark.
    @inline(never) static func continuesWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || scalar.properties.generalCategory == .nonspacingMark
    }
}
