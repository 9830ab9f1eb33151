import Foundation
import PipelineCore

/// `extract keyphrases`: the top key phrases of each document, with scores (``KeyphraseRanker``), words compared by
/// their Snowball stem (libstemmer), so "sanctions" and "sanctioned" count together. Each job slot gets its own
/// stemmer (libstemmer's are not thread-safe).
public struct KeyphrasesStage: ExtractStage, WorkerBackedStage {
    static let top = StageOption<Int>("top", default: 10, range: 1...100, help: "how many key phrases per document")
    static let language = StageOption<String>(
        "language", default: "english", type: .oneOf(Stemmer.languages),
        help: "the stemmer's language (stop words are English)")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "keyphrases",
        help: "the top key phrases of each document (PositionRank over stemmed content words), with scores",
        options: [top, language], requires: [.sentences, .tokens], provides: [.keyphrases])

    let count: Int
    let languageName: String

    /// Checks that libstemmer knows the language.
    public init(options: StageOptions, context: StageContext) throws {
        count = options[Self.top]
        languageName = options[Self.language]
        guard Stemmer(language: languageName) != nil else {
            throw StageConfigurationError("libstemmer has no '\(languageName)' stemmer", option: Self.language.name)
        }
    }

    /// A worker with its own stemmer.
    public func makeWorker() throws -> any TransformWorker {
        guard let stemmer = Stemmer(language: languageName) else {
            throw StageConfigurationError("libstemmer has no '\(languageName)' stemmer", option: Self.language.name)
        }
        return Worker(stemmer: stemmer, ranker: KeyphraseRanker(top: count))
    }

    struct Worker: TransformWorker {
        let stemmer: Stemmer
        let ranker: KeyphraseRanker
        var cache: [String: String] = [:]
        /// Each token seen by this worker, by the hash of its bytes, and its stem's number (-1: not a content word),
        /// since news repeats its words; emptied, with the numbers, before a document when it has grown past
        /// ``wordsKept``. (A `[String: …]` map needed each token as a string, and hashed it with SipHash: most of
        /// the stage's time outside the ranker.)
        var known = HashKeyMap<Int32>()
        /// The number of each stem seen since.
        var stemNumbers: [String: Int32] = [:]
        /// The ranker's scratch space (see ``KeyphraseRanker/rank(_:nodeOf:)``).
        var nodeOf: [Int32] = []
        static let wordsKept = 200_000

        mutating func process(_ document: inout Document) throws {
            if known.count >= Self.wordsKept {
                known = HashKeyMap()
                stemNumbers.removeAll(keepingCapacity: true)
            }
            let tokens = document.tokens ?? []
            var sentences: [[KeyphraseRanker.Word]] = []
            if var title = document.title {
                let words = title.withUTF8 { p in
                    Tokenizer().tokenize(p).map { word(UnsafeBufferPointer(rebasing: p[$0]), keepText: true) }
                }
                sentences.append(words)
            }
            var text = document.text
            try text.withUTF8 { buf in
                var offsets = ScalarOffsets(buf)
                var k = 0
                for (n, s) in (document.sentences ?? []).enumerated() {
                    if n % 64 == 0 { try RunCancellation.checkCurrent() }
                    while k < tokens.count && tokens[k].start < s.start { k += 1 }
                    var words: [KeyphraseRanker.Word] = []
                    while k < tokens.count && tokens[k].end <= s.end {
                        let a = offsets.byte(atScalar: max(0, tokens[k].start), in: buf)
                        let b = max(a, offsets.byte(atScalar: max(0, tokens[k].end), in: buf))
                        // The dateline test below reads the first twelve words of the first two sentences.
                        words.append(
                            word(UnsafeBufferPointer(rebasing: buf[a..<b]), keepText: n < 2 && words.count < 12))
                        k += 1
                    }
                    // A dateline ("BAGHDAD, Nov 20 (PSW) -") says where and who, not what: leave it out.
                    if n < 2, let dash = words.prefix(12).firstIndex(where: { $0.text == "-" || $0.text == "--" }),
                        words[..<dash].contains(where: {
                            $0.text.count >= 3 && $0.text == $0.text.uppercased() && $0.stem != nil
                        })
                    {
                        words.removeFirst(dash + 1)
                    }
                    sentences.append(words)
                }
            }
            document.keyphrases = ranker.rank(sentences, nodeOf: &nodeOf)
        }

        /// The token `bytes` as a word: its stem's number, or none for stop words, numbers and punctuation, and its
        /// text, left empty for those unless `keepText` (the ranker spells out content words only).
        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, keepText: Bool) -> KeyphraseRanker.Word {
            let key = TokenFeatures.fnv(bytes, lowercase: false)
            if let number = known[key] {
                let text = number >= 0 || keepText ? String(decoding: bytes, as: UTF8.self) : ""
                return (text, number < 0 ? nil : Int(number))
            }
            let t = String(decoding: bytes, as: UTF8.self)
            var number: Int32 = -1
            if let stem = newWord(t) {
                if let n = stemNumbers[stem] {
                    number = n
                } else {
                    number = Int32(stemNumbers.count)
                    stemNumbers[stem] = number
                }
            }
            known[key] = number
            return (t, number < 0 ? nil : Int(number))
        }

        /// The stem of a content word, nil for anything else.
        private mutating func newWord(_ text: String) -> String? {
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWord(text) }
            let lower = text.lowercased()
            guard lower.count >= 2, lower.unicodeScalars.contains(where: { $0.properties.isAlphabetic }),
                !lower.unicodeScalars.contains(where: { $0.properties.numericType != nil }),
                !StopWords.english.contains(lower),
                // Past tenses and participles in lower case are verbs, not topics ("arrived", "handed").
                !(lower.hasSuffix("ed") && text.first?.isLowercase == true && lower.count > 4)
            else { return nil }
            return stem(lower)
        }

        /// ``word(_:)`` for an ASCII token, deciding on bytes (the same tests: letters are the alphabetic scalars and
        /// digits the numeric ones of ASCII).
        private mutating func asciiWord(_ text: String) -> String? {
            var letter = false, digit = false
            var bytes = Array(text.utf8)
            let firstIsLower = bytes.first.map { $0 >= 0x61 && $0 <= 0x7A } ?? false
            for i in bytes.indices {
                let b = bytes[i]
                if b >= 0x41 && b <= 0x5A {
                    bytes[i] = b + 0x20; letter = true
                } else if b >= 0x61 && b <= 0x7A {
                    letter = true
                } else if b >= 0x30 && b <= 0x39 {
                    digit = true
                }
            }
            guard bytes.count >= 2, letter, !digit else { return nil }
            let lower = String(decoding: bytes, as: UTF8.self)
            guard !StopWords.english.contains(lower),
                !(firstIsLower && bytes.count > 4 && bytes[bytes.count - 2] == 0x65 && bytes[bytes.count - 1] == 0x64)
            else { return nil }
            return stem(lower)
        }

        private mutating func stem(_ lower: String) -> String {
            if let s = cache[lower] { return s }
            let s = stemmer.stem(lower)
            cache[lower] = s
            return s
        }
    }
}
