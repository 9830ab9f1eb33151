import Foundation
import OrderedCollections
import PipelineCore

/// Sentences with gold entity tags, grouped by document: what the entity tagger trains and is scored on. Read from
/// CoNLL column files (token first, tag last, `-DOCSTART-` between documents, a blank line between sentences) or from
/// `*.documents.jsonl` (`text`, `sentences` as `[start, end)` code-point offsets, `entities` with `start`, `end`,
/// `type`), which are tokenised with ``Tokenizer`` as the pipeline does.
struct TaggedCorpus: Sendable {
    /// One sentence: its bytes, token byte ranges and gold tags.
    struct Sentence: Sendable {
        var bytes: [UInt8]
        var ranges: [Range<Int>]
        var tags: [Int]
        /// The part of the training corpus the sentence's document is in, when features are built part by part
        /// (``EntityTrainer/foldResources``); -1 otherwise.
        var fold = -1
    }

    /// Documents, each a list of sentences.
    var documents: [[Sentence]] = []

    /// The names tagged in the documents whose index `d` has `d % folds != fold` (all of them for fold -1): each
    /// name's tokens (as written) and type, the most frequent type of the name in lower case (ties: the first
    /// type in PER, ORG, LOC, MISC order), in order of first appearance.
    func names(folds: Int = 1, excluding fold: Int = -1) -> [(tokens: [String], type: Int)] {
        var counts: OrderedDictionary<String, (tokens: [String], types: [Int])> = [:]
        for (d, document) in documents.enumerated() where folds <= 1 || d % folds != fold {
            for s in document {
                for span in EntityTags.spans(s.tags) {
                    let tokens = s.ranges[span.start..<span.end].map {
                        String(decoding: s.bytes[$0], as: UTF8.self)
                    }
                    let key = tokens.joined(separator: " ").lowercased()
                    var entry = counts[key] ?? (tokens, [Int](repeating: 0, count: EntityTags.types.count))
                    entry.types[span.type] += 1
                    counts[key] = entry
                }
            }
        }
        return counts.values.map { entry in
            let top = entry.types.max()!
            return (entry.tokens, entry.types.firstIndex(of: top)!)
        }
    }

    var sentenceCount: Int { documents.reduce(0) { $0 + $1.count } }
    var tokenCount: Int { documents.reduce(0) { $0 + $1.reduce(0) { $0 + $1.tags.count } } }

    /// Reads a file in either format (by its content: a JSON object on the first line means JSONL).
    static func read(_ path: String) throws -> TaggedCorpus {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.io(file: path, message: "cannot read the file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TrainingError.data(file: path, line: 0, message: "not valid UTF-8")
        }
        let firstLine = text.prefix { $0 != "\n" }.trimmingCharacters(in: .whitespaces)
        return firstLine.hasPrefix("{") ? try readDocuments(text, file: path) : try readConll(text, file: path)
    }

    /// CoNLL columns.
    static func readConll(_ text: String, file: String) throws -> TaggedCorpus {
        var corpus = TaggedCorpus()
        var document: [Sentence] = []
        var tokens: [String] = []
        var tags: [Int] = []
        func endSentence() {
            guard !tokens.isEmpty else { return }
            var bytes: [UInt8] = []
            var ranges: [Range<Int>] = []
            for t in tokens {
                if !bytes.isEmpty { bytes.append(0x20) }
                let start = bytes.count
                bytes.append(contentsOf: t.utf8)
                ranges.append(start..<bytes.count)
            }
            document.append(Sentence(bytes: bytes, ranges: ranges, tags: tags))
            tokens = []
            tags = []
        }
        func endDocument() {
            endSentence()
            if !document.isEmpty { corpus.documents.append(document) }
            document = []
        }
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if columns.isEmpty { endSentence(); continue }
            if columns[0] == "-DOCSTART-" { endDocument(); continue }
            guard columns.count >= 2 else {
                throw TrainingError.data(
                    file: file, line: lineNumber,
                    message: "expected a token and its tag (CoNLL columns), found '\(line.prefix(60))'")
            }
            guard let tag = EntityTags.index(of: String(columns[columns.count - 1]), previous: tags.last ?? 0) else {
                throw TrainingError.data(
                    file: file, line: lineNumber,
                    message: "unknown tag '\(columns[columns.count - 1])'; tags are O, B-/I- PER, ORG, LOC, MISC")
            }
            tokens.append(String(columns[0]))
            tags.append(tag)
        }
        endDocument()
        return corpus
    }

    /// `*.documents.jsonl`.
    static func readDocuments(_ text: String, file: String) throws -> TaggedCorpus {
        var corpus = TaggedCorpus()
        let tokenizer = Tokenizer()
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" }) { continue }
            func bad(_ text: String) -> TrainingError { .data(file: file, line: lineNumber, message: text) }
            guard case .object(let o)? = try? JSONScanner.parse(Array(line.utf8)) else {
                throw bad("not a JSON object")
            }
            guard case .string(let body)? = o["text"] else { throw bad("no \"text\" string") }
            guard case .array(let sentenceValues)? = o["sentences"] else { throw bad("no \"sentences\" list") }
            let scalars = Array(body.unicodeScalars)
            var byteAt = [Int](repeating: 0, count: scalars.count + 1)
            for (k, u) in scalars.enumerated() { byteAt[k + 1] = byteAt[k] + UTF8.width(u) }
            let bytes = Array(body.utf8)
            var entities: [(start: Int, end: Int, type: Int)] = []
            if case .array(let values)? = o["entities"] {
                for v in values {
                    guard case .object(let e) = v, let s = e["start"]?.intValue, let t = e["end"]?.intValue,
                        let typeName = e["type"]?.stringValue, let type = EntityTags.types.firstIndex(of: typeName),
                        s >= 0, s < t, t <= scalars.count
                    else {
                        throw bad(
                            "an entity needs start < end inside the text and a type among \(EntityTags.types.joined(separator: ", "))"
                        )
                    }
                    entities.append((byteAt[s], byteAt[t], type))
                }
            }
            var document: [Sentence] = []
            for v in sentenceValues {
                let pair: (Int, Int)?
                switch v {
                case .array(let a) where a.count == 2:
                    pair = a[0].intValue.flatMap { s in a[1].intValue.map { (s, $0) } }
                case .object(let so): pair = so["start"]?.intValue.flatMap { s in so["end"]?.intValue.map { (s, $0) } }
                default: pair = nil
                }
                guard let (s, e) = pair, s >= 0, s <= e, e <= scalars.count else {
                    throw bad("a sentence is not [start, end) inside the text")
                }
                let a = byteAt[s], b = byteAt[e]
                let ranges = bytes.withUnsafeBufferPointer { p in
                    tokenizer.tokenize(UnsafeBufferPointer(rebasing: p[a..<b])).map {
                        ($0.lowerBound + a)..<($0.upperBound + a)
                    }
                }
                var tags = [Int](repeating: 0, count: ranges.count)
                for ent in entities where ent.start >= a && ent.end <= b {
                    var first = true
                    for (k, r) in ranges.enumerated() where r.lowerBound < ent.end && r.upperBound > ent.start {
                        tags[k] = first ? EntityTags.begin(ent.type) : EntityTags.inside(ent.type)
                        first = false
                    }
                }
                let local = ranges.map { ($0.lowerBound - a)..<($0.upperBound - a) }
                document.append(Sentence(bytes: Array(bytes[a..<b]), ranges: local, tags: tags))
            }
            corpus.documents.append(document)
        }
        return corpus
    }
}
