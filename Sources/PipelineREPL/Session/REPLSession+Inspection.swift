import Foundation
import OrderedCollections
import PipelineCore

/// Inspection: the documents in play (`:docs`, `:show`, `:why`, `:actors`), the pipeline (`:stages`, `:plugins`) and
/// help.
extension REPLSession {
    /// `:docs`: a table of the documents in play (one JSON object per document in json mode).
    func docs() -> String {
        if state.documents.isEmpty { return "no documents in play; :step runs the load stage" }
        if mode == .json { return state.documents.map(renderer.jsonRow).joined(separator: "\n") }
        return renderer.table(state.documents) + "\n\(state.documents.count) documents in play"
            + (sampleLimit.map { " (sample limit \($0))" } ?? "")
    }

    /// `:show ID [LAYER]`: the text with a layer highlighted (the document's JSON in json mode).
    func show(_ args: String) throws -> String {
        let parts = args.split(separator: " ").map(String.init)
        guard let id = parts.first else { throw REPLError(":show needs a document id; :docs lists them") }
        let d = try document(id)
        if mode == .json { return d.jsonText }
        return try renderer.show(d, layer: parts.count > 1 ? parts[1] : nil)
    }

    /// `:json ID`: the document as indented JSON.
    func json(_ text: String) throws -> String {
        guard !text.isEmpty else { throw REPLError(":json needs a document id; :docs lists them") }
        return renderer.json(try document(text))
    }

    /// `:diff`: what the last step added, changed or removed, per document.
    func diff() throws -> String {
        guard let previous = undo.last else { throw REPLError("nothing to compare yet; :step first") }
        return "\(state.label):\n"
            + renderer.diff(before: previous.documents, after: state.documents, failures: state.failures)
    }

    /// `:why ID TARGET`: what moved the stance toward TARGET in document ID, for each stance stage of the pipeline.
    func why(_ args: String) throws -> String {
        let parts = args.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw REPLError(":why needs a document id and a target: :why 01-france-iraq-defence Iraq")
        }
        let d = try document(parts[0])
        let stages = (pipeline?.stages ?? []).filter { $0.instance is any ExplainingStage }
        guard !stages.isEmpty else {
            throw REPLError("the pipeline has no stance stage that explains itself (stance lexicon, stance model)")
        }
        let known = (d.stances ?? []).map(\.target)
        guard known.contains(where: { $0.lowercased() == parts[1].lowercased() }) || known.isEmpty else {
            throw REPLError(
                "no stance toward '\(parts[1])' in \(d.id)\(Suggest.hint(for: parts[1], in: known)); targets: \(known.joined(separator: ", "))"
            )
        }
        let renderer = ExplanationRenderer(style: style)
        var out: [String] = []
        for st in stages {
            guard let e = st.instance as? any ExplainingStage else { continue }
            out += renderer.render(try e.explain(d, target: parts[1]), stage: st.label, target: parts[1], in: d)
        }
        return out.joined(separator: "\n")
    }

    /// `:actors [TYPE]`: canonical actors of the documents in play, most mentioned first.
    func actors(_ type: String) throws -> String {
        guard state.documents.contains(where: { $0.entities != nil }) else {
            throw REPLError("no entities in play; run extract entities first (:step, or type: extract entities)")
        }
        let tally = ActorTally(state.documents, type: type)
        if tally.rows.isEmpty {
            return "no \(type.isEmpty ? "" : type.uppercased() + " ")actors in the documents in play"
        }
        let renderer = ActorRenderer(width: width)
        return mode == .json ? renderer.json(tally) : renderer.table(tally, documents: state.documents.count)
    }

    func events(_ actor: String) throws -> String {
        guard state.documents.contains(where: { $0.events != nil }) else {
            throw REPLError("no events in play; run extract events first (:step, or type: extract events)")
        }
        let items = EventRenderer.items(state.documents, actor: actor)
        if items.isEmpty {
            return actor.isEmpty
                ? "no events in the documents in play" : "no events of '\(actor)' in the documents in play"
        }
        let renderer = EventRenderer(style: style, width: width)
        if mode == .json { return renderer.json(items) }
        let documents = Set(items.map(\.document.id)).count
        return renderer.listing(items)
            + "\n\(items.count) event\(items.count == 1 ? "" : "s") in \(documents) document\(documents == 1 ? "" : "s")"
    }

    func document(_ text: String) throws -> Document {
        if let d = state.documents.first(where: { $0.id == text }) { return d }
        let ids = state.documents.map(\.id)
        if let d = state.documents.first(where: { $0.id.hasPrefix(text) }),
            state.documents.filter({ $0.id.hasPrefix(text) }).count == 1
        {
            return d
        }
        throw REPLError(
            "no document '\(text)' in play" + Suggest.hint(for: text, in: ids)
                + (ids.isEmpty ? "; :step loads documents" : "; :docs lists them"))
    }

    var nextStageText: String {
        guard let p = pipeline, state.position < p.stages.count else { return "none (done)" }
        return "\(state.position + 1) (\(p.stages[state.position].label))"
    }

    func help(_ topic: String) -> String {
        if topic.isEmpty {
            var out = "Commands (a prefix is enough):\n"
            for c in REPLCommand.all {
                let head = ":\(c.name)" + (c.arguments.isEmpty ? "" : " \(c.arguments)")
                out += "  " + head.padding(toLength: 22, withPad: " ", startingAt: 0) + c.summary + "\n"
            }
            out += "A stage line such as `summarize lead sentences=2` runs that stage once on the documents in play.\n"
            out +=
                "Tab completes commands, stage names, options, document ids and layers; Ctrl-C interrupts a stage; Ctrl-D leaves."
            return out
        }
        let word = topic.hasPrefix(":") ? String(topic.dropFirst()) : topic
        let (command, candidates) = REPLCommand.find(word)
        if let c = command {
            return ":\(c.name)" + (c.arguments.isEmpty ? "" : " \(c.arguments)") + "\n  \(c.summary)\n\n" + c.details
        }
        if candidates.count > 1 {
            return "':\(word)' could be: \(candidates.map { ":" + $0.name }.joined(separator: ", "))"
        }
        return "no command ':\(word)'\(Suggest.hint(for: word, in: REPLCommand.all.map(\.name))); :help lists them"
    }

    /// `:plugins`: each loaded plugin, where it was loaded from and the stages it adds.
    func pluginsListing() -> String {
        guard !registry.plugins.isEmpty else {
            return
                "no plugins loaded; load one with --plugin PATH, $PIPELINE_PLUGINS, or a plugin \"PATH\" line in the .pipe file"
        }
        var out: [String] = []
        for p in registry.plugins {
            let origin =
                plugins.first { PluginLoader.canonicalPath($0.path) == p.path }
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
                line =
                    line.padding(toLength: max(line.count, 48), withPad: " ", startingAt: 0)
                    + style.dim(String(format: "  %.3f s, %d docs", st.seconds, st.documents))
            }
            out += line + "\n"
        }
        if state.position >= p.stages.count { out += "▶ (done)\n" }
        return String(out.dropLast())
    }
}
