/// Entity-level exact-match scores, conlleval style: a predicted entity counts only when its type and both boundaries
/// equal a gold entity's; precision, recall and F1 micro-averaged over the types, and per type.
public struct EntityScores: Sendable, Equatable {
    /// Counts for one type.
    public struct Counts: Sendable, Equatable {
        /// Predicted and gold.
        public var truePositives = 0
        /// Predicted, not gold.
        public var falsePositives = 0
        /// Gold, not predicted.
        public var falseNegatives = 0

        /// Precision (1 when nothing was predicted).
        public var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        /// Recall (1 when there was nothing to find).
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        /// Harmonic mean of precision and recall.
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
    }

    /// Counts by type.
    public private(set) var byType: [String: Counts] = [:]

    /// No counts yet.
    public init() {}

    /// Adds one unit (a sentence or a document): gold and predicted entities as (type, start, end).
    public mutating func add(
        gold: [(type: String, start: Int, end: Int)], predicted: [(type: String, start: Int, end: Int)]
    ) {
        let g = Set(gold.map { SpanKey(type: $0.type, start: $0.start, end: $0.end) })
        let p = Set(predicted.map { SpanKey(type: $0.type, start: $0.start, end: $0.end) })
        for k in p {
            if g.contains(k) {
                byType[k.type, default: Counts()].truePositives += 1
            } else {
                byType[k.type, default: Counts()].falsePositives += 1
            }
        }
        for k in g where !p.contains(k) { byType[k.type, default: Counts()].falseNegatives += 1 }
    }

    private struct SpanKey: Hashable {
        var type: String
        var start: Int
        var end: Int
    }

    /// Micro-averaged counts over every type.
    public var overall: Counts {
        byType.values.reduce(into: Counts()) {
            $0.truePositives += $1.truePositives
            $0.falsePositives += $1.falsePositives
            $0.falseNegatives += $1.falseNegatives
        }
    }

    /// `F1`, `P`, `R` overall and `F1 PER` ... per type, as fractions.
    public var measures: [String: Double] {
        let o = overall
        var m = ["F1": o.f1, "P": o.precision, "R": o.recall]
        for (type, c) in byType { m["F1 \(type)"] = c.f1 }
        return m
    }
}
