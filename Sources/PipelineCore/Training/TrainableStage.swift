/// A stage that learns its model from data. `pipeline train KIND NAME --train FILE --out MODEL ...` works for every
/// registered stage that conforms, built-in or custom: the CLI parses the command line into a ``TrainingRequest``,
/// the stage trains and writes the model, and reports its progress as ``TrainingEvent``s. The stage then loads the
/// model through its own `model=` option.
public protocol TrainableStage: Stage {
    /// Help for `pipeline train`: what the training files are and what is measured.
    static var training: TrainingDescriptor { get }

    /// Trains a model and writes it to ``TrainingRequest/output``.
    ///
    /// Must be deterministic: the same files, epochs and seed give a byte-identical model.
    ///
    /// - Throws: ``TrainingError`` for unreadable or malformed training data (with file and line) and for a model
    ///   that cannot be written.
    static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary
}

/// What a trainable stage says about its training.
public struct TrainingDescriptor: Sendable, Hashable {
    /// One line: the method.
    public var help: String
    /// The training file formats accepted.
    public var formats: String
    /// The measure reported on the dev file each epoch (`F1`).
    public var metric: String
    /// Epochs when `--epochs` is not given.
    public var defaultEpochs: Int
    /// The settings `--setting NAME=VALUE` may change, by name, each with one line of help (its meaning and
    /// default). Empty for a stage whose training has no settings besides epochs and seed.
    public var settings: [String: String]

    /// Describes training.
    public init(
        help: String, formats: String, metric: String, defaultEpochs: Int, settings: [String: String] = [:]
    ) {
        self.help = help
        self.formats = formats
        self.metric = metric
        self.defaultEpochs = defaultEpochs
        self.settings = settings
    }
}

/// What `pipeline train` asks for.
public struct TrainingRequest: Sendable, Hashable {
    /// Training files, in order.
    public var trainFiles: [String]
    /// A held-out file scored after every epoch, if any.
    public var devFile: String?
    /// Unannotated text the stage may learn from as well (word clusters, frequencies), if it uses any.
    public var unlabelledFiles: [String]
    /// Where to write the model.
    public var output: String
    /// Passes over the training data.
    public var epochs: Int
    /// Seed of every random choice (shuffling).
    public var seed: UInt64
    /// Training settings by name (`--setting lr=1e-3`), each one of the stage's ``TrainingDescriptor/settings``;
    /// what is not given keeps the stage's default. For choosing settings by cross-validation.
    public var settings: [String: String]

    /// Creates a request.
    public init(
        trainFiles: [String], devFile: String? = nil, unlabelledFiles: [String] = [], output: String,
        epochs: Int, seed: UInt64 = 1, settings: [String: String] = [:]
    ) {
        self.trainFiles = trainFiles
        self.devFile = devFile
        self.unlabelledFiles = unlabelledFiles
        self.output = output
        self.epochs = epochs
        self.seed = seed
        self.settings = settings
    }
}

extension TrainingRequest {
    /// The epochs a request may ask for.
    public static let epochRange = 1...1000

    /// Checks what every trainer relies on: at least one training file, and epochs in ``epochRange``. The registry's
    /// training entry (``StageFactory/train``, what `pipeline train` calls) checks it before the stage sees the request.
    ///
    /// - Throws: ``TrainingError/request(_:)`` saying what to change.
    public func check() throws {
        guard !trainFiles.isEmpty else { throw TrainingError.request("give at least one training file") }
        guard Self.epochRange.contains(epochs) else {
            throw TrainingError.request(
                "epochs must be between \(Self.epochRange.lowerBound) and \(Self.epochRange.upperBound), got \(epochs)")
        }
    }

    /// ``check()``, and that every setting asked for is one the stage has, with a value.
    ///
    /// - Throws: ``TrainingError/request(_:)`` naming the unknown setting, the nearest known one and the list.
    public func check(against training: TrainingDescriptor) throws {
        try check()
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) {
            guard training.settings[name] != nil else {
                let known = training.settings.keys.sorted()
                throw TrainingError.request(
                    "unknown setting '\(name)'"
                        + (known.isEmpty
                            ? " (this stage's training has no settings)"
                            : " (settings: \(known.joined(separator: ", ")))") + Suggest.hint(for: name, in: known))
            }
            guard !value.isEmpty else { throw TrainingError.request("setting '\(name)' needs a value: \(name)=VALUE") }
        }
    }
}

/// Progress of a training run.
public enum TrainingEvent: Sendable, Equatable {
    /// What was read, and other facts worth a line.
    case note(String)
    /// Within an epoch: `done` of `total` training examples.
    case progress(epoch: Int, done: Int, total: Int)
    /// An epoch ended; `dev` holds the dev measures (empty without a dev file).
    case epochEnded(epoch: Int, seconds: Double, dev: [String: Double])
}

/// The result of a training run.
public struct TrainingSummary: Sendable, Equatable {
    /// The epoch whose model was written (the one with the best dev score, or the last).
    public var epoch: Int
    /// Dev measures of the written model (empty without a dev file).
    public var dev: [String: Double]
    /// The model file's size in bytes.
    public var modelBytes: Int

    /// Creates a summary.
    public init(epoch: Int, dev: [String: Double], modelBytes: Int) {
        self.epoch = epoch
        self.dev = dev
        self.modelBytes = modelBytes
    }
}

/// Training could not be done. The description names the file (and line) and what to do.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A training or dev file is malformed.
    case data(file: String, line: Int, message: String)
    /// A file cannot be read or the model cannot be written.
    case io(file: String, message: String)
    /// The request cannot be carried out (no examples, bad arguments).
    case request(String)

    /// The message.
    public var description: String {
        switch self {
        case .data(let file, let line, let message):
            return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        case .io(let file, let message): return "\(file): \(message)"
        case .request(let message): return message
        }
    }
}

extension TrainableStage {
    /// The type itself.
    public static var asTrainable: (any TrainableStage.Type)? { self }
}
