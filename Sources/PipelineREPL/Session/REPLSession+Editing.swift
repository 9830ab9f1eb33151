import Foundation
import OrderedCollections
import PipelineCore

/// Editing the pipeline: `:add`, `:set`, `:save`, `:write`.
extension REPLSession {
    /// `:add STAGE LINE`: the stage goes before the trailing write stages, without running.
    func add(_ line: String) throws -> String {
        guard !line.isEmpty else { throw REPLError(":add needs a stage line: :add summarize lead sentences=2") }
        var statement = try parseStatement(line)
        // Insert before the trailing write stages.
        var at = statements.count
        if statement.kind != .write {
            while at > 0 && statements[at - 1].kind == .write { at -= 1 }
        }
        let loc = SourceLocation(file: "<repl>", line: 1, column: 1)
        statement.kindLocation = statement.kindLocation.file == "<repl>" ? loc : statement.kindLocation
        try changingDefinition { statements.insert(statement, at: at) }
        // Stages after the new one keep their timings under their new numbers. When the new stage lands before the
        // next one to run (behind a write step that has run), it has not run: it is next, and the stages after it
        // run again after it.
        stageStats = Dictionary(uniqueKeysWithValues: stageStats.map { ($0.key >= at ? $0.key + 1 : $0.key, $0.value) })
        if at < state.position { state.position = at }
        return "added stage \(at + 1): \(statement.qualifiedName)"
    }

    /// `:save FILE`: the plugins, variables (with their current values) and stage lines, through the core's formatter.
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

    /// `:set NAME=VALUE`: changes a variable and says which stages use it and must re-run.
    func set(_ args: String) throws -> String {
        guard let eq = args.firstIndex(of: "="), eq != args.startIndex else {
            throw REPLError(":set takes NAME=VALUE")
        }
        let name = String(args[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(args[args.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard variables[name] != nil else {
            let names = Array(variables.keys)
            throw REPLError(
                "unknown variable '\(name)'\(Suggest.hint(for: name, in: names))"
                    + (names.isEmpty ? "; the pipeline declares none" : "; variables: \(names.joined(separator: ", "))")
            )
        }
        try changingDefinition { overrides[name] = value }
        // A stage uses the variable in an option value, or as its name (`load $source`).
        let users = statements.enumerated().filter { _, s in
            s.name == "$" + name || s.options.contains { Self.uses($0.value, name) }
        }
        guard !users.isEmpty else { return "\(name) = \(value); no stage uses it" }
        let list = users.map { "\($0.offset + 1) (\($0.element.qualifiedName))" }.joined(separator: ", ")
        let ran = users.filter { $0.offset < state.position }
        if ran.isEmpty { return "\(name) = \(value); used by stage \(list), which has not run yet" }
        return
            "\(name) = \(value); used by stage \(list); already run: \(ran.map { String($0.offset + 1) }.joined(separator: ", ")) — "
            + ":back or :reset, then :run, to re-run"
    }

    /// Whether `value` refers to the variable `name`.
    static func uses(_ value: ValueExpression, _ name: String) -> Bool {
        switch value {
        case .literal: return false
        case .variable(let n, _): return n == name
        case .list(let items, _): return items.contains { uses($0, name) }
        }
    }
}
