import OrderedCollections
import PipelineCore

/// Finds the quotations of a document and who said them:
/// - direct quotes between straight or curly quotation marks, also when the attribution splits them
///   (“We need results,” he said, “not promises.”) and across paragraphs (a paragraph that ends inside a quote and a
///   next one that reopens it);
/// - reported speech: `X said (that) ...`, `..., X said.`, `according to X, ...`, `X told reporters ...`;
/// - the speaker, from the person or organisation next to a speech verb in the sentence outside the quote; a
///   pronoun (`he said`) is the last person named before; a role (`the spokesman said`) is the last person named with
///   that role; a quote with no attribution that follows another in the same paragraph continues it.
struct QuoteFinder {
    static let speechVerbs: Set<String> = [
        "said", "says", "say", "told", "tells", "added", "adds", "asked", "stated", "declared", "announced", "warned",
        "insisted", "explained", "noted", "wrote", "tweeted", "argued", "stressed", "urged", "replied", "responded",
        "recalled", "acknowledged", "admitted", "claimed", "complained", "conceded", "cautioned", "predicted", "vowed",
        "called", "described", "accused", "promised", "pledged", "welcomed", "praised", "criticised", "criticized",
        "condemned", "dismissed", "rejected", "hailed", "branded", "denounced",
    ]
    static let reportingVerbs: Set<String> = [
        "said", "says", "say", "told", "tells", "added", "stated", "announced",
        "warned", "insisted", "explained", "noted", "argued", "stressed", "claimed",
        "acknowledged", "admitted", "conceded", "predicted", "cautioned", "reported",
        "reports", "estimated", "confirmed", "denied",
    ]
    /// Verbs that may come before their subject ("said Nour Hamdan").
    static let invertible: Set<String> = [
        "said", "says", "added", "asked", "wrote", "told", "according", "continued",
        "explained", "noted", "warned", "insisted", "stressed", "replied", "declared",
    ]
    static let pronouns: Set<String> = ["he", "she", "they", "it", "we", "i"]
    static let roleNouns: Set<String> = [
        "spokesman", "spokeswoman", "spokesperson", "official", "officials", "minister", "diplomat", "source",
        "sources",
        "president", "ambassador", "envoy", "commander", "lawmaker", "leader", "chief", "analyst", "analysts",
        "statement", "ministry", "agency", "government", "army", "military", "police", "lawmakers", "diplomats",
        "spokesmen", "ministers", "leaders", "campaigner", "campaigners", "activist", "activists", "residents",
        "witnesses",
    ]

    struct Token {
        var span: Span
        var text: String
        var lower: String
    }

    /// The quotes of a document.
    func quotes(text: String, sentences: [Span], tokens spans: [Span], entities: [Entity]) -> [Quote] {
        let scalars = text.unicodeScalarArray
        var slicer = TextSlicer(text)
        func slice(_ span: Span) -> String { slicer.slice(span) }
        let tokens = spans.map { s -> Token in
            let t = slice(s)
            // Most tokens are lower-case ASCII already: the same string, without lowercased()'s copy.
            let lower = t.utf8.allSatisfy({ $0 < 0x80 && $0 &- 65 >= 26 }) ? t : t.lowercased()
            return Token(span: s, text: t, lower: lower)
        }
        let people = entities.filter { $0.type == "PER" || $0.type == "ORG" }
        let actors = entities.filter { $0.type == "PER" || $0.type == "ORG" || $0.type == "LOC" }
        var out: [Quote] = []
        // 1. Direct quotes.
        let direct = directSpans(scalars)
        var lastSpeaker: (speaker: String, paragraphEnd: Int)?
        var previousContinues = false
        for q in direct {
            let sentence = sentences.first { $0.start <= q.span.start && q.span.start < $0.end } ?? q.span
            let context = sentences.filter { $0.end > q.span.start && $0.start < q.span.end } + [sentence]
            let start = context.map(\.start).min() ?? sentence.start
            let end = context.map(\.end).max() ?? sentence.end
            let outside = tokens.indices.filter { k in
                tokens[k].span.start >= start && tokens[k].span.end <= end
                    && !direct.contains {
                        $0.span.start <= tokens[k].span.start && tokens[k].span.end <= $0.span.end + 1
                    }
                    && !(tokens[k].text == "\"" || tokens[k].text == "\u{201C}" || tokens[k].text == "\u{201D}")
            }
            var speaker = attribution(outside, tokens: tokens, people: people, actors: actors, before: q.span.start)
            if speaker == nil, outside.contains(where: { Self.speechVerbs.contains(tokens[$0].lower) }),
                let subject = people.first(where: { $0.span.start >= start && $0.span.end <= q.span.start })
            {
                // "Kataib Hezbollah ... welcomed the departure ... and called it "..."": the sentence's subject.
                speaker = subject.canonical ?? subject.text
            }
            if speaker == nil, let last = lastSpeaker, q.span.start < last.paragraphEnd || previousContinues {
                speaker = last.speaker
            }
            if let speaker { lastSpeaker = (speaker, paragraphEnd(scalars, after: q.span.start)) }
            previousContinues = q.continued
            var span = q.span
            while span.end > span.start, let last = scalars[span.end - 1] as Unicode.Scalar?,
                [",", ";", ":"].contains(last)
            { span.end -= 1 }
            var quote = Quote(span: span, text: slice(span), speaker: speaker)
            quote.kind = .direct
            out.append(quote)
        }
        // 2. Reported speech, in sentences without a direct quote of their own.
        for sentence in sentences
        where !direct.contains(where: {
            $0.span.start >= sentence.start && $0.span.start < sentence.end
                && $0.span.end - $0.span.start > (sentence.end - sentence.start) / 2
        }) {
            let ks = tokens.indices.filter {
                tokens[$0].span.start >= sentence.start && tokens[$0].span.end <= sentence.end
            }
            guard let q = reported(ks, tokens: tokens, people: people, actors: actors, slice: slice) else { continue }
            let insideQuotes = direct.reduce(0) {
                $0 + max(0, min($1.span.end, q.span.end) - max($1.span.start, q.span.start))
            }
            if insideQuotes * 2 > q.span.end - q.span.start { continue }
            out.append(q)
        }
        out.sort { $0.span.start < $1.span.start }
        return out
    }

    // MARK: direct quotes

    /// Quote spans (without their marks). Straight quotes alternate within a paragraph; a paragraph that ends inside
    /// a quote continues into the next paragraph when that one opens with a quotation mark.
    func directSpans(_ scalars: [Unicode.Scalar]) -> [(span: Span, continued: Bool)] {
        var out: [(Span, Bool)] = []
        var open: Int?
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if c == "\n" && i + 1 < n && scalars[i + 1] == "\n" || c == "\n" && i + 2 < n && scalars[i + 1] == "\r" {
                // Paragraph end: an open quote stops here; it continues if the next paragraph opens one.
                if let o = open {
                    if o < i { out.append((Span(start: o, end: trimEnd(scalars, o, i)), true)) }
                    open = nil
                }
                i += 1
                continue
            }
            if c == "\u{201C}" {
                open = i + 1
            } else if c == "\u{201D}" {
                if let o = open, o < i { out.append((Span(start: o, end: i), false)) }
                open = nil
            } else if c == "\"" {
                if let o = open {
                    if o < i { out.append((Span(start: o, end: i), false)) }
                    open = nil
                } else {
                    open = i + 1
                }
            }
            i += 1
        }
        if let o = open, o < n { out.append((Span(start: o, end: trimEnd(scalars, o, n)), true)) }
        return out.filter { q in (q.0.start..<q.0.end).contains { scalars[$0].properties.isAlphabetic } }
    }

    private func trimEnd(_ scalars: [Unicode.Scalar], _ a: Int, _ b: Int) -> Int {
        var e = b
        while e > a && scalars[e - 1].properties.isWhitespace { e -= 1 }
        return e
    }

    private func paragraphEnd(_ scalars: [Unicode.Scalar], after i: Int) -> Int {
        var k = i
        while k + 1 < scalars.count && !(scalars[k] == "\n" && scalars[k + 1] == "\n") { k += 1 }
        return k + 1
    }

    // MARK: speakers

    /// The speaker named next to a speech verb among the tokens `ks` (outside the quote).
    func attribution(_ ks: [Int], tokens: [Token], people: [Entity], actors: [Entity], before position: Int) -> String?
    {
        for (j, k) in ks.enumerated() where Self.speechVerbs.contains(tokens[k].lower) || tokens[k].lower == "according"
        {
            let verbEnd = tokens[k].span.end
            // Right of the verb (inverted attribution): "said Nour Hamdan", "said lawmaker Nour Hamdan", "according to X";
            // not after verbs whose object follows ("accused Hamas of ...").
            if Self.invertible.contains(tokens[k].lower),
                let e = people.first(where: { p in
                    p.span.start >= verbEnd && p.span.start - verbEnd < 40
                        && ks.contains { tokens[$0].span.start == p.span.start }
                })
            {
                // Only when nothing but role words lie between the verb and the name.
                let between = ks[(j + 1)...].prefix { tokens[$0].span.start < e.span.start }
                let plain = between.filter {
                    !(ActorLinker.roleWords.contains(tokens[$0].lower) || tokens[$0].lower == "to"
                        || ActorLinker.honorifics.contains(tokens[$0].lower)
                        || tokens[$0].text.first?.isUppercase == true)
                }
                if plain.count <= 2 && plain.allSatisfy({ tokens[$0].text.first?.isLetter == true }) {
                    return e.canonical ?? e.text
                }
            }
            // Left of the verb: "Ms. Duval told", "he said", "the spokesman said", "a State Department spokesman said".
            let left = ks[..<j].suffix(6)
            if let k0 = left.last, Self.pronouns.contains(tokens[k0].lower) {
                return ["it", "they", "we"].contains(tokens[k0].lower)
                    ? lastActor(actors, before: position) : lastPerson(people, before: position)
            }
            if let e = actors.last(where: { p in
                p.span.end <= tokens[k].span.start && tokens[k].span.start - p.span.end < 40
                    && left.contains { tokens[$0].span.start == p.span.start }
            }) {
                return e.canonical ?? e.text
            }
            // "Maj. Gen. Qais Mahdi, a spokesman for the Iraqi armed forces, told ...": the name before an apposition.
            for e in actors.reversed()
            where e.span.end <= tokens[k].span.start && tokens[k].span.start - e.span.end < 120 {
                let between = ks[..<j].filter { tokens[$0].span.start >= e.span.end }
                if let f = between.first, let l = between.last, tokens[f].text == ",", tokens[l].text == "," {
                    return e.canonical ?? e.text
                }
            }
            if let noun = left.last.map({ tokens[$0].lower }), Self.roleNouns.contains(noun) {
                // A role: the last person named with it, else that role as written.
                if let p = people.last(where: {
                    $0.span.end <= position && $0.type == "PER"
                        && ($0.role?.lowercased().contains(noun) ?? false)
                }) {
                    return p.canonical ?? p.text
                }
                // Unnamed ("a European official said"): no speaker.
                return nil
            }
        }
        return nil
    }

    /// The last organisation or state named before `position` (for "it said", "they said").
    private func lastActor(_ actors: [Entity], before position: Int) -> String? {
        actors.last { $0.type != "PER" && $0.span.end <= position }.map { $0.canonical ?? $0.text }
    }

    private func lastPerson(_ people: [Entity], before position: Int) -> String? {
        people.last { $0.type == "PER" && $0.span.end <= position }.map { $0.canonical ?? $0.text }
            ?? people.last { $0.span.end <= position }.map { $0.canonical ?? $0.text }
    }

    // MARK: reported speech

    /// Words that may stand between a reporting verb and its content: time phrases, "that", the audience.
    static let afterVerb: Set<String> = [
        "on", "in", "at", "a", "an", "the", "last", "this", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "week", "month", "year", "briefing", "statement", "interview", "reporters", "journalists",
        "supporters", "state", "television", "news", "conference", "that", "late", "early", "earlier", "later", "today",
        "yesterday", "september", "october", "november", "december", "january", "february", "march", "april",
        "may", "june", "july", "august",
    ]
    static let subjectNouns: Set<String> = roleNouns.union([
        "sources", "officials", "analysts", "teachers", "groups",
        "residents", "experts", "diplomats", "mediators", "critics",
    ])

    static let auxiliaries: Set<String> = [
        "has", "have", "had", "also", "earlier", "later", "previously", "again",
        "has", "is", "was", "would", "will", "had", "publicly",
    ]

    /// Whether the words between a named subject and its verb keep it the subject: role words and nouns ("refugee
    /// agency", "spokesman"), a possessive, capitalised words, auxiliaries ("has warned").
    func subjectGap(_ between: [Int], _ tokens: [Token]) -> Bool {
        let content = between.filter { !Self.auxiliaries.contains(tokens[$0].lower) }
        if content.allSatisfy({
            Self.subjectNouns.contains(tokens[$0].lower) || ActorLinker.roleWords.contains(tokens[$0].lower)
                || tokens[$0].lower == "'s" || tokens[$0].text.first?.isUppercase == true
        }) {
            return true
        }
        return content.count <= 3 && content.last.map { Self.subjectNouns.contains(tokens[$0].lower) } == true
    }

    /// `X said (that) CONTENT`, `CONTENT, X said.`, `according to X, CONTENT` and `CONTENT, according to X` in one
    /// sentence (tokens `ks`); the speaker is nil when the sayer is not named ("officials said").
    func reported(
        _ ks: [Int], tokens: [Token], people allPeople: [Entity], actors allActors: [Entity],
        slice: (Span) -> String
    ) -> Quote? {
        guard ks.count >= 4 else { return nil }
        func quote(_ content: ArraySlice<Int>, _ speaker: String?) -> Quote? {
            var c = content
            while let l = c.last, [".", ",", ";", ":", "\"", "\u{201D}"].contains(tokens[l].text) { c.removeLast() }
            while let f = c.first, [",", ":", "that", "\"", "\u{201C}"].contains(tokens[f].lower) { c.removeFirst() }
            guard c.count >= 3, let a = c.first, let b = c.last else { return nil }
            let span = Span(start: tokens[a].span.start, end: tokens[b].span.end)
            var q = Quote(span: span, text: slice(span), speaker: speaker)
            q.kind = .reported
            return q
        }
        func name(_ entity: Entity) -> String { entity.canonical ?? entity.text }
        let sentenceStart = tokens[ks[0]].span.start
        // Made only for a sentence with a reporting verb: most have none.
        lazy var actors = allActors.filter { $0.span.start >= sentenceStart }
        lazy var people = allPeople.filter { $0.span.start >= sentenceStart }
        for (j, k) in ks.enumerated() {
            let w = tokens[k].lower
            if w == "according", j + 1 < ks.count, tokens[ks[j + 1]].lower == "to" {
                let after = tokens[ks[j + 1]].span.end
                let e = actors.first { $0.span.start >= after && $0.span.start - after < 30 }
                let named = e.map(name)
                // "according to X, CONTENT" or "CONTENT, according to X."
                if j == 0 || (j == 1 && tokens[ks[0]].lower == ",") {
                    let clauseEnd = ks[(j + 2)...].firstIndex { tokens[$0].text == "," } ?? ks.endIndex
                    return quote(ks[min(ks.endIndex, clauseEnd + 1)...], named)
                }
                return quote(ks[..<j], named)
            }
            guard Self.reportingVerbs.contains(w) else { continue }
            let verbStart = tokens[k].span.start
            // Subject: right before the verb ("Amnesty International said"), before an apposition ("Dariush Mohebbi,
            // ..., said"), a pronoun, or an unnamed noun phrase ("officials said").
            var subjectStart = j
            var speaker: String?
            var named = false
            if j >= 1, tokens[ks[j - 1]].text == "," {
                guard let open = ks[..<(j - 1)].lastIndex(where: { tokens[$0].text == "," }) else { continue }
                let openAt = tokens[ks[open]].span.start, closeAt = tokens[ks[j - 1]].span.start
                if let e = people.first(where: { $0.type == "PER" && $0.span.start > openAt && $0.span.end <= closeAt })
                {
                    // "Iran's foreign ministry spokesman, Dariush Mohebbi, said": the name is the apposition.
                    speaker = name(e)
                } else if let e = people.last(where: { $0.span.end <= openAt && openAt - $0.span.end <= 1 }) {
                    // "Brig. Gen. Daniel Reyes, a coalition commander, said".
                    speaker = name(e)
                } else {
                    continue  // "..., said X": the inverted attribution of a quote
                }
                named = true
                subjectStart = ks[..<open].lastIndex { tokens[$0].span.start < openAt - 80 }.map { $0 + 1 } ?? 0
            } else if let e = actors.last(where: { $0.span.end <= verbStart && verbStart - $0.span.end < 40 }),
                subjectGap(ks[..<j].filter({ tokens[$0].span.start >= e.span.end }), tokens)
            {
                speaker = name(e)
                named = true
                subjectStart = ks.firstIndex { tokens[$0].span.start >= e.span.start } ?? j
            } else if j >= 1, Self.pronouns.contains(tokens[ks[j - 1]].lower) {
                speaker =
                    ["it", "they", "we"].contains(tokens[ks[j - 1]].lower)
                    ? lastActor(actors, before: verbStart) : lastPerson(people, before: verbStart)
                named = speaker != nil
                subjectStart = j - 1
            } else if j >= 1, Self.subjectNouns.contains(tokens[ks[j - 1]].lower) {
                subjectStart = j - 1
                while subjectStart > 0, tokens[ks[subjectStart - 1]].text != "," { subjectStart -= 1 }
                // A long subject is a clause, not a noun phrase.
                if j - subjectStart > 6 { continue }
            } else {
                continue
            }
            _ = named
            // Content after the verb, past a time phrase, the audience and "that".
            var rest = ks[(j + 1)...]
            // Skip a time phrase and the audience; a determiner only when what follows is skipped too ("a briefing").
            while let f = rest.first {
                let l = tokens[f].lower
                let next = rest.dropFirst().first.map { tokens[$0].lower } ?? ""
                let isDeterminer = ["a", "an", "the"].contains(l)
                if isDeterminer
                    ? Self.afterVerb.contains(next) && !["a", "an", "the"].contains(next)
                    : (Self.afterVerb.contains(l)
                        || tokens[f].text.first?.isNumber == true && tokens[f].text.count <= 2)
                {
                    rest = rest.dropFirst()
                } else {
                    break
                }
            }
            if rest.count >= 3, let f = rest.first, tokens[f].text != "," {
                return quote(rest, speaker)
            }
            // The sentence ends with the attribution: "CONTENT, X said (on Friday)."
            if subjectStart > 0, let comma = ks[..<subjectStart].lastIndex(where: { tokens[$0].text == "," }) {
                let from = ks[..<comma].firstIndex { _ in true } ?? 0
                let head = ks[from..<comma]
                // After a dateline ("BAGHDAD, Nov 20 (PSW) - "), the content starts after the dash.
                if let dash = head.lastIndex(where: { tokens[$0].text == "-" }), dash - from < 12 {
                    return quote(ks[(dash + 1)..<comma], speaker)
                }
                return quote(head, speaker)
            }
        }
        return nil
    }
}
