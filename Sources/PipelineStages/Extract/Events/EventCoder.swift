import OrderedCollections
import PipelineCore

/// Finds who did what to whom in each sentence: an action word of the ``EventDictionary`` between actors of
/// `extract entities`, read with patterns over the tokens (no parser):
///
/// - **Verbs**, active: the source is the nearest actor before the verb in its clause (over an apposition between
///   commas, "Qais Mahdi, a spokesman for …, accused"; `he`/`she`/`it`/`they` as the last person or organisation named;
///   a verb after `and` shares the previous verb's source), the target the first actor after it (an actor after `in`,
///   `at`, `from` … is a place, not a target; "Iraqi Prime Minister Karim al-Saadi" is the person). Passive
///   ("was attacked by X"): the subject is the target and the actor after `by` the source.
/// - **Nouns**: the source is the actor before the noun ("Israeli air strikes", "Russia's attack"), after `by`
///   or `from` ("praise from X": X praised the subject), or the clause's subject ("Turkey launched strikes on …"); the
///   target comes after `on`, `against`, `with`, `to`, `for`, `between`. A noun whose pair a verb already coded in the
///   sentence ("signed a deal") is not coded again.
/// - **Together**: for a symmetric action, two actors joined by `and` ("Greece and Cyprus signed") or after `between`
///   make an event between them.
/// - **Flags**: `negated` (`not`, `never`, `refused to`, `denied attacking`), `hypothetical` (a modal, `threatened
///   to`, `plans to`, `if`, "possible strikes"), `reported_by` (the speaker of the quotation of `extract quotes` the
///   action is in, "according to X", or the actor who said it).
///
/// A sentence's dateline ("BAGHDAD, Nov 20 (PSW) -") names no actor of an event; neither do facilities and "X-based"
/// or "X-backed" modifiers.
struct EventCoder {
    let dictionary: EventDictionary
    /// Report a person by the country they act for, when known (`level=country`).
    let countryLevel: Bool
    let words = EventWords.english

    /// An actor mention an event can name.
    struct Mention {
        var first: Int, last: Int
        var entity: Int
        var name: String
        var person: Bool
        var role: String?
    }

    typealias C = EventWords.Classes

    /// The events of one document, in the order of their sentences and action words.
    ///
    /// - Throws: ``RunCancellation``'s error when the run is interrupted (checked every 256 sentences, from the first).
    func events(
        text: String, sentences: [Span], tokens: [Span], entities: [Entity], quotes: [Quote]?
    ) throws -> [Event] {
        guard !tokens.isEmpty, !entities.isEmpty else { return [] }
        var text = text
        return try text.withUTF8 { buf in
            var doc = DocumentState(
                coder: self, buf: buf, tokens: tokens, entities: entities, quotes: quotes)
            var out: [Event] = []
            // Two scores or more ("28-17", "6-1 7-6"): a sports report, whose "attack", "host" and "meet" are games.
            if doc.scores(atLeast: 2) { return [] }
            for (k, s) in sentences.enumerated() {
                if k % 256 == 0 { try RunCancellation.checkCurrent() }
                doc.code(sentence: k, span: s, into: &out)
            }
            return out
        }
    }

    /// The working state of one document.
    struct DocumentState {
        let coder: EventCoder
        let buf: UnsafeBufferPointer<UInt8>
        let tokens: [Span]
        let entities: [Entity]
        var offsets: ScalarOffsets
        /// The quotations, by where they start.
        let quoteSpans: [(span: Span, speaker: String?)]
        /// The eligible mentions, in order, and for every token the mention covering it (-1: none).
        var mentions: [Mention] = []
        var mentionAt: [Int32]
        /// Each token's lower-cased hash and classes, computed for the sentences that name an actor.
        var hashes: [UInt64]
        var classes: [C]
        /// Each classified token's first and end byte, and its shape.
        var byteStart: [Int], byteEnd: [Int]
        var shapes: [Shape]

        /// What a token looks like.
        struct Shape: OptionSet {
            let rawValue: UInt8
            /// Starts with a lower-case ASCII letter.
            static let lower = Shape(rawValue: 1)
            /// Starts with a digit.
            static let digit = Shape(rawValue: 2)
            /// A lower-case word of more than three letters ending in -ly (an adverb).
            static let adverb = Shape(rawValue: 4)
        }

        init(
            coder: EventCoder, buf: UnsafeBufferPointer<UInt8>, tokens: [Span], entities: [Entity], quotes: [Quote]?
        ) {
            self.coder = coder
            self.buf = buf
            self.tokens = tokens
            self.entities = entities
            offsets = ScalarOffsets(buf)
            quoteSpans = (quotes ?? []).map { ($0.span, $0.speaker) }.sorted { $0.span < $1.span }
            mentionAt = Array(repeating: -1, count: tokens.count)
            hashes = Array(repeating: 0, count: tokens.count)
            classes = Array(repeating: [], count: tokens.count)
            byteStart = Array(repeating: 0, count: tokens.count)
            byteEnd = Array(repeating: 0, count: tokens.count)
            shapes = Array(repeating: [], count: tokens.count)
            let order = entities.indices.sorted { entities[$0].span < entities[$1].span }
            for e in order where Self.eligible(entities[e]) {
                let en = entities[e]
                let first = tokens.partitionPoint { $0.end <= en.span.start }
                var last = first
                while last + 1 < tokens.count, tokens[last + 1].start < en.span.end { last += 1 }
                guard first < tokens.count, tokens[first].start < en.span.end,
                    mentionAt[first] < 0, mentionAt[last] < 0
                else { continue }
                var canonical = en.canonical ?? en.text
                // "Paris criticised Rome": a seat of government that acts is its state.
                if en.type == "LOC", let state = Self.seats[canonical] { canonical = state }
                let name = coder.countryLevel ? (en.country ?? canonical) : canonical
                for t in first...last { mentionAt[t] = Int32(mentions.count) }
                mentions.append(
                    Mention(
                        first: first, last: last, entity: e, name: name, person: en.type == "PER", role: en.role))
            }
        }

        /// Whether an entity can be an event's source or target.
        static func eligible(_ e: Entity) -> Bool {
            switch e.type {
            case "PER", "ORG", "LOC": break
            case "MISC":
                // A demonym that stands for its country ("Iraqi" → Iraq); other MISC names are not actors.
                guard let c = e.canonical, c != e.text else { return false }
            default: return false
            }
            if e.kind == "facility" { return false }
            if let dash = e.text.lastIndex(of: "-") {
                let suffix = e.text[e.text.index(after: dash)...].lowercased()
                if Self.modifierSuffixes.contains(suffix) { return false }
            }
            return true
        }

        /// The places whose name stands for a state in the actor table (`Baghdad` → Iraq).
        static let seats: [String: String] = {
            var out: [String: String] = [:]
            for e in ActorTable.builtIn.entries where e.type == "LOC" {
                for s in e.seats where out[s] == nil { out[s] = e.canonical }
            }
            return out
        }()

        /// "Iran-backed militias", "London-based company": the name qualifies someone else.
        static let modifierSuffixes: Set<String> = [
            "backed", "based", "funded", "supported", "born", "made", "owned", "sponsored", "allied", "aligned",
            "style", "speaking", "registered", "flagged", "listed", "bound", "friendly", "linked",
        ]

        // MARK: a sentence

        mutating func code(sentence k: Int, span: Span, into out: inout [Event]) {
            var a = tokens.partitionPoint { $0.start < span.start }
            let b = tokens.partitionPoint { $0.start < span.end }
            guard a < b else { return }
            guard (a..<b).contains(where: { mentionAt[$0] >= 0 }) else { return }
            for t in a..<b { classify(t) }
            if k == 0, let dash = dateline(a, b) { a = dash + 1 }
            // A match result ("beat Italy 28-17", "won 6-1 7-6"): sport, not an event between actors.
            if (a..<b).contains(where: isScore) { return }
            var sentenceEvents: [(event: Event, noun: Bool, action: Int)] = []
            var lastSources: [Int] = []
            var verbTargets: Set<Int> = []
            var t = a
            while t < b {
                guard let (entry, form, end) = action(at: t, a, b) else { t += 1; continue }
                let e = coder.dictionary.entries[Int(entry)]
                let found =
                    e.noun
                    ? nounEvents(e, at: t, end: end, a, b, verbTargets: verbTargets)
                    : verbEvents(e, form: form, at: t, end: end, a, b, lastSources: &lastSources)
                if !e.noun { for f in found { verbTargets.formUnion(f.targets) } }
                for ev in found {
                    sentenceEvents.append((makeEvent(ev, entry: e, sentence: k, at: t, end: end, a, b), e.noun, t))
                }
                t = end + 1
            }
            // A noun whose pair a verb of the sentence already coded ("signed a deal") is the same event; one event
            // per source, target and quad class ("offered to mediate between"). Sets, not scans: one sentence of a
            // hostile input can hold thousands of events.
            var verbPairs = Set<[String]>()
            for x in sentenceEvents where !x.noun { verbPairs.insert([x.event.source, x.event.target].sorted()) }
            var seen = Set<[String]>()
            for x in sentenceEvents {
                // An actor acting on itself (two names of one actor; a person and their own country).
                if x.event.source == x.event.target { continue }
                if x.noun, verbPairs.contains([x.event.source, x.event.target].sorted()) { continue }
                guard seen.insert([x.event.source, x.event.target, x.event.quad.rawValue]).inserted else { continue }
                out.append(x.event)
            }
        }

        mutating func classify(_ t: Int) {
            let a = offsets.byte(atScalar: tokens[t].start, in: buf)
            let b = offsets.byte(atScalar: tokens[t].end, in: buf)
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for i in a..<b {
                let c = buf[i]
                h = (h ^ UInt64(c &- 65 < 26 ? c | 0x20 : c)) &* 0x0000_0100_0000_01B3
            }
            hashes[t] = h
            classes[t] = coder.words.classes(h)
            byteStart[t] = a
            byteEnd[t] = b
            var shape: Shape = []
            if a < b {
                if buf[a] &- 97 < 26 {
                    shape.insert(.lower)
                    if b - a > 3 && buf[b - 2] == UInt8(ascii: "l") && buf[b - 1] == UInt8(ascii: "y") {
                        shape.insert(.adverb)
                    }
                }
                if buf[a] &- 48 < 10 { shape.insert(.digit) }
            }
            shapes[t] = shape
        }

        /// The dash that ends a dateline ("BAGHDAD, Nov 20 (PSW) -"): a dash among the first twenty tokens of a
        /// sentence whose first word is in capitals.
        func dateline(_ a: Int, _ b: Int) -> Int? {
            let s = byteStart[a], e = byteEnd[a]
            guard e - s >= 2, (s..<e).allSatisfy({ buf[$0] &- 65 < 26 || buf[$0] == UInt8(ascii: ".") }) else {
                return nil
            }
            for t in a..<min(b, a + 20) {
                let s = byteStart[t], e = byteEnd[t]
                let dash =
                    (e - s == 1 && buf[s] == UInt8(ascii: "-")) || (e - s == 2 && buf[s] == 0x2D && buf[s + 1] == 0x2D)
                    || (e - s == 3 && buf[s] == 0xE2 && buf[s + 1] == 0x80
                        && (buf[s + 2] == 0x94 || buf[s + 2] == 0x93))
                if dash { return t }
            }
            return nil
        }

        /// The action at token `t`: its entry, the token's form and the last token of the phrase; nil when the token
        /// is no action, or a verb-only action used as a noun ("the release of").
        func action(at t: Int, _ a: Int, _ b: Int) -> (Int32, EventDictionary.Form, Int)? {
            guard mentionAt[t] < 0, let readings = coder.dictionary.readings(hashes[t]) else { return nil }
            // A capitalised word inside a sentence is part of a name or title ("Grand Slam", "U.S. Arms sale").
            if t > a, !shapes[t].contains(.lower), !classes[t - 1].contains(.boundary) { return nil }
            let entries = coder.dictionary.entries
            // The longest phrase that matches.
            var best: [(EventDictionary.Reading, Int)] = []
            var bestLength = -1
            for r in readings {
                let entry = entries[Int(r.entry)]
                let rest = entry.rest
                guard t + rest.count < b, entry.restMatches({ hashes[t + 1 + $0] }) else { continue }
                if rest.count > bestLength { best = []; bestLength = rest.count }
                if rest.count == bestLength { best.append((r, t + rest.count)) }
            }
            guard !best.isEmpty else { return nil }
            func pick(_ noun: Bool) -> (Int32, EventDictionary.Form, Int)? {
                best.first { entries[Int($0.0.entry)].noun == noun }.map { ($0.0.entry, $0.0.form, $0.1) }
            }
            let strong = t > a && strongNounContext(t - 1)
            let weak = t > a && !strong && weakNounContext(t - 1)
            if let v = best.first(where: { !entries[Int($0.0.entry)].noun && $0.0.form == .past }) {
                // "the proposed deal": a participle after an article is an adjective.
                return strong ? pick(true) : (v.0.entry, v.0.form, v.1)
            }
            if let v = best.first(where: { !entries[Int($0.0.entry)].noun && $0.0.form == .ing }) {
                // "the first meeting" is a noun; "officials meeting Iran's minister" a verb.
                let next = v.1 + 1
                let objectFollows =
                    next < b && (mentionAt[next] >= 0 || classes[next].contains(.determiner))
                if strong || (weak && !objectFollows) { return pick(true) }
                return (v.0.entry, v.0.form, v.1)
            }
            if strong || weak { return pick(true) }
            return pick(false) ?? (bestLength > 0 ? nil : pick(true))
        }

        /// Whether the token before a word makes it a noun for sure: an article or possessive, a preposition, a
        /// number, a demonym ("Israeli strikes").
        func strongNounContext(_ p: Int) -> Bool {
            let c = classes[p]
            if c.contains(.determiner) || c.contains(.possessive) || c.contains(.of) { return true }
            if !c.contains(.to), c.contains(.locative) || c.contains(.relational) || c.contains(.by) { return true }
            if let m = mentionAt[p] >= 0 ? mentions[Int(mentionAt[p])] : nil {
                return entities[m.entity].type == "MISC"
            }
            return !c.contains(.function) && shapes[p].contains(.digit)
        }

        /// Whether the token before a word is a lower-case word that is not a function word or an adverb (it may
        /// modify a noun, "air strikes", or be a verb's subject, "rebels attack").
        func weakNounContext(_ p: Int) -> Bool {
            !classes[p].contains(.function) && shapes[p].contains(.lower) && !shapes[p].contains(.adverb)
        }

        /// Whether the text holds at least `n` scores (``isScore(_:)``), looked for among the tokens that start with a
        /// digit.
        mutating func scores(atLeast n: Int) -> Bool {
            var found = 0
            for t in tokens.indices {
                let s = offsets.byte(atScalar: tokens[t].start, in: buf)
                guard s < buf.count, buf[s] &- 48 < 10 else { continue }
                classify(t)
                if isScore(t) {
                    found += 1
                    if found >= n { return true }
                }
            }
            return false
        }

        /// A score such as `28-17` or `6–1`: one to three digits, a hyphen or en dash, one to three digits.
        func isScore(_ t: Int) -> Bool {
            guard shapes[t].contains(.digit) else { return false }
            let s = byteStart[t], e = byteEnd[t]
            var i = s
            while i < e, buf[i] &- 48 < 10 { i += 1 }
            let left = i - s
            guard left >= 1, left <= 3, i < e else { return false }
            if buf[i] == UInt8(ascii: "-") {
                i += 1
            } else if e - i >= 3, buf[i] == 0xE2, buf[i + 1] == 0x80, buf[i + 2] == 0x93 {
                i += 3
            } else {
                return false
            }
            let r = i
            while i < e, buf[i] &- 48 < 10 { i += 1 }
            return i == e && i - r >= 1 && i - r <= 3
        }

        // MARK: verbs

        struct Found {
            var sources: [Int]
            var targets: [Int]
            var symmetric: Bool
            var negated: Bool
            var hypothetical: Bool
        }

        mutating func verbEvents(
            _ e: EventDictionary.Entry, form: EventDictionary.Form, at v: Int, end: Int, _ a: Int, _ b: Int,
            lastSources: inout [Int]
        ) -> [Found] {
            let passive = form == .past && isPassive(v, a)
            var sources: [Int], targets: [Int]
            if passive {
                targets = subject(before: v, a, lastSources: lastSources)
                sources = agent(after: end, b)
            } else {
                sources = subject(before: v, a, lastSources: lastSources)
                targets = objects(after: end, b, noun: false, throughInfinitive: classes[v].contains(.intent))
            }
            if !passive, !sources.isEmpty { lastSources = sources }
            if !passive, targets.isEmpty, e.symmetric, sources.count >= 2,
                !objects(after: end, b, noun: false, throughInfinitive: true).isEmpty
            {
                // "Norway, Egypt and the Soviet Union agreed to help OPEC": each with OPEC (the help is coded),
                // not with each other ("Iran and Saudi Arabia agreed to restore ties" is).
                return []
            }
            let negated = isNegated(v, a, form: form)
            let hypothetical = isHypothetical(v, a)
            return pairs(
                e, sources: sources, targets: targets, negated: negated, hypothetical: hypothetical, actionAt: v)
        }

        /// `was attacked`, `were not invited`, `had been criticised`.
        func isPassive(_ v: Int, _ a: Int) -> Bool {
            var i = v - 1
            var steps = 0
            while i >= a && steps < 4 {
                let c = classes[i]
                if c.contains(.be) { return true }
                if c.contains(.negator) || c.contains(.adverbial) || isAdverb(i) || hashes[i] == Self.hBeen {
                    i -= 1
                    steps += 1
                    continue
                }
                return false
            }
            return false
        }

        static let hBeen = EventDictionary.hash("been")
        static let hAnd = EventDictionary.hash("and")

        func isAdverb(_ i: Int) -> Bool { shapes[i].contains(.adverb) && !classes[i].contains(.function) }

        /// The actors before `v` that act: the nearest eligible one in the clause, with those joined to it by `and`.
        func subject(before v: Int, _ a: Int, lastSources: [Int]) -> [Int] {
            var i = v - 1
            var steps = 0
            while i >= a && steps < 30 {
                steps += 1
                let m = mentionAt[i]
                if m >= 0 {
                    let first = mentions[Int(m)].first
                    // "X told Reuters the negotiations …": the listener is no subject.
                    if first > a, Self.tell.contains(hashes[first - 1]) { return [] }
                    if first - 2 >= a, classes[first - 1].contains(.of), mentionAt[first - 2] >= 0,
                        mentions[Int(mentionAt[first - 2])].person
                    {
                        // "Prime Minister Mark Tan of Singapore visited": the person.
                        return coordinated(Int(mentionAt[first - 2]), a)
                    }
                    let group = coordinated(Int(m), a)
                    // "a demand for Turkey to recognise Cyprus": the actor before "to" and the verb acts.
                    // (Only after "for" or "by": in "headed to Brussels to meet" Brussels is a place.)
                    let lastToken = mentions[group[group.count - 1]].last
                    let firstToken = mentions[group[0]].first
                    if lastToken + 2 == v, classes[lastToken + 1].contains(.to), firstToken > a,
                        hashes[firstToken - 1] == Self.hFor || classes[firstToken - 1].contains(.by)
                    {
                        return group
                    }
                    // "talks with Israeli and Hamas delegations": whom, not who.
                    let p = preposition(before: mentions[group[0]].first, after: a - 1)
                    if let p,
                        classes[p].contains(.locative) || classes[p].contains(.relational)
                            || classes[p].contains(.by)
                    {
                        i = p - 1
                        continue
                    }
                    return group
                }
                let c = classes[i]
                if c.contains(.and) { return lastSources }
                if c.contains(.comma) {
                    // An apposition right before the verb: "NAME, a spokesman for X, accused".
                    guard i == v - 1 || (i + 1..<v).allSatisfy({ isAdverb($0) }) else { return [] }
                    var j = i - 1
                    var k = 0
                    while j > a && k < 16 {
                        if classes[j].contains(.comma) {
                            if mentionAt[j - 1] >= 0 { return coordinated(Int(mentionAt[j - 1]), a) }
                            break
                        }
                        if classes[j].contains(.boundary) { break }
                        j -= 1
                        k += 1
                    }
                    return []
                }
                if c.contains(.boundary) { return [] }
                if c.contains(.personPronoun) || c.contains(.thingPronoun) {
                    return resolve(i, person: c.contains(.personPronoun)).map { [$0] } ?? []
                }
                i -= 1
            }
            return []
        }

        /// A mention and the ones joined to it before by `and` or a comma ("Russia, Iran and Syria").
        func coordinated(_ m: Int, _ a: Int) -> [Int] {
            var out = [m]
            var first = mentions[m].first
            while true {
                var j = first - 1
                while j > a, classes[j].contains(.determiner) { j -= 1 }
                guard j - 1 >= a, classes[j].contains(.and) || classes[j].contains(.comma), mentionAt[j - 1] >= 0
                else { break }
                let n = Int(mentionAt[j - 1])
                out.insert(n, at: 0)
                first = mentions[n].first
            }
            return out
        }

        /// The person (for he/she) or organisation or place (for it/they) named last before token `p`, in this
        /// sentence or the two before.
        func resolve(_ p: Int, person: Bool) -> Int? {
            // "Snyder Oil told the SEC it made an offer": the one who speaks, not the last one named.
            var r = p - 1
            while r >= 0, r >= p - 12, !classes[r].contains(.reporting) {
                if classes[r].contains(.boundary) && !classes[r].contains(.to) && hashes[r] != Self.hThat { break }
                r -= 1
            }
            if r >= 0, r >= p - 12, classes[r].contains(.reporting), r > 0 {
                var q = r - 1
                while q >= 0, mentionAt[q] < 0, !classes[q].contains(.boundary), !classes[q].contains(.comma) { q -= 1 }
                if q >= 0, mentionAt[q] >= 0, mentions[Int(mentionAt[q])].person == person {
                    return Int(mentionAt[q])
                }
            }
            var m = mentions.partitionPoint { $0.first < p } - 1
            while m >= 0 {
                let x = mentions[m]
                if tokens[p].start - tokens[x.first].start > 600 { return nil }
                if x.person == person { return m }
                m -= 1
            }
            return nil
        }

        /// The actors an action after `from` is aimed at: the first eligible actor in the clause (with those joined
        /// to it by `and` or commas), not one after a place preposition; for a noun, one after `on`, `against`,
        /// `with`, `to`, `for` or `between`.
        func objects(
            after end: Int, _ b: Int, noun: Bool, symmetricNoun: Bool = false, throughInfinitive: Bool = false
        ) -> [Int] {
            var i = end + 1
            var steps = 0
            while i < b && steps < 16 {
                steps += 1
                let m = mentionAt[i]
                if m >= 0 {
                    let mention = mentions[Int(m)]
                    let before = preposition(before: mention.first, after: end).map { classes[$0] } ?? []
                    // A symmetric noun's "on" is its topic ("talks on Iran's programme"): only "with" and
                    // "between" name the other side.
                    let aimed =
                        symmetricNoun
                        ? preposition(before: mention.first, after: end).map { hashes[$0] == Self.hWith } == true
                            || before.contains(.between)
                        : before.contains(.relational)
                    // A verb's object may be named by its author ("rejected a proposal by Colombia", "a request from
                    // Malaysia", "seized villages from Armenian troops"); a noun's "by" and "from" name its source,
                    // and right after a verb "from" is a place ("returned from Paris").
                    let p = preposition(before: mention.first, after: end)
                    let authored =
                        !noun && p.map { $0 > end + 1 } == true && (before.contains(.by) || before.contains(.from))
                    let skip =
                        !authored
                        && (before.contains(.locative) || (noun && before.contains(.by)) || before.contains(.from)
                            || (noun && !aimed))
                    if skip || isModifier(Int(m), b) {
                        i = mention.last + 1
                        continue
                    }
                    var out = [head(Int(m), b)]
                    var last = mentions[out[0]].last
                    while let n = nextCoordinated(after: last, b) {
                        out.append(n)
                        last = mentions[n].last
                    }
                    return out
                }
                let c = classes[i]
                if c.contains(.boundary) || c.contains(.comma) || c.contains(.and) { return [] }
                // "to help it resist Israel": the object is the pronoun.
                if !noun, c.contains(.objectPronoun) { return [] }
                // "agreed to sell X": X is the infinitive's (coded on its own), unless the action is one of
                // intent ("threatened to attack X", "offered to mediate between X and Y").
                if c.contains(.to), i + 1 < b, mentionAt[i + 1] < 0, shapes[i + 1].contains(.lower),
                    !classes[i + 1].contains(.function),
                    !throughInfinitive || !(coder.dictionary.readings(hashes[i + 1]) != nil || objectFollows(i + 2, b))
                {
                    // (An intent reaches through to an action, or to the infinitive's own object: "offered to acquire
                    // Comdata"; "pledged to clamp down on Britain's culture" pledges nothing to Britain.)
                    return []
                }
                if noun, c.contains(.function), !c.contains(.determiner) {
                    // A noun's target follows its own preposition ("strikes on", "aid to"), perhaps after its
                    // source ("attacks by militias on"); not "the threat of conflict with X".
                    if c.contains(.by) || c.contains(.from) {
                        var k = i + 1
                        while k < b, classes[k].contains(.determiner) { k += 1 }
                        if k < b, mentionAt[k] >= 0 {
                            i = mentions[Int(mentionAt[k])].last + 1
                            continue
                        }
                        return []
                    }
                    if !c.contains(.relational) { return [] }
                }
                i += 1
            }
            return []
        }

        /// "the Paris agreement", "a U.K. suggestion", "the New York video company": after an article and before a
        /// lower-case word, a name that is not a demonym qualifies the noun, which is the object.
        func isModifier(_ m: Int, _ b: Int) -> Bool {
            let x = mentions[m]
            guard x.first > 0, x.last + 1 < b, entities[x.entity].type != "MISC",
                Self.articles.contains(hashes[x.first - 1])
            else { return false }
            let next = x.last + 1
            return mentionAt[next] < 0 && !classes[next].contains(.function) && shapes[next].contains(.lower)
                && !shapes[next].contains(.adverb)
        }

        static let articles: Set<UInt64> = Set(["the", "a", "an"].map { EventDictionary.hash($0) })

        /// Whether a mention, perhaps after an article, starts at token `k` and is not a possessive ("the US's deficit").
        func objectFollows(_ k: Int, _ b: Int) -> Bool {
            var j = k
            if j < b, Self.articles.contains(hashes[j]) { j += 1 }
            guard j < b, mentionAt[j] >= 0 else { return false }
            let last = mentions[Int(mentionAt[j])].last
            return !(last + 1 < b && classes[last + 1].contains(.possessive))
        }
        static let hWith = EventDictionary.hash("with")
        static let hFor = EventDictionary.hash("for")
        /// `tell`, `tells`, `told`: the actor after them listens.
        static let tell: Set<UInt64> = Set(["tell", "tells", "told"].map { EventDictionary.hash($0) })

        /// The token before a mention that says how it relates, over articles and up to three lower-case words
        /// ("in northern Iraq", "on the Syrian border"); nil when there is none after token `limit`.
        func preposition(before first: Int, after limit: Int) -> Int? {
            var p = first - 1
            var words = 0
            while p > limit {
                let c = classes[p]
                if c.contains(.determiner) { p -= 1; continue }
                if !c.contains(.function) && shapes[p].contains(.lower) && words < 3 && mentionAt[p] < 0 {
                    words += 1
                    p -= 1
                    continue
                }
                return c.contains(.function) ? p : nil
            }
            return nil
        }

        /// The mention joined to the one ending at `last` by `and` or a comma ("Iraq and Syria", "the United States
        /// and the United Nations", "Karim al-Saadi and Defence Minister Haider Jaber").
        func nextCoordinated(after last: Int, _ b: Int) -> Int? {
            guard last + 2 < b, classes[last + 1].contains(.and) || classes[last + 1].contains(.comma) else {
                return nil
            }
            var j = last + 2
            while j < b && j <= last + 6 && mentionAt[j] < 0 {
                // Articles and capitalised title words ("the", "Defence Minister") before the name.
                if classes[j].contains(.determiner)
                    || (!classes[j].contains(.function) && !shapes[j].contains(.lower)
                        && !shapes[j].contains(.digit))
                {
                    j += 1
                    continue
                }
                return nil
            }
            guard j < b, mentionAt[j] >= 0 else { return nil }
            return head(Int(mentionAt[j]), b)
        }

        /// "Iraqi Prime Minister Karim al-Saadi", "France's defence minister Florence Parly": the person after a
        /// country whose role the words between are.
        func head(_ m: Int, _ b: Int) -> Int {
            let x = mentions[m]
            guard x.last + 1 < b else { return m }
            var j = x.last + 1
            while j < b && j <= x.last + 6 && mentionAt[j] < 0 { j += 1 }
            guard j < b, mentionAt[j] >= 0 else { return m }
            let n = Int(mentionAt[j])
            guard mentions[n].person, let role = mentions[n].role else { return m }
            let roleWords = Set(role.lowercased().split(separator: " ").map { EventDictionary.hash($0) })
            for t in (x.last + 1)..<j {
                if classes[t].contains(.possessive) || classes[t].contains(.comma) { continue }
                if !roleWords.contains(hashes[t]) { return m }
            }
            return n
        }

        /// The actor after `by` (a passive's agent).
        func agent(after end: Int, _ b: Int) -> [Int] {
            var i = end + 1
            while i < b && i <= end + 8 {
                let c = classes[i]
                if c.contains(.by) {
                    var j = i + 1
                    while j < b, classes[j].contains(.determiner) { j += 1 }
                    if j < b, mentionAt[j] >= 0 { return [head(Int(mentionAt[j]), b)] }
                    return []
                }
                if c.contains(.boundary) { return [] }
                i += 1
            }
            return []
        }

        func isNegated(_ v: Int, _ a: Int, form: EventDictionary.Form) -> Bool {
            var i = v - 1
            var steps = 0
            while i >= a && steps < 10 {
                let c = classes[i]
                if steps < 3 && c.contains(.negator) { return true }
                if c.contains(.denial) && (steps < 3 || form == .ing || form == .past || form == .base) {
                    // "refused to attack", "denied attacking", "denied that it attacked".
                    return true
                }
                if mentionAt[i] >= 0 { return false }
                if c.contains(.boundary) && !(c.contains(.to) || hashes[i] == Self.hThat) { return false }
                i -= 1
                steps += 1
            }
            return false
        }

        static let hThat = EventDictionary.hash("that")

        func isHypothetical(_ v: Int, _ a: Int) -> Bool {
            var i = v - 1
            var steps = 0
            while i >= a && steps < 12 {
                let c = classes[i]
                if steps < 4 && c.contains(.modal) { return true }
                if steps < 4 && c.contains(.to) && i > a
                    && (!classes[i - 1].isDisjoint(with: [.intent, .commitment])
                        || (i - 1 > a && isAdverb(i - 1) && !classes[i - 2].isDisjoint(with: [.intent, .commitment])))
                {
                    return true
                }
                if c.contains(.condition) { return true }
                if c.contains(.boundary) { return false }
                i -= 1
                steps += 1
            }
            return false
        }

        // MARK: nouns

        mutating func nounEvents(
            _ e: EventDictionary.Entry, at n: Int, end: Int, _ a: Int, _ b: Int, verbTargets: Set<Int>
        ) -> [Found] {
            var sources: [Int] = []
            var targets: [Int] = []
            // "US strikes", "Israeli air strikes", "Russia's latest attack": an actor right before the noun, a demonym
            // or a possessive before up to two lower-case words.
            var i = n - 1
            var words = 0
            while i >= a && words <= 2 {
                if mentionAt[i] >= 0 {
                    let m = Int(mentionAt[i])
                    if words == 0 || entities[mentions[m].entity].type == "MISC" { sources = [m] }
                    break
                }
                let c = classes[i]
                if c.contains(.possessive) {
                    if i > a, mentionAt[i - 1] >= 0 { sources = [Int(mentionAt[i - 1])] }
                    break
                }
                if c.contains(.function) || !isLowerWord(i) { break }
                words += 1
                i -= 1
            }
            // "attacks by militias", "praise from Washington".
            var fromSource = false
            var j = end + 1
            while j < b,
                classes[j].contains(.determiner) || j == end + 1 && isLowerWord(j) && !classes[j].contains(.function)
            {
                j += 1
            }
            if j + 1 < b, classes[j].contains(.by) || classes[j].contains(.from) {
                var k = j + 1
                while k < b, classes[k].contains(.determiner) { k += 1 }
                if k < b, mentionAt[k] >= 0 {
                    sources = [head(Int(mentionAt[k]), b)]
                    while let n = nextCoordinated(after: mentions[sources[sources.count - 1]].last, b) {
                        sources.append(n)
                    }
                    fromSource = classes[j].contains(.from)
                }
            }
            var prospect = n > a && classes[n - 1].contains(.prospect)
            if n - 2 >= a, classes[n - 1].contains(.of), classes[n - 2].contains(.prospect) { prospect = true }
            if fromSource {
                // "Egypt won praise from the United States": the United States praised Egypt.
                targets = subject(before: n, a, lastSources: [])
            } else {
                targets = objects(after: end, b, noun: true, symmetricNoun: e.symmetric)
                if let t = targets.first, mentions[t].first > 0, classes[mentions[t].first - 1].contains(.between) {
                    // "talks between Iran and the United States".
                    return pairs(e, sources: targets, targets: [], negated: false, hypothetical: prospect)
                }
                if sources.isEmpty {
                    // The clause's subject, unless those actors are a verb's object ("hosted the leaders of Egypt
                    // and Jordan at a meeting").
                    sources = subject(before: n, a, lastSources: [])
                    if sources.contains(where: verbTargets.contains) { sources = [] }
                }
            }
            return pairs(e, sources: sources, targets: targets, negated: false, hypothetical: prospect, actionAt: n)
        }

        func isLowerWord(_ i: Int) -> Bool { shapes[i].contains(.lower) }

        // MARK: events

        /// Source–target pairs: each source with each target; for a symmetric action without a target, the sources
        /// with each other.
        func pairs(
            _ e: EventDictionary.Entry, sources: [Int], targets: [Int], negated: Bool, hypothetical: Bool,
            actionAt: Int? = nil
        ) -> [Found] {
            var out: [Found] = []
            if targets.isEmpty {
                guard e.symmetric, sources.count >= 2 else { return [] }
                if let v = actionAt, let last = sources.last, mentions[last].last < v {
                    // Together only as the action's own subject: "Greece and Cyprus signed", "Egypt and Sudan held
                    // talks" — not "Japanese and U.S. houses have been expanding inventories to meet demand".
                    let gap = (mentions[last].last + 1)..<v
                    guard gap.count <= 4,
                        !gap.contains(where: { classes[$0].contains(.comma) || classes[$0].contains(.boundary) })
                    else { return [] }
                }
                for x in sources.indices {
                    for y in sources.indices where y > x {
                        out.append(
                            Found(
                                sources: [sources[x]], targets: [sources[y]], symmetric: true, negated: negated,
                                hypothetical: hypothetical))
                    }
                }
                return out
            }
            for s in sources {
                for t in targets {
                    out.append(
                        Found(
                            sources: [s], targets: [t], symmetric: e.symmetric, negated: negated,
                            hypothetical: hypothetical))
                }
            }
            return out
        }

        func makeEvent(
            _ f: Found, entry: EventDictionary.Entry, sentence: Int, at t: Int, end: Int, _ a: Int, _ b: Int
        ) -> Event {
            let s = mentions[f.sources[0]], g = mentions[f.targets[0]]
            var attributes: OrderedDictionary<String, JSONValue> = [:]
            func spanValue(_ first: Int, _ last: Int) -> JSONValue {
                let span = Span(start: tokens[first].start, end: tokens[last].end)
                var lo = byteStart[first], hi = byteEnd[last]
                // (A token not classified has its end byte still 0.)
                if hi < lo || (byteEnd[first] == 0 && tokens[first].end > 0) || (hi == 0 && span.end > 0) {
                    // A mention running past its sentence (tokens not looked at there): count from the start.
                    var o = ScalarOffsets(buf)
                    lo = o.byte(atScalar: span.start, in: buf)
                    hi = max(lo, o.byte(atScalar: span.end, in: buf))
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: buf[lo..<hi]), as: UTF8.self)
                return .object(["start": .int(span.start), "end": .int(span.end), "text": .string(text)])
            }
            attributes["source_mention"] = spanValue(s.first, s.last)
            attributes["target_mention"] = spanValue(g.first, g.last)
            attributes["trigger"] = spanValue(t, end)
            if f.symmetric { attributes["symmetric"] = .bool(true) }
            var event = Event(
                sentence: sentence, source: s.name, target: g.name, action: entry.action, code: entry.code,
                quad: entry.quad, weight: entry.weight, negated: f.negated, hypothetical: f.hypothetical,
                attributes: attributes)
            if let r = reporter(of: t, a, b), r != s.name { event.reportedBy = r }
            return event
        }

        /// Whose claim the action at token `t` is: the speaker of the quotation of `extract quotes` it is in; the
        /// actor after "according to"; without quotes, the actor who says or said it ("the ministry said rebels
        /// attacked …", "…, Iraq's defence ministry said").
        func reporter(of t: Int, _ a: Int, _ b: Int) -> String? {
            let at = tokens[t].start
            if !quoteSpans.isEmpty {
                // The quotations that start at or before the action, nearest first (a few: they do not nest).
                var q = quoteSpans.partitionPoint { $0.span.start <= at } - 1
                var looked = 0
                while q >= 0 && looked < 8 {
                    if at < quoteSpans[q].span.end, let sp = quoteSpans[q].speaker { return sp }
                    q -= 1
                    looked += 1
                }
            }
            // Within forty tokens of the action: one sentence of a hostile input can be a whole document.
            let a = max(a, t - 40), b = min(b, t + 40)
            for i in a..<max(a, b - 2) where classes[i].contains(.according) && classes[i + 1].contains(.to) {
                var k = i + 2
                while k < b, classes[k].contains(.determiner) { k += 1 }
                if k < b, mentionAt[k] >= 0 { return mentions[head(Int(mentionAt[k]), b)].name }
            }
            // Without a quotation that names a speaker: the actor who says it ("…, Ukrainian officials said").
            for r in a..<b where r != t && classes[r].contains(.reporting) {
                // "X said rebels attacked …"; "rebels attacked …, said X" or "…, X said".
                if r > t, r + 1 < b, mentionAt[r + 1] >= 0 { return mentions[head(Int(mentionAt[r + 1]), b)].name }
                if let m = subject(before: r, a, lastSources: []).first, r < t || mentions[m].first > t {
                    return mentions[m].name
                }
            }
            return nil
        }
    }
}
