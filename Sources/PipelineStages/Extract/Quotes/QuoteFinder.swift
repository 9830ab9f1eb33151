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
    static let speechVerbs: WordSet = [
        "said", "says", "say", "told", "tells", "added", "adds", "asked", "stated", "declared", "announced", "warned",
        "insisted", "explained", "noted", "wrote", "tweeted", "argued", "stressed", "urged", "replied", "responded",
        "recalled", "acknowledged", "admitted", "claimed", "complained", "conceded", "cautioned", "predicted", "vowed",
        "called", "described", "accused", "promised", "pledged", "welcomed", "praised", "criticised", "criticized",
        "condemned", "dismissed", "rejected", "hailed", "branded", "denounced",
    ]
    static let reportingVerbs: WordSet = [
        "said", "says", "say", "told", "tells", "added", "stated", "announced",
        "warned", "insisted", "explained", "noted", "argued", "stressed", "claimed",
        "acknowledged", "admitted", "conceded", "predicted", "cautioned", "reported",
        "reports", "estimated", "confirmed", "denied", "wrote", "tweeted", "posted",
    ]
    /// Reporting verbs of writing, which report speech only before `that` or a subject pronoun.
    static let writingVerbs: WordSet = ["wrote", "tweeted", "posted"]
    /// Reporting verbs whose content is what was said whatever follows ("said the plan would work"); the others may
    /// take a plain object instead ("announced the plan at an event", "denied the allegations", "confirmed the
    /// attack"), and report speech only before a clause (``clauseFollows(_:_:)``).
    static let sayingVerbs: WordSet = ["said", "says", "say", "told", "tells", "added", "stated"]
    /// Auxiliaries, modals, common irregular past forms and verbs of belief: a clause's verb, where a plain object has
    /// none (words as often nouns — "plan", "need", "hope" — are left out).
    static let clauseVerbs: WordSet = [
        "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "shall", "should",
        "can", "could", "may", "might", "must", "does", "do", "did", "'s", "'re", "'ll", "'d", "won't", "wouldn't",
        "isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "hadn't", "can't", "couldn't", "didn't",
        "doesn't", "grew", "fell", "rose", "came", "went", "made", "took", "gave", "saw", "knew", "found", "left",
        "kept", "met", "won", "lost", "paid", "sold", "bought", "began", "broke", "brought", "built", "chose", "drew",
        "drove", "felt", "fought", "flew", "got", "held", "led", "meant", "ran", "sent", "spent", "stood", "struck",
        "taught", "threw", "understood", "wrote", "became", "remains", "remain",
        "sought", "cost", "read", "put", "cut", "hit", "set", "let", "thought", "caught", "spoke", "heard", "told",
        "said", "sat", "lay", "laid", "shook", "believe", "believes", "think", "thinks", "expect", "expects", "intend",
        "intends",
    ]
    /// Words in -ed that are no past form ("stressed the need for talks": an object, no clause).
    static let notPastForms: WordSet = [
        "need", "speed", "seed", "greed", "breed", "feed", "creed", "deed", "weed", "heed", "bleed", "proceed",
        "succeed", "exceed", "indeed", "hundred", "sacred", "kindred", "hatred", "shed", "bed", "red",
    ]
    /// Subject pronouns: a clause starts ("announced they would leave").
    static let subjectPronouns: WordSet = ["he", "she", "they", "we", "i", "you", "it"]
    /// Verbs whose object is the listener ("told Reuters", "told the state-run Kuna news agency"): never the speaker.
    static let tellingVerbs: WordSet = ["told", "tells", "tell", "telling"]
    /// Words that end a listener's phrase after its name ("the Kuna news agency", "Al Jazeera television").
    static let outletWords: WordSet = [
        "news", "agency", "newspaper", "daily", "television", "tv", "radio", "channel", "broadcaster", "network",
        "website", "magazine", "wire", "service", "'s", "state", "state-run", "official", "reporters", "journalists",
    ]
    /// Prepositions before a place that modifies the name before it ("the … Center in Miami").
    static let placePrepositions: WordSet = ["in", "at", "near", "from"]
    /// Verbs that may come before their subject ("said Nour Hamdan").
    static let invertible: WordSet = [
        "said", "says", "added", "asked", "wrote", "according", "continued",
        "explained", "noted", "warned", "insisted", "stressed", "replied", "declared",
    ]
    static let pronouns: WordSet = ["he", "she", "they", "it", "we", "i"]
    static let roleNouns: WordSet = [
        "spokesman", "spokeswoman", "spokesperson", "official", "officials", "minister", "diplomat", "source",
        "sources",
        "president", "ambassador", "envoy", "commander", "lawmaker", "leader", "chief", "analyst", "analysts",
        "statement", "ministry", "agency", "government", "army", "military", "police", "lawmakers", "diplomats",
        "spokesmen", "ministers", "leaders", "campaigner", "campaigners", "activist", "activists", "residents",
        "witnesses",
    ]

    /// ``roleNouns`` in order, each with its UTF-8 bytes, for the substring search of a role.
    static let roleNounBytes: [(noun: String, bytes: [UInt8])] = roleNouns.words.sorted().map { ($0, Array($0.utf8)) }

    struct Token {
        var span: Span
        var text: String
        var lower: String
    }

    /// A document's organisations and people by where they end, each with the one named most often up to and
    /// including it (ties: the first named): whom "the company said" and "the Spaniard told reporters" mean there.
    /// Computed on first use (most documents never ask), by one finder call on one thread.
    final class Leaders {
        private let entities: [Entity]
        init(_ entities: [Entity]) { self.entities = entities }
        /// (An institution standing for a state named as a place here, "the Pentagon" for the United States, is no
        /// company.)
        lazy var organisations: [(end: Int, leader: String)] = {
            let places = Set(entities.lazy.filter { $0.type == "LOC" }.map { $0.canonical ?? $0.text })
            return QuoteFinder.leaders(
                entities.filter { $0.type == "ORG" && !places.contains($0.canonical ?? $0.text) })
        }()
        lazy var people: [(end: Int, leader: String)] = QuoteFinder.leaders(entities.filter { $0.type == "PER" })
    }

    /// What one document's look-ups search: sorted tokens, sentences, quotes and entities, each found near a position
    /// by binary search, so that the finder is O(n log n) in the document's length.
    struct Index {
        let tokens: [Token]
        let people: EntityLookup
        let actors: EntityLookup
        /// Other names (MISC), which may be an outlet when an outlet word follows ("the Handelsblatt newspaper").
        let others: EntityLookup
        /// The people whose role contains each role noun ("spokesman" for "foreign ministry spokesman").
        let withRole: [String: EntityLookup]
        /// The direct quotes, in order (they do not overlap).
        let direct: [(span: Span, continued: Bool)]
        /// The position after each paragraph break (a blank line), in order.
        let paragraphEnds: [Int]
        let textLength: Int
        /// Who is named most: worked out the first time a description ("the company", "the Spaniard") asks.
        let leaders: Leaders

        /// The organisation named most often before `position` (ties: the first named), if any.
        func leadingOrganisation(before position: Int) -> String? {
            let n = leaders.organisations.partitionPoint { $0.end <= position }
            return n > 0 ? leaders.organisations[n - 1].leader : nil
        }

        /// The person named most often before `position` (ties: the first named), if any.
        func leadingPerson(before position: Int) -> String? {
            let n = leaders.people.partitionPoint { $0.end <= position }
            return n > 0 ? leaders.people[n - 1].leader : nil
        }

        /// The index range of the tokens inside `start..<end`.
        func tokens(from start: Int, to end: Int) -> [Int] {
            var ks: [Int] = []
            var k = tokens.partitionPoint { $0.span.start < start }
            while k < tokens.count, tokens[k].span.start < end {
                if tokens[k].span.end <= end { ks.append(k) }
                k += 1
            }
            return ks
        }

        /// Whether `span` lies inside a direct quote (or ends on its closing mark).
        func insideDirect(_ span: Span) -> Bool {
            let q = direct.partitionPoint { $0.span.start <= span.start }
            return q > 0 && span.end <= direct[q - 1].span.end + 1
        }

        /// The direct quotes that start in `start..<end`.
        func direct(startingFrom start: Int, before end: Int) -> ArraySlice<(span: Span, continued: Bool)> {
            let a = direct.partitionPoint { $0.span.start < start }
            return direct[a..<max(a, direct.partitionPoint { $0.span.start < end })]
        }

        /// How many characters of `span` lie inside direct quotes.
        func quotedLength(_ span: Span) -> Int {
            var n = 0
            var q = max(0, direct.partitionPoint { $0.span.start < span.start } - 1)
            while q < direct.count, direct[q].span.start < span.end {
                n += max(0, min(direct[q].span.end, span.end) - max(direct[q].span.start, span.start))
                q += 1
            }
            return n
        }

        /// The end of the paragraph that `position` is in: the position after its blank line, or the text's end.
        func paragraphEnd(after position: Int) -> Int {
            let p = paragraphEnds.partitionPoint { $0 <= position }
            return p < paragraphEnds.count ? paragraphEnds[p] : max(textLength, position + 1)
        }
    }

    /// How far around a direct quote its attribution is looked for, in characters, when the sentence is longer (a
    /// "sentence" of a whole document without sentence punctuation would make every quote read all of it).
    static let attributionReach = 600

    /// The quotes of a document; reported speech too when `reported` is true.
    func quotes(
        text: String, sentences unsortedSentences: [Span], tokens unsortedSpans: [Span], entities: [Entity],
        reported includeReported: Bool = true
    ) throws -> [Quote] {
        let scalars = text.unicodeScalarArray
        var slicer = TextSlicer(text)
        func slice(_ span: Span) -> String { slicer.slice(span) }
        func sortedSpans(_ s: [Span]) -> [Span] {
            zip(s, s.dropFirst()).allSatisfy { $0.start <= $1.start } ? s : s.sorted { $0.start < $1.start }
        }
        let sentences = sortedSpans(unsortedSentences)
        let tokens = sortedSpans(unsortedSpans).map { s -> Token in
            let t = slice(s)
            // Most tokens are lower-case ASCII already: the same string, without lowercased()'s copy.
            var bytes = t
            let lower = bytes.withUTF8 { $0.allSatisfy { $0 < 0x80 && $0 &- 65 >= 26 } } ? t : t.lowercased()
            return Token(span: s, text: t, lower: lower)
        }
        let people = entities.filter { $0.type == "PER" || $0.type == "ORG" }
        var withRole: [String: [Entity]] = [:]
        var nounsOf: [String: [String]] = [:]  // each distinct role's nouns, found once (a substring search is slow)
        for p in people where p.type == "PER" {
            guard let role = p.role else { continue }
            let nouns =
                nounsOf[role]
                ?? {
                    let lower = Array(role.lowercased().utf8)
                    let found = Self.roleNounBytes.filter { ByteScan.contains(lower, $0.bytes) }.map(\.noun)
                    nounsOf[role] = found
                    return found
                }()
            for noun in nouns { withRole[noun, default: []].append(p) }
        }
        var paragraphEnds: [Int] = []
        for k in scalars.indices.dropLast() where scalars[k] == "\n" && scalars[k + 1] == "\n" {
            paragraphEnds.append(k + 1)
        }
        let index = Index(
            tokens: tokens, people: EntityLookup(people),
            actors: EntityLookup(entities.filter { $0.type == "PER" || $0.type == "ORG" || $0.type == "LOC" }),
            others: EntityLookup(entities.filter { $0.type == "MISC" }),
            withRole: withRole.mapValues(EntityLookup.init), direct: directSpans(scalars),
            paragraphEnds: paragraphEnds, textLength: scalars.count, leaders: Leaders(entities))
        var out: [Quote] = []
        // 1. Direct quotes.
        var lastSpeaker: (speaker: String, paragraphEnd: Int)?
        var previousContinues = false
        for (n, q) in index.direct.enumerated() {
            if n % 256 == 0 { try RunCancellation.checkCurrent() }
            // The sentence the quote starts in, and every sentence it overlaps.
            let at = sentences.partitionPoint { $0.start <= q.span.start }
            let sentence = at > 0 && q.span.start < sentences[at - 1].end ? sentences[at - 1] : q.span
            var start = sentence.start, end = sentence.end
            var s = at
            while s > 0, sentences[s - 1].end > q.span.start {
                s -= 1
                start = min(start, sentences[s].start)
                end = max(end, sentences[s].end)
            }
            s = at
            while s < sentences.count, sentences[s].start < q.span.end {
                end = max(end, sentences[s].end)
                s += 1
            }
            start = max(start, q.span.start - Self.attributionReach)
            end = min(end, q.span.end + Self.attributionReach)
            let outside = index.tokens(from: start, to: end).filter { k in
                !index.insideDirect(tokens[k].span)
                    && !(tokens[k].text == "\"" || tokens[k].text == "\u{201C}" || tokens[k].text == "\u{201D}")
            }
            var speaker = attribution(outside, index, before: q.span.start)
            if speaker == nil, outside.contains(where: { Self.speechVerbs.contains(tokens[$0].lower) }),
                let subject = index.people.starting(from: start, before: q.span.start).first(where: {
                    $0.span.end <= q.span.start
                })
            {
                // "Kataib Hezbollah ... welcomed the departure ... and called it "..."": the sentence's subject.
                speaker = subject.canonical ?? subject.text
            }
            // "known as "Barbecue"", "dubbed "the Beast"", "the so-called "Islamic State"": a name, not speech.
            if !q.continued, Self.isLabel(scalars, q.span),
                let before = index.tokens(from: q.span.start - 24, to: q.span.start).last(where: {
                    !(tokens[$0].text == "\"" || tokens[$0].text == "\u{201C}")
                }),
                Self.namingWords.contains(tokens[before].lower)
                    || (tokens[before].lower == "as" && before > 0 && tokens[before - 1].lower == "known")
            {
                continue
            }
            if speaker == nil, !q.continued, !previousContinues, Self.isLabel(scalars, q.span),
                !outside.contains(where: { Self.reportingVerbs.contains(tokens[$0].lower) })
            {
                // A short phrase in quotation marks that no one is said to have said: a scare quote, a name, a title
                // ("called its phone a "game changer""; but "an ambassador said the centre sent "a confusing signal""),
                // even after a speaker's quote in the same paragraph.
                continue
            }
            if speaker == nil, let last = lastSpeaker, q.span.start < last.paragraphEnd || previousContinues {
                speaker = last.speaker
            }
            // A name in quotation marks before the thing it names, with no speaker found ("Organisers said a "digital
            // Kumbh" app would help"): no quotation.
            if speaker == nil, !q.continued, Self.isLabel(scalars, q.span), isAttributive(q.span, index) { continue }
            if let speaker { lastSpeaker = (speaker, index.paragraphEnd(after: q.span.start)) }
            previousContinues = q.continued
            var span = q.span
            while span.end > span.start, let last = scalars[span.end - 1] as Unicode.Scalar?,
                [",", ";", ":"].contains(last)
            { span.end -= 1 }
            var quote = Quote(span: span, text: slice(span), speaker: speaker)
            quote.kind = .direct
            if let j = outside.firstIndex(where: { Self.tellingVerbs.contains(tokens[$0].lower) }) {
                quote.outlet = listener(outside, after: j, index).outlet.flatMap { $0 == speaker ? nil : $0 }
            }
            out.append(quote)
        }
        // 2. Reported speech, in sentences without a direct quote of their own.
        for (n, sentence) in sentences.enumerated() where includeReported {
            if n % 256 == 0 { try RunCancellation.checkCurrent() }
            let half = (sentence.end - sentence.start) / 2
            if index.direct(startingFrom: sentence.start, before: sentence.end).contains(where: {
                $0.span.end - $0.span.start > half
            }) {
                continue
            }
            let ks = index.tokens(from: sentence.start, to: sentence.end)
            for clause in Self.statements(ks, index.tokens) {
                guard let q = reported(Array(clause), index, slice: slice) else { continue }
                if index.quotedLength(q.span) * 2 > q.span.end - q.span.start { continue }
                out.append(q)
            }
        }
        // A direct quote inside a person's reported speech is part of what the person said ("Ornelas, who heads the
        // Episcopal Conference, said the church had been "too slow" to listen": Ornelas, not the conference). (An
        // organisation found for reported speech was as often wrong as the direct quote's own speaker.)
        // (Only where both kinds were found: most documents have one kind or none.)
        let both = out.contains { $0.kind == .direct } && out.contains { $0.kind == .reported }
        let persons = both ? Set(entities.lazy.filter { $0.type == "PER" }.map { $0.canonical ?? $0.text }) : []
        let reportedSpeech = out.filter { $0.kind == .reported && $0.speaker.map(persons.contains) == true }
        for k in out.indices where out[k].kind == .direct && !reportedSpeech.isEmpty {
            if let r = reportedSpeech.first(where: {
                $0.span.start <= out[k].span.start && out[k].span.end <= $0.span.end
            }) {
                out[k].speaker = r.speaker
            }
        }
        out.sort { $0.span.start < $1.span.start }
        return out
    }

    /// Whether the short quote at `span` names the thing after it: a determiner before its opening mark and a
    /// lower-case word after its closing one (`a "digital Kumbh" app`, `the "AI phone" era`) — a name in quotation
    /// marks, not speech.
    func isAttributive(_ span: Span, _ index: Index) -> Bool {
        let tokens = index.tokens
        let marks: Set<String> = ["\"", "\u{201C}", "\u{201D}"]
        guard
            let before = index.tokens(from: span.start - 24, to: span.start).last(where: {
                !marks.contains(tokens[$0].text)
            }),
            let after = index.tokens(from: span.end, to: span.end + 24).first(where: {
                !marks.contains(tokens[$0].text)
            })
        else { return false }
        let next = tokens[after].text
        return ["a", "an", "the", "its", "their", "his", "her"].contains(tokens[before].lower)
            && next.first?.isLowercase == true && next.allSatisfy(\.isLetter)
    }

    /// A sentence's statements: its parts between semicolons when each part has a reporting verb of its own ("X said
    /// the vote was calm; Y added that turnout was high"), else the whole sentence (a semicolon inside what one
    /// person said stays in it).
    static func statements(_ ks: [Int], _ tokens: [Token]) -> [ArraySlice<Int>] {
        let parts = ks[...].split(omittingEmptySubsequences: true) { tokens[$0].text == ";" }
        guard parts.count > 1,
            parts.allSatisfy({ part in
                part.contains { reportingVerbs.contains(tokens[$0].lower) || tokens[$0].lower == "according" }
            })
        else { return [ks[...]] }
        return parts
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

    /// Whether the quoted `span` is a label rather than speech: at most four words, no sentence punctuation at its
    /// end ("game changer", "smoke and mirrors", a product's or a film's name).
    static func isLabel(_ scalars: [Unicode.Scalar], _ span: Span) -> Bool {
        var words = 0
        var inWord = false
        var last: Unicode.Scalar = " "
        for i in span.start..<span.end {
            let c = scalars[i]
            let letter = c.properties.isAlphabetic || c.properties.numericType != nil
            if letter && !inWord { words += 1 }
            inWord = letter || (inWord && (c == "-" || c == "'"))
            if !c.properties.isWhitespace { last = c }
            if words > 4 { return false }
        }
        return ![".", "!", "?", ",", "\u{2026}"].contains(last)
    }

    private func trimEnd(_ scalars: [Unicode.Scalar], _ a: Int, _ b: Int) -> Int {
        var e = b
        while e > a && scalars[e - 1].properties.isWhitespace { e -= 1 }
        return e
    }

    // MARK: speakers

    /// The speaker named next to a speech verb among the tokens `ks` (outside the quote).
    func attribution(_ ks: [Int], _ index: Index, before position: Int) -> String? {
        let tokens = index.tokens
        var starts: Set<Int>?
        // The verbs nearest the quote first ("Moscow condemned the move, and the Kremlin spokesman Dmitry Peskov said it
        // would "…"": Peskov's `said`, not Moscow's `condemned`); ties: the left one.
        let verbs = ks.indices.filter {
            Self.speechVerbs.contains(tokens[ks[$0]].lower) || tokens[ks[$0]].lower == "according"
        }
        func distance(_ j: Int) -> Int {
            let span = tokens[ks[j]].span
            return span.end <= position ? position - span.end : span.start - position
        }
        for j in verbs.sorted(by: { (distance($0), $0) < (distance($1), $1) }) {
            let k = ks[j]
            let verbEnd = tokens[k].span.end
            // Right of the verb (inverted attribution): "said Nour Hamdan", "said lawmaker Nour Hamdan", "according to X";
            // not after verbs whose object follows ("accused Hamas of ..."), nor before the quote other than
            // "according to" ("but said the shadow Cabinet had weighed the "conflicting interests"": a clause).
            if Self.invertible.contains(tokens[k].lower), verbEnd > position || tokens[k].lower == "according" {
                let near = starts ?? Set(ks.map { tokens[$0].span.start })
                starts = near
                if let e = index.people.starting(from: verbEnd, before: verbEnd + 40).first(where: {
                    near.contains($0.span.start)
                }) {
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
            }
            // Left of the verb: "Ms. Duval told", "he said", "the spokesman said", "a State Department spokesman said".
            let left = ks[..<j].suffix(6)
            let verbStart = tokens[k].span.start
            if let k0 = left.last, Self.pronouns.contains(tokens[k0].lower) {
                return ["it", "they", "we"].contains(tokens[k0].lower)
                    ? lastActor(index.actors, before: position) : lastPerson(index.people, before: position)
            }
            if let e = index.actors.ending(in: (verbStart - 39)...verbStart).first(where: { p in
                left.contains { tokens[$0].span.start == p.span.start }
            }) {
                // "The National Hurricane Center in Miami warned": the place after a preposition is not the subject;
                // the name right before the preposition is.
                if let at = ks.firstIndex(where: { tokens[$0].span.start == e.span.start }), at >= 2,
                    Self.placePrepositions.contains(tokens[ks[at - 1]].lower),
                    let head = index.actors.ending(
                        in: (tokens[ks[at - 1]].span.start - 80)...tokens[ks[at - 1]].span.start
                    )
                    .last(where: { $0.span.end == tokens[ks[at - 2]].span.end })
                {
                    return head.canonical ?? head.text
                }
                return e.canonical ?? e.text
            }
            // "Maj. Gen. Qais Mahdi, a spokesman for the Iraqi armed forces, told ...": the name before an apposition.
            for e in index.actors.ending(in: (verbStart - 119)...verbStart) {
                let from = ks[..<j].partitionPoint { tokens[$0].span.start < e.span.end }
                let between = ks[from..<j]
                if let f = between.first, let l = between.last, tokens[f].text == ",", tokens[l].text == "," {
                    return e.canonical ?? e.text
                }
            }
            if let noun = left.last.map({ tokens[$0].lower }), Self.describesPerson(noun), left.count >= 2,
                tokens[left[left.endIndex - 2]].lower == "the", let p = index.leadingPerson(before: position)
            {
                // "the Spaniard told reporters": the person the article has named most so far.
                return p
            }
            if let noun = left.last.map({ tokens[$0].lower }), Self.roleNouns.contains(noun) {
                // A role: the last person named with it, else that role as written.
                if let p = index.withRole[noun]?.last(endingBy: position, .any) {
                    return p.canonical ?? p.text
                }
                // Unnamed ("a European official said"): no speaker.
                return nil
            }
        }
        return nil
    }

    /// The listener after the telling verb `ks[j]`: the person, organisation or place named within a few lower-case
    /// words ("told Reuters", "told the state-run Kuna news agency", not "told reporters"), or another name (not an
    /// adjective) that an outlet word follows ("told the Handelsblatt newspaper"), and the index in `ks` after the
    /// listener's phrase (its outlet words included: "news agency").
    func listener(_ ks: [Int], after j: Int, _ index: Index) -> (outlet: String?, end: Int) {
        let tokens = index.tokens
        var i = j + 1
        var outlet: String?
        let verbEnd = tokens[ks[j]].span.end
        let named =
            index.actors.starting(from: verbEnd, before: verbEnd + 40).first
            ?? index.others.starting(from: verbEnd, before: verbEnd + 40).first.flatMap { e in
                let next = ks.first { tokens[$0].span.start >= e.span.end }
                return next.map({ Self.outletWords.contains(tokens[$0].lower) }) == true
                    && !ActorLinker.looksAdjectival(e.text) ? e : nil
            }
        if let e = named,
            let at = ks[(j + 1)...].prefix(5).firstIndex(where: { tokens[$0].span.start == e.span.start }),
            ks[(j + 1)..<at].allSatisfy({
                tokens[$0].text.first?.isLowercase == true
                    && !["that", "on", "in", "at", "of"].contains(tokens[$0].lower)
            })
        {
            outlet = e.canonical ?? e.text
            i = ks[at...].firstIndex { tokens[$0].span.start >= e.span.end } ?? ks.count
        }
        while i < ks.count, Self.outletWords.contains(tokens[ks[i]].lower) { i += 1 }
        return (outlet, i)
    }

    /// The last organisation or state named before `position` (for "it said", "they said").
    private func lastActor(_ actors: EntityLookup, before position: Int, from start: Int = .min) -> String? {
        actors.last(endingBy: position, .notPerson).flatMap { $0.span.start >= start ? $0.canonical ?? $0.text : nil }
    }

    /// The last person named before `position` (for "he said"), else the last organisation.
    private func lastPerson(_ people: EntityLookup, before position: Int, from start: Int = .min) -> String? {
        // The last one overall starts after any other that qualifies: when it starts before `start`, none is left.
        let e = [EntityLookup.Kind.person, .any].lazy.compactMap { people.last(endingBy: position, $0) }.first {
            $0.span.start >= start
        }
        return e.map { $0.canonical ?? $0.text }
    }

    // MARK: reported speech

    /// Words of a setting between a reporting verb and "that" ("in a sermon", "in an interview with", "in his
    /// speech").
    static let settingWords: WordSet = [
        "sermon", "speech", "address", "letter", "post", "message", "tweet", "remarks", "with", "his", "her", "its",
        "their", "televised", "radio", "press", "parliament", "court", "memo", "email", "e-mail", "note", "video",
        "podcast", "blog", "essay", "op-ed", "filing", "affidavit", "to", "employees", "staff", "shareholders",
        "investors", "members", "lawmakers", "voters", "followers", "report", "newspaper", "article", "column",
        "interview", "published", "magazine", "book", "decision", "ruling", "judgment", "opinion", "verdict",
    ]
    /// Words that may stand between a reporting verb and its content: time phrases, "that", the audience.
    static let afterVerb: WordSet = [
        "on", "in", "at", "a", "an", "the", "last", "this", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "week", "month", "year", "briefing", "statement", "interview", "reporters", "journalists",
        "supporters", "state", "television", "news", "conference", "that", "late", "early", "earlier", "later", "today",
        "yesterday", "september", "october", "november", "december", "january", "february", "march", "april",
        "may", "june", "july", "august",
    ]
    /// What follows `state` in a setting after a reporting verb ("said on state television").
    static let stateMedia: WordSet = ["television", "tv", "radio", "media", "news"]
    /// Parts of a day, skipped after a verb only after another time word ("said late on Tuesday night that", "reported
    /// last night"; not "said the night session would …").
    static let partsOfDay: WordSet = ["night", "morning", "afternoon", "evening", "weekend"]
    /// Words before a quoted name that make it a name, not a quotation ("dubbed "the Beast"", "known as "Barbecue"").
    static let namingWords: WordSet = [
        "dubbed", "nicknamed", "so-called", "titled", "entitled", "named", "codenamed", "code-named",
    ]
    /// Whom a speaker may tell besides a named outlet ("told analysts", "told the court", "told a news conference").
    static let audienceWords: WordSet = [
        "analysts", "investors", "lawmakers", "legislators", "parliament", "congress", "senators", "students",
        "shareholders", "employees", "staff", "delegates", "crowd", "jury", "jurors", "court", "committee", "members",
        "voters", "viewers", "listeners", "readers", "colleagues", "guests", "mps", "supporters", "conference",
        "briefing", "hearing", "rally", "audience", "parliamentarians", "councillors", "judges", "judge", "panel",
    ]
    /// For each of `entities` in the order of their ends, that end and the name (canonical) named most often up to
    /// there, ties to the first named.
    static func leaders(_ entities: [Entity]) -> [(end: Int, leader: String)] {
        var named: [String: (count: Int, first: Int)] = [:]
        var leader: (name: String, count: Int, first: Int)?
        var out: [(end: Int, leader: String)] = []
        for e in entities.sorted(by: { $0.span.end < $1.span.end }) {
            let name = e.canonical ?? e.text
            var n = named[name] ?? (0, e.span.start)
            n.count += 1
            named[name] = n
            if leader.map({ n.count > $0.count || (n.count == $0.count && n.first < $0.first) }) ?? true {
                leader = (name, n.count, n.first)
            }
            out.append((e.span.end, leader!.name))
        }
        return out
    }

    /// Nouns by which news names a person it has named, by nationality or by what they are ("the Spaniard told
    /// reporters", "the billionaire said"): the person named most often so far. A word in `-year-old` is one too.
    static let descriptionNouns: WordSet = [
        "spaniard", "briton", "frenchman", "frenchwoman", "englishman", "scot", "welshman", "irishman", "dutchman",
        "american", "german", "italian", "russian", "australian", "argentine", "brazilian", "swiss", "swede", "dane",
        "norwegian", "finn", "serb", "croat", "pole", "czech", "greek", "portuguese", "belgian", "austrian", "canadian",
        "kenyan", "ethiopian", "nigerian", "japanese", "chinese", "indian", "pakistani", "israeli", "palestinian",
        "billionaire", "tycoon", "businessman", "businesswoman", "entrepreneur", "veteran", "star", "champion",
        "politician", "incumbent", "challenger", "defendant", "suspect", "all-rounder", "batsman", "bowler", "opener",
        "skipper", "winger", "forward", "defender", "playmaker", "driver", "rider", "teenager", "youngster",
    ]
    /// Whether `word` (lower case) names a person by description: one of ``descriptionNouns`` or a `-year-old`.
    static func describesPerson(_ word: String) -> Bool {
        descriptionNouns.contains(word) || word.hasSuffix("-year-old")
    }

    /// Nouns by which news names the company it is about ("the company said"): the organisation named most.
    static let firmNouns: WordSet = [
        "company", "firm", "bank", "carmaker", "automaker", "airline", "insurer", "retailer", "lender",
        "utility", "brewer", "chipmaker", "conglomerate", "miner", "producer", "manufacturer", "operator", "club",
        "planemaker", "drugmaker", "publisher", "broadcaster",
    ]
    static let subjectNouns = WordSet(
        firmNouns.words.union(roleNouns.words).union([
            "sources", "officials", "analysts", "teachers", "groups",
            "residents", "experts", "diplomats", "mediators", "critics", "engineers", "doctors", "scientists",
            "investigators", "observers", "economists", "traders", "witnesses", "researchers", "prosecutors", "force",
            "forces", "navy", "command", "authorities", "office", "service", "wing", "media", "companies", "firms",
            "banks", "centre", "center", "union", "unions", "party",
        ]))

    static let auxiliaries: WordSet = [
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
        // ("Neil Webber, his office announced": the office is someone else's.)
        return content.count <= 3 && content.last.map { Self.subjectNouns.contains(tokens[$0].lower) } == true
            && !content.contains { tokens[$0].text == "," }
    }

    /// Whether the subject `ks` (a person's name first) is someone speaking for that person: the name, `'s` and a
    /// word such as `lawyer` or `wife` ("Altayli's lawyer", "Sarkozy's former lawyers").
    func speaksFor(_ ks: ArraySlice<Int>, _ index: Index) -> Bool {
        let tokens = index.tokens
        guard let s = ks.firstIndex(where: { tokens[$0].lower == "'s" || tokens[$0].lower == "'" }) else {
            return false
        }
        return ks[(s + 1)...].contains { Self.representatives.contains(tokens[$0].lower) }
    }

    /// Subjects that are many of a kind, or a body of a place: after a place they do not make the place the speaker
    /// ("New York banks said", "the Colorado centre has argued").
    static let pluralSubjects: WordSet = [
        "companies", "firms", "banks", "media", "analysts", "traders", "economists", "centre", "center",
    ]

    /// Those who speak for a person named before them with `'s`: not the person.
    static let representatives: WordSet = [
        "lawyer", "lawyers", "attorney", "attorneys", "counsel", "spokesman", "spokeswoman", "spokesperson", "aide",
        "aides", "adviser", "advisers", "advisor", "advisors", "wife", "husband", "son", "daughter", "brother",
        "sister", "mother", "father", "family", "relatives", "agent", "representative", "representatives",
    ]

    /// `X was quoted as saying (by OUTLET) (that) CONTENT` (the verb `saying` at `ks[verb]`): X's, told to the outlet.
    func quotedAsSaying(
        _ ks: [Int], verb j: Int, _ index: Index, quote: (ArraySlice<Int>, String?, Bool) -> Quote?
    ) -> Quote? {
        let tokens = index.tokens
        var q = j - 2
        if q >= 1, ["also", "further", "later", "widely"].contains(tokens[ks[q - 1]].lower) { q -= 1 }
        if q >= 1, ["was", "is", "been", "were", "are"].contains(tokens[ks[q - 1]].lower) { q -= 1 }
        let subjectEnd = tokens[ks[q]].span.start
        var speaker = index.actors.ending(in: (subjectEnd - 2)...subjectEnd).first {
            $0.span.start >= tokens[ks[0]].span.start
        }.map { $0.canonical ?? $0.text }
        if speaker == nil, q >= 1, ["he", "she"].contains(tokens[ks[q - 1]].lower) {
            speaker = lastPerson(index.people, before: subjectEnd)
        }
        var rest = ks[(j + 1)...]
        var outlet: String?
        if let by = rest.first, tokens[by].lower == "by" {
            var after = tokens[by].span.end
            if let the = rest.dropFirst().first, tokens[the].lower == "the" { after = tokens[the].span.end }
            let named =
                (index.actors.starting(from: after, before: after + 4).first
                    ?? index.others.starting(from: after, before: after + 4).first)
            if let o = named {
                outlet = o.canonical ?? o.text
                rest = rest.drop { tokens[$0].span.start < o.span.end }
                rest = rest.drop { Self.outletWords.contains(tokens[$0].lower) }
            }
        }
        // "was quoted as saying in press reports.": where, not what.
        if let f = rest.first, ["in", "on"].contains(tokens[f].lower),
            !rest.prefix(8).contains(where: { tokens[$0].lower == "that" }), !clauseFollows(rest, tokens)
        {
            return nil
        }
        guard var found = quote(rest, speaker, true) else { return nil }
        found.outlet = outlet
        return found
    }

    /// Whether `words` end with an attribution after a comma: a saying verb among the last eight words, a comma
    /// before it and no other comma between ("…, the army's media wing said (on Sunday).").
    func endsWithAttribution(_ words: ArraySlice<Int>, _ tokens: [Token]) -> Bool {
        let tail = words.suffix(9)
        guard let verb = tail.lastIndex(where: { Self.sayingVerbs.contains(tokens[$0].lower) }),
            let comma = tail[..<verb].lastIndex(where: { tokens[$0].text == "," }), verb - comma >= 2,
            // (Not a direct quote's: `…," he said.`)
            !tail[max(tail.startIndex, comma - 1)...verb].contains(where: {
                ["\"", "\u{201C}", "\u{201D}", "''", "``"].contains(tokens[$0].text)
            })
        else { return false }
        return tail[(verb + 1)...].allSatisfy { k in
            Self.attributionTail.contains(tokens[k].lower) || Self.afterVerb.contains(tokens[k].lower)
                || tokens[k].text.first?.isUppercase == true
        }
    }

    /// Words that may end a sentence after its attribution's verb besides ``afterVerb`` ("…, the agency said late
    /// last night.").
    static let attributionTail: WordSet = [".", "late", "earlier", "later", "night", "\"", "\u{201D}"]

    /// Whether the words after a reporting verb open a clause ("that …", "it would invest", "troops had sealed the
    /// crossing", "the economy slowed") rather than a plain object ("the plan at an event", "the allegations"): "that"
    /// or a subject pronoun first, or a verb — an auxiliary, a modal, a form in -ed or a common irregular or present
    /// one — among the first fifteen words.
    func clauseFollows(_ rest: ArraySlice<Int>, _ tokens: [Token]) -> Bool {
        guard let f = rest.first else { return false }
        if tokens[f].lower == "that" || Self.subjectPronouns.contains(tokens[f].lower) { return true }
        let words = rest.prefix(15)
        return words.indices.contains { i in
            let w = tokens[words[i]].lower
            // A reporting verb a few words after a comma is an attribution ("stressed the need for talks, the agency
            // said"), not the verb of a clause ("reported the government said …").
            if Self.reportingVerbs.contains(w),
                words[max(words.startIndex, i - 8)..<i].contains(where: { tokens[$0].text == "," })
            {
                return false
            }
            return Self.clauseVerbs.contains(w)
                || (w.utf8.count >= 4 && w.hasSuffix("ed") && !Self.notPastForms.contains(w))
        }
    }

    /// The person named right after an invertible reporting verb at `ks[verb]` ("…, said Col. Ronald Rwivanga, a
    /// spokesman"): only rank, title or capitalised words between, and the name ends the clause (a comma, the
    /// sentence's end, "on", "in" …), so that "…, said Mr Lynch's job would …" is no attribution.
    func invertedSpeaker(_ ks: [Int], verb j: Int, _ index: Index) -> Entity? {
        let tokens = index.tokens
        let k = ks[j]
        guard Self.invertible.contains(tokens[k].lower),
            let e = index.people.starting(from: tokens[k].span.end, before: tokens[k].span.end + 40).first(where: {
                $0.type == "PER"
            })
        else { return nil }
        let between = ks[(j + 1)...].prefix { tokens[$0].span.start < e.span.start }
        guard
            between.allSatisfy({
                ActorLinker.roleWords.contains(tokens[$0].lower) || ActorLinker.honorifics.contains(tokens[$0].lower)
                    || tokens[$0].text.first?.isUppercase == true
            })
        else { return nil }
        guard let next = ks.first(where: { tokens[$0].span.start >= e.span.end }) else { return e }
        return [",", ".", ";", ":", "(", "on", "in", "at", "yesterday", "today", "who"].contains(tokens[next].lower)
            ? e : nil
    }

    /// `X said (that) CONTENT`, `CONTENT, X said.`, `according to X, CONTENT` and `CONTENT, according to X` in one
    /// sentence (tokens `ks`); the speaker is nil when the sayer is not named ("officials said").
    func reported(_ ks: [Int], _ index: Index, slice: (Span) -> String) -> Quote? {
        guard ks.count >= 4 else { return nil }
        let tokens = index.tokens
        func quote(_ content: ArraySlice<Int>, _ speaker: String?, afterVerb: Bool = false) -> Quote? {
            var c = content
            while let l = c.last, [".", ",", ";", ":", "\"", "\u{201D}"].contains(tokens[l].text) { c.removeLast() }
            while let f = c.first, [",", ":", "that", "\"", "\u{201C}"].contains(tokens[f].lower) { c.removeFirst() }
            // "told reporters in Abuja that …", "said in a sermon that …": a place or a setting before "that" is not
            // what was said.
            if afterVerb, let that = c.prefix(7).firstIndex(where: { tokens[$0].lower == "that" }),
                c[..<that].allSatisfy({
                    Self.afterVerb.contains(tokens[$0].lower) || Self.settingWords.contains(tokens[$0].lower)
                        || tokens[$0].text.contains(where: \.isNumber)
                        || tokens[$0].text.first?.isUppercase == true
                })
            {
                c = c[(that + 1)...]
            }
            guard c.count >= 3, let a = c.first, let b = c.last else { return nil }
            let span = Span(start: tokens[a].span.start, end: tokens[b].span.end)
            var q = Quote(span: span, text: slice(span), speaker: speaker)
            q.kind = .reported
            return q
        }
        func name(_ entity: Entity) -> String { entity.canonical ?? entity.text }
        let sentenceStart = tokens[ks[0]].span.start
        for (j, k) in ks.enumerated() {
            let w = tokens[k].lower
            if w == "according", j + 1 < ks.count, tokens[ks[j + 1]].lower == "to" {
                let after = tokens[ks[j + 1]].span.end
                // The source is named in the phrase after "to", before a comma or the sentence's end ("according to
                // court documents. Lula thanked …": no one, not the next sentence's subject).
                let phraseEnd =
                    ks[(j + 2)...].first { [",", ".", ";", ":"].contains(tokens[$0].text) }.map {
                        tokens[$0].span.start
                    } ?? tokens[ks[ks.count - 1]].span.end
                let e = index.actors.starting(from: after, before: min(after + 30, phraseEnd)).first {
                    $0.span.end <= phraseEnd
                }
                let named = e.map(name)
                // "according to X, CONTENT" or "CONTENT, according to X."
                if j == 0 || (j == 1 && tokens[ks[0]].lower == ",") {
                    let clauseEnd = ks[(j + 2)...].firstIndex { tokens[$0].text == "," } ?? ks.endIndex
                    return quote(ks[min(ks.endIndex, clauseEnd + 1)...], named)
                }
                return quote(ks[..<j], named)
            }
            if w == "saying", j >= 2, tokens[ks[j - 1]].lower == "as", tokens[ks[j - 2]].lower == "quoted" {
                return quotedAsSaying(ks, verb: j, index, quote: quote)
            }
            guard Self.reportingVerbs.contains(w) else { continue }
            let verbStart = tokens[k].span.start
            // Subject: right before the verb ("Amnesty International said"), before an apposition ("Dariush Mohebbi,
            // ..., said"), a pronoun, or an unnamed noun phrase ("officials said").
            var subjectStart = j
            var speaker: String?
            var named = false
            if j >= 1, tokens[ks[j - 1]].text == "," {
                let open = ks[..<(j - 1)].lastIndex(where: { tokens[$0].text == "," })
                let openAt = open.map { tokens[ks[$0]].span.start } ?? 0, closeAt = tokens[ks[j - 1]].span.start
                if open != nil,
                    let e = index.people.starting(from: openAt + 1, before: closeAt).first(where: {
                        $0.type == "PER" && $0.span.end <= closeAt
                    })
                {
                    // "Iran's foreign ministry spokesman, Dariush Mohebbi, said": the name is the apposition.
                    speaker = name(e)
                } else if open != nil,
                    let e = index.people.ending(in: (openAt - 1)...openAt).first(where: {
                        $0.span.start >= sentenceStart
                    })
                {
                    // "Brig. Gen. Daniel Reyes, a coalition commander, said".
                    speaker = name(e)
                } else if let o = open, o >= 2, Self.describesPerson(tokens[ks[o - 1]].lower),
                    tokens[ks[o - 2]].lower == "the", let p = index.leadingPerson(before: openAt)
                {
                    // "The billionaire, who also owns SpaceX, said": the person the article has named most.
                    speaker = p
                } else {
                    // "CONTENT, said Col. Ronald Rwivanga, a spokesman …": the attribution inverted after what was
                    // said (after a dateline, from its dash); else "..., said X" inverts a direct quote's.
                    if let e = invertedSpeaker(ks, verb: j, index) {
                        let head = ks[..<(j - 1)]
                        let dash = head.prefix(12).lastIndex { tokens[$0].text == "-" }
                        return quote(head[(dash.map { $0 + 1 } ?? head.startIndex)...], name(e))
                    }
                    continue
                }
                named = true
                subjectStart = ks[..<(open ?? 0)].lastIndex { tokens[$0].span.start < openAt - 80 }.map { $0 + 1 } ?? 0
            } else if let e = index.actors.ending(in: (verbStart - 39)...verbStart).first(where: {
                $0.span.start >= sentenceStart
            }),
                subjectGap(Array(ks[ks[..<j].partitionPoint { tokens[$0].span.start < e.span.end }..<j]), tokens)
            {
                speaker = name(e)
                named = true
                var first = ks.partitionPoint { tokens[$0].span.start < e.span.start }
                // "Altayli's lawyer said": someone speaking for the person, not the person (unnamed: no speaker).
                if e.type == "PER", speaksFor(ks[first..<j], index) { speaker = nil }
                // "New York banks said", "British media said": many, of a place, not the place.
                if e.type == "LOC", ks[first..<j].contains(where: { Self.pluralSubjects.contains(tokens[$0].lower) }) {
                    speaker = nil
                }
                // "Police in Ohio said", "The National Hurricane Center in Miami said": the place is not the subject;
                // what comes before its preposition is (unnamed: no speaker).
                if e.type == "LOC", first > 0, first < ks.count,
                    Self.placePrepositions.contains(tokens[ks[first - 1]].lower)
                {
                    let prepStart = tokens[ks[first - 1]].span.start
                    let owner = index.actors.ending(in: (prepStart - 2)...prepStart).first {
                        $0.span.start >= sentenceStart
                    }
                    speaker = owner.map(name)
                    named = owner != nil
                    first =
                        owner.map { o in ks.partitionPoint { tokens[$0].span.start < o.span.start } }
                        ?? (ks[..<(first - 1)].lastIndex { tokens[$0].text == "," }.map { $0 + 1 } ?? 0)
                }
                subjectStart = first < ks.count ? first : j
            } else if j >= 1, Self.pronouns.contains(tokens[ks[j - 1]].lower) {
                speaker =
                    ["it", "they", "we"].contains(tokens[ks[j - 1]].lower)
                    ? lastActor(index.actors, before: verbStart, from: sentenceStart)
                    : lastPerson(index.people, before: verbStart, from: sentenceStart)
                named = speaker != nil
                subjectStart = j - 1
            } else if j >= 2, Self.describesPerson(tokens[ks[j - 1]].lower), tokens[ks[j - 2]].lower == "the",
                let p = index.leadingPerson(before: verbStart)
            {
                // "The Spaniard said", "the 38-year-old said".
                speaker = p
                named = true
                subjectStart = j - 2
            } else if j >= 1, Self.subjectNouns.contains(tokens[ks[j - 1]].lower) {
                subjectStart = j - 1
                // (At most seven words back: a longer subject is refused below.)
                while subjectStart > 0, j - subjectStart <= 6, tokens[ks[subjectStart - 1]].text != "," {
                    subjectStart -= 1
                }
                // A long subject is a clause, not a noun phrase.
                if j - subjectStart > 6 { continue }
                // "The minister said": the last person named with that role, as for a direct quote.
                let noun = tokens[ks[j - 1]].lower
                if j >= 2, tokens[ks[j - 2]].lower == "the", Self.roleNouns.contains(noun),
                    let p = index.withRole[noun]?.last(endingBy: verbStart, .any)
                {
                    speaker = p.canonical ?? p.text
                } else if Self.firmNouns.contains(noun),
                    let the = (max(0, j - 6)..<(j - 1)).last(where: { tokens[ks[$0]].lower == "the" }),
                    ks[(the + 1)..<(j - 1)].allSatisfy({
                        tokens[$0].text.first?.isUppercase == true || tokens[$0].lower.hasSuffix("-based")
                            || tokens[$0].text == ","
                    }),
                    let o = index.leadingOrganisation(before: verbStart)
                {
                    // "The company said", "the South Korean company said", "the Redmond, Washington-based company
                    // said": the organisation the article has named most so far (the last named was right in about
                    // half of 40 read on the Reuters file, as often an underwriter or a regulator).
                    speaker = o
                }
            } else {
                continue
            }
            _ = named
            // Content after the verb, past the listener ("told Reuters"), a time phrase, the audience and "that".
            var outlet: String?
            var rest = ks[(j + 1)...]
            if Self.tellingVerbs.contains(w) {
                let heard = listener(ks, after: j, index)
                outlet = heard.outlet == speaker ? nil : heard.outlet
                rest = ks[heard.end...]
                // "told analysts that …", "told the court …", "told a news conference …": the audience.
                var k = rest.startIndex
                while k < rest.endIndex,
                    Self.audienceWords.contains(tokens[rest[k]].lower)
                        || Self.outletWords.contains(tokens[rest[k]].lower)
                        || ["a", "an", "the", "his", "her", "its", "their"].contains(tokens[rest[k]].lower)
                {
                    k += 1
                }
                if k > rest.startIndex, Self.audienceWords.contains(tokens[rest[k - 1]].lower) { rest = rest[k...] }
            }
            // Skip a time phrase and the audience; a determiner only when what follows is skipped too ("a briefing").
            // A "that" skipped opens a clause ("predicted that the industry, which reported …, would …").
            var thatSkipped = false
            let opensWithPlace = rest.first.map { ["at", "in", "on"].contains(tokens[$0].lower) } ?? false
            while let f = rest.first {
                let l = tokens[f].lower
                if l == "that" { thatSkipped = true }
                let next = rest.dropFirst().first.map { tokens[$0].lower } ?? ""
                let isDeterminer = ["a", "an", "the"].contains(l)
                // "said on state television"; but "said the state had deployed …" is what was said.
                let afterNext = rest.dropFirst(2).first.map { tokens[$0].lower } ?? ""
                if l == "state"
                    ? !Self.stateMedia.contains(next)
                    : isDeterminer && next == "state"
                        && !Self.stateMedia.contains(afterNext)
                {
                    break
                }
                if isDeterminer
                    ? Self.afterVerb.contains(next) && !["a", "an", "the"].contains(next)
                    : (Self.afterVerb.contains(l)
                        // A day's number after a month or another time word ("said on March 19 that"), or part of the
                        // listener's name ("told BBC Radio 4"); not "said 40 percent of teachers …".
                        || (tokens[f].text.first?.isNumber == true && tokens[f].text.count <= 2
                            || Self.partsOfDay.contains(l)) && rest.startIndex > j + 1
                            && (Self.afterVerb.contains(tokens[ks[rest.startIndex - 1]].lower)
                                || !Self.partsOfDay.contains(l)
                                    && tokens[ks[rest.startIndex - 1]].text.first?.isUppercase == true))
                {
                    rest = rest.dropFirst()
                } else {
                    break
                }
            }
            func told(_ q: Quote?) -> Quote? {
                guard var q else { return nil }
                q.outlet = outlet
                return q
            }
            contentAfter: if rest.count >= 3, let f = rest.first, tokens[f].text != "," {
                // "announced the plan at an event", "reported a loss of …": an object, no speech (nor is what comes
                // before the verb: "In October, the company announced the closure …").
                // ("Netflix added 19 million subscribers, …": a number after "added" is its object.)
                let saying =
                    Self.sayingVerbs.contains(w)
                    && !(w == "added" && tokens[ks[j + 1]].text.first?.isNumber == true)
                guard saying || thatSkipped || clauseFollows(rest, tokens) else { continue }
                // "The Taliban claimed an attack that killed 12 soldiers, the army's media wing said.": the sentence is
                // the attribution's at its end, not the first verb's.
                if !saying, endsWithAttribution(rest, tokens) { continue }
                // "wrote on X that …", "posted on Facebook that …"; not "wrote off loans that were …", "posted a
                // loss of …, which was …".
                if Self.writingVerbs.contains(w), !thatSkipped, !Self.subjectPronouns.contains(tokens[f].lower),
                    !rest.prefix(7).contains(where: { tokens[$0].lower == "that" })
                {
                    continue
                }
                // "the singer told reporters at the MTV Europe Awards in Rome.", "said in its weekly review.": where,
                // not what, was said ("said in a newspaper interview that …" goes on).
                if opensWithPlace, !thatSkipped, !rest.prefix(8).contains(where: { tokens[$0].lower == "that" }),
                    !clauseFollows(rest, tokens)
                {
                    // What was said may come before: "CONTENT, X told employees in a memo on Wednesday."
                    if subjectStart > 0, ks[..<subjectStart].contains(where: { tokens[$0].text == "," }) {
                        break contentAfter
                    }
                    continue
                }
                // "The chancellor said Berlin wanted closer ties, while Rossi called …": the said part ends at the
                // comma before "while" or "whereas", which opens someone else's clause.
                if let cut = rest.indices.first(where: {
                    $0 > rest.startIndex && tokens[rest[$0]].text == "," && $0 + 1 < rest.endIndex
                        && ["while", "whereas"].contains(tokens[rest[$0 + 1]].lower)
                }) {
                    rest = rest[..<cut]
                }
                return told(quote(rest, speaker, afterVerb: true))
            }
            // The sentence ends with the attribution: "CONTENT, X said (on Friday)."
            if subjectStart > 0, let comma = ks[..<subjectStart].lastIndex(where: { tokens[$0].text == "," }) {
                let from = ks[..<comma].firstIndex { _ in true } ?? 0
                let head = ks[from..<comma]
                // After a dateline ("BAGHDAD, Nov 20 (PSW) - "), the content starts after the dash.
                if let dash = head.lastIndex(where: { tokens[$0].text == "-" }), dash - from < 12 {
                    return told(quote(ks[(dash + 1)..<comma], speaker))
                }
                return told(quote(head, speaker))
            }
        }
        return nil
    }
}
