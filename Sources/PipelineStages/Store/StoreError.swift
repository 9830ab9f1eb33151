/// A store that cannot be opened or written.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The store's path.
    public var path: String
    /// What is wrong.
    public var message: String
    /// `PATH: MESSAGE`.
    public var description: String { "\(path): \(message)" }
}
