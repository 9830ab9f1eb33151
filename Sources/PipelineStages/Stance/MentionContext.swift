import Foundation
import OrderedCollections
import PipelineCore

/// A document's tokens and sentences, ready to describe any mention in it.
struct MentionContext {
    let document: Document
    let words: [String]
    let hashes: [UInt64]
    /// Each word's entry in the hand-written lexicon, if any (looked up once per document, not once per mention).
    private let entries: [StanceLexicon.Entry?]
    /// How many of the words before word i are quotation marks (`"`, `“`, `”`), for i up to the word count.
    private let quoteMarksBefore: [Int]
    /// The quotes' spans by start, and the furthest end among each prefix: whether a mention is quoted is a binary
    /// search, not a scan of every quote per mention.
    private let quotes: [Span]
    private let quoteReach: [Int]

    /// The words around a mention that describe it, at most, on each side: a "sentence" of thousands of tokens (text
    /// without sentence punctuation) is read as this many tokens either side of the mention.
    static let reach = 128

    init(_ d: Document) {
        document = d
        quotes = (d.quotes ?? []).map(\.span).sorted { $0.start < $1.start }
        var reach: [Int] = []
        for q in quotes { reach.append(max(reach.last ?? .min, q.end)) }
        quoteReach = reach
        var text = d.text
        words = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            return (d.tokens ?? []).map { t in
                let a = offsets.byte(atScalar: t.start, in: buf)
                let b = max(a, offsets.byte(atScalar: t.end, in: buf))
                let bytes = UnsafeBufferPointer(rebasing: buf[a..<b])
                // ASCII is lower-cased byte by byte, straight into the string (a lower-cased array first cost an
                // allocation per token); other text through String.
                if bytes.allSatisfy({ $0 < 0x80 }) {
                    return String(unsafeUninitializedCapacity: bytes.count) { out in
                        for (i, b) in bytes.enumerated() { out[i] = b &- 65 < 26 ? b | 0x20 : b }
                        return bytes.count
                    }
                }
                return String(decoding: bytes, as: UTF8.self).lowercased()
            }
        }
        hashes = words.map(StanceFeatures.wordHash)
        let lexicon = StanceLexicon.builtInHandWritten
        entries = zip(words, hashes).map { lexicon.entry($0, hash: $1) }
        var marks = [0]
        marks.reserveCapacity(words.count + 1)
        for w in words {
            // By their bytes (a string comparison per word and mention was 1.5 % of the daily run).
            let u = w.utf8
            let isMark = u.count == 1 ? u.first == 0x22 : u.count == 3 && (w == "\u{201C}" || w == "\u{201D}")
            marks.append(marks[marks.count - 1] + (isMark ? 1 : 0))
        }
        quoteMarksBefore = marks
    }

    /// The first index whose element satisfies `p` in spans sorted by position (`p` false, then true), or `count`.
    static func firstIndex(_ spans: [Span], where p: (Span) -> Bool) -> Int {
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if p(spans[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// What moved the score of the mention at `span`: every feature's pull (its positive minus negative weight),
    /// summed by where it came from — each word of the sentence (its position, its presence, its lexicon sign, the
    /// bigrams beside the mention), the model's prior, the quotation, the position and the lexicon's tone — so that
    /// the parts add up to the mention's score difference.
    func pulls(_ span: Span, model: StanceModel) -> [(what: String, pull: Double)] {
        guard let m = mentionFeatures(span, trace: true) else { return [] }
        var byOrigin: [Int: Double] = [:]
        for (f, o) in zip(m.features, m.origins) {
            let sc = model.scores([f])
            byOrigin[o, default: 0] += sc[2] - sc[0]
        }
        return byOrigin.sorted { $0.key < $1.key }.map { origin, pull in
            switch origin {
            case StanceFeatures.Origin.prior: return ("the model's prior", pull)
            case StanceFeatures.Origin.quotation: return ("inside a quotation", pull)
            case StanceFeatures.Origin.position: return ("its place in the sentence", pull)
            case StanceFeatures.Origin.tone: return ("the lexicon's tone around it", pull)
            default: return ("'\(words[m.start + origin])'", pull)
            }
        }
    }

    /// Each word's pull toward `target` under a document-level model (its own and its target-joined weight,
    /// positive minus negative), in text order.
    func documentWordPulls(target: String, model: StanceModel) -> [(token: Int, pull: Double)] {
        let t = StanceFeatures.wordHash(target.lowercased())
        return hashes.indices.map { i in
            let s = model.scores([StanceFeatures.mix(32, t, hashes[i])])
            return (i, s[2] - s[0])
        }
    }

    /// Each sentence's summed word pull toward `target` under a document-level model, by sentence index.
    func sentencePulls(target: String, model: StanceModel) -> [(Int, Double)] {
        let tokens = document.tokens ?? []
        let sentences = document.sentences ?? []
        var sums = [Double](repeating: 0, count: max(1, sentences.count))
        for (i, pull) in documentWordPulls(target: target, model: model) {
            let s =
                sentences.isEmpty
                ? 0 : min(sentences.count - 1, Self.firstIndex(sentences) { $0.end > tokens[i].start })
            sums[s] += pull
        }
        return sums.enumerated().map { ($0.offset, $0.element) }
    }

    /// Whether a quote contains `span`.
    private func isQuoted(_ span: Span) -> Bool {
        let n = quotes.partitionPoint { $0.start <= span.start }
        return n > 0 && quoteReach[n - 1] >= span.end
    }

    /// The features of the mention at `span` and its sentence's index.
    func features(_ span: Span) -> ([UInt64], Int)? {
        mentionFeatures(span, trace: false).map { ($0.features, $0.sentence) }
    }

    /// The mention's features, with their origins when `trace` is set (word origins are indices from `start`, the
    /// sentence's first token).
    private func mentionFeatures(
        _ span: Span, trace: Bool
    ) -> (features: [UInt64], origins: [Int], start: Int, sentence: Int)? {
        let tokens = document.tokens ?? []
        let sentences = document.sentences ?? []
        let first = Self.firstIndex(tokens) { $0.end > span.start }
        guard first < tokens.count else { return nil }
        var last = first
        while last + 1 < tokens.count && tokens[last + 1].start < span.end { last += 1 }
        // Clamped: when the layers disagree (a token after the last sentence), the last sentence is the context, and
        // the guard below drops a mention outside it.
        let s =
            sentences.isEmpty
            ? 0 : min(sentences.count - 1, Self.firstIndex(sentences) { $0.end > tokens[first].start })
        let a0 = sentences.isEmpty ? 0 : Self.firstIndex(tokens) { $0.start >= sentences[s].start }
        guard first >= a0 else { return nil }
        let a = max(a0, first - Self.reach)
        var b = a
        while b < tokens.count && b <= last + Self.reach && (sentences.isEmpty || tokens[b].end <= sentences[s].end) {
            b += 1
        }
        guard last < b else { return nil }
        // Quotation marks before the mention in its sentence.
        let inQuote = (quoteMarksBefore[first] - quoteMarksBefore[a]) % 2 == 1 || isQuoted(span)
        let x = StanceFeatures.traced(
            hashes: hashes[a..<b], entries: entries[a..<b], first: first - a, last: last - a, inQuote: inQuote,
            trace: trace)
        return (x.features, x.origins, a, s)
    }
}
