import Foundation

/// Finds date expressions in a sentence's tokens and resolves them against the document's date: absolute dates
/// (`26 August 2020`, `Aug. 26`, `2020-08-26`, `August 2020`, `in 2020`) and relative ones (`on Friday`,
/// `last Friday`, `yesterday`, `two days ago`, `last March`, `next week`, `last year`). A value is a day
/// (`2020-08-26`), a month (`2020-03`), an ISO week (`2020-W35`) or a year (`2020`); without a document date only
/// expressions that carry their year get one.
struct DateResolver {
    /// A found date: tokens `[start, end)` and its value (nil when it cannot be resolved).
    struct Match: Equatable {
        var tokens: Range<Int>
        var value: String?
    }

    /// The document's date, if known.
    let reference: DateComponents?
    /// The Gregorian and ISO-8601 calendars in UTC, made once (making them per document was a tenth of the stage).
    private static let gregorianUTC: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
    private static let isoUTC: Calendar = {
        var c = Calendar(identifier: .iso8601)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
    private var calendar: Calendar { Self.gregorianUTC }
    private var iso: Calendar { Self.isoUTC }

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "jan.": 1, "february": 2, "feb": 2, "feb.": 2, "march": 3, "mar": 3, "mar.": 3,
        "april": 4, "apr": 4, "apr.": 4, "may": 5, "june": 6, "jun": 6, "jun.": 6, "july": 7, "jul": 7, "jul.": 7,
        "august": 8, "aug": 8, "aug.": 8, "september": 9, "sep": 9, "sep.": 9, "sept": 9, "sept.": 9, "october": 10,
        "oct": 10, "oct.": 10, "november": 11, "nov": 11, "nov.": 11, "december": 12, "dec": 12, "dec.": 12,
    ]
    static let weekdays: [String: Int] = [  // Calendar weekday numbers: Sunday 1 ... Saturday 7
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
    ]
    static let numbers: [String: Int] = [
        "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
    ]
    static let futureWords: WordSet = [
        "will", "would", "next", "due", "expected", "scheduled", "plans", "planned", "'ll", "until",
    ]
    static let relativeWords: WordSet = ["last", "next", "this", "past", "coming"]
    static let yearPrepositions: WordSet = ["in", "since", "until", "by", "during", "from", "of"]
    static let daySuffixes = ["st", "nd", "rd", "th"]
    /// The words that can begin a date expression besides numbers (see ``mayStart(_:)``).
    static let starters = WordSet(
        Set(months.keys).union(weekdays.keys).union(numbers.keys).union(relativeWords.words)
            .union(yearPrepositions.words).union(["yesterday", "today", "tomorrow"]))

    /// Whether a date expression can begin with `word`: a number (digits, perhaps signed), an ISO date's ten
    /// characters, or one of ``starters``. Every rule of `match` needs one of these, so most words are passed over
    /// after one look-up instead of every rule's (a quarter of the stage's time).
    @inline(__always) static func mayStart(_ word: String) -> Bool {
        guard let b = word.utf8.first else { return false }
        if b &- 48 < 10 || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { return true }
        return word.utf8.count >= 10 && word.count == 10 || starters.contains(word)
    }

    init(documentDate: String?) {
        guard let d = documentDate, d.count >= 10,
            let y = Int(d.prefix(4)), let m = Int(d.dropFirst(5).prefix(2)), let day = Int(d.dropFirst(8).prefix(2))
        else {
            reference = nil
            return
        }
        reference = DateComponents(year: y, month: m, day: day)
    }

    /// The date expressions among `words` (the lower-cased tokens of one sentence).
    func find(_ words: [String]) -> [Match] {
        var out: [Match] = []
        let future = words.contains { Self.futureWords.contains($0) }
        var i = 0
        while i < words.count {
            if let m = match(words, at: i, future: future) {
                out.append(m)
                i = m.tokens.upperBound
            } else {
                i += 1
            }
        }
        return out
    }

    private func match(_ w: [String], at i: Int, future: Bool) -> Match? {
        guard Self.mayStart(w[i]) else { return nil }
        let n = w.count
        func word(_ k: Int) -> String { k < n ? w[k] : "" }
        func day(_ text: String) -> Int? {
            var t = text
            for suffix in Self.daySuffixes where t.hasSuffix(suffix) && t.count > 2 { t.removeLast(2) }
            guard let d = Int(t), d >= 1, d <= 31 else { return nil }
            return d
        }
        func year(_ text: String) -> Int? {
            guard text.count == 4, let y = Int(text), y >= 1800, y <= 2200 else { return nil }
            return y
        }
        let first = w[i]
        // ISO date token.
        if first.count == 10, let value = isoDay(first) { return Match(tokens: i..<(i + 1), value: value) }
        // Month-first: "August 26", "Aug. 26 , 2020", "August 2020".
        if let month = Self.months[first], !(first == "may" && !(day(word(i + 1)) != nil || year(word(i + 1)) != nil)) {
            if let d = day(word(i + 1)) {
                var end = i + 2
                var y: Int?
                if word(end) == ",", let yy = year(word(end + 1)) {
                    y = yy; end += 2
                } else if let yy = year(word(end)) {
                    y = yy; end += 1
                }
                return Match(tokens: i..<end, value: dayValue(y, month, d))
            }
            if let y = year(word(i + 1)) {
                return Match(tokens: i..<(i + 2), value: Self.padded(y, 4) + "-" + Self.padded(month, 2))
            }
        }
        // Day-first: "26 August", "26 Aug 2020".
        if let d = day(first), let month = Self.months[word(i + 1)] {
            var end = i + 2
            var y: Int?
            if let yy = year(word(end)) { y = yy; end += 1 }
            return Match(tokens: i..<end, value: dayValue(y, month, d))
        }
        // "last/next/this" + unit, weekday or month.
        if Self.relativeWords.contains(first) {
            let unit = word(i + 1)
            let direction = first == "next" || first == "coming" ? 1 : (first == "this" ? 0 : -1)
            switch unit {
            case "week": return Match(tokens: i..<(i + 2), value: shifted(.day, 7 * direction).map(week))
            case "month": return Match(tokens: i..<(i + 2), value: shifted(.month, direction).map(monthValue))
            case "year":
                return Match(tokens: i..<(i + 2), value: shifted(.year, direction).map { Self.padded($0.year!, 4) })
            default: break
            }
            if let wd = Self.weekdays[unit] {
                return Match(
                    tokens: i..<(i + 2),
                    value: weekday(
                        wd, direction: direction == 0 ? (future ? 1 : -1) : direction, strict: direction != 0))
            }
            if let month = Self.months[unit], unit != "may" || first != "this" {
                return Match(tokens: i..<(i + 2), value: monthRelative(month, direction: direction))
            }
        }
        // A weekday alone ("on Friday", "Friday").
        if let wd = Self.weekdays[first] {
            return Match(tokens: i..<(i + 1), value: weekday(wd, direction: future ? 1 : -1, strict: false))
        }
        switch first {
        case "yesterday": return Match(tokens: i..<(i + 1), value: shifted(.day, -1).map(dayString))
        case "today":
            return Match(
                tokens: i..<(i + 1),
                value: reference.flatMap { calendar.date(from: $0) }.map { dayString(components($0)) })
        case "tomorrow": return Match(tokens: i..<(i + 1), value: shifted(.day, 1).map(dayString))
        default: break
        }
        // "two days ago", "3 weeks ago", "a year ago".
        if let count = Self.numbers[first] ?? Int(first), count > 0, count < 1000, word(i + 2) == "ago" {
            let unit = word(i + 1)
            switch unit {
            case "day", "days": return Match(tokens: i..<(i + 3), value: shifted(.day, -count).map(dayString))
            case "week", "weeks": return Match(tokens: i..<(i + 3), value: shifted(.day, -7 * count).map(week))
            case "month", "months": return Match(tokens: i..<(i + 3), value: shifted(.month, -count).map(monthValue))
            case "year", "years":
                return Match(tokens: i..<(i + 3), value: shifted(.year, -count).map { Self.padded($0.year!, 4) })
            default: break
            }
        }
        // A year after a preposition: "in 2020", "since 1996".
        if Self.yearPrepositions.contains(first), let y = year(word(i + 1)) {
            return Match(tokens: (i + 1)..<(i + 2), value: Self.padded(y, 4))
        }
        return nil
    }

    // MARK: values

    private func components(_ date: Date) -> DateComponents {
        calendar.dateComponents([.year, .month, .day], from: date)
    }
    /// `v` in decimal, zero-padded to `width` digits (`String(format: "%04d")` through Foundation was most of the
    /// stage's time on dated news).
    static func padded(_ v: Int, _ width: Int) -> String {
        guard v >= 0 else { return String(format: "%0\(width)d", v) }
        let digits = String(v)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private func dayString(_ components: DateComponents) -> String {
        Self.padded(components.year!, 4) + "-" + Self.padded(components.month!, 2) + "-"
            + Self.padded(components.day!, 2)
    }
    private func monthValue(_ components: DateComponents) -> String {
        Self.padded(components.year!, 4) + "-" + Self.padded(components.month!, 2)
    }

    private func isoDay(_ text: String) -> String? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            parts[0].count == 4,
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return Self.padded(y, 4) + "-" + Self.padded(m, 2) + "-" + Self.padded(d, 2)
    }

    /// A day of a month; without a year, the year that puts it closest to the document's date.
    private func dayValue(_ year: Int?, _ month: Int, _ day: Int) -> String? {
        if let year { return Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }
        guard let r = reference, let refDate = calendar.date(from: r) else { return nil }
        var best: (Double, Int)?
        for y in [r.year! - 1, r.year!, r.year! + 1] {
            guard let d = calendar.date(from: DateComponents(year: y, month: month, day: day)) else { continue }
            let distance = abs(d.timeIntervalSince(refDate))
            if best == nil || distance < best!.0 { best = (distance, y) }
        }
        return best.map { Self.padded($0.1, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }
    }

    private func shifted(_ unit: Calendar.Component, _ amount: Int) -> DateComponents? {
        guard let r = reference, let d = calendar.date(from: r),
            let s = calendar.date(byAdding: unit, value: amount, to: d)
        else { return nil }
        return components(s)
    }

    private func week(_ components: DateComponents) -> String {
        guard let d = calendar.date(from: components) else { return "" }
        let w = iso.dateComponents([.weekOfYear, .yearForWeekOfYear], from: d)
        return Self.padded(w.yearForWeekOfYear!, 4) + "-W" + Self.padded(w.weekOfYear!, 2)
    }

    /// A weekday near the document's date: the latest one on or before it (`strict`: before it) for the past, the
    /// first one after it for the future.
    private func weekday(_ target: Int, direction: Int, strict: Bool) -> String? {
        guard let r = reference, let d = calendar.date(from: r) else { return nil }
        let today = calendar.component(.weekday, from: d)
        var delta: Int
        if direction < 0 {
            delta = -((today - target + 7) % 7)
            if strict && delta == 0 { delta = -7 }
        } else {
            delta = (target - today + 7) % 7
            if delta == 0 { delta = 7 }
        }
        return calendar.date(byAdding: .day, value: delta, to: d).map { dayString(components($0)) }
    }

    /// "last March" (the latest March before the document's month), "next March", "this March".
    private func monthRelative(_ month: Int, direction: Int) -> String? {
        guard let r = reference else { return nil }
        var y = r.year!
        switch direction {
        case -1: if month >= r.month! { y -= 1 }
        case 1: if month <= r.month! { y += 1 }
        default: break
        }
        return Self.padded(y, 4) + "-" + Self.padded(month, 2)
    }
}
