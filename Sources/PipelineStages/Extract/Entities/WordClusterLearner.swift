import Foundation
import OrderedCollections
import PipelineCore

/// Learns word clusters from unlabelled news: each frequent word is described by the words that occur just before
/// and after it (positive pointwise mutual information, reduced to a dense vector by a seeded random projection), and
/// the words are split in two again and again by 2-means, so every word gets a bit string in which words of similar
/// use share a long prefix (as Brown clusters do). Deterministic for a given text and seed.
struct WordClusterLearner {
    var minCount = 3
    var maxWords = 60_000
    var contextWords = 3_000
    var dimensions = 128
    var depth = 16
    var seed: UInt64 = 1

    /// Token hashes (exact form) of each unlabelled text of `files`, tokenised as the pipeline does.
    static func read(_ files: [String]) throws -> [[UInt64]] { hashes(try pieces(files)) }

    /// Token hashes (exact form) of each of `texts`, tokenised as the pipeline does.
    static func hashes(_ texts: [String]) -> [[UInt64]] {
        let tokenizer = Tokenizer()
        var out: [[UInt64]] = []
        for var piece in texts {
            let hashes: [UInt64] = piece.withUTF8 { p in
                tokenizer.tokenize(p).map {
                    TokenFeatures.fnv(UnsafeBufferPointer(rebasing: p[$0]), lowercase: false)
                }
            }
            if !hashes.isEmpty { out.append(hashes) }
        }
        return out
    }

    /// The texts of unlabelled files, in order: a `.conll` file's sentences (tokens joined by spaces), a JSONL file's
    /// `title`, `text`, `body` and `sentence` strings, a plain file's paragraphs (split at blank lines).
    static func pieces(_ files: [String]) throws -> [String] {
        var out: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw TrainingError.io(file: file, message: "cannot read the unlabelled text")
            }
            let text = String(decoding: data, as: UTF8.self)
            var pieces: [String] = []
            if file.hasSuffix(".conll") {
                var sentence: [String] = []
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    let token = line.split(separator: " ").first.map(String.init) ?? ""
                    if token.isEmpty || token == "-DOCSTART-" {
                        if !sentence.isEmpty { pieces.append(sentence.joined(separator: " ")); sentence = [] }
                    } else {
                        sentence.append(token)
                    }
                }
                if !sentence.isEmpty { pieces.append(sentence.joined(separator: " ")) }
            } else if file.hasSuffix(".jsonl") || file.hasSuffix(".json") {
                for line in text.split(separator: "\n") {
                    guard case .object(let o)? = try? JSONScanner.parse(Array(line.utf8)) else { continue }
                    for key in ["title", "text", "body", "sentence"] {
                        if case .string(let s)? = o[key] { pieces.append(s) }
                    }
                }
            } else {
                pieces = text.components(separatedBy: "\n\n")
            }
            out += pieces
        }
        return out
    }

    /// Clusters the words of `texts`.
    func learn(_ texts: [[UInt64]], report: (String) -> Void) -> WordClusters {
        // 1. Vocabulary by frequency (ties by hash, so the order never depends on a dictionary's).
        var counts: [UInt64: Int] = [:]
        for t in texts { for h in t { counts[h, default: 0] += 1 } }
        let ranked = counts.filter { $0.value >= minCount }.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
        }
        let vocabulary = ranked.prefix(maxWords).map(\.key)
        var index: [UInt64: Int] = [:]
        for (k, h) in vocabulary.enumerated() { index[h] = k }
        let V = vocabulary.count
        let K = min(contextWords, V)
        report(
            "word clusters: \(texts.reduce(0) { $0 + $1.count }) tokens, \(V) words, contexts of the \(K) most frequent"
        )
        guard V >= 2 else { return WordClusters() }
        // 2. Left and right neighbour counts (context ids: left k, right K + k, "other" 2K and 2K + 1).
        var cooc = [[Int32: Float]](repeating: [:], count: V)
        var contextTotals = [Float](repeating: 0, count: 2 * K + 2)
        var total: Float = 0
        for t in texts {
            for i in t.indices {
                guard let w = index[t[i]] else { continue }
                let left = i > 0 ? (index[t[i - 1]].map { $0 < K ? $0 : 2 * K } ?? 2 * K) : 2 * K
                let right =
                    i + 1 < t.count ? (index[t[i + 1]].map { $0 < K ? K + $0 : 2 * K + 1 } ?? 2 * K + 1) : 2 * K + 1
                cooc[w][Int32(left), default: 0] += 1
                cooc[w][Int32(right), default: 0] += 1
                contextTotals[left] += 1
                contextTotals[right] += 1
                total += 2
            }
        }
        // 3. PPMI, randomly projected to `dimensions`, normalised.
        let D = dimensions
        var rng = SeededGenerator(seed: seed)
        var projection = [Float](repeating: 0, count: (2 * K + 2) * D)
        for k in projection.indices { projection[k] = rng.next() & 1 == 0 ? 1 : -1 }
        var vectors = [Float](repeating: 0, count: V * D)
        for w in 0..<V {
            let wordTotal = cooc[w].values.reduce(0, +)
            for (c, n) in cooc[w].sorted(by: { $0.key < $1.key }) {
                let pmi = log(n * total / (wordTotal * contextTotals[Int(c)]))
                guard pmi > 0 else { continue }
                let base = Int(c) * D
                for d in 0..<D { vectors[w * D + d] += pmi * projection[base + d] }
            }
            var norm: Float = 0
            for d in 0..<D { norm += vectors[w * D + d] * vectors[w * D + d] }
            norm = norm.squareRoot()
            if norm > 0 { for d in 0..<D { vectors[w * D + d] /= norm } }
        }
        // 4. Bisecting 2-means: every split adds one bit to its words' paths.
        var bits = [UInt32](repeating: 0, count: V)
        var lengths = [UInt8](repeating: 0, count: V)
        var groups: [[Int]] = [Array(0..<V)]
        for level in 0..<depth {
            var next: [[Int]] = []
            for g in groups {
                guard g.count >= 4 else { continue }
                let (a, b) = split(g, vectors, D)
                for w in b { bits[w] |= 1 << UInt32(31 - level) }
                for w in g { lengths[w] = UInt8(level + 1) }
                next.append(a)
                next.append(b)
            }
            groups = next
        }
        var clusters = WordClusters()
        for w in 0..<V where lengths[w] > 0 { clusters.set(vocabulary[w], bits: bits[w], length: lengths[w]) }
        return clusters
    }

    /// Splits a group in two with 2-means (cosine), starting from its most frequent word and the word least like it.
    private func split(_ group: [Int], _ vectors: [Float], _ D: Int) -> ([Int], [Int]) {
        func dot(_ w: Int, _ c: [Float]) -> Float {
            var s: Float = 0
            for d in 0..<D { s += vectors[w * D + d] * c[d] }
            return s
        }
        let first = group[0]  // the group keeps frequency order
        var c0 = Array(vectors[(first * D)..<(first * D + D)])
        var far = group[1]
        var farScore = Float.greatestFiniteMagnitude
        for w in group {
            let s = dot(w, c0)
            if s < farScore { farScore = s; far = w }
        }
        var c1 = Array(vectors[(far * D)..<(far * D + D)])
        var assignment = [Bool](repeating: false, count: group.count)
        for _ in 0..<8 {
            var changed = false
            for (k, w) in group.enumerated() {
                let side = dot(w, c1) > dot(w, c0)
                if side != assignment[k] { assignment[k] = side; changed = true }
            }
            var s0 = [Float](repeating: 0, count: D), s1 = [Float](repeating: 0, count: D)
            for (k, w) in group.enumerated() {
                if assignment[k] {
                    for d in 0..<D { s1[d] += vectors[w * D + d] }
                } else {
                    for d in 0..<D { s0[d] += vectors[w * D + d] }
                }
            }
            c0 = s0
            c1 = s1
            if !changed { break }
        }
        var a: [Int] = [], b: [Int] = []
        for (k, w) in group.enumerated() { if assignment[k] { b.append(w) } else { a.append(w) } }
        if a.isEmpty || b.isEmpty {  // degenerate: halve by frequency
            let half = group.count / 2
            return (Array(group[..<half]), Array(group[half...]))
        }
        return (a, b)
    }
}
