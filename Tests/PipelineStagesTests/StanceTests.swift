import Foundation
import Testing
@testable import PipelineCore
@testable import PipelineStages

/// Stances of `text` toward `targets` with `method`, as "target:label".
func stances(_ text: String, _ method: String, targets: String = "[\"entities\"]") throws -> [Stance] {
    let p = try builtPipeline("""
        load jsonl path="-"
        extract sentences
        extract tokens
        extract entities
        extract quotes
        stance \(method) targets=\(targets)
        write jsonl path="-"
        """)
    var d = Document(id: "t", text: text)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return d.stances ?? []
}

@Suite struct StanceTests {
    @Test func negationFlipsTheLexiconScore() throws {
        let praised = try stances("Officials praised France for its generous help.", "lexicon", targets: "[\"France\"]")
        let notPraised = try stances("Officials did not praise France for its help.", "lexicon", targets: "[\"France\"]")
        #expect(praised.first!.score > 0)
        #expect(notPraised.first!.score < praised.first!.score)
    }

    @Test func conflictVerbsPointAtTheirObject() throws {
        // "A condemned B's attack": negative toward B, which is attacked by the condemnation; A only acts.
        let s = try stances("Egypt condemned Israel over the deadly attack.", "lexicon", targets: "[\"Egypt\", \"Israel\"]")
        let egypt = try #require(s.first { $0.target == "Egypt" }), israel = try #require(s.first { $0.target == "Israel" })
        #expect(israel.score < 0 && israel.score < egypt.score)
        #expect(israel.evidence == [0])
    }

    @Test func contrastMakesTheLaterClauseCount() throws {
        let s = try stances("Critics attacked the plan, but Jordan praised the deal warmly.", "lexicon", targets: "[\"Jordan\"]")
        #expect(s.first!.score > 0)
    }

    @Test func demonymsAndCapitalsCountForTheirState() throws {
        let s = try stances("Iraqi officials welcomed the deal. Baghdad said it would help everyone.", "lexicon")
        let iraq = try #require(s.first { $0.target == "Iraq" })
        #expect(iraq.attributes["mentions"] == .int(2))
    }

    @Test(arguments: ["lexicon", "model"])
    func aTargetNotMentionedIsNeutralWithoutEvidence(method: String) throws {
        let s = try stances("The weather was mild on Tuesday.", method, targets: "[\"France\"]")
        #expect(s.count == 1 && s[0].target == "France" && s[0].label == .neutral && s[0].evidence.isEmpty && s[0].score == 0)
    }

    @Test func theModelScoresEveryActor() throws {
        let s = try stances("Jordan and Israel signed a water deal in Amman. Critics attacked Israel over the deal.", "model")
        #expect(Set(s.map(\.target)).isSuperset(of: ["Jordan", "Israel"]))
        #expect(s.allSatisfy { (-1...1).contains($0.score) && $0.attributes["confidence"] != nil })
    }

    @Test func modelTrainingIsDeterministicAndBadModelsAreBuildErrors() throws {
        let dir = try TempDir()
        var lines: [String] = []
        for k in 0..<30 {
            let (word, polarity) = [("praised", "positive"), ("attacked", "negative"), ("met", "neutral")][k % 3]
            lines.append("{\"id\":\"\(k)\",\"sentence\":\"Critics \(word) Smith \(k) on Monday.\",\"from\":\(8 + word.count + 1),\"to\":\(8 + word.count + 6),\"polarity\":\"\(polarity)\"}")
        }
        let train = try dir.write("t.jsonl", lines.joined(separator: "\n") + "\n")
        let a = try ModelStanceStage.train(TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("a.model"), epochs: 3, seed: 4)) { _ in }
        _ = try ModelStanceStage.train(TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("b.model"), epochs: 3, seed: 4)) { _ in }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model"))) == Data(contentsOf: URL(fileURLWithPath: dir.path("b.model"))))
        #expect((a.dev["F1 macro"] ?? 0) > 0.9)
        func firstError(_ model: String) -> String {
            PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "stance model model=\"\(model)\"\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens])).diagnostics.first?.message ?? ""
        }
        #expect(firstError(dir.path("none")).contains("does not exist"))
        #expect(firstError(try dir.write("x.model", "nonsense")).contains("is not a stance model"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
        #expect(firstError(try dir.write("cut.model", Array(whole.dropLast(3)))).contains("truncated or corrupt"))
    }

    @Test func lexiconFileFormat() throws {
        let l = try StanceLexicon(text: "# mine\ngreat\t0.8\nawful\t-0.9\tvalence\nnot\t0\tnegator\n", file: "x.tsv")
        #expect(l["great"] == .init(value: 0.8, kind: .valence) && l["not"]?.kind == .negator)
        #expect(throws: StageConfigurationError.self) { try StanceLexicon(text: "bad\tx\n", file: "x.tsv") }
        #expect(throws: StageConfigurationError.self) { try StanceLexicon(text: "bad\t1\tweird\n", file: "x.tsv") }
    }
}
