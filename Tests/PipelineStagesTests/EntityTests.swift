import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Runs sentences → tokens → entities with the built-in model (or the stage's `options`) on `text`; returns
/// "text/TYPE" for each entity.
func entities(_ text: String, options: String = "") throws -> [String] {
    let p = try builtPipeline(
        "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities \(options)\nwrite jsonl path=\"-\"\n"
    )
    var d = Document(id: "t", text: text)
    for stage in p.transforms {
        let result = try StageExecutor.apply(stage, to: [d], jobs: 1)
        d = try result[0].get()
    }
    return (d.entities ?? []).map { "\($0.text)/\($0.type)" }
}

/// A tiny CoNLL training file written for these tests.
let tinyConll = """
    -DOCSTART- -X- -X- O

    Claire NNP B-NP B-PER
    Duval NNP I-NP I-PER
    visited VBD B-VP O
    Baghdad NNP B-NP B-LOC
    . . O O

    The DT B-NP O
    United NNP I-NP B-ORG
    Nations NNP I-NP I-ORG
    met VBD B-VP O
    in IN B-PP O
    Geneva NNP B-NP B-LOC
    . . O O

    -DOCSTART- -X- -X- O

    Iraqi JJ B-NP B-MISC
    officials NNS I-NP O
    praised VBD B-VP O
    Duval NNP B-NP B-PER
    . . O O

    """

@Suite struct EntityTests {
    /// The shipped model, read and written again, gives the same bytes (clusters, gazetteer and weights are written in
    /// a fixed order, whatever the tables that hold them in memory).
    @Test func theVectorizedViterbiChoosesWhatTheScanChooses() {
        // Random scores on a coarse grid, so that ties between predecessors are common; short and long sentences.
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int(state >> 59) - 16) / 4
        }
        let T = EntityTags.count
        for n in [1, 2, 3, 7, 40] {
            for _ in 0..<50 {
                let transitions = (0..<((T + 1) * T)).map { _ in next() }
                let emissions = (0..<(n * T)).map { _ in next() }
                let fast = LinearTagger.viterbi(emissions, n: n, transitions: transitions)
                let scan = LinearTagger.viterbi(emissions, n: n, transitions: transitions, vectorized: false)
                #expect(fast == scan)
            }
        }
    }

    @Test func theShippedModelWritesBackToItsOwnBytes() throws {
        let path = try #require(Bundle.module.path(forResource: "entities", ofType: "model", inDirectory: "Resources"))
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(try EntityModel.load(path).serialized() == [UInt8](bytes))
    }

    @Test func everyTypeMultiWordNamesAndHyphenatedNames() throws {
        let found = try entities(
            "Iraqi Prime Minister Karim al-Saadi met the United Nations envoy in Baghdad on Friday.")
        #expect(found == ["Iraqi/MISC", "Karim al-Saadi/PER", "United Nations/ORG", "Baghdad/LOC"])
    }

    @Test func sentenceInitialCapitalsAndCapitalisedHeadlines() throws {
        let found = try entities(
            "FRENCH MINISTER VISITS BAGHDAD\n\nFrance's defence minister arrived in Baghdad. Officials said the visit went well."
        )
        #expect(found.contains("BAGHDAD/LOC"))
        #expect(found.contains("France/LOC"))
        #expect(!found.contains { $0.hasPrefix("Officials") })
    }

    @Test func aNameKeepsItsLabelAcrossTheArticle() throws {
        let found = try entities("Nour Hamdan, a lawmaker, criticised the deal. Hamdan said it cost too much.")
        #expect(found == ["Nour Hamdan/PER", "Hamdan/PER"])
    }

    @Test func trainingIsDeterministicAndLearnsTheTrainingData() throws {
        let dir = try TempDir()
        let train = try dir.write("tiny.conll", tinyConll)
        var events: [TrainingEvent] = []
        let a = try EntitiesStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("a.model"), epochs: 4, seed: 7)
        ) {
            events.append($0)
        }
        _ = try EntitiesStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("b.model"), epochs: 4, seed: 7)
        ) { _ in }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
                == Data(contentsOf: URL(fileURLWithPath: dir.path("b.model"))))
        #expect(a.dev["F1"] == 1.0)
        #expect(
            events.contains {
                if case .note(let n) = $0 {
                    return n.hasPrefix("2 documents, 3 sentences, 17 tokens")
                } else {
                    return false
                }
            })
        #expect(events.contains { if case .epochEnded(4, _, _) = $0 { return true } else { return false } })
        let model = try EntityModel.load(dir.path("a.model"))
        let tagged = Array("Claire Duval visited Baghdad .".utf8).withUnsafeBufferPointer { p in
            model.tagger.tag(
                TokenFeatures(p, [0..<6, 7..<12, 13..<20, 21..<28, 29..<30][...], resources: model.resources))
        }
        #expect(tagged.map { EntityTags.names[$0] } == ["B-PER", "I-PER", "O", "B-LOC", "O"])
    }

    @Test func malformedTrainingDataNamesFileAndLine() throws {
        let dir = try TempDir()
        let bad = try dir.write("bad.conll", "Claire NNP B-NP B-PER\nDuval NNP I-NP B-PERSON\n")
        #expect(
            throws: TrainingError.data(
                file: bad, line: 2, message: "unknown tag 'B-PERSON'; tags are O, B-/I- PER, ORG, LOC, MISC")
        ) {
            try EntitiesStage.train(TrainingRequest(trainFiles: [bad], output: dir.path("m"), epochs: 1)) { _ in }
        }
    }

    @Test func missingForeignAndTruncatedModelsAreBuildErrors() throws {
        let dir = try TempDir()
        func errors(_ model: String) -> [String] {
            let o = PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "extract entities model=\"\(model)\"\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens]))
            return o.diagnostics.map(\.message)
        }
        #expect(
            errors(dir.path("none.model")) == [
                "extract entities: model file '\(dir.path("none.model"))' does not exist; the shipped alternatives are 'encoder'"
            ])
        let foreign = try dir.write("foreign.model", "not a model at all")
        #expect(errors(foreign).first?.contains("is not an entity model") == true)
        let whole = try Data(
            contentsOf: URL(
                fileURLWithPath: try ModelChoice(nil, builtIn: "entities", kind: "entity", option: "model").path()))
        let cut = try dir.write("cut.model", Array(whole.prefix(whole.count / 2)))
        #expect(errors(cut).first?.contains("is truncated or corrupt") == true)
    }

    @Test func scorerCountsExactMatchesOnly() {
        var s = EntityScores()
        s.add(
            gold: [("PER", 0, 12), ("LOC", 20, 27), ("ORG", 30, 44)],
            predicted: [("PER", 0, 12), ("LOC", 20, 26), ("MISC", 30, 44)])
        #expect(s.overall.truePositives == 1 && s.overall.falsePositives == 2 && s.overall.falseNegatives == 2)
        #expect(abs(s.overall.f1 - 1.0 / 3.0) < 1e-9)
        #expect(s.byType["PER"]?.f1 == 1 && s.byType["LOC"]?.f1 == 0)
        #expect(s.byType["MISC"]?.recall == 1 && s.byType["MISC"]?.precision == 0)
    }
}

@Suite struct WordClusterTests {
    @Test func wordsUsedAlikeShareAClusterPrefixAndLearningIsDeterministic() throws {
        // Countries after "in" and before "said"; weekdays after "on"; repeated so every word is frequent enough.
        var texts: [String] = []
        for _ in 0..<20 {
            for c in ["France", "Iraq", "Jordan", "Egypt"] {
                for d in ["Monday", "Friday", "Tuesday", "Sunday"] {
                    texts.append("Talks in \(c) ended on \(d) , officials in \(c) said .")
                }
            }
        }
        let dir = try TempDir()
        let file = try dir.write("news.txt", texts.joined(separator: "\n\n"))
        let learner = WordClusterLearner(minCount: 3, contextWords: 20, dimensions: 16, depth: 6, seed: 3)
        let tokens = try WordClusterLearner.read([file])
        let a = learner.learn(tokens) { _ in }
        let b = learner.learn(tokens) { _ in }
        #expect(a == b)
        func path(_ w: String) -> UInt32? {
            var bytes = Array(w.utf8)
            return bytes.withUnsafeMutableBufferPointer {
                a[TokenFeatures.fnv(UnsafeBufferPointer($0), lowercase: false)]?.bits
            }
        }
        let iraq = try #require(path("Iraq")), egypt = try #require(path("Egypt")),
            friday = try #require(path("Friday"))
        #expect((iraq ^ egypt).leadingZeroBitCount > (iraq ^ friday).leadingZeroBitCount)
    }
}
