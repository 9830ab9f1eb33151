/// A `:command` of the REPL with its help.
public struct REPLCommand: Sendable {
    /// Every command, as a closed set the interpreter switches over.
    public enum Verb: String, Sendable, CaseIterable {
        /// `:help`: list the commands, or explain one.
        case help
        /// `:open`: open a pipeline definition and start over.
        case open
        /// `:stages`: the pipeline, with a marker at the next stage.
        case stages
        /// `:plugins`: the plugins loaded, where from, and their stages.
        case plugins
        /// `:step`: run the next N stages (default 1).
        case step
        /// `:run`: run to the end, or to a stage (number or name).
        case run
        /// `:back`: undo the last step.
        case back
        /// `:reset`: forget the documents and go back to the first stage.
        case reset
        /// `:sample`: limit the documents in play to N (default 100).
        case sample
        /// `:only`: keep only these documents.
        case only
        /// `:docs`: a table of the documents in play.
        case docs
        /// `:actors`: the actors of the documents in play, with mention counts.
        case actors
        /// `:events`: the events in play, with their sentences.
        case events
        /// `:why`: why a stance toward a target came out as it did.
        case why
        /// `:show`: a document's text with a layer highlighted.
        case show
        /// `:json`: a document as JSON.
        case json
        /// `:diff`: what the last step added or changed, per document.
        case diff
        /// `:add`: append a stage line to the pipeline.
        case add
        /// `:save`: write the current pipeline to a file.
        case save
        /// `:write`: write the documents in play as JSON Lines.
        case write
        /// `:set`: change a pipeline variable.
        case set
        /// `:timer`: print each step's time.
        case timer
        /// `:mode`: how :docs and :show print.
        case mode
        /// `:quit`: leave (also Ctrl-D).
        case quit
    }

    /// The command.
    public var verb: Verb
    /// The name without the colon.
    public var name: String { verb.rawValue }
    /// Arguments, for help (`[N]`, `FILE.pipe`).
    public var arguments: String
    /// One line of help.
    public var summary: String
    /// Full help.
    public var details: String

    /// Every command, in the order `:help` lists them.
    public static let all: [REPLCommand] = [
        REPLCommand(
            verb: .help, arguments: "[COMMAND]", summary: "list the commands, or explain one",
            details:
                "With no argument, lists every command with one line of help. `:help step` explains one command; a prefix is enough when it is unambiguous."
        ),
        REPLCommand(
            verb: .open, arguments: "FILE.pipe", summary: "open a pipeline definition and start over",
            details:
                "Reads and checks FILE.pipe (errors are shown with their line and column), then resets the session: no documents, the next stage is the first."
        ),
        REPLCommand(
            verb: .stages, arguments: "", summary: "the pipeline, with a marker at the next stage",
            details:
                "Lists the stages in order. `▶` marks the next stage to run; stages that have run show their time and how many documents they produced."
        ),
        REPLCommand(
            verb: .plugins, arguments: "", summary: "the plugins loaded, where from, and their stages",
            details:
                "Lists each plugin library loaded (with --plugin, $PIPELINE_PLUGINS or a plugin line of the open file), where it came from, the core and compiler it was built for, and the stages it adds. :open of a file with a plugin line loads it (with --allow-commands or a trusted file)."
        ),
        REPLCommand(
            verb: .step, arguments: "[N]", summary: "run the next N stages (default 1)",
            details:
                "Runs the next stage (or N stages) on the documents in play: a load stage reads documents (at most the :sample limit), extract/summarize/stance stages transform them, a write stage writes them to its path. Ctrl-C interrupts a running stage and keeps the last complete state."
        ),
        REPLCommand(
            verb: .run, arguments: "[to STAGE]", summary: "run to the end, or to a stage (number or name)",
            details:
                "`:run` runs every remaining stage. `:run to 3`, `:run to lead` or `:run to summarize lead` stops after that stage."
        ),
        REPLCommand(
            verb: .back, arguments: "", summary: "undo the last step",
            details:
                "Restores the documents and the position before the last step, stage line or :sample/:only (the last 20 states are kept)."
        ),
        REPLCommand(
            verb: .reset, arguments: "", summary: "forget the documents and go back to the first stage",
            details: "Keeps the pipeline and the settings."),
        REPLCommand(
            verb: .sample, arguments: "[N|all]", summary: "limit the documents in play to N (default 100)",
            details:
                "Before loading, limits how many documents a load stage reads; after loading, keeps the first N. `:sample all` lifts the limit; `:sample` shows it."
        ),
        REPLCommand(
            verb: .only, arguments: "[ID...]", summary: "keep only these documents",
            details: "Keeps the documents with these ids (also for later loads). `:only` with no ids lifts the filter."),
        REPLCommand(
            verb: .docs, arguments: "", summary: "a table of the documents in play",
            details: "One row per document: id, title, length in characters and a count per annotation layer."),
        REPLCommand(
            verb: .actors, arguments: "[TYPE]", summary: "the actors of the documents in play, with mention counts",
            details:
                "One row per canonical actor (from extract entities): type, mentions, documents, and for people their role and country. `:actors PER` (or ORG, LOC, MISC, DATE) keeps one type. Sorted by mentions."
        ),
        REPLCommand(
            verb: .events, arguments: "[ACTOR]",
            summary: "the events in play (who did what to whom), with their sentences",
            details:
                "One entry per event of extract events: document, sentence number, source → target (↔ when the two act together), action, code, quad class and weight (red for conflict, green for cooperation), its flags (negated, hypothetical, reported by) and the sentence. `:events Iraq` keeps the events where the actor (a canonical name, any case) is source or target. `:show ID events` marks them in the text."
        ),
        REPLCommand(
            verb: .why, arguments: "ID TARGET", summary: "why a stance toward a target came out as it did",
            details:
                "For one document and target (a canonical name, as in :show ID stances), lists what moved the score, strongest first: for stance lexicon the words and rules with their contributions, for stance model each mention's class probabilities and the words that pulled it. Uses the pipeline's stance stages (run them first)."
        ),
        REPLCommand(
            verb: .show, arguments: "ID [LAYER]", summary: "a document's text with a layer highlighted",
            details:
                "Shows the text with the chosen layer marked: entities coloured by type with their type label, sentences numbered, summary sentences marked, stance evidence marked with the target and score, quotes with their speaker, events with their source, action and target (numbered, listed below the text). Without LAYER, entities (or sentences) are shown and the other layers listed. Layers written by custom stages are shown too. Plain markers when colour is off or NO_COLOR is set."
        ),
        REPLCommand(
            verb: .json, arguments: "ID", summary: "a document as JSON", details: "The document in schema v1, indented."
        ),
        REPLCommand(
            verb: .diff, arguments: "", summary: "what the last step added or changed, per document",
            details:
                "Compares the documents before and after the last step: layers added, changed (with counts) or removed, and documents that failed."
        ),
        REPLCommand(
            verb: .add, arguments: "STAGE LINE", summary: "append a stage line to the pipeline",
            details:
                "`:add summarize lead sentences=2` adds the stage to the pipeline (before its write stages) without running it."
        ),
        REPLCommand(
            verb: .save, arguments: "FILE.pipe", summary: "write the current pipeline to a file",
            details:
                "Writes the variables (with their current values) and the stage lines, including stages added with :add."
        ),
        REPLCommand(
            verb: .write, arguments: "FILE.jsonl", summary: "write the documents in play as JSON Lines",
            details: "Schema v1, one document per line."),
        REPLCommand(
            verb: .set, arguments: "NAME=VALUE", summary: "change a pipeline variable",
            details:
                "Changes a variable declared with `let` and says which stages use it and must re-run (use :back or :reset, then :run)."
        ),
        REPLCommand(
            verb: .timer, arguments: "on|off", summary: "print each step's time",
            details: "Shows the wall time and documents/s of every stage run."),
        REPLCommand(
            verb: .mode, arguments: "table|json", summary: "how :docs and :show print",
            details: "`table` for people, `json` for one JSON object per line."),
        REPLCommand(
            verb: .quit, arguments: "", summary: "leave (also Ctrl-D)", details: "Leaves the REPL; history is saved."),
    ]

    /// The command named `word` or, when unambiguous, starting with it.
    public static func find(_ word: String) -> (match: REPLCommand?, candidates: [REPLCommand]) {
        if let exact = all.first(where: { $0.name == word }) { return (exact, [exact]) }
        if word == "q" || word == "exit" { return (all.first { $0.name == "quit" }, []) }
        let c = all.filter { $0.name.hasPrefix(word) }
        return (c.count == 1 ? c[0] : nil, c)
    }
}
