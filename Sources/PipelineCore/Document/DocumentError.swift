/// A document could not be built from its input record, or a stage could not process it.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person to read.
    public var message: String
    /// The id of the document, when it could be read.
    public var id: String?

    /// Creates an error.
    public init(_ message: String, id: String? = nil) {
        self.message = message
        self.id = id
    }

    /// The message.
    public var description: String { message }
}
