import OrderedCollections

/// Turns a parsed definition into a ``Pipeline``: resolves variables (after parsing, never by text substitution) and
/// `--set` overrides, looks up every stage, type- and range-checks every option, checks the stage order and that each
/// stage's required layers are provided by an earlier stage, builds the instances and (unless only checking)
/// prepares them. Every problem is collected, so one run reports all of them.
public struct PipelineBuilder: Sendable {
    /// The stages that may be named.
    public var registry: StageRegistry

    /// Creates a builder over `registry`.
    public init(registry: StageRegistry) { self.registry = registry }

    /// The result of a build: the pipeline when there was no error, and every diagnostic.
    public struct Outcome: Sendable {
        /// The pipeline, `nil` when any error was found.
        public var pipeline: Pipeline?
        /// Errors and warnings, in file order.
        public var diagnostics: [Diagnostic]
        /// The text of every file read (for excerpts).
        public var sources: [String: String]
        /// The registry the stages were looked up in: the builder's, plus the stages of the definition's plugins.
        public var registry: StageRegistry
    }

    /// Variables with their values and origins.
    typealias Variables = OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>

    /// The most items (values at any depth) one option value may hold once variables are expanded; bigger values are
    /// errors rather than minutes of work (`let a = [$b, $b]` doubles at every line).
    static let maxValueItems = 100_000

    /// Builds `definition` with `settings`.
    public func build(_ definition: PipelineDefinition, settings: BuildSettings = BuildSettings()) -> Outcome {
        var state = BuildState(definition: definition, settings: settings, registry: registry)
        loadPlugins(&state)
        (state.variables, state.unusable) = resolveVariables(definition, settings, &state.diagnostics)
        for (index, statement) in definition.stages.enumerated() {
            buildStage(statement, index: index, &state)
        }
        if settings.requireLoaderAndWriter && definition.diagnostics.isEmpty { checkEnds(&state) }
        let ordered = Self.fileOrder(state.diagnostics)
        let ok = !ordered.contains { $0.severity == .error }
        guard ok else {
            return Outcome(pipeline: nil, diagnostics: ordered, sources: definition.sources, registry: state.registry)
        }
        var pipeline = Pipeline(
            name: definition.name, file: definition.file, stages: state.stages,
            variables: state.variables)
        if settings.prepare {
            let problems = prepare(&pipeline, resources: settings.resources)
            if !problems.isEmpty {
                pipeline.shutdown()
                return Outcome(
                    pipeline: nil, diagnostics: Self.fileOrder(ordered + problems), sources: definition.sources,
                    registry: state.registry)
            }
        }
        return Outcome(pipeline: pipeline, diagnostics: ordered, sources: definition.sources, registry: state.registry)
    }

    /// What a build accumulates, stage after stage.
    struct BuildState {
        let definition: PipelineDefinition
        let settings: BuildSettings
        /// The builder's registry plus the stages of the plugins loaded so far.
        var registry: StageRegistry
        /// `plugin` lines not loaded (refused, failed, or `check` without permission): a stage that is not registered may
        /// be theirs, so it is a warning, not one more error after the plugin's own.
        var unloadedPlugins: [PluginStatement] = []
        var diagnostics: [Diagnostic]
        var variables = Variables()
        /// Variables whose value is in error (reported once, at their `let`).
        var unusable = Set<String>()
        var stages: [ResolvedStage] = []
        /// Layers provided so far, with the stage that provides each.
        var provided: [Layer: String] = [:]
        var lastPhase = 0
        var lastKindSeen: StageKind?
        /// After an unknown stage, what is provided is unknown: requires checks are skipped rather than cascade.
        var providedUnknown = false
        let firstLoader: Int?
        let lastWriter: Int?

        init(definition: PipelineDefinition, settings: BuildSettings, registry: StageRegistry) {
            self.definition = definition
            self.settings = settings
            self.registry = registry
            diagnostics = definition.diagnostics
            for l in settings.providedBefore { provided[l] = "the documents at hand" }
            firstLoader = definition.stages.firstIndex { $0.kind == .load }
            lastWriter = definition.stages.lastIndex { $0.kind == .write }
        }

        func context(_ statement: StageStatement) -> StageContext {
            StageContext(definitionFile: definition.file, location: statement.kindLocation, jobs: settings.jobs)
        }
    }

    // MARK: steps

    /// Step 0: the `plugin` lines, loaded and registered when the file may run code (as for command stages).
    private func loadPlugins(_ state: inout BuildState) {
        for p in state.definition.plugins {
            if state.settings.commands != .allow {
                let message = "'plugin \(OptionValue.quote(p.written))' loads code into the pipeline"
                let how = Self.permissionHint(state.definition.file)
                if state.settings.commands == .refuse {
                    state.diagnostics.append(
                        .error(
                            message + "; " + how, at: p.location,
                            notes: ["or name the library on the command line: --plugin \(p.path)"]))
                } else {
                    state.diagnostics.append(
                        Diagnostic(
                            .warning, message + "; its stages are checked only with --allow-commands",
                            at: p.location, notes: [how]))
                }
                state.unloadedPlugins.append(p)
                continue
            }
            do {
                let plugin = try state.settings.plugins.load(p.path)
                try state.registry.register(plugin: plugin)
            } catch {
                state.diagnostics.append(.error(error.description, at: p.location))
                state.unloadedPlugins.append(p)
            }
        }
    }

    /// How to give a file permission to run commands or load plugins.
    static func permissionHint(_ file: String) -> String {
        "allow it with --allow-commands, or list \(file) in the trust file (see the README)"
    }

    /// Step 1: `let` declarations in order, each replaced by its `--set` override when there is one.
    private func resolveVariables(
        _ definition: PipelineDefinition, _ settings: BuildSettings,
        _ diags: inout [Diagnostic]
    ) -> (Variables, Set<String>) {
        var overridden: [String: OptionValue] = [:]
        for (name, raw) in settings.overrides {
            if definition.variables[name] == nil {
                let names = Array(definition.variables.keys)
                let declared =
                    names.isEmpty
                    ? "the pipeline declares no variables"
                    : "declared variables: \(names.joined(separator: ", "))"
                diags.append(
                    .error(
                        "unknown variable '\(name)' in --set \(name)=\(OptionValue.abbreviate(raw))"
                            + Suggest.hint(for: name, in: names), notes: [declared]))
            } else {
                overridden[name] = PipeParser.parseCommandLineValue(raw)
            }
        }
        var variables = Variables()
        var unusable = Set<String>()
        for (name, decl) in definition.variables {
            if let v = overridden[name] {
                variables[name] = (v, .setFlag(variable: name))
            } else if let v = resolve(decl.value, variables: variables, unusable: unusable, diagnostics: &diags) {
                variables[name] = (v, .variable(name: name, declaredAt: decl.location))
            } else {
                // Already reported at its own line: later uses say nothing more.
                unusable.insert(name)
            }
        }
        return (variables, unusable)
    }

    /// Step 2, for each stage line: order, look-up, permission, options, requires, instance.
    private func buildStage(_ statement: StageStatement, index: Int, _ state: inout BuildState) {
        var st = statement
        // A stage named by a variable (`summarize $method`): its value, a string, is the name.
        if st.name.hasPrefix("$") {
            let variable = String(st.name.dropFirst())
            guard let v = state.variables[variable] else {
                if !state.unusable.contains(variable) {
                    state.diagnostics.append(
                        .error(
                            "undefined variable '\(st.name)'\(Suggest.hint(for: variable, in: Array(state.variables.keys)))",
                            at: st.nameLocation, notes: ["declare it earlier with: let \(variable) = \"name\""]))
                }
                state.providedUnknown = true
                return
            }
            guard case .string(let name) = v.value else {
                state.diagnostics.append(
                    .error(
                        "'\(st.name)' names a stage, so it must be a string; it is \(v.value.typeName) \(v.value.abbreviated())",
                        at: st.nameLocation))
                state.providedUnknown = true
                return
            }
            st.name = name
        }
        checkOrder(st, &state)
        guard let factory = lookUp(st, &state), permitted(st, factory, &state) else {
            state.providedUnknown = true
            return
        }
        guard let d = descriptor(for: st, factory, &state) else {
            state.providedUnknown = true
            return
        }
        var (options, locations, ok) = resolveOptions(st, d, &state)
        bindCommandLine(st, d, index: index, &options, &state)
        ok = fillDefaults(st, d, given: Set(st.options.map(\.key)), &options, &state.diagnostics) && ok
        checkRequires(st, d, &state)
        guard ok else {
            for l in d.provides { state.provided[l] = d.qualifiedName }
            return
        }
        do {
            let instance = try factory.make(options, state.context(st))
            var rs = ResolvedStage(
                descriptor: d, options: options, location: st.kindLocation, instance: instance,
                optionLocations: locations)
            rs.runsCommands = factory.runsCommands
            for l in rs.provides { state.provided[l] = d.qualifiedName }
            state.stages.append(rs)
        } catch let e as StageConfigurationError {
            let at = e.option.flatMap { locations[$0] } ?? st.nameLocation
            state.diagnostics.append(.error("\(d.qualifiedName): \(e.message)", at: at))
            for l in d.provides { state.provided[l] = d.qualifiedName }
        } catch {
            state.diagnostics.append(.error("\(d.qualifiedName): \(error)", at: st.nameLocation))
            // What it would have provided counts as provided: later stages get no "requires" errors after this one.
            for l in d.provides { state.provided[l] = d.qualifiedName }
        }
    }

    /// Loaders first, then transforms, then writers.
    private func checkOrder(_ statement: StageStatement, _ state: inout BuildState) {
        if statement.kind.phase < state.lastPhase, let prev = state.lastKindSeen {
            let rule = statement.kind == .load ? "load stages must come first" : "write stages must come last"
            state.diagnostics.append(
                .error(
                    "'\(statement.qualifiedName)' cannot come after a \(prev) stage; \(rule)",
                    at: statement.kindLocation))
        } else {
            state.lastPhase = statement.kind.phase
            state.lastKindSeen = statement.kind
        }
    }

    /// The registered factory, or an error with did-you-mean and the kinds that do have that name.
    private func lookUp(_ statement: StageStatement, _ state: inout BuildState) -> StageFactory? {
        let registry = state.registry
        if let f = registry.factory(kind: statement.kind, name: statement.name) { return f }
        if let p = state.unloadedPlugins.first {
            state.diagnostics.append(
                Diagnostic(
                    .warning,
                    "'\(statement.qualifiedName)' is not checked: it is not a built-in stage, "
                        + "and the plugin at \(p.location) was not loaded", at: statement.nameLocation))
            return nil
        }
        let names = registry.names(of: statement.kind)
        var notes: [String] = []
        let elsewhere = registry.kinds(named: statement.name)
        if !elsewhere.isEmpty {
            notes.append(
                "'\(statement.name)' is \(elsewhere.map { "a \($0)" }.joined(separator: " and a ")) stage: write '\(elsewhere[0]) \(statement.name)'"
            )
        }
        notes.append("\(statement.kind) stages: \(names.isEmpty ? "none registered" : names.joined(separator: ", "))")
        state.diagnostics.append(
            .error(
                "unknown \(statement.kind) stage '\(statement.name)'\(Suggest.hint(for: statement.name, in: names))",
                at: statement.nameLocation, notes: notes))
        return nil
    }

    /// Whether a stage that runs commands may start them; an error (or, for `check`, a warning) when not.
    private func permitted(_ statement: StageStatement, _ factory: StageFactory, _ state: inout BuildState) -> Bool {
        guard factory.runsCommands, state.settings.commands != .allow else { return true }
        let message = "'\(statement.qualifiedName)' runs an external command"
        let how = Self.permissionHint(state.definition.file)
        if state.settings.commands == .refuse {
            state.diagnostics.append(.error(message + "; " + how, at: statement.kindLocation))
        } else {
            state.diagnostics.append(
                Diagnostic(
                    .warning, message + "; its own options are checked only with --allow-commands",
                    at: statement.kindLocation, notes: [how]))
        }
        return false
    }

    /// The descriptor; a stage that describes itself at run time is asked, given the options it always takes.
    private func descriptor(
        for st: StageStatement, _ factory: StageFactory, _ state: inout BuildState
    ) -> StageDescriptor? {
        let d = factory.descriptor
        guard let describe = factory.describe else { return d }
        var base = StageOptions()
        var ok = true
        for a in st.options {
            guard let spec = d.option(a.key) else { continue }
            if let (v, o) = value(
                of: a, spec: spec, stage: d, variables: state.variables, unusable: state.unusable,
                diagnostics: &state.diagnostics)
            {
                base.set(a.key, v, origin: o)
            } else {
                ok = false
            }
        }
        ok = fillDefaults(st, d, given: [], &base, &state.diagnostics) && ok
        guard ok else { return nil }
        do {
            return try describe(base, state.context(st))
        } catch let e as StageConfigurationError {
            let at = e.option.flatMap { key in st.options.first { $0.key == key }?.keyLocation } ?? st.nameLocation
            state.diagnostics.append(.error("\(st.qualifiedName): \(e.message)", at: at))
        } catch {
            state.diagnostics.append(.error("\(st.qualifiedName): \(error)", at: st.nameLocation))
        }
        return nil
    }

    /// The options written on the line: known, given once, of the right type and range.
    private func resolveOptions(
        _ statement: StageStatement, _ descriptor: StageDescriptor, _ state: inout BuildState
    )
        -> (StageOptions, [String: SourceLocation], Bool)
    {
        var options = StageOptions()
        var locations: [String: SourceLocation] = [:]
        var ok = true
        for a in statement.options {
            guard let spec = descriptor.option(a.key) else {
                let names = descriptor.options.map(\.name)
                state.diagnostics.append(
                    .error(
                        "unknown option '\(a.key)' for stage '\(descriptor.qualifiedName)'\(Suggest.hint(for: a.key, in: names))",
                        at: a.keyLocation,
                        notes: [
                            names.isEmpty
                                ? "'\(descriptor.qualifiedName)' takes no options"
                                : "options of '\(descriptor.qualifiedName)': \(names.joined(separator: ", "))"
                        ]))
                ok = false
                continue
            }
            if let prev = locations[a.key] {
                state.diagnostics.append(
                    .error("option '\(a.key)' is given twice (first at \(prev))", at: a.keyLocation))
                ok = false
                continue
            }
            locations[a.key] = a.keyLocation
            if let (v, o) = value(
                of: a, spec: spec, stage: descriptor, variables: state.variables, unusable: state.unusable,
                diagnostics: &state.diagnostics)
            {
                options.set(a.key, v, origin: o)
            } else {
                ok = false
            }
        }
        return (options, locations, ok)
    }

    /// `--input` replaces the first loader's input option, `--output` the last writer's output option.
    private func bindCommandLine(
        _ statement: StageStatement, _ descriptor: StageDescriptor, index: Int, _ options: inout StageOptions,
        _ state: inout BuildState
    ) {
        let bindings: [(flag: String, value: String?, role: OptionRole, applies: Bool)] = [
            ("--input", state.settings.input, .input, index == state.firstLoader),
            ("--output", state.settings.output, .output, index == state.lastWriter),
        ]
        for b in bindings where b.applies {
            guard let value = b.value else { continue }
            guard let spec = descriptor.option(role: b.role) else {
                state.diagnostics.append(
                    .error(
                        "\(b.flag) cannot replace anything in '\(descriptor.qualifiedName)': it declares no \(b.role) option",
                        at: statement.kindLocation))
                continue
            }
            options.set(spec.name, .string(value), origin: .flag(b.flag))
        }
    }

    /// Defaults for options not given; an error for each required one missing.
    private func fillDefaults(
        _ statement: StageStatement, _ descriptor: StageDescriptor, given: Set<String>,
        _ options: inout StageOptions, _ diags: inout [Diagnostic]
    ) -> Bool {
        var ok = true
        for spec in descriptor.options where !options.has(spec.name) && !given.contains(spec.name) {
            if let def = spec.defaultValue {
                options.set(spec.name, def, origin: .defaultValue)
            } else if spec.isRequired {
                diags.append(
                    .error(
                        "stage '\(descriptor.qualifiedName)' needs option '\(spec.name)' (\(spec.type)): \(spec.help)",
                        at: statement.nameLocation))
                ok = false
            }
        }
        return ok
    }

    /// Every layer the stage requires is provided by an earlier stage (naming the stages that would provide it).
    private func checkRequires(_ statement: StageStatement, _ descriptor: StageDescriptor, _ state: inout BuildState) {
        guard !state.providedUnknown else { return }
        for layer in descriptor.requires where state.provided[layer] == nil {
            let providers = state.registry.descriptors.filter { $0.provides.contains(layer) && $0.kind != .load }
                .map { "'\($0.qualifiedName)'" }
            let have = state.provided.keys.sorted().map(\.name).joined(separator: ", ")
            var notes = ["provided so far: \(have.isEmpty ? "nothing" : have)"]
            if !providers.isEmpty { notes.append("add \(providers.joined(separator: " or ")) before this line") }
            state.diagnostics.append(
                .error(
                    "stage '\(descriptor.qualifiedName)' requires '\(layer)', which no earlier stage provides",
                    at: statement.kindLocation, notes: notes))
        }
    }

    /// `run` and `check` need a loader and a writer.
    private func checkEnds(_ state: inout BuildState) {
        let fileLoc = SourceLocation(file: state.definition.file, line: 1, column: 1)
        if state.firstLoader == nil {
            state.diagnostics.append(
                .error(
                    "the pipeline has no load stage", at: fileLoc,
                    notes: ["add a line such as: load jsonl path=\"articles.jsonl\""]))
        }
        if state.lastWriter == nil {
            state.diagnostics.append(
                .error(
                    "the pipeline has no write stage", at: fileLoc,
                    notes: ["add a line such as: write jsonl path=\"out/result.jsonl\""]))
        }
    }

    /// Step 3: each stage loads its resources; failures are errors at the stage's line.
    private func prepare(_ pipeline: inout Pipeline, resources: ResourceCache) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for k in pipeline.stages.indices {
            let st = pipeline.stages[k]
            do {
                try pipeline.stages[k].instance.prepare(resources)
            } catch let e as StageConfigurationError {
                let at = e.option.flatMap { st.optionLocations[$0] } ?? st.location
                out.append(.error("\(st.label): \(e.message)", at: at))
            } catch {
                out.append(.error("\(st.label): \(error)", at: st.location))
            }
        }
        return out
    }

    /// Diagnostics by file position (diagnostics without a location first, others in the order found).
    private static func fileOrder(_ diags: [Diagnostic]) -> [Diagnostic] {
        diags.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x.file != y.file { return a.offset < b.offset }
                return x.line != y.line
                    ? x.line < y.line : (x.column != y.column ? x.column < y.column : a.offset < b.offset)
            }
        }.map(\.element)
    }

    // MARK: values

    /// The value of one `key=value`: variables resolved, checked against the option's type and range; nil (with the
    /// problem added to `diagnostics`) when it does not fit.
    private func value(
        of a: OptionAssignment, spec: OptionSpec, stage d: StageDescriptor, variables: Variables,
        unusable: Set<String>, diagnostics: inout [Diagnostic]
    ) -> (OptionValue, ValueOrigin)? {
        guard let raw = resolve(a.value, variables: variables, unusable: unusable, diagnostics: &diagnostics) else {
            return nil
        }
        switch raw.conformed(to: spec.type) {
        case .failure(let m):
            diagnostics.append(
                .error(
                    "option '\(a.key)' of '\(d.qualifiedName)': \(m.message)",
                    at: a.value.location, notes: spec.help.isEmpty ? [] : [spec.help]))
            return nil
        case .success(let v):
            if let problem = spec.rangeProblem(v) {
                diagnostics.append(.error(problem, at: a.value.location))
                return nil
            }
            return (v, origin(of: a.value, variables: variables))
        }
    }

    /// Resolves variables in a value expression; a value that would hold more than ``maxValueItems`` items is an
    /// error at its location.
    private func resolve(
        _ expression: ValueExpression, variables: Variables, unusable: Set<String> = [],
        diagnostics: inout [Diagnostic]
    ) -> OptionValue? {
        var budget = Self.maxValueItems
        var failed = false
        let v = resolve(
            expression, variables: variables, unusable: unusable, budget: &budget, failed: &failed,
            diagnostics: &diagnostics)
        if failed { return nil }
        if budget < 0 {
            diagnostics.append(
                .error(
                    "this value holds more than \(Self.maxValueItems) items once variables are expanded",
                    at: expression.location, notes: ["an option value is a word, a number or a short list"]))
            return nil
        }
        return v
    }

    private func resolve(
        _ expression: ValueExpression, variables: Variables, unusable: Set<String>, budget: inout Int,
        failed: inout Bool, diagnostics: inout [Diagnostic]
    ) -> OptionValue? {
        guard budget >= 0 else { return nil }
        switch expression {
        case .literal(let v, _):
            budget -= 1
            return v
        case .variable(let name, let loc):
            if let v = variables[name] {
                budget -= v.value.itemCount(limit: budget + 1)
                return budget >= 0 ? v.value : nil
            }
            failed = true
            if unusable.contains(name) { return nil }
            let names = Array(variables.keys)
            diagnostics.append(
                .error(
                    "undefined variable '$\(name)'\(Suggest.hint(for: name, in: names))", at: loc,
                    notes: ["declare it earlier with: let \(name) = VALUE"]))
            return nil
        case .list(let items, _):
            budget -= 1
            var out: [OptionValue] = []
            for i in items {
                let v = resolve(
                    i, variables: variables, unusable: unusable, budget: &budget, failed: &failed,
                    diagnostics: &diagnostics)
                guard budget >= 0 else { return nil }
                if let v { out.append(v) }
            }
            return failed ? nil : .list(out)
        }
    }

    private func origin(of e: ValueExpression, variables: Variables) -> ValueOrigin {
        if case .variable(let name, _) = e, let v = variables[name] { return v.origin }
        return .file(e.location)
    }
}
