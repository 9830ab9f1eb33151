/// Where an option's value came from, for `pipeline explain`.
public enum ValueOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The stage's declared default.
    case defaultValue
    /// Written on a line of a `.pipe` file.
    case file(SourceLocation)
    /// A variable whose value was set on the command line with `--set NAME=VALUE`.
    case setFlag(variable: String)
    /// A variable whose default is declared by `let` at this location.
    case variable(name: String, declaredAt: SourceLocation)
    /// Replaced by a command-line flag such as `--input` or `--output`.
    case flag(String)
    /// Set programmatically (REPL, tests).
    case api

    /// A short human description.
    public var description: String {
        switch self {
        case .defaultValue: return "default"
        case .file(let l): return "\(l.file) line \(l.line)"
        case .setFlag(let v): return "--set \(v)"
        case .variable(let n, let l): return "$\(n), let at \(l.file) line \(l.line)"
        case .flag(let f): return f
        case .api: return "set by program"
        }
    }
}
