import ArgumentParser
import PipelineCore

/// `pipeline explain FILE`.
struct ExplainCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract:
            "Print the resolved pipeline: each stage, each option's value and where it came from, requires and provides."
    )

    @OptionGroup var definition: DefinitionOptions

    @OptionGroup var plugins: PluginOptions

    func execute(registry: StageRegistry) -> Int32 {
        let (built, _) = definition.build(registry: registry, jobs: 1, loadResources: false)
        guard let pipeline = built else { return PipelineCLI.usageError }
        Console.out(Self.render(pipeline))
        pipeline.shutdown()
        return 0
    }

    /// The explanation text.
    static func render(_ pipeline: Pipeline) -> String {
        var out =
            "pipeline \(pipeline.name)" + (pipeline.file.map { " (\($0))" } ?? "")
            + ", \(pipeline.stages.count) stages\n"
        if !pipeline.variables.isEmpty {
            out += "variables:\n"
            for (name, v) in pipeline.variables {
                out += "  \(name) = \(v.value)    [\(v.origin)]\n"
            }
        }
        var provided: [Layer] = []
        for (i, s) in pipeline.stages.enumerated() {
            out += "\(i + 1). \(s.label)" + (s.location.map { "    \($0.file):\($0.line)" } ?? "") + "\n"
            out += "   \(s.descriptor.help)\n"
            let width = s.descriptor.options.map(\.name.count).max() ?? 0
            for spec in s.descriptor.options {
                let name = spec.name.padding(toLength: width, withPad: " ", startingAt: 0)
                if let v = s.options.values[spec.name] {
                    out += "   \(name) = \(v)    [\(s.options.origins[spec.name]?.description ?? "default")]\n"
                } else {
                    out += "   \(name)   (not set)\n"
                }
            }
            if !s.descriptor.requires.isEmpty {
                out += "   requires: \(s.descriptor.requires.map(\.name).joined(separator: ", "))\n"
            }
            if !s.provides.isEmpty {
                out += "   provides: \(s.provides.map(\.name).joined(separator: ", "))\n"
            }
            for l in s.provides where !provided.contains(l) { provided.append(l) }
        }
        out += "layers at the end: \(provided.map(\.name).joined(separator: ", "))\n"
        return out
    }
}
