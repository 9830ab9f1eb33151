/// A command could not be carried out; the message says why and what to do.
public struct REPLError: Error, Sendable, CustomStringConvertible {
    /// The explanation.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
