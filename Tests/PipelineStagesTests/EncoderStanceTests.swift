import Foundation
import PipelineEncoder
import Testing

@testable import PipelineCore
@testable import PipelineStages

private let encoderBaseAvailable = (try? BaseEncoder.verify(BaseEncoder.directory())) != nil

/// `stance encoder` with the built-in NewsMTSC model over the fetched base encoder (skipped, saying why, when the base
/// encoder has not been fetched: Scripts/fetch-models, which Scripts/test runs first).
@Suite(.enabled(if: encoderBaseAvailable, "base encoder not fetched (run Scripts/fetch-models)"))
struct EncoderStanceTests {
    func stance(_ text: String, _ target: String) throws -> Stance {
        try #require(try stances(text, "encoder", targets: "[\"\(target)\"]").first)
    }

    @Test func badModelFilesAreErrorsAtTheStageLine() throws {
        let dir = try TempDir()
        func firstError(_ model: String) -> String {
            PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "stance encoder model=\"\(model)\"\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences, .tokens])
            ).diagnostics.first.map { "\($0.location?.line ?? 0): \($0.message)" } ?? ""
        }
        #expect(firstError(dir.path("none")).contains("does not exist"))
        #expect(firstError(try dir.write("x.model", "nonsense")).contains("not safetensors"))
        // A safetensors file that is not a stance model: no head.
        let header = Array(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#.utf8)
        let padded = header + Array(repeating: 0x20, count: (8 - header.count % 8) % 8)
        let foreign = try dir.write(
            "foreign.model", [UInt8(padded.count), 0, 0, 0, 0, 0, 0, 0] + padded + [UInt8](repeating: 0, count: 8))
        let message = firstError(foreign)
        #expect(message.hasPrefix("1: ") && message.contains("no tensor 'head.weight'"), "\(message)")
        // The shipped model, cut short.
        let shipped = try #require(
            Bundle.module.path(forResource: "stance-encoder", ofType: "model", inDirectory: "Resources"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: shipped))
        #expect(firstError(try dir.write("cut.model", Array(whole.prefix(whole.count / 2)))).contains("past the end"))
    }

    /// The stance toward the actor whose canonical name contains `name`.
    func toward(_ name: String, in text: String) throws -> Stance {
        try #require(try stances(text, "encoder").first { $0.target.contains(name) }, "no stance toward \(name)")
    }

    @Test func theOneActedUponIsScoredNotTheActor() throws {
        // Active and passive voice: the praised governor is positive, and well above the president who praises.
        // Praise won from someone: the governor still above the president, though the president, the praiser, comes
        // out positive too (a known weakness, in the README).
        for (text, margin) in [
            ("President Alvarez praised Governor Chen for her handling of the floods.", 0.1),
            ("Governor Chen was praised by President Alvarez for her handling of the floods.", 0.1),
            ("Governor Chen won praise from President Alvarez for her handling of the floods.", 0.0),
        ] {
            let chen = try toward("Chen", in: text)
            let alvarez = try toward("Alvarez", in: text)
            #expect(chen.label == .positive && chen.score > alvarez.score + margin, "\(text): \(chen) \(alvarez)")
        }
        // An attacker is not what the attack is about.
        let attack = "Senator Brooks attacked Senator Okafor, calling his plan a reckless disaster."
        #expect(try toward("Okafor", in: attack).label == .negative)
        #expect(try toward("Brooks", in: attack).label != .negative)
    }

    @Test func negationAndTwoTargetsOfOppositeStance() throws {
        let praised = try toward("Chen", in: "President Alvarez praised Governor Chen for her handling of the floods.")
        let not = try toward(
            "Chen", in: "President Alvarez did not praise Governor Chen for her handling of the floods.")
        #expect(praised.label == .positive && not.label == .negative)
        let text = "Senator Brooks hailed the courage of Mayor Diaz while condemning Senator Okafor as a liar."
        let diaz = try toward("Diaz", in: text)
        let okafor = try toward("Okafor", in: text)
        #expect(diaz.label == .positive && okafor.label == .negative)
        #expect(diaz.evidence == [0] && diaz.mentions == 1 && (diaz.confidence ?? 0) > 0.5)
    }

    @Test func aTargetNotMentionedIsNeutralWithoutEvidence() throws {
        let s = try stance("The weather in the capital was mild on Monday.", "France")
        #expect(s.label == .neutral && s.score == 0 && s.evidence.isEmpty && s.mentions == 0)
    }

    @Test func aNamedTargetTheTextNeverNamesGetsADocumentStance() throws {
        // model=semeval: the whole text read with the target's name, which it need not contain.
        let semeval = "encoder model=\"semeval\""
        let target = "[\"Legalization of Abortion\"]"
        let favour = try #require(
            try stances(
                "A woman must have the right to choose. Safe and legal care saves lives.", semeval, targets: target
            ).first)
        #expect(favour.label == .positive && favour.mentions == 0 && !favour.evidence.isEmpty, "\(favour)")
        #expect(favour.evidence.allSatisfy { $0 < 2 } && (favour.confidence ?? 0) > 0.5)
        let against = try #require(
            try stances(
                "Every child deserves a chance to be born. Life begins at conception and must be protected.", semeval,
                targets: target
            ).first)
        #expect(against.label == .negative && against.score < -0.3 && !against.evidence.isEmpty, "\(against)")
        // A mention-level model cannot score a target its text never names: neutral, no evidence.
        let news = try stance("A woman must have the right to choose.", "Legalization of Abortion")
        #expect(news.label == .neutral && news.evidence.isEmpty)
    }

    @Test func oneAndTwoJobsGiveTheSameOutput() throws {
        let dir = try TempDir()
        let lines = (0..<24).map { k in
            "{\"id\":\"d\(k)\",\"text\":\"Officials in Paris praised Germany for its help on day \(k). Critics in Berlin attacked France over the deal.\"}"
        }
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        var outputs: [String] = []
        for jobs in [1, 2] {
            let out = dir.path("out\(jobs).jsonl")
            let p = try builtPipeline(
                """
                load jsonl path="\(input)"
                extract sentences
                extract tokens
                extract entities
                stance encoder
                write jsonl path="\(out)"
                """)
            _ = try PipelineRunner(pipeline: p, options: RunOptions(jobs: jobs, batchDocuments: 3)).run()
            outputs.append(try dir.read("out\(jobs).jsonl"))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("\"stances\""))
    }

    @Test func theTrainingScriptsEpochLinesAreRead() {
        let e = EncoderStanceStage.epochLine("epoch 2: 548 s, loss 0.5032; macro-F1 dev 79.5")
        #expect(e?.epoch == 2 && e?.seconds == 548 && e?.dev == ["F1 macro": 0.795])
        let two = EncoderStanceStage.epochLine("epoch 1: 559 s, loss 0.7373; macro-F1 dev_rw 79.9 dev_mt 73.8")
        #expect(two?.dev == ["F1 macro dev_rw": 0.799, "F1 macro dev_mt": 0.738])
        let semeval = EncoderStanceStage.epochLine("epoch 3: 95 s, loss 0.6120; F-avg dev 70.4")
        #expect(semeval?.dev.keys.sorted() == ["F avg"] && abs((semeval?.dev["F avg"] ?? 0) - 0.704) < 1e-9)
        #expect(EncoderStanceStage.epochLine("  epoch 1 step 50: loss 1.0569, 2.14 s/step") == nil)
        #expect(EncoderStanceStage.epochLine("train 8739 targets") == nil)
    }
}
