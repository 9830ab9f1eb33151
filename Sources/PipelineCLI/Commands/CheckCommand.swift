import ArgumentParser
import PipelineCore

/// `pipeline check FILE`.
struct CheckCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a pipeline definition without reading any document (exit 2 on errors).")

    @OptionGroup var definition: DefinitionOptions

    func execute(registry: StageRegistry) -> Int32 {
        let (built, _) = definition.build(registry: registry, jobs: 1)
        guard let pipeline = built else { return PipelineCLI.usageError }
        Console.out("\(definition.file): ok (\(pipeline.stages.count) stages: "
                    + pipeline.stages.map(\.label).joined(separator: ", ") + ")\n")
        return 0
    }
}
