import ArgumentParser
import PipelineCore

/// `pipeline stages [NAME]`.
struct StagesCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "List every stage grouped by kind, with options, types, defaults and help.")

    @Argument(help: "A stage ('sentences' or 'extract sentences') or a kind ('extract') to show.")
    var name: [String] = []

    @OptionGroup var plugins: PluginOptions

    func execute(registry: StageRegistry) -> Int32 {
        var selected = registry.descriptors
        if !name.isEmpty {
            let words = name.joined(separator: " ").split(separator: " ").map(String.init)
            if words.count == 1, let kind = StageKind(rawValue: words[0]) {
                selected = selected.filter { $0.kind == kind }
            } else if words.count == 2, let kind = StageKind(rawValue: words[0]) {
                selected = selected.filter { $0.kind == kind && $0.name == words[1] }
            } else if words.count == 1 {
                selected = selected.filter { $0.name == words[0] }
            } else {
                selected = []
            }
            if selected.isEmpty {
                let all =
                    registry.descriptors.flatMap { [$0.name, $0.qualifiedName] } + StageKind.allCases.map(\.rawValue)
                let asked = words.joined(separator: " ")
                Console.error("error: no stage '\(asked)'\(Suggest.hint(for: asked, in: all))")
                Console.error("note: `pipeline stages` lists them all")
                return PipelineCLI.usageError
            }
        }
        let training: (StageDescriptor) -> TrainingDescriptor? = { d in
            name.isEmpty ? nil : registry.factory(kind: d.kind, name: d.name)?.training
        }
        Console.out(Self.render(selected, detailed: !name.isEmpty, training: training))
        return 0
    }

    /// The listing text; `training` gives, for a detailed listing, how a trainable stage trains (`pipeline train`).
    static func render(
        _ descriptors: [StageDescriptor], detailed: Bool,
        training: (StageDescriptor) -> TrainingDescriptor? = { _ in nil }
    ) -> String {
        var out = ""
        for kind in StageKind.allCases {
            let ds = descriptors.filter { $0.kind == kind }
            guard !ds.isEmpty else { continue }
            if !out.isEmpty { out += "\n" }
            out += "\(kind):\n"
            for d in ds {
                out += "  \(d.qualifiedName) - \(d.help)\n"
                for o in d.options {
                    var line = "      \(o.name)=\(o.type)"
                    if let def = o.defaultValue { line += " (default \(def))" }
                    if o.isRequired { line += " (required)" }
                    if let lo = o.minimum, let hi = o.maximum {
                        line += o.type == .int ? " [\(Int(lo))…\(Int(hi))]" : " [\(lo)…\(hi)]"
                    }
                    out += line.padding(toLength: max(line.count, 44), withPad: " ", startingAt: 0) + "  \(o.help)\n"
                }
                if detailed || !d.requires.isEmpty || !d.provides.isEmpty {
                    var rp: [String] = []
                    if !d.requires.isEmpty { rp.append("requires: \(d.requires.map(\.name).joined(separator: ", "))") }
                    if !d.provides.isEmpty { rp.append("provides: \(d.provides.map(\.name).joined(separator: ", "))") }
                    if !rp.isEmpty { out += "      " + rp.joined(separator: "; ") + "\n" }
                }
                if detailed, let t = training(d) {
                    out += "      training (pipeline train \(d.qualifiedName)): \(t.help)\n"
                    out += "        files: \(t.formats)\n"
                    out += "        reports \(t.metric) on --dev; \(t.defaultEpochs) epochs unless --epochs\n"
                    for (setting, help) in t.settings.sorted(by: { $0.key < $1.key }) {
                        let line = "        --setting \(setting)=…"
                        out += line.padding(toLength: max(line.count, 44), withPad: " ", startingAt: 0) + "  \(help)\n"
                    }
                }
            }
        }
        return out
    }
}
