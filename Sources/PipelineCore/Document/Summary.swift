/// An extractive summary: which sentences were chosen, and their text.
public struct Summary: Sendable, Hashable {
    /// Indices into the document's `sentences`, in document order.
    public var sentences: [Int]
    /// The summary text (the chosen sentences joined by a space).
    public var text: String
    /// Each chosen sentence's score under the method that chose it (parallel to ``sentences``), when it has scores.
    public var scores: [Double]?
    /// For a summary of a group of documents (`group=FIELD`), every chosen sentence in summary order: the document
    /// it comes from and its index there (``sentences`` then holds those of this document only).
    public var sources: [Source]?

    /// One sentence of a multi-document summary.
    public struct Source: Sendable, Hashable {
        /// The document's id.
        public var id: String
        /// The sentence's index in that document.
        public var sentence: Int
        /// Creates a source.
        public init(id: String, sentence: Int) {
            self.id = id
            self.sentence = sentence
        }
    }

    /// Creates a summary.
    public init(sentences: [Int], text: String, scores: [Double]? = nil, sources: [Source]? = nil) {
        self.sentences = sentences
        self.text = text
        self.scores = scores
        self.sources = sources
    }
}
