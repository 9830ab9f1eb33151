/// Byte and scalar classification helpers for the byte-level scanners.
enum ByteClass {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b &- 65 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 97 < 26 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 }
    @inline(__always) static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

    /// Decodes the scalar starting at `i` (assumes valid UTF-8); returns it and its byte length.
    @inline(__always)
    static func scalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(p[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        let n = p.count
        if b0 < 0xE0, i + 1 < n {
            return (Unicode.Scalar(((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F)) ?? "\u{FFFD}", 2)
        }
        if b0 < 0xF0, i + 2 < n {
            let v = ((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        if i + 3 < n {
            let v =
                ((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12) | ((UInt32(p[i + 2]) & 0x3F) << 6)
                | (UInt32(p[i + 3]) & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
        }
        return ("\u{FFFD}", 1)
    }

    /// Closing quotation marks and brackets that may follow a sentence's final punctuation.
    static func isCloser(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "\"", "'", ")", "]", "}", "\u{201D}", "\u{2019}", "\u{00BB}", "\u{203A}": return true
        default: return false
        }
    }

    /// Opening quotation marks and brackets that may start a sentence.
    static func isOpener(_ u: Unicode.Scalar) -> Bool {
        switch u {
        case "\"", "'", "(", "[", "{", "\u{201C}", "\u{2018}", "\u{00AB}", "\u{2039}", "\u{2014}", "-": return true
        default: return false
        }
    }

    /// Whether a Unicode white-space scalar (incl. no-break space).
    @inline(never) static func isSpaceScalar(_ u: Unicode.Scalar) -> Bool { u.properties.isWhitespace }

    // The scalar-property tests below stay out of line on purpose: `numericType` and `generalCategory` are resilient
    // types of the standard library, and a function that inlines them sets up their metadata on every call (measured:
    // half the tokenizer's time went to that set-up, on ASCII text that never reaches these tests).

    /// Whether a scalar is a letter or a number (alphabetic or with a numeric type).
    @inline(never) static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
        u.properties.isAlphabetic || u.properties.numericType != nil
    }

    /// Whether a scalar continues a word: a letter, a number, or a combining (non-spacing) mark.
    @inline(never) static func continuesWord(_ u: Unicode.Scalar) -> Bool {
        u.properties.isAlphabetic || u.properties.numericType != nil || u.properties.generalCategory == .nonspacingMark
    }
}
