import Foundation

/// ROUGE-1, ROUGE-2 and ROUGE-L F-scores as Google's `rouge-score` package computes them with `use_stemmer=True`:
/// text lower-cased, every character other than a-z and 0-9 a separator, tokens longer than three characters Porter-
/// stemmed; ROUGE-N from clipped n-gram counts, ROUGE-L from the longest common subsequence of the whole texts.
public struct Rouge {
    /// Precision, recall and F of one measure.
    public struct Score: Sendable, Equatable {
        /// Matched over predicted.
        public var precision: Double
        /// Matched over reference.
        public var recall: Double
        /// Harmonic mean.
        public var f: Double

        init(_ matched: Double, predicted: Double, reference: Double) {
            precision = predicted > 0 ? matched / predicted : 0
            recall = reference > 0 ? matched / reference : 0
            f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        }
    }

    private let stemmer = Stemmer(language: "porter")
    private var cache: [String: String] = [:]

    /// A scorer.
    public init() {}

    /// The tokens of a text, as the package makes them.
    public mutating func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for u in text.lowercased().unicodeScalars {
            if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") {
                current.unicodeScalars.append(u)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out.map { t in
            guard t.count > 3, let stemmer else { return t }
            if let s = cache[t] { return s }
            let s = stemmer.stem(t)
            cache[t] = s
            return s
        }
    }

    /// ROUGE-1, ROUGE-2 and ROUGE-L of `prediction` against `reference`.
    public mutating func score(prediction: String, reference: String) -> (rouge1: Score, rouge2: Score, rougeL: Score) {
        let p = tokens(prediction), r = tokens(reference)
        return (Self.ngram(p, r, 1), Self.ngram(p, r, 2), Self.lcs(p, r))
    }

    static func ngram(_ p: [String], _ r: [String], _ n: Int) -> Score {
        func counts(_ t: [String]) -> [[String]: Int] {
            var c: [[String]: Int] = [:]
            if t.count >= n { for i in 0...(t.count - n) { c[Array(t[i..<(i + n)]), default: 0] += 1 } }
            return c
        }
        let pc = counts(p), rc = counts(r)
        let matched = pc.reduce(0) { $0 + min($1.value, rc[$1.key] ?? 0) }
        return Score(
            Double(matched), predicted: Double(pc.values.reduce(0, +)), reference: Double(rc.values.reduce(0, +)))
    }

    static func lcs(_ p: [String], _ r: [String]) -> Score {
        guard !p.isEmpty, !r.isEmpty else { return Score(0, predicted: Double(p.count), reference: Double(r.count)) }
        var previous = [Int](repeating: 0, count: r.count + 1)
        var current = previous
        for i in 1...p.count {
            for j in 1...r.count {
                current[j] = p[i - 1] == r[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return Score(Double(previous[r.count]), predicted: Double(p.count), reference: Double(r.count))
    }
}
