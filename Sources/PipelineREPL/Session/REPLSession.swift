import Foundation
import OrderedCollections
import PipelineCore

/// The REPL's command interpreter, independent of any terminal: it holds the pipeline, the documents after each step
/// and the settings, and turns one input line into output text. Front ends (a libedit terminal, a piped script, a test)
/// feed it lines.
public final class REPLSession {
    /// What a line did.
    public enum Outcome: Equatable {
        /// Done; print the text (may be empty).
        case output(String)
        /// The user asked to leave.
        case quit
    }

    /// How results are printed.
    public enum Mode: String, Sendable {
        /// Tables and highlighted text.
        case table
        /// One JSON object per line.
        case json
    }

    /// The stages the session starts with (built-in, compiled-in and `--plugin` ones).
    let baseRegistry: StageRegistry
    /// ``baseRegistry`` plus the stages of the open file's `plugin` lines.
    var registry: StageRegistry
    /// The open file's `plugin` lines.
    var plugins: [PluginStatement] = []
    /// The definition file, when one is open.
    public internal(set) var file: String?
    var variables = OrderedDictionary<String, VariableDeclaration>()
    var overrides: [String: String] = [:]
    var sources: [String: String] = [:]
    /// The pipeline's stage lines (from the file, plus `:add`).
    public internal(set) var statements: [StageStatement] = []
    /// The built pipeline (nil when the definition has errors).
    public internal(set) var pipeline: Pipeline?
    /// The current state.
    public internal(set) var state = REPLState()
    var undo: [REPLState] = []
    var stageStats: [Int: (seconds: Double, documents: Int)] = [:]
    /// Documents a load stage may read (nil: no limit).
    public internal(set) var sampleLimit: Int? = 100
    var onlyIDs: [String]?
    var timer = false
    var mode = Mode.table
    /// Colours and width.
    public var style: Style
    /// Output width for tables.
    public var width: Int
    /// Documents processed at once.
    public var jobs: Int
    /// Whether stages may run external commands (`--allow-commands`), or which files may (a trust check).
    public var allowCommands: (String) -> Bool = { _ in false }
    /// The flag of the running command; a signal handler fires it on Ctrl-C.
    public let interrupts = InterruptSlot()
    var cancellation: RunCancellation?

    /// Creates a session with no pipeline open.
    public init(
        registry: StageRegistry, style: Style = Style(color: false), width: Int = 100,
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.baseRegistry = registry
        self.registry = registry
        self.style = style
        self.width = width
        self.jobs = jobs
    }

    var renderer: DocumentRenderer { DocumentRenderer(style: style, width: width) }

    /// The pipeline's display name.
    public var name: String {
        guard let f = file else { return "pipeline" }
        var n = (f as NSString).lastPathComponent
        if n.hasSuffix(".pipe") { n.removeLast(5) }
        return n
    }

    /// A write step's run, as a store's runs table records it: the session's pipeline and file.
    var replRun: RunInfo {
        RunInfo(pipeline: name, file: file, fileHash: RunInfo.hash(ofFile: file), jobs: jobs)
    }

    /// The prompt: pipeline name, the next stage and how many documents are in play.
    public var prompt: String {
        let total = pipeline?.stages.count ?? 0
        var place: String
        if let p = pipeline, state.position < total {
            place = "\(state.position + 1)/\(total) \(p.stages[state.position].label)"
        } else {
            place = total == 0 ? "no stages" : "done"
        }
        if state.position > 0 || !state.documents.isEmpty { place += ", \(state.documents.count) docs" }
        return "\(name) [\(place)]> "
    }

    // MARK: opening

    /// Opens a `.pipe` file; returns its diagnostics rendered (errors leave the previous pipeline in place).
    @discardableResult
    public func open(_ path: String) throws -> String {
        let def = PipelineDefinition.load(path: path)
        let errors = def.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw REPLError(
                DiagnosticRenderer(sources: def.sources, color: style.color).render(def.diagnostics)
                    .trimmingCharacters(in: .newlines))
        }
        try changingDefinition {
            file = path
            variables = def.variables
            statements = def.stages
            sources = def.sources
            overrides = [:]
            plugins = def.plugins
        }
        resetState()
        return "opened \(path): \(pipeline?.stages.count ?? 0) stages"
    }

    func resetState() {
        state = REPLState()
        undo = []
        stageStats = [:]
    }

    /// Applies `change` to the definition (file, variables, stage lines, sources, overrides, plugin lines) and rebuilds
    /// the pipeline; when the build fails, all of them and the pipeline are put back as they were, and the rendered
    /// diagnostics are thrown. The one way `:open`, `:add` and `:set` change the pipeline.
    func changingDefinition(_ change: () throws -> Void) throws {
        let saved = (file, variables, statements, sources, overrides, plugins)
        do {
            try change()
            try rebuild()
        } catch {
            (file, variables, statements, sources, overrides, plugins) = saved
            try? rebuild()
            throw error
        }
    }

    /// Builds the pipeline from the statements; throws the rendered diagnostics.
    private func rebuild() throws {
        var def = PipelineDefinition(file: file ?? "<repl>")
        def.stages = statements
        def.variables = variables
        def.sources = sources
        def.plugins = plugins
        let settings = BuildSettings(
            overrides: overrides.map { ($0.key, $0.value) }, jobs: jobs,
            requireLoaderAndWriter: false,
            commands: allowCommands(file ?? "<repl>") ? .allow : .refuse)
        let outcome = PipelineBuilder(registry: baseRegistry).build(def, settings: settings)
        guard let p = outcome.pipeline else {
            throw REPLError(
                DiagnosticRenderer(sources: outcome.sources, color: style.color).render(outcome.diagnostics)
                    .trimmingCharacters(in: .newlines))
        }
        pipeline?.shutdown()
        pipeline = p
        registry = outcome.registry
    }

    // MARK: executing lines

    /// Runs one line: a `:command`, or a stage line (`extract sentences`) to run once on the documents in play.
    public func execute(_ rawLine: String) throws -> Outcome {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { return .output("") }
        let cancel = RunCancellation()
        cancellation = cancel
        interrupts.set(cancel)
        defer {
            interrupts.set(nil)
            cancellation = nil
        }
        // Building a stage (a folder walk) checks the command's flag through `current`.
        return try RunCancellation.$current.withValue(cancel) { try dispatch(line) }
    }

    /// Runs one non-empty line (``execute(_:)`` without its interrupt set-up).
    private func dispatch(_ line: String) throws -> Outcome {
        if line.hasPrefix(":") {
            let body = String(line.dropFirst())
            let word = body.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            let rest = body.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
            let (command, candidates) = REPLCommand.find(word)
            guard let command else {
                if candidates.count > 1 {
                    throw REPLError(
                        "':\(word)' is ambiguous: \(candidates.map { ":" + $0.name }.joined(separator: ", "))")
                }
                throw REPLError(
                    "unknown command ':\(word)'"
                        + Suggest.hint(for: word, in: REPLCommand.all.map(\.name))
                        + "; :help lists the commands")
            }
            return try run(command, rest)
        }
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        if StageKind(rawValue: first) != nil { return .output(try runStageLine(line)) }
        throw REPLError(
            "'\(first)' is neither a :command nor a stage line"
                + Suggest.hint(for: first, in: StageKind.allCases.map(\.rawValue))
                + "; commands start with ':' (:help lists them), stage lines with a kind (extract sentences)")
    }

    private func run(_ command: REPLCommand, _ args: String) throws -> Outcome {
        switch command.verb {
        case .help: return .output(help(args))
        case .quit: return .quit
        case .open:
            guard !args.isEmpty else { throw REPLError(":open needs a file: :open Pipelines/daily.pipe") }
            return .output(try open(args))
        case .stages: return .output(stagesListing())
        case .plugins: return .output(pluginsListing())
        case .step:
            let n = args.isEmpty ? 1 : (Int(args) ?? -1)
            guard n >= 1 else { throw REPLError(":step takes a positive number of stages, got '\(args)'") }
            return .output(try step(n))
        case .run: return .output(try runTo(args))
        case .back:
            guard let previous = undo.popLast() else { throw REPLError("nothing to undo") }
            let undone = state.label
            state = previous
            return .output("undid \(undone); \(state.documents.count) documents, next stage \(nextStageText)")
        case .reset:
            resetState()
            return .output("reset: no documents, next stage \(nextStageText)")
        case .sample: return .output(try sample(args))
        case .only: return .output(only(args))
        case .actors: return .output(try actors(args))
        case .events: return .output(try events(args))
        case .why: return .output(try why(args))
        case .docs: return .output(docs())
        case .show: return .output(try show(args))
        case .json: return .output(try json(args))
        case .diff: return .output(try diff())
        case .add: return .output(try add(args))
        case .save: return .output(try save(args))
        case .write: return .output(try writeDocuments(args))
        case .set: return .output(try set(args))
        case .timer:
            guard args == "on" || args == "off" else { throw REPLError(":timer takes on or off") }
            timer = args == "on"
            return .output("timer \(args)")
        case .mode:
            guard let m = Mode(rawValue: args) else { throw REPLError(":mode takes table or json") }
            mode = m
            return .output("mode \(args)")
        }
    }

    /// Stops what the pipeline's stages run outside the process (worker processes); call when leaving.
    public func shutdown() { pipeline?.shutdown() }

    /// Names of the variables, for completion.
    public var variableNames: [String] { Array(variables.keys) }

    /// Ids of the documents in play, for completion.
    public var documentIDs: [String] { state.documents.map(\.id) }

    /// Layer names present in the documents in play, for completion.
    public var layerNames: [String] {
        var out: [String] = []
        for d in state.documents {
            for l in DocumentRenderer.showableLayers(d) where !out.contains(l) { out.append(l) }
        }
        return out
    }

    /// The stage registry, for completion.
    public var stageRegistry: StageRegistry { registry }
}
