/// A stage cannot be built from its options. When ``option`` names one, the error points at that option in the
/// `.pipe` file; otherwise at the stage.
public struct StageConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String
    /// The option at fault, if one is.
    public var option: String?

    /// Creates an error.
    public init(_ message: String, option: String? = nil) {
        self.message = message
        self.option = option
    }

    /// The message.
    public var description: String { message }
}
