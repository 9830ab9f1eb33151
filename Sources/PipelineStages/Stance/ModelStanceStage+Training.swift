import Foundation
import OrderedCollections
import PipelineCore

/// Training of `stance model` (`pipeline train stance model`): a mention- or document-level averaged-perceptron
/// ensemble, chosen by the training files' format.
extension ModelStanceStage {
    /// Trains a model (`pipeline train stance model`).
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        // NewsMTSC-style files train a mention-level model; SemEval-style files (text, target, stance) a document-level one.
        let level: StanceModel.Level =
            request.trainFiles.first.map(StanceData.holdsDocuments) == true ? .document : .mention
        func examples(_ path: String) throws -> [([UInt64], Int)] {
            guard StanceData.holdsDocuments(path) == (level == .document) else {
                throw TrainingError.data(
                    file: path, line: 1,
                    message:
                        "mixes formats: give only NewsMTSC (sentence, from, to, polarity) or only SemEval (text, target, stance) files"
                )
            }
            if level == .document {
                return try StanceData.readDocuments(path).map { d, label in
                    let ctx = MentionContext(d)
                    return (
                        StanceFeatures.document(
                            words: ctx.words, hashes: ctx.hashes, target: d.meta["target"]?.stringValue ?? ""),
                        StanceModel.classes.firstIndex(of: label)!
                    )
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
            (
                x.map { f in
                    if let r = rowOf[f] { return r }; rowOf[f] = keys.count; keys.append(f); return keys.count - 1
                }, y
            )
        }
        report(.note("\(train.count) \(level == .document ? "documents" : "mentions"), \(keys.count) features"))
        var best: (model: StanceModel, epoch: Int, dev: [String: Double])?
        Self.fitEnsemble(
            encoded, keys: keys, level: level, epochs: request.epochs, seed: request.seed,
            progress: { report(.progress(epoch: $0, done: $1, total: encoded.count)) }
        ) { epoch, averaged, seconds in
            var measures: [String: Double] = [:]
            if !dev.isEmpty {
                measures = macroF1(
                    dev.map { x, y in
                        let s = averaged.scores(x); return (y, (0..<3).max { s[$0] < s[$1] }!)
                    })
            }
            report(.epochEnded(epoch: epoch, seconds: seconds, dev: measures))
            if best == nil || dev.isEmpty || (measures[criterion] ?? 0) > (best!.dev[criterion] ?? 0) {
                best = (averaged, epoch, measures)
            }
        }
        return TrainingSummary(
            epoch: best!.epoch, dev: best!.dev, modelBytes: try request.writeOutput(best!.model.serialized()))
    }

    /// Trains ``ensembleRuns`` perceptrons side by side, each over its own shuffles of the data, and hands the mean of
    /// their averaged weights (one linear model of the same size, steadier than any one of them) to `epochEnded` after
    /// every epoch.
    static func fitEnsemble(
        _ encoded: [([Int], Int)], keys: [UInt64], level: StanceModel.Level, epochs: Int, seed: UInt64,
        progress: (Int, Int) -> Void = { _, _ in },
        epochEnded: (_ epoch: Int, _ model: StanceModel, _ seconds: Double) -> Void
    ) {
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
            let averaged = StanceModel(
                level: level, keys: keys,
                weights: (0..<(keys.count * 3)).map { i in
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
        return [
            "F1 macro": f1s.reduce(0, +) / 3, "F avg": (f1s[0] + f1s[2]) / 2,
            "accuracy": correct / Double(max(1, pairs.count)),
        ]
    }
}
