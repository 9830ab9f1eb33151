import Foundation
import OrderedCollections

@testable import PipelineCore

/// In-memory stages for testing the core without the built-in stages.
enum TestStages {
    /// A registry with the fake stages below.
    static var registry: StageRegistry {
        try! StageRegistry([
            MemoryLoader.self, Splitter.self, Failer.self, Lead.self, Collector.self, Picky.self, Lines.self,
        ])
    }
}

/// `load memory count=N`: documents d1…dN with two sentences each.
struct MemoryLoader: LoadStage {
    static let descriptor = StageDescriptor(
        kind: .load, name: "memory", help: "test documents",
        options: [count, path],
        provides: [.text])
    static let count = StageOption<Int>("count", default: 3, range: 0...1_000_000, help: "how many")
    static let path = StageOption<String>("path", default: "-", type: .path, role: .input, help: "ignored")
    let count: Int
    init(options: StageOptions, context: StageContext) throws { count = options[Self.count] }
    func makeReader() throws -> any DocumentReader { Reader(count: count) }
    struct Reader: DocumentReader {
        let count: Int
        var i = 0
        mutating func next() throws -> LoadedRecord? {
            guard i < count else { return nil }
            i += 1
            let n = i
            return LoadedRecord(
                origin: RecordOrigin(file: "memory", line: n),
                content: .pending({ Document(id: "d\(n)", text: "First of \(n). Second of \(n).") }))
        }
    }
}

/// `extract split`: sentence spans at ". ".
struct Splitter: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "split", help: "split at periods",
        requires: [.text], provides: [.sentences])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ d: inout Document) throws {
        var spans: [Span] = []
        var start = 0
        let scalars = Array(d.text.unicodeScalars)
        for (i, u) in scalars.enumerated() where u == "." {
            spans.append(Span(start: start, end: i + 1))
            start = i + 2
        }
        d.sentences = spans
    }
}

/// `extract fail ids=[...]`: fails on the listed ids.
struct Failer: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "fail", help: "fails on some ids",
        options: [ids],
        requires: [.text])
    static let ids = StageOption<[String]>("ids", default: [], help: "ids to fail")
    let ids: Set<String>
    init(options: StageOptions, context: StageContext) throws { ids = Set(options[Self.ids]) }
    func process(_ d: inout Document) throws {
        if ids.contains(d.id) { throw DocumentError("planned failure for \(d.id)") }
    }
}

/// `summarize first sentences=K mode=a|b`.
struct Lead: SummarizeStage {
    static let descriptor = StageDescriptor(
        kind: .summarize, name: "first", help: "first sentences",
        options: [sentences, ratio, mode, words],
        requires: [.sentences], provides: [.summary])
    enum Mode: String, OptionEnum { case strict, loose }
    static let sentences = StageOption<Int>("sentences", default: 1, range: 1...10, help: "how many")
    static let ratio = StageOption<Double?>("ratio", range: 0...1, help: "share")
    static let mode = StageOption<Mode>("mode", default: .strict, help: "mode")
    static let words = StageOption<[String]>("words", default: [], help: "words")
    let k: Int
    init(options: StageOptions, context: StageContext) throws {
        if options.isExplicit(Self.sentences) && options[Self.ratio] != nil {
            throw StageConfigurationError("not both", option: Self.ratio.name)
        }
        k = options[Self.sentences]
    }
    func process(_ d: inout Document) throws {
        let s = d.sentences ?? []
        let chosen = Array(0..<min(k, s.count))
        d.summary = Summary(sentences: chosen, text: chosen.map { d.text.slice(s[$0]) }.joined(separator: " "))
    }
}

/// `write collect name=X`: collects documents into a shared box.
struct Collector: WriteStage {
    static let descriptor = StageDescriptor(
        kind: .write, name: "collect", help: "collects",
        options: [output])
    static let output = Group(OutputPath.self)
    let name: String
    init(options: StageOptions, context: StageContext) throws { name = try options[Self.output].path }
    func makeWriter() throws -> any DocumentWriter { Writer(box: CollectorBox.box(name)) }
    final class Writer: DocumentWriter {
        let box: CollectorBox
        var docs: [Document] = []
        init(box: CollectorBox) { self.box = box }
        func write(_ document: Document) throws { docs.append(document) }
        func finish() throws { box.set(docs, finished: true) }
        func abort() { box.set(docs, finished: false) }
    }
}

/// `write lines path=X`: one line per document, `id|first sentence`, encoded by the workers (``EncodingWriter``);
/// the box gets the text and how many documents came each way.
struct Lines: WriteStage {
    static let descriptor = StageDescriptor(kind: .write, name: "lines", help: "lines", options: [output])
    static let output = Group(OutputPath.self)
    let name: String
    init(options: StageOptions, context: StageContext) throws { name = try options[Self.output].path }
    func makeWriter() throws -> any DocumentWriter { Writer(box: LinesBox.box(name)) }

    struct Encoder: DocumentEncoder {
        func encode(_ d: Document, into out: inout JSONWriter) {
            var line = "\(d.id)|\(d.sentences.map { d.text.slice($0[0]) } ?? "")\n"
            line.withUTF8 { out.append($0) }
        }
    }

    final class Writer: EncodingWriter {
        let box: LinesBox
        var bytes: [UInt8] = []
        var direct = 0, encoded = 0
        init(box: LinesBox) { self.box = box }
        var encoder: any DocumentEncoder { Encoder() }
        func write(_ document: Document) throws {
            var w = JSONWriter()
            Encoder().encode(document, into: &w)
            bytes += w.bytes
            direct += 1
        }
        func writeEncoded(_ b: UnsafeBufferPointer<UInt8>) throws {
            bytes += Array(b)
            encoded += 1
        }
        func finish() throws { box.set(String(decoding: bytes, as: UTF8.self), direct: direct, encoded: encoded) }
        func abort() {}
    }
}

/// Shared results of `write lines`, by name.
final class LinesBox: @unchecked Sendable {
    private let lock = NSLockShim()
    private var _text = "", _direct = 0, _encoded = 0

    static func box(_ name: String) -> LinesBox { NamedBoxes.box(name, LinesBox.init) }

    func set(_ t: String, direct: Int, encoded: Int) {
        lock.withLock {
            _text = t; _direct = direct; _encoded = encoded
        }
    }
    var result: (text: String, direct: Int, encoded: Int) { lock.withLock { (_text, _direct, _encoded) } }
}

/// `extract picky level=N` requires a path option (required-option tests).
struct Picky: ExtractStage {
    static let descriptor = StageDescriptor(
        kind: .extract, name: "picky", help: "needs things",
        options: [
            StageOption<String>.required("model", type: .path, help: "a model file"),
            StageOption<Int>("level", default: 1, range: 1...5, help: "a level"),
        ],
        requires: [.summary], provides: ["custom_layer"])
    init(options: StageOptions, context: StageContext) throws {}
    func process(_ d: inout Document) throws { d.layers["custom_layer"] = .string("x") }
}

/// Shared results of `write collect`, by name.
final class CollectorBox: @unchecked Sendable {
    private let lock = NSLockShim()
    private var _docs: [Document] = []
    private var _finished: Bool?

    static func box(_ name: String) -> CollectorBox { NamedBoxes.box(name, CollectorBox.init) }

    func set(_ d: [Document], finished: Bool) {
        lock.withLock {
            _docs = d; _finished = finished
        }
    }
    var docs: [Document] { lock.withLock { _docs } }
    var finished: Bool? { lock.withLock { _finished } }
}

typealias NSLockShim = NSLock

/// The test writers' shared result boxes, by type and name (a test reads what a stage it built wrote).
enum NamedBoxes {
    private static let lock = NSLockShim()
    nonisolated(unsafe) private static var boxes: [String: AnyObject] = [:]

    /// The box of type `B` named `name`, made by `make` the first time.
    static func box<B: AnyObject>(_ name: String, _ make: () -> B) -> B {
        lock.withLock {
            let key = "\(B.self)/\(name)"
            if let b = boxes[key] as? B { return b }
            let b = make()
            boxes[key] = b
            return b
        }
    }
}
