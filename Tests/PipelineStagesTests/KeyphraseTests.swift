import Testing

@testable import PipelineCore
@testable import PipelineStages

@Suite struct KeyphraseTests {
    func phrases(_ text: String, title: String? = nil, options: String = "") throws -> [String] {
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract keyphrases \(options)\nwrite jsonl path=\"-\"\n"
        )
        var d = Document(id: "t", text: text, title: title)
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 2)[0].get() }
        return (d.keyphrases ?? []).map(\.text)
    }

    @Test func stemsMergeVariantsAndStopWordsNeverCount() throws {
        let text =
            "The water sanctions are back. Farmers fear the water sanction. Water sanctions will end, farmers said."
        let k = try phrases(text, options: "top=3")
        // "water sanctions", "water sanction" and "Water sanctions" are one phrase (same stems), ranked first.
        #expect(k.first?.lowercased() == "water sanctions")
        #expect(k.filter { $0.lowercased().hasPrefix("water sanction") }.count == 1)
        #expect(
            !k.contains { $0.lowercased().split(separator: " ").contains { StopWords.english.contains(String($0)) } })
        #expect(Stemmer(language: "english")?.stem("sanctions") == Stemmer(language: "english")?.stem("sanction"))
    }

    @Test func titleAndLeadWeighMoreAndDatelinesAreLeftOut() throws {
        let k = try phrases(
            "BAGHDAD, Nov 20 (PSW) - Oil exports resumed through the northern pipeline. Later, talks about budgets and salaries went on.",
            title: "Oil exports resume")
        #expect(k.first == "Oil exports")
        #expect(!k.contains("PSW") && !k.contains("BAGHDAD"))
    }

    @Test func anUnknownLanguageIsABuildError() {
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(text: "extract keyphrases language=klingon\n", file: "t.pipe"),
            settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens]))
        #expect(o.diagnostics.first?.message.contains("'klingon' is not one of") == true)
    }
}
