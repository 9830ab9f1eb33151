import OrderedCollections

/// How a document leans toward one target actor.
public struct Stance: Sendable, Hashable {
    /// The three stance labels.
    public enum Label: String, Sendable, Hashable, CaseIterable {
        /// Leans against the target.
        case negative
        /// No clear lean.
        case neutral
        /// Leans toward the target.
        case positive
    }

    /// The actor the stance is about.
    public var target: String
    /// Score in -1…1.
    public var score: Double
    /// Label derived from the score.
    public var label: Label
    /// Indices of the sentences that justify the score.
    public var evidence: [Int]
    /// Further fields written by stages (e.g. `mentions`), kept in order and round-tripped.
    public var attributes: OrderedDictionary<String, JSONValue>

    /// Creates a stance.
    public init(
        target: String, score: Double, label: Label, evidence: [Int],
        attributes: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.target = target
        self.score = score
        self.label = label
        self.evidence = evidence
        self.attributes = attributes
    }
}
