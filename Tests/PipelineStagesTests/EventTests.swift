import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// A document from marked text: `[Greece] and [Cyprus] signed a deal.`; a mark is `[TEXT]` (a LOC named TEXT) or
/// `[TEXT|TYPE]`, `[TEXT|TYPE|CANONICAL]`, `[TEXT|TYPE|CANONICAL|ROLE|COUNTRY]` (empty fields left out). Sentences and
/// tokens come from the built-in stages; the entities are the marks.
func markedDocument(_ marked: String) throws -> Document {
    var text = ""
    var entities: [Entity] = []
    var rest = Substring(marked)
    while let open = rest.firstIndex(of: "[") {
        text += rest[..<open]
        guard let close = rest[open...].firstIndex(of: "]") else { break }
        let fields = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            .map(String.init)
        let start = text.unicodeScalars.count
        text += fields[0]
        var e = Entity(
            span: Span(start: start, end: text.unicodeScalars.count), text: fields[0],
            type: fields.count > 1 ? fields[1] : "LOC",
            canonical: fields.count > 2 && !fields[2].isEmpty ? fields[2] : fields[0])
        if fields.count > 3, !fields[3].isEmpty { e.role = fields[3] }
        if fields.count > 4, !fields[4].isEmpty { e.country = fields[4] }
        entities.append(e)
        rest = rest[rest.index(after: close)...]
    }
    text += rest
    let p = try builtPipeline("load jsonl path=\"-\"\nextract sentences\nextract tokens\nwrite jsonl path=\"-\"\n")
    var d = Document(id: "t", text: text)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    d.entities = entities
    return d
}

/// The events of marked text as `SOURCE>TARGET|CODE|QUAD` with `|negated`, `|hypothetical`, `|symmetric` and
/// `|by=REPORTER` when set (QUAD as its initials: VC verbal cooperation, MC material cooperation, VX verbal conflict,
/// MX material conflict).
func events(
    _ marked: String, country: Bool = false, quotes: [Quote]? = nil, dictionary: EventDictionary = .builtIn
) throws -> [String] {
    let d = try markedDocument(marked)
    let found = try EventCoder(dictionary: dictionary, countryLevel: country).events(
        text: d.text, sentences: d.sentences ?? [], tokens: d.tokens ?? [], entities: d.entities ?? [],
        quotes: quotes)
    return found.map(describe)
}

func describe(_ e: Event) -> String {
    let quad: [Event.Quad: String] = [
        .verbalCooperation: "VC", .materialCooperation: "MC", .verbalConflict: "VX", .materialConflict: "MX",
    ]
    var s = "\(e.source)>\(e.target)|\(e.code)|\(quad[e.quad]!)"
    if e.negated { s += "|negated" }
    if e.hypothetical { s += "|hypothetical" }
    if e.attributes["symmetric"] == .bool(true) { s += "|symmetric" }
    if let r = e.reportedBy { s += "|by=\(r)" }
    return s
}

@Suite struct EventTests {
    @Test func anActiveVerbNamesWhoDidWhatToWhom() throws {
        #expect(
            try events("[India] shelled [Pakistani|MISC|Pakistan] border posts overnight.") == ["India>Pakistan|194|MX"]
        )
        #expect(
            try events("[Brazil] protested to [Argentina] over the detention of two boats.") == [
                "Brazil>Argentina|140|MX"
            ])
        // A capital that acts stands for its state (the actor table's seats).
        #expect(try events("[Paris] criticised [Rome] for turning away a rescue ship.") == ["France>Italy|111|VX"])
        // The person after a country and their role words, not the country.
        #expect(
            try events(
                "[Japan]'s prime minister met [Chinese|MISC|China] President [Li Wen|PER|Li Wen|President|China] in [Beijing]."
            ) == ["Japan>Li Wen|040|VC|symmetric"])
    }

    @Test func whoActsSurvivesThePassiveAndNominalisations() throws {
        #expect(
            try events("[Ethiopian|MISC|Ethiopia] forces were accused by [Eritrea] of shelling border villages.") == [
                "Eritrea>Ethiopia|112|VX"
            ])
        #expect(
            try events("[NATO|ORG] condemned [Russia]'s attack on [Ukraine]'s power grid.") == [
                "NATO>Russia|111|VX", "Russia>Ukraine|190|MX",
            ])
        #expect(
            try events("[Christos Tzekos|PER] was also suspended by [the IAAF|ORG|IAAF].") == [
                "IAAF>Christos Tzekos|160|MX"
            ])
        #expect(try events("[Israeli|MISC|Israel] air strikes on [Gaza] continued.") == ["Israel>Gaza|195|MX"])
        // The one praised is the subject; the praiser comes after "from".
        #expect(
            try events(
                "[Egypt] won praise from [the United States|LOC|United States] and [the United Nations|ORG|United Nations]."
            )
                == ["United States>Egypt|051|VC", "United Nations>Egypt|051|VC"])
        #expect(
            try events("[The World Bank|ORG|World Bank] approved a loan for [Kenya] on Thursday.") == [
                "World Bank>Kenya|071|MC"
            ])
        // A decision with no one acted upon, and a wounded nobody named: no event.
        #expect(try events("[Ankara|LOC|Turkey]'s decision to close the border crossing angered traders.") == [])
    }

    @Test func actorsJoinedByAndActTogether() throws {
        // One event between them; the deal they signed is the same event, not a second one.
        #expect(
            try events("[Greece] and [Cyprus] signed an energy deal on Monday.") == ["Greece>Cyprus|057|VC|symmetric"])
        #expect(
            try events("[Iran] and [Britain|LOC|United Kingdom], [France] and [Germany] resumed talks in [Muscat].")
                .count
                == 6)
        #expect(
            try events("[Iraq]'s foreign minister held talks with his [Iranian|MISC|Iran] counterpart.") == [
                "Iraq>Iran|040|VC|symmetric"
            ])
        // "talks on X": the topic, not the other side.
        #expect(try events("[Iraqi|MISC|Iraq] officials began talks on [Iran]'s programme.") == [])
        #expect(
            try events("[South Africa] offered to mediate between [Russia] and [Ukraine].") == [
                "South Africa>Russia|030|VC", "South Africa>Ukraine|030|VC",
            ])
        // What follows an infinitive is its own verb's: "agreed to help" codes the help, not an agreement.
        #expect(
            try events("[Norway], [Egypt] and [the Soviet Union|LOC|Soviet Union] agreed to help [OPEC|ORG].") == [
                "Norway>OPEC|070|MC|hypothetical", "Egypt>OPEC|070|MC|hypothetical",
                "Soviet Union>OPEC|070|MC|hypothetical",
            ])
    }

    @Test func negationAndHypotheticalActs() throws {
        #expect(
            try events("[The United States|LOC|United States] did not attack [Iranian|MISC|Iran] vessels.") == [
                "United States>Iran|190|MX|negated"
            ])
        #expect(
            try events("[Israel] denied striking [Hamas|ORG] positions in [Gaza].") == ["Israel>Hamas|190|MX|negated"])
        #expect(
            try events("[Myanmar] has refused to meet envoys of [ASEAN|ORG].") == [
                "Myanmar>ASEAN|040|VC|negated|symmetric"
            ])
        #expect(
            try events("[North Korea] threatened to attack [South Korea] if the drills went ahead.") == [
                "North Korea>South Korea|130|VX", "North Korea>South Korea|190|MX|hypothetical",
            ])
        #expect(
            try events("[The IMF|ORG|IMF] will lend [Pakistan] $3 billion.") == ["IMF>Pakistan|071|MC|hypothetical"])
    }

    @Test func anEventSomeoneClaimsIsReportedByThem() throws {
        // Without quotes: the actor who says it.
        #expect(
            try events("[Serbia] said [Kosovo] police detained a [Serbian|MISC|Serbia] citizen at the border.") == [
                "Kosovo>Serbia|173|MX|by=Serbia"
            ])
        #expect(
            try events("[Rebels|ORG|RFL] attacked [Chad]'s army on Monday, according to [Reuters|ORG].") == [
                "RFL>Chad|190|MX|by=Reuters"
            ])
        // With quotes: the speaker of the quotation the action is in.
        let marked = "\"[Turkey] attacked [Iraq],\" [Ali Veli|PER] said."
        let d = try markedDocument(marked)
        let quote = Quote(span: Span(start: 1, end: 21), text: "Turkey attacked Iraq", speaker: "Ali Veli")
        #expect(d.text.slice(quote.span) == "Turkey attacked Iraq")
        #expect(try events(marked, quotes: [quote]) == ["Turkey>Iraq|190|MX|by=Ali Veli"])
    }

    @Test func namingTwoCountriesIsNoEvent() throws {
        #expect(try events("[Brazil] beat [Argentina] 2-1 in a qualifier in [Sao Paulo].") == [])
        #expect(try events("The [euro|MISC|euro] rose against the dollar after [German|MISC|Germany] data.") == [])
        // A place after "in" is where, not whom; a dateline names no actor.
        #expect(try events("[Indian|MISC|India] troops killed two militants in [Kashmir].") == [])
        #expect(
            try events("[BAGHDAD|LOC|Baghdad], Nov 20 ([PSW|ORG]) - [Iraq] condemned [Turkey] on Friday.") == [
                "Iraq>Turkey|111|VX"
            ])
        // A score makes a sentence sport; a capitalised word inside a sentence is a name, not an action.
        #expect(try events("[Ireland] praised [Italy] after a 28-17 win in [Rome].") == [])
        #expect(try events("[Jake White|PER] held off Grand Slam winners [France].") == [])
        #expect(try events("The [U.S.|LOC|United States] Arms sale to [Iran] was discussed.") == [])
        // Two scores make a sports report; "the Paris agreement": a name qualifying the object is not the target.
        #expect(
            try events("[Chelsea|ORG] beat [Arsenal|ORG] 2-1. [Bolton|ORG] meet [Ipswich|ORG] after a 0-0 draw.") == [])
        #expect(try events("[James Baker|PER] supported the [Paris|LOC|France] agreement on currencies.") == [])
        // An intent reaches through an infinitive to its object, not to what qualifies it.
        #expect(
            try events("[Dart|ORG] offered to buy [Supermarkets General|ORG] for $41.75 a share.") == [
                "Dart>Supermarkets General|030|VC"
            ])
        #expect(try events("[Tony Blair|PER] pledged to clamp down on [Britain|LOC|United Kingdom]'s culture.") == [])
        // "Iran-backed", "London-based": a modifier, not the actor.
        #expect(try events("[Iran-backed|MISC|Iran] militias attacked [US|LOC|United States] forces.") == [])
    }

    @Test func oneHugeSentenceOfEventsGivesEachPairOnce() throws {
        // A hostile input: thousands of actions in one sentence (no full stop). One event per pair and quad class.
        let unit = "[Iraq] criticised [Turkey], [Iran] attacked [Syria] and "
        let found = try events(String(repeating: unit, count: 2_000) + "nothing else.")
        #expect(found.contains("Iraq>Turkey|111|VX") && found.contains("Iran>Syria|190|MX"))
        #expect(found.count == Set(found).count && found.count <= 8)
    }

    @Test func mentionsAcrossSentencesOrOffTheTokensAreSafe() throws {
        // Hostile or odd input: an entity running over a sentence end, one that starts inside a token, one past the
        // text. The events are coded from what can be read, and nothing traps.
        var d = try markedDocument("[Iraq] attacked Iran. Turkey met [Syria].")
        #expect(d.sentences?.count == 2)
        d.entities?.append(Entity(span: Span(start: 14, end: 26), text: "Iran. Turkey", type: "LOC"))
        d.entities?.append(Entity(span: Span(start: 16, end: 22), text: "an. Tu", type: "ORG"))
        d.entities?.append(Entity(span: Span(start: 38, end: 90), text: "?", type: "ORG"))
        let found = try EventCoder(dictionary: .builtIn, countryLevel: false).events(
            text: d.text, sentences: d.sentences ?? [], tokens: d.tokens ?? [], entities: d.entities ?? [],
            quotes: nil)
        #expect(found.map(describe).contains("Iraq>Iran. Turkey|190|MX"))
        for e in found {
            for key in ["source_mention", "target_mention", "trigger"] {
                guard case .object(let o)? = e.attributes[key], let a = o["start"]?.intValue,
                    let b = o["end"]?.intValue
                else {
                    Issue.record("\(key) missing")
                    continue
                }
                #expect(d.text.slice(Span(start: a, end: b)) == o["text"]?.stringValue)
            }
        }
    }

    @Test func countryLevelPutsAPersonsCountryInTheirPlace() throws {
        let marked = "[Joe Harlan|PER|Joe Harlan|President|United States] praised [Mexico] for its help."
        #expect(try events(marked) == ["Joe Harlan>Mexico|051|VC"])
        #expect(try events(marked, country: true) == ["United States>Mexico|051|VC"])
        // Within one country: an event between actors, none between countries; none of an actor on itself.
        let home = "[Ali Demir|PER|Ali Demir|minister|Turkey] criticised [Ankara|LOC|Turkey] for the delay."
        #expect(try events(home) == ["Ali Demir>Turkey|111|VX"])
        #expect(try events(home, country: true) == [])
        #expect(try events("[USAir|ORG] rejected [USAir|ORG]'s own plan.") == [])
        // "for X to V": X does it. The one told is no subject; an object pronoun names no actor.
        let demand = try events("The [EU|ORG|European Union] demand for [Turkey] to recognise [Cyprus] stands.")
        #expect(demand.contains("Turkey>Cyprus|054|VC") && !demand.contains { $0.hasPrefix("European Union>Cyprus") })
        #expect(
            try events("[Viktor Yushchenko|PER] headed to [Brussels|LOC|Belgium] to meet [George Bush|PER].") == [
                "Viktor Yushchenko>George Bush|040|VC|symmetric"
            ])
        #expect(
            try events(
                "[Javier Nogales|PER] told [Reuters|ORG] the negotiations with [the Paris Club|ORG|Paris Club] went well."
            ) == [])
        #expect(try events("[Jordan] got funds from [Iraq] to help it resist [Israel].") == [])
        // A pronoun after a verb of saying is its speaker, not the last one named.
        #expect(
            try events("[Snyder Oil|ORG] told [the SEC|ORG|SEC] it made an offer to [Cenergy|ORG].") == [
                "Snyder Oil>Cenergy|030|VC"
            ])
    }

    @Test func theDictionaryInflectsItsWordsAndReadsAUsersFile() throws {
        #expect(EventDictionary.past("ban") == "banned")
        #expect(EventDictionary.past("deny") == "denied")
        #expect(EventDictionary.past("agree") == "agreed")
        #expect(EventDictionary.past("visit") == "visited")
        #expect(EventDictionary.ing("agree") == "agreeing")
        #expect(EventDictionary.ing("criticise") == "criticising")
        #expect(EventDictionary.ing("slam") == "slamming")
        #expect(EventDictionary.plural("occupy") == "occupies")
        #expect(EventDictionary.plural("ambush") == "ambushes")
        var d = EventDictionary.builtIn
        try d.add(
            text: "snub\tverb\t161\t-4\n# a comment\nhold hands with\tverb\t05\t3.5\theld hands with\n",
            file: "mine.tsv")
        #expect(
            try events("[Tokyo|LOC|Japan] snubbed [Seoul|LOC|South Korea] again.", dictionary: d) == [
                "Japan>South Korea|161|MX"
            ])
        #expect(try events("[Chile] held hands with [Peru].", dictionary: d) == ["Chile>Peru|05|VC"])
        #expect(try events("[Tokyo|LOC|Japan] snubbed [Seoul|LOC|South Korea] again.") == [])
        for (line, message) in [
            ("snub\tverb\t161\n", "mine.tsv:1: expected ACTION<TAB>POS<TAB>CODE<TAB>WEIGHT"),
            ("snub\tadjective\t161\t-4\n", "mine.tsv:1: part of speech 'adjective' is not verb or noun"),
            ("snub\tverb\t25\t-4\n", "mine.tsv:1: code '25' is not a CAMEO-style code"),
            ("snub\tverb\t161\t-40\n", "mine.tsv:1: weight '-40' is not a number from -10 to 10"),
            ("snub\tverb\t161\t-4\t\tloud\n", "mine.tsv:1: unknown flag 'loud'"),
            (
                "cut off\tverb\t161\t-4\tcut away\n",
                "mine.tsv:1: form 'cut away' does not end with the action's other words 'off'"
            ),
        ] {
            #expect {
                var e = EventDictionary()
                try e.add(text: line, file: "mine.tsv")
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    @Test func theStageCodesEventsAfterTheRealEntityTagger() throws {
        let dir = try TempDir()
        let dictionary = dir.path("more.tsv")
        try "snub\tverb\t161\t-4.0\n".write(toFile: dictionary, atomically: true, encoding: .utf8)
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities\nextract quotes\n"
                + "extract events dictionary=\"\(dictionary)\"\nwrite jsonl path=\"-\"\n")
        var d = Document(
            id: "t",
            text:
                "Greece and Cyprus signed an energy agreement in Nicosia on Monday. Turkey snubbed Greece. "
                + "Brazil beat Argentina 2-1 on Tuesday.")
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        #expect(d.events?.map(describe) == ["Greece>Cyprus|057|VC|symmetric", "Turkey>Greece|161|MX"])
        #expect(d.events?.map(\.sentence) == [0, 1])
        #expect(
            d.events?.first?.attributes["trigger"]
                == .object(["start": .int(18), "end": .int(24), "text": .string("signed")]))
        // A missing dictionary is an error at its line.
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(
                text: "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities\n"
                    + "extract events dictionary=\"\(dir.path("missing.tsv"))\"\nwrite jsonl path=\"-\"\n",
                file: "t.pipe"),
            settings: BuildSettings())
        #expect(o.pipeline == nil)
        #expect("\(o.diagnostics)".contains("t.pipe:5:16: error: extract events: event dictionary"))
    }
}
