import OrderedCollections
import PipelineCore

/// Gives every entity of a document its canonical actor, and people their role and country:
/// - names, adjectives and seats of government from the actor table (`U.S.`, `America`, `American` → United States;
///   `Iraqi` → Iraq; `the State Department` → United States; `Baghdad protested` → Iraq, but `in Baghdad` stays
///   Baghdad);
/// - within the document, a short name to the full one written most recently before it, or else first after it
///   (`Duval`, `Ms. Duval` → Claire Duval; `al-Saadi` → Karim al-Saadi; `Jones` after `Sarah Jones` and before `Mark
///   Jones` → Sarah Jones), and an acronym to the organisation it abbreviates;
/// - titles and roles before or after a person's name (`Iraqi Prime Minister Karim al-Saadi`,
///   `Oleg Sorokin, Russia's deputy foreign minister,`) as `role`, and the nationality in them as `country`; a rank
///   or title the tagger kept in the name is the role too (`Gen. Kassab` → Samir Kassab);
/// - after the types the tagger gets wrong in news are put right (``retyped(_:token:count:span:)``).
struct ActorLinker: Sendable {
    let index: ActorIndex
    /// Whether people mentioned by title alone after they were named ("the minister") get a mention (step 6).
    var titles = true

    /// One entity with where its tokens are.
    struct Mention {
        var entity: Entity
        /// Token indices `[first, end)` of the mention.
        var tokens: Range<Int>
    }

    /// Links the mentions of one document; `token(i)` is the text of token i and `span(i)` its span, `count` the number
    /// of tokens.
    func link(
        _ tagged: [Mention], token: (Int) -> String, count: Int, span: ((Int) -> Span)? = nil
    ) -> [Entity] {
        let mentions = retyped(tagged, token: token, count: count, span: span)
        var out = mentions
        // 1. People: full names first, then short mentions to the full name that contains them.
        // Every look-up below is a dictionary, not a scan of the mentions: linking is linear in their number.
        var fullNames: [(name: String, words: [String])] = []
        var fullNameIndex: [String: Int] = [:]
        /// For each full name, the mentions (indices) that write it in full, in order.
        var writtenAt: [[Int]] = []
        /// For each bare name word, the full names (indices in `fullNames`) that contain it, in order.
        var fullNamesWith: [String: [Int]] = [:]
        // Each person mention's name words, worked out once for both passes below.
        let personWords = mentions.map { $0.entity.type == "PER" ? Self.nameWords($0.entity.text) : [] }
        for (k, m) in mentions.enumerated() where m.entity.type == "PER" {
            var words = personWords[k]
            // Titles and ranks are not names: "Gen. Kassab" and "King Abdullah" are short names, as "Kassab".
            while words.count >= 2, let first = words.first, Self.roleWords.containsLowercased(first) {
                words.removeFirst()
            }
            let name = words.joined(separator: " ")
            guard words.count >= 2 else { continue }
            if let f = fullNameIndex[name] {
                writtenAt[f].append(k)
            } else {
                for w in Set(words.map(Self.bare)) { fullNamesWith[w, default: []].append(fullNames.count) }
                fullNameIndex[name] = fullNames.count
                fullNames.append((name, words))
                writtenAt.append([k])
            }
        }
        var roles: [String: (role: String, country: String?)] = [:]
        var honorificOnly: Set<String> = []  // people whose role so far is an honorific (`Sir`, `Mrs`)
        var aliases: [String: String] = [:]  // a name a person is known by → the person's canonical name
        var lastPerson: Int?  // the last person mention before the one being linked
        for k in out.indices {
            var e = out[k].entity
            switch e.type {
            case "PER":
                var words = personWords[k]
                // A title the tagger kept in the name ("Governor Maria Lopez"): the role, not the name.
                var title: [String] = []
                while words.count >= 2, let first = words.first, Self.roleWords.containsLowercased(first) {
                    title.append(first)
                    words.removeFirst()
                }
                if !title.isEmpty, roles[words.joined(separator: " ")] == nil {
                    roles[words.joined(separator: " ")] = (title.joined(separator: " "), nil)
                }
                let name = words.joined(separator: " ")
                if words.count == 1 {
                    // The person with this name last written in full before here ("Sarah Jones … Jones said …
                    // Mark Jones": Sarah Jones), else the first written in full after ("Al-Hakim … Ammar al-Hakim").
                    let matches = fullNamesWith[Self.bare(words[0])] ?? []
                    let before = matches.compactMap { f in writtenAt[f].last { $0 < k }.map { (f, $0) } }
                    let chosen = before.max { $0.1 < $1.1 }?.0 ?? matches.first
                    e.canonical = chosen.map { fullNames[$0].name } ?? name
                } else if let first = words.first, Self.surnameParticles.contains(first),
                    let full = (fullNamesWith[Self.bare(words[words.count - 1])] ?? []).first(where: { f in
                        let w = fullNames[f].words
                        return w.count > words.count
                            && Array(w.suffix(words.count)) == [first.lowercased()] + words.dropFirst()
                    })
                {
                    // "Van de Zandschulp said" at a sentence's start: "Botic van de Zandschulp".
                    e.canonical = fullNames[full].name
                } else {
                    e.canonical = name.isEmpty ? e.text : name
                }
                // "Mohamed Hamdan Dagalo, known as Hemedti": the name he is known by, here and further on.
                if let alias = aliases[name] {
                    e.canonical = alias
                } else if let person = lastPerson,
                    aliasIntroduced(after: out[person].tokens.upperBound, at: out[k].tokens.lowerBound, token: token),
                    let canonical = out[person].entity.canonical, canonical != name
                {
                    aliases[name] = canonical
                    e.canonical = canonical
                }
                lastPerson = k
                if let r = role(of: out[k].tokens, token: token, count: count) {
                    let name = e.canonical!
                    let honorific = Self.honorifics.containsLowercased(r.role)
                    if roles[name] == nil || (honorificOnly.contains(name) && !honorific) {
                        roles[name] = r
                        if honorific { honorificOnly.insert(name) } else { honorificOnly.remove(name) }
                    }
                }
            case "MISC":
                let key = ActorIndex.key(Self.stripAffix(e.text))
                // ("California-based" the table does not know: California.)
                e.canonical =
                    index.adjective(key: key) ?? index.name(key: key)?.canonical ?? Self.plain(Self.stripAffix(e.text))
            default:
                let key = ActorIndex.key(Self.stripAffix(e.text))
                if e.type == "LOC", let state = index.seat(key: key),
                    actsAsState(out[k].tokens, token: token, count: count)
                {
                    e.canonical = state
                } else if let target = index.name(key: key),
                    !(e.type == "ORG" && index.name(target.canonical)?.type == "LOC"
                        && out[k].tokens.upperBound < count && token(out[k].tokens.upperBound) == "party")
                {
                    // (Not "the opposition Congress party" for the United States' Congress: a party is its own.)
                    e.canonical = target.canonical
                } else if let state = index.adjective(key: key) {
                    e.canonical = state
                } else {
                    e.canonical = Self.plain(e.text)
                }
            }
            out[k].entity = e
        }
        // 2. A name in capitals (a dateline, a headline) is the same actor as its ordinary spelling in the article.
        var firstSpelling: [String: Int] = [:]  // lower-cased text → the first mention not in capitals
        for k in out.indices where !Self.isAllCapitals(out[k].entity.text) {
            let lower = out[k].entity.text.lowercased()
            if firstSpelling[lower] == nil { firstSpelling[lower] = k }
        }
        for k in out.indices
        where out[k].entity.text.count > 3 && Self.isAllCapitals(out[k].entity.text)
            && out[k].entity.canonical == Self.plain(out[k].entity.text)
        {
            let lower = out[k].entity.text.lowercased()
            if let same = firstSpelling[lower] {
                out[k].entity.canonical = out[same].entity.canonical
            } else if out[k].entity.span.start < 60 && index.name(out[k].entity.text) == nil
                && out[k].entity.text.count > 5
            {
                // A dateline's place ("CAMP TAJI, Iraq, Nov 21") not named otherwise: its ordinary spelling. Acronyms
                // (UNHCR, OPEC) are known to the actor table or short, and stay as they are.
                out[k].entity.canonical = out[k].entity.text.lowercased().split(separator: " ").map {
                    $0.prefix(1).uppercased() + $0.dropFirst()
                }
                .joined(separator: " ")
            }
        }
        // 3. A shorter later name of an organisation named in full before ("Treasury" after "U.S. Treasury").
        var lastWithTail: [Substring: Int] = [:]  // each ending after a space of an earlier ORG → its last mention
        for k in out.indices where out[k].entity.type == "ORG" {
            let t = out[k].entity.text
            if out[k].entity.canonical == Self.plain(t), let earlier = lastWithTail[Substring(t)] {
                out[k].entity.canonical = out[earlier].entity.canonical
            }
            var i = t.startIndex
            while let space = t.utf8[i...].firstIndex(of: 0x20) {
                i = t.utf8.index(after: space)
                lastWithTail[t[i...]] = k
            }
        }
        // 3b. A company named with its legal form and without it ("LG Group" and "LG", "Altria Group Inc." and
        // "Altria"): one actor, the short name's.
        var orgByText: [String: Int] = [:]
        for k in out.indices where out[k].entity.type == "ORG" && orgByText[out[k].entity.text] == nil {
            orgByText[out[k].entity.text] = k
        }
        for k in out.indices where out[k].entity.type == "ORG" {
            // (The last word first: most names end in none, and need not be split.)
            let view = WordView(out[k].entity.text)
            guard view.count >= 2, Self.legalForms.containsLowercased(view.last) else { continue }
            var words = out[k].entity.text.split(separator: " ")
            guard words.count >= 2, Self.legalForms.containsLowercased(words.last!),
                out[k].entity.canonical == Self.plain(out[k].entity.text)
            else { continue }
            while let last = words.last, Self.legalForms.containsLowercased(last) { words.removeLast() }
            // Only the legal form goes: "General Motors Acceptance Corp" is not General Motors.
            if !words.isEmpty, let other = orgByText[words.joined(separator: " ")], other != k {
                out[k].entity.canonical = out[other].entity.canonical
            }
        }
        // 4. Acronyms of organisations named in full earlier (International Atomic Energy Agency → IAEA).
        let orgs = out.filter { $0.entity.type == "ORG" }.map { $0.entity.canonical ?? $0.entity.text }
        var orgInitials: [String: Int]?  // initials → first organisation; made at the first acronym
        for k in out.indices where out[k].entity.type == "ORG" {
            let t = out[k].entity.text
            let acronym =
                t.utf8.allSatisfy { $0 < 0x80 }
                ? (2...6).contains(t.utf8.count) && t.utf8.allSatisfy(ByteClass.isUpper)
                : t.count >= 2 && t.count <= 6 && t.allSatisfy({ $0.isUppercase })
            guard acronym, index.name(t) == nil else { continue }
            if orgInitials == nil {
                var first: [String: Int] = [:]
                for (i, o) in orgs.enumerated() {
                    let initials = Self.initials(o)
                    if first[initials] == nil { first[initials] = i }
                }
                orgInitials = first
            }
            if let i = orgInitials![t] { out[k].entity.canonical = orgs[i] }
        }
        // 5. Roles and countries on every mention of the person.
        for k in out.indices where out[k].entity.type == "PER" {
            guard let r = roles[out[k].entity.canonical ?? ""] else { continue }
            out[k].entity.role = r.role
            if let c = r.country { out[k].entity.country = c }
        }
        // 6. "the minister", "the Iraqi foreign minister": the person named before with that role.
        if titles, let span, !roles.isEmpty {
            out += titleMentions(out, token: token, count: count, span: span)
            out.sort { $0.tokens.lowerBound < $1.tokens.lowerBound }
        }
        return out.map(\.entity)
    }

    /// Mentions of people by title alone after they were named with it (`the minister`, `the Iraqi foreign
    /// minister`, `the spokesman`): "the", then role words ending in a role noun (a nationality may come first), not
    /// followed by a name, resolved to the last person named before whose role, or an apposition after one of their
    /// mentions, has that noun (and whose country is the nationality, when one is given); not in an apposition right
    /// after a name (`Tarek Salem, the army spokesman,`). Each is a `PER` entity with `kind` `title`, spanning the role words.
    func titleMentions(
        _ mentions: [Mention], token: (Int) -> String, count: Int, span: (Int) -> Span
    ) -> [Mention] {
        var covered = [Bool](repeating: false, count: count)
        for m in mentions { for i in m.tokens where i < count { covered[i] = true } }
        // Each person's role nouns: of the role, and of an apposition after any of their mentions ("Brig. Gen.
        // Tarek Salem, the army spokesman,": gen. and spokesman).
        // Their country: the role's, or a state named right after the name ("Nadia Karimi of Jordan").
        var nouns: [String: Set<String>] = [:]
        var countries: [String: String] = [:]
        for m in mentions where m.entity.type == "PER" && m.entity.kind == nil {
            guard let name = m.entity.canonical else { continue }
            for w in (m.entity.role ?? "").lowercased().split(separator: " ") {
                nouns[name, default: []].insert(String(w))
                // "Adm. Christopher Grady … the admiral": a rank's abbreviation is its noun.
                if let full = Self.rankNouns[String(w)] { nouns[name, default: []].insert(full) }
            }
            var j = m.tokens.upperBound
            if let c = m.entity.country {
                countries[name] = c
            } else if j + 1 < count, token(j) == "of", let c = state(token(j + 1)), countries[name] == nil {
                countries[name] = c
            }
            guard j + 1 < count, token(j) == "," else { continue }
            j += 1
            if ["a", "an", "the"].contains(token(j).lowercased()) { j += 1 }
            if j < count, state(token(j)) != nil { j += 1 }
            while j < count, Self.roleWords.containsLowercased(token(j)) {
                nouns[name, default: []].insert(token(j).lowercased())
                j += 1
            }
        }
        let people = mentions.filter { $0.entity.type == "PER" && $0.entity.kind == nil && $0.entity.canonical != nil }
        var out: [Mention] = []
        var i = 0
        while i + 1 < count {
            defer { i += 1 }
            // (Three characters first: no string is made for the other tokens.)
            guard !covered[i], span(i).end - span(i).start == 3, token(i) == "the" || token(i) == "The" else {
                continue
            }
            // "Tarek Salem, the army spokesman,": an apposition to the name before, not a mention of its own.
            if i >= 2, token(i - 1) == ",", covered[i - 2] { continue }
            // The role words after "the", a nationality first.
            var j = i + 1
            var country: String?
            if j < count, let c = index.adjective(token(j)), index.name(c)?.type == "LOC" {
                country = c
                j += 1
            }
            let first = j
            while j < count, !covered[j], Self.roleWords.containsLowercased(token(j)),
                !Self.linking.containsLowercased(token(j))
            {
                j += 1
            }
            guard j > first, Self.roleNouns.containsLowercased(token(j - 1)) else { continue }
            // "the minister Karim al-Saadi", "the minister's": an apposition or a possessive, not a title alone.
            if j < count, covered[j] || token(j) == "'s" || token(j) == "\u{2019}s" { continue }
            let noun = token(j - 1).lowercased()
            let before = span(i).start
            guard
                let person = people.last(where: { p in
                    p.entity.span.end <= before && nouns[p.entity.canonical!]?.contains(noun) == true
                        && (country == nil || countries[p.entity.canonical!] == country)
                })
            else { continue }
            // The words as written, one space apart (a title across a line break is left out).
            let text = (first..<j).map(token).joined(separator: " ")
            let at = Span(start: span(first).start, end: span(j - 1).end)
            guard at.end - at.start == text.unicodeScalars.count else { continue }
            var e = Entity(span: at, text: text, type: "PER")
            e.canonical = person.entity.canonical
            e.role = person.entity.role
            if let c = person.entity.country { e.country = c }
            e.kind = "title"
            out.append(Mention(entity: e, tokens: first..<j))
            i = j - 1
        }
        return out
    }

    /// Particles that begin a surname, capitalised at a sentence's start (`Van de Zandschulp` for `Botic van de
    /// Zandschulp`).
    static let surnameParticles: WordSet = [
        "Van", "Von", "De", "Da", "Di", "Del", "Della", "Der", "Le", "La", "Du",
    ]

    /// Whether the words from token `end` (after a person's name) to token `start` (a name) introduce that name as
    /// the person's other name: ", known as", "(also known as", ", nicknamed", ", better known as".
    func aliasIntroduced(after end: Int, at start: Int, token: (Int) -> String) -> Bool {
        guard start > end, start - end <= 5 else { return false }
        let between = (end..<start).map { token($0).lowercased() }
        guard let first = between.first, first == "," || first == "(" else { return false }
        let words = between.dropFirst().filter { !["also", "better", "widely", "popularly", "commonly"].contains($0) }
        return words == ["known", "as"] || words == ["nicknamed"] || words == ["dubbed"] || words == ["aka"]
    }

    // MARK: roles

    /// Words that make up titles and roles (lower case; periods kept for abbreviations).
    static let roleWords: WordSet = [
        "president", "vice", "prime", "minister", "ministers", "foreign", "defence", "defense", "interior", "finance",
        "oil", "energy", "trade", "health", "economy", "economic", "justice", "education", "information", "culture",
        "deputy", "secretary", "secretary-general", "general", "gen.", "maj.", "major", "lt.", "lieutenant", "col.",
        "colonel", "brig.", "brigadier", "adm.", "admiral", "capt.", "captain", "sgt.", "sergeant", "commander",
        "chief", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "lawmaker", "legislator", "mp",
        "senator", "sen.", "rep.", "representative", "congressman", "congresswoman", "governor", "gov.", "mayor",
        "king",
        "queen", "prince", "princess", "crown", "emir", "sheikh", "sultan", "ayatollah", "supreme", "leader",
        "chairman",
        "chairwoman", "chair", "director", "director-general", "head", "ceo", "chancellor", "premier", "speaker",
        "judge", "cleric", "imam", "pope", "special", "coordinator", "commissioner", "official", "adviser", "advisor",
        "national", "security", "affairs", "state", "foreign-affairs", "army", "military", "armed", "forces",
        "chief-of-staff",
        "staff", "high", "humanitarian", "regional", "top", "senior", "former", "acting", "interim", "executive",
        "analyst", "researcher", "professor", "economist", "diplomat", "negotiator", "mediator", "general-secretary",
        "party", "opposition", "central", "bank", "governor-general", "attorney", "attorney-general", "police",
        "intelligence", "water", "electricity", "planning", "agriculture", "housing", "labour", "labor", "transport",
        "communications", "refugees", "displacement", "migration", "human", "rights", "parliamentary", "speaker",
        "commander-in-chief", "field", "marshal", "air", "navy", "naval", "force", "of", "for", "the", "prosecutor",
        "inspector", "detective", "sheriff", "bishop", "archbishop", "cardinal", "rabbi", "patriarch", "ministry",
        "department", "lawyer", "counsel", "solicitor", "barrister", "aide", "founder", "co-founder", "coach", "editor",
        "activist", "campaigner", "organiser", "organizer", "treasurer", "vice-president", "commerce", "industry",
        "tourism", "environment", "science", "technology", "development", "investment", "mines", "mining", "fisheries",
        "sports", "youth", "welfare", "petroleum", "aviation", "civil", "veterans", "home", "treasury", "homeland",
        "officer",
        "financial", "operating", "managing", "political", "journalist", "reporter", "correspondent", "columnist",
        "photographer", "novelist", "filmmaker", "actor", "actress", "singer", "striker", "midfielder", "goalkeeper",
        "manager", "owner", "co-chief",
    ]
    static let honorifics: WordSet = ["mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "sir", "dame", "madam"]
    static let linking: WordSet = ["of", "for", "the"]
    /// Abbreviated ranks and titles and the nouns a later mention by title uses ("the admiral").
    static let rankNouns: [String: String] = [
        "gen.": "general", "maj.": "major", "lt.": "lieutenant", "col.": "colonel", "brig.": "brigadier",
        "adm.": "admiral", "capt.": "captain", "sgt.": "sergeant", "sen.": "senator", "rep.": "representative",
        "gov.": "governor",
    ]
    /// Role words that name an institution, not a post: inside a role ("Foreign Ministry spokesman"), never its end.
    static let institutions: WordSet = ["ministry", "department"]

    /// A run of role words without linking or institution words at its end; none left when it names an institution
    /// and no post ("energy ministry": no role; "Foreign Ministry spokesman" stays).
    static func withoutInstitutionEnd(_ run: [String]) -> [String] {
        var words = run
        while let last = words.last,
            linking.containsLowercased(last) || institutions.containsLowercased(last)
        {
            words.removeLast()
        }
        if run.contains(where: { institutions.containsLowercased($0) }),
            !words.contains(where: { roleNouns.containsLowercased($0) })
        {
            return []
        }
        return words
    }
    /// Legal forms of companies after their names (lower case).
    static let legalForms: WordSet = [
        "corp", "corp.", "corporation", "inc", "inc.", "co", "co.", "ltd", "ltd.", "plc", "llc", "ag", "sa", "s.a.",
        "nv", "n.v.", "se", "gmbh", "holdings", "group",
    ]

    /// The role written next to a person's name, and the country named in it.
    func role(of tokens: Range<Int>, token: (Int) -> String, count: Int) -> (role: String, country: String?)? {
        let next = tokens.upperBound < count ? token(tokens.upperBound) : "."
        let clauseFollows = ![",", ".", ";", ")", "and"].contains(next)
        if let r = roleBeforeComma(before: tokens.lowerBound, token: token, clauseFollows: clauseFollows) { return r }
        // Before the name: "Iraqi Prime Minister", "UNHCR spokeswoman", "Russia's deputy foreign minister".
        var i = tokens.lowerBound - 1
        var words: [String] = []
        var honorific: String?  // "Sir", "Mrs" right before the name: the role when there is no other
        while i >= 0 {
            let w = token(i)
            let lower = w.lowercased()
            if Self.honorifics.contains(lower) && words.isEmpty {
                if honorific == nil && i == tokens.lowerBound - 1 { honorific = w }
                i -= 1
                continue
            }
            if Self.roleWords.contains(lower) || (w.first?.isUppercase == true && Self.roleWords.contains(lower)) {
                words.insert(w, at: 0)
                i -= 1
                continue
            }
            break
        }
        while let first = words.first, Self.linking.containsLowercased(first) { words.removeFirst() }
        words = Self.withoutInstitutionEnd(words)
        var country: String?
        // A role names a post ("Industry Minister"), not only its portfolio ("Veterans Simon and Garfunkel").
        if !words.contains(where: { Self.roleNouns.containsLowercased($0) }) { words = [] }
        if words.count == 1, Self.courtesyTitles.containsLowercased(words[0]), honorific == nil,
            tokens.upperBound < count, token(tokens.upperBound) == ","
        {
            // "Sheikh" before the name, an apposition after it: the apposition's role, else the title.
            honorific = words[0]
            words = []
        }
        // "Supreme Leader Ayatollah Ali Khamenei": a courtesy title between the post and the name is not the post.
        while words.count >= 2, let last = words.last, Self.courtesyTitles.containsLowercased(last),
            words.dropLast().contains(where: { Self.roleNouns.containsLowercased($0) })
        {
            words.removeLast()
        }
        if !words.isEmpty {
            // The word before the role: a nationality or a state ("Iraqi", "Russia 's", "U.S.").
            if i >= 0 {
                var w = token(i)
                if w == "'s" || w == "\u{2019}s", i >= 1 { w = token(i - 1) }
                country = state(w)
                // "Former Peruvian President Alberto Fujimori": "former" before the nationality is the role's.
                if country != nil, w == token(i), i >= 1, ["former", "ex"].contains(token(i - 1).lowercased()),
                    !words.contains(where: { $0.lowercased() == "former" })
                {
                    words.insert("former", at: 0)
                }
            }
            return (words.joined(separator: " "), country)
        }
        // After the name: ", a lawmaker," / ", the Iraqi foreign minister," / ", Russia's deputy foreign minister".
        var j = tokens.upperBound
        guard j < count, token(j) == "," else { return honorific.map { ($0, nil) } }
        j += 1
        var after: [String] = []
        while j < count {
            let w = token(j)
            let lower = w.lowercased()
            if after.isEmpty && ["a", "an", "the"].contains(lower) { j += 1; continue }
            // "Tim Cook, the company's chief executive,", "Kent Walker, Google's president of global affairs,": the
            // holder's possessive before the role (a state's is the country, below).
            if after.isEmpty, w.first?.isLowercase == true || (index.name(w)?.type == "ORG" && state(w) == nil),
                j + 1 < count,
                token(j + 1) == "'s" || token(j + 1) == "\u{2019}s",
                j + 2 < count, Self.roleWords.containsLowercased(token(j + 2))
            {
                j += 2
                continue
            }
            if after.isEmpty, country == nil {
                if let c = index.adjective(w), index.name(c)?.type == "LOC" { country = c; j += 1; continue }
                if let t = index.name(w), t.type == "LOC", j + 1 < count,
                    token(j + 1) == "'s" || token(j + 1) == "\u{2019}s"
                {
                    country = t.canonical
                    j += 2
                    continue
                }
            }
            // After the role's noun, a word that starts a name ends the role: "governor of the Tourism Authority of
            // Thailand" (a capitalised word that is no role word follows), "spokesman for the Mines and Energy
            // Ministry" (after "the", more of the name follows), "president of the industry's tracker" (a possessor).
            let next = j + 1 < count ? token(j + 1) : ""
            let startsName =
                after.contains(where: { Self.roleNouns.containsLowercased($0) }) && !Self.roleNouns.contains(lower)
                && (next == "'s" || next == "\u{2019}s"
                    || w.first?.isUppercase == true
                        && (next.first?.isUppercase == true && !Self.roleWords.containsLowercased(next)
                            || after.last?.lowercased() == "the"
                                && (next.first?.isUppercase == true || next == "and" || next == "&")))
            if Self.roleWords.contains(lower), !startsName {
                after.append(w)
                j += 1
                continue
            }
            // A name before the role's noun ("a former Brexit negotiator", "a Labour MP"), kept if one follows; after
            // it a name ends the role ("chairman of the Council of Economic Advisers": chairman).
            if w.first?.isUppercase == true, w != "I",
                !after.contains(where: { Self.roleNouns.containsLowercased($0) })
            {
                after.append(w)
                j += 1
                continue
            }
            break
        }
        // The role ends at a role word ("Barnier, a former Brexit negotiator, must": not "must"), and has a role noun:
        // ", a former Brexit negotiator," is one, ", a former," and ", a senior Tory," are none.
        while let last = after.last, !Self.roleWords.containsLowercased(last) { after.removeLast() }
        after = Self.withoutInstitutionEnd(after)
        guard after.contains(where: { Self.roleNouns.containsLowercased($0) }) else {
            return honorific.map { ($0, nil) }
        }
        return (after.joined(separator: " "), country)
    }

    /// "Foreign Minister of Jordan, Ayman Safadi" (a role of a state), "the defence minister, Khalid al-Obeidi" (a
    /// role, the state before it): then a comma, before the name at `start`.
    func roleBeforeComma(
        before start: Int, token: (Int) -> String, clauseFollows: Bool = false
    ) -> (role: String, country: String?)? {
        guard start >= 2, token(start - 1) == "," else { return nil }
        // The state: one to three words before the comma ("Jordan", "the United States").
        for n in 1...3 where start - 1 - n >= 2 {
            let first = start - 1 - n
            guard let country = state((first..<(start - 1)).map(token).joined(separator: " ")),
                token(first - 1).lowercased() == "of"
                    || (token(first - 1).lowercased() == "the" && first >= 3
                        && token(first - 2).lowercased() == "of")
            else { continue }
            var i = token(first - 1).lowercased() == "of" ? first - 2 : first - 3
            var words: [String] = []
            while i >= 0, Self.roleWords.containsLowercased(token(i)), !Self.linking.containsLowercased(token(i)) {
                words.insert(token(i), at: 0)
                i -= 1
            }
            guard !words.isEmpty else { return nil }
            return (words.joined(separator: " "), country)
        }
        // "the defence minister, Khalid al-Obeidi", "Iraq's Minister of Migration, Evan Jabro": role words right
        // before the comma, and the state before them.
        var i = start - 2
        var words: [String] = []
        while i >= 0, Self.roleWords.containsLowercased(token(i)) {
            words.insert(token(i), at: 0)
            i -= 1
        }
        while let first = words.first, Self.linking.containsLowercased(first) { words.removeFirst() }
        guard words.contains(where: { Self.roleNouns.containsLowercased($0) }) else { return nil }
        // "… his comment to a Jewish reporter, Tory MP Boris Johnson has insisted": an indefinite noun phrase before
        // the comma and the name, a clause after it, is someone else ("Among them was a retired army general, Mario
        // Fernandes, …" is the name's).
        let indefinite: Set<String> = ["a", "an"]
        if clauseFollows, i >= 0,
            indefinite.contains(token(i).lowercased())
                || (i >= 1 && indefinite.contains(token(i - 1).lowercased()) && state(token(i)) == nil)
        {
            return nil
        }
        var country: String?
        if i >= 0 {
            var w = token(i)
            if w == "'s" || w == "\u{2019}s", i >= 1 { w = token(i - 1) }
            country = state(w)
        }
        return (words.joined(separator: " "), country)
    }

    /// The words that make a run of role words a role of a person ("minister", "spokesman"), not just a portfolio or
    /// a qualifier ("foreign", "national").
    static let roleNouns: WordSet = [
        "president", "minister", "secretary", "secretary-general", "general", "gen.", "maj.", "major", "lt.",
        "lieutenant", "col.", "colonel", "brig.", "brigadier", "adm.", "admiral", "capt.", "captain", "sgt.",
        "sergeant",
        "commander", "chief", "spokesman", "spokeswoman", "spokesperson", "envoy", "ambassador", "lawmaker",
        "legislator", "mp", "senator", "sen.", "rep.", "representative", "congressman", "congresswoman", "governor",
        "gov.", "mayor", "king", "queen", "prince", "princess", "emir", "sheikh", "sultan", "ayatollah", "leader",
        "chairman", "chairwoman", "chair", "director", "director-general", "head", "ceo", "chancellor", "premier",
        "speaker", "judge", "cleric", "imam", "pope", "coordinator", "commissioner", "official", "adviser", "advisor",
        "executive",
        "analyst", "researcher", "professor", "economist", "diplomat", "negotiator", "mediator", "general-secretary",
        "attorney", "attorney-general", "governor-general", "commander-in-chief", "marshal", "prosecutor", "inspector",
        "detective", "sheriff", "bishop", "archbishop", "cardinal", "rabbi", "patriarch", "lawyer", "counsel",
        "solicitor", "barrister", "aide", "founder", "co-founder", "coach", "editor", "activist",
        "campaigner", "organiser", "organizer", "treasurer", "vice-president", "officer", "journalist", "reporter",
        "correspondent", "columnist", "photographer", "novelist", "filmmaker", "actor", "actress", "singer", "striker",
        "midfielder", "goalkeeper", "manager", "owner", "justice",
    ]
    /// Titles before a name that are the role only when no apposition gives one ("Sheikh Tamim bin Hamad al-Thani,
    /// Qatar's emir,": emir).
    static let courtesyTitles: WordSet = ["sheikh", "prince", "princess", "sayyid", "ayatollah"]

    /// The state a word names or describes (`Iraqi`, `U.S.`, `Russia`), not an organisation.
    func state(_ word: String) -> String? {
        if let c = index.adjective(word), index.name(c)?.type == "LOC" { return c }
        if let t = index.name(word), t.type == "LOC" { return t.canonical }
        return nil
    }

    // MARK: seats

    static let actorVerbs: WordSet = [
        "said", "says", "say", "has", "have", "had", "is", "was", "will", "would", "wants", "wanted", "accused",
        "accuses",
        "denied", "denies", "rejected", "rejects", "warned", "warns", "welcomed", "welcomes", "protested", "protests",
        "announced", "announces", "insisted", "insists", "responded", "responds", "demanded", "demands", "called",
        "calls", "hopes", "hoped", "expects", "expected", "blamed", "blames", "condemned", "condemns", "urged", "urges",
        "signed", "agreed", "agrees", "refused", "refuses", "threatened", "threatens", "struck", "strikes", "launched",
        "sent", "sends", "plans", "planned", "believes", "argues", "argued", "retaliated", "summoned", "recalled",
        "criticised", "criticized", "backed", "backs", "supports", "supported", "opposes", "opposed", "seeks", "sought",
        "approved", "approves", "ordered", "orders", "imposed", "imposes", "lifted", "claimed", "claims", "vowed",
        "vows", "pledged", "pledges", "declined", "declines", "could", "should", "may", "might", "must", "did",
    ]
    static let placePrepositions: WordSet = [
        "in", "at", "to", "from", "near", "outside", "into", "across", "around", "via", "through", "toward", "towards",
        "inside", "within", "of", "on", "over", "above", "below", "beyond",
    ]
    static let governmentNouns: WordSet = [
        "government", "decision", "position", "policy", "response", "demand", "demands", "request", "offer", "proposal",
        "stance", "accusation", "accusations", "ally", "allies", "envoy", "ambassador", "delegation", "officials",
        "leadership", "refusal", "support", "approval", "backing", "plan", "plans",
    ]

    /// Whether a seat of government is used as the state ("Baghdad said", "talks between Ankara and Moscow",
    /// "Tehran's position") rather than as a place ("in Baghdad").
    func actsAsState(_ tokens: Range<Int>, token: (Int) -> String, count: Int) -> Bool {
        let before = tokens.lowerBound > 0 ? token(tokens.lowerBound - 1).lowercased() : ""
        let after = tokens.upperBound < count ? token(tokens.upperBound).lowercased() : ""
        if Self.placePrepositions.contains(before) { return false }
        if before == "between" || (before == "and" && tokens.lowerBound >= 3) { return true }
        if Self.actorVerbs.contains(after) { return true }
        if after == "and" && tokens.upperBound + 2 < count {
            let third = token(tokens.upperBound + 2).lowercased()
            if Self.actorVerbs.contains(third) { return true }
        }
        if after == "'s" || after == "\u{2019}s", tokens.upperBound + 1 < count {
            return Self.governmentNouns.containsLowercased(token(tokens.upperBound + 1))
        }
        return false
    }

    // MARK: text helpers

    /// The words of a person's name without honorifics or a possessive.
    static func nameWords(_ text: String) -> [String] {
        var words = ActorIndex.hasEmptyKey(text) ? [] : text.split(separator: " ").map(String.init)
        while let f = words.first, honorifics.containsLowercased(f) { words.removeFirst() }
        if let last = words.last, last.hasSuffix("'s") || last.hasSuffix("\u{2019}s") {
            words[words.count - 1] = String(last.dropLast(2))
        }
        return words.filter { !$0.isEmpty }
    }

    /// Whether `text` is written in capitals: `text == text.uppercased()`, on bytes when it is ASCII.
    static func isAllCapitals(_ text: String) -> Bool {
        var ascii = true
        for b in text.utf8 {
            if b >= 0x80 { ascii = false; break }
            if ByteClass.isLower(b) { return false }
        }
        return ascii || text == text.uppercased()
    }

    /// A surname without an Arabic article: `al-Saadi`, `Saadi` and `El-Saadi` meet.
    static func bare(_ word: String) -> String {
        let w = word.lowercased()
        for p in ["al-", "el-", "al ", "el "] where w.hasPrefix(p) { return String(w.dropFirst(p.count)) }
        return w
    }

    /// A name without `-led`, `-backed`, `-based` and similar compounds, and without a possessive.
    static func stripAffix(_ text: String) -> String {
        guard let dash = text.utf8.lastIndex(of: 0x2D) else { return text }
        let suffix = text[dash...].lowercased()
        return affixes.contains(suffix) ? String(text[..<dash]) : text
    }

    static let affixes: WordSet = [
        "-led", "-backed", "-based", "-born", "-owned", "-run", "-allied", "-aligned", "-funded", "-flagged",
        "-registered", "-controlled", "-held", "-sponsored", "-brokered", "-made", "-built", "-listed", "-bound",
        "-linked", "-affiliated", "-supported", "-financed", "-operated", "-dominated", "-administered", "-occupied",
    ]

    /// The mention as its own canonical name: no possessive, no leading "the".
    static func plain(_ text: String) -> String {
        var t = text
        if t.hasSuffix("'s") || t.hasSuffix("\u{2019}s") { t.removeLast(2) }
        let head = t.utf8.prefix(4)
        if head.count == 4, head.elementsEqual("the ".utf8, by: { $0 | 0x20 == $1 }) { t.removeFirst(4) }
        return t
    }

    /// Capital initials of a name's words ("International Atomic Energy Agency" → "IAEA").
    static func initials(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: the capital letters that begin a word, byte by byte.
            var out: [UInt8] = []
            var start = true
            for b in name.utf8 {
                if start && ByteClass.isUpper(b) { out.append(b) }
                start = b == 0x20
            }
            return String(decoding: out, as: UTF8.self)
        }
        return String(name.split(separator: " ").compactMap { w in w.first.flatMap { $0.isUppercase ? $0 : nil } })
    }
}
