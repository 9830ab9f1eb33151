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
            var words = KeyphraseRanker.Words(capacity: tokens.count, bytes: document.text.utf8.count)
            if var title = document.title {
                title.withUTF8 { p in
                    words.startSentence()
                    for r in Tokenizer().tokenize(p) {
                        let bytes = UnsafeBufferPointer(rebasing: p[r])
                        words.append(bytes, stem: stemNumber(bytes))
                    }
                }
            }
            var text = document.text
            try text.withUTF8 { buf in
                var offsets = ScalarOffsets(buf)
                var k = 0
                for (n, s) in (document.sentences ?? []).enumerated() {
                    if n % 64 == 0 { try RunCancellation.checkCurrent() }
                    while k < tokens.count && tokens[k].start < s.start { k += 1 }
                    words.startSentence()
                    let first = words.count
                    while k < tokens.count && tokens[k].end <= s.end {
                        let a = offsets.byte(atScalar: max(0, tokens[k].start), in: buf)
                        let b = max(a, offsets.byte(atScalar: max(0, tokens[k].end), in: buf))
                        let bytes = UnsafeBufferPointer(rebasing: buf[a..<b])
                        words.append(bytes, stem: stemNumber(bytes))
                        k += 1
                    }
                    // A dateline ("BAGHDAD, Nov 20 (PSW) -") says where and who, not what: leave it out.
                    let lead = first..<min(words.count, first + 12)
                    if n < 2, let dash = lead.first(where: { words.isWord($0, "-") || words.isWord($0, "--") }),
                        (first..<dash).contains(where: {
                            let t = words.text($0)
                            return t.count >= 3 && t == t.uppercased() && words.stems[$0] >= 0
                        })
                    {
                        words.removeFirstWords(dash + 1 - first)
                    }
                }
            }
            document.keyphrases = ranker.rank(words, nodeOf: &nodeOf)
        }

        /// The stem number of the token `bytes` (-1: not a content word — a stop word, a number, punctuation).
        mutating func stemNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            let key = TokenFeatures.fnv(bytes, lowercase: false)
            if let number = known[key] { return number }
            var number: Int32 = -1
            if let stem = newWord(String(decoding: bytes, as: UTF8.self)) {
                if let n = stemNumbers[stem] {
                    number = n
                } else {
                    number = Int32(stemNumbers.count)
                    stemNumbers[stem] = number
                }
            }
            known[key] = number
            return number
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

        /// ``newWord(_:)`` for an ASCII token, deciding on bytes (the same tests: letters are the alphabetic scalars and
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
