import Foundation
import OrderedCollections
import PipelineEncoder
import Testing

@testable import PipelineCore
@testable import PipelineStages

private let encoderBaseAvailable = (try? BaseEncoder.verify(BaseEncoder.directory())) != nil

/// `extract entities model=encoder`: the built-in encoder tagger over the fetched base encoder (skipped, saying why,
/// when the base encoder has not been fetched: Scripts/fetch-models, which Scripts/test runs first).
@Suite(.enabled(if: encoderBaseAvailable, "base encoder not fetched (run Scripts/fetch-models)"))
struct EncoderEntityTests {
    @Test func namesOfEveryTypeInContext() throws {
        #expect(
            try entities(
                "Defence Minister Florence Parly of France arrived in Baghdad on Friday for talks with the World Bank.",
                options: "model=encoder canonical=false")
                == ["Florence Parly/PER", "France/LOC", "Baghdad/LOC", "World Bank/ORG"])
        // Capitals matter although the encoder is uncased: the word shapes tell a name from an ordinary word.
        #expect(
            try entities(
                "Rose Smith said the rose garden in Reading was reading well.", options: "model=encoder canonical=false"
            )
                == ["Rose Smith/PER", "Reading/LOC"])
    }

    @Test func linkingAndRolesWorkOnTheEncoderTags() throws {
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities model=encoder\nwrite jsonl path=\"-\"\n"
        )
        var d = Document(
            id: "t", text: "Iraqi Prime Minister Karim al-Saadi met U.S. envoys. Al-Saadi said talks went well.")
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        let people = (d.entities ?? []).filter { $0.type == "PER" }
        #expect(people.map(\.text) == ["Karim al-Saadi", "Al-Saadi"])
        #expect(Set(people.map(\.canonical)) == ["Karim al-Saadi"])
        #expect(people.first?.attributes["role"]?.stringValue == "Prime Minister")
    }

    @Test func combiningAddsTheEncoderToTheLinearModel() throws {
        let text = "Rose Smith of Acme Holdings said the rose garden in Reading was open."
        let linear = try entities(text, options: "canonical=false")
        let encoder = try entities(text, options: "model=encoder canonical=false")
        // The linear model misses `Reading` here; the encoder finds it.
        #expect(!linear.contains { $0.hasPrefix("Reading/") } && encoder.contains("Reading/LOC"))
        #expect(try entities(text, options: "combine=encoder canonical=false").contains { $0.hasPrefix("Reading/") })
        // The weight moves the combination from one tagger to the other.
        #expect(try entities(text, options: "combine=encoder weight=0.01 canonical=false") == linear)
        #expect(try entities(text, options: "combine=encoder weight=1000 canonical=false") == encoder)
    }

    @Test func oneJobAndTwoGiveTheSameEntities() throws {
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nextract tokens\nextract entities combine=encoder\nwrite jsonl path=\"-\"\n"
        )
        let texts = [
            "Rose Smith of Acme Holdings visited Reading. Smith met the mayor.",
            "The World Bank approved a loan for Kenya on Thursday.",
            "Ekrem İmamoğlu met Đorđe Petrović in Niš.", "", "Rose Smith returned to Reading on Monday.",
        ]
        func run(jobs: Int) throws -> [[Entity]] {
            var docs = texts.enumerated().map { Document(id: "d\($0)", text: $1) }
            for stage in p.transforms {
                docs = try StageExecutor.apply(stage, to: docs, jobs: jobs).map { try $0.get() }
            }
            return docs.map { $0.entities ?? [] }
        }
        let one = try run(jobs: 1)
        #expect(one[0].map(\.text).contains("Acme Holdings"))
        #expect(try run(jobs: 2) == one)
    }

    @Test func combiningNeedsALinearModelAndATagger() throws {
        func firstError(_ options: String) -> String {
            PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "extract entities \(options)\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens])
            ).diagnostics.first?.message ?? ""
        }
        #expect(firstError("model=encoder combine=encoder").contains("model= is not one"))
        let linear = try #require(
            Bundle.module.path(forResource: "entities", ofType: "model", inDirectory: "Resources"))
        #expect(firstError("combine=\"\(linear)\"").contains("takes an encoder tagger"))
    }

    @Test func aModelThatIsNotATaggerIsAnErrorAtTheStageLine() throws {
        let stance = try #require(
            Bundle.module.path(forResource: "stance-encoder", ofType: "model", inDirectory: "Resources"))
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(text: "\nextract entities model=\"\(stance)\"\n", file: "t.pipe"),
            settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens]))
        let first = o.diagnostics.first
        #expect(first?.location?.line == 2)
        #expect(first?.message.contains("not a word tagger") == true, "\(first?.message ?? "")")
    }
}

/// Training requests for the encoder tagger that are refused before any Python runs, and its epoch lines.
struct EncoderEntityTrainingTests {
    @Test func settingsOfTheOtherTaggerAreRefused() throws {
        let dir = try TempDir()
        let file = try dir.write("t.conll", tinyConll)
        func error(_ settings: [String: String], files: [String]? = nil) -> String {
            let request = TrainingRequest(
                trainFiles: files ?? [file], output: dir.path("m"), epochs: 1, settings: settings)
            do {
                _ = try EntitiesStage.train(request) { _ in }
                return ""
            } catch { return "\(error)" }
        }
        #expect(error(["tagger": "crf"]).contains("tagger must be linear or encoder"))
        #expect(error(["lr": "1e-4"]).contains("setting 'lr' is for tagger=encoder"))
        #expect(error(["tagger": "encoder", "casing": "on"]).contains("the linear tagger's"))
        #expect(error(["tagger": "encoder"], files: [file, file]).contains("one CoNLL file"))
    }

    @Test func epochLinesGiveTheDevFigures() throws {
        let e = try #require(
            EntitiesStage.epochLine(
                "epoch 2: 600 s, loss 0.0312; dev F1 91.20 PER 95.00 ORG 87.10 LOC 93.40 MISC 86.00"))
        #expect(e.epoch == 2 && e.seconds == 600)
        #expect(e.dev == ["F1": 0.912, "F1 PER": 0.95, "F1 ORG": 0.871, "F1 LOC": 0.934, "F1 MISC": 0.86])
        #expect(EntitiesStage.epochLine("  epoch 2 step 100: loss 0.1") == nil)
    }
}
