/// Word-at-a-time (SWAR) byte searches for the hot paths: eight bytes are tested per step with integer arithmetic
/// instead of one comparison per byte.
public enum ByteScan {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero when some byte of `w` is zero.
    @inlinable @inline(__always)
    public static func hasZero(_ w: UInt64) -> UInt64 { (w &- ones) & ~w & highs }

    /// Non-zero when some byte of `w` equals `b`.
    @inlinable @inline(__always)
    public static func has(_ w: UInt64, _ b: UInt8) -> UInt64 { hasZero(w ^ (ones &* UInt64(b))) }

    /// Non-zero when some byte of `w` is below `n` (n ≤ 128).
    @inlinable @inline(__always)
    public static func hasLess(_ w: UInt64, _ n: UInt8) -> UInt64 { (w &- ones &* UInt64(n)) & ~w & highs }

    /// Loads eight bytes at `i` (unaligned).
    @inlinable @inline(__always)
    public static func load(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
    }

    /// The index of the first byte at or after `from` for which `matches` holds, or `p.count`: eight bytes per step,
    /// `flags(w)` marking (high bit of each byte) the bytes of the eight-byte word `w` that match, where the lowest
    /// marked byte must always be a true match (false positives only above a true one), then byte by byte for the
    /// last few.
    @inlinable @inline(__always)
    static func first(
        _ bytes: UnsafeBufferPointer<UInt8>, from: Int, flags: (UInt64) -> UInt64,
        matches: (UInt8) -> Bool
    ) -> Int {
        var i = from
        let n = bytes.count
        while i + 8 <= n {
            let m = flags(load(bytes, i))
            if m != 0 { return i + m.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < n {
            if matches(bytes[i]) { return i }
            i += 1
        }
        return n
    }

    /// The index of the first byte at or after `from` that is a control character, `"`, `\` or 0xE2 (the bytes a
    /// JSON writer must look at), or `p.count`.
    @inlinable
    public static func firstJSONSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        first(
            bytes, from: from, flags: { w in hasLess(w, 0x20) | has(w, 0x22) | has(w, 0x5C) | has(w, 0xE2) },
            matches: { b in b < 0x20 || b == 0x22 || b == 0x5C || b == 0xE2 })
    }

    /// The index of the first byte at or after `from` that is `"`, `\` or a control character (below 0x20): where a
    /// JSON string reader must stop; `p.count` when there is none.
    @inlinable
    public static func firstStringSpecial(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        first(
            bytes, from: from, flags: { w in hasLess(w, 0x20) | has(w, 0x22) | has(w, 0x5C) },
            matches: { b in b < 0x20 || b == 0x22 || b == 0x5C })
    }

    /// The index of the first byte at or after `from` that is not an ASCII letter or digit, or `p.count`: the end of
    /// a plain word, eight bytes per step.
    @inlinable
    public static func alphanumericEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        first(
            bytes, from: from,
            flags: { w in
                // Per byte, on its low seven bits v (no sum below carries into the next byte: v ≤ 0x7F):
                // v + 0x50 ≥ 0x80 ⇔ v ≥ '0', v + 0x46 ≥ 0x80 ⇔ v > '9'; with x = v | 0x20 (letters folded to lower
                // case), x + 0x1F ≥ 0x80 ⇔ x ≥ 'a', x + 0x05 ≥ 0x80 ⇔ x > 'z'. Bytes ≥ 0x80 are never alphanumeric.
                // Exact: no false positives.
                let v = w & ~highs
                let x = v | (ones &* 0x20)
                let digit = (v &+ ones &* 0x50) & ~(v &+ ones &* 0x46)
                let letter = (x &+ ones &* 0x1F) & ~(x &+ ones &* 0x05)
                return ~(digit | letter) & highs | (w & highs)
            }, matches: { b in !(b &- 48 < 10 || (b | 0x20) &- 97 < 26) })
    }

    /// Whether every byte of `p` is below 0x80.
    @inlinable
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        var acc: UInt64 = 0
        while i + 32 <= n {
            acc |= load(bytes, i) | load(bytes, i + 8) | load(bytes, i + 16) | load(bytes, i + 24)
            if acc & highs != 0 { return false }
            i += 32
        }
        while i + 8 <= n {
            acc |= load(bytes, i)
            i += 8
        }
        if acc & highs != 0 { return false }
        while i < n {
            if bytes[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// How many words `p` holds: maximal runs of bytes other than ASCII white space.
    public static func wordCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        var inWord = false
        for b in bytes {
            let space = b == 0x20 || (b >= 0x09 && b <= 0x0D)
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }

    /// Whether `needle` occurs in `haystack` as a run of bytes (for UTF-8 text: as a substring of scalars). An empty
    /// needle occurs everywhere.
    public static func contains(_ haystack: some Collection<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        let h = Array(haystack)
        let m = needle.count
        guard h.count >= m else { return false }
        var i = 0
        let last = h.count - m
        while i <= last {
            if h[i] == first {
                var k = 1
                while k < m, h[i + k] == needle[k] { k += 1 }
                if k == m { return true }
            }
            i += 1
        }
        return false
    }
}
