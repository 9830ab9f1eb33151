import Foundation
import OrderedCollections
import PipelineCore

/// Trains the ``SummaryModel``: logistic regression by seeded stochastic gradient descent (L2) on sentence labels —
/// a sentence is positive when the reference summary contains it verbatim — with features standardised over the
/// training sentences. Quality is reported by k-fold cross-validation over documents (each fold summarised by a model
/// that never saw it, at ratio 0.4, scored with ROUGE against the reference), so the figures are not training figures;
/// the written model is then trained on every document.
struct SummaryTrainer {
    /// One training document: features and labels of its sentences, and what scoring needs.
    struct Example {
        var features: [[Double]]
        var labels: [Double]
        var vectors: SentenceVectors
        var sentenceTexts: [String]
        var reference: String
    }

    var epochs = 10
    var seed: UInt64 = 1
    var folds = 5

    /// Reads JSONL documents with `text`, optional `title`, and a `summary` string.
    static func read(_ path: String, language: String = "english") throws -> [Example] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.io(file: path, message: "cannot read the file")
        }
        guard var stems = StemCache(language: language) else { throw TrainingError.request("no \(language) stemmer") }
        let splitter = SentenceSplitter()
        var out: [Example] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            guard case .object(let o)? = try? JSONScanner.parse(Array(line.utf8)), case .string(var text)? = o["text"]
            else {
                throw TrainingError.data(
                    file: path, line: n + 1, message: "expected a JSON object with a \"text\" string")
            }
            guard case .string(let reference)? = o["summary"] else {
                throw TrainingError.data(
                    file: path, line: n + 1, message: "no \"summary\" string (the reference summary)")
            }
            let title = o["title"]?.stringValue
            let example: Example = text.withUTF8 { buf in
                var offsets = ScalarOffsets(buf)
                let ranges = splitter.split(buf)
                let spans = ranges.map {
                    Span(
                        start: offsets.scalar(atByte: $0.lowerBound, in: buf),
                        end: offsets.scalar(atByte: $0.upperBound, in: buf))
                }
                let (features, vectors) = SentenceFeatures.compute(buf, sentences: spans, title: title, stems: &stems)
                let texts = ranges.prefix(vectors.count).map {
                    String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self)
                }
                let labels = texts.map {
                    reference.contains($0.trimmingCharacters(in: .whitespacesAndNewlines)) ? 1.0 : 0
                }
                return Example(
                    features: features, labels: labels, vectors: vectors, sentenceTexts: texts, reference: reference)
            }
            out.append(example)
        }
        return out
    }

    /// A model trained on `examples`.
    func fit(_ examples: [Example]) -> SummaryModel {
        let d = SentenceFeatures.count
        var rows: [([Double], Double)] = []
        for e in examples { for (x, y) in zip(e.features, e.labels) { rows.append((x, y)) } }
        var means = [Double](repeating: 0, count: d), scales = [Double](repeating: 1, count: d)
        if !rows.isEmpty {
            for k in 1..<d {
                let m = rows.reduce(0.0) { $0 + $1.0[k] } / Double(rows.count)
                let v = rows.reduce(0.0) { $0 + ($1.0[k] - m) * ($1.0[k] - m) } / Double(rows.count)
                means[k] = m
                scales[k] = v > 1e-12 ? v.squareRoot() : 1
            }
        }
        var w = [Double](repeating: 0, count: d)
        var rng = SeededGenerator(seed: seed)
        var order = Array(rows.indices)
        var step = 0
        for _ in 0..<epochs {
            order.shuffle(using: &rng)
            for i in order {
                step += 1
                let rate = 0.1 / (1 + Double(step) * 1e-5)
                let (x, y) = rows[i]
                var z = 0.0
                for k in 0..<d { z += w[k] * (k == 0 ? 1 : (x[k] - means[k]) / scales[k]) }
                let g = 1 / (1 + exp(-z)) - y
                for k in 0..<d {
                    let xk = k == 0 ? 1 : (x[k] - means[k]) / scales[k]
                    w[k] -= rate * (g * xk + (k == 0 ? 0 : 1e-4 * w[k]))
                }
            }
        }
        return SummaryModel(means: means, scales: scales, weights: w)
    }

    /// Mean ROUGE F-scores of `model`'s summaries of `examples` at `ratio`.
    static func evaluate(_ model: SummaryModel, _ examples: [Example], ratio: Double = 0.4) -> [String: Double] {
        var rouge = Rouge()
        var sums = (0.0, 0.0, 0.0)
        for e in examples {
            let scores = e.features.map(model.score)
            let chosen = SummarySelection.choose(scores: scores, vectors: e.vectors, length: .ratio(ratio))
            let s = rouge.score(
                prediction: chosen.map { e.sentenceTexts[$0] }.joined(separator: " "), reference: e.reference)
            sums.0 += s.rouge1.f
            sums.1 += s.rouge2.f
            sums.2 += s.rougeL.f
        }
        let n = Double(max(1, examples.count))
        return ["ROUGE-1": sums.0 / n, "ROUGE-2": sums.1 / n, "ROUGE-L": sums.2 / n]
    }

    /// Cross-validated ROUGE: each fold summarised by a model trained on the other folds.
    func crossValidate(_ examples: [Example], report: (TrainingEvent) -> Void) -> [String: Double] {
        var totals: [String: Double] = [:]
        for fold in 0..<folds {
            let started = DispatchTime.now().uptimeNanoseconds
            let train = examples.enumerated().filter { $0.offset % folds != fold }.map(\.element)
            let held = examples.enumerated().filter { $0.offset % folds == fold }.map(\.element)
            let m = Self.evaluate(fit(train), held)
            for (k, v) in m { totals[k, default: 0] += v * Double(held.count) }
            report(
                .epochEnded(
                    epoch: fold + 1, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, dev: m))
        }
        return totals.mapValues { $0 / Double(max(1, examples.count)) }
    }
}
