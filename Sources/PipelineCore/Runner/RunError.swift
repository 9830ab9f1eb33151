/// A run ended early for a reason other than a failing document.
public struct RunError: Error, Sendable, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
