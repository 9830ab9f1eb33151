import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Stances of `text` toward `targets` with `method`, as "target:label".
func stances(_ text: String, _ method: String, targets: String = "[\"entities\"]") throws -> [Stance] {
    let p = try builtPipeline(
        """
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
    /// A person's mention takes in the title written before it (as NewsMTSC marks mentions), or its ending.
    @Test func aMentionTakesInTheTitleBeforeIt() {
        let text = Array("Lt. Gen. Samir Kassab spoke. Gen. Kassab left. Kassab, a general, stayed. Général Ünal".utf8)
        func widened(_ start: Int, _ end: Int, byte: Int, _ role: String) -> Span {
            text.withUnsafeBufferPointer {
                StanceTargets.withTitle(Span(start: start, end: end), role: role, before: byte, in: $0)
            }
        }
        // "Samir Kassab" at 9, "Kassab" at 34 and at 47 (ASCII: bytes and code points agree).
        #expect(widened(9, 21, byte: 9, "Lt. Gen.") == Span(start: 0, end: 21))
        #expect(widened(34, 40, byte: 34, "Lt. Gen.") == Span(start: 29, end: 40))
        #expect(widened(47, 53, byte: 47, "Lt. Gen.") == Span(start: 47, end: 53))
        // "Ünal" at code point 82, byte 84 ("Général" has two two-byte letters): the title is counted in code points.
        #expect(widened(82, 86, byte: 84, "Général") == Span(start: 74, end: 86))
    }

    @Test func negationFlipsTheLexiconScore() throws {
        let praised = try stances("Officials praised France for its generous help.", "lexicon", targets: "[\"France\"]")
        let notPraised = try stances(
            "Officials did not praise France for its help.", "lexicon", targets: "[\"France\"]")
        #expect(praised.first!.score > 0)
        #expect(notPraised.first!.score < praised.first!.score)
    }

    @Test func labelsFollowTheAsymmetricNeutralBand() throws {
        let text = "Officials praised France for its generous help."
        let score = try #require(try stances(text, "lexicon", targets: "[\"France\"]").first).score
        #expect(score > 0.2)
        let label = { (options: String) throws -> Stance.Label? in
            try stances(text, "lexicon \(options)", targets: "[\"France\"]").first?.label
        }
        #expect(try label("") == .positive)
        #expect(try label("positive=\(min(1, score + 0.01))") == .neutral)
        #expect(try label("threshold=\(min(1, score + 0.01))") == .neutral)
        #expect(try label("negative=0.99") == .positive)
    }

    @Test func conflictVerbsPointAtTheirObject() throws {
        // "A condemned B's attack": negative toward B, which is attacked by the condemnation; A only acts.
        let s = try stances(
            "Egypt condemned Israel over the deadly attack.", "lexicon", targets: "[\"Egypt\", \"Israel\"]")
        let egypt = try #require(s.first { $0.target == "Egypt" }),
            israel = try #require(s.first { $0.target == "Israel" })
        #expect(israel.score < 0 && israel.score < egypt.score)
        #expect(israel.evidence == [0])
    }

    @Test func contrastMakesTheLaterClauseCount() throws {
        let s = try stances(
            "Critics attacked the plan, but Jordan praised the deal warmly.", "lexicon", targets: "[\"Jordan\"]")
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
        #expect(
            s.count == 1 && s[0].target == "France" && s[0].label == .neutral && s[0].evidence.isEmpty
                && s[0].score == 0)
    }

    @Test func theModelScoresEveryActor() throws {
        let s = try stances(
            "Jordan and Israel signed a water deal in Amman. Critics attacked Israel over the deal.", "model")
        #expect(Set(s.map(\.target)).isSuperset(of: ["Jordan", "Israel"]))
        #expect(s.allSatisfy { (-1...1).contains($0.score) && $0.attributes["confidence"] != nil })
    }

    @Test(arguments: ["lexicon", "model"])
    func layersThatDisagreeDoNotTrap(method: String) throws {
        // A document whose sentences (from elsewhere) stop before its tokens do: a mention after the last sentence.
        let p = try builtPipeline(
            """
            load jsonl path="-"
            extract tokens
            stance \(method) targets=["Iraq", "France"]
            write jsonl path="-"
            """, settings: BuildSettings(providedBefore: [.text, .sentences]))
        var d = Document(id: "t", text: "France praised the deal. Iraq condemned the attack.")
        d.sentences = [Span(start: 0, end: 24)]
        d.entities = [
            Entity(span: Span(start: 0, end: 6), text: "France", type: "LOC"),
            Entity(span: Span(start: 25, end: 29), text: "Iraq", type: "LOC"),
        ]
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        #expect(d.stances?.map(\.target) == ["Iraq", "France"])
    }

    @Test func theWhyOfAMentionAddsUpToItsScore() throws {
        let path = try #require(Bundle.module.path(forResource: "stance", ofType: "model", inDirectory: "Resources"))
        let model = try StanceModel.load(path)
        let p = try builtPipeline("load jsonl path=\"-\"\nextract sentences\nextract tokens\nwrite jsonl path=\"-\"\n")
        var d = Document(
            id: "w", text: "Critics said the deal was \"a disaster\", but Jordan praised it warmly on Friday.")
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        let at = try #require(d.text.range(of: "Jordan"))
        let start = d.text.unicodeScalars.distance(from: d.text.unicodeScalars.startIndex, to: at.lowerBound)
        let mention = Span(start: start, end: start + 6)
        let ctx = MentionContext(d)
        let (features, _) = try #require(ctx.features(mention))
        let s = model.scores(features)
        let parts = ctx.pulls(mention, model: model)
        #expect(abs(parts.reduce(0) { $0 + $1.pull } - (s[2] - s[0])) < 1e-3)
        #expect(parts.contains { $0.what == "'praised'" })
        #expect(parts.contains { $0.what == "the lexicon's tone around it" })
    }

    @Test func modelTrainingIsDeterministicAndBadModelsAreBuildErrors() throws {
        let dir = try TempDir()
        var lines: [String] = []
        for k in 0..<30 {
            let (word, polarity) = [("praised", "positive"), ("attacked", "negative"), ("met", "neutral")][k % 3]
            lines.append(
                "{\"id\":\"\(k)\",\"sentence\":\"Critics \(word) Smith \(k) on Monday.\",\"from\":\(8 + word.count + 1),\"to\":\(8 + word.count + 6),\"polarity\":\"\(polarity)\"}"
            )
        }
        let train = try dir.write("t.jsonl", lines.joined(separator: "\n") + "\n")
        let a = try ModelStanceStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("a.model"), epochs: 3, seed: 4)
        ) { _ in }
        _ = try ModelStanceStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("b.model"), epochs: 3, seed: 4)
        ) { _ in }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
                == Data(contentsOf: URL(fileURLWithPath: dir.path("b.model"))))
        #expect((a.dev["F1 macro"] ?? 0) > 0.9)
        func firstError(_ model: String) -> String {
            PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "stance model model=\"\(model)\"\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens])
            ).diagnostics.first?.message ?? ""
        }
        #expect(firstError(dir.path("none")).contains("does not exist"))
        #expect(firstError(try dir.write("x.model", "nonsense")).contains("is not a stance model"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
        #expect(firstError(try dir.write("cut.model", Array(whole.dropLast(3)))).contains("truncated or corrupt"))
    }

    @Test func documentLevelModelsLearnNamedTargetsTheTextNeedNotMention() throws {
        let dir = try TempDir()
        var lines: [String] = []
        for k in 0..<36 {
            let (target, text, stance) = [
                ("Wind power", "Turbines on every hill, clean and cheap #windnow", "FAVOR"),
                ("Wind power", "Those ugly turbines ruin the view and kill birds", "AGAINST"),
                ("Wind power", "Lovely sunset over the harbour tonight", "NONE"),
                ("Rail strikes", "Stand with the drivers, fair pay now #solidarity", "FAVOR"),
                ("Rail strikes", "Stranded again, selfish unions hold commuters hostage", "AGAINST"),
                ("Rail strikes", "Anyone know a good bakery near the station?", "NONE"),
            ][k % 6]
            lines.append(
                "{\"id\":\"\(k)\",\"target\":\"\(target)\",\"text\":\"\(text) \(k)\",\"stance\":\"\(stance)\"}")
        }
        let train = try dir.write("semeval.jsonl", lines.joined(separator: "\n") + "\n")
        var notes: [String] = []
        let a = try ModelStanceStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("a.model"), epochs: 4, seed: 2)
        ) {
            if case .note(let n) = $0 { notes.append(n) }
        }
        _ = try ModelStanceStage.train(
            TrainingRequest(trainFiles: [train], devFile: train, output: dir.path("b.model"), epochs: 4, seed: 2)
        ) { _ in }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
                == Data(contentsOf: URL(fileURLWithPath: dir.path("b.model"))))
        #expect(notes.first?.hasPrefix("36 documents") == true)
        #expect(a.dev["F avg"] == 1.0)
        #expect(try StanceModel.load(dir.path("a.model")).level == .document)

        // The stage scores a named target from the whole text, with the sentences that pull toward the label.
        let model = dir.path("a.model")
        let found = try stances(
            "Clean and cheap #windnow. Good morning.", "model",
            targets: "[\"Wind power\"] model=\"\(model)\"")
        #expect(found.map(\.target) == ["Wind power"])
        #expect(found.first?.label == .positive)
        #expect(found.first?.evidence.first == 0)
        #expect(found.first?.attributes["mentions"] == .int(0))
        let against = try stances(
            "Selfish unions again. Commuters stranded.", "model", targets: "[\"Rail strikes\"] model=\"\(model)\"")
        #expect(against.first?.label == .negative)

        // Mixed formats are refused with the file named.
        let mention = try dir.write(
            "m.jsonl",
            "{\"id\":\"1\",\"sentence\":\"Critics praised Smith.\",\"from\":16,\"to\":21,\"polarity\":\"positive\"}\n")
        #expect(
            throws: TrainingError.data(
                file: mention, line: 1,
                message:
                    "mixes formats: give only NewsMTSC (sentence, from, to, polarity) or only SemEval (text, target, stance) files"
            )
        ) {
            try ModelStanceStage.train(
                TrainingRequest(trainFiles: [train, mention], output: dir.path("c.model"), epochs: 1)
            ) { _ in }
        }
    }

    @Test func theShippedSemEvalModelIsChosenByName() throws {
        let found = try stances(
            "We must protect the unborn. Every life is precious.", "model",
            targets: "[\"Legalization of Abortion\"] model=\"semeval\"")
        #expect(found.first?.label == .negative)
    }

    @Test func lexiconFileFormat() throws {
        let l = try StanceLexicon(text: "# mine\ngreat\t0.8\nawful\t-0.9\tvalence\nnot\t0\tnegator\n", file: "x.tsv")
        #expect(l["great"] == .init(value: 0.8, kind: .valence) && l["not"]?.kind == .negator)
        #expect(throws: StageConfigurationError.self) { try StanceLexicon(text: "bad\tx\n", file: "x.tsv") }
        #expect(throws: StageConfigurationError.self) { try StanceLexicon(text: "bad\t1\tweird\n", file: "x.tsv") }
        // Windows line ends, and spaces (a no-break one too) around the columns.
        let crlf = try StanceLexicon(text: "# mine\r\n great \t0.8\r\nawful\t-0.9\u{00A0}\tvalence\r\n", file: "x.tsv")
        #expect(crlf["great"] == .init(value: 0.8, kind: .valence) && crlf["awful"]?.value == -0.9)
        do {
            _ = try StanceLexicon(text: "good\t1\r\nbad\tx\r\n", file: "x.tsv")
            Issue.record("a bad value was accepted")
        } catch let e as StageConfigurationError {
            #expect(e.message.hasPrefix("x.tsv:2: "))
        }
    }
}
