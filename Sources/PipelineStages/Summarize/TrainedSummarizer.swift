import Foundation
import PipelineCore

/// `summarize trained`: sentences scored by a logistic-regression model over position, length, TextRank, LexRank and
/// centroid centrality, title overlap, names, numbers and quotations (``SentenceFeatures``), trained on reference
/// summaries with `pipeline train summarize trained`. The built-in model is trained on BBC News Summary by
/// `Scripts/train-summary`.
public struct TrainedSummarizer: SummarizeStage, TrainableStage, WorkerBackedStage {
    static let length = Group(SummaryLength.self)
    static let model = StageOption<String?>(
        "model", type: .path,
        help: "a model trained with `pipeline train summarize trained` (unset or \"\": the built-in one)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "trained",
        help:
            "sentences scored by a trained model over position, length, graph centrality, title overlap and content (the first 1,000 sentences)",
        options: [length, model], requires: [.sentences], provides: [.summary])

    /// How it trains.
    public static let training = TrainingDescriptor(
        help: "logistic regression over sentence features, scored by 5-fold cross-validated ROUGE at ratio 0.4",
        formats: "JSONL with text, title and a reference summary string (BBC News Summary)", metric: "ROUGE-2",
        defaultEpochs: 10)

    let lengthValue: SummaryLength
    let model: ModelChoice
    var loaded: SummaryModel?

    /// Reads the options; checks that a given model file exists.
    public init(options: StageOptions, context: StageContext) throws {
        lengthValue = try options[Self.length]
        model = try ModelChoice(options[Self.model], builtIn: "summary", kind: "summary", option: Self.model.name)
    }

    /// Loads the model once per process.
    public mutating func prepare(_ resources: ResourceCache) throws {
        loaded = try model.load(resources) { try SummaryModel.load($0, option: $1) }
    }

    /// A worker with its own stemmer.
    public func makeWorker() throws -> any TransformWorker {
        guard let model = loaded else { throw DocumentError("summarize trained: the model was not loaded (prepare)") }
        return Worker(model: model, length: lengthValue, stems: StemCache(language: "english")!)
    }

    struct Worker: TransformWorker {
        let model: SummaryModel
        let length: SummaryLength
        var stems: StemCache

        mutating func process(_ document: inout Document) throws {
            // The cache is moved out while it grows: a copy left in `self` would make every insertion copy it whole.
            var stems = self.stems.take()
            defer { self.stems = stems }
            let title = document.title
            let model = self.model, length = self.length
            SummaryText.summarize(&document) { buf, sentences in
                let (features, vectors) = SentenceFeatures.compute(
                    buf, sentences: sentences, title: title, stems: &stems)
                let scores = features.map(model.score)
                return (SummarySelection.choose(scores: scores, vectors: vectors, length: length), scores)
            }
        }
    }

    /// Trains a model (`pipeline train summarize trained`).
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        var examples: [SummaryTrainer.Example] = []
        for f in request.trainFiles { examples += try SummaryTrainer.read(f) }
        guard !examples.isEmpty else { throw TrainingError.request("the training files hold no documents") }
        report(
            .note(
                "\(examples.count) documents, \(examples.reduce(0) { $0 + $1.labels.count }) sentences, "
                    + "\(examples.reduce(0) { $0 + Int($1.labels.reduce(0, +)) }) in the reference summaries"))
        let trainer = SummaryTrainer(epochs: request.epochs, seed: request.seed)
        report(.note("5-fold cross-validation (each fold summarised by a model that never saw it; ratio 0.4):"))
        var measures = trainer.crossValidate(examples, report: report)
        report(
            .note(
                String(
                    format: "cross-validated: ROUGE-1 %.4f, ROUGE-2 %.4f, ROUGE-L %.4f",
                    measures["ROUGE-1"]!, measures["ROUGE-2"]!, measures["ROUGE-L"]!)))
        let model = trainer.fit(examples)
        if let dev = request.devFile {
            measures = SummaryTrainer.evaluate(model, try SummaryTrainer.read(dev))
            report(.note("the final model on \(dev) (training figures if it is a training file)"))
        }
        return TrainingSummary(
            epoch: request.epochs, dev: measures, modelBytes: try request.writeOutput(model.serialized()))
    }
}
