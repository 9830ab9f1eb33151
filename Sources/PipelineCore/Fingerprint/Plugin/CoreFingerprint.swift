import PackagePlugin

/// Generates the ABI stamp of the pipeline core (version, a fingerprint of every core source file, compiler) at build
/// time with the `core-fingerprint` tool. Applied to the core, it defines `PluginABI.stamp`; applied to a plugin's
/// target (`plugins: [.plugin(name: "CoreFingerprint", package: "PipelineCore")]`), it defines the plugin's
/// `pipeline_plugin_abi` entry point from the core sources the plugin is built with. Either file is regenerated when a
/// core source changes, so `pipeline` refuses a plugin built from other core sources or by another compiler, and
/// accepts one rebuilt from the same.
@main
struct CoreFingerprint: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let isCore = target.name == "PipelineCore"
        guard let core = isCore ? target as? SourceModuleTarget : Self.coreTarget(in: context.package) else {
            throw PluginError("\(target.name) uses CoreFingerprint but its package does not depend on PipelineCore")
        }
        let sources = core.sourceFiles(withSuffix: "swift").map(\.url)
        let output = context.pluginWorkDirectoryURL.appending(path: isCore ? "CoreStamp.swift" : "PluginStamp.swift")
        return [
            .buildCommand(
                displayName: "Stamping \(target.name) with the pipeline core's version, sources and compiler",
                executable: try context.tool(named: "core-fingerprint").url,
                arguments: [isCore ? "core" : "plugin", output.path] + sources.map(\.path),
                inputFiles: sources,
                outputFiles: [output])
        ]
    }

    /// The PipelineCore target among `package`'s dependencies, at any depth.
    static func coreTarget(in package: Package) -> SourceModuleTarget? {
        var queue = package.dependencies.map(\.package)
        var seen = Set<String>()
        while let p = queue.first {
            queue.removeFirst()
            guard seen.insert(p.id).inserted else { continue }
            if let t = p.targets.first(where: { $0.name == "PipelineCore" }) as? SourceModuleTarget { return t }
            queue += p.dependencies.map(\.package)
        }
        return nil
    }
}

/// A message for SwiftPM to show.
struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
