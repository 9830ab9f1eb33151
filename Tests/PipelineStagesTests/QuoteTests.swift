import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Quotes of `text` as "kind|speaker|text", or "kind|speaker|outlet|text" with `outlets`.
func quotes(_ text: String, outlets: Bool = false) throws -> [String] {
    let p = try builtPipeline(
        "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities\nextract quotes\nwrite jsonl path=\"-\"\n"
    )
    var d = Document(id: "t", text: text)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return (d.quotes ?? []).map { q in
        "\(q.attributes["kind"]?.stringValue ?? "?")|\(q.speaker ?? "-")|\(outlets ? "\(q.outlet ?? "-")|" : "")\(q.text)"
    }
}

@Suite struct QuoteTests {
    @Test func straightAndCurlyQuotesWithTheSpeakerAfterOrBefore() throws {
        #expect(
            try quotes("\"We will rebuild the bridge,\" said Governor Maria Lopez.") == [
                "direct|Maria Lopez|We will rebuild the bridge"
            ])
        #expect(
            try quotes("Maria Lopez told reporters: “The bridge will open in May.”") == [
                "direct|Maria Lopez|The bridge will open in May."
            ])
    }

    @Test func aReportingVerbWithAPlainObjectReportsNoSpeech() throws {
        // "announced the plan", "reported a loss", "denied the charges": an object, not what was said; before a
        // clause the same verbs report speech.
        #expect(
            try quotes(
                "Brad Smith announced the plan at an event in Mexico City. Smith said the money would go to data centres."
            ) == ["reported|Brad Smith|the money would go to data centres"])
        #expect(try quotes("In October, Northwind Corp reported a net loss of 4 million dollars.") == [])
        #expect(try quotes("Omar Haddad denied the charges of fraud and conspiracy.") == [])
        #expect(
            try quotes("Northwind Corp announced it would close two factories in Wales.") == [
                "reported|Northwind Corp|it would close two factories in Wales"
            ])
        #expect(
            try quotes("Omar Haddad denied that he had met the minister in Cairo.") == [
                "reported|Omar Haddad|he had met the minister in Cairo"
            ])
    }

    @Test func theAudienceOfToldIsNotWhatWasSaid() throws {
        #expect(
            try quotes("Jensen Huang, the chief executive, told analysts that demand was strong.") == [
                "reported|Jensen Huang|demand was strong"
            ])
        #expect(
            try quotes("Omar Haddad told the court on Monday that he had never met the minister.") == [
                "reported|Omar Haddad|he had never met the minister"
            ])
        #expect(
            try quotes("Daniel Ek told staff in a memo that the decision was difficult.") == [
                "reported|Daniel Ek|the decision was difficult"
            ])
    }

    @Test func reportedSpeechWithTheAttributionAfterIt() throws {
        #expect(
            try quotes(
                "Rwandan troops have helped retake the port town, said Col. Ronald Rwivanga, a spokesman for the army.")
                == ["reported|Ronald Rwivanga|Rwandan troops have helped retake the port town"])
        // A name that goes on into the clause is what was said about, not who said it.
        #expect(
            try quotes("Prices would rise, said Omar Haddad's adviser in Cairo.").allSatisfy {
                !$0.contains("Omar Haddad|")
            })
    }

    @Test func aNameInQuotationMarksAndAPlaceBeforeTheVerb() throws {
        // "known as "Barbecue"": a name, even with a speech verb in the sentence.
        #expect(
            try quotes(
                "In Port-au-Prince, gang leader Jimmy Cherizier, known as \"Barbecue\", said his coalition would fight on."
            )
                == ["reported|Jimmy Cherizier|his coalition would fight on"])
        // "Police in Ohio said": the place is not the speaker; the organisation before it is.
        #expect(
            try quotes("Police in Ohio said a man had been arrested near the store.") == [
                "reported|-|a man had been arrested near the store"
            ])
        #expect(
            try quotes("The Federal Emergency Management Agency in Miami said the storm had weakened overnight.") == [
                "reported|Federal Emergency Management Agency|the storm had weakened overnight"
            ])
    }

    /// A direct quote inside a person's reported speech is the person's; a name in quotation marks before what it
    /// names, with no speaker, is no quotation; a company described by its nationality is the one named most.
    @Test func fragmentsNamesAndDescribedCompanies() throws {
        #expect(
            try quotes(
                "Archbishop Jose Ornelas, who heads the Portuguese Episcopal Conference, said the church had been \"too slow\" to listen."
            ) == [
                "reported|Jose Ornelas|the church had been \"too slow\" to listen", "direct|Jose Ornelas|too slow",
            ])
        #expect(
            try quotes("Organisers said a \"digital Kumbh\" app would help families find lost relatives.") == [])
        #expect(
            try quotes(
                "Northwind Corp unveiled a phone on Thursday. The South Korean company said the phone would go on sale in February."
            ) == ["reported|Northwind Corp|the phone would go on sale in February"])
        #expect(
            try quotes(
                "Northwind Corp will cut 10,000 jobs. The Redmond, Washington-based company said it would take a charge."
            ) == ["reported|Northwind Corp|it would take a charge"])
        // "the state" after the verb is what was said ("said on state television" is where); a number after "added"
        // is its object, and the attribution is at the sentence's end.
        #expect(
            try quotes("Governor Ann Cole said the state had deployed 400 police officers.") == [
                "reported|Ann Cole|the state had deployed 400 police officers"
            ])
        // A union or party after its name is that name's; a number right after the verb is what was said.
        #expect(
            try quotes("The CGT union said 40 percent of primary teachers had walked out.") == [
                "reported|CGT|40 percent of primary teachers had walked out"
            ])
        #expect(
            try quotes("Northwind Corp added 19 million subscribers, the company said on Tuesday.") == [
                "reported|Northwind Corp|Northwind Corp added 19 million subscribers"
            ])
    }

    @Test func aQuoteSplitByItsAttributionKeepsOneSpeaker() throws {
        #expect(
            try quotes("\"We need results,\" Omar Haddad said, \"not promises.\"") == [
                "direct|Omar Haddad|We need results", "direct|Omar Haddad|not promises.",
            ])
    }

    @Test func aQuoteOverSeveralParagraphs() throws {
        let text =
            "\"The talks were long,\" said envoy Claire Duval. \"We made progress on water.\n\n\"The next round is in March.\""
        let q = try quotes(text)
        #expect(q.count == 3)
        #expect(q.allSatisfy { $0.hasPrefix("direct|Claire Duval|") })
        #expect(q.last == "direct|Claire Duval|The next round is in March.")
    }

    @Test func pronounsAndRolesResolveToThePersonNamedBefore() throws {
        let q = try quotes(
            "Defence Minister Haider Jaber met the delegation. \"It was frank,\" he said. \"We agreed on a plan,\" the minister said."
        )
        #expect(q == ["direct|Haider Jaber|It was frank", "direct|Haider Jaber|We agreed on a plan"])
    }

    @Test func twoStatementsJoinedByASemicolonAreTwoQuotes() throws {
        #expect(
            try quotes(
                "Col. Sami Younes of the police said the vote was calm; Col. Younes added that turnout was high.") == [
                    "reported|Sami Younes|the vote was calm", "reported|Sami Younes|turnout was high",
                ])
        // A semicolon inside what one person said stays in it.
        #expect(
            try quotes("Omar Haddad said the talks were long; the result was good for both sides.") == [
                "reported|Omar Haddad|the talks were long; the result was good for both sides"
            ])
    }

    @Test func reportedSpeech() throws {
        #expect(
            try quotes("Amnesty International said on Monday that investors risked profiting from seized property.")
                == ["reported|Amnesty International|investors risked profiting from seized property"])
        #expect(
            try quotes("The talks collapsed on Friday, according to Omar Haddad.") == [
                "reported|Omar Haddad|The talks collapsed on Friday"
            ])
        #expect(
            try quotes("Salaries will be paid within ten days, Finance Minister Suha Najjar said.") == [
                "reported|Suha Najjar|Salaries will be paid within ten days"
            ])
        #expect(try quotes("Officials said the road would reopen soon.") == ["reported|-|the road would reopen soon"])
    }

    /// Who is not the speaker: the next sentence's subject after "according to" a source that names no one, the
    /// person a lawyer speaks for, and the subject of a verb with a plain object before the attribution.
    @Test func theSourceAndTheSpeakerAreWhoTheSentenceNames() throws {
        #expect(
            try quotes(
                "Among them was a retired general, Mario Vargas, according to court documents. Lula Reis thanked the police."
            )
                == ["reported|-|Among them was a retired general, Mario Vargas"])
        #expect(
            try quotes("A court sentenced Fatih Demir to prison. Demir's lawyer said they would appeal.") == [
                "reported|-|they would appeal"
            ])
        #expect(
            try quotes("Omar Haddad stressed the need for an immediate ceasefire, the official Qatar News Agency said.")
                == ["reported|Qatar News Agency|Omar Haddad stressed the need for an immediate ceasefire"])
        #expect(try quotes("Omar Haddad stressed the need for an immediate ceasefire.") == [])
        // The attribution at the sentence's end reports the whole of it, a claim included.
        #expect(
            try quotes("The rebels claimed an attack that killed 12 soldiers, the army's media wing said.") == [
                "reported|-|The rebels claimed an attack that killed 12 soldiers"
            ])
        // "The Spaniard", "the billionaire": the person the article has named most so far (ties: the first named).
        #expect(
            try quotes(
                "Rafael Nadal lost to Botic van de Zandschulp on Tuesday. \"It was an emotional day,\" the Spaniard told reporters."
            ) == ["direct|Rafael Nadal|It was an emotional day"])
        #expect(
            try quotes(
                "Elon Musk wrote on X that Tesla would cut prices. The billionaire, who also owns SpaceX, said demand remained strong."
            ) == [
                "reported|Elon Musk|Tesla would cut prices", "reported|Elon Musk|demand remained strong",
            ])
        // A person's office speaks for the person; the office after another name and a comma is someone else's.
        #expect(
            try quotes("President William Ruto's office said on Monday he would travel to Washington.") == [
                "reported|William Ruto|he would travel to Washington"
            ])
        #expect(
            try quotes("Marcel Masse will meet his counterpart, Neil Webber, his office announced.").allSatisfy {
                !$0.hasPrefix("reported|Neil Webber|")
            })
        // A ruling's setting before "that"; a player described; a centre that speaks unnamed.
        #expect(
            try quotes("Judge Amit Mehta wrote in his 277-page decision that Google was a monopolist.") == [
                "reported|Amit Mehta|Google was a monopolist"
            ])
        #expect(
            try quotes(
                "England captain Ben Stokes spoke after the defeat. \"We're not going to change,\" the all-rounder said."
            )
                == ["direct|Ben Stokes|We're not going to change"])
        #expect(
            try quotes("At least 2,000 people were buried in a landslide, the country's disaster centre said.") == [
                "reported|-|At least 2,000 people were buried in a landslide"
            ])
        // "was quoted as saying by the outlet": the person's words, told to the outlet.
        #expect(
            try quotes(
                "President Javier Milei was quoted as saying by the Clarin newspaper that the peso would float freely.",
                outlets: true) == ["reported|Javier Milei|Clarin|the peso would float freely"])
        #expect(try quotes("Omar Haddad was quoted as saying in press reports.") == [])
        // "The company said": the organisation the article has named most so far, not the underwriter named last.
        #expect(
            try quotes(
                "Northwind Corp is selling 2 million shares. Northwind Corp hired Brightwater Securities Inc to manage the offering. The company said it would use the money to cut debt."
            ) == ["reported|Northwind Corp|it would use the money to cut debt"])
        // Where it was said is not what was said; an unnamed service or force may speak.
        #expect(try quotes("The bank said in its weekly review.") == [])
        // … but what comes before the attribution is ("CONTENT, X said in a report", "told employees in a memo").
        #expect(
            try quotes(
                "Northwind Corp will cut 10,000 jobs by March, Chief Executive Ann Cole told employees in a memo on Wednesday."
            ) == ["reported|Ann Cole|Northwind Corp will cut 10,000 jobs by March"])
        #expect(try quotes("The singer told reporters at the MTV Europe Awards in Rome.") == [])
        #expect(
            try quotes("Our forces shot down 23 of 30 drones launched overnight, the air force said.") == [
                "reported|-|Our forces shot down 23 of 30 drones launched overnight"
            ])
        // A reporting verb with no comma before it is the verb of what was reported; a "that" opens a clause.
        #expect(
            try quotes("The Tanjug news agency reported last night the government said the law would be amended.")
                == ["reported|Tanjug|the government said the law would be amended"])
        #expect(
            try quotes(
                "Omar Haddad predicted that the industry, which reported a profit of 13 billion dollars in 1986 and again in 1987, would grow."
            )
                == [
                    "reported|Omar Haddad|the industry, which reported a profit of 13 billion dollars in 1986 and again in 1987, would grow"
                ])
    }

    /// The speaker is the subject of the reporting verb nearest the quote, and "said" before a quote opens a clause
    /// whose subject is not the speaker.
    @Test func theNearestReportingVerbsSubjectSpeaks() throws {
        #expect(
            try quotes(
                "Moscow condemned the move, and the Kremlin spokesman Dmitry Peskov said it would \"prolong the conflict\"."
            ) == ["direct|Dmitry Peskov|prolong the conflict"])
        #expect(
            try quotes("Mr Donaldson said the Securities Commission would \"consider every option\" next year.")
                == [
                    "reported|Donaldson|the Securities Commission would \"consider every option\" next year",
                    "direct|Donaldson|consider every option",
                ])
        // A place after a preposition modifies the name before it, which speaks.
        #expect(
            try quotes("The National Weather Center in Miami warned of \"catastrophic damage to homes and roads.\"")
                .contains("direct|National Weather Center|catastrophic damage to homes and roads."))
        // What was said ends at ", while", which opens another's clause.
        #expect(
            try quotes("The chancellor Karl Brandt said Berlin wanted closer ties, while Rome remained cautious.")
                == ["reported|Karl Brandt|Berlin wanted closer ties"])
        // A place or a setting between the verb and "that" is not what was said.
        #expect(
            try quotes("Maj. Gen. Edward Buba told reporters in Abuja that the operation was continuing.")
                == ["reported|Edward Buba|the operation was continuing"])
        #expect(
            try quotes("Ayatollah Hossein Nouri said in a sermon that the country would stay united.")
                == ["reported|Hossein Nouri|the country would stay united"])
        // After the quote, "said X" is still the inverted attribution.
        #expect(
            try quotes("\"We will consider every option,\" said Karim Haddad.")
                == ["direct|Karim Haddad|We will consider every option"])
    }

    @Test func theOneWhoTellsIsTheSpeakerAndTheOneToldTheOutlet() throws {
        // The agency after "told" is the listener: not the speaker, and not a quote of its own.
        #expect(
            try quotes(
                "\"We will not accept foreign bases on our soil,\" Defence Minister Karim Haddad told the state-run Kuna news agency on Sunday.",
                outlets: true) == ["direct|Karim Haddad|Kuna|We will not accept foreign bases on our soil"])
        #expect(
            try quotes(
                "Foreign Minister Leila Nasser told Reuters that the talks would resume next week.", outlets: true)
                == ["reported|Leila Nasser|Reuters|the talks would resume next week"])
        #expect(
            try quotes("The talks will resume next week, Leila Nasser told Reuters on Sunday.", outlets: true) == [
                "reported|Leila Nasser|Reuters|The talks will resume next week"
            ])
        // A newspaper the tagger may call MISC is still the outlet when "newspaper" follows it.
        #expect(
            try quotes(
                "Chief executive Anna Vogel told the Handelsblatt newspaper that demand had doubled.", outlets: true)
                == ["reported|Anna Vogel|Handelsblatt|demand had doubled"])
        // Reporters are not an outlet; "said" names no listener.
        #expect(
            try quotes("\"The border will stay open,\" Omar Haddad told reporters in Amman.", outlets: true) == [
                "direct|Omar Haddad|-|The border will stay open"
            ])
    }

    @Test func theTitleAloneIsThePersonNamedBeforeWithIt() throws {
        #expect(
            try quotes("Iraq's Minister of Migration, Evan Jabro, visited the camp. The minister said aid had arrived.")
                == ["reported|Evan Jabro|aid had arrived"])
    }

    @Test func aShortPhraseInQuotationMarksThatNoOneSaidIsNotAQuote() throws {
        #expect(
            try quotes("The company called its new phone a \"game changer\" and its shares rose 3 percent.").isEmpty)
        #expect(try quotes("Critics dismissed the plan as \"smoke and mirrors\" on Monday.").isEmpty)
        #expect(try quotes("Tickets for \"The Long Night\" sold out in an hour.").isEmpty)
        // Said by someone, even unnamed, or a whole sentence: a quote.
        #expect(
            try quotes("A Western diplomat said the move sent \"the wrong message\" to Tehran.").contains(
                "direct|-|the wrong message"))
        #expect(try quotes("Then came the answer: \"No.\"") == ["direct|-|No."])
        // After a speaker's quote in the same paragraph, a label is still no quote of theirs.
        #expect(
            try quotes("\"Prices will fall,\" Anna Vogel said. Analysts called the launch a \"quiet revolution\".")
                == ["direct|Anna Vogel|Prices will fall"])
    }
}
