import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Quotes of `text` as "kind|speaker|text".
func quotes(_ text: String) throws -> [String] {
    let p = try builtPipeline(
        "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities\nextract quotes\nwrite jsonl path=\"-\"\n"
    )
    var d = Document(id: "t", text: text)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return (d.quotes ?? []).map { q in
        "\(q.attributes["kind"]?.stringValue ?? "?")|\(q.speaker ?? "-")|\(q.text)"
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
}
