import PipelineCore

/// A byte-level word tokenizer for news text in the style of the Penn Treebank and CoNLL-2003: words, numbers
/// (`155,221`, `5.93`, `1996-08-30`), hyphenated words, dotted abbreviations (`U.S.`, `Mr.`) and punctuation marks as
/// separate tokens; the clitics `'s`, `'re`, `'ve`, `'ll`, `'d`, `'m` and `n't` are split off.
public struct Tokenizer: Sendable {
    /// Creates a tokenizer.
    public init() {}

    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        ByteClass.isASCIILetter(byte) || ByteClass.isDigit(byte)
    }

    /// Byte ranges of the tokens in `p`, in order, on character boundaries (a combining mark stays with its letter).
    public func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let out: [Range<Int>] = scan(bytes)
        // Between two ASCII bytes there is always a character boundary.
        return ByteScan.isASCII(bytes) ? out : CharacterBoundaries.align(bytes, out)
    }

    /// The tokens of ASCII text `p` as spans (byte offsets are code-point offsets there): ``tokenize(_:)`` without
    /// the array of ranges to convert (a tenth of the light pipeline's memory traffic).
    ///
    /// - Precondition: `p` is ASCII.
    public func asciiSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [Span] { scan(bytes) }

    /// The tokens of `p`, made by `T.token(start, end)`, before any character-boundary adjustment.
    private func scan<T: TokenBounds>(_ bytes: UnsafeBufferPointer<UInt8>) -> [T] {
        var out: [T] = []
        out.reserveCapacity(bytes.count / 5)
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if ByteClass.isSpace(b) { i += 1; continue }
                if Self.isWordByte(b) {
                    // Most words are letters and digits up to a space: found eight bytes at a time. Any other
                    // word (joined by punctuation, or followed by a mark) is read by `wordEnd` from its start.
                    let plain = ByteScan.alphanumericEnd(bytes, from: i + 1)
                    if plain == n || ByteClass.isSpace(bytes[plain]) {
                        out.append(.token(i, plain))
                        i = plain
                        continue
                    }
                    var apostrophe = false
                    var end = wordEnd(bytes, i, apostrophe: &apostrophe)
                    // A currency written with its country's letters: C$, A$, US$.
                    if end < n && bytes[end] == UInt8(ascii: "$") && end - i <= 2
                        && (i..<end).allSatisfy({ ByteClass.isUpper(bytes[$0]) })
                    {
                        end += 1
                    }
                    if apostrophe { appendSplittingClitics(bytes, i, end, &out) } else { out.append(.token(i, end)) }
                    i = end
                    continue
                }
                let atWordStart = i == 0 || ByteClass.isSpace(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "(")
                // A clitic standing alone, as in pre-tokenised text ("England 's", "I 'm").
                if b == UInt8(ascii: "'"), atWordStart, let end = standaloneClitic(bytes, i) {
                    out.append(.token(i, end))
                    i = end
                    continue
                }
                // A signed number or a decimal without its leading zero: +0.435, -12, .496.
                if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "."), atWordStart,
                    i + 1 < n, ByteClass.isDigit(bytes[i + 1])
                {
                    var apostrophe = false
                    let end = wordEnd(bytes, i + 1, apostrophe: &apostrophe)
                    out.append(.token(i, end))
                    i = end
                    continue
                }
                // Punctuation: group runs of the same mark ("...", "--").
                var j = i + 1
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "-") {
                    while j < n && bytes[j] == b { j += 1 }
                }
                out.append(.token(i, j))
                i = j
                continue
            }
            let (u, len) = ByteClass.scalar(bytes, i)
            if ByteClass.isSpaceScalar(u) { i += len; continue }
            if ByteClass.isWordScalar(u) {
                var apostrophe = false
                let end = wordEnd(bytes, i, apostrophe: &apostrophe)
                if apostrophe { appendSplittingClitics(bytes, i, end, &out) } else { out.append(.token(i, end)) }
                i = end
                continue
            }
            out.append(.token(i, i + len))
            i += len
        }
        return out
    }

    /// Whether the scalar at `i` continues a word.
    @inline(__always) private func isWordAt(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i < bytes.count else { return false }
        let b = bytes[i]
        if b < 0x80 { return Self.isWordByte(b) }
        let (u, _) = ByteClass.scalar(bytes, i)
        return ByteClass.isWordScalar(u)
    }

    /// The end of the word starting at `i`: letters and digits, joined by internal `-`, `'`/`’`, `.` (in
    /// abbreviations and numbers), `,` (in numbers), `/` and `&` between letters. Sets `apostrophe` when the word
    /// holds one (`'` or `’`), the only words that may end in a clitic.
    private func wordEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, apostrophe: inout Bool) -> Int {
        let n = bytes.count
        var i = start
        var allDigits = true
        var dotted = false
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if Self.isWordByte(b) {
                    if !ByteClass.isDigit(b) { allDigits = false }
                    i += 1
                    continue
                }
                let nextIsWord = isWordAt(bytes, i + 1)
                switch b {
                case UInt8(ascii: "-"), UInt8(ascii: "&"), UInt8(ascii: "/"), UInt8(ascii: "'"):
                    if nextIsWord {
                        if b == UInt8(ascii: "'") { apostrophe = true }
                        i += 1
                        continue
                    }
                    return i
                case UInt8(ascii: ","), UInt8(ascii: ":"):
                    if allDigits && i + 1 < n && ByteClass.isDigit(bytes[i + 1]) { i += 1; continue }
                    return i
                case UInt8(ascii: "."):
                    if allDigits && i + 1 < n && ByteClass.isDigit(bytes[i + 1]) { i += 1; continue }
                    // Dotted abbreviation: single letters separated by periods (U.S., U.N., e.g.).
                    let segment = segmentLength(bytes, i)
                    if segment == 1 && (nextIsWord && segmentLength(bytes, i + 1, forward: true) == 1 || dotted) {
                        dotted = true
                        i += 1
                        continue
                    }
                    if segment <= 4 && isKnownAbbreviation(bytes, start, i) { return i + 1 }
                    // An initial: one capital letter and its period (S. Waugh, John F. Kennedy).
                    if i - start == 1 && ByteClass.isUpper(bytes[start])
                        && (i + 1 == n || ByteClass.isSpace(bytes[i + 1]))
                    {
                        return i + 1
                    }
                    // A list number at the start of a line: "1. Michelle Freeman".
                    if allDigits && i - start <= 3 && (start == 0 || bytes[start - 1] == 0x0A) && i + 1 < n
                        && bytes[i + 1] == 0x20
                    {
                        return i + 1
                    }
                    return i
                default:
                    return i
                }
            }
            let (u, len) = ByteClass.scalar(bytes, i)
            if ByteClass.continuesWord(u) {
                allDigits = false
                i += len
                continue
            }
            if u == "\u{2019}" && isWordAt(bytes, i + len) { apostrophe = true; i += len; continue }
            return i
        }
        return i
    }

    /// The end of a clitic (`'s`, `'re`, `'ve`, `'ll`, `'d`, `'m`) starting with the apostrophe at `i` and followed by a
    /// non-letter, or nil.
    private func standaloneClitic(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var j = i + 1
        while j < bytes.count && ByteClass.isASCIILetter(bytes[j]) && j - i <= 3 { j += 1 }
        guard j > i + 1, j == bytes.count || !isWordAt(bytes, j) else { return nil }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self).lowercased()
        return ["s", "re", "ve", "ll", "d", "m"].contains(word) ? j : nil
    }

    /// Letters before position `dot` back to the previous period or word start.
    private func segmentLength(_ bytes: UnsafeBufferPointer<UInt8>, _ dot: Int, forward: Bool = false) -> Int {
        if forward {
            var j = dot
            while j < bytes.count && ByteClass.isASCIILetter(bytes[j]) { j += 1 }
            return j < bytes.count && bytes[j] == UInt8(ascii: ".") ? j - dot : 99
        }
        var j = dot
        while j > 0 && ByteClass.isASCIILetter(bytes[j - 1]) { j -= 1 }
        return dot - j
    }

    private func isKnownAbbreviation(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ dot: Int) -> Bool {
        let w = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<dot]), as: UTF8.self).lowercased()
        return SentenceSplitter.titles.contains(w) || SentenceSplitter.abbreviations.contains(w)
    }

    /// Appends the word `[start, end)`, splitting English clitics off its end.
    private func appendSplittingClitics<T: TokenBounds>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
        _ out: inout [T]
    ) {
        // Find an apostrophe (ASCII or U+2019) near the end.
        var k = end - 1
        var apostrophe = -1
        var apostropheLen = 1
        while k > start && end - k <= 5 {
            if bytes[k] == UInt8(ascii: "'") { apostrophe = k; break }
            if bytes[k] == 0x99 && k >= 2 && bytes[k - 1] == 0x80 && bytes[k - 2] == 0xE2 {
                apostrophe = k - 2; apostropheLen = 3; break
            }
            k -= 1
        }
        if apostrophe > start {
            let suffix = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[(apostrophe + apostropheLen)..<end]),
                as: UTF8.self
            ).lowercased()
            if ["s", "re", "ve", "ll", "d", "m"].contains(suffix) {
                out.append(.token(start, apostrophe))
                out.append(.token(apostrophe, end))
                return
            }
            if suffix == "t" && apostrophe - start >= 2 && (bytes[apostrophe - 1] | 0x20) == UInt8(ascii: "n") {
                if apostrophe - 1 > start { out.append(.token(start, apostrophe - 1)) }
                out.append(.token(apostrophe - 1, end))
                return
            }
        }
        out.append(.token(start, end))
    }
}

/// What the tokenizer can produce for a token from its bounds: a byte range, or a ``Span``.
protocol TokenBounds {
    static func token(_ start: Int, _ end: Int) -> Self
}

extension Range: TokenBounds where Bound == Int {
    @inline(__always) static func token(_ start: Int, _ end: Int) -> Range<Int> { start..<end }
}

extension Span: TokenBounds {
    @inline(__always) static func token(_ start: Int, _ end: Int) -> Span { Span(start: start, end: end) }
}
