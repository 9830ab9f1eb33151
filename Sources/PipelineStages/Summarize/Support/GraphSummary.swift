import Foundation
import PipelineCore

/// The scoring methods of the graph and centroid summarizers, and the worker that applies one to a document.
enum GraphSummary {
    /// How sentences are scored.
    enum Method: Sendable {
        /// PageRank over word-overlap similarity (Mihalcea & Tarau 2004).
        case textrank
        /// PageRank over TF-IDF cosine similarity: edges above `threshold`, or weighted by the cosine (continuous).
        case lexrank(threshold: Double, continuous: Bool)
        /// Cosine to the document's TF-IDF centroid (Radev et al. 2004), with MMR (`lambda`) against redundancy.
        case centroid(lambda: Double)
    }

    /// The sentences a graph considers at most: longer documents are cut there (the graph is dense, n² similarities).
    static let maxSentences = 1_000

    /// A job slot's summarizer: its own stemmer and caches.
    struct Worker: TransformWorker {
        let method: Method
        let length: SummaryLength
        var stems: StemCache

        mutating func process(_ document: inout Document) throws {
            // The cache is moved out while it grows: a copy left in `self` would make every insertion copy it whole.
            var stems = self.stems.take()
            defer { self.stems = stems }
            SummaryText.summarize(&document) { buf, sentences in
                choose(SentenceVectors(buf, sentences: sentences, stems: &stems, limit: GraphSummary.maxSentences))
            }
        }

        /// One summary of a group of documents, written on the first: every document's sentences scored together,
        /// chosen with MMR so that what several articles repeat is said once (`lambda` 0.7 for the graph methods).
        mutating func processGroup(_ documents: inout [Document]) throws {
            guard documents.count > 1 else {
                if !documents.isEmpty { try process(&documents[0]) }
                return
            }
            var all = SentenceVectors()
            var owner: [(doc: Int, sentence: Int)] = []
            var stems = self.stems.take()
            for (d, doc) in documents.enumerated() {
                var text = doc.text
                let v = text.withUTF8 {
                    SentenceVectors($0, sentences: doc.sentences ?? [], stems: &stems, limit: GraphSummary.maxSentences)
                }
                for k in 0..<v.count { owner.append((d, k)) }
                all.append(v)
            }
            self.stems = stems
            let scores = GraphSummary.scores(method, all)
            let t = GraphSummary.tfidf(all)
            var lambda = 0.7
            if case .centroid(let l) = method { lambda = l }
            let chosen = SummarySelection.choose(
                scores: scores, vectors: all, length: length,
                similarity: { GraphSummary.cosine(t[$0], t[$1]) }, lambda: lambda)
            var texts: [String] = []
            for i in chosen {
                let (d, k) = owner[i]
                let sentences = documents[d].sentences ?? []
                texts.append(documents[d].text.slice(sentences[k]))
            }
            let mine = chosen.filter { owner[$0].doc == 0 }
            documents[0].summary = Summary(
                sentences: mine.map { owner[$0].sentence }, text: texts.joined(separator: " "),
                scores: mine.map { (scores[$0] * 1e6).rounded() / 1e6 },
                sources: chosen.map { Summary.Source(id: documents[owner[$0].doc].id, sentence: owner[$0].sentence) })
            for d in 1..<documents.count { documents[d].summary = nil }
        }

        /// The chosen sentences and every sentence's score.
        func choose(_ v: SentenceVectors) -> ([Int], [Double]) {
            guard v.count > 0 else { return ([], []) }
            let scores = GraphSummary.scores(method, v)
            if case .centroid(let lambda) = method {
                let t = GraphSummary.tfidf(v)
                return (
                    SummarySelection.choose(
                        scores: scores, vectors: v, length: length,
                        similarity: { GraphSummary.cosine(t[$0], t[$1]) }, lambda: lambda), scores
                )
            }
            return (SummarySelection.choose(scores: scores, vectors: v, length: length), scores)
        }
    }

    /// Every sentence's score under `method`.
    static func scores(_ method: Method, _ vectors: SentenceVectors) -> [Double] {
        let n = vectors.count
        guard n > 0 else { return [] }
        switch method {
        case .textrank:
            var w = [Float](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) {
                    let common = overlap(vectors.bags[i], vectors.bags[j])
                    guard common > 0 else { continue }
                    let norm = log(Double(max(1, vectors.lengths[i]))) + log(Double(max(1, vectors.lengths[j])))
                    let s = Float(norm > 0 ? common / norm : common)
                    w[i * n + j] = s
                    w[j * n + i] = s
                }
            }
            return PageRank.scores(w, n: n)
        case .lexrank(let threshold, let continuous):
            let t = tfidf(vectors)
            var w = [Float](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) {
                    let c = cosine(t[i], t[j])
                    let s: Float = continuous ? (c > threshold ? Float(c) : 0) : (c > threshold ? 1 : 0)
                    w[i * n + j] = s
                    w[j * n + i] = s
                }
            }
            return PageRank.scores(w, n: n)
        case .centroid:
            let t = tfidf(vectors)
            var centroid: [Int32: Double] = [:]
            for s in t { for (id, x) in s { centroid[id, default: 0] += x } }
            let c = unit(centroid.sorted { $0.key < $1.key }.map { (id: $0.key, value: $0.value) })
            return t.map { cosine($0, c) }
        }
    }

    /// Number of stems two sentences share.
    static func overlap(_ a: [(id: Int32, count: Float)], _ b: [(id: Int32, count: Float)]) -> Double {
        var i = 0, j = 0, n = 0.0
        while i < a.count && j < b.count {
            if a[i].id == b[j].id { n += 1; i += 1; j += 1 } else if a[i].id < b[j].id { i += 1 } else { j += 1 }
        }
        return n
    }

    /// TF-IDF vectors of the sentences, with IDF over the document's sentences (log(N / df) + 1), scaled to unit
    /// length so that a dot product is their cosine.
    static func tfidf(_ vectors: SentenceVectors) -> [[(id: Int32, value: Double)]] {
        var df: [Int32: Int] = [:]
        for bag in vectors.bags { for (id, _) in bag { df[id, default: 0] += 1 } }
        let n = Double(max(1, vectors.count))
        return vectors.bags.map { bag in
            unit(bag.map { (id: $0.id, value: Double($0.count) * (log(n / Double(df[$0.id]!)) + 1)) })
        }
    }

    /// A sparse vector scaled to unit length (unchanged when zero).
    static func unit(_ x: [(id: Int32, value: Double)]) -> [(id: Int32, value: Double)] {
        let norm = x.reduce(0.0) { $0 + $1.value * $1.value }.squareRoot()
        return norm > 0 ? x.map { (id: $0.id, value: $0.value / norm) } : x
    }

    /// Cosine of two sparse unit vectors sorted by id (their dot product).
    static func cosine(_ a: [(id: Int32, value: Double)], _ b: [(id: Int32, value: Double)]) -> Double {
        var i = 0, j = 0, dot = 0.0
        while i < a.count && j < b.count {
            if a[i].id == b[j].id {
                dot += a[i].value * b[j].value; i += 1; j += 1
            } else if a[i].id < b[j].id {
                i += 1
            } else {
                j += 1
            }
        }
        return dot
    }
}
