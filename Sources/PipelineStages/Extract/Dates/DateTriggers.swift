import PipelineCore

/// The words without which ``DateResolver`` finds no date in a sentence, checked on a token's scalars without making
/// a string: four digits (a year), ten scalars starting with a digit (an ISO date), a month or weekday name (with its
/// abbreviations), or one of "yesterday", "today", "tomorrow", "ago", "week", "month", "year". Every match of the
/// resolver contains one of them (a day number needs a month beside it; relative forms need a unit, weekday or month
/// after "last"/"next"; counts need "ago"; a year after a preposition is four digits), so a sentence without one —
/// most sentences, even in financial news full of figures — is skipped.
enum DateTriggers {
    /// The trigger words, lower-cased and packed (``pack(_:_:)``), as keys of a map (a `Set<UInt64>` hashed every
    /// token's key with SipHash).
    static let words: HashKeyMap<UInt8> = {
        var all = Array(DateResolver.months.keys) + Array(DateResolver.weekdays.keys)
        all += ["yesterday", "today", "tomorrow", "ago", "week", "month", "year"]
        var map = HashKeyMap<UInt8>()
        for w in all { if let key = pack(Array(w.unicodeScalars), 0..<w.unicodeScalars.count) { map[key] = 1 } }
        return map
    }()

    /// Whether the token at `span` of `scalars` may start or anchor a date expression.
    static func mayStartDate(_ scalars: [Unicode.Scalar], _ span: Span) -> Bool {
        let start = max(0, span.start), end = min(scalars.count, span.end)
        guard start < end else { return false }
        let v = scalars[start].value
        if v >= 0x30 && v <= 0x39 {
            if end - start == 10 { return true }
            return end - start == 4 && scalars[start..<end].allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
        }
        guard let key = pack(scalars, start..<end) else { return false }
        return words[key] != nil
    }

    /// Up to nine ASCII letters or periods, lower-cased, seven bits each; nil for anything else.
    static func pack(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> UInt64? {
        guard range.count <= 9 else { return nil }
        var key: UInt64 = 0
        for i in range {
            var v = scalars[i].value
            if v >= 0x41 && v <= 0x5A { v += 0x20 }
            guard (v >= 0x61 && v <= 0x7A) || v == 0x2E else { return nil }
            key = key << 7 | UInt64(v)
        }
        return key
    }
}
