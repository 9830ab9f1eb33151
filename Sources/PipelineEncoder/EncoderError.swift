/// Why an encoder's files could not be used.
public enum EncoderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file is missing or unreadable: its path and what to do.
    case missing(String, String)
    /// A file is there but is not what it should be: its path and what is wrong.
    case invalid(String, String)

    /// The message, naming the file.
    public var description: String {
        switch self {
        case .missing(let path, let why): return "\(path): \(why)"
        case .invalid(let path, let why): return "\(path): \(why)"
        }
    }
}
