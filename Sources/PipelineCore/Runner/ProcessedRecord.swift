/// The outcome of one input record after every transform: a document to write or a failure.
public enum ProcessedRecord: Sendable {
    /// A document that went through every transform.
    case document(Document, RecordOrigin)
    /// A record that failed.
    case failure(DocumentFailure)
}
