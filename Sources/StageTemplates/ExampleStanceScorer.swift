import PipelineCore

/// `stance example targets=[...]`: a toy lexicon scorer — for each target, positive minus negative words in the
/// sentences that mention it. A starting point: replace `process` with your own model.
public struct ExampleStanceScorer: StanceStage {
    /// `targets=`, required.
    static let targets = StageOption<[String]>.required("targets", help: "the actors to score")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .stance, name: "example", help: "lexicon stance toward the listed targets",
        options: [targets], requires: [.sentences], provides: [.stances])

    let targets: [String]
    static let positive: Set<String> = ["welcomed", "praised", "support", "agreed", "progress", "constructive"]
    static let negative: Set<String> = ["condemned", "criticised", "accused", "rejected", "attacks", "violation"]

    /// Reads the options once.
    public init(options: StageOptions, context: StageContext) throws {
        targets = options[Self.targets]
        if targets.isEmpty { throw StageConfigurationError("give at least one target", option: Self.targets.name) }
    }

    /// Sets `document.stances`.
    public func process(_ document: inout Document) throws {
        let sentences = document.sentences ?? []
        document.stances = targets.map { target in
            var score = 0.0
            var evidence: [Int] = []
            for (i, s) in sentences.enumerated() {
                let text = document.text.slice(s)
                guard text.contains(target) else { continue }
                let words = text.lowercased().split { !$0.isLetter }.map(String.init)
                let value = Double(
                    words.filter(Self.positive.contains).count - words.filter(Self.negative.contains).count)
                if value != 0 { evidence.append(i) }
                score += value
            }
            let clamped = max(-1, min(1, score / 3))
            let label: Stance.Label = clamped > 0.1 ? .positive : (clamped < -0.1 ? .negative : .neutral)
            return Stance(target: target, score: clamped, label: label, evidence: evidence)
        }
    }
}
