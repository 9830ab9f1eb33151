/// A stage of a built pipeline: its declaration, resolved options, where it was declared, and the live instance.
public struct ResolvedStage: Sendable {
    /// The stage's declaration.
    public var descriptor: StageDescriptor
    /// Resolved, type-checked options with their origins.
    public var options: StageOptions
    /// The `.pipe` line that declared it (nil when built programmatically).
    public var location: SourceLocation?
    /// The instance.
    public var instance: any Stage
    /// The layers this instance provides.
    public var provides: [Layer]
    /// Whether the stage runs external commands.
    public var runsCommands: Bool = false

    /// Creates a resolved stage.
    public init(descriptor: StageDescriptor, options: StageOptions, location: SourceLocation?, instance: any Stage) {
        self.descriptor = descriptor
        self.options = options
        self.location = location
        self.instance = instance
        self.provides = instance.provides
    }

    /// `"kind name"`.
    public var label: String { descriptor.qualifiedName }
}
