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
    public init(kind: StageKind, name: String, help: String, options: [OptionSpec] = [], requires: [Layer] = [],
                provides: [Layer] = []) {
        self.kind = kind
        self.name = name
        self.help = help
        self.options = options
        self.requires = requires
        self.provides = provides
    }

    /// `"kind name"`, as written in `.pipe` files.
    public var qualifiedName: String { "\(kind) \(name)" }

    /// The declaration of option `name`, if any.
    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
}
