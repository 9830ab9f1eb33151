/// A document could not be built from its input record, or a stage could not process it.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person to read.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
