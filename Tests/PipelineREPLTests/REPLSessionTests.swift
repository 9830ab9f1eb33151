import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineREPL
@testable import PipelineStages

/// The package root, for the bundled pipeline and samples.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A scratch folder for these tests, one per process.
let replScratch: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repl-tests-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

/// A pipeline of these tests' own (the shape `Pipelines/daily.pipe` had before entities joined it), reading the bundled
/// samples by absolute path and writing to a scratch file, so that no test changes the working directory and the tests
/// do not change when the daily pipeline grows.
let dailyPipe: String = {
    let text = """
        # The daily job, as these tests know it.
        let articles = "\(packageRoot)/Pipelines/samples"
        let output   = "\(replScratch)/out/daily.jsonl"
        let lead     = 3

        load      files      path=$articles
        extract   sentences
        extract   tokens
        summarize lead       sentences=$lead
        write     jsonl      path=$output
        """
    let path = replScratch + "/daily.pipe"
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}()

/// Runs a script through the interpreter; returns (exit code, output, errors).
func runScript(
    _ lines: [String], open file: String? = dailyPipe, bail: Bool = false,
    color: Bool = false
) -> (Int32, String, String) {
    let session = REPLSession(registry: BuiltInStages.registry, style: Style(color: color), width: 100, jobs: 2)
    if let file { _ = try? session.open(file) }
    let out = TextBox()
    let err = TextBox()
    let controller = REPLController(
        session: session, reader: ScriptedLineReader(lines), bail: bail,
        write: { out.text += $0 }, writeError: { err.text += $0 })
    let code = controller.run()
    return (code, out.text, err.text)
}

final class TextBox: @unchecked Sendable { var text = "" }

@Suite(.serialized) struct REPLSessionTests {
    @Test func anotherSummarizerOnTheSameDocumentsAndItsScores() {
        let (code, out, err) = runScript([
            ":run to lead", "summarize textrank sentences=2", ":diff",
            ":show 01-france-iraq-defence summary",
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("ran summarize textrank: 20 documents"))
        #expect(out.contains("01-france-iraq-defence: ~summary"))
        #expect(out.contains("«") && out.contains("] ") || out.contains("]\n"))
        #expect(out.range(of: #"« \[0\.\d{4}\]"#, options: .regularExpression) != nil)
    }

    @Test func whyShowsWhatMovedAStance() {
        let (code, out, err) = runScript([
            ":why 01-france-iraq-defence Iraq", ":run to tokens", "extract entities",
            ":add stance lexicon targets=[\"Iraq\"]", ":run", ":why 01-france-iraq-defence Iraq",
            ":why 01-france-iraq-defence Atlantis",
        ])
        #expect(code == 1, "the first and last :why fail")
        #expect(err.contains("line 1: error: no document"))
        #expect(out.contains("stance lexicon — Iraq in 01-france-iraq-defence:"))
        #expect(
            out.range(of: #"[+-]\d\.\d{3}  '[a-z-]+' \((valence|conflict|cooperation)\)"#, options: .regularExpression)
                != nil)
        #expect(err.contains("no stance toward 'Atlantis'"))
    }

    @Test func actorsListsCanonicalActorsWithRolesAndCounts() {
        let (code, out, err) = runScript([
            ":actors", ":run to tokens", "extract entities", ":actors PER", ":actors",
            ":show 01-france-iraq-defence entities",
        ])
        #expect(code == 1 || code == 0, "\(err)")
        #expect(err.contains("no entities in play; run extract entities first"))
        #expect(out.contains("Haider Jaber") && out.contains("Defence Minister"))
        let lines = out.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("Karim al-Saadi ") && $0.contains("Prime Minister") && $0.hasSuffix("Iraq") })
        #expect(lines.contains { $0.hasPrefix("Iraq ") && $0.contains("LOC,MISC") })
        #expect(out.contains("[Iraqi|MISC=Iraq]"))
    }

    @Test func eventsListsWhoDidWhatToWhomAndShowMarksThem() {
        let (code, out, err) = runScript([
            ":events", ":run to tokens", "extract entities", "extract quotes", "extract events", ":events turkey",
            ":show 01-france-iraq-defence events", ":mode json",
            ":events Atlantis", ":events Claire Duval",
        ])
        #expect(code == 1 || code == 0, "\(err)")
        #expect(err.contains("no events in play; run extract events first"))
        // Turkey's events, with their sentences, in document order.
        let lines = out.split(separator: "\n")
        #expect(
            lines.contains {
                $0.hasPrefix("05-turkey-drone-strike [")
                    && $0.contains("Iraq → Turkey  summon 110 verbal_conflict -2.0")
            })
        #expect(lines.contains { $0.hasPrefix("    Iraq's foreign ministry summoned the Turkish ambassador") })
        #expect(out.contains("events in") && out.contains("documents"))
        // :show marks the source, the action and the target, and lists the events.
        #expect(
            out.contains(
                "[Claire Duval|source 1,2] *met*1,2 Iraqi Prime Minister [Karim al-Saadi|target 1] and Defence Minister [Haider Jaber|target 2]"
            ))
        #expect(out.contains("1. [1] Claire Duval → Karim al-Saadi: meet 040 verbal_cooperation +1.0 (symmetric)"))
        #expect(out.contains("no events of 'Atlantis' in the documents in play"))
        #expect(
            out.contains(
                #"{"id":"01-france-iraq-defence","sentence":1,"source":"Claire Duval","target":"Karim al-Saadi""#))
    }

    @Test func stepsThroughTheDailyPipeline() {
        let (code, out, err) = runScript([
            ":stages", ":step", ":docs", ":step 2", ":stages", ":run to lead",
            ":show 03-camp-taji summary", ":back", ":stages",
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("▶ 1. load files path=\"\(packageRoot)/Pipelines/samples\""))
        #expect(out.contains("step 1: load files: 20 documents"))
        #expect(out.contains("03-camp-taji               U.S. forces leave Camp Taji"))
        #expect(out.contains("step 3: extract tokens: 20 documents"))
        #expect(out.contains("▶ 4. summarize lead sentences=3"))
        #expect(out.contains("step 4: summarize lead: 20 documents"))
        #expect(out.contains("»CAMP TAJI, Iraq, Nov 21 (PSW) - U.S. troops handed over Camp Taji"))
        #expect(out.contains("summary: sentences 0, 1, 2"))
        #expect(out.contains("undid step 4: summarize lead"))
        #expect(
            out.hasSuffix("▶ 4. summarize lead sentences=3\n  5. write jsonl path=\"\(replScratch)/out/daily.jsonl\"\n")
        )
    }

    @Test func typedStageLinesRunOnceAndDiffShowsTheirEffect() {
        let (code, out, err) = runScript([
            ":step", "extract sentences", "summarize lead sentences=1", ":diff",
            ":show 01-france-iraq-defence sentences", ":stages",
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("ran extract sentences: 20 documents"))
        #expect(out.contains("ran summarize lead: 20 documents"))
        #expect(out.contains("01-france-iraq-defence: +summary (1)"))
        #expect(out.contains("[0] BAGHDAD, Nov 20 (PSW)"))
        #expect(out.contains("[4] He did not say how many aircraft Iraq wanted."))
        // The pipeline itself did not change.
        #expect(out.contains("▶ 2. extract sentences"))
    }

    @Test func sampleOnlyAndDocs() {
        let (code, out, _) = runScript([
            ":sample 2", ":step", ":docs", ":only 02-coordination-centre", ":docs",
            ":only", ":sample",
        ])
        #expect(code == 0)
        #expect(out.contains("step 1: load files: 2 documents"))
        #expect(out.contains("2 documents in play (sample limit 2)"))
        #expect(out.contains("1 documents in play"))
        #expect(out.components(separatedBy: "01-france-iraq-defence").count == 2, "after :only, :docs lists only 02")
        #expect(out.contains("sample limit: 2; 1 documents in play"))
    }

    @Test func setSaysWhichStagesMustRerun() {
        let (_, out, err) = runScript([":set lead=2", ":run", ":set lead=1", ":set leed=3"])
        #expect(out.contains("lead = 2; used by stage 4 (summarize lead), which has not run yet"))
        #expect(out.contains("lead = 1; used by stage 4 (summarize lead); already run: 4"))
        #expect(err.contains("line 4: error: unknown variable 'leed'; did you mean 'lead'?"))
    }

    @Test func addSaveAndWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("repl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let saved = dir + "/my.pipe"
        let written = dir + "/docs.jsonl"
        let (code, out, err) = runScript([
            ":add extract tokens punctuation=false", ":save \(saved)", ":step 2",
            ":write \(written)",
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("added stage 5: extract tokens"))
        let text = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(text.contains("let lead = 3\n"))
        #expect(text.contains("extract tokens punctuation=false\nwrite jsonl path=$output\n"))
        #expect(PipelineDefinition.parse(text: text, file: saved).diagnostics.isEmpty)
        let lines = try String(contentsOfFile: written, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20)
        #expect(try Document(jsonText: String(lines[0])).sentences != nil)
    }

    @Test func scriptErrorsCarryLineNumbersAndBailStops() {
        let (code, _, err) = runScript([":step", ":frobnicate", ":show nope", ":docs"])
        #expect(code == 1)
        #expect(err.contains("line 2: error: unknown command ':frobnicate'"))
        #expect(err.contains("line 3: error: no document 'nope' in play"))
        let (bailCode, bailOut, bailErr) = runScript([":frobnicate", ":step"], bail: true)
        #expect(bailCode == 1)
        #expect(bailErr.contains("line 1: error"))
        #expect(!bailOut.contains("step 1"))
    }

    @Test func helpListsEveryCommandAndExplainsOne() {
        let (_, out, _) = runScript([":help", ":help st", ":help ste"], open: nil)
        for c in REPLCommand.all { #expect(out.contains(":\(c.name)"), "\(c.name)") }
        #expect(out.contains("':st' could be: :stages, :step"))
        #expect(out.contains(":step [N]\n  run the next N stages"))
    }

    @Test func entitiesAndCustomLayersRenderGenerically() throws {
        var d = Document(id: "x", text: "France met Iraq in Baghdad.")
        d.sentences = [Span(start: 0, end: 27)]
        d.entities = [
            Entity(span: Span(start: 0, end: 6), text: "France", type: "LOC"),
            Entity(span: Span(start: 19, end: 26), text: "Baghdad", type: "LOC", canonical: "Iraq"),
        ]
        d.stances = [Stance(target: "France", score: 0.5, label: .positive, evidence: [0])]
        d.layers["flags"] = .array([.object(["start": .int(11), "end": .int(15), "type": .string("GPE")])])
        let plain = DocumentRenderer(style: Style(color: false), width: 80)
        #expect(try plain.show(d, layer: nil).contains("[France|LOC] met Iraq in [Baghdad|LOC=Iraq]."))
        #expect(try plain.show(d, layer: "stances").contains("{France +0.5} France met"))
        #expect(try plain.show(d, layer: "flags").contains("France met ⟦Iraq⟧:GPE in"))
        #expect(throws: REPLError.self) { try plain.show(d, layer: "entites") }
        let colored = DocumentRenderer(style: Style(color: true), width: 80)
        let c = try colored.show(d, layer: "entities")
        #expect(c.contains("\u{1B}[1;32mFrance\u{1B}[0m\u{1B}[2m:LOC\u{1B}[0m"))
        #expect(plain.table([d]).contains("entities"))
    }

    @Test func interruptKeepsTheLastCompleteState() throws {
        let session = REPLSession(registry: BuiltInStages.registry, width: 80, jobs: 1)
        try session.open(dailyPipe)
        _ = try session.execute(":step")
        // Fire the interrupt while the next command runs: it must fail and leave the state as it was.
        let fired = FireWhenRunning(session.interrupts)
        fired.start()
        var interrupted = false
        for _ in 0..<2000 where !interrupted {
            let before = session.state.label
            do {
                _ = try session.execute("extract tokens")
            } catch {
                interrupted = "\(error)".contains("interrupted")
                #expect(session.state.label == before, "an interrupted stage must not change the state")
            }
        }
        fired.stop()
        #expect(interrupted)
        #expect(session.state.documents.count == 20)
    }
}

/// Fires an interrupt slot repeatedly from another thread.
final class FireWhenRunning: @unchecked Sendable {
    let slot: InterruptSlot
    private let lock = NSLock()
    private var running = true
    init(_ slot: InterruptSlot) { self.slot = slot }
    func start() {
        Thread {
            while self.isRunning { if self.slot.fire() { usleep(100) } }
        }.start()
    }
    var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }
    func stop() { lock.lock(); running = false; lock.unlock() }
}

/// `extract upper`: a stage as a plugin would register it.
struct UpperStage: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "upper", help: "upper-cases the text",
        requires: [.text], provides: [Layer("upper")])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ d: inout Document) throws { d.layers["upper"] = .string(d.text.uppercased()) }
}

@Suite(.serialized) struct REPLPluginTests {
    @Test func pluginsListsWhatIsLoadedAndTheOpenFilesPluginLinesNeedTheOptIn() throws {
        var registry = BuiltInStages.registry
        let plugin = LoadedPlugin(
            path: "/plugins/libUpper.so", stamp: PluginABI.hostStamp, types: [UpperStage.self],
            replacing: [])
        try registry.register(plugin: plugin)
        let session = REPLSession(registry: registry, jobs: 1)
        let listed = try session.execute(":plugins")
        #expect(
            listed
                == .output(
                    "/plugins/libUpper.so  (command line or PIPELINE_PLUGINS; \(PluginABI.describe(PluginABI.hostStamp)))\n  extract upper"
                ))
        #expect(REPLSession(registry: BuiltInStages.registry).pluginsListing().hasPrefix("no plugins loaded"))
        // Completion offers the plugin's stage like a built-in one.
        #expect(REPLCompleter(session: session).candidates("extract u") == ["upper"])
        // A typed line runs the plugin's stage like a built-in one.
        _ = try session.open(dailyPipe)
        _ = try session.execute(":step")
        let ran = try session.execute("extract upper")
        #expect(ran == .output("ran extract upper: 20 documents"))
        // A file with a plugin line: refused without the opt-in (the previous pipeline stays), loaded with it.
        let lined = replScratch + "/plugin-line.pipe"
        try "plugin \"libMissing.so\"\nload files path=\"\(packageRoot)/Pipelines/samples\"\n"
            .write(toFile: lined, atomically: true, encoding: .utf8)
        #expect(throws: REPLError.self) { try session.open(lined) }
        #expect(session.file == dailyPipe)
        do {
            _ = try session.open(lined)
        } catch {
            #expect(
                "\(error)".contains(
                    "'plugin \"libMissing.so\"' loads code into the pipeline; allow it with --allow-commands"))
        }
        session.allowCommands = { _ in true }
        do {
            _ = try session.open(lined)
            Issue.record("a missing plugin file opened")
        } catch {
            #expect("\(error)".contains("plugin '\(replScratch)/libMissing.so' does not exist"))
        }
    }

    @Test func savedPipelinesKeepTheirPluginLines() throws {
        let dir = replScratch + "/saved-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var def = PipelineDefinition.parse(
            text: "plugin \"lib/libUpper.so\"\nlet n = 2\nsummarize lead sentences=$n\n",
            file: dir + "/p.pipe")
        #expect(def.diagnostics.isEmpty)
        let text = def.formatted(header: "Saved", overrides: ["n": "3"])
        #expect(text == "# Saved\nplugin \"lib/libUpper.so\"\n\nlet n = 3\n\nsummarize lead sentences=$n\n")
        def.variables = [:]
        #expect(
            PipelineDefinition.parse(text: def.formatted(), file: dir + "/q.pipe").plugins.map(\.written) == [
                "lib/libUpper.so"
            ])
    }
}

/// Defects found by trying the REPL as a new user would, each with its regression test.
@Suite(.serialized) struct REPLDefectTests {
    /// A pipeline whose loader is named by a variable, with one stance stage and two summarizers.
    private static let file: String = {
        let text = """
            let source = "files"
            load      $source    path="\(packageRoot)/Pipelines/samples"
            extract   sentences
            extract   tokens
            summarize lead       sentences=2
            summarize textrank   sentences=2
            stance    lexicon    targets=["Iraq"]
            write     jsonl      path="\(replScratch)/out/defects.jsonl"
            """
        let path = replScratch + "/defects.pipe"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    @Test func aVariableUsedAsAStageNameCountsAsUsed() {
        let (_, out, err) = runScript([":set source=files"], open: Self.file)
        #expect(out.contains("source = files; used by stage 1 (load $source), which has not run yet"), "\(out)\(err)")
    }

    @Test func aKindNamesTheStageWhenItIsTheOnlyOneOfItsKind() {
        let (_, out, err) = runScript([":run to stance", ":reset", ":run to summarize"], open: Self.file)
        #expect(out.contains("step 6: stance lexicon: 20 documents"), "\(out)\(err)")
        #expect(!out.contains("step 7"))
        #expect(
            err.contains(
                "the pipeline has 2 summarize stages: 4 (summarize lead), 5 (summarize textrank); :run to NUMBER or :run to NAME"
            ))
    }

    @Test func aStageAddedBehindAWriteThatRanHasNotRun() throws {
        let session = REPLSession(registry: BuiltInStages.registry, jobs: 2)
        _ = try session.open(Self.file)
        _ = try session.execute(":run")
        #expect(session.state.position == 7)
        #expect(try session.execute(":add extract dates") == .output("added stage 7: extract dates"))
        // The new stage is next; the write after it runs again.
        #expect(session.state.position == 6)
        #expect(session.prompt.hasPrefix("defects [7/8 extract dates, 20 docs]"), "\(session.prompt)")
        guard case .output(let listing) = try session.execute(":stages") else { return }
        let rows = listing.split(separator: "\n")
        #expect(rows[5].contains(" s, 20 docs"), "stage 6 ran: \(listing)")
        #expect(rows[6].hasPrefix("▶ 7. extract dates") && !rows[6].contains(" s, "), "\(listing)")
        #expect(!rows[7].contains(" s, "), "the write runs again: \(listing)")
        #expect(
            try session.execute(":step 2")
                == .output(
                    "step 7: extract dates: 20 documents\nstep 8: write jsonl: 20 documents written to \(replScratch)/out/defects.jsonl"
                ))
    }

    @Test func docsShowsTheSummarysLengthNotOne() throws {
        let (_, out, err) = runScript([":run to lead", ":docs"], open: Self.file)
        let row = try #require(
            out.split(separator: "\n").first { $0.hasPrefix("01-france-iraq-defence") }, "\(out)\(err)")
        let cells = row.split(separator: " ", omittingEmptySubsequences: true)
        #expect(cells.last == "2", "the summary column counts its 2 sentences: \(row)")
        #expect(out.contains("summary"))
    }
}
