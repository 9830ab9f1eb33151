/// How the registry builds a stage: its descriptor plus a constructor. Swift stages get one from their type with
/// ``init(_:)``; stages described at run time (external processes) supply descriptor and closure themselves.
public struct StageFactory: Sendable {
    /// The stage's declaration.
    public var descriptor: StageDescriptor
    /// Builds an instance.
    public var make: @Sendable (StageOptions, StageContext) throws -> any Stage
    /// For stages whose options and layers are only known at run time (an external worker describes itself): given
    /// the options declared in ``descriptor``, the full descriptor. Nil for ordinary stages.
    public var describe: (@Sendable (StageOptions, StageContext) throws -> StageDescriptor)?
    /// Whether the stage runs external commands or loads code; such stages need the user's permission
    /// (`--allow-commands` or a trusted file).
    public var runsCommands: Bool

    /// A factory from explicit parts.
    public init(descriptor: StageDescriptor, runsCommands: Bool = false,
                describe: (@Sendable (StageOptions, StageContext) throws -> StageDescriptor)? = nil,
                make: @escaping @Sendable (StageOptions, StageContext) throws -> any Stage) {
        self.descriptor = descriptor
        self.make = make
        self.describe = describe
        self.runsCommands = runsCommands
    }

    /// A factory for a Swift stage type.
    public init<S: Stage>(_ type: S.Type) {
        self.descriptor = S.descriptor
        self.make = { options, context in try S(options: options, context: context) }
        self.describe = nil
        self.runsCommands = false
    }
}
