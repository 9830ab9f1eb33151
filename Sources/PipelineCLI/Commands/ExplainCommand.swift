import ArgumentParser
import Foundation
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
        let (built, outcome) = definition.build(registry: registry, jobs: 1, loadResources: false)
        guard let pipeline = built else { return PipelineCLI.usageError }
        Console.out(Self.render(pipeline, registry: outcome.registry))
        pipeline.shutdown()
        return 0
    }

    /// The explanation text; `registry` (the one the pipeline was built with) says which stages come from plugins.
    static func render(_ pipeline: Pipeline, registry: StageRegistry = StageRegistry()) -> String {
        var out =
            "pipeline \(pipeline.name)" + (pipeline.file.map { " (\($0))" } ?? "")
            + ", \(pipeline.stages.count) stages\n"
        if !registry.plugins.isEmpty {
            out += "plugins:\n"
            for p in registry.plugins {
                out += "  \(p.path)    [\(PluginABI.describe(p.stamp)); \(p.stageNames.joined(separator: ", "))]\n"
            }
        }
        if !pipeline.variables.isEmpty {
            out += "variables:\n"
            for (name, v) in pipeline.variables {
                out += "  \(name) = \(v.value)    [\(v.origin)]\n"
            }
        }
        var provided: [Layer] = []
        for (i, s) in pipeline.stages.enumerated() {
            let plugin = registry.plugin(registering: s.descriptor.kind, s.descriptor.name)
            out +=
                "\(i + 1). \(s.label)" + (s.location.map { "    \($0.file):\($0.line)" } ?? "")
                + (plugin.map { "    (plugin \(($0.path as NSString).lastPathComponent))" } ?? "") + "\n"
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
