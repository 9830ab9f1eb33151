import Foundation
import PipelineCore

/// The WordPiece tokenizer of a BERT `tokenizer.json` (uncased): ``BertNormalizer``'s words, each split greedily into
/// the longest pieces of the vocabulary (`##` before a piece that continues a word), a word longer than
/// `max_input_chars_per_word` scalars or with no split at all becoming `[UNK]`; `[CLS] A [SEP]` for one text and
/// `[CLS] A [SEP] B [SEP]` for a pair. Offsets are in Unicode scalars of the text given (the document model's unit),
/// as the reference's are.
///
/// Unlike the reference, the literal strings `[CLS]`, `[SEP]`, `[MASK]` … inside a text are text, not special tokens:
/// an article cannot inject one.
public struct BertTokenizer: Sendable {
    /// One piece of an encoded text.
    public struct Piece: Sendable, Equatable {
        /// The vocabulary id.
        public var id: Int32
        /// Scalars `start..<end` of the text the piece covers (`0..<0` for `[CLS]` and `[SEP]`).
        public var start: Int
        /// One past the last scalar.
        public var end: Int
        /// 0 for the first text, 1 for the second of a pair.
        public var segment: Int32
    }

    /// Ids of the vocabulary by piece (`##` marks a continuation).
    let vocabulary: [String: Int32]
    /// The pieces by id, for display.
    public let pieces: [String]
    /// The id of `[UNK]`.
    public let unknown: Int32
    /// The id of `[CLS]`.
    public let classify: Int32
    /// The id of `[SEP]`.
    public let separator: Int32
    /// The id of `[PAD]`.
    public let padding: Int32
    /// Longer words are `[UNK]`.
    let maxWordScalars: Int

    /// Reads the tokenizer of a `tokenizer.json` file.
    ///
    /// - Throws: ``EncoderError`` when the file cannot be read or is not a BERT WordPiece tokenizer.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.missing(path, "cannot read the tokenizer")
        }
        let root: JSONValue
        do { root = try JSONScanner.parse(Array(data)) } catch {
            throw EncoderError.invalid(path, "the tokenizer is not JSON: \(error)")
        }
        guard let model = root.objectValue?["model"]?.objectValue, model["type"]?.stringValue == "WordPiece",
            let vocab = model["vocab"]?.objectValue, !vocab.isEmpty
        else { throw EncoderError.invalid(path, "not a WordPiece tokenizer (model.type, model.vocab)") }
        if let n = root.objectValue?["normalizer"]?.objectValue,
            n["type"]?.stringValue != "BertNormalizer" || n["lowercase"] != .bool(true)
        {
            throw EncoderError.invalid(path, "only the uncased BertNormalizer is supported")
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(vocab.count)
        var pieces = [String](repeating: "", count: vocab.count)
        for (piece, value) in vocab {
            guard let id = value.intValue, id >= 0, id < vocab.count else {
                throw EncoderError.invalid(path, "vocabulary id of '\(piece)' out of range")
            }
            ids[piece] = Int32(id)
            pieces[id] = piece
        }
        func special(_ name: String) throws -> Int32 {
            guard let id = ids[name] else { throw EncoderError.invalid(path, "the vocabulary has no \(name)") }
            return id
        }
        vocabulary = ids
        self.pieces = pieces
        unknown = try special(model["unk_token"]?.stringValue ?? "[UNK]")
        classify = try special("[CLS]")
        separator = try special("[SEP]")
        padding = try special("[PAD]")
        maxWordScalars = model["max_input_chars_per_word"]?.intValue ?? 100
    }

    /// The pieces of `text` without `[CLS]` and `[SEP]`.
    public func pieces(of text: String, segment: Int32 = 0) -> [Piece] {
        var out: [Piece] = []
        out.reserveCapacity(text.utf8.count / 4 + 4)
        var candidate = String.UnicodeScalarView()
        for word in BertNormalizer.words(text) {
            let n = word.scalars.count
            let whole = Piece(id: unknown, start: word.origins[0], end: word.origins[n - 1] + 1, segment: segment)
            guard n <= maxWordScalars else {
                out.append(whole)
                continue
            }
            let mark = out.count
            var start = 0
            var failed = false
            while start < n {
                var end = n
                var found: Int32?
                while end > start {
                    candidate.removeAll(keepingCapacity: true)
                    if start > 0 { candidate.append(contentsOf: "##".unicodeScalars) }
                    candidate.append(contentsOf: word.scalars[start..<end])
                    if let id = vocabulary[String(candidate)] {
                        found = id
                        break
                    }
                    end -= 1
                }
                guard let id = found else {
                    failed = true
                    break
                }
                out.append(Piece(id: id, start: word.origins[start], end: word.origins[end - 1] + 1, segment: segment))
                start = end
            }
            if failed {
                out.removeSubrange(mark...)
                out.append(whole)
            }
        }
        return out
    }

    /// `[CLS] text [SEP]`, or `[CLS] text [SEP] pair [SEP]`, each text cut so that the whole holds at most
    /// `maxPieces` (the longer of the two loses pieces first, as the reference's `longest_first`).
    public func encode(_ text: String, pair: String? = nil, maxPieces: Int = 512) -> [Piece] {
        var a = pieces(of: text)
        var b = pair.map { pieces(of: $0, segment: 1) } ?? []
        let room = max(0, maxPieces - (pair == nil ? 2 : 3))
        while a.count + b.count > room {
            if a.count >= b.count { a.removeLast() } else { b.removeLast() }
        }
        var out = [Piece(id: classify, start: 0, end: 0, segment: 0)]
        out.append(contentsOf: a)
        out.append(Piece(id: separator, start: 0, end: 0, segment: 0))
        if pair != nil {
            out.append(contentsOf: b)
            out.append(Piece(id: separator, start: 0, end: 0, segment: 1))
        }
        return out
    }
}
