/// A stage of a built pipeline: its declaration, resolved options, where it was declared, and the live instance.
public struct ResolvedStage: Sendable {
    /// The stage's declaration.
    public var descriptor: StageDescriptor
    /// Resolved, type-checked options with their origins.
    public var options: StageOptions
    /// The `.pipe` line that declared it (nil when built programmatically).
    public var location: SourceLocation?
    /// Where each option given on the line is written.
    public var optionLocations: [String: SourceLocation]
    /// The instance.
    public var instance: any Stage
    /// The layers this instance provides.
    public var provides: [Layer]
    /// Whether the stage runs external commands.
    public var runsCommands: Bool = false

    /// Creates a resolved stage.
    public init(
        descriptor: StageDescriptor, options: StageOptions, location: SourceLocation?, instance: any Stage,
        optionLocations: [String: SourceLocation] = [:]
    ) {
        self.descriptor = descriptor
        self.options = options
        self.location = location
        self.instance = instance
        self.provides = instance.provides
        self.optionLocations = optionLocations
    }

    /// `"kind name"`.
    public var label: String { descriptor.qualifiedName }

    /// The value of the option with `role` (a writer's output path, a loader's input path), if the stage has one.
    public func value(of role: OptionRole) -> String? {
        guard let spec = descriptor.option(role: role), case .string(let s)? = options.values[spec.name] else {
            return nil
        }
        return s
    }
}
