import Foundation
import PipelineCore
import PipelineEncoder

/// `stance encoder`: stance toward each target from the transformer encoder (all-MiniLM-L6-v2 with low-rank adapters
/// fine-tuned on NewsMTSC, ``TargetSentimentModel``). Each sentence that mentions a target is encoded once for all its
/// targets; a target's class probabilities in a sentence come from the `[CLS]` vector and its own pieces. Per target,
/// the probabilities of the sentences that mention it are averaged: the label is the likeliest class, the score
/// P(positive) − P(negative), the evidence the sentences ordered by how far they lean. With `model=semeval` (a
/// document-level model fine-tuned on SemEval-2016) the whole text is read with each named target's name instead.
public struct EncoderStanceStage: StanceStage, ExplainingStage {
    static let targets = StanceTargets.option
    static let model = StageOption<String?>(
        "model", type: .path,
        help:
            "a fine-tuning written by `pipeline train stance encoder`; unset: the built-in NewsMTSC mention model; \"semeval\": the built-in SemEval-2016 document model (stance toward a named target the text need not mention)"
    )

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .stance, name: "encoder",
        help:
            "stance toward each target from a fine-tuned transformer encoder (one pass per sentence for all its targets); score P(pos) − P(neg) averaged over the sentences that mention it; :why shows each mention's probabilities and the words whose removal moves them most (occlusion)",
        options: [targets, model], requires: [.sentences], provides: [.stances])

    let targetSpec: StanceTargets
    let model: ModelChoice
    let base: String
    var loaded: TargetSentimentModel?

    /// Reads the options and checks that the base encoder is there (an error at the stage's line names the command
    /// that fetches it).
    public init(options: StageOptions, context: StageContext) throws {
        targetSpec = try StanceTargets(options[Self.targets])
        model = try ModelChoice(
            options[Self.model], builtIn: "stance-encoder", alternatives: ["semeval": "stance-encoder-semeval"],
            kind: "stance encoder", option: Self.model.name)
        base = BaseEncoder.directory()
        do { try BaseEncoder.verify(base) } catch { throw StageConfigurationError("\(error)") }
    }

    /// Loads the encoder once per process; every job slot shares it.
    public mutating func prepare(_ resources: ResourceCache) throws {
        let base = self.base
        loaded = try model.load(resources) { path, option in
            do { return try TargetSentimentModel(path: path, base: base) } catch {
                throw StageConfigurationError("\(error)", option: option)
            }
        }
    }

    /// One target's probabilities in each sentence that mentions it.
    struct Scored {
        var name: String
        var mentions: Int
        /// (sentence index, probabilities).
        var sentences: [(Int, [Float])]
    }

    /// What a document asks of the encoder: one query per sentence that mentions a target.
    struct Plan {
        var targets: [(name: String, mentions: [Span])]
        /// The sentences queried, in order, and the targets each query scores.
        var sentences: [Int] = []
        var owners: [[Int]] = []
        var queries: [TargetSentimentModel.Query] = []
    }

    /// The queries of `document`.
    func plan(_ document: Document) throws -> Plan {
        let sentences = document.sentences ?? []
        var plan = Plan(targets: targetSpec.resolve(document))
        // Sentence → target → the target's mentions in it, relative to the sentence's start.
        var bySentence: [Int: [Int: [Range<Int>]]] = [:]
        for (t, target) in plan.targets.enumerated() {
            for m in target.mentions {
                let s = MentionContext.firstIndex(sentences) { $0.end > m.start }
                guard s < sentences.count, sentences[s].start <= m.start else { continue }
                let start = sentences[s].start
                bySentence[s, default: [:]][t, default: []].append(
                    (m.start - start)..<(min(m.end, sentences[s].end) - start))
            }
        }
        var slicer = TextSlicer(document.text)
        for (k, s) in bySentence.keys.sorted().enumerated() {
            if k % 64 == 0 { try RunCancellation.checkCurrent() }
            let targets = bySentence[s]!.keys.sorted()
            plan.sentences.append(s)
            plan.owners.append(targets)
            plan.queries.append(
                .init(sentence: slicer.slice(sentences[s]), targets: targets.map { bySentence[s]![$0]! }))
        }
        return plan
    }

    /// Every target's probabilities, sentence by sentence, from the answers to `plan.queries`.
    static func scored(_ plan: Plan, _ probabilities: ArraySlice<[[Float]]>) -> [Scored] {
        var scored = plan.targets.map { Scored(name: $0.name, mentions: $0.mentions.count, sentences: []) }
        for (q, targets) in plan.owners.enumerated() {
            let answer = probabilities[probabilities.startIndex + q]
            for (j, t) in targets.enumerated() { scored[t].sentences.append((plan.sentences[q], answer[j])) }
        }
        return scored
    }

    /// Every target's probabilities, sentence by sentence (one encoder call for the document).
    func score(_ document: Document, model: TargetSentimentModel) throws -> [Scored] {
        let plan = try plan(document)
        return Self.scored(plan, try model.classify(plan.queries)[...])
    }

    /// Sets `document.stances` (a batch of one).
    public func process(_ document: inout Document) throws {
        var batch = [document]
        var worker = BatchWorker(stage: self)
        if let error = worker.processBatch(&batch)[0] { throw error }
        document = batch[0]
    }

    /// The documents of a batch go through the encoder together, so its products are large even when each
    /// document has a sentence or two.
    public var batchesDocuments: Bool { true }

    /// A worker that scores a batch's documents with one call to the encoder.
    public func makeWorker() throws -> any TransformWorker { BatchWorker(stage: self) }

    struct BatchWorker: TransformWorker {
        let stage: EncoderStanceStage

        mutating func process(_ document: inout Document) throws { try stage.process(&document) }

        mutating func processBatch(_ documents: inout [Document]) -> [(any Error)?] {
            guard let model = stage.loaded else {
                return documents.map { _ in DocumentError("stance encoder: the model was not loaded (prepare)") }
            }
            if model.level == .document {
                return EncoderStanceStage.documentStances(&documents, targetSpec: stage.targetSpec, model: model)
            }
            var errors = [(any Error)?](repeating: nil, count: documents.count)
            var plans: [Plan?] = []
            var queries: [TargetSentimentModel.Query] = []
            for k in documents.indices {
                do {
                    let plan = try stage.plan(documents[k])
                    queries += plan.queries
                    plans.append(plan)
                } catch {
                    errors[k] = error
                    plans.append(nil)
                }
            }
            let answers: [[[Float]]]
            do { answers = try model.classify(queries) } catch {
                // Interrupted: every document of the batch stops here.
                return documents.map { _ in error }
            }
            var next = 0
            for k in documents.indices {
                guard let plan = plans[k] else { continue }
                let mine = answers[next..<(next + plan.queries.count)]
                next += plan.queries.count
                documents[k].stances = EncoderStanceStage.scored(plan, mine).map {
                    EncoderStanceStage.stance($0, labels: model.labels)
                }
            }
            return errors
        }
    }

    /// Averages a target's sentence probabilities into its stance.
    static func stance(_ s: Scored, labels: [String]) -> Stance {
        guard !s.sentences.isEmpty else {
            var stance = Stance(target: s.name, score: 0, label: .neutral, evidence: [])
            stance.mentions = s.mentions
            return stance
        }
        let negative = labels.firstIndex(of: "negative") ?? 0
        let positive = labels.firstIndex(of: "positive") ?? labels.count - 1
        var mean = [Double](repeating: 0, count: labels.count)
        for (_, p) in s.sentences { for c in p.indices { mean[c] += Double(p[c]) / Double(s.sentences.count) } }
        let best = mean.indices.max { mean[$0] < mean[$1] } ?? 0
        let label = Stance.Label(rawValue: labels[best]) ?? .neutral
        let lean = s.sentences.map { ($0.0, Double($0.1[positive] - $0.1[negative])) }
        var seen = Set<Int>()
        let evidence = lean.sorted { abs($0.1) > abs($1.1) }.map(\.0).filter { seen.insert($0).inserted }
        var stance = Stance(
            target: s.name, score: ((mean[positive] - mean[negative]) * 10_000).rounded() / 10_000, label: label,
            evidence: evidence)
        stance.mentions = s.mentions
        stance.confidence = (mean[best] * 1000).rounded() / 1000
        return stance
    }

    /// For each sentence that mentions `target`: its class probabilities; then the words of those sentences by how
    /// much removing each one moves P(positive) − P(negative) (occlusion: the word replaced by spaces, the sentence
    /// encoded again; positive: the word made the stance more favourable).
    public func explain(_ document: Document, target: String) throws -> [Explanation] {
        guard let model = loaded else { throw DocumentError("stance encoder: the model was not loaded (prepare)") }
        if model.level == .document { return try explainDocument(document, target: target, model: model) }
        let scored = try score(document, model: model)
        guard let t = scored.first(where: { $0.name.lowercased() == target.lowercased() }) else { return [] }
        let negative = model.labels.firstIndex(of: "negative") ?? 0
        let positive = model.labels.firstIndex(of: "positive") ?? model.labels.count - 1
        let sentences = document.sentences ?? []
        let tokens = document.tokens ?? []
        let spans = targetSpec.resolve(document).first { $0.name == t.name }?.mentions ?? []
        var slicer = TextSlicer(document.text)
        var out: [Explanation] = []
        var words: [Explanation] = []
        for (s, p) in t.sentences {
            let sentence = sentences[s]
            let text = slicer.slice(sentence)
            let lean = Double(p[positive] - p[negative])
            let probabilities = model.labels.indices.map { String(format: "P(%@) %.2f", model.labels[$0], p[$0]) }
            out.append(
                Explanation(
                    sentence: s, reason: "'\(t.name)': " + probabilities.joined(separator: ", "), contribution: lean))
            let mine = spans.filter { $0.start >= sentence.start && $0.end <= sentence.end }.map {
                ($0.start - sentence.start)..<($0.end - sentence.start)
            }
            let inSentence = tokens.filter { $0.start >= sentence.start && $0.end <= sentence.end }.filter { tok in
                !mine.contains {
                    tok.start - sentence.start < $0.upperBound && tok.end - sentence.start > $0.lowerBound
                }
            }
            let scalars = Array(text.unicodeScalars)
            var queries: [TargetSentimentModel.Query] = []
            for tok in inSentence {
                var copy = scalars
                for i in (tok.start - sentence.start)..<min(scalars.count, tok.end - sentence.start) { copy[i] = " " }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: copy)
                queries.append(.init(sentence: String(view), targets: [mine]))
            }
            for (tok, r) in zip(inSentence, try model.classify(queries)) {
                let without = Double(r[0][positive] - r[0][negative])
                let pull = lean - without
                guard abs(pull) >= 0.02 else { continue }
                words.append(
                    Explanation(
                        sentence: s, reason: "'\(slicer.slice(tok))' (occluded: \(String(format: "%+.2f", -pull)))",
                        contribution: pull))
            }
        }
        return out + words.sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
