import PipelineCore

/// `load memory`: a loader for the `.pipe` fuzz target that touches no file, with options of every type.
struct FuzzLoader: LoadStage {
    enum Mode: String, OptionEnum { case fast, careful }
    static let path = StageOption<String>("path", default: "-", type: .path, role: .input, help: "ignored")
    static let count = StageOption<Int>("count", default: 1, range: 0...100, help: "documents")
    static let weight = StageOption<Double?>("weight", range: 0...1, help: "a weight")
    static let mode = StageOption<Mode>("mode", default: .fast, help: "a mode")
    static let names = StageOption<[String]>("names", default: [], help: "names")
    static let flag = StageOption<Bool>("flag", default: false, help: "a flag")
    static let mapping = Group(FieldMapping.self)
    static let descriptor = StageDescriptor(
        kind: .load, name: "memory", help: "fuzz loader",
        options: [path, count, weight, mode, names, flag, mapping],
        provides: [.text, .title])

    let count: Int

    init(options: StageOptions, context: StageContext) throws {
        count = options[Self.count]
        _ = (options[Self.weight], options[Self.mode], options[Self.names], options[Self.flag])
        _ = try options[Self.mapping]
    }

    func makeReader() throws -> any DocumentReader { Reader(count: count) }

    struct Reader: DocumentReader {
        let count: Int
        var i = 0
        mutating func next() throws -> LoadedRecord? {
            guard i < count else { return nil }
            i += 1
            return LoadedRecord(
                origin: RecordOrigin(file: "memory", line: i),
                content: .document(Document(id: "d\(i)", text: "Text \(i).")))
        }
    }
}
