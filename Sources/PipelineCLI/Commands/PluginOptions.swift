import ArgumentParser
import Foundation
import PipelineCore

/// `--plugin PATH` (repeatable), on every command that names stages, and `PIPELINE_PLUGINS` (colon-separated): plugin
/// libraries whose stages join the built-in ones. Named by the user on the command line or in the environment, they
/// load without `--allow-commands` (a `plugin` line in a `.pipe` file needs it, or the trust file).
struct PluginOptions: ParsableArguments {
    @Option(
        name: .customLong("plugin"),
        help: ArgumentHelp(
            "Load a plugin library's stages (repeat for several; also $PIPELINE_PLUGINS, colon-separated).",
            valueName: "PATH"),
        completion: .file(extensions: ["so"]))
    var paths: [String] = []

    /// The environment's plugins, then the command line's.
    var requested: [String] {
        let env = ProcessInfo.processInfo.environment["PIPELINE_PLUGINS"] ?? ""
        return env.split(separator: ":").map(String.init).filter { !$0.isEmpty } + paths
    }

    /// `registry` with the stages of every requested plugin.
    ///
    /// - Throws: ``PluginError`` for the first plugin that cannot be loaded or registered.
    func extend(_ registry: StageRegistry, loader: PluginLoader = .shared) throws(PluginError) -> StageRegistry {
        var r = registry
        for path in requested { try r.register(plugin: loader.load(path)) }
        return r
    }
}
