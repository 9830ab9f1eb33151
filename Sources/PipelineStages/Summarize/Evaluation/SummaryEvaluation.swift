import Foundation
import OrderedCollections
import PipelineCore

/// Scores summaries written by a pipeline against reference summaries (`pipeline score summaries`): documents matched
/// by id, ROUGE-1/2/L F averaged over documents, as `rouge-score`'s aggregation reports the mean.
public enum SummaryEvaluation {
    /// Mean ROUGE F-scores and the number of documents.
    public struct Result: Sendable {
        /// ROUGE-1 F, ROUGE-2 F, ROUGE-L F, averaged.
        public var rouge1: Double, rouge2: Double, rougeL: Double
        /// Documents scored.
        public var documents: Int
    }

    /// Scores the `summary.text` of each predicted document against the gold document's `field` (a string).
    public static func score(gold: String, predicted: String, field: String = "summary") throws -> Result {
        let g = try EntityEvaluation.read(gold, mapping: .standard)
        let p = try EntityEvaluation.read(predicted, mapping: .standard)
        let byID = Dictionary(p.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var rouge = Rouge()
        var sums = (0.0, 0.0, 0.0)
        for d in g {
            guard
                case .string(let reference)? = d.meta[field]
                    ?? (field == "summary" ? d.summary.map { .string($0.text) } : nil)
            else {
                throw EntityEvaluation.EvaluationError("\(gold): document '\(d.id)' has no '\(field)' string")
            }
            guard let other = byID[d.id] else {
                throw EntityEvaluation.EvaluationError(
                    "\(predicted): no document '\(d.id)' (every gold document must be in the output)")
            }
            let s = rouge.score(prediction: other.summary?.text ?? "", reference: reference)
            sums.0 += s.rouge1.f
            sums.1 += s.rouge2.f
            sums.2 += s.rougeL.f
        }
        let n = Double(max(1, g.count))
        return Result(rouge1: sums.0 / n, rouge2: sums.1 / n, rougeL: sums.2 / n, documents: g.count)
    }
}
