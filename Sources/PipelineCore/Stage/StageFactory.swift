/// How the registry builds a stage: its descriptor plus a constructor. Swift stages get one from their type with
/// ``init(checking:)``; stages described at run time (external processes) supply descriptor and closure themselves.
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
    /// The Swift type's name, for registration errors.
    public var typeName: String
    /// How the stage trains, when it is a ``TrainableStage``.
    public var training: TrainingDescriptor?
    /// Trains the stage's model (`pipeline train`), when it is a ``TrainableStage``.
    public var train: (@Sendable (TrainingRequest, (TrainingEvent) -> Void) throws -> TrainingSummary)?

    /// A factory from explicit parts.
    public init(
        descriptor: StageDescriptor, typeName: String? = nil, runsCommands: Bool = false,
        describe: (@Sendable (StageOptions, StageContext) throws -> StageDescriptor)? = nil,
        make: @escaping @Sendable (StageOptions, StageContext) throws -> any Stage
    ) {
        self.descriptor = descriptor
        self.make = make
        self.describe = describe
        self.runsCommands = runsCommands
        self.typeName = typeName ?? descriptor.qualifiedName
    }

    /// A factory for a Swift stage type, after checking that the descriptor's kind is the kind of the protocol the
    /// type conforms to. (A type conforming to the protocols of two kinds does not compile: both supply
    /// ``Stage/protocolKind``.)
    ///
    /// - Throws: ``StageRegistrationError/kindMismatch(type:declared:conformsTo:)``.
    public init(checking type: any Stage.Type) throws {
        let name = _typeName(type, qualified: false)  // as String(describing:), without its reflection
        let d = type.descriptor
        guard type.protocolKind == d.kind else {
            throw StageRegistrationError.kindMismatch(type: name, declared: d.kind, conformsTo: type.protocolKind)
        }
        self.descriptor = d
        self.make = { options, context in try type.init(options: options, context: context) }
        self.describe = nil
        self.runsCommands = false
        self.typeName = name
        if let trainable = type.asTrainable {
            self.training = trainable.training
            self.train = { request, report in
                try request.check(against: trainable.training)
                return try trainable.train(request, report: report)
            }
        }
    }
}
