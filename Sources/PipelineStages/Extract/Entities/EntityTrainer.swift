import Dispatch
import PipelineCore

/// Trains a ``LinearTagger`` as an averaged structured perceptron (Collins 2002): for each training sentence in a
/// seeded shuffled order, decode with the current weights and, where the best sequence differs from the gold one,
/// add the gold features' weights and subtract the predicted ones; the model is the average of the weights over all
/// steps. After every epoch the averaged model is scored on the dev corpus, and the best epoch is kept.
struct EntityTrainer {
    let resources: FeatureResources
    let report: (TrainingEvent) -> Void
    /// The resources of the sentences of each part of the training corpus (``TaggedCorpus/Sentence/fold``), when
    /// they differ by part: names listed from the training data are, for a training sentence, those of the other
    /// parts only, so that the list feature is as often missing in training as on new text.
    var foldResources: [FeatureResources] = []

    /// The resources for a sentence's features.
    func resources(for s: TaggedCorpus.Sentence) -> FeatureResources {
        s.fold >= 0 && s.fold < foldResources.count ? foldResources[s.fold] : resources
    }

    /// The features of sentence `sentence` of document `document` of a corpus.
    typealias Features = (_ document: Int, _ sentence: Int, TaggedCorpus.Sentence) -> TokenFeatures

    /// The plain sentence features.
    var sentenceFeatures: Features {
        let trainer = self
        return { _, _, s in
            s.bytes.withUnsafeBufferPointer { TokenFeatures($0, s.ranges[...], resources: trainer.resources(for: s)) }
        }
    }

    /// Encoded training sentences: rows of each token's known features, and gold tags.
    private struct Encoded {
        var rows: [Int32]
        var offsets: [Int]
        var tags: [Int]
    }

    /// Trains for `epochs` passes; returns the best tagger, its epoch and its dev scores. `quiet` reports nothing
    /// (the folds of the second pass).
    func train(
        _ corpus: TaggedCorpus, dev: TaggedCorpus?, epochs: Int, seed: UInt64, features: @escaping Features,
        devFeatures: Features? = nil, quiet: Bool = false, selectOnDev: Bool = true
    ) -> (tagger: LinearTagger, epoch: Int, dev: EntityScores?) {
        let report: (TrainingEvent) -> Void = quiet ? { _ in } : self.report
        let T = EntityTags.count
        // 1. Features of every sentence; every distinct feature gets a row, in order of first appearance.
        var rowOf: [UInt64: Int32] = [:]
        var keys: [UInt64] = []
        var encoded: [Encoded] = []
        encoded.reserveCapacity(corpus.sentenceCount)
        for (d, document) in corpus.documents.enumerated() {
            for (k, s) in document.enumerated() {
                let f = features(d, k, s)
                var e = Encoded(rows: [], offsets: [0], tags: s.tags)
                e.rows.reserveCapacity(f.hashes.count)
                for i in 0..<f.count {
                    for h in f.features(of: i) {
                        if let r = rowOf[h] {
                            e.rows.append(r)
                        } else {
                            let r = Int32(keys.count)
                            rowOf[h] = r
                            keys.append(h)
                            e.rows.append(r)
                        }
                    }
                    e.offsets.append(e.rows.count)
                }
                encoded.append(e)
            }
        }
        report(
            .note(
                "\(corpus.documents.count) documents, \(encoded.count) sentences, \(corpus.tokenCount) tokens, \(keys.count) features"
            ))
        let table = FeatureTable(keys: keys)
        // 2. Perceptron epochs.
        var w = [Float](repeating: 0, count: keys.count * T)
        var u = [Double](repeating: 0, count: keys.count * T)
        let transitionCount = (T + 1) * T
        var tw = [Float](repeating: 0, count: transitionCount)
        var tu = [Double](repeating: 0, count: transitionCount)
        var c: Double = 1
        var order = Array(encoded.indices)
        var rng = SeededGenerator(seed: seed)
        var best: (tagger: LinearTagger, epoch: Int, dev: EntityScores?)?
        var emissions: [Float] = []
        for epoch in 1...epochs {
            let started = DispatchTime.now().uptimeNanoseconds
            order.shuffle(using: &rng)
            for (k, index) in order.enumerated() {
                if k % 500 == 0 { report(.progress(epoch: epoch, done: k, total: order.count)) }
                let e = encoded[index]
                let n = e.tags.count
                emissions.removeAll(keepingCapacity: true)
                emissions.append(contentsOf: repeatElement(0, count: n * T))
                w.withUnsafeBufferPointer { wp in
                    e.rows.withUnsafeBufferPointer { rp in
                        for i in 0..<n {
                            for j in e.offsets[i]..<e.offsets[i + 1] {
                                let base = Int(rp[j]) * T
                                for t in 0..<T { emissions[i * T + t] += wp[base + t] }
                            }
                        }
                    }
                }
                let predicted = LinearTagger.viterbi(emissions, n: n, transitions: tw)
                if predicted != e.tags {
                    for i in 0..<n where predicted[i] != e.tags[i] {
                        let g = e.tags[i], p = predicted[i]
                        for j in e.offsets[i]..<e.offsets[i + 1] {
                            let base = Int(e.rows[j]) * T
                            w[base + g] += 1; u[base + g] += c
                            w[base + p] -= 1; u[base + p] -= c
                        }
                    }
                    for i in 0..<n {
                        let pg = i == 0 ? 0 : e.tags[i - 1] + 1, pp = i == 0 ? 0 : predicted[i - 1] + 1
                        if pg == pp && e.tags[i] == predicted[i] { continue }
                        tw[pg * T + e.tags[i]] += 1; tu[pg * T + e.tags[i]] += c
                        tw[pp * T + predicted[i]] -= 1; tu[pp * T + predicted[i]] -= c
                    }
                }
                c += 1
            }
            report(.progress(epoch: epoch, done: order.count, total: order.count))
            let averaged = LinearTagger(
                table: table, weights: Self.average(w, u, c), transitions: Self.average(tw, tu, c))
            let scores = dev.map { Self.score(averaged, on: $0, features: devFeatures ?? features) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            report(.epochEnded(epoch: epoch, seconds: seconds, dev: scores?.measures ?? [:]))
            if best == nil || !selectOnDev || (scores.map { $0.overall.f1 } ?? 0) > (best!.dev?.overall.f1 ?? 0)
                || scores == nil
            {
                best = (averaged, epoch, scores)
            }
        }
        return best!
    }

    static func average(_ w: [Float], _ u: [Double], _ c: Double) -> [Float] {
        var out = [Float](repeating: 0, count: w.count)
        for k in w.indices { out[k] = Float(Double(w[k]) - u[k] / c) }
        return out
    }

    /// The tags a tagger gives every sentence of a corpus.
    static func predict(_ tagger: LinearTagger, _ corpus: TaggedCorpus, features: Features) -> [[[Int]]] {
        corpus.documents.enumerated().map { d, document in
            document.enumerated().map { k, s in tagger.tag(features(d, k, s)) }
        }
    }

    /// What a first pass found in each document, for the second pass's features.
    static func contexts(_ corpus: TaggedCorpus, _ predicted: [[[Int]]]) -> [DocumentContext] {
        zip(corpus.documents, predicted).map { document, tags in
            var counts: [UInt64: [Int]] = [:]
            var context = DocumentContext()
            for (s, t) in zip(document, tags) {
                let hashes = s.bytes.withUnsafeBufferPointer { p in
                    s.ranges.map { TokenFeatures.fnv(UnsafeBufferPointer(rebasing: p[$0]), lowercase: true) }
                }
                context.add(wordHashes: hashes, tags: t, counts: &counts)
            }
            return DocumentContext(counts: counts)
        }
    }

    /// Sentence features plus what the first pass found in the document.
    func documentFeatures(_ contexts: [DocumentContext]) -> Features {
        let trainer = self
        return { d, _, s in
            s.bytes.withUnsafeBufferPointer {
                TokenFeatures($0, s.ranges[...], resources: trainer.resources(for: s), document: contexts[d])
            }
        }
    }

    /// Trains the first pass on the whole corpus, then the second pass on features from first-pass predictions that
    /// never saw the document they tag (each fold of documents is tagged by a model trained on the other folds).
    ///
    /// - Parameters:
    ///   - epochs: the second pass's epochs; `firstEpochs` the first pass's (default: the same).
    ///   - selectOnDev: keep each pass's epoch with the best `dev` F1 (true), or its last epoch, `dev` only reported
    ///     (false: epochs chosen beforehand, by cross-validation on the training data).
    func trainTwoPass(
        _ corpus: TaggedCorpus, dev: TaggedCorpus?, epochs: Int, firstEpochs: Int? = nil, seed: UInt64,
        folds: Int = 5, selectOnDev: Bool = true
    )
        -> (first: LinearTagger, second: LinearTagger, epoch: Int, dev: EntityScores?)
    {
        report(.note("first pass (sentence features)"))
        let first = train(
            corpus, dev: dev, epochs: firstEpochs ?? epochs, seed: seed, features: sentenceFeatures,
            selectOnDev: selectOnDev)
        var trainContexts = [DocumentContext](repeating: DocumentContext(), count: corpus.documents.count)
        for fold in 0..<folds {
            report(.note("second pass: first-pass predictions for fold \(fold + 1) of \(folds)"))
            var rest = TaggedCorpus(), held = TaggedCorpus()
            var heldIndices: [Int] = []
            for (d, document) in corpus.documents.enumerated() {
                if d % folds == fold {
                    held.documents.append(document); heldIndices.append(d)
                } else {
                    rest.documents.append(document)
                }
            }
            let model = train(
                rest, dev: nil, epochs: first.epoch, seed: seed &+ UInt64(fold + 1), features: sentenceFeatures,
                quiet: true
            ).tagger
            let found = Self.contexts(held, Self.predict(model, held, features: sentenceFeatures))
            for (k, d) in heldIndices.enumerated() { trainContexts[d] = found[k] }
        }
        let devContexts =
            dev.map { Self.contexts($0, Self.predict(first.tagger, $0, features: sentenceFeatures)) } ?? []
        report(.note("second pass (with what the first pass found in the document)"))
        let second = train(
            corpus, dev: dev, epochs: epochs, seed: seed, features: documentFeatures(trainContexts),
            devFeatures: documentFeatures(devContexts), selectOnDev: selectOnDev)
        return (first.tagger, second.tagger, second.epoch, second.dev)
    }

    /// Scores a tagger on a corpus (entity spans over tokens, per sentence).
    static func score(_ tagger: LinearTagger, on corpus: TaggedCorpus, features: Features) -> EntityScores {
        var scores = EntityScores()
        for (d, document) in corpus.documents.enumerated() {
            for (k, s) in document.enumerated() {
                let predicted = tagger.tag(features(d, k, s))
                let toSpans = { (tags: [Int]) in
                    EntityTags.spans(tags).map { (type: EntityTags.types[$0.type], start: $0.start, end: $0.end) }
                }
                scores.add(gold: toSpans(s.tags), predicted: toSpans(predicted))
            }
        }
        return scores
    }
}
