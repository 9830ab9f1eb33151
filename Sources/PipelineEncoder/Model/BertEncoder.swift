import COpenBLAS
import Foundation

/// A BERT encoder's forward pass: token, position and segment embeddings with layer norm, then for each layer
/// self-attention (every head), its output projection with a residual layer norm, and the GELU feed-forward with a
/// residual layer norm; the result is the last hidden state of every piece.
///
/// A batch of sequences is encoded together: their pieces are stacked into one matrix for every linear layer (so the
/// products are large enough to run near the machine's speed) and attend only within their own sequence (no padding).
/// The weights stay in the mapped safetensors file; an instance is immutable and may be shared by threads.
public final class BertEncoder: Sendable {
    /// The directory's files: `config.json`, `model.safetensors`, `tokenizer.json`.
    public static let files = ["config.json", "model.safetensors", "tokenizer.json"]

    /// The shape.
    public let configuration: BertConfiguration
    /// The CPU kernels OpenBLAS runs the products with ("SkylakeX", "Haswell", ...).
    public var kernels: String { Kernels.core }
    /// The tokenizer that goes with the weights.
    public let tokenizer: BertTokenizer
    private let weights: SafeTensors
    /// The fine-tuning's tensors, when there is one (``init(configuration:weights:tokenizer:adapters:)``).
    private let adapters: SafeTensors?
    /// Weights merged with their low-rank updates.
    private let merged: OwnedFloats
    private let embeddings: Embeddings
    private let layers: [Layer]

    /// Float buffers the encoder owns, freed with it.
    final class OwnedFloats: @unchecked Sendable {
        private var buffers: [UnsafeMutablePointer<Float>] = []
        func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
            let b = UnsafeMutablePointer<Float>.allocate(capacity: count)
            buffers.append(b)
            return b
        }
        deinit { for b in buffers { b.deallocate() } }
    }

    struct Embeddings: @unchecked Sendable {
        var words, positions, segments, gain, bias: UnsafePointer<Float>
    }

    struct Layer: @unchecked Sendable {
        var query, queryBias, key, keyBias, value, valueBias: UnsafePointer<Float>
        var attentionOutput, attentionOutputBias, attentionGain, attentionNormBias: UnsafePointer<Float>
        var intermediate, intermediateBias, output, outputBias, outputGain, outputNormBias: UnsafePointer<Float>
    }

    /// Loads the encoder in `directory` (its three ``files``).
    ///
    /// - Throws: ``EncoderError`` when a file is missing or does not match the configuration.
    public convenience init(directory: String) throws {
        try self.init(directory: directory, configuration: BertConfiguration(contentsOf: directory + "/config.json"))
    }

    /// Loads the weights and tokenizer in `directory` with `configuration` (its `config.json`, perhaps changed: a
    /// fine-tuning may bring more segment embeddings), fine-tuned by `adapters` when given
    /// (``init(configuration:weights:tokenizer:adapters:)``).
    ///
    /// - Throws: ``EncoderError`` when a file is missing or does not match the configuration.
    public convenience init(directory: String, configuration: BertConfiguration, adapters: SafeTensors? = nil) throws {
        let dir = URL(fileURLWithPath: directory)
        try self.init(
            configuration: configuration,
            weights: SafeTensors(path: dir.appendingPathComponent("model.safetensors").path),
            tokenizer: BertTokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json").path), adapters: adapters)
    }

    /// An encoder from its parts, optionally fine-tuned by `adapters`: a safetensors file whose `NAME.lora_a`
    /// (rank × inputs) and `NAME.lora_b` (outputs × rank, scale included) change the linear layer `NAME` to
    /// `W + B·A` (merged once, here), and whose other tensors (layer norms) replace the base's of the same name.
    ///
    /// - Throws: ``EncoderError/invalid(_:_:)`` when a tensor is missing or has the wrong shape, or OpenBLAS cannot be
    ///   loaded.
    public init(
        configuration c: BertConfiguration, weights: SafeTensors, tokenizer: BertTokenizer,
        adapters: SafeTensors? = nil
    ) throws {
        configuration = c
        self.weights = weights
        self.tokenizer = tokenizer
        self.adapters = adapters
        guard tokenizer.pieces.count == c.vocabulary else {
            throw EncoderError.invalid(
                weights.path, "the tokenizer has \(tokenizer.pieces.count) pieces, the model \(c.vocabulary)")
        }
        try Kernels.load()
        let merged = OwnedFloats()
        self.merged = merged
        func f(_ name: String, _ shape: Int...) throws -> UnsafePointer<Float> {
            if let a = adapters, a.entries[name] != nil { return try a.floats(name, shape: shape).baseAddress! }
            let base = try weights.floats(name, shape: shape).baseAddress!
            guard name.hasSuffix(".weight"), shape.count == 2, let a = adapters else { return base }
            let stem = String(name.dropLast(".weight".count))
            guard let down = a.entries[stem + ".lora_a"], down.shape.count == 2 else { return base }
            let rank = down.shape[0]
            let lowA = try a.floats(stem + ".lora_a", shape: [rank, shape[1]]).baseAddress!
            let lowB = try a.floats(stem + ".lora_b", shape: [shape[0], rank]).baseAddress!
            let w = merged.allocate(shape[0] * shape[1])
            w.initialize(from: base, count: shape[0] * shape[1])
            Kernels.addProduct(lowB, lowA, m: shape[0], n: shape[1], k: rank, into: w)
            return UnsafePointer(w)
        }
        let h = c.hidden
        embeddings = Embeddings(
            words: try f("embeddings.word_embeddings.weight", c.vocabulary, h),
            positions: try f("embeddings.position_embeddings.weight", c.maxPositions, h),
            segments: try f("embeddings.token_type_embeddings.weight", c.segments, h),
            gain: try f("embeddings.LayerNorm.weight", h), bias: try f("embeddings.LayerNorm.bias", h))
        layers = try (0..<c.layers).map { l in
            let p = "encoder.layer.\(l)."
            return Layer(
                query: try f(p + "attention.self.query.weight", h, h),
                queryBias: try f(p + "attention.self.query.bias", h),
                key: try f(p + "attention.self.key.weight", h, h), keyBias: try f(p + "attention.self.key.bias", h),
                value: try f(p + "attention.self.value.weight", h, h),
                valueBias: try f(p + "attention.self.value.bias", h),
                attentionOutput: try f(p + "attention.output.dense.weight", h, h),
                attentionOutputBias: try f(p + "attention.output.dense.bias", h),
                attentionGain: try f(p + "attention.output.LayerNorm.weight", h),
                attentionNormBias: try f(p + "attention.output.LayerNorm.bias", h),
                intermediate: try f(p + "intermediate.dense.weight", c.intermediate, h),
                intermediateBias: try f(p + "intermediate.dense.bias", c.intermediate),
                output: try f(p + "output.dense.weight", h, c.intermediate),
                outputBias: try f(p + "output.dense.bias", h),
                outputGain: try f(p + "output.LayerNorm.weight", h),
                outputNormBias: try f(p + "output.LayerNorm.bias", h))
        }
    }

    /// The last hidden state of every piece of every sequence: for sequence `s`, rows `offsets[s]..<offsets[s + 1]`
    /// of `states`, each `configuration.hidden` floats. Sequences longer than `maxPositions` are cut.
    public struct Output: Sendable {
        /// Row-major, one row per piece, the sequences one after the other.
        public var states: [Float]
        /// Where each sequence's rows start, and (last) the total.
        public var offsets: [Int]
        /// The width of a row.
        public var width: Int

        /// The vector of piece `piece` of sequence `sequence`.
        public func vector(_ sequence: Int, _ piece: Int) -> ArraySlice<Float> {
            let row = offsets[sequence] + piece
            return states[(row * width)..<((row + 1) * width)]
        }
    }

    /// Encodes sequences of pieces (``BertTokenizer/encode(_:pair:maxPieces:)``).
    ///
    /// - Parameter reading: when given, the positions of each sequence whose last hidden state will be read: the
    ///   last layer then runs its attention queries, output projection and feed-forward for those rows alone (keys
    ///   and values for all), which saves about a seventh of the work when a few rows per sequence are read; the
    ///   other rows of the result hold the layer before. Unset: every row is final.
    public func encode(_ batch: [[BertTokenizer.Piece]], reading: [[Int]]? = nil) -> Output {
        resume(embed(batch), from: 0, reading: reading)
    }

    /// The hidden states after the first `layers` layers (0: the embeddings), every row: to be marked and
    /// ``resume(_:from:reading:)``d, several times if need be, so that the layers below run once.
    public func encode(_ batch: [[BertTokenizer.Piece]], layers: Int) -> Output {
        resume(embed(batch), from: 0, through: min(max(0, layers), self.layers.count), reading: nil)
    }

    /// Runs the layers from `layer` (0-based) to the last over `states` (as ``encode(_:layers:)`` returns them, or
    /// rows copied and changed from them), with `reading` as in ``encode(_:reading:)``.
    public func resume(_ states: Output, from layer: Int, reading: [[Int]]? = nil) -> Output {
        resume(states, from: layer, through: layers.count, reading: reading)
    }

    /// The embeddings of `batch` after their layer norm; sequences longer than `maxPositions` are cut.
    private func embed(_ batch: [[BertTokenizer.Piece]]) -> Output {
        let c = configuration
        let h = c.hidden
        let sequences = batch.map { Array($0.prefix(c.maxPositions)) }
        var offsets = [0]
        for s in sequences { offsets.append(offsets.last! + s.count) }
        var states = [Float](repeating: 0, count: offsets.last! * h)
        guard !states.isEmpty else { return Output(states: [], offsets: offsets, width: h) }
        states.withUnsafeMutableBufferPointer { buffer in
            let x = buffer.baseAddress!
            for (s, sequence) in sequences.enumerated() {
                for (p, piece) in sequence.enumerated() {
                    let row = x + (offsets[s] + p) * h
                    let id = piece.id >= 0 && Int(piece.id) < c.vocabulary ? Int(piece.id) : Int(tokenizer.unknown)
                    let w = embeddings.words + id * h
                    let position = embeddings.positions + p * h
                    let segment = embeddings.segments + min(max(0, Int(piece.segment)), c.segments - 1) * h
                    for i in 0..<h { row[i] = w[i] + position[i] + segment[i] }
                }
            }
            Kernels.addLayerNorm(
                x, nil, rows: offsets.last!, width: h, embeddings.gain, embeddings.bias, epsilon: c.epsilon)
        }
        return Output(states: states, offsets: offsets, width: h)
    }

    /// Layers `first..<last` over `input`; `reading` applies when `last` is the last layer.
    private func resume(_ input: Output, from first: Int, through last: Int, reading: [[Int]]?) -> Output {
        let c = configuration
        let h = c.hidden
        let offsets = input.offsets
        let rows = offsets.last ?? 0
        guard rows > 0, first < last else { return input }
        let lengths = (0..<(offsets.count - 1)).map { offsets[$0 + 1] - offsets[$0] }
        let longest = lengths.max() ?? 0
        // One workspace: the hidden states, queries, keys, values, attention context and output, the feed-forward
        // layer and one head's scores.
        let size = 6 * rows * h + rows * c.intermediate + longest * longest
        let x = UnsafeMutablePointer<Float>.allocate(capacity: size)
        defer { x.deallocate() }
        x.initialize(repeating: 0, count: size)
        input.states.withUnsafeBufferPointer { x.update(from: $0.baseAddress!, count: min($0.count, rows * h)) }
        let q = x + rows * h
        let k = q + rows * h
        let v = k + rows * h
        let context = v + rows * h
        let attended = context + rows * h
        let inner = attended + rows * h
        let scores = inner + rows * c.intermediate

        let headWidth = h / c.heads
        let scale = 1 / Float(headWidth).squareRoot()
        for l in first..<last {
            let layer = layers[l]
            if l == layers.count - 1, let reading {
                // Rows read, grouped by sequence: gathered into `q`'s space; their queries go in `attended`'s.
                var selected: [Int] = []
                var starts = [0]
                for s in lengths.indices {
                    let wanted = s < reading.count ? Set(reading[s].filter { $0 >= 0 && $0 < lengths[s] }).sorted() : []
                    selected += wanted.map { offsets[s] + $0 }
                    starts.append(selected.count)
                }
                for (r, row) in selected.enumerated() { (q + r * h).update(from: x + row * h, count: h) }
                lastLayer(
                    layer, x: x, rows: rows, gathered: q, selected: selected, starts: starts, offsets: offsets,
                    work: (k, v, context, attended, inner, scores))
                for (r, row) in selected.enumerated() { (x + row * h).update(from: q + r * h, count: h) }
                break
            }
            Kernels.linear(x, rows: rows, inputs: h, layer.query, layer.queryBias, outputs: h, into: q)
            Kernels.linear(x, rows: rows, inputs: h, layer.key, layer.keyBias, outputs: h, into: k)
            Kernels.linear(x, rows: rows, inputs: h, layer.value, layer.valueBias, outputs: h, into: v)
            for (s, n) in lengths.enumerated() where n > 0 {
                for head in 0..<c.heads {
                    let column = offsets[s] * h + head * headWidth
                    Kernels.productTransposed(
                        q + column, lda: h, k + column, ldb: h, m: n, n: n, k: headWidth, alpha: scale, into: scores,
                        ldc: n)
                    Kernels.softmaxRows(scores, rows: n, width: n)
                    Kernels.product(
                        scores, lda: n, v + column, ldb: h, m: n, n: headWidth, k: n, into: context + column, ldc: h)
                }
            }
            Kernels.linear(
                context, rows: rows, inputs: h, layer.attentionOutput, layer.attentionOutputBias, outputs: h,
                into: attended)
            Kernels.addLayerNorm(
                attended, x, rows: rows, width: h, layer.attentionGain, layer.attentionNormBias, epsilon: c.epsilon)
            Kernels.linear(
                attended, rows: rows, inputs: h, layer.intermediate, layer.intermediateBias, outputs: c.intermediate,
                into: inner)
            Kernels.gelu(inner, count: rows * c.intermediate)
            Kernels.linear(
                inner, rows: rows, inputs: c.intermediate, layer.output, layer.outputBias, outputs: h, into: x)
            Kernels.addLayerNorm(
                x, attended, rows: rows, width: h, layer.outputGain, layer.outputNormBias, epsilon: c.epsilon)
        }
        return Output(states: Array(UnsafeBufferPointer(start: x, count: rows * h)), offsets: offsets, width: h)
    }

    /// The last layer for the `selected` rows of `x` alone (gathered in `gathered`, sequence `s`'s at
    /// `starts[s]..<starts[s + 1]`), which it overwrites with their final states; keys and values come from every row.
    private func lastLayer(
        _ layer: Layer, x: UnsafeMutablePointer<Float>, rows: Int, gathered xs: UnsafeMutablePointer<Float>,
        selected: [Int], starts: [Int], offsets: [Int],
        work: (
            k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>,
            queries: UnsafeMutablePointer<Float>, inner: UnsafeMutablePointer<Float>,
            scores: UnsafeMutablePointer<Float>
        )
    ) {
        let c = configuration
        let h = c.hidden
        let m = selected.count
        guard m > 0 else { return }
        let headWidth = h / c.heads
        let scale = 1 / Float(headWidth).squareRoot()
        Kernels.linear(x, rows: rows, inputs: h, layer.key, layer.keyBias, outputs: h, into: work.k)
        Kernels.linear(x, rows: rows, inputs: h, layer.value, layer.valueBias, outputs: h, into: work.v)
        Kernels.linear(xs, rows: m, inputs: h, layer.query, layer.queryBias, outputs: h, into: work.queries)
        for s in 0..<(offsets.count - 1) {
            let n = offsets[s + 1] - offsets[s]
            let wanted = starts[s + 1] - starts[s]
            guard n > 0, wanted > 0 else { continue }
            for head in 0..<c.heads {
                let mine = starts[s] * h + head * headWidth
                let all = offsets[s] * h + head * headWidth
                Kernels.productTransposed(
                    work.queries + mine, lda: h, work.k + all, ldb: h, m: wanted, n: n, k: headWidth, alpha: scale,
                    into: work.scores, ldc: n)
                Kernels.softmaxRows(work.scores, rows: wanted, width: n)
                Kernels.product(
                    work.scores, lda: n, work.v + all, ldb: h, m: wanted, n: headWidth, k: n,
                    into: work.context + mine, ldc: h)
            }
        }
        // The queries are spent: their space takes the attention output.
        let attended = work.queries
        Kernels.linear(
            work.context, rows: m, inputs: h, layer.attentionOutput, layer.attentionOutputBias, outputs: h,
            into: attended)
        Kernels.addLayerNorm(
            attended, xs, rows: m, width: h, layer.attentionGain, layer.attentionNormBias, epsilon: c.epsilon)
        Kernels.linear(
            attended, rows: m, inputs: h, layer.intermediate, layer.intermediateBias, outputs: c.intermediate,
            into: work.inner)
        Kernels.gelu(work.inner, count: m * c.intermediate)
        Kernels.linear(
            work.inner, rows: m, inputs: c.intermediate, layer.output, layer.outputBias, outputs: h, into: xs)
        Kernels.addLayerNorm(
            xs, attended, rows: m, width: h, layer.outputGain, layer.outputNormBias, epsilon: c.epsilon)
    }
}
