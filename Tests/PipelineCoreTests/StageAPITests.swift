import Foundation
import Synchronization
import Testing

@testable import PipelineCore

// MARK: stages for these tests

/// A writer that wrongly declares kind `extract`.
private struct MisdeclaredWriter: WriteStage {
    static let descriptor = StageDescriptor(kind: .extract, name: "sneaky", help: "declares the wrong kind")
    init(options: StageOptions, context: StageContext) throws {}
    func makeWriter() throws -> any DocumentWriter { fatalError("never built") }
}

/// Provides a layer named like a document field.
private struct ReservedLayer: ExtractStage {
    static let descriptor = StageDescriptor(kind: .extract, name: "reserved", help: "bad layer", provides: ["meta"])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ document: inout Document) throws {}
}

/// Provides a layer differing from a built-in one in case only.
private struct CaseClash: ExtractStage {
    static let descriptor = StageDescriptor(kind: .extract, name: "clash", help: "bad layer", provides: ["Sentences"])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ document: inout Document) throws {}
}

/// Declares one option name twice.
private struct TwiceDeclared: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "twice", help: "x",
        options: [StageOption<Int>("n", default: 1, help: "a"), StageOption<Int>("n", default: 2, help: "b")])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ document: inout Document) throws {}
}

/// A replacement for the test `extract split`.
private struct OtherSplitter: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "split", help: "another splitter",
        requires: [.text], provides: [.sentences])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ document: inout Document) throws { document.sentences = [] }
}

/// Every kind of typed option.
private struct Typed: ExtractStage {
    enum Mode: String, OptionEnum { case fast, careful }
    static let count = StageOption<Int>("count", default: 3, range: 1...10, help: "how many")
    static let weight = StageOption<Double?>("weight", help: "an optional weight")
    static let mode = StageOption<Mode>("mode", default: .fast, help: "how")
    static let names = StageOption<[String]>.required("names", help: "names")
    static let descriptor = StageDescriptor(
        kind: .extract, name: "typed", help: "typed options",
        options: [count, weight, mode, names])
    let count: Int, weight: Double?, mode: Mode, names: [String]
    init(options: StageOptions, context: StageContext) throws {
        count = options[Self.count]
        weight = options[Self.weight]
        mode = options[Self.mode]
        names = options[Self.names]
    }
    func process(_ document: inout Document) throws {}
}

/// A writer whose output option is not called `path`.
private struct FileWriter: WriteStage {
    static let file = StageOption<String>.required("file", type: .path, role: .output, help: "where")
    static let descriptor = StageDescriptor(kind: .write, name: "file", help: "writes nothing", options: [file])
    init(options: StageOptions, context: StageContext) throws {}
    func makeWriter() throws -> any DocumentWriter { NullWriter() }
    final class NullWriter: DocumentWriter {
        func write(_ document: Document) throws {}
        func finish() throws {}
        func abort() {}
    }
}

/// A loader without an input option.
private struct Generator: LoadStage {
    static let descriptor = StageDescriptor(kind: .load, name: "generate", help: "makes documents", provides: [.text])
    init(options: StageOptions, context: StageContext) throws {}
    func makeReader() throws -> any DocumentReader { MemoryLoader.Reader(count: 1) }
}

/// A "model" file: one word per line.
private struct WordList: Sendable {
    let words: Set<String>
    static func load(_ path: String) throws -> WordList {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StageConfigurationError("cannot read the word list '\(path)'", option: "words")
        }
        guard text.hasPrefix("#words\n") else {
            throw StageConfigurationError("'\(path)' is not a word list (no #words header)", option: "words")
        }
        return WordList(words: Set(text.split(separator: "\n").dropFirst().map(String.init)))
    }
}

/// Counts calls to `prepare` and `makeWorker` and which worker processed what.
private final class Counters: Sendable {
    /// How often `extract marked` was prepared, by word file (per file, so that tests running at once with files of
    /// their own do not see each other's counts).
    let prepared = Mutex<[String: Int]>([:])
    let workersMade = Atomic<Int>(0)
    let workersClosed = Atomic<Int>(0)
    static let shared = Counters()
}

/// `extract batched fail=[IDS]`: takes whole batches (``TransformStage/batchesDocuments``), records each batch's size
/// in every document, and fails the listed ids alone.
private struct Batched: ExtractStage {
    static let fail = StageOption<[String]>("fail", default: [], help: "ids to fail")
    static let descriptor = StageDescriptor(
        kind: .extract, name: "batched", help: "sees whole batches", options: [fail], requires: [.text],
        provides: ["batch"])
    let failing: Set<String>
    init(options: StageOptions, context: StageContext) throws { failing = Set(options[Self.fail]) }
    var batchesDocuments: Bool { true }
    func process(_ document: inout Document) throws { document.layers["batch"] = .int(1) }
    func makeWorker() throws -> any TransformWorker { Worker(failing: failing) }
    struct Worker: TransformWorker {
        let failing: Set<String>
        mutating func process(_ document: inout Document) throws { document.layers["batch"] = .int(1) }
        mutating func processBatch(_ documents: inout [Document]) -> [(any Error)?] {
            documents.indices.map { k in
                if failing.contains(documents[k].id) { return DocumentError("planned failure") }
                documents[k].layers["batch"] = .int(documents.count)
                return nil
            }
        }
    }
}

/// `extract marked words=FILE`: a heavy resource loaded in `prepare`, per-job workers with scratch state.
private struct Marked: ExtractStage {
    static let words = StageOption<String>.required("words", type: .path, help: "the word list")
    static let descriptor = StageDescriptor(
        kind: .extract, name: "marked", help: "marks listed words",
        options: [words], requires: [.text], provides: ["marked"])
    let path: String
    var list: WordList?
    init(options: StageOptions, context: StageContext) throws { path = options[Self.words] }
    mutating func prepare(_ resources: ResourceCache) throws {
        Counters.shared.prepared.withLock { $0[path, default: 0] += 1 }
        list = try resources.resource(path, load: WordList.load)
    }
    func process(_ document: inout Document) throws {
        var w = try makeWorker()
        try w.process(&document)
    }
    func makeWorker() throws -> any TransformWorker {
        Counters.shared.workersMade.add(1, ordering: .relaxed)
        guard let l = list else { throw DocumentError("prepare was not called") }
        return Worker(list: l)
    }
    struct Worker: TransformWorker {
        let list: WordList
        var seen = 0  // per-worker scratch state: no lock needed
        mutating func process(_ document: inout Document) throws {
            seen += 1
            let n = document.text.split(separator: " ").filter { list.words.contains(String($0)) }.count
            document.layers["marked"] = .int(n)
        }
        mutating func close() { Counters.shared.workersClosed.add(1, ordering: .relaxed) }
    }
}

private func registry(_ extra: [any Stage.Type]) throws -> StageRegistry {
    var r = TestStages.registry
    for t in extra { try r.register(t) }
    return r
}

private func build(
    _ text: String, _ extra: [any Stage.Type] = [], _ settings: BuildSettings = BuildSettings()
)
    throws -> PipelineBuilder.Outcome
{
    PipelineBuilder(registry: try registry(extra)).build(
        PipelineDefinition.parse(text: text, file: "t.pipe"),
        settings: settings)
}

// MARK: tests

@Suite struct StageAPITests {
    @Test func typedOptionsReadDefaultsOptionalsEnumsAndRequired() throws {
        let o = try build(
            "load memory\nextract typed names=[\"a\", \"b\"] mode=careful\nwrite collect path=t1\n", [Typed.self])
        let stage = try #require(o.pipeline?.stages[1].instance as? Typed, "\(o.diagnostics)")
        #expect(stage.count == 3 && stage.weight == nil && stage.mode == .careful && stage.names == ["a", "b"])
        // The declaration is the spec: type, default, range and enum values come from it.
        #expect(
            Typed.descriptor.option("count")
                == OptionSpec("count", .int, default: .int(3), range: 1...10, help: "how many"))
        #expect(Typed.descriptor.option("mode")?.type == .oneOf(["fast", "careful"]))
        #expect(Typed.descriptor.option("names")?.isRequired == true)
        var options = StageOptions()
        options.set(Typed.weight, 0.5)
        options.set(Typed.names, ["x"])
        let direct = try Typed(options: options, context: StageContext())
        #expect(direct.weight == 0.5 && direct.count == 3)
        let missing = try build("load memory\nextract typed\nwrite collect path=t1\n", [Typed.self])
        #expect(
            missing.diagnostics.map(\.message) == ["stage 'extract typed' needs option 'names' (list of string): names"]
        )
    }

    @Test func registrationChecksKindsNamesOptionsAndLayers() {
        #expect(
            throws: StageRegistrationError.kindMismatch(
                type: "MisdeclaredWriter", declared: .extract, conformsTo: .write)
        ) {
            try registry([MisdeclaredWriter.self])
        }
        // A type conforming to two kinds' protocols (say ExtractStage and WriteStage) no longer compiles: both supply
        // Stage.protocolKind.
        #expect(throws: StageRegistrationError.duplicate(stage: "extract split", type: "OtherSplitter")) {
            try registry([OtherSplitter.self])
        }
        #expect(throws: StageRegistrationError.self) { try registry([ReservedLayer.self]) }
        #expect(throws: StageRegistrationError.self) { try registry([CaseClash.self]) }
        #expect(throws: StageRegistrationError.duplicateOption(stage: "extract twice", option: "n")) {
            try registry([TwiceDeclared.self])
        }
        let message = StageRegistrationError.kindMismatch(
            type: "MisdeclaredWriter", declared: .extract, conformsTo: .write
        )
        .description
        #expect(message.contains("MisdeclaredWriter") && message.contains("WriteStage"))
    }

    @Test func replaceSwapsARegisteredStageOnPurpose() throws {
        var r = TestStages.registry
        try r.replace(OtherSplitter.self)
        #expect(r.factory(kind: .extract, name: "split")?.descriptor.help == "another splitter")
        #expect(throws: StageRegistrationError.nothingToReplace(stage: "extract typed", type: "Typed")) {
            try r.replace(Typed.self)
        }
    }

    @Test func outputBindsToTheOptionDeclaredAsOutput() throws {
        let o = try build(
            "load memory\nwrite file file=\"a.jsonl\"\n", [FileWriter.self], BuildSettings(output: "b.jsonl"))
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        #expect(p.stages[1].value(of: .output) == "b.jsonl")
        #expect(p.stages[1].options.origins["file"] == .flag("--output"))
        let noInput = try build(
            "load generate\nwrite collect path=x\n", [Generator.self], BuildSettings(input: "in.jsonl"))
        #expect(noInput.pipeline == nil)
        #expect(
            noInput.diagnostics.map(\.message) == [
                "--input cannot replace anything in 'load generate': it declares no input option"
            ])
    }

    @Test func resourcesLoadOncePerProcessAndNotWhenChecking() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("res-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("words.txt").path
        try "#words\nIraq\nFrance\n".write(toFile: file, atomically: true, encoding: .utf8)
        let cache = ResourceCache()
        let text =
            "load memory\nextract marked words=\"\(file)\"\nextract marked words=\"\(file)\"\nwrite collect path=res\n"
        // check and explain: options and files only.
        let checked = try build(text, [Marked.self], BuildSettings(prepare: false, resources: cache))
        #expect(checked.pipeline != nil && cache.loads == 0)
        #expect(Counters.shared.prepared.withLock { $0[file] } == nil)
        // Two stages and two builds share one load.
        for _ in 0..<2 {
            let built = try build(text, [Marked.self], BuildSettings(resources: cache))
            #expect(built.pipeline != nil, "\(built.diagnostics)")
        }
        #expect(cache.loads == 1)
        // (Building to run did prepare them, counted under the same file: the check above can fail.)
        #expect((Counters.shared.prepared.withLock { $0[file] } ?? 0) >= 2)
        // A changed file is loaded again.
        try "#words\nIraq\nFrance\nSyria\n".write(toFile: file, atomically: true, encoding: .utf8)
        _ = try build(text, [Marked.self], BuildSettings(resources: cache))
        #expect(cache.loads == 2)
        // A foreign file is an error at build time, at the option, naming the file.
        let bad = dir.appendingPathComponent("bad.txt").path
        try "not a list".write(toFile: bad, atomically: true, encoding: .utf8)
        let broken = try build(
            "load memory\nextract marked words=\"\(bad)\"\nwrite collect path=res\n", [Marked.self],
            BuildSettings(resources: cache))
        #expect(broken.pipeline == nil)
        #expect(broken.diagnostics.first?.message == "extract marked: '\(bad)' is not a word list (no #words header)")
        #expect(broken.diagnostics.first?.location?.line == 2 && broken.diagnostics.first?.location?.column == 16)
    }

    @Test func eachJobSlotGetsItsOwnWorkerAndClosesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("words.txt").path
        try "#words\nFirst\n".write(toFile: file, atomically: true, encoding: .utf8)
        let o = try build(
            "load memory count=500\nextract marked words=\"\(file)\"\nwrite collect path=workers\n", [Marked.self])
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        let made = Counters.shared.workersMade.load(ordering: .relaxed)
        let closed = Counters.shared.workersClosed.load(ordering: .relaxed)
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 3, batchDocuments: 10)).run()
        #expect(s.documentsOut == 500)
        #expect(CollectorBox.box("workers").docs.allSatisfy { $0.layers["marked"] == .int(1) })
        let madeNow = Counters.shared.workersMade.load(ordering: .relaxed) - made
        #expect(madeNow >= 1 && madeNow <= 3)
        #expect(Counters.shared.workersClosed.load(ordering: .relaxed) - closed == madeNow)
    }

    @Test func aBatchingStageSeesWholeBatchesAndItsDocumentsFailAlone() throws {
        let o = try build(
            "load memory count=20\nextract fail ids=[\"d3\"]\nextract batched fail=[\"d7\"]\nwrite collect path=batched\n",
            [Batched.self])
        let pipeline = try #require(o.pipeline, "\(o.diagnostics)")
        for jobs in [1, 2] {
            let s = try PipelineRunner(
                pipeline: pipeline, options: RunOptions(jobs: jobs, onError: .skip, batchDocuments: 5)
            ).run()
            #expect(s.documentsOut == 18 && s.failed == 2)
            let docs = CollectorBox.box("batched").docs
            #expect(docs.map(\.id) == (1...20).filter { $0 != 3 && $0 != 7 }.map { "d\($0)" })
            // Batches of five: the one with d3 (failed before the stage) holds four; d7 fails alone in the stage.
            let fourth: Set = ["d1", "d2", "d4", "d5"]
            #expect(docs.map { $0.layers["batch"] } == docs.map { fourth.contains($0.id) ? .int(4) : .int(5) })
        }
    }

    @Test func runnerReportsEventsAndTypedErrors() throws {
        final class Recorder: RunObserver {
            let events = Mutex<[String]>([])
            func observe(_ event: RunEvent) {
                let name: String
                switch event {
                case .progress: name = "progress"
                case .failure(let f, let recorded): name = "failure \(f.id ?? "") \(recorded)"
                case .waitingForOutputs: name = "waiting"
                case .finished: name = "finished"
                }
                events.withLock { $0.append(name) }
            }
        }
        let o = try build("load memory count=20\nextract fail ids=[\"d7\"]\nwrite collect path=events\n")
        let recorder = Recorder()
        _ = try PipelineRunner(
            pipeline: try #require(o.pipeline),
            options: RunOptions(onError: .skip, observer: recorder)
        ).run()
        let events = recorder.events.withLock { $0 }
        #expect(events.filter { $0.hasPrefix("failure") } == ["failure d7 nowhere"])
        #expect(events.last == "finished")

        let stop = RunCancellation()
        stop.cancel()
        #expect(throws: RunError.interrupted) {
            try PipelineRunner(pipeline: try #require(o.pipeline), options: RunOptions(cancellation: stop)).run()
        }
    }
}
