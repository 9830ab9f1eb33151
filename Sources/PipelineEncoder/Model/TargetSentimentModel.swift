import Foundation
import PipelineCore

/// One sequence to encode: the query it belongs to, the targets it scores with the positions of each one's pieces
/// (empty: none survived the cut; the `[CLS]` vector stands in) and of its neighbours (a ``TargetSentimentModel/Pooling/local``
/// model's; otherwise empty), and its pieces.
private struct Job {
    var query: Int
    var targets: [(index: Int, positions: [Int], neighbours: [Int])]
    var pieces: [BertTokenizer.Piece]
}

/// Sentiment or stance toward targets, from the encoder fine-tuned by `Resources/train_stance_encoder.py`. A target's
/// features are the `[CLS]` vector and the mean of the target's own pieces (and, for a ``Pooling/local`` model, the
/// mean of the pieces around the target), concatenated; one linear layer gives negative / neutral / positive.
///
/// - A mention-level model (``Level/mention``, trained on NewsMTSC) reads `[CLS] sentence [SEP]`: one pass serves every
///   target the sentence mentions (TD-BERT). A sentence longer than the model's window is cut around each target in
///   turn (a pass per target then). A model trained with target marking (``Marking``) is told which pieces are the
///   target's: by segment (a pass per target) or late (the last layers alone run per target).
/// - A document-level model (``Level/document``, trained on SemEval-2016) reads `[CLS] text [SEP] target [SEP]` for a
///   named target the text need not mention, pooling the target name's pieces. A text longer than the window is read
///   window by window (consecutive, not overlapping) and the windows' probabilities averaged.
public final class TargetSentimentModel: Sendable {
    /// What a model scores.
    public enum Level: String, Sendable {
        /// Targets mentioned in a sentence (``classify(_:)``).
        case mention = "sentence"
        /// A named target and a whole text (``classify(documents:)``).
        case document
    }

    /// What a target's features pool, besides the `[CLS]` vector.
    public enum Pooling: Sendable, Equatable {
        /// The mean of the target's own pieces.
        case target
        /// That, and the mean of the pieces within `window` pieces of the target (the target's own excluded; the
        /// target's pieces stand in when it has no neighbour): words next to a target say most about it, which
        /// matters when a sentence leans differently toward two targets.
        case local(window: Int)
    }

    /// How the encoder is told which pieces are the target's (a mention-level model's).
    public enum Marking: Sendable, Equatable {
        /// Not at all: one pass serves every target of a sentence, told apart by pooling alone.
        case none
        /// By segment: the target's pieces get the second segment embedding, a pass per target.
        case segment
        /// Late: the layers below the last `layers` run once per sentence; then, per target, a trained vector is
        /// added to the target's pieces and the last `layers` layers run (the cost of marking, at a fraction of a
        /// pass per target).
        case late(layers: Int)
    }

    /// The class names, in the order of the probabilities.
    public let labels: [String]
    /// How the target's pieces are marked.
    public let marking: Marking
    /// The vector a ``Marking/late(layers:)`` model adds to the target's pieces; empty otherwise.
    private let marker: [Float]
    /// What a target's features pool.
    public let pooling: Pooling
    /// What the model scores.
    public let level: Level
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
        guard labels.count >= 2, let level = Level(rawValue: metadata["input"] ?? "sentence") else {
            throw EncoderError.invalid(path, "not a target sentiment model (its labels or input are not known here)")
        }
        self.level = level
        maxPieces = Int(metadata["max_pieces"] ?? "") ?? 96
        switch metadata["pooling"] ?? "target" {
        case "target": pooling = .target
        case "local" where level == .mention:
            guard let window = Int(metadata["window"] ?? ""), window > 0 else {
                throw EncoderError.invalid(path, "a local-pooling model without a positive window")
            }
            pooling = .local(window: window)
        default:
            throw EncoderError.invalid(path, "pooling '\(metadata["pooling"] ?? "")' is not known here")
        }
        switch metadata["marking"] ?? "none" {
        case "none": marking = .none
        case "segment" where level == .mention: marking = .segment
        case "late" where level == .mention:
            guard let layers = Int(metadata["mark_layers"] ?? ""), (1...configuration.layers).contains(layers) else {
                throw EncoderError.invalid(
                    path, "a late-marking model without a layer count from 1 to \(configuration.layers)")
            }
            marking = .late(layers: layers)
        default:
            throw EncoderError.invalid(path, "marking '\(metadata["marking"] ?? "")' is not known here")
        }
        if case .late = marking {
            marker = Array(try tuned.floats("marker", shape: [h]))
        } else {
            marker = []
        }
        head = Array(try tuned.floats("head.weight", shape: [labels.count, (pooling == .target ? 2 : 3) * h]))
        bias = Array(try tuned.floats("head.bias", shape: [labels.count]))
        encoder = try BertEncoder(directory: base, configuration: configuration, adapters: tuned)
    }

    /// Sequences encoded together: enough for the products to run near the machine's speed (32 sentences of about
    /// 26 pieces: 193 sentences/s on one core, against 170 with 8 and 77 with 1), few enough to bound the memory and
    /// keep the feed-forward layer's buffer in cache (64 made the daily analysis's stance stage 15 % slower).
    public static let chunk = 32

    /// The class probabilities of every target of every query: `result[q][t]` (a mention-level model). Encodes
    /// ``chunk`` sentences at a time.
    ///
    /// - Throws: ``RunError/interrupted`` when the calling thread's run is cancelled (checked between chunks).
    public func classify(_ queries: [Query]) throws -> [[[Float]]] {
        let tokenizer = encoder.tokenizer
        let room = maxPieces - 2
        let cls = BertTokenizer.Piece(id: tokenizer.classify, start: 0, end: 0, segment: 0)
        let sep = BertTokenizer.Piece(id: tokenizer.separator, start: 0, end: 0, segment: 0)
        var jobs: [Job] = []
        for (q, query) in queries.enumerated() {
            let pieces = tokenizer.pieces(of: query.sentence)
            let positions = query.targets.map { spans in
                pieces.indices.filter { i in
                    spans.contains { pieces[i].start < $0.upperBound && pieces[i].end > $0.lowerBound }
                }
            }
            if pieces.count <= room && marking == .segment {
                for (t, inside) in positions.enumerated() {
                    let kept = inside.map { $0 + 1 }
                    var marked = [cls] + pieces + [sep]
                    for p in kept { marked[p].segment = 1 }
                    jobs.append(
                        Job(
                            query: q, targets: [(t, kept, neighbours(of: kept, within: 1...pieces.count))],
                            pieces: marked))
                }
                continue
            }
            if pieces.count <= room {
                jobs.append(
                    Job(
                        query: q,
                        targets: positions.enumerated().map { t, inside in
                            let kept = inside.map { $0 + 1 }
                            return (t, kept, neighbours(of: kept, within: 1...pieces.count))
                        },
                        pieces: [cls] + pieces + [sep]))
                continue
            }
            for (t, inside) in positions.enumerated() {
                let centre = inside.isEmpty ? 0 : (inside.first! + inside.last!) / 2
                let first = max(0, min(pieces.count - room, centre - room / 2))
                let kept = inside.filter { $0 >= first && $0 < first + room }.map { $0 - first + 1 }
                var window = [cls] + pieces[first..<(first + room)] + [sep]
                if marking == .segment {
                    for p in kept { window[p].segment = 1 }
                }
                jobs.append(
                    Job(
                        query: q, targets: [(t, kept, neighbours(of: kept, within: 1...room))], pieces: window))
            }
        }
        return try run(jobs, shape: queries.map(\.targets.count))
    }

    /// The class probabilities of each `(text, target)` (a document-level model): `[CLS] text [SEP] target [SEP]`,
    /// the target name cut to 16 pieces as in training, a long text read window by window and averaged.
    ///
    /// - Throws: ``RunError/interrupted`` when the calling thread's run is cancelled (checked between chunks).
    public func classify(documents: [(text: String, target: String)]) throws -> [[Float]] {
        let tokenizer = encoder.tokenizer
        let cls = BertTokenizer.Piece(id: tokenizer.classify, start: 0, end: 0, segment: 0)
        let sep = BertTokenizer.Piece(id: tokenizer.separator, start: 0, end: 0, segment: 0)
        let end = BertTokenizer.Piece(id: tokenizer.separator, start: 0, end: 0, segment: 1)
        var jobs: [Job] = []
        for (d, document) in documents.enumerated() {
            try RunCancellation.checkCurrent()
            let target = Array(tokenizer.pieces(of: document.target, segment: 1).prefix(16))
            let text = tokenizer.pieces(of: document.text)
            let room = max(1, maxPieces - 3 - target.count)
            var first = 0
            repeat {
                let window = text[first..<min(text.count, first + room)]
                let positions = Array((window.count + 2)..<(window.count + 2 + target.count))
                jobs.append(
                    Job(query: d, targets: [(0, positions, [])], pieces: [cls] + window + [sep] + target + [end]))
                first += room
            } while first < text.count
        }
        return try run(jobs, shape: documents.map { _ in 1 }).map { $0[0] }
    }

    /// The positions within the local window of a target's `positions` (its own excluded), inside `bounds` (the
    /// sentence's pieces); empty for a ``Pooling/target`` model or a target without pieces. As in training.
    private func neighbours(of positions: [Int], within bounds: ClosedRange<Int>) -> [Int] {
        guard case .local(let window) = pooling, let first = positions.first, let last = positions.last else {
            return []
        }
        let own = Set(positions)
        return (max(bounds.lowerBound, first - window)...min(bounds.upperBound, last + window)).filter {
            !own.contains($0)
        }
    }

    /// Encodes `jobs` ``chunk`` at a time; `result[q][t]` is the mean of the probabilities the jobs give target `t` of
    /// query `q` (`shape[q]` targets).
    private func run(_ jobs: [Job], shape: [Int]) throws -> [[[Float]]] {
        var sums = shape.map { [[Float]](repeating: [Float](repeating: 0, count: labels.count), count: $0) }
        var counts = shape.map { [Float](repeating: 0, count: $0) }
        var from = 0
        while from < jobs.count {
            try RunCancellation.checkCurrent()
            let to = min(jobs.count, from + Self.chunk)
            let part = jobs[from..<to]
            from = to
            let (output, sequences) = encode(part)
            for (j, job) in part.enumerated() {
                for (i, (t, positions, neighbours)) in job.targets.enumerated() {
                    let p = probabilities(
                        output, sequence: sequences[j][i], positions: positions, neighbours: neighbours)
                    for c in p.indices { sums[job.query][t][c] += p[c] }
                    counts[job.query][t] += 1
                }
            }
        }
        return sums.enumerated().map { q, targets in
            targets.enumerated().map { t, sum in
                counts[q][t] <= 1 ? sum : sum.map { $0 / counts[q][t] }
            }
        }
    }

    /// Encodes `jobs`; `sequences[j][i]` is the sequence of the result that holds job `j`'s target `i`. Only `[CLS]`,
    /// the targets' pieces and their neighbours are read: the last layer runs for those rows alone. A late-marking
    /// model's lower layers run once per job, its last layers once per target, marked.
    private func encode(_ jobs: ArraySlice<Job>) -> (output: BertEncoder.Output, sequences: [[Int]]) {
        guard case .late(let top) = marking else {
            let output = encoder.encode(
                jobs.map(\.pieces), reading: jobs.map { [0] + $0.targets.flatMap { $0.positions + $0.neighbours } })
            return (
                output, jobs.indices.map { j in Array(repeating: j - jobs.startIndex, count: jobs[j].targets.count) }
            )
        }
        let below = encoder.configuration.layers - top
        let shared = encoder.encode(jobs.map(\.pieces), layers: below)
        let h = shared.width
        var states: [Float] = []
        var offsets = [0]
        var reading: [[Int]] = []
        var sequences: [[Int]] = []
        for (j, job) in jobs.enumerated() {
            let rows = shared.states[(shared.offsets[j] * h)..<(shared.offsets[j + 1] * h)]
            var mine: [Int] = []
            for target in job.targets {
                let base = states.count
                states += rows
                for p in target.positions where p < rows.count / h {
                    for i in 0..<h { states[base + p * h + i] += marker[i] }
                }
                mine.append(offsets.count - 1)
                offsets.append(offsets.last! + rows.count / h)
                reading.append([0] + target.positions + target.neighbours)
            }
            sequences.append(mine)
        }
        let marked = BertEncoder.Output(states: states, offsets: offsets, width: h)
        return (encoder.resume(marked, from: below, reading: reading), sequences)
    }

    /// The class probabilities from sequence `sequence`'s `[CLS]` vector, the mean of its pieces at `positions`
    /// and, for a ``Pooling/local`` model, the mean of those at `neighbours` (or at `positions` when there are none).
    private func probabilities(
        _ output: BertEncoder.Output, sequence j: Int, positions: [Int], neighbours: [Int]
    ) -> [Float] {
        let h = output.width
        let cls = Array(output.vector(j, 0))
        let mean = { (rows: [Int]) -> [Float] in
            guard !rows.isEmpty else { return cls }
            var m = [Float](repeating: 0, count: h)
            for p in rows {
                for (i, v) in output.vector(j, p).enumerated() { m[i] += v }
            }
            return m.map { $0 / Float(rows.count) }
        }
        var features = cls + mean(positions)
        if pooling != .target { features += mean(neighbours.isEmpty ? positions : neighbours) }
        var logits = bias
        for c in labels.indices {
            var sum: Float = 0
            let row = c * features.count
            for (i, v) in features.enumerated() { sum += head[row + i] * v }
            logits[c] += sum
        }
        let top = logits.max() ?? 0
        let e = logits.map { Kernels.exp($0 - top) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }
}
