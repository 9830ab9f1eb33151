import PipelineCore

/// What the REPL holds after each step: the documents in play, the failures of the last step, and how far through the
/// pipeline it is.
public struct REPLState: Sendable {
    /// Stages run so far (the next stage has this index).
    public var position: Int
    /// Documents in play, in input order.
    public var documents: [Document]
    /// Documents that failed in the step that produced this state.
    public var failures: [DocumentFailure]
    /// What produced this state (`"step 2: extract sentences"`).
    public var label: String

    /// Creates a state.
    public init(
        position: Int = 0, documents: [Document] = [], failures: [DocumentFailure] = [], label: String = "start"
    ) {
        self.position = position
        self.documents = documents
        self.failures = failures
        self.label = label
    }
}
