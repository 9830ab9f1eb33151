import Foundation
import PipelineCore

/// One sequence to encode: the query it belongs to, the targets it scores, its pieces.
private struct Job {
    var query: Int
    var targets: [Int]
    var pieces: [BertTokenizer.Piece]
}

/// Sentiment toward targets in a sentence, from the encoder fine-tuned by `Scripts/lib/train_stance_encoder.py`: one
/// pass over `[CLS] sentence [SEP]` serves every target in the sentence (TD-BERT); a target's features are the `[CLS]`
/// vector and the mean of its own pieces, concatenated, and one linear layer gives negative / neutral / positive.
/// A sentence longer than the model's window is cut around each target in turn (a pass per target then).
public final class TargetSentimentModel: Sendable {
    /// The class names, in the order of the probabilities.
    public let labels: [String]
    /// The fine-tuned encoder.
    public let encoder: BertEncoder
    /// The longest input, in pieces, as in training.
    public let maxPieces: Int
    private let head: [Float]
    private let bias: [Float]

    /// One sentence and the targets to score in it.
    public struct Query: Sendable {
        /// The sentence.
        public var sentence: String
        /// Each target's mentions in the sentence, as Unicode-scalar ranges of `sentence`.
        public var targets: [[Range<Int>]]

        /// A query.
        public init(sentence: String, targets: [[Range<Int>]]) {
            self.sentence = sentence
            self.targets = targets
        }
    }

    /// Loads the fine-tuning in `path` over the base encoder in `base`.
    ///
    /// - Throws: ``EncoderError`` when a file is missing, corrupt, or not a model of this kind.
    public init(path: String, base: String) throws {
        let tuned = try SafeTensors(path: path)
        let dir = URL(fileURLWithPath: base)
        let configuration = try BertConfiguration(contentsOf: dir.appendingPathComponent("config.json").path)
        let h = configuration.hidden
        let metadata = tuned.metadata
        labels = (metadata["labels"] ?? "negative,neutral,positive").split(separator: ",").map(String.init)
        guard labels.count >= 2, metadata["input"] ?? "sentence" == "sentence" else {
            throw EncoderError.invalid(path, "not a sentence-level target sentiment model (labels, input)")
        }
        maxPieces = Int(metadata["max_pieces"] ?? "") ?? 96
        head = Array(try tuned.floats("head.weight", shape: [labels.count, 2 * h]))
        bias = Array(try tuned.floats("head.bias", shape: [labels.count]))
        encoder = try BertEncoder(
            configuration: configuration,
            weights: SafeTensors(path: dir.appendingPathComponent("model.safetensors").path),
            tokenizer: BertTokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json").path), adapters: tuned)
    }

    /// Sequences encoded together: enough for the products to run near the machine's speed (32 sentences of about
    /// 26 pieces: 193 sentences/s on one core, against 170 with 8 and 77 with 1), few enough to bound the memory.
    public static let chunk = 32

    /// The class probabilities of every target of every query: `result[q][t]`. Encodes ``chunk`` sentences at a time.
    ///
    /// - Throws: ``RunError/interrupted`` when the calling thread's run is cancelled (checked between chunks).
    public func classify(_ queries: [Query]) throws -> [[[Float]]] {
        let tokenizer = encoder.tokenizer
        let room = maxPieces - 2
        var jobs: [Job] = []
        for (q, query) in queries.enumerated() {
            let pieces = tokenizer.pieces(of: query.sentence)
            let cls = BertTokenizer.Piece(id: tokenizer.classify, start: 0, end: 0, segment: 0)
            let sep = BertTokenizer.Piece(id: tokenizer.separator, start: 0, end: 0, segment: 0)
            if pieces.count <= room {
                jobs.append(Job(query: q, targets: Array(query.targets.indices), pieces: [cls] + pieces + [sep]))
                continue
            }
            for (t, spans) in query.targets.enumerated() {
                let inside = pieces.indices.filter { i in
                    spans.contains { pieces[i].start < $0.upperBound && pieces[i].end > $0.lowerBound }
                }
                let centre = inside.isEmpty ? 0 : (inside.first! + inside.last!) / 2
                let first = max(0, min(pieces.count - room, centre - room / 2))
                jobs.append(Job(query: q, targets: [t], pieces: [cls] + pieces[first..<(first + room)] + [sep]))
            }
        }
        var result = queries.map { [[Float]](repeating: [], count: $0.targets.count) }
        var from = 0
        while from < jobs.count {
            try RunCancellation.checkCurrent()
            let to = min(jobs.count, from + Self.chunk)
            let part = Array(jobs[from..<to])
            from = to
            let output = encoder.encode(part.map(\.pieces))
            read(output, part, queries, into: &result)
        }
        return result
    }

    /// The probabilities of the targets of `jobs` from their encoded sentences.
    private func read(_ output: BertEncoder.Output, _ jobs: [Job], _ queries: [Query], into result: inout [[[Float]]]) {
        let h = output.width
        for (j, job) in jobs.enumerated() {
            let cls = output.vector(j, 0)
            for t in job.targets {
                let spans = queries[job.query].targets[t]
                var mean = [Float](repeating: 0, count: h)
                var n = 0
                for (p, piece) in job.pieces.enumerated() where piece.end > piece.start {
                    guard spans.contains(where: { piece.start < $0.upperBound && piece.end > $0.lowerBound }) else {
                        continue
                    }
                    for (i, v) in output.vector(j, p).enumerated() { mean[i] += v }
                    n += 1
                }
                if n == 0 { mean = Array(cls) } else { for i in 0..<h { mean[i] /= Float(n) } }
                var logits = bias
                for c in labels.indices {
                    var sum: Float = 0
                    let row = c * 2 * h
                    for (i, v) in cls.enumerated() { sum += head[row + i] * v }
                    for i in 0..<h { sum += head[row + h + i] * mean[i] }
                    logits[c] += sum
                }
                let top = logits.max() ?? 0
                let e = logits.map { Kernels.exp($0 - top) }
                let z = e.reduce(0, +)
                result[job.query][t] = e.map { $0 / z }
            }
        }
    }
}
