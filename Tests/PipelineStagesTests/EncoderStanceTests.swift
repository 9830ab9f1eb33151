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
        let multi = EncoderStanceStage.epochLine("epoch 1: 60 s, loss 0.7; macro-F1 dev 78.2 dev-multi 72.1")
        #expect(multi?.dev == ["F1 macro": 0.782, "F1 macro dev-multi": 0.721])
    }

    /// The shipped news model's file.
    static var shippedPath: String {
        get throws {
            try #require(Bundle.module.path(forResource: "stance-encoder", ofType: "model", inDirectory: "Resources"))
        }
    }

    /// The class probabilities the head in the model file at `path` gives `features` (softmax of W·features + b).
    static func headProbabilities(_ features: [Float], head path: String) throws -> [Float] {
        let file = try SafeTensors(path: path)  // kept alive: its tensors are views of the mapped file
        let w = Array(try file.floats("head.weight", shape: [3, features.count]))
        let bias = Array(try file.floats("head.bias", shape: [3]))
        let logits = (0..<3).map { c in
            bias[c] + features.indices.reduce(Float(0)) { $0 + w[c * features.count + $1] * features[$1] }
        }
        let top = logits.max()!
        let e: [Float] = logits.map { exp($0 - top) }
        return e.map { $0 / e.reduce(0, +) }
    }

    /// The probabilities the shipped head gives `[CLS]` and the mean of `positions` in sequence 0 of `output`.
    static func byHand(_ output: BertEncoder.Output, positions: [Int], head path: String) throws -> [Float] {
        let h = output.width
        var features = Array(output.vector(0, 0)) + [Float](repeating: 0, count: h)
        for p in positions {
            for (i, v) in output.vector(0, p).enumerated() { features[h + i] += v / Float(positions.count) }
        }
        return try headProbabilities(features, head: path)
    }

    @Test func markedModelsTellTheEncoderWhichPiecesAreTheTarget() throws {
        let dir = try TempDir()
        let base = BaseEncoder.directory()
        let shippedPath = try Self.shippedPath
        let plain = try TargetSentimentModel(path: shippedPath, base: base)
        #expect(plain.marking == .none)
        let sentence = "Officials in Baghdad warmly praised Ana Lima, while Paris condemned the deal."
        let lima = 36..<44
        let paris = 52..<57
        let tokenizer = plain.encoder.tokenizer
        let pieces = tokenizer.encode(sentence)
        let inside = { (r: Range<Int>) in
            pieces.indices.filter {
                pieces[$0].start < r.upperBound && pieces[$0].end > r.lowerBound && pieces[$0].end > pieces[$0].start
            }
        }
        #expect(inside(lima).count >= 2 && inside(paris).count == 1)
        let h = plain.encoder.configuration.hidden
        // Late marking with a zero marker changes nothing; with one, the last 2 layers run per target, marked.
        let zeroPath = dir.path("zero.model")
        try Self.rewrite(
            to: zeroPath, head: { w, _ in w }, metadata: ["marking": "late", "mark_layers": "2"],
            tensors: ["marker": [Float](repeating: 0, count: h)])
        let marker = (0..<h).map { Float(($0 * 37) % 11) / 5 - 1 }
        let latePath = dir.path("late.model")
        try Self.rewrite(
            to: latePath, head: { w, _ in w }, metadata: ["marking": "late", "mark_layers": "2"],
            tensors: ["marker": marker])
        let zero = try TargetSentimentModel(path: zeroPath, base: base)
        let late = try TargetSentimentModel(path: latePath, base: base)
        #expect(late.marking == .late(layers: 2))
        let both = TargetSentimentModel.Query(sentence: sentence, targets: [[lima], [paris]])
        let p0 = try plain.classify([both])[0]
        let pz = try zero.classify([both])[0]
        for (a, b) in zip(p0, pz) { #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }, "\(a) \(b)") }
        let got = try late.classify([both])[0]
        let below = late.encoder.encode([pieces], layers: 4)
        for (t, span) in [lima, paris].enumerated() {
            var marked = below
            for p in inside(span) {
                for i in 0..<h { marked.states[p * h + i] += marker[i] }
            }
            let expected = try Self.byHand(
                late.encoder.resume(marked, from: 4), positions: inside(span), head: shippedPath)
            #expect(zip(expected, got[t]).allSatisfy { abs($0 - $1) < 1e-4 }, "\(t): \(expected) \(got[t])")
            #expect(zip(p0[t], got[t]).contains { abs($0 - $1) > 1e-3 }, "the marker was read")
        }
        // Segment marking: a pass per target, the target's pieces in the second segment.
        let segmentPath = dir.path("segment.model")
        try Self.rewrite(to: segmentPath, head: { w, _ in w }, metadata: ["marking": "segment"])
        let segment = try TargetSentimentModel(path: segmentPath, base: base)
        let bySegment = try segment.classify([both])[0]
        for (t, span) in [lima, paris].enumerated() {
            var marked = pieces
            for p in inside(span) { marked[p].segment = 1 }
            let expected = try Self.byHand(
                segment.encoder.encode([marked]), positions: inside(span), head: shippedPath)
            #expect(zip(expected, bySegment[t]).allSatisfy { abs($0 - $1) < 1e-4 }, "\(t): \(expected) \(bySegment[t])")
        }
        // A late-marking model without its marker or with too many layers, an unknown marking, or marking in a
        // document-level model: refused.
        let odd = dir.path("odd.model")
        for (metadata, tensors) in [
            (["marking": "late", "mark_layers": "2"], [:]),
            (["marking": "late", "mark_layers": "7"], ["marker": marker]),
            (["marking": "brackets"], [:]),
            (["marking": "segment", "input": "document"], [:]),
        ] as [([String: String], [String: [Float]])] {
            try Self.rewrite(to: odd, head: { w, _ in w }, metadata: metadata, tensors: tensors)
            #expect(throws: EncoderError.self, "\(metadata)") { try TargetSentimentModel(path: odd, base: base) }
        }
    }

    /// A safetensors file of the shipped news model with its head replaced, its metadata extended, `tensors` added
    /// (as vectors) and `matrices` added (rows × the rest), replacing the shipped tensors of the same names.
    static func rewrite(
        to path: String, head: (_ shipped: [Float], _ hidden: Int) -> [Float], metadata extra: [String: String],
        tensors added: [String: [Float]] = [:], matrices: [String: (rows: Int, values: [Float])] = [:]
    ) throws {
        let shipped = try SafeTensors(path: try shippedPath)
        var header: [String: Any] = ["__metadata__": shipped.metadata.merging(extra) { $1 }]
        var tensors: [(name: String, shape: [Int], values: [Float])] = try shipped.entries.keys.sorted().map { name in
            var shape = shipped.entries[name]!.shape
            var values = Array(try shipped.floats(name, shape: shape))
            if name == "head.weight" {
                values = head(values, shape[1] / 2)
                shape[1] = values.count / shape[0]
            }
            return (name, shape, values)
        }
        tensors += added.sorted(by: { $0.key < $1.key }).map { ($0.key, [$0.value.count], $0.value) }
        tensors.removeAll { matrices[$0.name] != nil }
        tensors += matrices.sorted(by: { $0.key < $1.key }).map {
            ($0.key, [$0.value.rows, $0.value.values.count / $0.value.rows], $0.value.values)
        }
        var blob: [UInt8] = []
        for t in tensors {
            header[t.name] = [
                "dtype": "F32", "shape": t.shape, "data_offsets": [blob.count, blob.count + 4 * t.values.count],
            ]
            blob += t.values.withUnsafeBytes { Array($0) }
        }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        json += Array(repeating: 0x20, count: (8 - json.count % 8) % 8)
        let length = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        try Data(length + json + blob).write(to: URL(fileURLWithPath: path))
    }

    /// A fully fine-tuned model (`--setting adapters=full`) holds the encoder's weights themselves: a weight in the
    /// file replaces the base's. Written as the shipped adapters merged by hand, it scores as the shipped model.
    @Test func aFullyFineTunedWeightReplacesTheBase() throws {
        let dir = try TempDir()
        let base = BaseEncoder.directory()
        let shippedPath = try Self.shippedPath
        let shipped = try SafeTensors(path: shippedPath)
        let weights = try SafeTensors(path: base + "/model.safetensors")
        let name = "encoder.layer.3.intermediate.dense"
        let (rows, columns) = (1536, 384)
        let rank = try #require(shipped.entries[name + ".lora_a"]?.shape.first)
        let a = try shipped.floats(name + ".lora_a", shape: [rank, columns])
        let b = try shipped.floats(name + ".lora_b", shape: [rows, rank])
        var merged = Array(try weights.floats(name + ".weight", shape: [rows, columns]))
        for i in 0..<rows {
            for r in 0..<rank {
                let bir = b[i * rank + r]
                for j in 0..<columns { merged[i * columns + j] += bir * a[r * columns + j] }
            }
        }
        let query = TargetSentimentModel.Query(
            sentence: "Officials in Baghdad warmly praised Ana Lima, while Paris condemned the deal.",
            targets: [[36..<44], [52..<57]])
        let expected = try TargetSentimentModel(path: shippedPath, base: base).classify([query])[0]
        let fullPath = dir.path("full.model")
        try Self.rewrite(to: fullPath, head: { w, _ in w }, metadata: [:], matrices: [name + ".weight": (rows, merged)])
        let full = try TargetSentimentModel(path: fullPath, base: base).classify([query])[0]
        for (e, f) in zip(expected, full) { #expect(zip(e, f).allSatisfy { abs($0 - $1) < 1e-4 }, "\(e) \(f)") }
        // The file's weight is read, not the base's merged with adapters: zeros change the scores.
        try Self.rewrite(
            to: fullPath, head: { w, _ in w }, metadata: [:],
            matrices: [name + ".weight": (rows, [Float](repeating: 0, count: rows * columns))])
        let zeroed = try TargetSentimentModel(path: fullPath, base: base).classify([query])[0]
        #expect(zip(expected, zeroed).contains { e, z in zip(e, z).contains { abs($0 - $1) > 1e-3 } })
    }

    @Test func aLocalPoolingModelReadsThePiecesAroundTheTarget() throws {
        let dir = try TempDir()
        let base = BaseEncoder.directory()
        let shippedPath = try Self.shippedPath
        let plain = try TargetSentimentModel(path: shippedPath, base: base)
        // Per class, the head is [CLS part | target part]; a local model's is [CLS | target | neighbours].
        let split = { (w: [Float], h: Int, c: Int) in
            (Array(w[(c * 2 * h)..<(c * 2 * h + h)]), Array(w[(c * 2 * h + h)..<((c + 1) * 2 * h)]))
        }
        // With the neighbours' weights zero, a local model scores as the plain one.
        let zeroPath = dir.path("zero.model")
        try Self.rewrite(
            to: zeroPath,
            head: { w, h in
                (0..<3).flatMap { c in split(w, h, c).0 + split(w, h, c).1 + [Float](repeating: 0, count: h) }
            },
            metadata: ["pooling": "local", "window": "2"])
        // With the target's weights moved to the neighbours' place, only the pieces within 2 of the target count.
        let movedPath = dir.path("moved.model")
        try Self.rewrite(
            to: movedPath,
            head: { w, h in
                (0..<3).flatMap { c in split(w, h, c).0 + [Float](repeating: 0, count: h) + split(w, h, c).1 }
            }, metadata: ["pooling": "local", "window": "2"])
        let zero = try TargetSentimentModel(path: zeroPath, base: base)
        let local = try TargetSentimentModel(path: movedPath, base: base)
        #expect(zero.pooling == .local(window: 2) && plain.pooling == .target)
        let sentence = "Officials in Baghdad warmly praised Ana Lima on Tuesday for the deal."
        let target = 36..<44  // Ana Lima
        let query = TargetSentimentModel.Query(sentence: sentence, targets: [[target]])
        let p0 = try plain.classify([query])[0][0]
        let pz = try zero.classify([query])[0][0]
        #expect(zip(p0, pz).allSatisfy { abs($0 - $1) < 1e-5 }, "\(p0) \(pz)")
        // By hand: the pieces of "warmly praised" before and "on Tuesday" after (2 each side), all layers run.
        let tokenizer = local.encoder.tokenizer
        let pieces = tokenizer.pieces(of: sentence)
        let inside = pieces.indices.filter {
            pieces[$0].start < target.upperBound && pieces[$0].end > target.lowerBound
        }
        let around = Array((inside.first! - 2)..<inside.first!) + Array((inside.last! + 1)...(inside.last! + 2))
        #expect(
            around.map {
                String(sentence.unicodeScalars.dropFirst(pieces[$0].start).prefix(pieces[$0].end - pieces[$0].start))
            } == ["warmly", "praised", "on", "tuesday"].map { $0 == "tuesday" ? "Tuesday" : $0 })
        let output = local.encoder.encode([tokenizer.encode(sentence)])
        let h = output.width
        var features = Array(output.vector(0, 0)) + [Float](repeating: 0, count: 2 * h)
        for p in around {
            let row = Array(output.vector(0, p + 1))
            for i in 0..<h { features[2 * h + i] += row[i] / Float(around.count) }
        }
        let expected = try Self.headProbabilities(features, head: movedPath)
        let got = try local.classify([query])[0][0]
        #expect(zip(expected, got).allSatisfy { abs($0 - $1) < 1e-4 }, "\(expected) \(got)")
        #expect(zip(p0, got).contains { abs($0 - $1) > 1e-3 }, "the neighbours, not the target, were read")
        // Unknown pooling, or local pooling in a document-level model, is refused.
        let odd = dir.path("odd.model")
        try Self.rewrite(to: odd, head: { w, _ in w }, metadata: ["pooling": "attention"])
        #expect(
            "\(try #require(throws: EncoderError.self) { try TargetSentimentModel(path: odd, base: base) })".contains(
                "pooling 'attention' is not known"))
        try Self.rewrite(
            to: odd, head: { w, h in w + [Float](repeating: 0, count: 3 * h) },
            metadata: ["pooling": "local", "window": "2", "input": "document"])
        #expect(throws: EncoderError.self) { try TargetSentimentModel(path: odd, base: base) }
    }
}
