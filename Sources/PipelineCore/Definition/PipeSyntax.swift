/// A value as written in a `.pipe` file or a `--set` flag, before variables are resolved.
public indirect enum ValueExpression: Sendable, Hashable {
    /// A literal.
    case literal(OptionValue, SourceLocation)
    /// `$NAME`.
    case variable(String, SourceLocation)
    /// `[a, b, ...]`.
    case list([ValueExpression], SourceLocation)

    /// Where the value starts.
    public var location: SourceLocation {
        switch self {
        case .literal(_, let l), .variable(_, let l), .list(_, let l): return l
        }
    }
}

/// `key=value` on a stage line.
public struct OptionAssignment: Sendable, Hashable {
    /// The option name.
    public var key: String
    /// Where the key is.
    public var keyLocation: SourceLocation
    /// The value.
    public var value: ValueExpression
}

/// One `KIND NAME key=value ...` line.
public struct StageStatement: Sendable, Hashable {
    /// The stage kind.
    public var kind: StageKind
    /// Where the kind keyword is (the start of the line).
    public var kindLocation: SourceLocation
    /// The stage name.
    public var name: String
    /// Where the name is.
    public var nameLocation: SourceLocation
    /// The options, in written order.
    public var options: [OptionAssignment]

    /// `"kind name"`.
    public var qualifiedName: String { "\(kind) \(name)" }

    /// Creates a statement (the REPL builds them from typed lines).
    public init(
        kind: StageKind, kindLocation: SourceLocation, name: String, nameLocation: SourceLocation,
        options: [OptionAssignment]
    ) {
        self.kind = kind
        self.kindLocation = kindLocation
        self.name = name
        self.nameLocation = nameLocation
        self.options = options
    }
}

/// `let NAME = VALUE`.
public struct VariableDeclaration: Sendable, Hashable {
    /// The variable name.
    public var name: String
    /// Where the name is.
    public var location: SourceLocation
    /// Its default value.
    public var value: ValueExpression
}

/// `plugin "PATH"`: a plugin library whose stages the pipeline may name.
public struct PluginStatement: Sendable, Hashable {
    /// The path as written.
    public var written: String
    /// The path resolved against the folder of the file that holds the line (like `include`).
    public var path: String
    /// Where the line is.
    public var location: SourceLocation

    /// Creates a statement.
    public init(written: String, path: String, location: SourceLocation) {
        self.written = written
        self.path = path
        self.location = location
    }
}
