import Foundation
import OrderedCollections
import PipelineCore

/// Target-dependent stance from a ``StanceLexicon``: for each mention of a target, the valenced words of its sentence
/// count by their closeness (the same clause fully, other clauses of the sentence at 0.35, and less with distance), a
/// negator before a word flips it, intensifiers, diminishers and hedges scale it, a contrast word makes what follows
/// count more; a conflict or cooperation verb counts fully toward its object (the target after it) and half toward
/// its subject. A target's praise of itself in its own quote counts half. A target's score is the squashed sum over
/// its mentions: tanh(Σ / 1.5).
struct LexiconScorer {
    let lexicon: StanceLexicon
    /// A score above this is positive.
    let positiveThreshold: Double
    /// A score below minus this is negative.
    let negativeThreshold: Double

    /// One contribution, for the "why" view and the evidence.
    struct Contribution {
        var sentence: Int
        var word: String
        var value: Double
    }

    /// The stance toward one target with its contributions.
    /// The lexicon entry of each word, looked up once per document for all its targets.
    func entries(_ words: [String]) -> [StanceLexicon.Entry?] { words.map { lexicon[$0] } }

    func score(
        target: String, mentions: [Span], document d: Document, words: [String],
        entries: [StanceLexicon.Entry?]
    ) -> (Stance, [Contribution]) {
        let sentences = d.sentences ?? []
        let tokens = d.tokens ?? []
        var contributions: [Contribution] = []
        for m in mentions {
            // Tokens of the mention and of its sentence (binary searches: tokens and sentences are in text order).
            let first = MentionContext.firstIndex(tokens) { $0.end > m.start }
            guard first < tokens.count else { continue }
            var last = first
            while last + 1 < tokens.count && tokens[last + 1].start < m.end { last += 1 }
            let s = MentionContext.firstIndex(sentences) { $0.end > tokens[first].start }
            guard s < sentences.count, sentences[s].start <= tokens[first].start else { continue }
            let a = MentionContext.firstIndex(tokens) { $0.start >= sentences[s].start }
            var b = a
            while b < tokens.count && tokens[b].end <= sentences[s].end { b += 1 }
            // Clause of each token: a new clause at ; : — and after a contrast word.
            var clause = [Int](repeating: 0, count: b - a)
            var boost = [Double](repeating: 1, count: b - a)
            var c = 0
            var factor = 1.0
            for i in a..<b {
                switch words[i] {
                case ";", ":", "\u{2014}", "--": c += 1
                default: break
                }
                if let e = entries[i], e.kind == .contrast { c += 1; factor = e.value }
                clause[i - a] = c
                boost[i - a] = factor
            }
            let mentionClause = clause[first - a]
            let selfQuote = (d.quotes ?? []).contains { q in
                q.span.start <= m.start && m.end <= q.span.end
                    || (q.speaker == target && q.span.start <= tokens[first].start && tokens[first].start <= q.span.end)
            }
            for i in a..<b where i < first || i > last {
                guard let e = entries[i] else { continue }
                var v: Double
                switch e.kind {
                case .valence: v = e.value
                case .conflict, .cooperation: v = i < first ? e.value : e.value * 0.5
                default: continue
                }
                // Modifiers before the word, within its clause.
                var k = i - 1
                var seen = 0
                while k >= a && seen < 3 && clause[k - a] == clause[i - a] {
                    if let mod = entries[k] {
                        switch mod.kind {
                        case .negator: v = -v * 0.7
                        case .intensifier, .diminisher, .hedge: if seen == 0 { v *= mod.value }
                        default: break
                        }
                    }
                    k -= 1
                    seen += 1
                }
                let distance = Double(i < first ? first - i : i - last)
                var weight = (clause[i - a] == mentionClause ? 1 : 0.35) / (1 + distance / 5)
                weight *= boost[i - a] / max(1, boost[first - a])
                if selfQuote && v > 0 { weight *= 0.5 }
                contributions.append(Contribution(sentence: s, word: words[i], value: v * weight))
            }
        }
        let total = contributions.reduce(0.0) { $0 + $1.value }
        let score = (tanh(total / 1.5) * 10_000).rounded() / 10_000
        let label: Stance.Label =
            score > positiveThreshold ? .positive : (score < -negativeThreshold ? .negative : .neutral)
        var bySentence: [Int: Double] = [:]
        for c in contributions { bySentence[c.sentence, default: 0] += c.value }
        let evidence = bySentence.filter { abs($0.value) > 1e-9 }.sorted {
            abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.key < $1.key
        }.map(\.key)
        var stance = Stance(target: target, score: score, label: label, evidence: evidence)
        stance.mentions = mentions.count
        stance.confidence = (min(1, contributions.reduce(0.0) { $0 + abs($1.value) } / 2) * 1000).rounded() / 1000
        return (stance, contributions)
    }
}

private func tanh(_ value: Double) -> Double {
    let e = exp(2 * value)
    return (e - 1) / (e + 1)
}
