/// A key phrase of a document with its salience score.
public struct Keyphrase: Sendable, Hashable {
    /// The phrase.
    public var text: String
    /// Its score (higher is more salient).
    public var score: Double

    /// Creates a key phrase.
    public init(text: String, score: Double) {
        self.text = text
        self.score = score
    }
}
