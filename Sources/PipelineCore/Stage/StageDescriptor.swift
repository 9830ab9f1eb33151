/// Everything the pipeline knows about a stage before building it: identity, help, options and the layers it needs
/// and adds. `pipeline stages`, `check`, `explain` and the REPL read only this.
public struct StageDescriptor: Sendable, Hashable {
    /// The stage family.
    public var kind: StageKind
    /// The name within its kind (`sentences` in `extract sentences`).
    public var name: String
    /// One line of help.
    public var help: String
    /// The options it accepts.
    public var options: [OptionSpec]
    /// Layers every document must carry before this stage runs.
    public var requires: [Layer]
    /// Layers this stage adds.
    public var provides: [Layer]

    /// Describes a stage.
    ///
    /// - Parameters:
    ///   - kind: the stage family; it must match the protocol the stage conforms to (the registry checks).
    ///   - name: the name within its kind.
    ///   - help: one line of help.
    ///   - options: typed ``Option`` values and ``Group``s (or ``OptionSpec``s), in listing order.
    ///   - requires: layers every document must carry before this stage runs.
    ///   - provides: layers this stage adds.
    public init(
        kind: StageKind, name: String, help: String, options: [any OptionDeclaring] = [], requires: [Layer] = [],
        provides: [Layer] = []
    ) {
        self.kind = kind
        self.name = name
        self.help = help
        self.options = options.flatMap(\.specs)
        self.requires = requires
        self.provides = provides
    }

    /// `"kind name"`, as written in `.pipe` files.
    public var qualifiedName: String { "\(kind) \(name)" }

    /// The declaration of option `name`, if any.
    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }

    /// The option `--input` (for ``OptionRole/input``) or `--output` replaces, if the stage declares one.
    public func option(role: OptionRole) -> OptionSpec? { options.first { $0.role == role } }

    /// Option names declared more than once (a registration error).
    var duplicateOptionNames: [String] {
        var seen = Set<String>()
        return options.map(\.name).filter { !seen.insert($0).inserted }
    }
}
