import PipelineCLI
import PipelineCore
import PipelineStages
import Testing

/// A JSONL writer of one's own, meant to replace the built-in one.
private struct MyJSONLWriter: WriteStage {
    static let descriptor = StageDescriptor(
        kind: .write, name: "jsonl", help: "my own JSON Lines",
        options: [Group(OutputPath.self)])
    init(options: StageOptions, context: StageContext) throws {}
    func makeWriter() throws -> any DocumentWriter { fatalError("not run here") }
}

/// A writer that declares the wrong kind.
private struct WrongKind: WriteStage {
    static let descriptor = StageDescriptor(kind: .summarize, name: "oops", help: "wrong kind")
    init(options: StageOptions, context: StageContext) throws {}
    func makeWriter() throws -> any DocumentWriter { fatalError("not run here") }
}

/// What `PipelineCLI.main(registering:replacing:)` registers (main itself exits 70 with the error's message).
struct RegistrationTests {
    @Test func customStagesRegisterOnceOrReplaceOnPurpose() throws {
        #expect(throws: StageRegistrationError.duplicate(stage: "write jsonl", type: "MyJSONLWriter")) {
            try PipelineCLI.registry(registering: [MyJSONLWriter.self])
        }
        let replaced = try PipelineCLI.registry(replacing: [MyJSONLWriter.self])
        #expect(replaced.factory(kind: .write, name: "jsonl")?.descriptor.help == "my own JSON Lines")
        #expect(
            throws: StageRegistrationError.kindMismatch(type: "WrongKind", declared: .summarize, conformsTo: .write)
        ) {
            try PipelineCLI.registry(registering: [WrongKind.self])
        }
        #expect(PipelineCLI.softwareError == 70)
    }
}
