import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Splits `text` and returns the sentence strings.
func sentences(_ text: String, _ mode: SentenceSplitter.NewlineMode = .auto) -> [String] {
    var t = text
    return t.withUTF8 { buf in
        SentenceSplitter(newlines: mode).split(buf).map {
            String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self)
        }
    }
}

@Suite struct SentenceSplitterTests {
    @Test func titlesAndMilitaryRanksDoNotEndSentences() {
        #expect(
            sentences("Mr. Jaber met Dr. Amina Diallo. Maj. Gen. Qais Mahdi spoke. Sen. Ford agreed.") == [
                "Mr. Jaber met Dr. Amina Diallo.", "Maj. Gen. Qais Mahdi spoke.", "Sen. Ford agreed.",
            ])
    }

    @Test func dottedAcronymsEndASentenceOnlyBeforeAnOpener() {
        #expect(
            sentences("Troops left the U.S. base. The U.N. Security Council met.") == [
                "Troops left the U.S. base.", "The U.N. Security Council met.",
            ])
        #expect(
            sentences("He flew to the U.S. The talks begin today.") == [
                "He flew to the U.S.", "The talks begin today.",
            ])
        #expect(sentences("U.S. President Smith arrived.") == ["U.S. President Smith arrived."])
    }

    @Test func initialsDecimalsAndNumbers() {
        #expect(
            sentences("John F. Kennedy was shot. Output rose 5.93 pct to 1,250.5 tonnes. It fell.") == [
                "John F. Kennedy was shot.", "Output rose 5.93 pct to 1,250.5 tonnes.", "It fell.",
            ])
        #expect(
            sentences("Prices were set on Feb. 26 by No. 5 Ltd. in Oslo.") == [
                "Prices were set on Feb. 26 by No. 5 Ltd. in Oslo."
            ])
    }

    @Test func quotesAndBracketsAfterTheFullStop() {
        #expect(
            sentences(#""We will win." The minister left. (He did not say more.) Then "Why?" he asked."#) == [
                #""We will win.""#, "The minister left.", "(He did not say more.)", #"Then "Why?" he asked."#,
            ])
        #expect(
            sentences("“Stability matters.” Mr. Obeidi said so.") == ["“Stability matters.”", "Mr. Obeidi said so."])
    }

    @Test func ellipses() {
        #expect(
            sentences("Demand slowed... but stocks held. Prices fell... Traders waited.") == [
                "Demand slowed... but stocks held.", "Prices fell...", "Traders waited.",
            ])
        #expect(sentences("It waited… Then it moved.") == ["It waited…", "Then it moved."])
    }

    @Test func headlinesAndDatelinesWithoutAFullStop() {
        #expect(
            sentences("SOCCER - JAPAN WIN\nLONDON 1996-08-30\nJapan won 2-1 on Friday.") == [
                "SOCCER - JAPAN WIN", "LONDON 1996-08-30", "Japan won 2-1 on Friday.",
            ])
        #expect(
            sentences("Iraq signs deal\n\nBAGHDAD, Nov 20 (PSW) - Iraq signed a deal. It is big.") == [
                "Iraq signs deal", "BAGHDAD, Nov 20 (PSW) - Iraq signed a deal.", "It is big.",
            ])
    }

    @Test func hardWrappedTextJoinsLines() {
        let text = """
            OIL PRICES RISE
            Showers continued throughout the week in
            the Bahia zone, alleviating the drought since early
            January and improving prospects for the coming harvest,
            the review said.
                The dry period means the crop will be late this year.
            """
        #expect(
            sentences(text) == [
                "OIL PRICES RISE",
                "Showers continued throughout the week in\nthe Bahia zone, alleviating the drought since early\nJanuary and improving prospects for the coming harvest,\nthe review said.",
                "The dry period means the crop will be late this year.",
            ])
        #expect(sentences("a\nb", .always) == ["a", "b"])
        #expect(sentences("One line\nsame sentence.\n\nNew one.", .never) == ["One line\nsame sentence.", "New one."])
    }

    @Test func tokenisedTextAndListNumbers() {
        #expect(
            sentences("He won , \" he said . \"\nNext one .\n1. Anthony Washington ( U.S. ) 68.44\n2. Vasily") == [
                "He won , \" he said . \"", "Next one .", "1. Anthony Washington ( U.S. ) 68.44", "2. Vasily",
            ])
    }

    @Test func lowerCaseContinuationIsNotABoundary() {
        #expect(sentences("Sales rose 5 pct. vs a year ago, it said.") == ["Sales rose 5 pct. vs a year ago, it said."])
        #expect(sentences("Visit example.com today. Thanks.") == ["Visit example.com today.", "Thanks."])
    }

    @Test func stageEmitsCodePointOffsets() throws {
        let stage = try SentencesStage(
            options: StageOptions(values: ["newlines": .string("auto")]), context: StageContext())
        var d = Document(id: "x", text: "Éric a dit « oui ». Très bien. 😀 Fin.")
        try stage.process(&d)
        let parts = d.sentences!.map { d.text.slice($0) }
        #expect(parts == ["Éric a dit « oui ».", "Très bien.", "😀 Fin."])
        #expect(d.sentences![1] == Span(start: 20, end: 30))
    }

    @Test func emptyAndBlankTexts() {
        #expect(sentences("") == [])
        #expect(sentences("  \n\n ") == [])
        #expect(sentences("No final stop") == ["No final stop"])
    }
}
