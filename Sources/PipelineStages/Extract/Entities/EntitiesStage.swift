import Foundation
import PipelineCore

/// `extract entities`: people, organisations, locations and other names (the CoNLL-2003 types `PER`, `ORG`, `LOC`,
/// `MISC`), found by a linear sequence tagger this project trains itself (an averaged structured perceptron over
/// word, shape, affix, context, word-cluster and gazetteer features, decoded with Viterbi), with a second pass that
/// keeps a name's label consistent across the article; or by the transformer encoder fine-tuned as a word tagger
/// (`model=encoder`), or both, the encoder's scores added to the linear model's (`combine=encoder`, the most accurate).
public struct EntitiesStage: ExtractStage, TrainableStage, WorkerBackedStage {
    /// `model=`: another model file (default: the one shipped with pipeline).
    static let model = StageOption<String?>(
        "model", type: .path,
        help:
            "an entity model trained with `pipeline train extract entities` (unset or \"\": the built-in linear tagger; \"encoder\": the built-in transformer tagger alone, all-MiniLM-L6-v2 fine-tuned on CoNLL-2003, about a hundred times slower; combine=encoder is the most accurate)"
    )

    /// `combine=`: an encoder tagger whose scores are added to the linear model's.
    static let combine = StageOption<String?>(
        "combine", type: .path,
        help:
            "an encoder tagger (\"encoder\": the built-in one, or a file written with --setting tagger=encoder) whose tag log-probabilities, times weight, are added to the linear model's scores in both passes"
    )
    /// `weight=`: the combined encoder's weight.
    static let weight = StageOption<Double>(
        "weight", default: 8, range: 0.01...1000,
        help:
            "with combine=: the weight of the encoder's log-probabilities (8: chosen on held-out documents of eng.train)"
    )

    /// `canonical=`: link entities to actors.
    static let canonical = StageOption<Bool>(
        "canonical", default: true,
        help: "give each entity its canonical actor, and people their role and country")
    /// `titles=`: mentions by title alone.
    static let titles = StageOption<Bool>(
        "titles", default: true,
        help:
            "with canonical=true, add a PER mention (kind \"title\") for a person mentioned by title alone after being named with it (\"the minister\")"
    )
    /// `aliases=`: more actors.
    static let aliases = StageOption<String?>(
        "aliases", type: .path,
        help: "a file of more actors and names (same format as the built-in actors.tsv)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "entities",
        help:
            "people, organisations, locations and other names (PER, ORG, LOC, MISC) with their canonical actors, tagged by a trained model",
        options: [model, combine, weight, canonical, titles, aliases], requires: [.sentences, .tokens],
        provides: [.entities])

    /// How it trains.
    public static let training = TrainingDescriptor(
        help:
            "averaged structured perceptron over BIO tags (Viterbi), with a document-level second pass; or, with --setting tagger=encoder, the base encoder fine-tuned as a word tagger",
        formats:
            "CoNLL-2003 column files (token ... tag) or *.documents.jsonl (text, sentences, entities); --unlabelled news (JSONL text/body, .conll, or plain text) for word clusters and the case profile",
        metric: "F1", defaultEpochs: 12,
        settings: [
            "first-epochs":
                "epochs of the first pass (sentence features; default: --epochs, which the second pass runs)",
            "clusters":
                "on (the default) or off: learn word clusters from the --unlabelled text (Scripts/cv-entities measured them: not used by the built-in model)",
            "casing":
                "on or off (the default): learn from the --unlabelled text how each word is written mid-sentence (capitalised or not), a feature for sentence starts and headlines in capitals",
            "phrases":
                "on or off (the default): a gazetteer list of the names of several words that the --unlabelled text writes in capitals mid-sentence at least three times",
            "lists":
                "on or off (the default): lists of the names tagged in the training data, by type, as a feature (built for each training sentence without its own part of the corpus)",
            "tagger":
                "linear (the default: the perceptron above) or encoder: the base transformer encoder fine-tuned as a word tagger (low-rank adapters, a word-shape embedding and a linear layer over each word's first piece; Python, PyTorch on the CPU; one CoNLL file; give --epochs: the built-in model had 4; the model file is read by model=PATH or combine=PATH)",
            "lr":
                "tagger=encoder: peak learning rate of AdamW, after 10 % linear warm-up, then linear decay (default 5e-4)",
            "rank": "tagger=encoder: rank of the low-rank adapters (default 16)",
            "threads": "tagger=encoder: PyTorch threads (default 2; deterministic for a seed and a thread count)",
            "select":
                "dev: keep each pass's epoch with the best --dev F1 (the default); last: keep the last epoch, --dev only reported (epochs chosen beforehand by Scripts/cv-entities)",
        ])

    let model: ModelChoice
    let combined: ModelChoice?
    let combineWeight: Float
    let linkActors: Bool
    let titleMentions: Bool
    let aliasesPath: String?
    var loaded: EntityTagger?
    var linker: ActorLinker?

    /// Checks that a given model file exists (it is read by `prepare`).
    public init(options: StageOptions, context: StageContext) throws {
        model = try ModelChoice(
            options[Self.model], builtIn: "entities", alternatives: ["encoder": "entities-encoder"], kind: "entity",
            option: Self.model.name)
        combined = try options[Self.combine].flatMap { $0.isEmpty ? nil : $0 }.map {
            try ModelChoice(
                $0, builtIn: "entities-encoder", alternatives: ["encoder": "entities-encoder"], kind: "encoder tagger",
                option: Self.combine.name)
        }
        combineWeight = Float(options[Self.weight])
        linkActors = options[Self.canonical]
        titleMentions = options[Self.titles]
        aliasesPath = options[Self.aliases].flatMap { $0.isEmpty ? nil : $0 }
        if let path = aliasesPath, !FileManager.default.fileExists(atPath: path) {
            throw StageConfigurationError("aliases file '\(path)' does not exist", option: Self.aliases.name)
        }
    }

    /// Loads the model (once per process, whatever the number of stages naming it).
    public mutating func prepare(_ resources: ResourceCache) throws {
        loaded = try model.load(resources) { try EntityTagger.load($0, option: $1) }
        if let combined {
            guard case .linear(let linear) = loaded, linear.documentTagger != nil else {
                throw StageConfigurationError(
                    "combine= adds an encoder's scores to a linear model with its second pass; model= is not one",
                    option: Self.combine.name)
            }
            guard case .encoder(let encoder) = try combined.load(resources, { try EntityTagger.load($0, option: $1) })
            else {
                throw StageConfigurationError(
                    "combine= takes an encoder tagger (written with --setting tagger=encoder), not a linear model",
                    option: Self.combine.name)
            }
            loaded = .combined(linear, encoder, weight: combineWeight)
        }
        if linkActors {
            var table = ActorTable.builtIn
            if let aliasesPath {
                table = table.merged(
                    with: try resources.resource(aliasesPath, as: ActorTable.self) {
                        try ActorTable.load($0, option: Self.aliases.name)
                    })
            }
            linker = ActorLinker(index: ActorIndex(table), titles: titleMentions)
        }
    }

    /// A worker that keeps the sums of words' own features across documents (``EmissionCache``).
    public func makeWorker() throws -> any TransformWorker {
        guard let model = loaded else { throw DocumentError("extract entities: the model was not loaded (prepare)") }
        return Worker(tagging: EntityTagging(tagger: model, linker: linker))
    }

    struct Worker: TransformWorker {
        let tagging: EntityTagging
        var cache: EmissionCache? = EmissionCache()

        /// Sets `document.entities`.
        mutating func process(_ document: inout Document) throws {
            let sentences = document.sentences ?? []
            let tokens = document.tokens ?? []
            var text = document.text
            document.entities = try text.withUTF8 { buf in
                try tagging.entities(buf, sentences: sentences, tokens: tokens, cache: &cache)
            }
        }
    }

    /// Trains a model (`pipeline train extract entities`).
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        switch request.settings["tagger"] ?? "linear" {
        case "linear": break
        case "encoder": return try trainEncoder(request, report: report)
        case let other: throw TrainingError.request("tagger must be linear or encoder, not '\(other)'")
        }
        for name in encoderSettings where request.settings[name] != nil {
            throw TrainingError.request("setting '\(name)' is for tagger=encoder")
        }
        var corpus = TaggedCorpus()
        for f in request.trainFiles { corpus.documents += try TaggedCorpus.read(f).documents }
        guard corpus.tokenCount > 0 else { throw TrainingError.request("the training files hold no tagged tokens") }
        let dev = try request.devFile.map(TaggedCorpus.read)
        var resources = FeatureResources()
        resources.gazetteer = ActorTable.builtIn.featureGazetteer()
        var uses: [String: Bool] = [:]
        for (name, fallback) in [("clusters", true), ("casing", false), ("phrases", false)] {
            let value = request.settings[name] ?? (fallback ? "on" : "off")
            guard value == "on" || value == "off" else {
                throw TrainingError.request("\(name) must be on or off, not '\(value)'")
            }
            if request.settings[name] != nil, request.unlabelledFiles.isEmpty {
                throw TrainingError.request("\(name) is learned from unlabelled text: give it with --unlabelled FILE")
            }
            uses[name] = value == "on" && !request.unlabelledFiles.isEmpty
        }
        // The unlabelled texts, read once for whatever is learned from them.
        let unlabelled = uses.values.contains(true) ? try WordClusterLearner.pieces(request.unlabelledFiles) : []
        if uses["clusters"]! {
            let texts = WordClusterLearner.hashes(unlabelled)
            resources.clusters = WordClusterLearner(seed: request.seed).learn(texts) { report(.note($0)) }
        }
        if uses["phrases"]! {
            let phrases = NewsNamePhrases.learn(unlabelled)
            report(.note("news name phrases: \(phrases.count)"))
            var g = resources.gazetteer ?? FeatureGazetteer()
            g.add(list: "news", phrases: phrases)
            resources.gazetteer = g
        }
        if uses["casing"]! {
            let casing = CaseProfile.learn(unlabelled)
            report(.note("case profile: \(casing.count) words"))
            resources.casing = casing
        }
        let lists = request.settings["lists"] ?? "off"
        guard lists == "on" || lists == "off" else {
            throw TrainingError.request("lists must be on or off, not '\(lists)'")
        }
        var foldResources: [FeatureResources] = []
        if lists == "on" {
            // Names tagged in the training data, a list per type: in the model, all of them; for a training
            // sentence, those of the other parts of the corpus only.
            let folds = 5
            func withLists(_ names: [(tokens: [String], type: Int)]) -> FeatureResources {
                var r = resources
                var g = r.gazetteer ?? FeatureGazetteer()
                for (t, type) in EntityTags.types.enumerated() {
                    g.add(list: "train-" + type, phrases: names.filter { $0.type == t }.map(\.tokens))
                }
                r.gazetteer = g
                return r
            }
            for d in corpus.documents.indices {
                for s in corpus.documents[d].indices { corpus.documents[d][s].fold = d % folds }
            }
            foldResources = (0..<folds).map { withLists(corpus.names(folds: folds, excluding: $0)) }
            let names = corpus.names()
            resources = withLists(names)
            report(.note("training-data names: \(names.count)"))
        }
        var firstEpochs: Int?
        if let value = request.settings["first-epochs"] {
            guard let n = Int(value), n >= 1 else {
                throw TrainingError.request("first-epochs must be a whole number of at least 1, not '\(value)'")
            }
            firstEpochs = n
        }
        let select = request.settings["select"] ?? "dev"
        guard ["dev", "last"].contains(select) else {
            throw TrainingError.request("select must be dev or last, not '\(select)'")
        }
        let best = withoutActuallyEscaping(report) { report in
            EntityTrainer(resources: resources, report: report, foldResources: foldResources).trainTwoPass(
                corpus, dev: dev, epochs: request.epochs, firstEpochs: firstEpochs, seed: request.seed,
                selectOnDev: select == "dev")
        }
        let model = EntityModel(resources: resources, tagger: best.first, documentTagger: best.second)
        let bytes = try request.writeOutput(model.serialized())
        return TrainingSummary(epoch: best.epoch, dev: best.dev?.measures ?? [:], modelBytes: bytes)
    }
}
