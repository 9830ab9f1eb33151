import Foundation

/// A rule-based sentence splitter for news text that works on UTF-8 bytes.
///
/// It knows titles and abbreviations (Mr., Dr., Maj. Gen., Sen., U.S., U.N.), initials, decimals and numbers,
/// ellipses, quotes and brackets after the full stop, and headlines and datelines that end without one. Line breaks
/// are handled by ``NewlineMode``: in `auto`, a text whose lines are hard-wrapped (many line breaks followed by a
/// lower-case word) treats single line breaks as spaces unless the line looks like a headline; other texts treat
/// every line break as a boundary. A blank line always ends a sentence.
public struct SentenceSplitter: Sendable {
    /// How single line breaks are treated.
    public enum NewlineMode: String, Sendable, CaseIterable {
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
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "gen", "maj", "col", "lt", "capt", "cpt", "sgt", "cpl",
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

    /// Bytes the main loop must look at: line feed, `.`, `!`, `?` and 0xE2 (which starts `…`).
    static let interesting: [Bool] = (0..<256).map { $0 == 0x0A || $0 == 0x2E || $0 == 0x21 || $0 == 0x3F || $0 == 0xE2 }

    /// Byte ranges of the sentences in `p` (whitespace trimmed), in order.
    public func split(_ p: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        let n = p.count
        var out: [Range<Int>] = []
        if n == 0 { return out }
        let lineIsBoundary = newlineBoundaries(p)
        var start = 0
        var i = 0
        var lineIndex = 0
        @inline(__always) func emit(_ a: Int, _ b: Int) {
            var s = a
            var e = b
            while s < e && ByteClass.isSpace(p[s]) { s += 1 }
            while e > s && ByteClass.isSpace(p[e - 1]) { e -= 1 }
            if e > s { out.append(s..<e) }
        }
        let interesting = Self.interesting
        while i < n {
            let b = p[i]
            if !interesting[Int(b)] {
                i += 1
                continue
            }
            if b == 0x0A {
                // Blank line or boundary line break.
                var j = i + 1
                var blank = false
                while j < n && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0D || p[j] == 0x0A) {
                    if p[j] == 0x0A { blank = true }
                    j += 1
                }
                let boundary = blank || lineIsBoundary(lineIndex)
                // Count every newline we skip.
                var k = i
                while k < j { if p[k] == 0x0A { lineIndex += 1 }; k += 1 }
                if boundary {
                    emit(start, i)
                    start = j
                }
                i = j
                continue
            }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?")
                || (b == 0xE2 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0xA6) {
                if let end = sentenceEnd(p, at: i) {
                    emit(start, end)
                    start = end
                    i = end
                    continue
                }
            }
            i += 1
        }
        emit(start, n)
        return out
    }

    /// If the terminal punctuation at `i` ends a sentence, the byte offset just after the sentence (after closing
    /// quotes and brackets); otherwise nil.
    func sentenceEnd(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = p.count
        let first = p[i]
        // Decimal or version numbers, ".com": a period with no space after is never a boundary.
        var j = i
        var dots = 0
        var isEllipsis = false
        while j < n {
            let c = p[j]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                if c == UInt8(ascii: ".") { dots += 1 }
                j += 1
            } else if c == 0xE2 && j + 2 < n && p[j + 1] == 0x80 && p[j + 2] == 0xA6 {
                isEllipsis = true
                j += 3
            } else {
                break
            }
        }
        if dots >= 2 { isEllipsis = true }
        // Closing quotes and brackets.
        while j < n {
            let (u, len) = ByteClass.scalar(p, j)
            if ByteClass.isCloser(u) { j += len } else { break }
        }
        var end = j
        if j >= n { return end }
        // Tokenised text ("said . \"" at the end of a line): a detached closing quote before a line break belongs
        // to this sentence.
        var q = j
        while q < n && (p[q] == 0x20 || p[q] == 0x09) { q += 1 }
        if q > j && q < n {
            let (u, len) = ByteClass.scalar(p, q)
            if ByteClass.isCloser(u) {
                var r = q + len
                while r < n && (p[r] == 0x20 || p[r] == 0x09 || p[r] == 0x0D) { r += 1 }
                if r >= n || p[r] == 0x0A {
                    end = q + len
                    j = end
                    if j >= n { return end }
                }
            }
        }
        // Require white space after.
        if p[j] < 0x80 {
            guard ByteClass.isSpace(p[j]) else { return nil }
        } else {
            let (after, _) = ByteClass.scalar(p, j)
            guard ByteClass.isSpaceScalar(after) else { return nil }
        }
        while j < n && ByteClass.isSpace(p[j]) { j += 1 }
        if j >= n { return end }
        // What starts the next sentence?
        var k = j
        while k < n {
            let (u, len) = ByteClass.scalar(p, k)
            if ByteClass.isOpener(u) { k += len } else { break }
        }
        guard k < n else { return end }
        if p[k] < 0x80 {
            if ByteClass.isLower(p[k]) { return nil }
        } else {
            let (next, _) = ByteClass.scalar(p, k)
            if next.properties.isLowercase { return nil }
        }
        let nextIsDigit = ByteClass.isDigit(p[k])
        if first != UInt8(ascii: ".") || isEllipsis {
            // "!" / "?" / "...": end unless a lower-case word follows (checked above).
            return end
        }
        // A period: look at the word before it.
        var w = i
        while w > 0 {
            let c = p[w - 1]
            if ByteClass.isSpace(c) || c == UInt8(ascii: "(") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "[")
                || c == UInt8(ascii: "'") || c == UInt8(ascii: "/") { break }
            w -= 1
        }
        if w == i { return end } // "word ." (tokenised text) or a lone period
        let word = UnsafeBufferPointer(rebasing: p[w..<i])
        // No title or abbreviation is longer than six letters: a long word ends the sentence.
        if word.count > 6 && !word.contains(UInt8(ascii: ".")) { return end }
        // A list number at the start of a line ("2. Anthony Washington").
        if word.count <= 3 && word.allSatisfy(ByteClass.isDigit) {
            var b = w
            while b > 0 && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
            if b == 0 || p[b - 1] == 0x0A { return nil }
        }
        let lower = String(decoding: word, as: UTF8.self).lowercased()
        let nextWord = Self.word(p, from: k).lowercased()
        // Single initial: "John F. Kennedy".
        if word.count == 1 && ByteClass.isUpper(word[0]) { return nil }
        // Titles never end a sentence.
        if Self.titles.contains(lower) { return nil }
        // Dotted acronyms (U.S., U.N., a.m.): end only before a sentence opener.
        if word.contains(UInt8(ascii: ".")) && word.allSatisfy({ ByteClass.isASCIILetter($0) || $0 == UInt8(ascii: ".") }) {
            let letters = word.filter(ByteClass.isASCIILetter).count
            let periods = word.count - letters
            if letters <= periods + 1 { return Self.openers.contains(nextWord) ? end : nil }
        }
        if Self.abbreviations.contains(lower) {
            if nextIsDigit { return nil }
            return Self.openers.contains(nextWord) ? end : nil
        }
        return end
    }

    /// The ASCII-letter word starting at `k`.
    static func word(_ p: UnsafeBufferPointer<UInt8>, from k: Int) -> String {
        var e = k
        while e < p.count && ByteClass.isASCIILetter(p[e]) { e += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: p[k..<e]), as: UTF8.self)
    }

    /// For each single line break (by index of `\n` in the text), whether it ends a sentence.
    func newlineBoundaries(_ p: UnsafeBufferPointer<UInt8>) -> (Int) -> Bool {
        switch newlines {
        case .always: return { _ in true }
        case .never: return { _ in false }
        case .auto: break
        }
        // Collect line extents.
        guard let base = p.baseAddress, memchr(base, 0x0A, p.count) != nil else { return { _ in true } }
        var lines: [Range<Int>] = []
        var s = 0
        while s <= p.count, let hit = memchr(base + s, 0x0A, p.count - s) {
            let i = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            lines.append(s..<i)
            s = i + 1
        }
        lines.append(s..<p.count)
        var breaks = 0
        var lowerStarts = 0
        var maxLen = 0
        for (idx, l) in lines.enumerated() {
            maxLen = max(maxLen, l.count)
            guard idx + 1 < lines.count else { break }
            let next = lines[idx + 1]
            guard !l.isEmpty, !next.isEmpty else { continue }
            breaks += 1
            if next.lowerBound < p.count && ByteClass.isLower(p[next.lowerBound]) { lowerStarts += 1 }
        }
        // Hard wrapping: some line breaks fall before a lower-case word, and no line is longer than a typical
        // wrap width (text with one paragraph or sentence per line has long lines).
        let wrapped = lowerStarts >= 1 && lowerStarts * 10 >= breaks && maxLen <= 120
        if !wrapped { return { _ in true } }
        // Hard-wrapped text: a break ends a sentence after a short or all-capitals line, or before an indented line.
        var decisions = [Bool](repeating: false, count: lines.count)
        for idx in 0..<(lines.count - 1) {
            let l = lines[idx]
            let next = lines[idx + 1]
            if l.isEmpty || next.isEmpty { decisions[idx] = true; continue }
            let nextFirst = p[next.lowerBound]
            if ByteClass.isLower(nextFirst) { continue }
            if nextFirst == 0x20 || nextFirst == 0x09 { decisions[idx] = true; continue }
            let hasLower = p[l].contains(where: ByteClass.isLower)
            let trimmedLen = l.count
            if !hasLower || trimmedLen * 2 < maxLen { decisions[idx] = true }
        }
        return { decisions[min($0, decisions.count - 1)] }
    }
}

