import Testing

@testable import PipelineStages

/// The rules' word lists: the answers of a `Set<String>`, as written and in lower case, ASCII or not.
@Suite struct WordSetTests {
    static let words = [
        "minister", "spokesman", "gen.", "secretary-general", "'ll", "a", "café", "Ayatollah", "x", "",
    ]

    @Test func answersLikeASetOfStrings() {
        let set = WordSet(Self.words)
        let reference = Set(Self.words)
        let probes =
            Self.words + [
                "Minister", "MINISTER", "ministers", "ministe", "gen", "Gen.", "secretary general", "cafe",
                "cafe\u{301}", "CAFÉ", "ayatollah", "Ayatollah", "b", "aa", " a", "a ", "x\u{0}", "é",
            ]
        for w in probes {
            #expect(set.contains(w) == reference.contains(w), "\(w)")
            #expect(set.contains(Substring(w)) == reference.contains(w), "\(w)")
            #expect(set.containsLowercased(w) == reference.contains(w.lowercased()), "\(w)")
            #expect(set.containsLowercased(Substring(w)) == reference.contains(w.lowercased()), "\(w)")
        }
        // A word of the set written with a decomposed accent is the same word, as for a Set.
        #expect(set.contains("cafe\u{301}"))
        #expect(set.words == reference && set.count == reference.count)
    }

    @Test func findsWordsInsideLargerStrings() {
        let set: WordSet = ["said", "told"]
        let sentence = "Officials SAID on Monday they told reporters"
        let words = sentence.split(separator: " ")
        #expect(words.map { set.contains($0) } == [false, false, false, false, false, true, false])
        #expect(words.map { set.containsLowercased($0) } == [false, true, false, false, false, true, false])
    }
}
