import PipelineCore

/// Types the tagger gets wrong in news, put right before linking (news-wide rules, not learned from CoNLL):
/// - a rank or title alone is no person (`Maj.` tagged before `Gen. Farid Haddad`), and a patronymic joins a name:
///   `Hamad` `bin` `Jassim` → one person; a surname with an Arabic article is the person named in full with it,
///   whatever type the tagger gave it (`El-Obeidi` after `Khalid al-Obeidi`);
/// - a `MISC` name the actor table knows as an organisation or place takes its type (`Islamic State` → ORG), not an
///   adjective (`Iraqi` stays), and a one-word "person" it knows as a company or product takes that type (`Sony` →
///   ORG, `Xbox` → MISC) unless someone named in full here has it as surname or a title comes before it;
/// - facilities are places with `kind=facility`: a name ending in a facility word (`Al-Asad Air Base`, `Mosul Dam`),
///   starting with one (`Camp Taji`) or followed by one (`the Baiji refinery`, `the Rabia crossing`);
/// - religious, sectarian and ethnic adjectives and nouns are groups, `MISC` (`Sunni`, `Shiite`, `Druze`), never
///   people;
/// - a group, place or "person" name followed by an armed-group word is an organisation (`the Islamic State
///   insurgency`, `30 Boko Haram fighters`), unless it is a state, an adjective the actor table knows (`Syrian
///   rebels`) or reads as one (`Iraqi Kurdish rebels`);
/// - a single hyphenated name after a place preposition is a place (`in Tal-Afar`), and so is a "person" whose first
///   word is an Arabic article written apart (`near El Fasher`), unless someone else named in full has its last word;
/// - a one-word "place" the actor table knows as a company or product takes that type (`on Telegram`), and a name
///   before a lower-case `party` or `movement` is an organisation (`the ruling Georgian Dream party`);
/// - a name after an honorific (`Mr Donaldson`, `Dr Tamimi`) is a person, and a "person" after `told the` an
///   organisation (`told the Austin American-Statesman`); names of one type across `da`, `de`, `del` … are one
///   (`Mocimboa da Praia`);
/// - a name after `Hurricane`, `Typhoon`, `Cyclone`, `Storm` (or starting with it) is a storm, `MISC`; a "person" or
///   "place" (after `the`) before `newspaper`, `daily`, `magazine` … or starting with `Radio`, `TV` is an outlet,
///   `ORG`; a name before `refugee camp` a place,
///   and so is one before a lower-case place noun (`Cabo Delgado province`, `Rakhine state`);
/// - a name the actor table does not know, followed by an apposition ending in a role noun (`Al-Masri, the interior
///   minister,`) or right after a role noun (`Chief executive Han Jong-hee`), is a person;
/// - a portfolio word tagged alone before the rest of a title and a person's name (`Defence` in `Defence Secretary
///   John Healey`) is part of the role, no entity;
/// - an organisation's name of capitalised words ending in a word for a natural feature is a place (`Brenner Pass`,
///   `Gold Coast`; a `MISC` one stays: `How Green Was My Valley`).
extension ActorLinker {
    /// Role nouns that firms hold as well as people (`lead manager Commerzbank AG`, `owner Nestle`): a person's role
    /// (`Manchester City manager Pep Guardiola`), but they make no "person" of a name the tagger typed otherwise.
    static let rolesOfFirmsToo: WordSet = ["manager", "owner"]
    /// Occupations that are also names: written with a capital before a name they are part of it (`the third Singer
    /// World Series`), so they make a person of what follows only in lower case (`journalist Fatih Altayli`).
    static let occupations: WordSet = [
        "journalist", "reporter", "correspondent", "columnist", "photographer", "novelist", "filmmaker", "actor",
        "actress", "singer", "striker", "midfielder", "goalkeeper", "officer",
    ]
    /// Role nouns that are as often adjectives (`a major Hong Kong-listed company`, `the official Iraqi News Agency`):
    /// no sign of a person's name after them.
    static let adjectivalRoleNouns: WordSet = [
        "major", "official", "general", "chief", "head",
    ]
    /// Words before a storm's name (`Hurricane Otis`).
    static let stormWords: WordSet = ["hurricane", "typhoon", "cyclone", "storm", "tornado"]
    /// Whether `word` is an honorific as written before a name (`Mr`, `Dr.`; not `DR` of `DR Congo`).
    /// Titles written before a person's name (`Justice Alexandre de Moraes`, `Senator Jane Doe`).
    static let titlesOfPeople: WordSet = [
        "Justice", "Judge", "Senator", "Sen.", "Rep.", "Gov.", "Governor", "Mayor", "President", "Chancellor",
    ]
    /// Whether `words` read as a personal name: one to four capitalised words or name particles, none a role word, a
    /// word of an organisation's or a facility's name.
    static func readsAsPersonalName(_ words: ArraySlice<Substring>) -> Bool {
        guard (1...4).contains(words.count), words.last?.first?.isUppercase == true else { return false }
        return words.allSatisfy { w in
            let lower = w.lowercased()
            return (w.first?.isUppercase == true || nameParticles.contains(lower))
                && !roleWords.contains(lower) && !organisationNouns.contains(lower) && !facilityWords.contains(lower)
                && !featureWords.contains(lower) && !legalForms.contains(lower)
                && !["court", "house", "hotel", "school", "university", "college", "league", "cup", "street", "square"]
                    .contains(lower)
        }
    }
    /// A given name of two syllables joined by a hyphen, as Korean and Taiwanese names are romanised (`Ching-te` in
    /// `Lai Ching-te`, `Duck-soo`, `Ho-jin`).
    static func isHyphenatedGivenName<S: StringProtocol>(_ word: S) -> Bool {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        // (Not a compound: "New York-based", "World Bank-led", "Pop Idol-style".)
        guard parts.count == 2, !affixes.containsLowercased("-" + parts[1]),
            !["style", "shaped", "like", "type", "era", "class", "size", "sized", "born", "made", "built", "run"]
                .contains(String(parts[1]))
        else { return false }
        return parts[0].count >= 2 && parts[1].count >= 2 && parts[0].count <= 6
            && parts[1].count <= 6 && parts[0].first?.isUppercase == true
            && parts[0].dropFirst().allSatisfy { $0.isLowercase } && parts[1].allSatisfy { $0.isLowercase }
    }
    static func isHonorific<S: StringProtocol>(_ word: S) -> Bool {
        honorifics.containsLowercased(word) && word.dropFirst().contains { $0.isLowercase }
    }
    /// Last words of names of natural features: places.
    static let featureWords: WordSet = [
        "pass", "valley", "river", "lake", "mountains", "mountain", "strait", "straits", "gulf", "sea", "ocean",
        "island", "islands", "peninsula", "desert", "canal", "bay", "plateau", "heights", "hills", "delta", "coast",
    ]

    /// Words that make a name a facility as its last word (`Al-Asad Air Base`, `Mosul Dam`, `Penn Station`).
    static let facilityWords: WordSet = [
        "base", "airbase", "airfield", "airport", "dam", "refinery", "port", "crossing", "barracks", "checkpoint",
        "prison", "terminal", "harbour", "harbor", "camp", "oilfield", "field", "plant", "station", "reactor",
        "facility", "compound", "bridge",
    ]
    /// Facility words that are not surnames: they make even a "person" a facility (`Mosul Dam`), and, as the next
    /// word, a name the facility's (`the Baiji refinery`, `the Rabia crossing`).
    static let strictFacilityWords: WordSet = [
        "base", "airbase", "airfield", "airport", "dam", "refinery", "crossing", "barracks", "checkpoint", "reactor",
        "oilfield",
    ]
    /// Words that make a name a facility as its first word (`Camp Taji`, `Fort Bragg`).
    static let facilityFirstWords: WordSet = ["camp", "fort"]
    /// Religious, sectarian and ethnic adjectives and nouns: groups of people, never one person.
    static let groupWords: WordSet = [
        "sunni", "sunnis", "shiite", "shiites", "shia", "shias", "shi'ite", "shi'ites", "alawite", "alawites", "druze",
        "yazidi", "yazidis", "christian", "christians", "muslim", "muslims", "jewish", "jew", "jews", "catholic",
        "catholics", "orthodox", "protestant", "protestants", "evangelical", "evangelicals", "hindu", "hindus", "sikh",
        "sikhs", "buddhist", "buddhists", "maronite", "maronites", "coptic", "copt", "copts", "salafi", "salafist",
        "salafists", "wahhabi", "sufi", "sufis", "islamist", "islamists", "jihadist", "jihadists", "ismaili", "ahmadi",
        "turkmen", "pashtun", "pashtuns", "tajik", "tajiks", "hazara", "hazaras", "baloch", "uighur", "uighurs",
        "uyghur", "uyghurs", "rohingya", "tamil", "tamils", "bedouin", "arab", "arabs", "assyrian", "assyrians",
        "chaldean", "chaldeans", "armenian", "armenians", "zionist", "zionists", "moslem", "moslems", "islamic",
        "islam", "hutu", "hutus", "tutsi", "tutsis",
    ]
    /// Last words of organisations' names (`Counterpoint Research`, `Brookings Institution`): a name of two or more
    /// capitalised words ending so is no person or place.
    static let organisationLastWords: WordSet = [
        "Research", "Institute", "Institution", "Foundation", "Partners", "Securities", "Holdings", "Associates",
        "Consulting", "Analytics", "Laboratories", "Labs", "Technologies", "University", "College", "Council",
        "Committee", "Commission", "Agency", "Association", "Federation", "Corporation", "Airlines", "Airways", "Air",
    ]
    /// Words after a name that make it an armed, political or criminal group (`the Los Choneros gang`, `the Foxtrot
    /// network`).
    static let armedGroupWords: WordSet = [
        "militia", "militias", "insurgency", "insurgents", "insurgent", "rebels", "rebel", "guerrillas", "guerrilla",
        "fighters", "militants", "brigade", "brigades", "paramilitary", "paramilitaries", "gang", "gangs", "cartel",
        "cartels", "syndicate", "network",
    ]
    /// Endings of adjectives and of nouns for peoples (`Kurdish`, `Israeli`, `Afrikaners`): a word ending so names no
    /// group or place of its own.
    static let adjectiveEndings = ["ish", "ian", "ean", "ese", "i", "ic", "ist", "ists", "ers", "ans"]

    /// Whether `word` reads as an adjective or a people's name, or a compound (`New York-based`).
    static func looksAdjectival(_ word: String) -> Bool {
        let lower = word.lowercased()
        return adjectiveEndings.contains { lower.hasSuffix($0) } || stripAffix(word) != plain(word)
    }
    /// Nouns of things after a product's name (`Blackwell chips`, `Patriot batteries`).
    static let productNouns: WordSet = [
        "chip", "chips", "processor", "processors", "phone", "phones", "smartphone", "smartphones", "headset", "app",
        "apps", "console", "consoles", "laptop", "laptops", "tablet", "browser", "chatbot", "device",
        "devices", "battery", "batteries", "missile", "missiles", "rocket", "rockets", "drone", "drones", "jet",
        "jets", "rifle", "rifles", "vaccine", "vaccines", "drug", "pill", "pills", "airliner", "airliners",
        "weedkiller", "herbicide", "pesticide", "car", "cars", "truck", "trucks", "vehicle", "vehicles", "satellite",
        "satellites", "engine", "engines",
    ]
    /// Arabic articles written lower case before the word they join (`el-Sheikh`, `ez-Zor`).
    static let arabicArticles = ["al-", "el-", "ez-", "ad-", "as-", "ash-", "an-", "ar-", "az-", "ed-", "es-", "et-"]
    /// First words of Arabic place names (`Deir ez-Zor`, `Sharm el-Sheikh`, `Ras al-Ain`, `Wadi Rum`), as written.
    static let placeHeads: WordSet = [
        "Deir", "Sharm", "Ras", "Tell", "Tal", "Bir", "Ain", "Jabal", "Jebel", "Wadi", "Kafr", "Beit", "Bab", "Marsa",
        "Qasr", "Khirbet", "Jisr", "Nahr", "Maarat", "Madinat",
    ]
    /// Lower-case particles inside Portuguese, Spanish, Italian and French names (`Mocimboa da Praia`).
    static let nameParticles: WordSet = ["da", "de", "do", "dos", "das", "del", "della", "di", "du"]
    /// Nouns of administrative places after a name, written in lower case (`Cabo Delgado province`, `Rakhine state`).
    static let placeNouns: WordSet = [
        "province", "region", "district", "county", "governorate", "prefecture", "municipality", "village", "town",
        "township", "oblast", "state", "city", "countryside", "neighbourhood", "neighborhood", "suburb",
    ]
    /// Arabic articles written apart, capitalised, as the first word of a name (`El Fasher`, `Al Hudaydah`).
    static let arabicArticleWords: WordSet = ["El", "Al", "Ad", "Ar", "As", "Ash", "Az", "An", "Es", "Ed", "Et"]
    /// Prepositions after which a name is a place rather than a person (`near El Fasher`; not `to`, `of`, `from`).
    static let placeOnlyPrepositions: WordSet = [
        "in", "near", "outside", "at", "around", "into", "across", "through", "inside", "toward", "towards",
    ]
    /// Nouns after a name that make it a political organisation (`the Georgian Dream party`).
    static let partyNouns: WordSet = ["party", "movement"]
    /// Lower-case nouns after an outlet's name (`the Clarin newspaper`).
    static let outletNouns: WordSet = [
        "newspaper", "daily", "weekly", "magazine", "broadcaster", "tabloid", "website", "channel", "radio",
    ]
    /// First words of outlets' names (`Radio Mitre`, `TV Globo`).
    static let outletFirstWords: WordSet = ["Radio", "TV", "Television"]
    /// Words that join a father's name to a person's (`Hamad bin Jassim`).
    static let patronymics: WordSet = ["bin", "ibn", "bint", "ben", "ould", "abu"]

    /// `mentions` with patronymics joined and the types above put right (token `i`'s text is `token(i)`).
    /// `span(i)` is token i's span: with it, a surname of a person only found here (`Park` after `Secretary of State
    /// Linda Park`, which the tagger read as a place) is that person wherever it stands alone untagged.
    func retyped(
        _ mentions: [Mention], token: (Int) -> String, count: Int, span: ((Int) -> Span)? = nil
    ) -> [Mention] {
        var promoted: Set<String> = []  // surnames of the people made so here, from mentions of another type
        var out: [Mention] = []
        out.reserveCapacity(mentions.count)
        for m in mentions {
            // A rank, title or portfolio tagged as an entity of its own ("Maj." before "Gen. Farid Haddad", "Prime
            // Minister", "Spokesman Brig.", "Migration" in "Minister of Migration"): a role, not an actor. One
            // unabbreviated word may be a surname ("King") and stays; so do organisations made of such words ("Air
            // Force", "Central Bank").
            // (Only a mention whose first word is a title or honorific is split into words.)
            let firstWord = m.entity.text[..<(m.entity.text.utf8.firstIndex(of: 0x20) ?? m.entity.text.endIndex)]
            let firstLower = firstWord.lowercased()
            if Self.roleWords.contains(firstLower) || Self.honorifics.contains(firstLower) {
                let words = m.entity.text.split(separator: " ")
                let lb = m.tokens.lowerBound
                let afterRoleOf =
                    lb >= 2 && token(lb - 1).lowercased() == "of" && Self.roleWords.containsLowercased(token(lb - 2))
                let abbreviated = words.contains { $0.last == "." }
                if words.allSatisfy({
                    Self.roleWords.containsLowercased($0) || Self.honorifics.containsLowercased($0)
                }),
                    abbreviated || afterRoleOf || (m.entity.type == "PER" && words.count > 1)
                        || (m.entity.type != "PER" && words.count == 1
                            && beforeTitledPerson(m, in: mentions, token: token))
                {
                    continue
                }
            }
            if let last = out.last, let name = Self.joined(last, m, token: token) {
                out[out.count - 1] = name
                continue
            }
            var person = Self.withoutLeadingRole(m, token: token)
            // "Mr Donaldson" tagged as an organisation: an honorific makes a person; so does a title before what
            // reads as a personal name ("Justice Alexandre de Moraes"; not "Justice Department", "President Hotel").
            if person.entity.type != "PER", m.entity.text.contains(" "),
                Self.isHonorific(firstWord)
                    || (Self.titlesOfPeople.contains(String(firstWord))
                        && Self.readsAsPersonalName(m.entity.text.split(separator: " ").dropFirst())
                        && index.name(m.entity.text) == nil)
            {
                person.entity.type = "PER"
            }
            if m.entity.type != "PER", person.entity.type == "PER" {
                promoted.insert(token(person.tokens.upperBound - 1))
            }
            out.append(person)
        }
        for k in out.indices where out[k].entity.type == "PER" {
            out[k] = Self.withoutLeadingTitle(out[k], token: token)
        }
        // Surnames of the people named in full, without an Arabic article: "El-Obeidi" typed an organisation after
        // "Khalid al-Obeidi" is that person.
        var surnames: Set<String> = []
        var namedInFull: [String: Set<String>] = [:]  // each surname's full names
        for m in out where m.entity.type == "PER" {
            let words = Self.nameWords(m.entity.text)
            if words.count >= 2, let last = words.last {
                surnames.insert(Self.bare(last))
                namedInFull[Self.bare(last), default: []].insert(m.entity.text)
            }
        }
        // The last words of people named in two words or more, the words split at any white space (a wire's line
        // breaks fall inside names: "Bob\nWendt"); found when first asked (few documents ask).
        var lastWordsFound: Set<String>?
        func lastWordsOfPeople() -> Set<String> {
            if let found = lastWordsFound { return found }
            var found: Set<String> = []
            for m in out where m.entity.type == "PER" {
                let words = m.entity.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
                if words.count >= 2, let last = words.last { found.insert(Self.bare(String(last))) }
            }
            lastWordsFound = found
            return found
        }
        for k in out.indices {
            var e = out[k].entity
            // The first and last words and the word count, without splitting the text into an array.
            let words = WordView(e.text)
            let first = words.first.lowercased()
            let lastWord = words.last.lowercased()
            let next = out[k].tokens.upperBound < count ? token(out[k].tokens.upperBound).lowercased() : ""
            let before = out[k].tokens.lowerBound > 0 ? token(out[k].tokens.lowerBound - 1).lowercased() : ""
            let facilityName =
                words.count > 1
                && (Self.facilityFirstWords.contains(first)
                    || (e.type == "PER" ? Self.strictFacilityWords : Self.facilityWords).contains(lastWord))
            let lb = out[k].tokens.lowerBound
            if words.count == 1, Self.groupWords.contains(lastWord) {
                e.type = "MISC"
            } else if e.type == "PER", e.text.utf8.contains(where: { $0 &- 48 < 10 }) {
                // "the Galaxy S25", "a Boeing 737": a model's number, no person's name.
                e.type = "MISC"
            } else if e.type == "PER", words.count == 1, before == "'s" || before == "\u{2019}s", k > 0,
                out[k - 1].entity.type == "ORG", out[k - 1].tokens.upperBound == lb - 1,
                !lastWordsOfPeople().contains(Self.bare(lastWord)), index.name(e.text) == nil,
                next.isEmpty
                    || !(next == "," || Self.reportingVerbs.contains(next) || Self.facilityWords.contains(next)
                        || Self.strictFacilityWords.contains(next) || Self.placeNouns.contains(next))
            {
                // "Google's Gemini", "Apple's Siri": an organisation's product, not a person (its people are named in
                // full first: "Bethlehem Steel's Wendt" after "Bob Wendt" stays a person, and so does one who speaks;
                // "BP's Lavera refinery", "AMC's Toledo, Ohio plant" are places).
                e.type = "MISC"
            } else if e.type == "MISC" || e.type == "PER", before == "opposition" || before == "ruling",
                index.adjective(e.text) == nil, !isState(e.text), !Self.looksAdjectival(String(words.last)),
                !Self.groupWords.contains(lastWord), !Self.partyNouns.contains(next)
            {
                // "the opposition Social Democrats", "the ruling Conservatives": a party.
                e.type = "ORG"
            } else if e.type != "ORG", before == "as", lb >= 3, token(lb - 2).lowercased() == "known",
                Self.armedGroupWords.containsLowercased(token(lb - 3)) || token(lb - 3).lowercased() == "group",
                !isState(e.text)
            {
                // "a gang known as Rhysida": the group's name.
                e.type = "ORG"
            } else if (Self.stormWords.contains(before) && out[k].tokens.lowerBound > 0
                && token(out[k].tokens.lowerBound - 1).first?.isUppercase == true)
                || (words.count >= 2 && Self.stormWords.contains(first) && e.type != "MISC")
            {
                // "Hurricane Otis", "Typhoon Haiyan": a storm, not a person.
                e.type = "MISC"
            } else if e.type != "LOC", next == "refugee", out[k].tokens.upperBound + 1 < count,
                token(out[k].tokens.upperBound + 1).lowercased() == "camp"
            {
                e.type = "LOC"
            } else if e.type == "PER" || e.type == "LOC", index.name(e.text) == nil, !isState(e.text),
                (Self.outletNouns.contains(next) && token(out[k].tokens.upperBound).first?.isLowercase == true
                    && (e.type == "PER" || (before == "the" && ["newspaper", "magazine"].contains(next))))
                    || (words.count >= 2 && Self.outletFirstWords.contains(String(words.first)))
            {
                // "Clarin newspaper", "the Rolling Stone magazine", "told Radio Mitre": an outlet, not a person or a
                // place ("a Sydney newspaper", "Tehran radio" keep their places).
                e.type = "ORG"
            } else if e.type == "PER", before == "the", out[k].tokens.lowerBound >= 2,
                QuoteFinder.tellingVerbs.containsLowercased(token(out[k].tokens.lowerBound - 2))
            {
                // "told the Austin American-Statesman": an outlet, not a person.
                e.type = "ORG"
            } else if e.type == "PER" || e.type == "LOC", Self.productNouns.contains(next),
                token(out[k].tokens.upperBound).first?.isLowercase == true, index.name(e.text) == nil,
                !e.text.contains("-"), e.type == "PER" || words.count == 1,
                !surnames.contains(Self.bare(lastWord)), !Self.honorifics.contains(before),
                !Self.roleWords.contains(before) || Self.linking.contains(before)
            {
                // "its new Blackwell chips", "the Patriot batteries", "a Falcon 9 rocket": a product, not a person or
                // a place.
                e.type = "MISC"
            } else if next == ",",
                e.type == "MISC" || e.type == "PER"
                    || (e.type == "LOC" && before != "," && !Self.placePrepositions.contains(before)
                        && index.name(e.text) == nil && !isState(e.text)),  // not "in Milan, Ohio, the venture company"
                index.adjective(e.text) == nil,
                appositionOrgNoun(after: out[k].tokens.upperBound, token: token, count: count)
            {
                // "Georgian Dream, the ruling party,", "Kestrel, a defence company,", "TUI, Europe's biggest travel
                // company,": an organisation.
                e.type = "ORG"
            } else if e.type != "LOC", words.count >= 2, Self.placeHeads.contains(String(words.first)),
                index.name(e.text) == nil,
                Self.arabicArticles.contains(where: { e.text.contains(" " + $0) }) || before == "the"
                    || Self.placePrepositions.contains(before)
            {
                // "Deir ez-Zor", "Sharm el-Sheikh", "Ras al-Ain", "the Ras Tanura terminal": Arabic place names by their
                // first word, with an article or after a place preposition ("Ras Kwame" alone may be a person).
                e.type = "LOC"
            } else if e.type == "PER", words.count >= 2, Self.arabicArticleWords.contains(String(words.first)),
                Self.placeOnlyPrepositions.contains(before), index.name(e.text) == nil,
                namedInFull[Self.bare(lastWord), default: []].subtracting([e.text]).isEmpty
            {
                // "near El Fasher", "in Al Hudaydah": an Arabic article written apart, after a preposition of place.
                e.type = "LOC"
            } else if e.type == "MISC" || e.type == "PER" || e.type == "LOC", Self.partyNouns.contains(next),
                token(out[k].tokens.upperBound).first?.isLowercase == true, !isState(e.text),
                index.adjective(e.text) == nil, !Self.looksAdjectival(String(words.last)),
                !Self.groupWords.contains(lastWord)
            {
                // "the ruling Georgian Dream party", "the Likud party": a party or movement, an organisation.
                e.type = "ORG"
            } else if e.type != "LOC", Self.placeNouns.contains(next),
                token(out[k].tokens.upperBound).first?.isLowercase == true, !Self.looksAdjectival(String(words.last)),
                index.adjective(e.text) == nil, index.adjective(String(words.last)) == nil,
                index.name(e.text)?.type != "ORG", !Self.groupWords.contains(lastWord),
                e.text.contains(where: { $0.isLowercase })  // not an acronym: "USDA state crop report"
            {
                // "Mozambique's Cabo Delgado province", "the Rakhine state", "Harris county": a place.
                e.type = "LOC"
            } else if e.type != "PER", Self.honorifics.contains(before),
                Self.isHonorific(token(out[k].tokens.lowerBound - 1)),
                index.name(e.text) == nil
            {
                e.type = "PER"
            } else if e.type != "PER", words.count <= 3,
                (Self.roleNouns.contains(before) && !Self.adjectivalRoleNouns.contains(before)
                    && !Self.rolesOfFirmsToo.contains(before)
                    && !(Self.occupations.contains(before)
                        && token(out[k].tokens.lowerBound - 1).first?.isUppercase == true)
                    && !Self.looksAdjectival(String(words.last)) && !Self.roleWords.contains(next))
                    || (before != "the" && next == ","
                        // (Not an acronym, "FCOJ, a spokesman for": a lower-case letter, or one beyond ASCII.)
                        && e.text.utf8.contains(where: { $0 &- 97 < 26 || $0 >= 0x80 })
                        && appositionRoleNoun(after: out[k].tokens.upperBound, token: token, count: count)),
                index.name(e.text) == nil, !isState(e.text), index.adjective(e.text) == nil,
                !Self.groupWords.contains(lastWord)
            {
                e.type = "PER"
            } else if e.type == "PER" || e.type == "LOC", words.count >= 2,
                Self.organisationLastWords.contains(String(words.last)), index.name(e.text) == nil
            {
                // "Analysts at Counterpoint Research", "the Brookings Institution": an organisation.
                e.type = "ORG"
            } else if e.type == "ORG", words.count >= 2, Self.featureWords.contains(lastWord),
                e.text.split(separator: " ").allSatisfy({ $0.first?.isUppercase == true }), index.name(e.text) == nil
            {
                e.type = "LOC"
            } else if words.count == 1, e.type != "PER", lastWord.hasPrefix("al-") || lastWord.hasPrefix("el-"),
                surnames.contains(Self.bare(lastWord))
            {
                e.type = "PER"
            } else if facilityName || (Self.strictFacilityWords.contains(next) && !isState(e.text)) {
                e.type = "LOC"
                e.kind = "facility"
            } else if Self.armedGroupWords.contains(next), e.type != "ORG", index.adjective(e.text) == nil,
                !isState(e.text), !Self.looksAdjectival(String(words.last))
            {
                e.type = "ORG"
            } else if e.type == "MISC", let known = index.name(e.text), ["ORG", "LOC"].contains(known.type),
                index.adjective(e.text) == nil
            {
                e.type = known.type
            } else if e.type == "PER" || e.type == "LOC", words.count == 1, let known = index.name(e.text),
                ["ORG", "MISC"].contains(known.type), e.type == "PER" || !isState(e.text),
                !surnames.contains(Self.bare(lastWord)),
                !Self.honorifics.contains(before), !Self.roleWords.contains(before) || Self.linking.contains(before)
            {
                // A company or product the actor table knows, tagged as a person ("Sony has said") or a place ("in a
                // statement on Telegram"), unless it is the surname of someone named in full here or follows a title
                // ("Mr Ford").
                e.type = known.type
            } else if e.type != "PER", words.count == 2, Self.isHyphenatedGivenName(words.last),
                String(words.first).allSatisfy({ $0.isLetter }), String(words.first).count <= 6,
                index.name(e.text) == nil, !isState(e.text)
            {
                // "Lai Ching-te", "Han Duck-soo" typed otherwise: a person.
                e.type = "PER"
            } else if e.type != "PER", words.count == 1, surnames.contains(Self.bare(lastWord)),
                index.name(e.text) == nil, !isState(e.text), e.text.first?.isUppercase == true,
                !Self.honorifics.contains(before)
            {
                // "Moraes" typed an organisation after "Justice Alexandre de Moraes": the person named in full.
                e.type = "PER"
            } else if e.type == "MISC", words.count == 1, e.text.contains("-"), Self.placePrepositions.contains(before),
                e.text.split(separator: "-").allSatisfy({ $0.first?.isUppercase == true }),
                !Self.looksAdjectival(String(e.text.split(separator: "-").last ?? ""))
            {
                e.type = "LOC"
            }
            out[k].entity = e
        }
        if let span, !promoted.isEmpty {
            var covered = [Bool](repeating: false, count: count)
            for m in out { for i in m.tokens where i < count { covered[i] = true } }
            for i in 0..<count where !covered[i] && promoted.contains(token(i)) {
                out.append(Mention(entity: Entity(span: span(i), text: token(i), type: "PER"), tokens: i..<(i + 1)))
            }
            out.sort { $0.tokens.lowerBound < $1.tokens.lowerBound }
        }
        return out
    }

    /// `last` and the mention `m` after it as one name, if they are one:
    /// - "Sharm" "el-Sheikh", "Deir" "ez-Zor": a place or person cut before its Arabic article, of the first's type;
    /// - "Hamad" "bin" "Jassim": one person (whatever type the tagger gave the father's name), when only the
    ///   patronymic and single spaces lie between;
    /// - "Mocimboa" "da" "Praia", "Lula" "da" "Silva": one name of the same type across a lower-case particle;
    /// - "Lai" "Ching-te": a family name and a hyphenated given name, one person.
    static func joined(_ last: Mention, _ m: Mention, token: (Int) -> String) -> Mention? {
        let middle: String
        if m.tokens.lowerBound == last.tokens.upperBound, m.entity.span.start == last.entity.span.end + 1,
            !last.entity.text.contains(" "), isHyphenatedGivenName(m.entity.text),
            last.entity.text.count <= 6, last.entity.text.allSatisfy({ $0.isLetter })
        {
            // "Lai" "Ching-te" tagged apart: one person.
            var name = last
            name.entity.text += " " + m.entity.text
            name.entity.span.end = m.entity.span.end
            name.entity.type = "PER"
            name.tokens = last.tokens.lowerBound..<m.tokens.upperBound
            return name
        } else if ["LOC", "PER"].contains(last.entity.type), m.tokens.lowerBound == last.tokens.upperBound,
            m.entity.span.start == last.entity.span.end + 1,
            arabicArticles.contains(where: { m.entity.text.hasPrefix($0) })
        {
            middle = " "
        } else if m.tokens.lowerBound == last.tokens.upperBound + 1 {
            let particle = token(last.tokens.upperBound)
            guard
                (last.entity.type == "PER" && patronymics.containsLowercased(particle))
                    || (last.entity.type == m.entity.type && ["LOC", "PER"].contains(m.entity.type)
                        && nameParticles.contains(particle)),
                m.entity.span.start - last.entity.span.end == particle.unicodeScalars.count + 2
            else { return nil }
            middle = " " + particle + " "
        } else {
            return nil
        }
        var name = last
        name.entity.text += middle + m.entity.text
        name.entity.span.end = m.entity.span.end
        name.tokens = last.tokens.lowerBound..<m.tokens.upperBound
        return name
    }

    /// "Sheikh Hamad bin Khalifa", "Ms. Duval", "Gen. Kassab" tagged as one person: titles, ranks and honorifics
    /// before a person's name are not the name (``role(of:token:count:)`` reads them as the role).
    static func withoutLeadingTitle(_ m: Mention, token: (Int) -> String) -> Mention {
        var first = m.tokens.lowerBound
        while first < m.tokens.upperBound - 1 {
            let lower = token(first).lowercased()
            guard
                (roleWords.contains(lower) && !linking.contains(lower)) || honorifics.contains(lower)
                    || (first > m.tokens.lowerBound && linking.contains(lower))
            else { break }
            first += 1
        }
        let name = token(first)
        let lower = name.lowercased()
        guard first > m.tokens.lowerBound, !linking.contains(lower),
            name.first?.isUppercase == true || lower.hasPrefix("al-") || lower.hasPrefix("el-")
        else { return m }
        let prefix = (m.tokens.lowerBound..<first).map(token).joined(separator: " ") + " "
        guard m.entity.text.hasPrefix(prefix) else { return m }
        var out = m
        out.entity.text = String(m.entity.text.dropFirst(prefix.count))
        out.entity.span.start += prefix.unicodeScalars.count
        out.tokens = first..<m.tokens.upperBound
        return out
    }

    /// "Secretary of State Linda Park" tagged as one place `State Linda Park`: the role words the tagger took in after a
    /// role and "of" are the role's (``role(of:token:count:)`` finds them), and the two or three words left a person's
    /// name.
    static func withoutLeadingRole(_ m: Mention, token: (Int) -> String) -> Mention {
        guard m.entity.type != "PER", m.tokens.lowerBound > 1, token(m.tokens.lowerBound - 1).lowercased() == "of",
            roleWords.containsLowercased(token(m.tokens.lowerBound - 2))
        else { return m }
        var first = m.tokens.lowerBound
        while first < m.tokens.upperBound, roleWords.containsLowercased(token(first)) { first += 1 }
        let rest = (first..<m.tokens.upperBound).map(token)
        guard first > m.tokens.lowerBound, (2...3).contains(rest.count),
            rest.allSatisfy({ $0.first?.isUppercase == true }),
            !rest.contains(where: { facilityWords.containsLowercased($0) || looksAdjectival($0) })
        else {
            return m
        }
        // The stripped words and the single spaces after them, in Unicode scalars.
        let prefix = (m.tokens.lowerBound..<first).map(token).joined(separator: " ") + " "
        guard m.entity.text.hasPrefix(prefix) else { return m }
        var out = m
        out.entity.text = String(m.entity.text.dropFirst(prefix.count))
        out.entity.span.start += prefix.unicodeScalars.count
        out.entity.type = "PER"
        out.tokens = first..<m.tokens.upperBound
        return out
    }

    /// Whether `m` (one word) is a portfolio followed by `Minister` or `Secretary` and then a person's mention
    /// (`Defence` `Secretary` `John Healey`; not `Labour` `MP` or `Labour` `leader`: a party).
    private func beforeTitledPerson(_ m: Mention, in mentions: [Mention], token: (Int) -> String) -> Bool {
        var j = m.tokens.upperBound
        var ministerial = false
        while let next = mentions.first(where: { $0.tokens.lowerBound >= j }), next.tokens.lowerBound > j,
            Self.roleWords.containsLowercased(token(j)), !Self.linking.containsLowercased(token(j))
        {
            if ["minister", "secretary"].contains(token(j).lowercased()) { ministerial = true }
            j += 1
        }
        guard ministerial, let person = mentions.first(where: { $0.tokens.lowerBound >= j }) else { return false }
        return person.tokens.lowerBound == j && person.entity.type == "PER"
    }

    /// Whether ", the interior minister", ", a spokesman for …", ", Egypt's foreign minister" follows token `j`: an
    /// apposition whose role words end in a role noun.
    func appositionRoleNoun(after j: Int, token: (Int) -> String, count: Int) -> Bool {
        var j = j
        guard j + 1 < count, token(j) == "," else { return false }
        j += 1
        if ["a", "an", "the"].contains(token(j).lowercased()) { j += 1 }
        if j < count, index.adjective(token(j)) != nil || state(token(j)) != nil {
            j += 1
            if j < count, token(j) == "'s" || token(j) == "\u{2019}s" { j += 1 }
        }
        var last = ""
        while j < count, Self.roleWords.containsLowercased(token(j)) {
            last = token(j).lowercased()
            // ", head of Samsung's mobile business,", ", a spokesman for the firm,": a role noun and whom the person
            // serves, when a comma closes the apposition before any reporting verb ("Malibu, a spokesman for the
            // sheriff said" is a reporting clause).
            if j + 1 < count, ["of", "for"].contains(token(j + 1)), Self.roleNouns.contains(last),
                !Self.rolesOfFirmsToo.contains(last)
            {
                for t in (j + 2)..<min(count, j + 12) {
                    if token(t) == "," { return true }
                    if Self.reportingVerbs.containsLowercased(token(t)) { return false }
                }
                return false
            }
            j += 1
        }
        // "Malibu, California, a spokesman said": the reporting clause, no apposition.
        if j < count, Self.reportingVerbs.containsLowercased(token(j)) { return false }
        return Self.roleNouns.contains(last) && !Self.rolesOfFirmsToo.contains(last)
    }

    /// Whether ", the ruling party", ", a defence company" follows token `j`: an apposition of lower-case words ending
    /// in a noun for an organisation.
    func appositionOrgNoun(after j: Int, token: (Int) -> String, count: Int) -> Bool {
        var j = j
        guard j + 1 < count, token(j) == "," else { return false }
        j += 1
        // An article, or a place's possessive ("Europe's biggest travel company").
        if j + 2 < count, token(j).first?.isUppercase == true, ["'s", "\u{2019}s"].contains(token(j + 1)),
            index.name(token(j))?.type == "LOC"
        {
            j += 2
        } else {
            guard ["a", "an", "the"].contains(token(j).lowercased()) else { return false }
            j += 1
        }
        var n = 0
        // Lower-case words up to the noun, no preposition between ("an analyst at research firm …" is a person's);
        // not ", the company said" (a reporting clause), ", the company's founder" nor ", the news agency Tass".
        while j < count, n < 4, token(j).first?.isLowercase == true, !Self.placePrepositions.contains(token(j)),
            !["with", "for", "'s", "\u{2019}s"].contains(token(j))
        {
            // The noun must end the phrase ("a bank holding company that": company; "an airline analyst": no).
            if Self.organisationNouns.contains(token(j)),
                j + 1 == count || Self.afterOrganisationNoun.contains(token(j + 1))
            {
                return true
            }
            j += 1
            n += 1
        }
        return false
    }

    /// Words that may follow the noun of an organisation's apposition (`, a private company, owns`, `, a firm that`).
    static let afterOrganisationNoun: WordSet = [
        ",", ".", ";", ":", ")", "that", "which", "whose", "based", "owned", "headed", "led", "controlled", "founded",
        "listed", "of", "in", "and", "with", "for", "since", "from",
    ]
    /// Nouns for organisations in an apposition (`, the ruling party,`).
    static let organisationNouns: WordSet = [
        "party", "company", "firm", "group", "movement", "coalition", "alliance", "militia", "bank", "agency",
        "network", "union", "startup", "start-up", "broadcaster", "newspaper", "carmaker", "airline", "insurer",
        "retailer", "lender", "conglomerate", "organisation", "organization", "charity", "club", "band",
    ]

    /// Verbs that make ", a spokesman said" a reporting clause.
    static let reportingVerbs: WordSet = [
        "said", "says", "told", "added", "stated", "announced", "confirmed", "warned", "claimed",
    ]

    /// Whether `name` is a state or a place the actor table knows (`Iraq`, `Baghdad`): "the Iraq crossing" keeps
    /// Iraq a country.
    private func isState(_ name: String) -> Bool {
        index.name(name)?.type == "LOC" || index.seat(key: ActorIndex.key(name)) != nil
    }
}
