import OrderedCollections

/// Turns a parsed definition into a ``Pipeline``: resolves variables (after parsing, never by text substitution) and
/// `--set` overrides, looks up every stage, type- and range-checks every option, checks the stage order and that each
/// stage's required layers are provided by an earlier stage, and builds the instances. Every problem is collected, so
/// one run reports all of them.
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
    }

    /// Builds `definition` with `settings`.
    public func build(_ definition: PipelineDefinition, settings: BuildSettings = BuildSettings()) -> Outcome {
        var diags = definition.diagnostics
        // 1. Variables and overrides.
        var variables = OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>()
        var overridden: [String: OptionValue] = [:]
        for (name, raw) in settings.overrides {
            if definition.variables[name] == nil {
                let names = Array(definition.variables.keys)
                let declared = names.isEmpty ? "the pipeline declares no variables"
                    : "declared variables: \(names.joined(separator: ", "))"
                diags.append(.error("unknown variable '\(name)' in --set \(name)=\(raw)\(Suggest.hint(for: name, in: names))",
                                    notes: [declared]))
            } else {
                overridden[name] = PipeParser.parseCommandLineValue(raw)
            }
        }
        for (name, decl) in definition.variables {
            if let v = overridden[name] {
                variables[name] = (v, .setFlag(variable: name))
                continue
            }
            var scratch: [Diagnostic] = []
            if let v = resolve(decl.value, variables: variables, diagnostics: &scratch) {
                variables[name] = (v, .variable(name: name, declaredAt: decl.location))
            }
            diags += scratch
        }

        // 2. Stages.
        var stages: [ResolvedStage] = []
        var provided: [Layer: String] = [:]
        for l in settings.providedBefore { provided[l] = "the documents at hand" }
        var lastPhase = 0
        var lastKindSeen: StageKind?
        // After an unknown stage, what is provided is unknown: skip requires checks rather than report cascades.
        var unknownStageSeen = false
        let firstLoader = definition.stages.firstIndex { $0.kind == .load }
        let lastWriter = definition.stages.lastIndex { $0.kind == .write }
        for (index, st) in definition.stages.enumerated() {
            // Order.
            if st.kind.phase < lastPhase, let prev = lastKindSeen {
                let rule = st.kind == .load ? "load stages must come first" : "write stages must come last"
                diags.append(.error("'\(st.qualifiedName)' cannot come after a \(prev) stage; \(rule)",
                                    at: st.kindLocation))
            } else {
                lastPhase = st.kind.phase
                lastKindSeen = st.kind
            }
            guard let factory = registry.factory(kind: st.kind, name: st.name) else {
                let names = registry.names(of: st.kind)
                var notes: [String] = []
                let elsewhere = registry.kinds(named: st.name)
                if !elsewhere.isEmpty {
                    notes.append("'\(st.name)' is \(elsewhere.map { "a \($0)" }.joined(separator: " and a ")) stage: write '\(elsewhere[0]) \(st.name)'")
                }
                notes.append("\(st.kind) stages: \(names.isEmpty ? "none registered" : names.joined(separator: ", "))")
                diags.append(.error("unknown \(st.kind) stage '\(st.name)'\(Suggest.hint(for: st.name, in: names))",
                                    at: st.nameLocation, notes: notes))
                unknownStageSeen = true
                continue
            }
            var d = factory.descriptor
            if factory.runsCommands {
                switch settings.commands {
                case .allow:
                    break
                case .refuse, .note:
                    let message = "'\(st.qualifiedName)' runs an external command"
                    let how = "allow it with --allow-commands, or list \(definition.file) in the trust file (see the README)"
                    if settings.commands == .refuse {
                        diags.append(.error(message + "; " + how, at: st.kindLocation))
                    } else {
                        diags.append(Diagnostic(.warning, message + "; its own options are checked only with --allow-commands",
                                                at: st.kindLocation, notes: [how]))
                    }
                    unknownStageSeen = true
                    continue
                }
            }
            if let describe = factory.describe {
                // The stage describes itself at run time: resolve the options it always takes, then ask it.
                var base = StageOptions()
                var baseOK = true
                for a in st.options {
                    guard let spec = d.option(a.key) else { continue }
                    if let (v, o) = value(of: a, spec: spec, stage: d, variables: variables, diagnostics: &diags) {
                        base.set(a.key, v, origin: o)
                    } else {
                        baseOK = false
                    }
                }
                for spec in d.options where !base.has(spec.name) {
                    if let def = spec.defaultValue {
                        base.set(spec.name, def, origin: .defaultValue)
                    } else if spec.isRequired {
                        diags.append(.error("stage '\(d.qualifiedName)' needs option '\(spec.name)' (\(spec.type)): \(spec.help)",
                                            at: st.nameLocation))
                        baseOK = false
                    }
                }
                guard baseOK else {
                    unknownStageSeen = true
                    continue
                }
                do {
                    d = try describe(base, StageContext(definitionFile: definition.file, location: st.kindLocation,
                                                        jobs: settings.jobs))
                } catch let e as StageConfigurationError {
                    let at = e.option.flatMap { key in st.options.first { $0.key == key }?.keyLocation } ?? st.nameLocation
                    diags.append(.error("\(st.qualifiedName): \(e.message)", at: at))
                    unknownStageSeen = true
                    continue
                } catch {
                    diags.append(.error("\(st.qualifiedName): \(error)", at: st.nameLocation))
                    unknownStageSeen = true
                    continue
                }
            }
            var options = StageOptions()
            var optionLocations: [String: SourceLocation] = [:]
            var stageOK = true
            for a in st.options {
                guard let spec = d.option(a.key) else {
                    let names = d.options.map(\.name)
                    diags.append(.error(
                        "unknown option '\(a.key)' for stage '\(d.qualifiedName)'\(Suggest.hint(for: a.key, in: names))",
                        at: a.keyLocation,
                        notes: [names.isEmpty ? "'\(d.qualifiedName)' takes no options"
                                : "options of '\(d.qualifiedName)': \(names.joined(separator: ", "))"]))
                    stageOK = false
                    continue
                }
                if let prev = optionLocations[a.key] {
                    diags.append(.error("option '\(a.key)' is given twice (first at \(prev))", at: a.keyLocation))
                    stageOK = false
                    continue
                }
                optionLocations[a.key] = a.keyLocation
                if let (v, o) = value(of: a, spec: spec, stage: d, variables: variables, diagnostics: &diags) {
                    options.set(a.key, v, origin: o)
                } else {
                    stageOK = false
                }
            }
            // Command-line replacements of loader/writer locations.
            if index == firstLoader, let input = settings.input, d.option("path") != nil {
                options.set("path", .string(input), origin: .flag("--input"))
            }
            if index == lastWriter, let output = settings.output, d.option("path") != nil {
                options.set("path", .string(output), origin: .flag("--output"))
            }
            let given = Set(st.options.map(\.key))
            for spec in d.options where !options.has(spec.name) && !given.contains(spec.name) {
                if let def = spec.defaultValue {
                    options.set(spec.name, def, origin: .defaultValue)
                } else if spec.isRequired {
                    diags.append(.error("stage '\(d.qualifiedName)' needs option '\(spec.name)' (\(spec.type)): \(spec.help)",
                                        at: st.nameLocation))
                    stageOK = false
                }
            }
            // Requirements.
            for layer in d.requires where provided[layer] == nil && !unknownStageSeen {
                let providers = registry.descriptors.filter { $0.provides.contains(layer) && $0.kind != .load }
                    .map { "'\($0.qualifiedName)'" }
                let have = provided.keys.sorted().map(\.name).joined(separator: ", ")
                var notes = ["provided so far: \(have.isEmpty ? "nothing" : have)"]
                if !providers.isEmpty { notes.append("add \(providers.joined(separator: " or ")) before this line") }
                diags.append(.error("stage '\(d.qualifiedName)' requires '\(layer)', which no earlier stage provides",
                                    at: st.kindLocation, notes: notes))
            }
            guard stageOK else {
                for l in d.provides { provided[l] = d.qualifiedName }
                continue
            }
            let context = StageContext(definitionFile: definition.file, location: st.kindLocation, jobs: settings.jobs)
            do {
                let instance = try factory.make(options, context)
                var rs = ResolvedStage(descriptor: d, options: options, location: st.kindLocation, instance: instance)
                rs.runsCommands = factory.runsCommands
                for l in rs.provides { provided[l] = d.qualifiedName }
                stages.append(rs)
            } catch let e as StageConfigurationError {
                let at = e.option.flatMap { optionLocations[$0] } ?? st.nameLocation
                diags.append(.error("\(d.qualifiedName): \(e.message)", at: at))
                for l in d.provides { provided[l] = d.qualifiedName }
            } catch {
                diags.append(.error("\(d.qualifiedName): \(error)", at: st.nameLocation))
            }
        }
        if settings.requireLoaderAndWriter && definition.diagnostics.isEmpty {
            let fileLoc = SourceLocation(file: definition.file, line: 1, column: 1)
            if firstLoader == nil {
                diags.append(.error("the pipeline has no load stage", at: fileLoc,
                                    notes: ["add a line such as: load jsonl path=\"articles.jsonl\""]))
            }
            if lastWriter == nil {
                diags.append(.error("the pipeline has no write stage", at: fileLoc,
                                    notes: ["add a line such as: write jsonl path=\"out/result.jsonl\""]))
            }
        }
        let ordered = diags.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x.file != y.file { return a.offset < b.offset }
                return x.line != y.line ? x.line < y.line : (x.column != y.column ? x.column < y.column : a.offset < b.offset)
            }
        }.map(\.element)
        let ok = !ordered.contains { $0.severity == .error }
        let pipeline = ok ? Pipeline(name: definition.name, file: definition.file, stages: stages, variables: variables)
            : nil
        return Outcome(pipeline: pipeline, diagnostics: ordered, sources: definition.sources)
    }

    /// The value of one `key=value`: variables resolved, checked against the option's type and range; nil (with the
    /// problem added to `diagnostics`) when it does not fit.
    private func value(of a: OptionAssignment, spec: OptionSpec, stage d: StageDescriptor,
                       variables: OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>,
                       diagnostics: inout [Diagnostic]) -> (OptionValue, ValueOrigin)? {
        guard let raw = resolve(a.value, variables: variables, diagnostics: &diagnostics) else { return nil }
        switch raw.conformed(to: spec.type) {
        case .failure(let m):
            diagnostics.append(.error("option '\(a.key)' of '\(d.qualifiedName)': \(m.message)",
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

    /// Resolves variables in a value expression.
    private func resolve(_ e: ValueExpression,
                         variables: OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>,
                         diagnostics: inout [Diagnostic]) -> OptionValue? {
        switch e {
        case .literal(let v, _): return v
        case .variable(let name, let loc):
            if let v = variables[name] { return v.value }
            let names = Array(variables.keys)
            diagnostics.append(.error("undefined variable '$\(name)'\(Suggest.hint(for: name, in: names))", at: loc,
                                      notes: ["declare it earlier with: let \(name) = VALUE"]))
            return nil
        case .list(let items, _):
            var out: [OptionValue] = []
            var ok = true
            for i in items {
                if let v = resolve(i, variables: variables, diagnostics: &diagnostics) { out.append(v) } else { ok = false }
            }
            return ok ? .list(out) : nil
        }
    }

    private func origin(of e: ValueExpression,
                        variables: OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>) -> ValueOrigin {
        if case .variable(let name, _) = e, let v = variables[name] { return v.origin }
        return .file(e.location)
    }
}
