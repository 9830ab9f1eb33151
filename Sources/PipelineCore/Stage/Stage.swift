/// A pipeline stage. Conformers declare a static ``descriptor`` and build themselves from resolved options.
///
/// The lifecycle, shared by `pipeline run`, `check`, `explain` and the REPL:
/// 1. `init(options:context:)` reads the options and checks them and the files they name. It must be light: `check`
///    and `explain` call it and nothing else.
/// 2. ``prepare(_:)`` loads the heavy part (a model, a lexicon, a gazetteer) through the process's ``ResourceCache``,
///    so rebuilding a pipeline (the REPL's `:set`, `:add`, stage lines) does not load a file again. `run` and the REPL
///    call it once per built stage, before the first document; its errors are reported at the stage's line.
/// 3. Transforms: ``TransformStage/makeWorker()`` once per job slot, for per-job scratch space or a resource that is
///    not thread-safe; loaders ``LoadStage/makeReader()`` and writers ``WriteStage/makeWriter()`` once per run.
/// 4. ``shutdown()`` once when the pipeline is done with the stage.
///
/// Do not conform to `Stage` directly: conform to ``LoadStage``, ``ExtractStage``, ``SummarizeStage``,
/// ``StanceStage`` or ``WriteStage``; the descriptor's kind must match (the registry checks).
public protocol Stage: Sendable {
    /// Name, kind, help, options, requires and provides.
    static var descriptor: StageDescriptor { get }

    /// Builds the stage from its options (already type- and range-checked against ``descriptor``), without loading
    /// anything heavy.
    ///
    /// - Throws: ``StageConfigurationError`` when the combination of options is unusable (a missing input file, two
    ///   options that exclude each other).
    init(options: StageOptions, context: StageContext) throws

    /// Loads what the stage needs to process documents (models, lexicons), through `resources` so that one file is
    /// loaded once per process, and keeps it in the instance. The default does nothing.
    ///
    /// - Throws: ``StageConfigurationError`` when a resource is missing, truncated or of another format (name the
    ///   file and the option that gave it).
    mutating func prepare(_ resources: ResourceCache) throws

    /// The layers this instance adds; defaults to the descriptor's. A stage whose output depends on its options (a
    /// loader told which layers its input carries) overrides it.
    var provides: [Layer] { get }

    /// Releases what the stage holds outside the process (worker processes, connections). Called once when the
    /// pipeline is done with the stage, or from another thread to stop a run; the default does nothing.
    func shutdown()

    /// The kind of the stage protocol the type conforms to. Supplied by ``LoadStage``, ``ExtractStage``,
    /// ``SummarizeStage``, ``StanceStage`` and ``WriteStage``; do not implement it. (It replaces five dynamic casts per
    /// stage type when the registry is built, which scanned every conformance in the process: most of the start-up.)
    static var protocolKind: StageKind { get }

    /// The type as a ``TrainableStage``, or nil; supplied by the protocols, do not implement it.
    static var asTrainable: (any TrainableStage.Type)? { get }
}

extension Stage {
    /// Nothing to load.
    public mutating func prepare(_ resources: ResourceCache) throws {}

    /// The descriptor's `provides`.
    public var provides: [Layer] { Self.descriptor.provides }

    /// Nothing to release.
    public func shutdown() {}

    /// Not trainable.
    public static var asTrainable: (any TrainableStage.Type)? { nil }
}

extension LoadStage {
    /// `.load`.
    public static var protocolKind: StageKind { .load }
}

extension ExtractStage {
    /// `.extract`.
    public static var protocolKind: StageKind { .extract }
}

extension SummarizeStage {
    /// `.summarize`.
    public static var protocolKind: StageKind { .summarize }
}

extension StanceStage {
    /// `.stance`.
    public static var protocolKind: StageKind { .stance }
}

extension WriteStage {
    /// `.write`.
    public static var protocolKind: StageKind { .write }
}

/// A stage that produces documents.
public protocol LoadStage: Stage {
    /// Opens the input. Called once per run, on the thread that will call `next()`.
    func makeReader() throws -> any DocumentReader
}

/// A stage that transforms one document at a time.
///
/// A stateless stage implements ``process(_:)``, which must then be safe to call from several threads at once. A
/// stage that needs mutable scratch space or a resource that is not thread-safe (a worker process) implements
/// ``makeWorker()`` as well: the runner and the REPL make one worker per job slot and call only the workers.
public protocol TransformStage: Stage {
    /// Adds or changes layers of `document`.
    ///
    /// - Throws: any error; the runner records it as a failure of this document at this stage.
    func process(_ document: inout Document) throws

    /// A worker for one job slot, used from one thread at a time. The default calls ``process(_:)``.
    func makeWorker() throws -> any TransformWorker

    /// The document field whose value groups documents for this stage (`group=FIELD`), or nil: then the runner hands
    /// each run of consecutive documents with the same value to ``TransformWorker/processGroup(_:)`` at once (a group
    /// never spans two batches). The default is nil.
    var groupField: String? { get }

    /// Whether the stage works faster on several documents at once (an encoder whose matrix products grow with the
    /// sentences it is given): then the runner hands each batch's documents to ``TransformWorker/processBatch(_:)``
    /// together, and each document still fails alone. The default is false.
    var batchesDocuments: Bool { get }
}

extension TransformStage {
    /// A worker that calls ``process(_:)``.
    public func makeWorker() throws -> any TransformWorker { StatelessWorker(stage: self) }

    /// No grouping.
    public var groupField: String? { nil }

    /// One document at a time.
    public var batchesDocuments: Bool { false }
}

/// The per-job-slot side of a ``TransformStage``: used by one thread at a time, so it may keep scratch buffers or a
/// connection of its own.
public protocol TransformWorker {
    /// Adds or changes layers of `document`.
    mutating func process(_ document: inout Document) throws
    /// Releases what the worker holds; called once when its job slot is done. The default does nothing.
    mutating func close()

    /// Processes a group of documents together (a stage with a ``TransformStage/groupField``): consecutive documents
    /// sharing the field's value. The default processes them one by one.
    mutating func processGroup(_ documents: inout [Document]) throws

    /// Processes independent documents together (a stage whose ``TransformStage/batchesDocuments`` is true) and
    /// returns, for each, the error that failed it or nil. The default processes them one by one.
    mutating func processBatch(_ documents: inout [Document]) -> [(any Error)?]
}

extension TransformWorker {
    /// Nothing to release.
    public mutating func close() {}

    /// One by one.
    public mutating func processGroup(_ documents: inout [Document]) throws {
        for k in documents.indices { try process(&documents[k]) }
    }

    /// One by one, each failing alone.
    public mutating func processBatch(_ documents: inout [Document]) -> [(any Error)?] {
        documents.indices.map { k in
            do {
                try process(&documents[k])
                return nil
            } catch { return error }
        }
    }
}

/// The worker of a stateless transform: calls the stage's ``TransformStage/process(_:)``.
struct StatelessWorker<S: TransformStage>: TransformWorker {
    let stage: S
    func process(_ document: inout Document) throws { try stage.process(&document) }
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
