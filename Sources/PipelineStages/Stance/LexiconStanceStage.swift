import Foundation
import PipelineCore

/// `stance lexicon`: how each document leans toward each target, from the words said near its mentions
/// (``LexiconScorer``): the built-in lexicon (valences written for this project, valences learned from NewsMTSC by
/// `pipeline train stance lexicon` for the words they lack, and rule words written for this project), extended with
/// `lexicon=PATH`.
public struct LexiconStanceStage: StanceStage, TrainableStage, ExplainingStage {
    static let targets = StanceTargets.option
    static let lexicon = StageOption<String?>(
        "lexicon", type: .path,
        help: "a lexicon file of your own (WORD<TAB>VALUE<TAB>KIND), over the built-in one")
    /// The default neutral band, asymmetric: the pair with the best macro-F1 on NewsMTSC train (0.603; the best single
    /// threshold, 0.12 both ways, gives 0.579), read off a grid of 0.00…0.58 for each by the score the built-in
    /// lexicon gives each training mention. News words lean positive, so more is needed to call a target favoured.
    static let defaultPositive = 0.20
    static let defaultNegative = 0.06
    static let positive = StageOption<Double>(
        "positive", default: defaultPositive, range: 0...1,
        help: "a score above +positive is labelled positive")
    static let negative = StageOption<Double>(
        "negative", default: defaultNegative, range: 0...1,
        help: "a score below −negative is labelled negative")
    static let threshold = StageOption<Double?>(
        "threshold", range: 0...1,
        help: "one neutral band both ways (sets positive and negative)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .stance, name: "lexicon",
        help:
            "stance toward each target from lexicon words near its mentions (negation, intensifiers, contrast, conflict/cooperation verbs); score tanh(sum/1.5)",
        options: [targets, lexicon, positive, negative, threshold], requires: [.sentences, .tokens],
        provides: [.stances])

    /// How it trains.
    public static let training = TrainingDescriptor(
        help:
            "word valences for the words the hand-written lexicon lacks: smoothed log-odds of positive against negative mentions in the same sentence (seen 3+ times, scaled by 0.25), on NewsMTSC-style data",
        formats: "*.targets.jsonl (sentence, from, to, polarity)", metric: "F1 macro", defaultEpochs: 1)

    /// How much a learned valence counts against a hand-written one.
    static let learnedWeight = 0.25

    let targetSpec: StanceTargets
    let lexiconPath: String?
    let positiveThreshold: Double
    let negativeThreshold: Double
    var loaded: StanceLexicon = StanceLexicon()

    /// Reads the options.
    public init(options: StageOptions, context: StageContext) throws {
        targetSpec = try StanceTargets(options[Self.targets])
        lexiconPath = options[Self.lexicon].flatMap { $0.isEmpty ? nil : $0 }
        positiveThreshold = options[Self.threshold] ?? options[Self.positive]
        negativeThreshold = options[Self.threshold] ?? options[Self.negative]
        if let p = lexiconPath, !FileManager.default.fileExists(atPath: p) {
            throw StageConfigurationError("lexicon file '\(p)' does not exist", option: Self.lexicon.name)
        }
    }

    /// Loads the lexicons once per process.
    public mutating func prepare(_ resources: ResourceCache) throws {
        loaded = StanceLexicon.builtIn
        if let p = lexiconPath {
            loaded = loaded.merged(
                with: try resources.resource(p, as: StanceLexicon.self) { try StanceLexicon.load($0) })
        }
    }

    /// The scorer with the loaded lexicon and this stage's neutral band.
    var scorer: LexiconScorer {
        LexiconScorer(lexicon: loaded, positiveThreshold: positiveThreshold, negativeThreshold: negativeThreshold)
    }

    /// Sets `document.stances`.
    public func process(_ document: inout Document) throws {
        document.stances = Self.stances(document, targets: targetSpec, scorer: scorer)
    }

    /// The lexicon words and rules behind the score toward `target`.
    public func explain(_ document: Document, target: String) throws -> [Explanation] {
        let words = MentionContext(document).words
        guard let t = targetSpec.resolve(document).first(where: { $0.name.lowercased() == target.lowercased() }) else {
            return []
        }
        return scorer.score(
            target: t.name, mentions: t.mentions, document: document, words: words, entries: scorer.entries(words)
        ).1
            .map {
                Explanation(
                    sentence: $0.sentence, reason: "'\($0.word)' (\(loaded[$0.word]?.kind.rawValue ?? "word"))",
                    contribution: $0.value)
            }
            .sorted { abs($0.contribution) > abs($1.contribution) }
    }

    static func stances(_ d: Document, targets: StanceTargets, scorer: LexiconScorer) -> [Stance] {
        let words = MentionContext(d).words
        let entries = scorer.entries(words)
        return targets.resolve(d).map {
            scorer.score(target: $0.name, mentions: $0.mentions, document: d, words: words, entries: entries).0
        }
    }

    /// Learns word valences from annotated mentions and writes the lexicon file (`pipeline train stance lexicon`).
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        var counts: [String: (pos: Double, neg: Double)] = [:]
        var totals = (pos: 0.0, neg: 0.0)
        var examples = 0
        for file in request.trainFiles {
            for (d, polarity) in try StanceData.read(file) {
                examples += 1
                guard polarity != .neutral else { continue }
                let words = StanceData.window(d, radius: 50)
                for w in Set(words) {
                    if polarity == .positive {
                        counts[w, default: (0, 0)].pos += 1; totals.pos += 1
                    } else {
                        counts[w, default: (0, 0)].neg += 1; totals.neg += 1
                    }
                }
            }
        }
        guard examples > 0 else { throw TrainingError.request("the training files hold no examples") }
        let handWritten = StanceLexicon.builtInHandWritten
        var entries: [String: StanceLexicon.Entry] = [:]
        for (w, c) in counts
        where c.pos + c.neg >= 3 && handWritten[w] == nil && !StopWords.english.contains(w) && w.count > 2
            && !w.utf8.contains(where: { $0 &- 48 < 10 })
        {
            let logOdds = log((c.pos + 1) / (totals.pos + 1)) - log((c.neg + 1) / (totals.neg + 1))
            let v = Foundation.tanh(logOdds / 2)
            // Learned from a few thousand sentences, these are noisy (names, topics): they count a quarter as much as
            // the hand-written valences.
            if abs(v) >= 0.15 {
                entries[w] = .init(value: (v * learnedWeight * 10_000).rounded() / 10_000, kind: .valence)
            }
        }
        let learned = StanceLexicon(entries: entries)
        report(.note("\(examples) mentions, \(entries.count) words with a valence"))
        var dev: [String: Double] = [:]
        if let devFile = request.devFile {
            let scorer = LexiconScorer(
                lexicon: learned.merged(with: handWritten), positiveThreshold: Self.defaultPositive,
                negativeThreshold: Self.defaultNegative)
            dev = StanceData.evaluate(try StanceData.read(devFile)) { d in
                stances(d, targets: .span, scorer: scorer).first?.label ?? .neutral
            }
            report(.epochEnded(epoch: 1, seconds: 0, dev: dev))
        }
        return TrainingSummary(
            epoch: 1, dev: dev, modelBytes: try request.writeOutput(Array(learned.text.utf8), what: "lexicon"))
    }
}

extension StanceLexicon {
    /// Only the hand-written rules.
    static let builtInRules: StanceLexicon = resource("stance-rules")

    /// The hand-written valences and rules (no learned word): what the stance model's lexicon features read.
    static let builtInHandWritten: StanceLexicon = resource("stance-valences").merged(with: builtInRules)

    private static func resource(_ name: String) -> StanceLexicon {
        guard let p = Bundle.module.path(forResource: name, ofType: "tsv", inDirectory: "Resources"),
            let l = try? load(p)
        else { return StanceLexicon() }
        return l
    }
}
