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
    private(set) var registry: StageRegistry
    /// The open file's `plugin` lines.
    private var plugins: [PluginStatement] = []
    /// The definition file, when one is open.
    public private(set) var file: String?
    private var variables = OrderedDictionary<String, VariableDeclaration>()
    private var overrides: [String: String] = [:]
    private var sources: [String: String] = [:]
    /// The pipeline's stage lines (from the file, plus `:add`).
    public private(set) var statements: [StageStatement] = []
    /// The built pipeline (nil when the definition has errors).
    public private(set) var pipeline: Pipeline?
    /// The current state.
    public private(set) var state = REPLState()
    private var undo: [REPLState] = []
    private var stageStats: [Int: (seconds: Double, documents: Int)] = [:]
    /// Documents a load stage may read (nil: no limit).
    public private(set) var sampleLimit: Int? = 100
    private var onlyIDs: [String]?
    private var timer = false
    private var mode = Mode.table
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
    private var cancellation: RunCancellation?

    /// Creates a session with no pipeline open.
    public init(registry: StageRegistry, style: Style = Style(color: false), width: Int = 100,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.baseRegistry = registry
        self.registry = registry
        self.style = style
        self.width = width
        self.jobs = jobs
    }

    private var renderer: DocumentRenderer { DocumentRenderer(style: style, width: width) }

    /// The pipeline's display name.
    public var name: String {
        guard let f = file else { return "pipeline" }
        var n = (f as NSString).lastPathComponent
        if n.hasSuffix(".pipe") { n.removeLast(5) }
        return n
    }

    /// A write step's run, as a store's runs table records it: the session's pipeline and file.
    private var replRun: RunInfo {
        RunInfo(pipeline: name, file: file, fileHash: RunInfo.hash(ofFile: file), jobs: jobs)
    }

    /// The prompt: pipeline name, the next stage and how many documents are in play.
    public var prompt: String {
        let total = pipeline?.stages.count ?? 0
        var where_: String
        if let p = pipeline, state.position < total {
            where_ = "\(state.position + 1)/\(total) \(p.stages[state.position].label)"
        } else {
            where_ = total == 0 ? "no stages" : "done"
        }
        if state.position > 0 || !state.documents.isEmpty { where_ += ", \(state.documents.count) docs" }
        return "\(name) [\(where_)]> "
    }

    // MARK: opening

    /// Opens a `.pipe` file; returns its diagnostics rendered (errors leave the previous pipeline in place).
    @discardableResult
    public func open(_ path: String) throws -> String {
        let def = PipelineDefinition.load(path: path)
        let errors = def.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw REPLError(DiagnosticRenderer(sources: def.sources, color: style.color).render(def.diagnostics)
                .trimmingCharacters(in: .newlines))
        }
        let previous = (file, variables, statements, sources, overrides, plugins)
        file = path
        variables = def.variables
        statements = def.stages
        sources = def.sources
        overrides = [:]
        plugins = def.plugins
        do {
            try rebuild()
        } catch {
            (file, variables, statements, sources, overrides, plugins) = previous
            try? rebuild()
            throw error
        }
        resetState()
        return "opened \(path): \(pipeline?.stages.count ?? 0) stages"
    }

    private func resetState() {
        state = REPLState()
        undo = []
        stageStats = [:]
    }

    /// Builds the pipeline from the statements; throws the rendered diagnostics.
    private func rebuild() throws {
        var def = PipelineDefinition(file: file ?? "<repl>")
        def.stages = statements
        def.variables = variables
        def.sources = sources
        def.plugins = plugins
        let settings = BuildSettings(overrides: overrides.map { ($0.key, $0.value) }, jobs: jobs,
                                     requireLoaderAndWriter: false,
                                     commands: allowCommands(file ?? "<repl>") ? .allow : .refuse)
        let outcome = PipelineBuilder(registry: baseRegistry).build(def, settings: settings)
        guard let p = outcome.pipeline else {
            throw REPLError(DiagnosticRenderer(sources: outcome.sources, color: style.color).render(outcome.diagnostics)
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
        if line.hasPrefix(":") {
            let body = String(line.dropFirst())
            let word = body.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            let rest = body.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
            let (command, candidates) = REPLCommand.find(word)
            guard let command else {
                if candidates.count > 1 {
                    throw REPLError("':\(word)' is ambiguous: \(candidates.map { ":" + $0.name }.joined(separator: ", "))")
                }
                throw REPLError("unknown command ':\(word)'"
                                + Suggest.hint(for: word, in: REPLCommand.all.map(\.name))
                                + "; :help lists the commands")
            }
            return try run(command, rest)
        }
        let first = line.split(separator: " ").first.map(String.init) ?? ""
        if StageKind(rawValue: first) != nil { return .output(try runStageLine(line)) }
        throw REPLError("'\(first)' is neither a :command nor a stage line"
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
        case .why: return .output(try why(args))
        case .docs:
            if state.documents.isEmpty { return .output("no documents in play; :step runs the load stage") }
            if mode == .json {
                return .output(state.documents.map { d in
                    var o = OrderedDictionary<String, JSONValue>()
                    o["id"] = .string(d.id)
                    o["title"] = d.title.map(JSONValue.string) ?? .null
                    o["chars"] = .int(d.text.unicodeScalars.count)
                    for l in d.presentLayers { o[l.name] = .int(d.count(of: l)) }
                    return JSONValue.object(o).jsonText
                }.joined(separator: "\n"))
            }
            return .output(renderer.table(state.documents) + "\n\(state.documents.count) documents in play"
                           + (sampleLimit.map { " (sample limit \($0))" } ?? ""))
        case .show:
            let parts = args.split(separator: " ").map(String.init)
            guard let id = parts.first else { throw REPLError(":show needs a document id; :docs lists them") }
            let d = try document(id)
            if mode == .json { return .output(d.jsonText) }
            return .output(try renderer.show(d, layer: parts.count > 1 ? parts[1] : nil))
        case .json:
            guard !args.isEmpty else { throw REPLError(":json needs a document id; :docs lists them") }
            return .output(renderer.json(try document(args)))
        case .diff:
            guard let previous = undo.last else { throw REPLError("nothing to compare yet; :step first") }
            return .output("\(state.label):\n" + renderer.diff(before: previous.documents, after: state.documents,
                                                               failures: state.failures))
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

    /// `:why ID TARGET`: what moved the stance toward TARGET in document ID, for each stance stage of the pipeline.
    func why(_ args: String) throws -> String {
        let parts = args.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw REPLError(":why needs a document id and a target: :why 01-france-iraq-defence Iraq") }
        let d = try document(parts[0])
        let stages = (pipeline?.stages ?? []).filter { $0.instance is any ExplainingStage }
        guard !stages.isEmpty else { throw REPLError("the pipeline has no stance stage that explains itself (stance lexicon, stance model)") }
        let known = (d.stances ?? []).map(\.target)
        guard known.contains(where: { $0.lowercased() == parts[1].lowercased() }) || known.isEmpty else {
            throw REPLError("no stance toward '\(parts[1])' in \(d.id)\(Suggest.hint(for: parts[1], in: known)); targets: \(known.joined(separator: ", "))")
        }
        let sentences = d.sentences ?? []
        var out: [String] = []
        for st in stages {
            guard let e = st.instance as? any ExplainingStage else { continue }
            let reasons = try e.explain(d, target: parts[1])
            out.append("\(st.label) — \(parts[1]) in \(d.id):")
            if reasons.isEmpty { out.append("  no mention, nothing moved the score (neutral)") }
            for r in reasons.prefix(15) {
                let excerpt = r.sentence < sentences.count ? String(d.text.slice(sentences[r.sentence]).prefix(60)) : ""
                out.append(String(format: "  %+.3f  ", r.contribution) + r.reason + style.dim("  [\(r.sentence)] \(excerpt)…"))
            }
            if reasons.count > 15 { out.append("  ... \(reasons.count - 15) more") }
        }
        return out.joined(separator: "\n")
    }

    /// `:actors [TYPE]`: canonical actors of the documents in play, most mentioned first.
    func actors(_ type: String) throws -> String {
        guard state.documents.contains(where: { $0.entities != nil }) else {
            throw REPLError("no entities in play; run extract entities first (:step, or type: extract entities)")
        }
        struct Row { var types: [String: Int] = [:]; var mentions = 0; var documents = Set<String>(); var role: String?; var country: String? }
        var rows: [String: Row] = [:]
        var order: [String] = []
        for d in state.documents {
            for e in d.entities ?? [] where type.isEmpty ? e.type != "DATE" : e.type == type.uppercased() {
                let key = e.type == "DATE" ? (e.value ?? e.text) : (e.canonical ?? e.text)
                if rows[key] == nil { rows[key] = Row(); order.append(key) }
                rows[key]!.types[e.type, default: 0] += 1
                rows[key]!.mentions += 1
                rows[key]!.documents.insert(d.id)
                if rows[key]!.role == nil { rows[key]!.role = e.role }
                if rows[key]!.country == nil { rows[key]!.country = e.country }
            }
        }
        let sorted = order.sorted { rows[$0]!.mentions != rows[$1]!.mentions ? rows[$0]!.mentions > rows[$1]!.mentions : $0 < $1 }
        if sorted.isEmpty { return "no \(type.isEmpty ? "" : type.uppercased() + " ")actors in the documents in play" }
        func types(_ r: Row) -> String {
            r.types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key).joined(separator: ",")
        }
        if mode == .json {
            return sorted.map { key in
                let r = rows[key]!
                var o = OrderedDictionary<String, JSONValue>()
                o["actor"] = .string(key)
                o["types"] = .string(types(r))
                o["mentions"] = .int(r.mentions)
                o["documents"] = .int(r.documents.count)
                if let role = r.role { o["role"] = .string(role) }
                if let c = r.country { o["country"] = .string(c) }
                return JSONValue.object(o).jsonText
            }.joined(separator: "\n")
        }
        let table = TableFormatter(headers: ["actor", "types", "mentions", "docs", "role", "country"], rows: sorted.map { key in
            let r = rows[key]!
            return [key, types(r), String(r.mentions), String(r.documents.count),
                    r.role ?? "", r.country ?? ""]
        }, numeric: [2, 3])
        return table.render(width: width) + "\n\(sorted.count) actors in \(state.documents.count) documents"
    }

    private func document(_ id: String) throws -> Document {
        if let d = state.documents.first(where: { $0.id == id }) { return d }
        let ids = state.documents.map(\.id)
        if let d = state.documents.first(where: { $0.id.hasPrefix(id) }),
           state.documents.filter({ $0.id.hasPrefix(id) }).count == 1 {
            return d
        }
        throw REPLError("no document '\(id)' in play" + Suggest.hint(for: id, in: ids)
                        + (ids.isEmpty ? "; :step loads documents" : "; :docs lists them"))
    }

    private var nextStageText: String {
        guard let p = pipeline, state.position < p.stages.count else { return "none (done)" }
        return "\(state.position + 1) (\(p.stages[state.position].label))"
    }

    // MARK: help

    func help(_ topic: String) -> String {
        if topic.isEmpty {
            var out = "Commands (a prefix is enough):\n"
            for c in REPLCommand.all {
                let head = ":\(c.name)" + (c.arguments.isEmpty ? "" : " \(c.arguments)")
                out += "  " + head.padding(toLength: 22, withPad: " ", startingAt: 0) + c.summary + "\n"
            }
            out += "A stage line such as `summarize lead sentences=2` runs that stage once on the documents in play.\n"
            out += "Tab completes commands, stage names, options, document ids and layers; Ctrl-C interrupts a stage; Ctrl-D leaves."
            return out
        }
        let word = topic.hasPrefix(":") ? String(topic.dropFirst()) : topic
        let (command, candidates) = REPLCommand.find(word)
        if let c = command {
            return ":\(c.name)" + (c.arguments.isEmpty ? "" : " \(c.arguments)") + "\n  \(c.summary)\n\n" + c.details
        }
        if candidates.count > 1 { return "':\(word)' could be: \(candidates.map { ":" + $0.name }.joined(separator: ", "))" }
        return "no command ':\(word)'\(Suggest.hint(for: word, in: REPLCommand.all.map(\.name))); :help lists them"
    }

    // MARK: stages

    /// `:plugins`: each loaded plugin, where it was loaded from and the stages it adds.
    func pluginsListing() -> String {
        guard !registry.plugins.isEmpty else {
            return "no plugins loaded; load one with --plugin PATH, $PIPELINE_PLUGINS, or a plugin \"PATH\" line in the .pipe file"
        }
        var out: [String] = []
        for p in registry.plugins {
            let origin = plugins.first { PluginLoader.canonicalPath($0.path) == p.path }
                .map { "plugin line at \($0.location)" } ?? "command line or PIPELINE_PLUGINS"
            out.append("\(p.path)  (\(origin); \(PluginABI.describe(p.stamp)))")
            for name in p.stageNames { out.append("  \(name)") }
        }
        return out.joined(separator: "\n")
    }

    func stagesListing() -> String {
        guard let p = pipeline, !p.stages.isEmpty else { return "no stages; :open FILE.pipe or type a stage line" }
        var out = ""
        for (i, s) in p.stages.enumerated() {
            let marker = i == state.position ? "▶" : " "
            var line = "\(marker) \(i + 1). \(s.label)"
            let opts = s.options.values.filter { s.options.isExplicit($0.key) }.map { "\($0.key)=\($0.value)" }
            if !opts.isEmpty { line += " " + opts.joined(separator: " ") }
            if let st = stageStats[i], i < state.position {
                line = line.padding(toLength: max(line.count, 48), withPad: " ", startingAt: 0)
                    + style.dim(String(format: "  %.3f s, %d docs", st.seconds, st.documents))
            }
            out += line + "\n"
        }
        if state.position >= p.stages.count { out += "▶ (done)\n" }
        return String(out.dropLast())
    }

    /// Runs the next `n` stages.
    func step(_ n: Int) throws -> String {
        guard let p = pipeline, !p.stages.isEmpty else { throw REPLError("no pipeline; :open FILE.pipe first") }
        var out: [String] = []
        for _ in 0..<n {
            guard state.position < p.stages.count else {
                out.append("the pipeline is done; :reset starts over, :back undoes the last step")
                break
            }
            out.append(try runStage(p.stages[state.position], index: state.position))
        }
        return out.joined(separator: "\n")
    }

    func runTo(_ args: String) throws -> String {
        guard let p = pipeline, !p.stages.isEmpty else { throw REPLError("no pipeline; :open FILE.pipe first") }
        var target = p.stages.count
        if !args.isEmpty {
            guard args.hasPrefix("to ") || args == "to" else { throw REPLError(":run takes nothing or 'to STAGE'") }
            let what = args.dropFirst(2).trimmingCharacters(in: .whitespaces)
            let ofKind = StageKind(rawValue: what).map { kind in p.stages.indices.filter { p.stages[$0].descriptor.kind == kind } }
            if let n = Int(what), n >= 1, n <= p.stages.count {
                target = n
            } else if let i = p.stages.firstIndex(where: { $0.label == what || $0.descriptor.name == what }) {
                target = i + 1
            } else if let ofKind, ofKind.count == 1 {
                // A kind names the stage when it is the only one of its kind.
                target = ofKind[0] + 1
            } else if let ofKind, ofKind.count > 1 {
                let list = ofKind.map { "\($0 + 1) (\(p.stages[$0].label))" }.joined(separator: ", ")
                throw REPLError("the pipeline has \(ofKind.count) \(what) stages: \(list); :run to NUMBER or :run to NAME")
            } else {
                let names = p.stages.map(\.descriptor.name)
                throw REPLError("no stage '\(what)' in the pipeline\(Suggest.hint(for: what, in: names)); :stages lists them")
            }
        }
        guard target > state.position else {
            throw REPLError("stage \(target) has already run; :back or :reset to go back")
        }
        return try step(target - state.position)
    }

    /// Runs one resolved stage on the documents in play and records a new state.
    private func runStage(_ stage: ResolvedStage, index: Int?) throws -> String {
        let started = DispatchTime.now().uptimeNanoseconds
        var next = state
        next.failures = []
        let kind = stage.descriptor.kind
        switch kind {
        case .load:
            let remaining = sampleLimit.map { max(0, $0 - state.documents.count) }
            // Read a little more than the sample when filtering by id, so the filter can find its documents.
            let records = try StageExecutor.load(stage, limit: onlyIDs == nil ? remaining : nil, cancellation: cancellation)
            var loaded: [Document] = []
            for r in records {
                switch r {
                case .document(let d, _): loaded.append(d)
                case .failure(let f): next.failures.append(f)
                }
            }
            if let only = onlyIDs { loaded = loaded.filter { only.contains($0.id) } }
            if let remaining { loaded = Array(loaded.prefix(remaining)) }
            next.documents += loaded
        case .extract, .summarize, .stance:
            let results = try StageExecutor.apply(stage, to: state.documents, jobs: jobs, cancellation: cancellation)
            next.documents = []
            for r in results {
                switch r {
                case .success(let d): next.documents.append(d)
                case .failure(let f): next.failures.append(f)
                }
            }
        case .write:
            do {
                try StageExecutor.write(state.documents, with: stage, run: replRun)
            } catch {
                throw REPLError("\(error)")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if let index {
            next.position = index + 1
            stageStats[index] = (seconds, next.documents.count)
        }
        next.label = index.map { "step \($0 + 1): \(stage.label)" } ?? "ran \(stage.label)"
        push(next)
        var summary = "\(next.label): \(next.documents.count) documents"
        if kind == .write, let path = stage.value(of: .output) { summary += " written to \(path)" }
        if !next.failures.isEmpty {
            summary += ", " + style.red("\(next.failures.count) failed")
            for f in next.failures.prefix(5) { summary += "\n  " + f.description }
            if next.failures.count > 5 { summary += "\n  ... \(next.failures.count - 5) more" }
        }
        if timer {
            let rate = seconds > 0 ? Int(Double(max(next.documents.count, 1)) / seconds) : 0
            summary += style.dim(String(format: " (%.3f s, %d docs/s)", seconds, rate))
        }
        return summary
    }

    private func push(_ next: REPLState) {
        undo.append(state)
        if undo.count > 20 { undo.removeFirst() }
        state = next
    }

    /// Runs a typed stage line once on the documents in play (the pipeline is unchanged).
    func runStageLine(_ line: String) throws -> String {
        let stage = try resolve(line, providedBefore: layersInPlay())
        defer { stage.instance.shutdown() }
        return try runStage(stage, index: nil)
    }

    private func layersInPlay() -> [Layer] {
        var set: [Layer] = [.text]
        for d in state.documents { for l in d.presentLayers where !set.contains(l) { set.append(l) } }
        return set
    }

    /// Builds one stage from a line, with the session's variables.
    private func resolve(_ line: String, providedBefore: [Layer]) throws -> ResolvedStage {
        let statement = try parseStatement(line)
        var def = PipelineDefinition(file: "<repl>")
        def.stages = [statement]
        def.variables = variables
        def.sources = ["<repl>": line]
        let settings = BuildSettings(overrides: overrides.map { ($0.key, $0.value) }, jobs: jobs,
                                     requireLoaderAndWriter: false, providedBefore: providedBefore,
                                     commands: allowCommands(file ?? "<repl>") ? .allow : .refuse)
        let outcome = PipelineBuilder(registry: registry).build(def, settings: settings)
        guard let p = outcome.pipeline, let s = p.stages.first else {
            throw REPLError(outcome.diagnostics.filter { $0.severity == .error }.map { d in
                d.location.map { "column \($0.column): " } .map { $0 + d.message } ?? d.message
            }.joined(separator: "\n"))
        }
        return s
    }

    private func parseStatement(_ line: String) throws -> StageStatement {
        let def = PipelineDefinition.parse(text: line, file: "<repl>")
        if let e = def.diagnostics.first(where: { $0.severity == .error }) {
            throw REPLError(e.location.map { "column \($0.column): " + e.message } ?? e.message)
        }
        guard def.stages.count == 1 else { throw REPLError("expected one stage line such as: extract sentences") }
        return def.stages[0]
    }

    // MARK: working set

    func sample(_ args: String) throws -> String {
        if args.isEmpty {
            return "sample limit: \(sampleLimit.map(String.init) ?? "none"); \(state.documents.count) documents in play"
        }
        if args == "all" {
            sampleLimit = nil
            return "no sample limit; load stages read every document"
        }
        guard let n = Int(args), n >= 1 else { throw REPLError(":sample takes a positive number or 'all'") }
        sampleLimit = n
        if state.documents.count > n {
            var next = state
            next.documents = Array(state.documents.prefix(n))
            next.label = "sample \(n)"
            push(next)
            return "kept the first \(n) documents"
        }
        return "sample limit \(n); \(state.documents.count) documents in play"
    }

    func only(_ args: String) -> String {
        let ids = args.split(separator: " ").map(String.init)
        if ids.isEmpty {
            onlyIDs = nil
            return "no id filter"
        }
        onlyIDs = ids
        var next = state
        next.documents = state.documents.filter { ids.contains($0.id) }
        next.label = "only \(ids.joined(separator: " "))"
        let missing = ids.filter { id in !state.documents.contains { $0.id == id } }
        if !state.documents.isEmpty { push(next) }
        var out = "\(state.documents.count) documents in play"
        if !missing.isEmpty && !state.documents.isEmpty {
            out += "; not in play: \(missing.joined(separator: ", "))"
        }
        return out
    }

    // MARK: editing the pipeline

    func add(_ line: String) throws -> String {
        guard !line.isEmpty else { throw REPLError(":add needs a stage line: :add summarize lead sentences=2") }
        var statement = try parseStatement(line)
        let saved = statements
        // Insert before the trailing write stages.
        var at = statements.count
        if statement.kind != .write {
            while at > 0 && statements[at - 1].kind == .write { at -= 1 }
        }
        let loc = SourceLocation(file: "<repl>", line: 1, column: 1)
        statement.kindLocation = statement.kindLocation.file == "<repl>" ? loc : statement.kindLocation
        statements.insert(statement, at: at)
        do {
            try rebuild()
        } catch {
            statements = saved
            try? rebuild()
            throw error
        }
        // Stages after the new one keep their timings under their new numbers. When the new stage lands before the
        // next one to run (behind a write step that has run), it has not run: it is next, and the stages after it
        // run again after it.
        stageStats = Dictionary(uniqueKeysWithValues: stageStats.map { ($0.key >= at ? $0.key + 1 : $0.key, $0.value) })
        if at < state.position { state.position = at }
        return "added stage \(at + 1): \(statement.qualifiedName)"
    }

    func save(_ path: String) throws -> String {
        guard !path.isEmpty else { throw REPLError(":save needs a file name: :save my.pipe") }
        var def = PipelineDefinition(file: path)
        // A plugin line relative to a file in another folder is saved with its absolute path.
        let folder = PluginLoader.canonicalPath((path as NSString).deletingLastPathComponent)
        def.plugins = plugins.map { p in
            var p = p
            if PluginLoader.canonicalPath((p.location.file as NSString).deletingLastPathComponent) != folder {
                p.written = PluginLoader.canonicalPath(p.path)
            }
            return p
        }
        def.variables = variables
        def.stages = statements
        let text = def.formatted(header: "Saved by pipeline repl", overrides: overrides)
        do {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw REPLError("cannot write '\(path)': \(error.localizedDescription)")
        }
        return "saved \(statements.count) stages to \(path)"
    }

    /// `:write FILE`: the documents in play through a `write jsonl` stage, like any write step.
    func writeDocuments(_ path: String) throws -> String {
        guard !path.isEmpty else { throw REPLError(":write needs a file name: :write out/sample.jsonl") }
        let stage = try resolve("write jsonl path=\(OptionValue.quote(path))", providedBefore: layersInPlay())
        defer { stage.instance.shutdown() }
        do {
            try StageExecutor.write(state.documents, with: stage, run: replRun)
        } catch {
            throw REPLError("\(error)")
        }
        return "wrote \(state.documents.count) documents to \(path)"
    }

    func set(_ args: String) throws -> String {
        guard let eq = args.firstIndex(of: "="), eq != args.startIndex else {
            throw REPLError(":set takes NAME=VALUE")
        }
        let name = String(args[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(args[args.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard variables[name] != nil else {
            let names = Array(variables.keys)
            throw REPLError("unknown variable '\(name)'\(Suggest.hint(for: name, in: names))"
                            + (names.isEmpty ? "; the pipeline declares none" : "; variables: \(names.joined(separator: ", "))"))
        }
        let saved = overrides
        overrides[name] = value
        do {
            try rebuild()
        } catch {
            overrides = saved
            try? rebuild()
            throw error
        }
        // A stage uses the variable in an option value, or as its name (`load $source`).
        let users = statements.enumerated().filter { _, s in
            s.name == "$" + name || s.options.contains { Self.uses($0.value, name) }
        }
        guard !users.isEmpty else { return "\(name) = \(value); no stage uses it" }
        let list = users.map { "\($0.offset + 1) (\($0.element.qualifiedName))" }.joined(separator: ", ")
        let ran = users.filter { $0.offset < state.position }
        if ran.isEmpty { return "\(name) = \(value); used by stage \(list), which has not run yet" }
        return "\(name) = \(value); used by stage \(list); already run: \(ran.map { String($0.offset + 1) }.joined(separator: ", ")) — "
            + ":back or :reset, then :run, to re-run"
    }

    static func uses(_ e: ValueExpression, _ name: String) -> Bool {
        switch e {
        case .literal: return false
        case .variable(let n, _): return n == name
        case .list(let items, _): return items.contains { uses($0, name) }
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
        for d in state.documents { for l in DocumentRenderer.showableLayers(d) where !out.contains(l) { out.append(l) } }
        return out
    }

    /// The stage registry, for completion.
    public var stageRegistry: StageRegistry { registry }
}
