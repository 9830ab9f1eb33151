import Foundation
import PipelineCore

/// A rule-based sentence splitter for news text that works on UTF-8 bytes.
///
/// It knows titles and abbreviations (Mr., Dr., Maj. Gen., Sen., U.S., U.N.), initials, decimals and numbers,
/// ellipses, quotes and brackets after the full stop, and headlines and datelines that end without one. Line breaks
/// are handled by ``NewlineMode``: in `auto`, a text whose lines are hard-wrapped (many line breaks followed by a
/// lower-case word) treats single line breaks as spaces unless the line looks like a headline; other texts treat
/// every line break as a boundary. A blank line always ends a sentence.
public struct SentenceSplitter: Sendable {
    /// How single line breaks are treated.
    public enum NewlineMode: String, Sendable, CaseIterable, OptionEnum {
        /// Decide per document (see the type's discussion).
        case auto
        /// Every line break ends a sentence.
        case always
        /// Single line breaks are spaces; blank lines still end sentences.
        case never
    }

    /// The line-break policy.
    public var newlines: NewlineMode

    /// Creates a splitter.
    public init(newlines: NewlineMode = .auto) { self.newlines = newlines }

    /// Titles: never end a sentence (a name follows).
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "gen", "maj", "col", "lt", "capt", "cpt", "sgt",
        "cpl",
        "pvt", "adm", "brig", "cmdr", "cdr", "comdr", "sen", "rep", "gov", "lt.gen", "rev", "fr", "sr", "st", "hon",
        "pres", "supt", "insp", "det", "amb", "sec", "atty", "gens", "sens", "reps", "mt", "ft", "pt", "sra", "sr",
    ]

    /// Abbreviations that usually do not end a sentence but may; they end one only before a typical sentence
    /// opener.
    static let abbreviations: Set<String> = [
        "inc", "corp", "co", "ltd", "plc", "llc", "bros", "jr", "esq", "etc", "vs", "v", "al", "approx", "dept", "est",
        "fig", "no", "nos", "vol", "pp", "ca", "cf", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "ave", "blvd",
        "rd", "hwy", "univ", "assn", "dist", "govt", "intl", "natl", "mln", "bln", "pct", "e.g", "i.e", "a.m", "p.m",
        "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la", "md",
        "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt",
        "wash", "wis", "wyo", "op", "ed", "gen", "repr",
    ]

    /// Words that typically start a sentence; an ambiguous abbreviation followed by one of them ends the sentence.
    static let openers: Set<String> = [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "but", "and",
        "in", "on", "at", "its", "his", "her", "their", "our", "there", "mr", "mrs", "ms", "dr", "if", "when", "while",
        "as", "after", "before", "however", "meanwhile", "earlier", "later", "also", "some", "many", "most", "no",
        "one", "two", "three", "for", "to", "by", "with", "what", "who",
    ]

    /// Lower-cased ASCII bytes of a word of at most eight bytes packed into an integer (0 when longer), so that the
    /// word lists can be searched without allocating strings.
    @inline(__always)
    static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard bytes.count <= 8, !bytes.isEmpty else { return 0 }
        var k: UInt64 = 0
        for b in bytes {
            let l = ByteClass.isUpper(b) ? b | 0x20 : b
            k = (k << 8) | UInt64(l)
        }
        return k
    }

    static func keys(_ words: Set<String>) -> Set<UInt64> {
        Set(
            words.map { w in
                var a = Array(w.utf8)
                return a.withUnsafeMutableBufferPointer { key(UnsafeBufferPointer($0)) }
            }.filter { $0 != 0 })
    }

    static let titleKeys = keys(titles)
    static let abbreviationKeys = keys(abbreviations)
    static let openerKeys = keys(openers)

    /// The packed key of the ASCII-letter word starting at `k`.
    static func wordKey(_ bytes: UnsafeBufferPointer<UInt8>, from k: Int) -> UInt64 {
        var e = k
        while e < bytes.count && ByteClass.isASCIILetter(bytes[e]) && e - k < 9 { e += 1 }
        return key(UnsafeBufferPointer(rebasing: bytes[k..<e]))
    }

    /// Byte ranges of the sentences in `p` (whitespace trimmed), in order, on character boundaries.
    public func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let n = bytes.count
        var out: [Range<Int>] = []
        if n == 0 { return out }
        out.reserveCapacity(n / 64 + 4)
        let shape = newlines == .auto ? lineShape(bytes) : LineShape(wrapped: false, maxLength: 0)
        var lineStart = 0
        var start = 0
        var i = 0
        @inline(__always) func emit(_ a: Int, _ b: Int) {
            var s = a
            var e = b
            while s < e && ByteClass.isSpace(bytes[s]) { s += 1 }
            while e > s && ByteClass.isSpace(bytes[e - 1]) { e -= 1 }
            if e > s { out.append(s..<e) }
        }
        while i < n {
            // Skip eight bytes at a time while none is a line feed, '.', '!', '?' or 0xE2 (which starts '…').
            while i + 8 <= n {
                let w = ByteScan.load(bytes, i)
                let m =
                    ByteScan.has(w, 0x0A) | ByteScan.has(w, 0x2E) | ByteScan.has(w, 0x21) | ByteScan.has(w, 0x3F)
                    | ByteScan.has(w, 0xE2)
                if m != 0 {
                    i += m.trailingZeroBitCount / 8
                    break
                }
                i += 8
            }
            guard i < n else { break }
            let b = bytes[i]
            if !(b == 0x0A || b == 0x2E || b == 0x21 || b == 0x3F || b == 0xE2) {
                i += 1
                continue
            }
            if b == 0x0A {
                // Blank line or boundary line break.
                var j = i + 1
                var blank = false
                while j < n && (bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D || bytes[j] == 0x0A) {
                    if bytes[j] == 0x0A { blank = true }
                    j += 1
                }
                let boundary = blank || lineBreakEnds(bytes, at: i, lineStart: lineStart, shape: shape)
                // The line after the skipped white space starts at the last line feed skipped.
                var k = j
                while k > i && bytes[k - 1] != 0x0A { k -= 1 }
                lineStart = k
                if boundary {
                    emit(start, i)
                    start = j
                }
                i = j
                continue
            }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?")
                || (b == 0xE2 && i + 2 < n && bytes[i + 1] == 0x80 && bytes[i + 2] == 0xA6)
            {
                if let end = sentenceEnd(bytes, at: i) {
                    emit(start, end)
                    start = end
                    i = end
                    continue
                }
            }
            i += 1
        }
        emit(start, n)
        return CharacterBoundaries.align(bytes, out)
    }

    /// If the terminal punctuation at `i` ends a sentence, the byte offset just after the sentence (after closing
    /// quotes and brackets); otherwise nil.
    func sentenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = bytes.count
        let first = bytes[i]
        // Decimal or version numbers, ".com": a period with no space after is never a boundary.
        var j = i
        var dots = 0
        var isEllipsis = false
        while j < n {
            let c = bytes[j]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                if c == UInt8(ascii: ".") { dots += 1 }
                j += 1
            } else if c == 0xE2 && j + 2 < n && bytes[j + 1] == 0x80 && bytes[j + 2] == 0xA6 {
                isEllipsis = true
                j += 3
            } else {
                break
            }
        }
        if dots >= 2 { isEllipsis = true }
        // Closing quotes and brackets.
        while j < n {
            let (u, len) = ByteClass.scalar(bytes, j)
            if ByteClass.isCloser(u) { j += len } else { break }
        }
        var end = j
        if j >= n { return end }
        // Tokenised text ("said . \"" at the end of a line): a detached closing quote before a line break belongs
        // to this sentence.
        var q = j
        while q < n && (bytes[q] == 0x20 || bytes[q] == 0x09) { q += 1 }
        if q > j && q < n {
            let (u, len) = ByteClass.scalar(bytes, q)
            if ByteClass.isCloser(u) {
                var r = q + len
                while r < n && (bytes[r] == 0x20 || bytes[r] == 0x09 || bytes[r] == 0x0D) { r += 1 }
                if r >= n || bytes[r] == 0x0A {
                    end = q + len
                    j = end
                    if j >= n { return end }
                }
            }
        }
        // Require white space after.
        if bytes[j] < 0x80 {
            guard ByteClass.isSpace(bytes[j]) else { return nil }
        } else {
            let (after, _) = ByteClass.scalar(bytes, j)
            guard ByteClass.isSpaceScalar(after) else { return nil }
        }
        while j < n && ByteClass.isSpace(bytes[j]) { j += 1 }
        if j >= n { return end }
        // What starts the next sentence?
        var k = j
        while k < n {
            let (u, len) = ByteClass.scalar(bytes, k)
            if ByteClass.isOpener(u) { k += len } else { break }
        }
        guard k < n else { return end }
        if bytes[k] < 0x80 {
            if ByteClass.isLower(bytes[k]) { return nil }
        } else {
            let (next, _) = ByteClass.scalar(bytes, k)
            if next.properties.isLowercase { return nil }
        }
        let nextIsDigit = ByteClass.isDigit(bytes[k])
        if first != UInt8(ascii: ".") || isEllipsis {
            // "!" / "?" / "...": end unless a lower-case word follows (checked above).
            return end
        }
        // A period: look at the word before it.
        var w = i
        while w > 0 {
            let c = bytes[w - 1]
            if ByteClass.isSpace(c) || c == UInt8(ascii: "(") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "[")
                || c == UInt8(ascii: "'") || c == UInt8(ascii: "/")
            {
                break
            }
            w -= 1
        }
        if w == i { return end }  // "word ." (tokenised text) or a lone period
        let word = UnsafeBufferPointer(rebasing: bytes[w..<i])
        // No title or abbreviation is longer than six letters: a long word ends the sentence.
        if word.count > 6 && !word.contains(UInt8(ascii: ".")) { return end }
        // A list number at the start of a line ("2. Anthony Washington").
        if word.count <= 3 && word.allSatisfy(ByteClass.isDigit) {
            var b = w
            while b > 0 && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09) { b -= 1 }
            if b == 0 || bytes[b - 1] == 0x0A { return nil }
        }
        let lower = Self.key(word)
        let nextWord = Self.wordKey(bytes, from: k)
        // Single initial: "John F. Kennedy".
        if word.count == 1 && ByteClass.isUpper(word[0]) { return nil }
        // Titles never end a sentence.
        if Self.titleKeys.contains(lower) { return nil }
        // Dotted acronyms (U.S., U.N., a.m.): end only before a sentence opener.
        if word.contains(UInt8(ascii: "."))
            && word.allSatisfy({ ByteClass.isASCIILetter($0) || $0 == UInt8(ascii: ".") })
        {
            let letters = word.filter(ByteClass.isASCIILetter).count
            let periods = word.count - letters
            if letters <= periods + 1 { return Self.openerKeys.contains(nextWord) ? end : nil }
        }
        if Self.abbreviationKeys.contains(lower) {
            if nextIsDigit { return nil }
            return Self.openerKeys.contains(nextWord) ? end : nil
        }
        return end
    }

    /// What the line-break rule needs to know about a whole text, computed in one pass without allocating.
    struct LineShape {
        /// Whether the text is hard-wrapped (then single line breaks are mostly spaces).
        var wrapped: Bool
        /// The longest line, in bytes.
        var maxLength: Int
    }

    /// Measures `p`: whether some line breaks fall before a lower-case word (at least one in ten), and whether no line
    /// is longer than a typical wrap width (text with one paragraph or sentence per line has long lines).
    func lineShape(_ bytes: UnsafeBufferPointer<UInt8>) -> LineShape {
        guard let base = bytes.baseAddress else { return LineShape(wrapped: false, maxLength: 0) }
        var breaks = 0
        var lowerStarts = 0
        var maxLen = 0
        var start = 0
        var previousLength = -1
        while start <= bytes.count {
            let end: Int
            if start < bytes.count, let hit = memchr(base + start, 0x0A, bytes.count - start) {
                end = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            } else {
                end = bytes.count
            }
            let length = end - start
            maxLen = max(maxLen, length)
            if previousLength > 0 && length > 0 {
                breaks += 1
                if ByteClass.isLower(bytes[start]) { lowerStarts += 1 }
            }
            previousLength = length
            if end >= bytes.count { break }
            start = end + 1
        }
        return LineShape(wrapped: lowerStarts >= 1 && lowerStarts * 10 >= breaks && maxLen <= 120, maxLength: maxLen)
    }

    /// Whether the single line break at `i` (between two non-empty lines; the previous line starts at `lineStart`)
    /// ends a sentence.
    @inline(__always)
    func lineBreakEnds(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, lineStart: Int, shape: LineShape) -> Bool {
        switch newlines {
        case .always: return true
        case .never: return false
        case .auto: break
        }
        if !shape.wrapped { return true }
        guard i + 1 < bytes.count else { return true }
        let nextFirst = bytes[i + 1]
        if ByteClass.isLower(nextFirst) { return false }
        if nextFirst == 0x20 || nextFirst == 0x09 { return true }
        var length = i - lineStart
        if length > 0 && bytes[i - 1] == 0x0D { length -= 1 }
        if length * 2 < shape.maxLength { return true }
        for k in lineStart..<i where ByteClass.isLower(bytes[k]) { return false }
        return true
    }
}
