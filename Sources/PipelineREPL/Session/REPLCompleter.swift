import Foundation
import PipelineCore

/// Context-aware completion for the REPL: commands; stage kinds and names; option keys of the stage being typed
/// (`summarize lead sen` → `sentences=`) and allowed values; document ids and layers after `:show`; variables after
/// `:set`; file paths after `:open`, `:save` and `:write`.
public struct REPLCompleter {
    let session: REPLSession

    /// Creates a completer over a session.
    public init(session: REPLSession) { self.session = session }

    /// Candidates replacing the last word of `before` (the text left of the cursor).
    public func candidates(_ before: String) -> [String] {
        let endsWithSpace = before.hasSuffix(" ") || before.isEmpty
        var words = before.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let current = endsWithSpace ? "" : (words.popLast() ?? "")
        let all: [String]
        if words.isEmpty {
            if current.hasPrefix(":") {
                all = REPLCommand.all.map { ":" + $0.name }
            } else {
                all =
                    StageKind.allCases.map(\.rawValue) + (current.isEmpty ? REPLCommand.all.map { ":" + $0.name } : [])
            }
        } else if words[0].hasPrefix(":") {
            all = commandArguments(String(words[0].dropFirst()), Array(words.dropFirst()), current)
        } else {
            all = stageLine(words, current)
        }
        return all.filter { $0.hasPrefix(current) }.sorted()
    }

    private func commandArguments(_ command: String, _ args: [String], _ current: String) -> [String] {
        switch REPLCommand.find(command).match?.name ?? command {
        case "help": return args.isEmpty ? REPLCommand.all.map(\.name) : []
        case "show": return args.isEmpty ? session.documentIDs : (args.count == 1 ? session.layerNames : [])
        case "json": return args.isEmpty ? session.documentIDs : []
        case "only": return session.documentIDs.filter { !args.contains($0) }
        case "open": return args.isEmpty ? paths(current, extensions: [".pipe"]) : []
        case "save": return args.isEmpty ? paths(current, extensions: [".pipe"]) : []
        case "write": return args.isEmpty ? paths(current, extensions: [".jsonl"]) : []
        case "set": return args.isEmpty ? session.variableNames.map { $0 + "=" } : []
        case "mode": return args.isEmpty ? ["table", "json"] : []
        case "timer": return args.isEmpty ? ["on", "off"] : []
        case "sample": return args.isEmpty ? ["all"] : []
        case "run":
            if args.isEmpty { return ["to"] }
            if args == ["to"] { return (session.pipeline?.stages ?? []).map(\.descriptor.name) }
            return []
        case "add":
            if args.isEmpty { return StageKind.allCases.map(\.rawValue) }
            return stageLine(args, current)
        default: return []
        }
    }

    private func stageLine(_ words: [String], _ current: String) -> [String] {
        guard let kind = StageKind(rawValue: words[0]) else { return [] }
        let registry = session.stageRegistry
        if words.count == 1 { return registry.names(of: kind) }
        guard let d = registry.factory(kind: kind, name: words[1])?.descriptor else { return [] }
        if let eq = current.firstIndex(of: "=") {
            let key = String(current[..<eq])
            guard let spec = d.option(key) else { return [] }
            let values: [String]
            switch spec.type {
            case .oneOf(let v): values = v
            case .bool: values = ["true", "false"]
            case .path: values = paths(String(current[current.index(after: eq)...]), extensions: [])
            default: values = []
            }
            return values.map { "\(key)=\($0)" }
        }
        let given = Set(words.dropFirst(2).compactMap { $0.split(separator: "=").first.map(String.init) })
        return d.options.map(\.name).filter { !given.contains($0) }.map { $0 + "=" }
    }

    /// Files and folders starting with `prefix` (folders end with `/`).
    func paths(_ prefix: String, extensions: [String]) -> [String] {
        let dir: String
        let namePrefix: String
        if let slash = prefix.lastIndex(of: "/") {
            dir = String(prefix[...slash])
            namePrefix = String(prefix[prefix.index(after: slash)...])
        } else {
            dir = ""
            namePrefix = prefix
        }
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        var out: [String] = []
        for name in listing where name.hasPrefix(namePrefix) && (!name.hasPrefix(".") || namePrefix.hasPrefix(".")) {
            var isDir: ObjCBool = false
            let full = dir + name
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDir)
            if isDir.boolValue {
                out.append(full + "/")
            } else if extensions.isEmpty || extensions.contains(where: { name.hasSuffix($0) }) {
                out.append(full)
            }
        }
        return out
    }
}
