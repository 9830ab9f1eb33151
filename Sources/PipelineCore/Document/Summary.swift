/// An extractive summary: which sentences were chosen, and their text.
public struct Summary: Sendable, Hashable {
    /// Indices into the document's `sentences`, in document order.
    public var sentences: [Int]
    /// The summary text (the chosen sentences joined by a space).
    public var text: String
    /// Each chosen sentence's score under the method that chose it (parallel to ``sentences``), when it has scores.
    public var scores: [Double]?

    /// Creates a summary.
    public init(sentences: [Int], text: String, scores: [Double]? = nil) {
        self.sentences = sentences
        self.text = text
        self.scores = scores
    }
}
