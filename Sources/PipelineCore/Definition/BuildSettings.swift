/// Command-line settings that shape how a definition is built.
public struct BuildSettings: Sendable {
    /// `--set NAME=VALUE` overrides, in order.
    public var overrides: [(name: String, value: String)]
    /// `--input PATH`: replaces the `path` of the first loader.
    public var input: String?
    /// `--output PATH`: replaces the `path` of the last writer.
    public var output: String?
    /// Jobs the run will use (passed to stages).
    public var jobs: Int
    /// Whether a loader and a writer are mandatory (true for `run` and `check`; the REPL relaxes it).
    public var requireLoaderAndWriter: Bool
    /// Layers already present before the first stage (the REPL runs single stages on documents it holds).
    public var providedBefore: [Layer]
    /// What to do with stages that run external commands, and with `plugin` lines (plugins are code too).
    public var commands: CommandPolicy
    /// Whether to load each stage's resources (models, lexicons) after building it: true for `run` and the REPL,
    /// false for `check` and `explain`, which validate options and files only.
    public var prepare: Bool
    /// Where resources are loaded and kept.
    public var resources: ResourceCache
    /// What loads the libraries of `plugin` lines (when ``commands`` is ``CommandPolicy/allow``).
    public var plugins: PluginLoader

    /// Whether stages that run commands may start them.
    public enum CommandPolicy: Sendable {
        /// Refuse: such a stage is an error (the default for `run` and `repl`).
        case refuse
        /// Note which lines run commands, but do not start them (their own options are not checked): `check`.
        case note
        /// Start them (`--allow-commands`, or a trusted file).
        case allow
    }

    /// Creates settings.
    public init(
        overrides: [(name: String, value: String)] = [], input: String? = nil, output: String? = nil,
        jobs: Int = 1, requireLoaderAndWriter: Bool = true, providedBefore: [Layer] = [],
        commands: CommandPolicy = .refuse, prepare: Bool = true, resources: ResourceCache = .shared,
        plugins: PluginLoader = .shared
    ) {
        self.overrides = overrides
        self.input = input
        self.output = output
        self.jobs = jobs
        self.requireLoaderAndWriter = requireLoaderAndWriter
        self.providedBefore = providedBefore
        self.commands = commands
        self.prepare = prepare
        self.resources = resources
        self.plugins = plugins
    }
}
