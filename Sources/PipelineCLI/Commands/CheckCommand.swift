import ArgumentParser
import PipelineCore

/// `pipeline check FILE`.
struct CheckCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a pipeline definition without reading any document (exit 2 on errors).")

    @OptionGroup var definition: DefinitionOptions

    @OptionGroup var plugins: PluginOptions

    func execute(registry: StageRegistry) -> Int32 {
        let (built, outcome) = definition.build(registry: registry, jobs: 1, checking: true, loadResources: false)
        guard let pipeline = built else { return PipelineCLI.usageError }
        let unchecked = outcome.diagnostics.filter { $0.severity == .warning }.count
        Console.out(
            "\(definition.file): ok (\(pipeline.stages.count) stages: "
                + pipeline.stages.map(\.label).joined(separator: ", ") + ")"
                + (unchecked > 0
                    ? "; \(unchecked) line(s) not checked: they run commands or load plugins, and need --allow-commands"
                    : "") + "\n")
        pipeline.shutdown()
        return 0
    }
}
