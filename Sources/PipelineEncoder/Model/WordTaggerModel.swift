import Foundation
import PipelineCore

/// A word tagger from the encoder fine-tuned by `Resources/train_entity_encoder.py`: each word's tag scores come from
/// the last hidden state of its first piece through one linear layer. The base encoder is uncased, so every piece also
/// carries its word's ``shape(of:)`` in the segment slot (a trained embedding per shape: the tagger sees capitals).
///
/// A sentence is read as `[CLS] pieces [SEP]`, its words' pieces obtained one word at a time (as the training script's
/// words joined by spaces give them: BERT's pre-tokenization splits at spaces and punctuation); a sentence longer than
/// the model's window is read in consecutive windows of whole words. A word that yields no piece is scored as
/// certainly outside every name (the first label). Immutable; threads may share an instance.
public final class WordTaggerModel: Sendable {
    /// The tag names, in the order of the scores (`O`, `B-PER`, `I-PER`, ...).
    public let labels: [String]
    /// The fine-tuned encoder.
    public let encoder: BertEncoder
    /// The longest input, in pieces, as in training.
    public let maxPieces: Int
    private let head: [Float]
    private let bias: [Float]

    /// The number of word shapes (segment ids): 0 for `[CLS]` and `[SEP]`, then ``shape(of:)``'s five.
    public static let shapes = 6

    /// The case class of a word, from the Unicode general categories of its letters, as in training: 1 no letters,
    /// 2 all lower case, 3 a capital then lower case (or a single capital), 4 all capitals, 5 anything else.
    public static func shape(of word: Substring) -> Int32 {
        var letters = 0
        var lower = 0
        var upper = 0
        var firstUpper = false
        for scalar in word.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .lowercaseLetter: lower += 1
            case .uppercaseLetter:
                if letters == 0 { firstUpper = true }
                upper += 1
            case .titlecaseLetter, .modifierLetter, .otherLetter: break
            default: continue
            }
            letters += 1
        }
        if letters == 0 { return 1 }
        if lower == letters { return 2 }
        if firstUpper && lower == letters - 1 { return 3 }
        if upper == letters { return 4 }
        return 5
    }

    /// Loads the fine-tuning in `path` over the base encoder in `base`.
    ///
    /// - Throws: ``EncoderError`` when a file is missing, corrupt, or not a word tagger.
    public init(path: String, base: String) throws {
        let tuned = try SafeTensors(path: path)
        let dir = URL(fileURLWithPath: base)
        var configuration = try BertConfiguration(contentsOf: dir.appendingPathComponent("config.json").path)
        let metadata = tuned.metadata
        guard metadata["input"] == "tokens" else {
            throw EncoderError.invalid(
                path, "not a word tagger (its input is '\(metadata["input"] ?? "")', not tokens)")
        }
        labels = (metadata["labels"] ?? "").split(separator: ",").map(String.init)
        guard labels.count >= 2, Int(metadata["shapes"] ?? "") == Self.shapes else {
            throw EncoderError.invalid(path, "a word tagger without labels or with word shapes not known here")
        }
        maxPieces = max(3, Int(metadata["max_pieces"] ?? "") ?? 128)
        configuration.segments = Self.shapes
        let h = configuration.hidden
        head = Array(try tuned.floats("head.weight", shape: [labels.count, h]))
        bias = Array(try tuned.floats("head.bias", shape: [labels.count]))
        encoder = try BertEncoder(directory: base, configuration: configuration, adapters: tuned)
    }

    /// Sequences encoded together (as ``TargetSentimentModel/chunk``).
    public static let chunk = 32

    /// One window to encode: its sentence, the sentence's words it covers, and each word's first piece (-1: none).
    private struct Window {
        var sentence: Int
        var words: Range<Int>
        var firsts: [Int]
        var pieces: [BertTokenizer.Piece]
    }

    /// The log-probabilities of every label for every word of every sentence: `result[s][w]`, ``labels``.count
    /// values. Encodes ``chunk`` windows at a time.
    ///
    /// - Throws: ``RunError/interrupted`` when the calling thread's run is cancelled (checked between chunks).
    public func scores(_ sentences: [[Substring]]) throws -> [[[Float]]] {
        let tokenizer = encoder.tokenizer
        let room = maxPieces - 2
        var windows: [Window] = []
        for (s, words) in sentences.enumerated() {
            let pieces = words.map { word in
                let shape = Self.shape(of: word)
                return tokenizer.pieces(of: String(word), segment: shape).prefix(room)
            }
            var start = 0
            while start < words.count {
                var end = start
                var used = 0
                while end < words.count && (end == start || used + pieces[end].count <= room) {
                    used += pieces[end].count
                    end += 1
                }
                var window = Window(sentence: s, words: start..<end, firsts: [], pieces: [])
                window.pieces.append(BertTokenizer.Piece(id: tokenizer.classify, start: 0, end: 0, segment: 0))
                for w in start..<end {
                    window.firsts.append(pieces[w].isEmpty ? -1 : window.pieces.count)
                    window.pieces += pieces[w]
                }
                window.pieces.append(BertTokenizer.Piece(id: tokenizer.separator, start: 0, end: 0, segment: 0))
                windows.append(window)
                start = end
            }
        }
        let outside = [0] + [Float](repeating: -1e9, count: labels.count - 1)
        var result = sentences.map { [[Float]](repeating: outside, count: $0.count) }
        var from = 0
        while from < windows.count {
            try RunCancellation.checkCurrent()
            let part = windows[from..<min(windows.count, from + Self.chunk)]
            from = part.endIndex
            let output = encoder.encode(part.map(\.pieces), reading: part.map { $0.firsts.filter { $0 >= 0 } })
            for (j, window) in part.enumerated() {
                for (k, first) in window.firsts.enumerated() where first >= 0 {
                    result[window.sentence][window.words.lowerBound + k] = logProbabilities(output.vector(j, first))
                }
            }
        }
        return result
    }

    /// The head's log-softmax over one hidden state.
    private func logProbabilities(_ state: ArraySlice<Float>) -> [Float] {
        var logits = bias
        let h = state.count
        state.withUnsafeBufferPointer { x in
            for c in labels.indices {
                var sum: Float = 0
                for i in 0..<h { sum += head[c * h + i] * x[i] }
                logits[c] += sum
            }
        }
        let top = logits.max() ?? 0
        let z = logits.reduce(Float(0)) { $0 + Kernels.exp($1 - top) }
        let log = top + Foundation.log(z)
        return logits.map { $0 - log }
    }
}
