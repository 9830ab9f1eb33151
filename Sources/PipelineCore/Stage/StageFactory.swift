/// How the registry builds a stage: its descriptor plus a constructor. Swift stages get one from their type with
/// ``init(_:)``; stages described at run time (external processes) supply descriptor and closure themselves.
public struct StageFactory: Sendable {
    /// The stage's declaration.
    public var descriptor: StageDescriptor
    /// Builds an instance.
    public var make: @Sendable (StageOptions, StageContext) throws -> any Stage

    /// A factory from explicit parts.
    public init(descriptor: StageDescriptor, make: @escaping @Sendable (StageOptions, StageContext) throws -> any Stage) {
        self.descriptor = descriptor
        self.make = make
    }

    /// A factory for a Swift stage type.
    public init<S: Stage>(_ type: S.Type) {
        self.descriptor = S.descriptor
        self.make = { options, context in try S(options: options, context: context) }
    }
}
