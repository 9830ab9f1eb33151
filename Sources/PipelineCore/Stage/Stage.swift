/// A pipeline stage. Conformers declare a static ``descriptor`` and build themselves from resolved options; heavy
/// resources (models, lexicons) are loaded in `init`, once per stage instance, and shared by every job.
///
/// Do not conform to `Stage` directly: conform to ``LoadStage``, ``ExtractStage``, ``SummarizeStage``,
/// ``StanceStage`` or ``WriteStage``.
public protocol Stage: Sendable {
    /// Name, kind, help, options, requires and provides.
    static var descriptor: StageDescriptor { get }

    /// Builds the stage from its options (already type- and range-checked against ``descriptor``).
    ///
    /// - Throws: ``StageConfigurationError`` when the combination of options is unusable (a missing input file, two
    ///   options that exclude each other).
    init(options: StageOptions, context: StageContext) throws

    /// The layers this instance adds; defaults to the descriptor's. A stage whose output depends on its options (a
    /// loader told which layers its input carries) overrides it.
    var provides: [Layer] { get }

    /// Releases what the stage holds outside the process (worker processes, connections). Called once when the
    /// pipeline is done with the stage; the default does nothing.
    func shutdown()
}

extension Stage {
    /// The descriptor's `provides`.
    public var provides: [Layer] { Self.descriptor.provides }

    /// Nothing to release.
    public func shutdown() {}
}

/// A stage that produces documents.
public protocol LoadStage: Stage {
    /// Opens the input. Called once per run, on the thread that will call `next()`.
    func makeReader() throws -> any DocumentReader
}

/// A stage that transforms one document at a time. It must be safe to call from several threads at once.
public protocol TransformStage: Stage {
    /// Adds or changes layers of `document`.
    ///
    /// - Throws: any error; the runner records it as a failure of this document at this stage.
    func process(_ document: inout Document) throws
}

/// A transform that adds annotation layers (sentences, tokens, entities, quotes, ...).
public protocol ExtractStage: TransformStage {}

/// A transform that adds a summary.
public protocol SummarizeStage: TransformStage {}

/// A transform that scores stance toward actors.
public protocol StanceStage: TransformStage {}

/// A stage that consumes documents.
public protocol WriteStage: Stage {
    /// Opens the output. Called once per run; the writer is used from one thread only.
    func makeWriter() throws -> any DocumentWriter
}
