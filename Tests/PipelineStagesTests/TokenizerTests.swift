import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

func tokens(_ text: String) -> [String] {
    var t = text
    return t.withUTF8 { buf in
        Tokenizer().tokenize(buf).map { String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self) }
    }
}

@Suite struct TokenizerTests {
    @Test func wordsPunctuationAndClitics() {
        #expect(
            tokens("France's minister didn't say, \"we're ready.\"") == [
                "France", "'s", "minister", "did", "n't", "say", ",", "\"", "we", "'re", "ready", ".", "\"",
            ])
    }

    @Test func numbersDatesAndAbbreviations() {
        #expect(
            tokens("Mr. Duval paid $1,250.50 on 1996-08-30 in the U.S. at 10:30.") == [
                "Mr.", "Duval", "paid", "$", "1,250.50", "on", "1996-08-30", "in", "the", "U.S.", "at", "10:30", ".",
            ])
    }

    @Test func hyphensApostrophesAndUnicode() {
        #expect(
            tokens("O'Brien's short-lived al-Saadi… Ça “marche”") == [
                "O'Brien", "'s", "short-lived", "al-Saadi", "…", "Ça", "“", "marche", "”",
            ])
        #expect(tokens("France’s army -- wait...") == ["France", "’s", "army", "--", "wait", "..."])
    }

    @Test func stageWritesCodePointSpans() throws {
        let stage = try TokensStage(
            options: StageOptions(values: ["punctuation": .bool(false)]), context: StageContext())
        var d = Document(id: "x", text: "Éric, 😀 dit oui.")
        try stage.process(&d)
        #expect(d.tokens!.map { d.text.slice($0) } == ["Éric", "dit", "oui"])
        #expect(d.tokens![1] == Span(start: 8, end: 11))
    }

    @Test func tokensNeverSplitACharacter() {
        // A combining accent after a symbol, an emoji with a skin-tone modifier, a flag, a ZWJ family.
        #expect(
            tokens("cafe\u{301} \u{FFFD}\u{301}x 👍🏽 🇮🇶 👨‍👩‍👧 ok") == [
                "cafe\u{301}", "\u{FFFD}\u{301}", "x", "👍🏽", "🇮🇶", "👨‍👩‍👧", "ok",
            ])
        // A mark after a space belongs to the space's character: it is not a token of its own.
        #expect(tokens("a \u{301} b") == ["a", "b"])
    }

    @Test func preTokenisedTextInitialsCurrenciesAndSignedNumbers() {
        // Text already split as in CoNLL-2003 / the Penn Treebank keeps its tokens.
        #expect(
            tokens("England 's captain , I 'm sure we 've won") == [
                "England", "'s", "captain", ",", "I", "'m", "sure", "we", "'ve", "won",
            ])
        #expect(tokens("S. Waugh and John F. Kennedy") == ["S.", "Waugh", "and", "John", "F.", "Kennedy"])
        #expect(tokens("fell C$ 0.45 to US$ 101.15") == ["fell", "C$", "0.45", "to", "US$", "101.15"])
        #expect(
            tokens("rose +0.435 and -12 ; average .496") == ["rose", "+0.435", "and", "-12", ";", "average", ".496"])
        #expect(
            tokens("1. Michelle Freeman\n2. Julie Baumann") == ["1.", "Michelle", "Freeman", "2.", "Julie", "Baumann"])
        // Not initials or list numbers elsewhere.
        #expect(
            tokens("It was 1. Then the team from the US.") == [
                "It", "was", "1", ".", "Then", "the", "team", "from", "the", "US", ".",
            ])
        #expect(tokens("the ' quoted ' word") == ["the", "'", "quoted", "'", "word"])
    }
}
