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

    /// Creates settings.
    public init(overrides: [(name: String, value: String)] = [], input: String? = nil, output: String? = nil,
                jobs: Int = 1, requireLoaderAndWriter: Bool = true, providedBefore: [Layer] = []) {
        self.overrides = overrides
        self.input = input
        self.output = output
        self.jobs = jobs
        self.requireLoaderAndWriter = requireLoaderAndWriter
        self.providedBefore = providedBefore
    }
}
