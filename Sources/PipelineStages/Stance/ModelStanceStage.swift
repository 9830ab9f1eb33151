import OrderedCollections
import Foundation
import PipelineCore

/// `stance model`: stance toward each target from a classifier this project trains (``StanceModel``, an averaged
/// perceptron over the words around each mention by side and distance, bigrams, the mention itself, negation,
/// quotation, the hand-written lexicon's words and tone near it; ten perceptrons averaged into one). Per target, the
/// class scores of its mentions are averaged and turned into probabilities (softmax, temperature 4); the label is the likeliest class and the score P(positive) − P(negative).
/// A document-level model (trained on SemEval-style files; `model=semeval`) instead scores the whole text toward each
/// named target, which the text need not mention (``documentStance(_:target:mentions:model:)``).
public struct ModelStanceStage: StanceStage, TrainableStage, ExplainingStage {
    static let targets = StageOption<[String]>("targets", default: ["entities"],
                                               help: "\"entities\" (every canonical actor), a list of names, \"field:NAME\", or \"span\" (the document's from/to)")
    static let model = StageOption<String?>("model", type: .path,
                                            help: "a model trained with `pipeline train stance model`; unset or \"\": the built-in NewsMTSC mention model; \"semeval\": the built-in SemEval-2016 document model (stance toward a named target the text need not mention)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .stance, name: "model",
        help: "stance toward each target from a trained classifier over the words around its mentions; score P(pos) − P(neg) of the mentions' averaged class scores",
        options: [targets, model], requires: [.sentences, .tokens], provides: [.stances])

    /// How it trains.
    public static let training = TrainingDescriptor(
        help: "ten averaged multi-class perceptrons (own shuffles, weights averaged) over mention-relative features; the best epoch on --dev is kept",
        formats: "*.targets.jsonl (sentence, from, to, polarity) for a mention-level model; SemEval-2016 JSONL (text, target, stance FAVOR/AGAINST/NONE) for a document-level one",
        metric: "F1 macro", defaultEpochs: 12)

    let targetSpec: StanceTargets
    let model: ModelChoice
    var loaded: StanceModel?

    /// Reads the options.
    public init(options: StageOptions, context: StageContext) throws {
        targetSpec = try StanceTargets(options[Self.targets])
        model = try ModelChoice(options[Self.model], builtIn: "stance", alternatives: ["semeval": "stance-semeval"], kind: "stance",
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
            document.stances = targetSpec.resolve(document).map { documentStance(ctx, target: $0.name, mentions: $0.mentions.count, model: model) }
            return
        }
        document.stances = targetSpec.resolve(document).map { target in
            var total = [0.0, 0.0, 0.0]
            var bySentence: [(Int, Double)] = []
            for m in target.mentions {
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
            let evidence = bySentence.filter { abs($0.1) > 1e-9 }.sorted { abs($0.1) > abs($1.1) }.map(\.0).filter { seen.insert($0).inserted }
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
        var stance = Stance(target: target, score: ((p[2] - p[0]) * 10_000).rounded() / 10_000, label: StanceModel.classes[best],
                            evidence: best == 1 ? [] : ctx.sentencePulls(target: target, model: model).filter { ($0.1 > 0) == (best == 2) && abs($0.1) > 1e-9 }
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
        guard let t = targetSpec.resolve(document).first(where: { $0.name.lowercased() == target.lowercased() }) else { return [] }
        if model.level == .document {
            // The whole text's class probabilities, then each word by its pull toward this target.
            let stance = documentStance(ctx, target: t.name, mentions: t.mentions.count, model: model)
            let tokens = document.tokens ?? [], sentences = document.sentences ?? []
            func sentence(_ token: Int) -> Int {
                sentences.isEmpty ? 0 : min(sentences.count - 1, MentionContext.firstIndex(sentences) { $0.end > tokens[token].start })
            }
            let words = ctx.documentWordPulls(target: t.name, model: model).filter { abs($0.pull) >= 0.5 }
                .sorted { abs($0.pull) > abs($1.pull) }
                .map { Explanation(sentence: sentence($0.token), reason: "'\(ctx.words[$0.token])' about '\(t.name)'", contribution: $0.pull) }
            return [Explanation(sentence: stance.evidence.first ?? 0,
                                reason: "whole text toward '\(t.name)' (document-level model): \(stance.label.rawValue), score \(stance.score)",
                                contribution: stance.score)] + words
        }
        var mentions: [Explanation] = []
        var out: [Explanation] = []
        for m in t.mentions {
            guard let (features, sentence) = ctx.features(m) else { continue }
            let s = model.scores(features)
            let p = softmax(s)
            mentions.append(Explanation(sentence: sentence, reason: String(format: "mention '%@': P(neg) %.2f, P(neu) %.2f, P(pos) %.2f",
                                                                      document.text.slice(m), p[0], p[1], p[2]), contribution: p[2] - p[0]))
            for (what, pull) in ctx.pulls(m, model: model) where abs(pull) >= 0.5 {
                out.append(Explanation(sentence: sentence, reason: "\(what) near '\(document.text.slice(m))'", contribution: pull))
            }
        }
        // Each mention's probabilities first, then the words by the strength of their pull.
        return mentions + out.sorted { abs($0.contribution) > abs($1.contribution) }
    }

    /// Trains a model (`pipeline train stance model`).
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        // NewsMTSC-style files train a mention-level model; SemEval-style files (text, target, stance) a document-level one.
        let level: StanceModel.Level = request.trainFiles.first.map(StanceData.holdsDocuments) == true ? .document : .mention
        func examples(_ path: String) throws -> [([UInt64], Int)] {
            guard StanceData.holdsDocuments(path) == (level == .document) else {
                throw TrainingError.data(file: path, line: 1, message: "mixes formats: give only NewsMTSC (sentence, from, to, polarity) or only SemEval (text, target, stance) files")
            }
            if level == .document {
                return try StanceData.readDocuments(path).map { d, label in
                    let ctx = MentionContext(d)
                    return (StanceFeatures.document(words: ctx.words, hashes: ctx.hashes, target: d.meta["target"]?.stringValue ?? ""),
                            StanceModel.classes.firstIndex(of: label)!)
                }
            }
            return try StanceData.read(path).compactMap { d, label in
                MentionContext(d).features(Span(start: d.meta["from"]!.intValue!, end: d.meta["to"]!.intValue!))
                    .map { ($0.0, StanceModel.classes.firstIndex(of: label)!) }
            }
        }
        let train = try request.trainFiles.flatMap(examples)
        guard !train.isEmpty else { throw TrainingError.request("the training files hold no examples") }
        let dev = try request.devFile.map(examples) ?? []
        // Document-level (SemEval) models are chosen by F_avg, the mean F1 of FAVOR and AGAINST; mention-level ones by
        // macro-F1 over the three classes.
        let criterion = level == .document ? "F avg" : "F1 macro"
        // Rows for every feature, in order of first appearance.
        var rowOf: [UInt64: Int] = [:]
        var keys: [UInt64] = []
        let encoded: [([Int], Int)] = train.map { x, y in
            (x.map { f in if let r = rowOf[f] { return r }; rowOf[f] = keys.count; keys.append(f); return keys.count - 1 }, y)
        }
        report(.note("\(train.count) \(level == .document ? "documents" : "mentions"), \(keys.count) features"))
        var best: (model: StanceModel, epoch: Int, dev: [String: Double])?
        Self.fitEnsemble(encoded, keys: keys, level: level, epochs: request.epochs, seed: request.seed,
                         progress: { report(.progress(epoch: $0, done: $1, total: encoded.count)) }) { epoch, averaged, seconds in
            var measures: [String: Double] = [:]
            if !dev.isEmpty {
                measures = macroF1(dev.map { x, y in let s = averaged.scores(x); return (y, (0..<3).max { s[$0] < s[$1] }!) })
            }
            report(.epochEnded(epoch: epoch, seconds: seconds, dev: measures))
            if best == nil || dev.isEmpty || (measures[criterion] ?? 0) > (best!.dev[criterion] ?? 0) { best = (averaged, epoch, measures) }
        }
        return TrainingSummary(epoch: best!.epoch, dev: best!.dev, modelBytes: try request.writeOutput(best!.model.serialized()))
    }

    /// Trains ``ensembleRuns`` perceptrons side by side, each over its own shuffles of the data, and hands the mean of
    /// their averaged weights (one linear model of the same size, steadier than any one of them) to `epochEnded` after
    /// every epoch.
    static func fitEnsemble(_ encoded: [([Int], Int)], keys: [UInt64], level: StanceModel.Level, epochs: Int, seed: UInt64,
                            progress: (Int, Int) -> Void = { _, _ in },
                            epochEnded: (_ epoch: Int, _ model: StanceModel, _ seconds: Double) -> Void) {
        let runs = ensembleRuns
        var w = [[Float]](repeating: [Float](repeating: 0, count: keys.count * 3), count: runs)
        var u = [[Double]](repeating: [Double](repeating: 0, count: keys.count * 3), count: runs)
        var c: Double = 1
        var rng = SeededGenerator(seed: seed)
        var orders = [[Int]](repeating: Array(encoded.indices), count: runs)
        for epoch in 1...epochs {
            let started = DispatchTime.now().uptimeNanoseconds
            let c0 = c
            for run in 0..<runs {
                orders[run].shuffle(using: &rng)
                c = c0
                for (k, i) in orders[run].enumerated() {
                    if run == 0 && k % 1000 == 0 { progress(epoch, k) }
                    let (rows, y) = encoded[i]
                    var s = [Float](repeating: 0, count: 3)
                    for r in rows { for cl in 0..<3 { s[cl] += w[run][r * 3 + cl] } }
                    let p = (0..<3).max { s[$0] < s[$1] }!
                    if p != y {
                        for r in rows {
                            w[run][r * 3 + y] += 1; u[run][r * 3 + y] += c
                            w[run][r * 3 + p] -= 1; u[run][r * 3 + p] -= c
                        }
                    }
                    c += 1
                }
            }
            let averaged = StanceModel(level: level, keys: keys, weights: (0..<(keys.count * 3)).map { i in
                Float((0..<runs).reduce(0.0) { $0 + Double(w[$1][i]) - u[$1][i] / c } / Double(runs))
            })
            epochEnded(epoch, averaged, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
    }

    /// Perceptrons averaged into one model (``train(_:report:)``).
    static let ensembleRuns = 10

    static func macroF1(_ pairs: [(gold: Int, predicted: Int)]) -> [String: Double] {
        var f1s: [Double] = []
        for cl in 0..<3 {
            let tp = Double(pairs.filter { $0.gold == cl && $0.predicted == cl }.count)
            let p = Double(pairs.filter { $0.predicted == cl }.count), g = Double(pairs.filter { $0.gold == cl }.count)
            let pr = p > 0 ? tp / p : 0, rc = g > 0 ? tp / g : 0
            f1s.append(pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0)
        }
        let correct = Double(pairs.filter { $0.gold == $0.predicted }.count)
        return ["F1 macro": f1s.reduce(0, +) / 3, "F avg": (f1s[0] + f1s[2]) / 2, "accuracy": correct / Double(max(1, pairs.count))]
    }
}

private func softmax(_ s: [Double]) -> [Double] {
    let m = s.max() ?? 0
    let e = s.map { exp(($0 - m) / 4) }
    let z = e.reduce(0, +)
    return e.map { $0 / z }
}

/// A document's tokens and sentences, ready to describe any mention in it.
struct MentionContext {
    let document: Document
    let words: [String]
    let hashes: [UInt64]

    init(_ d: Document) {
        document = d
        var text = d.text
        words = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            return (d.tokens ?? []).map { t in
                let a = offsets.byte(atScalar: t.start, in: buf)
                let b = max(a, offsets.byte(atScalar: t.end, in: buf))
                let bytes = UnsafeBufferPointer(rebasing: buf[a..<b])
                // ASCII is lower-cased byte by byte, straight into the string (a lower-cased array first cost an
                // allocation per token); other text through String.
                if bytes.allSatisfy({ $0 < 0x80 }) {
                    return String(unsafeUninitializedCapacity: bytes.count) { out in
                        for (i, b) in bytes.enumerated() { out[i] = b &- 65 < 26 ? b | 0x20 : b }
                        return bytes.count
                    }
                }
                return String(decoding: bytes, as: UTF8.self).lowercased()
            }
        }
        hashes = words.map(StanceFeatures.wordHash)
    }

    /// The first index whose element satisfies `p` in spans sorted by position (`p` false, then true), or `count`.
    static func firstIndex(_ spans: [Span], where p: (Span) -> Bool) -> Int {
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if p(spans[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// What moved the score of the mention at `span`: every feature's pull (its positive minus negative weight),
    /// summed by where it came from — each word of the sentence (its position, its presence, its lexicon sign, the
    /// bigrams beside the mention), the model's prior, the quotation, the position and the lexicon's tone — so that
    /// the parts add up to the mention's score difference.
    func pulls(_ span: Span, model: StanceModel) -> [(what: String, pull: Double)] {
        guard let m = mentionFeatures(span, trace: true) else { return [] }
        var byOrigin: [Int: Double] = [:]
        for (f, o) in zip(m.features, m.origins) {
            let sc = model.scores([f])
            byOrigin[o, default: 0] += sc[2] - sc[0]
        }
        return byOrigin.sorted { $0.key < $1.key }.map { origin, pull in
            switch origin {
            case StanceFeatures.Origin.prior: return ("the model's prior", pull)
            case StanceFeatures.Origin.quotation: return ("inside a quotation", pull)
            case StanceFeatures.Origin.position: return ("its place in the sentence", pull)
            case StanceFeatures.Origin.tone: return ("the lexicon's tone around it", pull)
            default: return ("'\(words[m.start + origin])'", pull)
            }
        }
    }

    /// Each word's pull toward `target` under a document-level model (its own and its target-joined weight,
    /// positive minus negative), in text order.
    func documentWordPulls(target: String, model: StanceModel) -> [(token: Int, pull: Double)] {
        let t = StanceFeatures.wordHash(target.lowercased())
        return hashes.indices.map { i in
            let s = model.scores([StanceFeatures.mix(32, t, hashes[i])])
            return (i, s[2] - s[0])
        }
    }

    /// Each sentence's summed word pull toward `target` under a document-level model, by sentence index.
    func sentencePulls(target: String, model: StanceModel) -> [(Int, Double)] {
        let tokens = document.tokens ?? []
        let sentences = document.sentences ?? []
        var sums = [Double](repeating: 0, count: max(1, sentences.count))
        for (i, pull) in documentWordPulls(target: target, model: model) {
            let s = sentences.isEmpty ? 0 : min(sentences.count - 1, Self.firstIndex(sentences) { $0.end > tokens[i].start })
            sums[s] += pull
        }
        return sums.enumerated().map { ($0.offset, $0.element) }
    }

    /// The features of the mention at `span` and its sentence's index.
    func features(_ span: Span) -> ([UInt64], Int)? {
        mentionFeatures(span, trace: false).map { ($0.features, $0.sentence) }
    }

    /// The mention's features, with their origins when `trace` is set (word origins are indices from `start`, the
    /// sentence's first token).
    private func mentionFeatures(_ span: Span, trace: Bool) -> (features: [UInt64], origins: [Int], start: Int, sentence: Int)? {
        let tokens = document.tokens ?? []
        let sentences = document.sentences ?? []
        let first = Self.firstIndex(tokens) { $0.end > span.start }
        guard first < tokens.count else { return nil }
        var last = first
        while last + 1 < tokens.count && tokens[last + 1].start < span.end { last += 1 }
        // Clamped: when the layers disagree (a token after the last sentence), the last sentence is the context, and
        // the guard below drops a mention outside it.
        let s = sentences.isEmpty ? 0 : min(sentences.count - 1, Self.firstIndex(sentences) { $0.end > tokens[first].start })
        let a = sentences.isEmpty ? 0 : Self.firstIndex(tokens) { $0.start >= sentences[s].start }
        var b = a
        while b < tokens.count && (sentences.isEmpty || tokens[b].end <= sentences[s].end) { b += 1 }
        guard first >= a, last < b else { return nil }
        // Quotation marks before the mention, by their bytes (a string comparison per word was 1.5 % of the daily run).
        let quoteMarks = words[a..<first].lazy.filter { w in
            let u = w.utf8
            return u.count == 1 ? u.first == 0x22 : u.count == 3 && (w == "\u{201C}" || w == "\u{201D}")
        }.count
        let inQuote = quoteMarks % 2 == 1 || (document.quotes ?? []).contains { $0.span.start <= span.start && span.end <= $0.span.end }
        let x = StanceFeatures.traced(words: words[a..<b], hashes: hashes[a..<b], first: first - a, last: last - a,
                                      inQuote: inQuote, lexicon: StanceLexicon.builtInHandWritten, trace: trace)
        return (x.features, x.origins, a, s)
    }
}
