/// An extractive summary: which sentences were chosen, and their text.
public struct Summary: Sendable, Hashable {
    /// Indices into the document's `sentences`, in document order.
    public var sentences: [Int]
    /// The summary text (the chosen sentences joined by a space).
    public var text: String

    /// Creates a summary.
    public init(sentences: [Int], text: String) {
        self.sentences = sentences
        self.text = text
    }
}
