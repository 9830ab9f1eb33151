import Foundation
import OrderedCollections
import PipelineCore

/// Navigation: running stages (`:step`, `:run`, a typed stage line) and choosing the documents in play (`:sample`,
/// `:only`).
extension REPLSession {
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
            let ofKind = StageKind(rawValue: what).map { kind in
                p.stages.indices.filter { p.stages[$0].descriptor.kind == kind }
            }
            if let n = Int(what), n >= 1, n <= p.stages.count {
                target = n
            } else if let i = p.stages.firstIndex(where: { $0.label == what || $0.descriptor.name == what }) {
                target = i + 1
            } else if let ofKind, ofKind.count == 1 {
                // A kind names the stage when it is the only one of its kind.
                target = ofKind[0] + 1
            } else if let ofKind, ofKind.count > 1 {
                let list = ofKind.map { "\($0 + 1) (\(p.stages[$0].label))" }.joined(separator: ", ")
                throw REPLError(
                    "the pipeline has \(ofKind.count) \(what) stages: \(list); :run to NUMBER or :run to NAME")
            } else {
                let names = p.stages.map(\.descriptor.name)
                throw REPLError(
                    "no stage '\(what)' in the pipeline\(Suggest.hint(for: what, in: names)); :stages lists them")
            }
        }
        guard target > state.position else {
            throw REPLError("stage \(target) has already run; :back or :reset to go back")
        }
        return try step(target - state.position)
    }

    /// Runs one resolved stage on the documents in play and records a new state.
    func runStage(_ stage: ResolvedStage, index: Int?) throws -> String {
        let started = DispatchTime.now().uptimeNanoseconds
        var next = state
        next.failures = []
        let kind = stage.descriptor.kind
        switch kind {
        case .load:
            let remaining = sampleLimit.map { max(0, $0 - state.documents.count) }
            // With an id filter the loader reads everything (the ids may be anywhere in the input); the filter and
            // the sample limit then apply to what it read.
            let records = try StageExecutor.load(
                stage, limit: onlyIDs == nil ? remaining : nil, cancellation: cancellation)
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

    func push(_ next: REPLState) {
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

    func layersInPlay() -> [Layer] {
        var set: [Layer] = [.text]
        for d in state.documents { for l in d.presentLayers where !set.contains(l) { set.append(l) } }
        return set
    }

    /// Builds one stage from a line, with the session's variables.
    func resolve(_ line: String, providedBefore: [Layer]) throws -> ResolvedStage {
        let statement = try parseStatement(line)
        var def = PipelineDefinition(file: "<repl>")
        def.stages = [statement]
        def.variables = variables
        def.sources = ["<repl>": line]
        let settings = BuildSettings(
            overrides: overrides.map { ($0.key, $0.value) }, jobs: jobs,
            requireLoaderAndWriter: false, providedBefore: providedBefore,
            commands: allowCommands(file ?? "<repl>") ? .allow : .refuse)
        let outcome = PipelineBuilder(registry: registry).build(def, settings: settings)
        guard let p = outcome.pipeline, let s = p.stages.first else {
            throw REPLError(
                outcome.diagnostics.filter { $0.severity == .error }.map { d in
                    d.location.map { "column \($0.column): " }.map { $0 + d.message } ?? d.message
                }.joined(separator: "\n"))
        }
        return s
    }

    func parseStatement(_ line: String) throws -> StageStatement {
        let def = PipelineDefinition.parse(text: line, file: "<repl>")
        if let e = def.diagnostics.first(where: { $0.severity == .error }) {
            throw REPLError(e.location.map { "column \($0.column): " + e.message } ?? e.message)
        }
        guard def.stages.count == 1 else { throw REPLError("expected one stage line such as: extract sentences") }
        return def.stages[0]
    }

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
}
