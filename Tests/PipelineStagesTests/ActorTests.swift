import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Runs the entity stage with actor linking and returns the entities.
func linked(_ text: String, aliases: String? = nil) throws -> [Entity] {
    let extra = aliases.map { " aliases=\"\($0)\"" } ?? ""
    let p = try builtPipeline(
        "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities\(extra)\nwrite jsonl path=\"-\"\n")
    var d = Document(id: "t", text: text)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return d.entities ?? []
}

@Suite struct ActorTests {
    @Test func namesAdjectivesAndInstitutionsLinkToTheirState() throws {
        let e = try linked(
            "U.S. and American officials met the Iraqi delegation. The State Department said America would help.")
        let canon = Dictionary(e.map { ($0.text, $0.canonical ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(canon["U.S."] == "United States")
        #expect(canon["American"] == "United States")
        #expect(canon["Iraqi"] == "Iraq")
        #expect(canon["State Department"] == "United States")
        #expect(canon["America"] == "United States")
    }

    @Test func aSeatOfGovernmentIsTheStateOnlyWhenItActs() throws {
        let e = try linked("Ministers met in Baghdad on Monday. Baghdad protested the strike, and Ankara denied it.")
        let baghdad = e.filter { $0.text == "Baghdad" }.map { $0.canonical ?? "" }
        #expect(baghdad == ["Baghdad", "Iraq"])
        #expect(e.first { $0.text == "Ankara" }?.canonical == "Turkey")
    }

    @Test func laterShortNamesLinkToTheFullName() throws {
        let e = try linked("Prime Minister Karim al-Saadi met Claire Duval. Ms. Duval thanked al-Saadi.")
        let people = e.filter { $0.type == "PER" }.map { "\($0.text)→\($0.canonical ?? "")" }
        #expect(
            people == [
                "Karim al-Saadi→Karim al-Saadi", "Claire Duval→Claire Duval", "Duval→Claire Duval",
                "al-Saadi→Karim al-Saadi",
            ])
    }

    @Test func rolesAndCountriesBeforeAndAfterTheName() throws {
        let e = try linked(
            "Iraqi Prime Minister Karim al-Saadi spoke. Oleg Sorokin, Russia's deputy foreign minister, agreed.")
        let saadi = try #require(e.first { $0.text == "Karim al-Saadi" })
        #expect(saadi.attributes["role"] == .string("Prime Minister") && saadi.attributes["country"] == .string("Iraq"))
        let sorokin = try #require(e.first { $0.text == "Oleg Sorokin" })
        #expect(sorokin.attributes["role"] == .string("deputy foreign minister"))
        #expect(sorokin.attributes["country"] == .string("Russia"))
    }

    @Test func aRankOrTitleIsTheRoleAndTheSurnameThePerson() throws {
        let e = try linked(
            "Lt. Gen. Samir Kassab, the commander of the northern front, visited the base. Gen. Kassab said it would stay open. Kassab left on Monday."
        )
        let people = e.filter { $0.type == "PER" }
        #expect(people.map { $0.canonical ?? "" } == ["Samir Kassab", "Samir Kassab", "Samir Kassab"])
        #expect(people.allSatisfy { $0.role == "Lt. Gen." })
        let king = try linked("Sheikh Hamad bin Jassim met King Abdullah on Sunday.").filter { $0.type == "PER" }
        // The tagger may leave "King" out of the name or keep it: either way the role.
        #expect(
            king.map { "\($0.canonical ?? "")|\($0.role ?? "")" } == [
                "Hamad bin Jassim|Sheikh", "Abdullah|King",
            ])
        // Two people sharing a surname stay two actors.
        let two = try linked("Ali Kassab and his brother Samir Kassab were both at the meeting.")
        #expect(Set(two.filter { $0.type == "PER" }.map { $0.canonical ?? "" }) == ["Ali Kassab", "Samir Kassab"])
    }

    @Test func aRankTaggedAloneIsNoPersonAndARoleTheTaggerTookInIsTheRole() throws {
        let e = try linked(
            "Maj. Gen. Farid Haddad toured the base on Tuesday. Sheikh Hamad bin Khalifa met Secretary of State Linda Park in Washington. Park said the talks went well."
        )
        let people = e.filter { $0.type == "PER" }
        #expect(!people.contains { $0.text == "Maj." })
        #expect(people.first { $0.canonical == "Farid Haddad" }?.role == "Maj. Gen.")
        #expect(people.contains { $0.text == "Hamad bin Khalifa" && $0.role == "Sheikh" })
        let park = people.filter { $0.canonical == "Linda Park" }
        #expect(park.map(\.text) == ["Linda Park", "Park"])
        #expect(park.allSatisfy { $0.role == "Secretary of State" })
    }

    @Test func aRoleBeforeACommaAndAnArabicArticleSurnameOfAnyType() throws {
        let e = try linked(
            "The defence minister, Khalid al-Obeidi, visited the front. Al-Obeidi told troops they would be paid. El-Obeidi also met tribal leaders."
        )
        let obeidi = e.filter { $0.canonical == "Khalid al-Obeidi" }
        #expect(obeidi.map(\.text) == ["Khalid al-Obeidi", "Al-Obeidi", "El-Obeidi"])
        #expect(obeidi.allSatisfy { $0.type == "PER" && $0.role == "defence minister" })
        let jabro = try linked(
            "Iraq's Minister of Migration, Evan Jabro, visited the camp. Jabro said families would move.")
        #expect(!jabro.contains { $0.text == "Migration" })
        #expect(
            jabro.filter { $0.canonical == "Evan Jabro" }.allSatisfy {
                $0.role == "Minister of Migration" && $0.country == "Iraq"
            })
        let rasool = try linked("Spokesman Brig. Gen. Yahya Rasool said the attack was repelled.")
        #expect(rasool.map(\.text) == ["Yahya Rasool"])
    }

    /// Roles beyond politics and portfolios beyond the usual ministries; an apposition over a courtesy title; a role
    /// that stops where a name starts; an indefinite noun phrase before a comma is no apposition.
    @Test func rolesOfCompaniesPressAndPortfolios() throws {
        func roles(_ text: String) throws -> [String] {
            try linked(text).filter { $0.type == "PER" }.map {
                "\($0.canonical ?? "")|\($0.role ?? "")|\($0.country ?? "")"
            }
        }
        #expect(
            try roles(
                "Chief Financial Officer Colette Marsh said sales fell. Chinese Commerce Minister Wang Wentao met her.")
                == ["Colette Marsh|Chief Financial Officer|", "Wang Wentao|Commerce Minister|China"])
        #expect(
            try roles("A court jailed journalist Fatih Demir. IMF managing director Kristalina Georgieva spoke.") == [
                "Fatih Demir|journalist|", "Kristalina Georgieva|managing director|",
            ])
        #expect(
            try roles("Sheikh Tamim bin Hamad al-Thani, Qatar's emir, received the delegation.") == [
                "Tamim bin Hamad al-Thani|emir|Qatar"
            ])
        #expect(try roles("Co-Chief Executive Ted Sarandos spoke.") == ["Ted Sarandos|Co-Chief Executive|"])
        #expect(
            try roles("\"We will rebuild,\" said Maria Lopez, governor of the Tourism Authority of Thailand.") == [
                "Maria Lopez|governor|"
            ])
        #expect(
            try roles("He apologised to a Jewish reporter, Labour MP Tom Harris has said.").allSatisfy {
                !$0.contains("reporter")
            })
        // "Former" before a nationality is the role's; a courtesy title between the post and the name is not.
        #expect(
            try roles("Former Peruvian President Alberto Fujimori died in Lima.") == [
                "Alberto Fujimori|former President|Peru"
            ])
        #expect(
            try roles("Iran's Supreme Leader Ayatollah Ali Khamenei spoke in Tehran.") == [
                "Ali Khamenei|Supreme Leader|Iran"
            ])
        // An organisation's possessive before the role ("Google's president").
        #expect(
            try roles("Kent Walker, Google's president of global affairs, said the company would appeal.") == [
                "Kent Walker|president|"
            ])
        // A manager is a person's role, but a bank after "lead manager" stays a bank.
        #expect(try roles("Manchester City manager Pep Guardiola praised his side.") == ["Pep Guardiola|manager|"])
        #expect(
            try linked("The bonds were arranged by lead manager Commerzbank AG.").allSatisfy { $0.type != "PER" })
        #expect(
            try roles("Among them was a retired army general, Mario Vargas, according to court papers.") == [
                "Mario Vargas|army general|"
            ])
        // A portfolio alone is no role ("Veterans Simon and Garfunkel").
        #expect(
            try roles("Veterans Paul Simon and Art Garfunkel toured Europe.").allSatisfy {
                $0.split(separator: "|", omittingEmptySubsequences: false)[1].isEmpty
            })
    }

    /// A person is one actor under the other name an article gives them ("known as", "aka").
    @Test func theNameAPersonIsKnownByIsThatPerson() throws {
        let e = try linked(
            "The army accused Mohamed Hamdan Dagalo, known as Hemedti, of shelling the city. Hemedti denied it.")
        #expect(
            e.filter { $0.type == "PER" }.map { "\($0.text)→\($0.canonical ?? "")" } == [
                "Mohamed Hamdan Dagalo→Mohamed Hamdan Dagalo", "Hemedti→Mohamed Hamdan Dagalo",
                "Hemedti→Mohamed Hamdan Dagalo",
            ])
        // Two names in a list stay two people.
        let two = try linked("Mohamed Hamdan Dagalo, Abdel Fattah al-Burhan and others met in Jeddah.")
        #expect(Set(two.filter { $0.type == "PER" }.compactMap(\.canonical)).count == 2)
    }

    /// Types from the words around a name: a town with an Arabic article after a preposition of place, a platform
    /// the actor table knows, a party before "party", a state before "-flagged".
    @Test func placesPlatformsPartiesAndFlags() throws {
        func typed(_ text: String) throws -> [String] {
            try linked(text).map { "\($0.text)|\($0.type)|\($0.canonical ?? "")" }
        }
        #expect(try typed("Shells hit a camp near El Fasher on Monday.").contains("El Fasher|LOC|El Fasher"))
        #expect(
            try typed("Omar Haddad denied the accusation in a statement on Telegram.").contains(
                "Telegram|MISC|Telegram"))
        #expect(
            try typed("Police dispersed supporters of the ruling Georgian Dream party in Tbilisi.").contains(
                "Georgian Dream|ORG|Georgian Dream"))
        #expect(
            try typed("Rebels attacked a Greek-flagged tanker in the Red Sea.").contains("Greek-flagged|MISC|Greece"))
        // A party after "opposition" or "ruling"; a place the table does not know before "-based" is its canonical
        // name.
        #expect(
            try typed("The plan was criticised by the opposition Social Democrats.").contains(
                "Social Democrats|ORG|Social Democrats"))
        #expect(
            try typed("Shares of the Los Gatos, Zorbania-based company rose.").contains(
                "Zorbania-based|MISC|Zorbania"))
        // Outlets and storms the tagger may take for people.
        let outlets = try typed(
            "Javier Milei was quoted by the Clarin newspaper. Luis Caputo told Radio Mitre it was false.")
        #expect(outlets.contains("Clarin|ORG|Clarin") && outlets.contains("Radio Mitre|ORG|Radio Mitre"))
        #expect(try typed("Hurricane Milton made landfall near Siesta Key.").allSatisfy { !$0.contains("|PER|") })
        // A title before a personal name makes a person of what the tagger typed otherwise, and so is a surname of
        // someone named in full; a Korean or Taiwanese given name makes a person too.
        let justice = try typed(
            "Justice Alexandre de Moraes gave providers five days. Musk called Moraes a dictator. Lai Ching-te took office in May. Lai said he would not back down."
        )
        #expect(!justice.contains { $0.hasSuffix("|ORG|Alexandre de Moraes") || $0.contains("Moraes|ORG") })
        #expect(justice.contains("Moraes|PER|Alexandre de Moraes"))
        #expect(justice.contains("Lai Ching-te|PER|Lai Ching-te") && justice.contains("Lai|PER|Lai Ching-te"))
        #expect(try typed("The Justice Department sued the company.").allSatisfy { !$0.contains("|PER|") })
        // A party is its own, not the institution the actor table knows by the same name.
        #expect(
            try typed("The opposition Congress party accused Narendra Modi's government.").contains(
                "Congress|ORG|Congress"))
        // A surname whose particle is capitalised at a sentence's start is the person named in full with it.
        #expect(
            try typed("Rafael Nadal lost to Botic van de Zandschulp. Van de Zandschulp said he felt sorry.").contains(
                "Van de Zandschulp|PER|Botic van de Zandschulp"))
    }

    @Test func theRoleOfAStateBeforeACommaAndTheName() throws {
        let e = try linked(
            "Foreign Minister of Jordan, Ayman Safadi, arrived in Cairo. Safadi said the talks were useful.")
        let safadi = e.filter { $0.canonical == "Ayman Safadi" }
        #expect(safadi.count == 2)
        #expect(safadi.allSatisfy { $0.role == "Foreign Minister" && $0.country == "Jordan" })
    }

    @Test func facilitiesArePlacesAndSectsAreGroups() throws {
        let e = try linked(
            "Lt. Gen. Samir Kassab visited Al-Asad Air Base on Monday and met Sunni tribal leaders and Shiite clerics near Camp Taji. The Kataib Hezbollah militia rejected it, and the Islamic State insurgency continued in Ninawa. Mosul Dam and the Baiji refinery were not affected. The Rabia crossing reopened in Tal-Afar."
        )
        let type = Dictionary(e.map { ($0.text, $0.type) }, uniquingKeysWith: { a, _ in a })
        let kind = Dictionary(
            e.map { ($0.text, $0.kind ?? "") }, uniquingKeysWith: { a, _ in a })
        for place in ["Al-Asad Air Base", "Camp Taji", "Mosul Dam", "Baiji", "Rabia"] {
            #expect(type[place] == "LOC" && kind[place] == "facility", "\(place): \(type[place] ?? "missing")")
        }
        #expect(type["Tal-Afar"] == "LOC")
        #expect(type["Sunni"] == "MISC" && type["Shiite"] == "MISC")
        // A state before a facility word stays a state.
        let border = try linked("Trucks waited at the Iraq crossing for days.")
        #expect(border.first { $0.text == "Iraq" }.map { $0.type == "LOC" && $0.kind == nil } == true)
    }

    @Test func aTitleAloneIsThePersonNamedBeforeWithIt() throws {
        let e = try linked(
            "Defence Minister Nadia Karimi of Jordan arrived in Amman. The minister said the border would reopen. Brig. Gen. Tarek Salem, the army spokesman, agreed. The Jordanian defence minister later spoke again, but the French minister did not, and the spokesman gave no figures."
        )
        let titles = e.filter { $0.kind == "title" }.map { "\($0.text)→\($0.canonical ?? "")" }
        // Not the apposition "the army spokesman", and not "the French minister": no French minister was named.
        #expect(titles == ["minister→Nadia Karimi", "defence minister→Nadia Karimi", "spokesman→Tarek Salem"])
        let minister = try #require(e.first { $0.kind == "title" })
        #expect(minister.type == "PER" && minister.role == "Defence Minister")
        // Off with titles=false, and nothing to resolve before a person is named.
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities titles=false\nwrite jsonl path=\"-\"\n"
        )
        var d = Document(id: "t", text: "Defence Minister Nadia Karimi arrived. The minister spoke.")
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        #expect(!(d.entities ?? []).contains { $0.kind == "title" })
        #expect(
            !(try linked("The minister spoke. Defence Minister Nadia Karimi arrived.")).contains { $0.kind == "title" })
    }

    /// Titles a tagger kept in a person's name leave it, and a surname found only in a mention the rules made a
    /// person ("State Linda Park", a place to the tagger) is that person where it stands alone untagged.
    @Test func titlesLeaveTheNameAndAPromotedSurnameIsFoundAgain() {
        let words = [
            "Sheikh", "Hamad", "bin", "Khalifa", "met", "Secretary", "of", "State", "Linda", "Park", ".", "Ms.",
            "Duval", "and", "Park", "spoke", ".",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped(
            [mention(0, 4, "PER"), mention(7, 10, "LOC"), mention(11, 13, "PER")], spans: true)
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)|\($0.entity.span.start)|\($0.tokens)" } == [
                "Hamad bin Khalifa|PER|7|1..<4", "Linda Park|PER|48|8..<10", "Duval|PER|65|12..<13",
                "Park|PER|75|14..<15",
            ])
        // Without spans, nothing is added.
        let without = given.retyped([mention(7, 10, "LOC")])
        #expect(without.map(\.entity.text) == ["Linda Park"])
    }

    /// A one-word "person" the actor table knows as a company or product takes that type, unless it is the surname
    /// of someone named in full here or a title comes before it.
    @Test func aCompanyOrProductTaggedAsAPersonTakesItsType() {
        let words = [
            "Sony", "said", "the", "Xbox", "sold", ".", "Anna", "Roche", "met", "Dr.", "Bayer", ";", "Roche", "left",
        ]
        let given = GivenWords(words)
        func mention(_ first: Int, _ end: Int) -> ActorLinker.Mention { given.mention(first, end, "PER") }
        let out = given.retyped([mention(0, 1), mention(3, 4), mention(6, 8), mention(10, 11), mention(12, 13)])
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Sony|ORG", "Xbox|MISC", "Anna Roche|PER", "Bayer|PER", "Roche|PER",
            ])
    }

    /// The typing rules on mentions as a tagger might give them, whatever the built-in model does today.
    @Test func typingRulesOnGivenMentions() {
        let words = [
            "the", "Zarqa", "Front", "militia", "and", "Iraqi", "Kurdish", "rebels", "met", "Islamic", "State", "in",
            "Tal-Afar", "and", "Arab-Israeli", "talks", "near", "Baiji", "refinery", "and", "Sunni",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention(1, 3, "MISC"), mention(5, 7, "MISC"), mention(9, 11, "MISC"), mention(12, 13, "MISC"),
            mention(14, 15, "MISC"), mention(17, 18, "PER"), mention(20, 21, "PER"),
        ])
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)|\($0.entity.kind ?? "")" } == [
                "Zarqa Front|ORG|", "Iraqi Kurdish|MISC|", "Islamic State|ORG|", "Tal-Afar|LOC|", "Arab-Israeli|MISC|",
                "Baiji|LOC|facility", "Sunni|MISC|",
            ])
    }

    @Test func namesAcrossAParticleAreOneAndAPersonToldIsAnOutlet() {
        let words = [
            "near", "Mocimboa", "da", "Praia", ",", "Omar", "Haddad", "told", "the", "Austin", "Courier", "that",
            "Lisbon", "de", "Paris",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention(1, 2, "LOC"), mention(3, 4, "LOC"), mention(5, 7, "PER"), mention(9, 11, "PER"),
            mention(12, 13, "LOC"), mention(14, 15, "PER"),
        ])
        // Only names of one type join across a particle.
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Mocimboa da Praia|LOC", "Omar Haddad|PER", "Austin Courier|ORG", "Lisbon|LOC", "Paris|PER",
            ])
    }

    @Test func arabicPlaceNamesAreWholePlaces() {
        let words = ["near", "Deir", "ez-Zor", "and", "in", "Sharm", "el-Sheikh", ";", "DJ", "Ras", "Kwame", "spoke"]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention(1, 3, "PER"), mention(5, 6, "LOC"), mention(6, 7, "MISC"), mention(9, 11, "PER"),
        ])
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Deir ez-Zor|LOC", "Sharm el-Sheikh|LOC", "Ras Kwame|PER",
            ])
    }

    @Test func aNameBeforeAProductNounIsAProduct() {
        let words = [
            "its", "Blackwell", "chips", ",", "the", "Patriot", "batteries", ",", "U.S.-made", "chips", "and", "Mr",
            "Falcon", "jets",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention(1, 2, "PER"), mention(5, 6, "LOC"), mention(8, 9, "LOC"), mention(12, 13, "PER"),
        ])
        // A compound and a name after an honorific keep their type.
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Blackwell|MISC", "Patriot|MISC", "U.S.-made|LOC", "Falcon|PER",
            ])
    }

    /// Products, criminal groups, people introduced by what they head and organisations by their names' last word or
    /// an apposition, whatever type the tagger gave them; and the guards: a surname after a company's possessive, a
    /// facility after one, an acronym before a reporting clause, a state after its city.
    @Test func productsGangsAndThePeopleWhoHeadThings() {
        let text =
            "the Galaxy S25 and Google 's Gemini ; Bob Wendt met Acme 's Wendt at BP 's Lavera refinery ; the Los "
            + "Choneros gang and a gang known as Rhysida ; TM Roh , head of Acme 's phone unit , said so ; Ann Lee , "
            + "a spokeswoman for the firm , said so ; FCOJ , a spokesman for Acme , said so ; at Counterpoint Research "
            + "; TUI , Europe 's biggest travel company , left Jeju Air in Milan , Ohio , the venture company"
        let words = text.split(separator: " ").map(String.init)
        let given = GivenWords(words)
        let mention: (String, Int, String) -> ActorLinker.Mention = given.mention
        let surname = words.firstIndex(of: "Wendt")! + 4  // "Wendt" after "Acme 's"
        let mentions = [
            mention("Galaxy", 2, "PER"), mention("Google", 1, "ORG"), mention("Gemini", 1, "PER"),
            mention("Bob", 2, "PER"), mention("Acme", 1, "ORG"), given.mention(surname, surname + 1, "PER"),
            mention("BP", 1, "ORG"), mention("Lavera", 1, "PER"), mention("Los", 2, "LOC"),
            mention("Rhysida", 1, "PER"), mention("TM", 2, "MISC"), mention("Ann", 2, "LOC"), mention("FCOJ", 1, "ORG"),
            mention("Counterpoint", 2, "LOC"), mention("TUI", 1, "LOC"), mention("Jeju", 2, "PER"),
            mention("Milan", 1, "LOC"), mention("Ohio", 1, "LOC"),
        ]
        let out = given.retyped(mentions)
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Galaxy S25|MISC", "Google|ORG", "Gemini|MISC", "Bob Wendt|PER", "Acme|ORG", "Wendt|PER", "BP|ORG",
                "Lavera|LOC", "Los Choneros|ORG", "Rhysida|ORG", "TM Roh|PER", "Ann Lee|PER", "FCOJ|ORG",
                "Counterpoint Research|ORG", "TUI|ORG", "Jeju Air|ORG", "Milan|LOC", "Ohio|LOC",
            ])
    }

    @Test func anAppositionNamingAnOrganisationMakesOne() {
        let words = [
            "Georgian", "Dream", ",", "the", "ruling", "party", ",", "won", ";", "Omar", "Haddad", ",", "an", "airline",
            "analyst", ",", "and", "Kestrel", ",", "the", "company", "said",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([mention(0, 2, "MISC"), mention(9, 11, "PER"), mention(17, 18, "PER")])
        // Not a modifier of another noun ("an airline analyst"), nor a reporting clause (", the company said").
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Georgian Dream|ORG", "Omar Haddad|PER", "Kestrel|PER",
            ])
    }

    @Test func anAbbreviatedRankIsFoundAgainByItsNoun() throws {
        let e = try linked(
            "Adm. Christopher Grady met Japanese officials in Tokyo. The admiral said the alliance was strong.")
        #expect(
            e.first { $0.kind == "title" }.map { "\($0.text)→\($0.canonical ?? "")" } == "admiral→Christopher Grady")
    }

    @Test func aNameBeforeALowerCasePlaceNounIsAPlace() {
        let words = [
            "in", "Cabo", "Delgado", "province", ",", "the", "East", "German", "town", "and", "the", "USDA", "state",
            "report", "near", "Manchester", "City",
        ]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention(1, 3, "PER"), mention(6, 8, "MISC"), mention(11, 12, "ORG"), mention(15, 16, "ORG"),
        ])
        // An adjective, an acronym and a name before a capitalised word keep their type.
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Cabo Delgado|LOC", "East German|MISC", "USDA|ORG", "Manchester|ORG",
            ])
    }

    /// Appositions and titles that make a person, a portfolio that is part of a title, a party that is not, and a
    /// natural feature's name, on mentions as a tagger might give them.
    @Test func appositionsTitlesPortfoliosAndNaturalFeatures() {
        let text =
            "Al-Masri , the interior minister , said Defence Secretary John Healey and Labour MP Ann Cole met Chief "
            + "executive Han Jong-hee near Brenner Pass in Malibu , California , a spokesman said ; Citizens and Canal "
            + "and the official Iraqi News Agency and 30 Boko Haram fighters"
        let words = text.split(separator: " ").map(String.init)
        let given = GivenWords(words)
        let mention: (String, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([
            mention("Al-Masri", 1, "LOC"), mention("Defence", 1, "ORG"), mention("John", 2, "PER"),
            mention("Labour", 1, "ORG"), mention("Ann", 2, "PER"), mention("Han", 2, "MISC"),
            mention("Brenner", 2, "ORG"), mention("Malibu", 1, "LOC"), mention("California", 1, "LOC"),
            mention("Citizens", 3, "ORG"), mention("Iraqi", 3, "ORG"), mention("Boko", 2, "PER"),
        ])
        #expect(
            out.map { "\($0.entity.text)|\($0.entity.type)" } == [
                "Al-Masri|PER", "John Healey|PER", "Labour|ORG", "Ann Cole|PER", "Han Jong-hee|PER", "Brenner Pass|LOC",
                "Malibu|LOC", "California|LOC", "Citizens and Canal|ORG", "Iraqi News Agency|ORG", "Boko Haram|ORG",
            ])
    }

    /// A name after or starting with an honorific is a person, whatever type the tagger gave it (`Mr Donaldson` as an
    /// organisation at a sentence start); `DR Congo` is no honorific.
    @Test func aNameAfterAnHonorificIsAPerson() {
        let words = ["Mr", "Donaldson", "met", "Dr", "Okafor", "in", "DR", "Congo", "."]
        let given = GivenWords(words)
        let mention: (Int, Int, String) -> ActorLinker.Mention = given.mention
        let out = given.retyped([mention(0, 2, "ORG"), mention(4, 5, "ORG"), mention(6, 8, "LOC")])
        #expect(out.map { "\($0.entity.text)|\($0.entity.type)" } == ["Donaldson|PER", "Okafor|PER", "DR Congo|LOC"])
    }

    /// A storm's name is no person, a name before "refugee camp" is a place, and a company named with its legal form
    /// is the one named without it.
    @Test func stormsCampsAndLegalForms() {
        let linker = ActorLinker(index: ActorIndex(ActorTable.builtIn))
        let words = [
            "Hurricane", "Otis", "hit", "the", "Jenin", "refugee", "camp", ";", "Halvor", "Group", "and", "Halvor",
            "Mining", "Corp.", "said", "Halvor", "lost", ".",
        ]
        let mention: (Int, Int, String) -> ActorLinker.Mention = GivenWords(words).mention
        let out = linker.link(
            [
                mention(1, 2, "PER"), mention(4, 5, "MISC"), mention(8, 10, "ORG"), mention(11, 14, "ORG"),
                mention(15, 16, "ORG"),
            ], token: { words[$0] }, count: words.count)
        #expect(
            out.map { "\($0.text)|\($0.type)|\($0.canonical ?? "")" } == [
                "Otis|MISC|Otis", "Jenin|LOC|Jenin", "Halvor Group|ORG|Halvor",
                "Halvor Mining Corp.|ORG|Halvor Mining Corp.", "Halvor|ORG|Halvor",
            ])
    }

    /// A name's first and last words and their count, as splitting it at spaces gives them.
    @Test func wordViewMatchesSplittingAtSpaces() {
        for text in ["", "one", "Al-Asad Air Base", "  two  spaces ", "São Paulo", " x"] {
            let words = text.split(separator: " ")
            let view = WordView(text)
            #expect(view.count == words.count && view.first == (words.first ?? "") && view.last == (words.last ?? ""))
        }
    }

    /// An honorific is the role of a person who has no other (`Sir Keir Starmer`), never part of the name; a role
    /// found at another mention wins over it.
    @Test func anHonorificIsTheRoleWhenThereIsNoOther() throws {
        let entities = try linked(
            "Sir Alan Reed met Mrs Nora Quist in London. Prime Minister Nora Quist said Mr Reed had been helpful.")
        let people = entities.filter { $0.type == "PER" && $0.kind == nil }
        #expect(
            people.map { "\($0.text)|\($0.canonical ?? "")|\($0.role ?? "")" } == [
                "Alan Reed|Alan Reed|Sir", "Nora Quist|Nora Quist|Prime Minister",
                "Nora Quist|Nora Quist|Prime Minister",
                "Reed|Alan Reed|Sir",
            ])
    }

    @Test func aSurnameIsThePersonLastNamedInFullBeforeIt() throws {
        // Two people sharing a surname: each surname-only mention is the one named in full most recently before it,
        // not the one named last in the article.
        let e = try linked(
            "Detective Inspector Sarah Jones said the victim was stable. Jones said officers were questioning a third man, Mark Jones. Mark Jones was later released, and Jones thanked the public."
        )
        let people = e.filter { $0.type == "PER" && $0.kind == nil }
        #expect(
            people.map { "\($0.text)→\($0.canonical ?? "")" } == [
                "Sarah Jones→Sarah Jones", "Jones→Sarah Jones", "Mark Jones→Mark Jones", "Mark Jones→Mark Jones",
                "Jones→Mark Jones",
            ])
        // Named in full only after the surname: that person.
        let later = try linked("Kassab arrived first. Samir Kassab later said the talks went well.")
        #expect(later.filter { $0.type == "PER" }.map { $0.canonical ?? "" } == ["Samir Kassab", "Samir Kassab"])
    }

    @Test func aMinistryOrDepartmentInsideARoleStaysButNeverEndsIt() throws {
        let e = try linked(
            "\"We are close,\" Majed Hamdan, a foreign ministry spokesman, told reporters. State Department spokeswoman Laura Kent agreed. The energy ministry Omar Nabil said nothing."
        )
        let roles = Dictionary(
            e.filter { $0.type == "PER" }.map { ($0.text, $0.role ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(roles["Majed Hamdan"] == "foreign ministry spokesman")
        #expect(roles["Laura Kent"] == "State Department spokeswoman")
        #expect(roles["Omar Nabil"] == "")
    }

    @Test func anAppositionIsARoleOnlyWithARoleNounAndMayNameAnOrganisation() throws {
        let e = try linked(
            "Michel Barnier, a former Brexit negotiator, must form a government. Anna Lind, a Labour MP, agreed. Tom Hale, a former, said nothing."
        )
        let roles = Dictionary(
            e.filter { $0.type == "PER" }.map { ($0.text, $0.role ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(roles["Michel Barnier"] == "former Brexit negotiator")
        #expect(roles["Anna Lind"] == "Labour MP")
        #expect(roles["Tom Hale"] == "")
        // Roles outside politics: a lawyer, a coach, a founder.
        let lawyer = try linked("His lawyer, Jeremie Assous, said he would appeal. Coach Andy Reid agreed.")
        #expect(lawyer.first { $0.text == "Jeremie Assous" }?.role == "lawyer")
        #expect(lawyer.first { $0.text == "Andy Reid" }?.role == "Coach")
        // The holder's possessive before the role.
        let cook = try linked("Tim Cook, the company's chief executive, spoke on Monday.")
        #expect(cook.first { $0.text == "Tim Cook" }?.role == "chief executive")
        // After the role's noun a name ends it: the organisation is not cut in half.
        let chair = try linked("Omar Haddad, chairman of the Council of Economic Advisers, spoke.")
        #expect(chair.first { $0.text == "Omar Haddad" }?.role == "chairman")
    }

    @Test func acronymsLinkToTheOrganisationNamedInFull() throws {
        let e = try linked("The Global Water Partnership Alliance met. GWPA said more was needed.")
        let acronym = e.first { $0.text == "GWPA" }
        #expect(acronym == nil || acronym?.canonical == "Global Water Partnership Alliance")
    }

    @Test func aUsersAliasFileAddsActors() throws {
        let dir = try TempDir()
        let file = try dir.write("more.tsv", "# mine\nNorthern Alliance Front\tORG\tNAF|the Front\t\t\n")
        let e = try linked("NAF fighters clashed with the army.", aliases: file)
        #expect(e.first { $0.text == "NAF" }?.canonical == "Northern Alliance Front")
        let bad = try dir.write("bad.tsv", "Only one column\n")
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(text: "extract entities aliases=\"\(bad)\"\n", file: "t.pipe"),
            settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens]))
        #expect(o.diagnostics.first?.message.contains("\(bad):1: expected CANONICAL<TAB>TYPE") == true)
    }

    @Test func actorFileFormatErrors() {
        #expect(throws: StageConfigurationError.self) { try ActorTable(text: "Iraq\tCOUNTRY\t\n", file: "x.tsv") }
        let t = try? ActorTable(text: "# c\n\nIraq\tLOC\tRepublic of Iraq\tIraqi|Iraqis\tBaghdad\n", file: "x.tsv")
        #expect(
            t?.entries == [
                .init(
                    canonical: "Iraq", type: "LOC", names: ["Republic of Iraq"], adjectives: ["Iraqi", "Iraqis"],
                    seats: ["Baghdad"])
            ])
        let crlf = try? ActorTable(
            text: "# c\r\n\r\nIraq\tLOC\t Republic of Iraq \tIraqi | Iraqis\tBaghdad\r\n", file: "x.tsv")
        #expect(crlf?.entries == t?.entries)
        #expect(ActorIndex.key("the U.S.'s") == "us")
        #expect(ActorTable.builtIn.entries.count > 250)
    }

    @Test func keysAndTheirShortcutsAgreeWithTheWritingsTheyNormalise() {
        let cases: [(String, String)] = [
            ("the U.S.'s", "us"), ("The  Kremlin's", "kremlin"), ("Kremlin\u{2019}s", "kremlin"),
            ("Reuters'", "reuters"),
            ("the", "the"), ("the 's", ""), ("...", ""), ("'s", ""), ("THE ", "the"), ("Seth", "seth"),
            ("the\nhe", "he"),
            ("Café  Lumière", "café lumière"), ("S.A.", "sa"),
        ]
        for (text, key) in cases {
            #expect(ActorIndex.key(text) == key, "\(text)")
            #expect(ActorIndex.hasEmptyKey(text) == key.isEmpty, "\(text)")
        }
        for (text, capitals) in [
            ("BAGHDAD", true), ("U.S.", true), ("Baghdad", false), ("ÉCOLE", true), ("École", false),
        ] {
            #expect(ActorLinker.isAllCapitals(text) == capitals, "\(text)")
        }
        #expect(ActorLinker.initials("International Atomic Energy Agency") == "IAEA")
        #expect(ActorLinker.initials("Organisation  of the Petroleum Exporting Countries") == "OPEC")
        #expect(ActorLinker.initials("Ørsted Wind Power") == "ØWP")
    }
}

/// Words one space apart, and mentions of them as a tagger might give them (for the linker's rules).
struct GivenWords {
    let words: [String]
    /// Each word's start, in Unicode scalars.
    let offsets: [Int]

    init(_ words: [String]) {
        self.words = words
        var offsets: [Int] = []
        var at = 0
        for w in words {
            offsets.append(at)
            at += w.unicodeScalars.count + 1
        }
        self.offsets = offsets
    }

    /// The span of word `i`.
    func span(_ i: Int) -> Span { Span(start: offsets[i], end: offsets[i] + words[i].unicodeScalars.count) }

    /// `mentions` retyped by the built-in actor table's linker, with word spans when `spans` (so that surnames it
    /// promotes are found again where they stand untagged).
    func retyped(_ mentions: [ActorLinker.Mention], spans: Bool = false) -> [ActorLinker.Mention] {
        ActorLinker(index: ActorIndex(ActorTable.builtIn)).retyped(
            mentions, token: { words[$0] }, count: words.count, span: spans ? { self.span($0) } : nil)
    }

    /// Words `first..<end` as one mention of `type`.
    func mention(_ first: Int, _ end: Int, _ type: String) -> ActorLinker.Mention {
        let text = words[first..<end].joined(separator: " ")
        return .init(
            entity: Entity(
                span: Span(start: offsets[first], end: offsets[first] + text.unicodeScalars.count), text: text,
                type: type), tokens: first..<end)
    }

    /// `n` words from the first `word` as one mention of `type`.
    func mention(_ word: String, _ n: Int, _ type: String) -> ActorLinker.Mention {
        let i = words.firstIndex(of: word)!
        return mention(i, i + n, type)
    }
}
