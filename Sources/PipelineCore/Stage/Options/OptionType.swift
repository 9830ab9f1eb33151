/// The type of a stage option's value.
public indirect enum OptionType: Sendable, Hashable, CustomStringConvertible {
    /// Any string.
    case string
    /// An integer.
    case int
    /// A number (an integer literal is accepted too).
    case double
    /// `true` or `false`.
    case bool
    /// A file-system path (a string), relative to the working directory; `-` means stdin/stdout where allowed.
    case path
    /// A list of values of one type; a single value is accepted as a one-element list.
    case list(OptionType)
    /// One of a fixed set of strings.
    case oneOf([String])

    /// How the type is written in help and errors.
    public var description: String {
        switch self {
        case .string: return "string"
        case .int: return "int"
        case .double: return "double"
        case .bool: return "bool"
        case .path: return "path"
        case .list(let t): return "list of \(t)"
        case .oneOf(let v): return v.joined(separator: "|")
        }
    }
}
