import Foundation
import PipelineCore
import PipelineEncoder

/// A document-level model (`model=semeval`): stance toward each named target from the whole text read with the
/// target's name (``TargetSentimentModel/classify(documents:)``), which the text need not mention.
extension EncoderStanceStage {
    /// Sets the stances of a batch's documents with a document-level model: one pass per window of text and target;
    /// for a leaning label, one more per sentence of a longer text, which orders the evidence.
    static func documentStances(
        _ documents: inout [Document], targetSpec: StanceTargets, model: TargetSentimentModel
    ) -> [(any Error)?] {
        var owners: [(document: Int, name: String, mentions: Int)] = []
        var queries: [(text: String, target: String)] = []
        for k in documents.indices {
            for t in targetSpec.resolve(documents[k]) {
                owners.append((k, t.name, t.mentions.count))
                queries.append((documents[k].text, t.name))
            }
        }
        do {
            let answers = try model.classify(documents: queries)
            // The sentences of a text with more than one, read alone with the target, for each leaning answer.
            var asked: [(owner: Int, sentence: Int)] = []
            var sentenceQueries: [(text: String, target: String)] = []
            for (o, owner) in owners.enumerated() where lean(answers[o], labels: model.labels) != .neutral {
                let sentences = documents[owner.document].sentences ?? []
                guard sentences.count > 1 else { continue }
                var slicer = TextSlicer(documents[owner.document].text)
                for (s, sentence) in sentences.enumerated() {
                    asked.append((o, s))
                    sentenceQueries.append((slicer.slice(sentence), owner.name))
                }
            }
            let sentenceAnswers = try model.classify(documents: sentenceQueries)
            var leans = [[(Int, Double)]](repeating: [], count: owners.count)
            let negative = model.labels.firstIndex(of: "negative") ?? 0
            let positive = model.labels.firstIndex(of: "positive") ?? model.labels.count - 1
            for (a, p) in zip(asked, sentenceAnswers) {
                leans[a.owner].append((a.sentence, Double(p[positive] - p[negative])))
            }
            for k in documents.indices { documents[k].stances = [] }
            for (o, owner) in owners.enumerated() {
                let stance = documentStance(
                    owner.name, mentions: owner.mentions, probabilities: answers[o], labels: model.labels,
                    sentenceLeans: leans[o], hasSentence: !(documents[owner.document].sentences ?? []).isEmpty)
                documents[owner.document].stances?.append(stance)
            }
            return documents.map { _ in nil }
        } catch {
            // Interrupted: every document of the batch stops here.
            return documents.map { _ in error }
        }
    }

    /// The likeliest of negative / neutral / positive.
    static func lean(_ p: [Float], labels: [String]) -> Stance.Label {
        let best = p.indices.max { p[$0] < p[$1] } ?? 0
        return Stance.Label(rawValue: labels[best]) ?? .neutral
    }

    /// A target's stance from the whole text's probabilities. Evidence: the sentences leaning the label's way,
    /// strongest first (`sentenceLeans`, read for texts of two sentences or more), or else the first sentence when
    /// there is one (`hasSentence`); none when neutral.
    static func documentStance(
        _ name: String, mentions: Int, probabilities p: [Float], labels: [String], sentenceLeans: [(Int, Double)],
        hasSentence: Bool
    ) -> Stance {
        let negative = labels.firstIndex(of: "negative") ?? 0
        let positive = labels.firstIndex(of: "positive") ?? labels.count - 1
        let best = p.indices.max { p[$0] < p[$1] } ?? 0
        let label = Stance.Label(rawValue: labels[best]) ?? .neutral
        let evidence: [Int]
        switch label {
        case .neutral: evidence = []
        case _ where sentenceLeans.isEmpty: evidence = hasSentence ? [0] : []
        default:
            evidence = sentenceLeans.filter { ($0.1 > 0) == (label == .positive) && $0.1 != 0 }
                .sorted { abs($0.1) > abs($1.1) }.map(\.0)
        }
        var stance = Stance(
            target: name, score: (Double(p[positive] - p[negative]) * 10_000).rounded() / 10_000, label: label,
            evidence: evidence)
        stance.mentions = mentions
        stance.confidence = (Double(p[best]) * 1000).rounded() / 1000
        return stance
    }

    /// `:why` with a document-level model: the whole text's probabilities, each sentence's (read alone with the
    /// target), then the words of the text by how much removing each one moves P(positive) − P(negative) (occlusion
    /// over the whole text; the first 300 words).
    func explainDocument(_ document: Document, target: String, model: TargetSentimentModel) throws -> [Explanation] {
        guard let t = targetSpec.resolve(document).first(where: { $0.name.lowercased() == target.lowercased() })
        else { return [] }
        let negative = model.labels.firstIndex(of: "negative") ?? 0
        let positive = model.labels.firstIndex(of: "positive") ?? model.labels.count - 1
        let describe = { (p: [Float]) in
            model.labels.indices.map { String(format: "P(%@) %.2f", model.labels[$0], p[$0]) }.joined(separator: ", ")
        }
        let whole = try model.classify(documents: [(document.text, t.name)])[0]
        let lean = Double(whole[positive] - whole[negative])
        var out = [
            Explanation(
                sentence: 0, reason: "whole text toward '\(t.name)' (document-level model): " + describe(whole),
                contribution: lean)
        ]
        let sentences = document.sentences ?? []
        var slicer = TextSlicer(document.text)
        let alone = try model.classify(documents: sentences.map { (slicer.slice($0), t.name) })
        for (s, p) in alone.enumerated() {
            out.append(
                Explanation(
                    sentence: s, reason: "sentence alone toward '\(t.name)': " + describe(p),
                    contribution: Double(p[positive] - p[negative])))
        }
        let tokens = Array((document.tokens ?? []).prefix(300))
        let scalars = Array(document.text.unicodeScalars)
        var queries: [(text: String, target: String)] = []
        for tok in tokens {
            var copy = scalars
            for i in tok.start..<min(scalars.count, tok.end) { copy[i] = " " }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: copy)
            queries.append((String(view), t.name))
        }
        var words: [Explanation] = []
        for (tok, p) in zip(tokens, try model.classify(documents: queries)) {
            let pull = lean - Double(p[positive] - p[negative])
            guard abs(pull) >= 0.02 else { continue }
            let s = sentences.isEmpty ? 0 : MentionContext.firstIndex(sentences) { $0.end > tok.start }
            words.append(
                Explanation(
                    sentence: min(s, max(0, sentences.count - 1)),
                    reason: "'\(slicer.slice(tok))' (occluded: \(String(format: "%+.2f", -pull)))", contribution: pull
                ))
        }
        return out + words.sorted { abs($0.contribution) > abs($1.contribution) }
    }
}
