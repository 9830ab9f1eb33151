import Foundation
import OrderedCollections
import PipelineCore

/// `stance model`: stance toward each target from a classifier this project trains (``StanceModel``, an averaged
/// perceptron over the words around each mention by side and distance, bigrams, the mention itself, negation,
/// quotation, the hand-written lexicon's words and tone near it; ten perceptrons averaged into one). Per target, the
/// class scores of its mentions are averaged and turned into probabilities (softmax, temperature 4); the label is the likeliest class and the score P(positive) − P(negative).
/// A document-level model (trained on SemEval-style files; `model=semeval`) instead scores the whole text toward each
/// named target, which the text need not mention (``documentStance(_:target:mentions:model:)``).
public struct ModelStanceStage: StanceStage, TrainableStage, ExplainingStage {
    static let targets = StanceTargets.option
    static let model = StageOption<String?>(
        "model", type: .path,
        help:
            "a model trained with `pipeline train stance model`; unset or \"\": the built-in NewsMTSC mention model; \"semeval\": the built-in SemEval-2016 document model (stance toward a named target the text need not mention)"
    )

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .stance, name: "model",
        help:
            "stance toward each target from a trained classifier over the words around its mentions; score P(pos) − P(neg) of the mentions' averaged class scores",
        options: [targets, model], requires: [.sentences, .tokens], provides: [.stances])

    /// How it trains.
    public static let training = TrainingDescriptor(
        help:
            "ten averaged multi-class perceptrons (own shuffles, weights averaged) over mention-relative features; the best epoch on --dev is kept",
        formats:
            "*.targets.jsonl (sentence, from, to, polarity) for a mention-level model; SemEval-2016 JSONL (text, target, stance FAVOR/AGAINST/NONE) for a document-level one",
        metric: "F1 macro", defaultEpochs: 12)

    let targetSpec: StanceTargets
    let model: ModelChoice
    var loaded: StanceModel?

    /// Reads the options.
    public init(options: StageOptions, context: StageContext) throws {
        targetSpec = try StanceTargets(options[Self.targets])
        model = try ModelChoice(
            options[Self.model], builtIn: "stance", alternatives: ["semeval": "stance-semeval"], kind: "stance",
            option: Self.model.name)
    }

    /// Loads the model once per process.
    public mutating func prepare(_ resources: ResourceCache) throws {
        loaded = try model.load(resources) { try StanceModel.load($0, option: $1) }
    }

    /// Sets `document.stances`.
    public func process(_ document: inout Document) throws {
        guard let model = loaded else { throw DocumentError("stance model: the model was not loaded (prepare)") }
        let ctx = MentionContext(document)
        if model.level == .document {
            document.stances = targetSpec.resolve(document).map {
                documentStance(ctx, target: $0.name, mentions: $0.mentions.count, model: model)
            }
            return
        }
        document.stances = try targetSpec.resolve(document).map { target in
            var total = [0.0, 0.0, 0.0]
            var bySentence: [(Int, Double)] = []
            for (i, m) in target.mentions.enumerated() {
                if i % 64 == 0 { try RunCancellation.checkCurrent() }
                guard let (features, sentence) = ctx.features(m) else { continue }
                let s = model.scores(features)
                for c in 0..<3 { total[c] += s[c] }
                bySentence.append((sentence, s[2] - s[0]))
            }
            let n = Double(max(1, bySentence.count))
            let p = softmax(total.map { $0 / n })
            let best = (0..<3).max { p[$0] < p[$1] } ?? 1
            let label = target.mentions.isEmpty ? .neutral : StanceModel.classes[best]
            let score = target.mentions.isEmpty ? 0 : ((p[2] - p[0]) * 10_000).rounded() / 10_000
            var seen = Set<Int>()
            let evidence = bySentence.filter { abs($0.1) > 1e-9 }.sorted { abs($0.1) > abs($1.1) }.map(\.0).filter {
                seen.insert($0).inserted
            }
            var stance = Stance(target: target.name, score: score, label: label, evidence: evidence)
            stance.mentions = target.mentions.count
            stance.confidence = (p[best] * 1000).rounded() / 1000
            return stance
        }
    }

    /// A document-level model's stance toward `target`: the class probabilities of the whole text's features; the
    /// evidence is the sentences whose words pull hardest toward the chosen side.
    func documentStance(_ ctx: MentionContext, target: String, mentions: Int, model: StanceModel) -> Stance {
        // Scores grow with the text's length (every n-gram adds its weights); dividing by the square root of the
        // feature count keeps the probabilities of short and long texts comparable instead of saturated.
        let features = StanceFeatures.document(words: ctx.words, hashes: ctx.hashes, target: target)
        let p = softmax(model.scores(features).map { $0 / Double(features.count).squareRoot() })
        let best = (0..<3).max { p[$0] < p[$1] } ?? 1
        var stance = Stance(
            target: target, score: ((p[2] - p[0]) * 10_000).rounded() / 10_000, label: StanceModel.classes[best],
            evidence: best == 1
                ? []
                : ctx.sentencePulls(target: target, model: model).filter {
                    ($0.1 > 0) == (best == 2) && abs($0.1) > 1e-9
                }
                .sorted { abs($0.1) > abs($1.1) }.map(\.0))
        stance.mentions = mentions
        stance.confidence = (p[best] * 1000).rounded() / 1000
        return stance
    }

    /// For each mention of `target`: its class probabilities; then each nearby word's pull (its features' positive
    /// minus negative weight, in the model's units), strongest first. For a document-level model: the whole text's
    /// stance, then each word's pull toward the target.
    public func explain(_ document: Document, target: String) throws -> [Explanation] {
        guard let model = loaded else { throw DocumentError("stance model: the model was not loaded (prepare)") }
        let ctx = MentionContext(document)
        guard let t = targetSpec.resolve(document).first(where: { $0.name.lowercased() == target.lowercased() }) else {
            return []
        }
        if model.level == .document {
            // The whole text's class probabilities, then each word by its pull toward this target.
            let stance = documentStance(ctx, target: t.name, mentions: t.mentions.count, model: model)
            let tokens = document.tokens ?? [], sentences = document.sentences ?? []
            func sentence(_ token: Int) -> Int {
                sentences.isEmpty
                    ? 0
                    : min(sentences.count - 1, MentionContext.firstIndex(sentences) { $0.end > tokens[token].start })
            }
            let words = ctx.documentWordPulls(target: t.name, model: model).filter { abs($0.pull) >= 0.5 }
                .sorted { abs($0.pull) > abs($1.pull) }
                .map {
                    Explanation(
                        sentence: sentence($0.token), reason: "'\(ctx.words[$0.token])' about '\(t.name)'",
                        contribution: $0.pull)
                }
            return [
                Explanation(
                    sentence: stance.evidence.first ?? 0,
                    reason:
                        "whole text toward '\(t.name)' (document-level model): \(stance.label.rawValue), score \(stance.score)",
                    contribution: stance.score)
            ] + words
        }
        var mentions: [Explanation] = []
        var out: [Explanation] = []
        for m in t.mentions {
            guard let (features, sentence) = ctx.features(m) else { continue }
            let s = model.scores(features)
            let p = softmax(s)
            mentions.append(
                Explanation(
                    sentence: sentence,
                    reason: String(
                        format: "mention '%@': P(neg) %.2f, P(neu) %.2f, P(pos) %.2f",
                        document.text.slice(m), p[0], p[1], p[2]), contribution: p[2] - p[0]))
            for (what, pull) in ctx.pulls(m, model: model) where abs(pull) >= 0.5 {
                out.append(
                    Explanation(
                        sentence: sentence, reason: "\(what) near '\(document.text.slice(m))'", contribution: pull))
            }
        }
        // Each mention's probabilities first, then the words by the strength of their pull.
        return mentions + out.sorted { abs($0.contribution) > abs($1.contribution) }
    }
}

/// Class probabilities from class scores, at temperature 4.
private func softmax(_ s: [Double]) -> [Double] {
    let m = s.max() ?? 0
    let e = s.map { exp(($0 - m) / 4) }
    let z = e.reduce(0, +)
    return e.map { $0 / z }
}
