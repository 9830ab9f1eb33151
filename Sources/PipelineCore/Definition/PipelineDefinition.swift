import OrderedCollections

/// A parsed `.pipe` file with its includes expanded: stage lines in order, variables, and the text of every file read
/// (for error excerpts). Variables are not yet resolved; see ``PipelineBuilder``.
public struct PipelineDefinition: Sendable {
    /// The top-level file.
    public var file: String
    /// Stage lines in pipeline order (included files' stages at the point of inclusion).
    public var stages: [StageStatement]
    /// `plugin` lines, in file order (included files' at the point of inclusion).
    public var plugins: [PluginStatement]
    /// Variables in declaration order.
    public var variables: OrderedDictionary<String, VariableDeclaration>
    /// Text of every file read, by the name used in locations.
    public var sources: [String: String]
    /// Syntax errors (the definition is unusable when any is an error).
    public var diagnostics: [Diagnostic]

    /// Creates an empty definition for `file`.
    public init(file: String) {
        self.file = file
        stages = []
        plugins = []
        variables = [:]
        sources = [:]
        diagnostics = []
    }

    /// The pipeline's display name: the file name without directory and `.pipe`.
    public var name: String {
        var n = file.split(separator: "/").last.map(String.init) ?? file
        if n.hasSuffix(".pipe") { n.removeLast(5) }
        return n
    }

    /// Reads and parses `path` and its includes.
    public static func load(path: String) -> PipelineDefinition {
        var parser = PipeParser(root: path)
        return parser.parseRoot()
    }

    /// Parses `text` as if it were the content of `file` (includes are read from disk relative to `file`).
    public static func parse(text: String, file: String = "<input>") -> PipelineDefinition {
        var parser = PipeParser(root: file)
        return parser.parseRoot(text: text)
    }
}
