import Foundation
import PipelineCore

/// Scores entities written by a pipeline against gold documents (`pipeline score entities`): documents are matched by
/// id, entities by type and code-point span, conlleval style (``EntityScores``).
public enum EntityEvaluation {
    /// Scores `predicted` against `gold`, both JSONL files of documents (schema v1, or any objects with `text` and
    /// `entities`; `goldID` names the gold files' id field). Only entities of `types` count (DATE and other types the
    /// gold annotation does not have are left out).
    ///
    /// - Throws: a message naming the file and line of an unreadable document, or a predicted document missing.
    public static func score(
        gold: String, predicted: String, goldID: String = "id",
        types: Set<String> = ["PER", "ORG", "LOC", "MISC"]
    ) throws -> EntityScores {
        let g = try read(gold, mapping: FieldMapping(id: goldID))
        let p = try read(predicted, mapping: .standard)
        let predictedByID = Dictionary(p.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var scores = EntityScores()
        for doc in g {
            guard let other = predictedByID[doc.id] else {
                throw EvaluationError(
                    "\(predicted): no document '\(doc.id)' (every gold document must be in the output)")
            }
            let spans = { (d: Document) in
                (d.entities ?? []).filter { types.contains($0.type) }
                    .map { (type: $0.type, start: $0.span.start, end: $0.span.end) }
            }
            scores.add(gold: spans(doc), predicted: spans(other))
        }
        return scores
    }

    static func read(_ path: String, mapping: FieldMapping) throws -> [Document] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EvaluationError("cannot read '\(path)'")
        }
        var out: [Document] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty
        {
            do {
                out.append(try Document(jsonText: String(line), mapping: mapping))
            } catch {
                throw EvaluationError("\(path):\(n + 1): \(error)")
            }
        }
        return out
    }

    /// An evaluation input is unusable.
    public struct EvaluationError: Error, CustomStringConvertible {
        /// What and where.
        public var description: String
        init(_ d: String) { description = d }
    }
}
