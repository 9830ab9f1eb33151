import PackagePlugin

/// Generates the core's ABI stamp (`PluginABI.stamp`) from its sources at build time, with the `core-fingerprint`
/// tool: the core version, a fingerprint of every source file and the compiler. A plugin built from other core sources
/// or by another compiler carries another stamp, and `pipeline` refuses it before loading it.
@main
struct CoreFingerprint: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let sources = module.sourceFiles(withSuffix: "swift").map(\.url)
        let output = context.pluginWorkDirectoryURL.appending(path: "CoreStamp.swift")
        return [
            .buildCommand(
                displayName: "Stamping the pipeline core (version, source fingerprint, compiler)",
                executable: try context.tool(named: "core-fingerprint").url,
                arguments: [output.path] + sources.map(\.path),
                inputFiles: sources,
                outputFiles: [output])
        ]
    }
}
