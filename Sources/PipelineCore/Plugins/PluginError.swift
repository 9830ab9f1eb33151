/// Why a plugin cannot be loaded or registered. Every case names the plugin file and says what to do.
public enum PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at the path.
    case notFound(path: String)
    /// The path is a directory, a FIFO, a device or a socket.
    case notAFile(path: String, what: String)
    /// The file is not a shared library (or the dynamic linker refused it).
    case notALibrary(path: String, reason: String)
    /// A shared library, but not a pipeline plugin: it carries no ABI stamp or has no entry point.
    case notAPlugin(path: String, missing: String)
    /// Built against another core version or by another compiler (the plugin is not loaded).
    case incompatible(path: String, plugin: String, host: String, rebuild: String)
    /// The plugin carries its own copy of the core instead of using the shared one.
    case ownCore(path: String, rebuild: String)
    /// The running `pipeline` has its core linked in statically, so no plugin can share it.
    case staticHost(path: String)
    /// The entry point returned an error code.
    case entryFailed(path: String, code: Int32)
    /// A stage the plugin registers cannot be registered (duplicate name, kind mismatch, ...).
    case registration(path: String, error: StageRegistrationError)

    /// The plugin file.
    public var path: String {
        switch self {
        case .notFound(let p), .notAFile(let p, _), .notALibrary(let p, _), .notAPlugin(let p, _),
            .incompatible(let p, _, _, _), .ownCore(let p, _), .staticHost(let p), .entryFailed(let p, _),
            .registration(let p, _):
            return p
        }
    }

    /// A message naming the file and what to do.
    public var description: String {
        switch self {
        case .notFound(let p):
            return
                "plugin '\(p)' does not exist; build it with `pipeline plugin build DIR` and give the path of the .so it prints"
        case .notAFile(let p, let what):
            return "plugin '\(p)' is \(what), not a library file"
        case .notALibrary(let p, let reason):
            return "plugin '\(p)' is not a shared library the dynamic linker can load (\(reason))"
        case .notAPlugin(let p, let missing):
            return "'\(p)' is a shared library but not a pipeline plugin: it has no \(missing); "
                + "a plugin package is made with Scripts/new-stage --plugin"
        case .incompatible(let p, let plugin, let host, let rebuild):
            return
                "plugin '\(p)' was built for \(PluginABI.describe(plugin)), but this pipeline is \(PluginABI.describe(host)); "
                + "Swift has no stable ABI on Linux, so it is not loaded. Rebuild it against this pipeline: \(rebuild)"
        case .ownCore(let p, let rebuild):
            return "plugin '\(p)' carries its own copy of the pipeline core instead of the shared libPipelineCore.so "
                + "(it would have its own registry and types); rebuild it as a plugin: \(rebuild)"
        case .staticHost(let p):
            return
                "cannot load plugin '\(p)': this pipeline binary has its core linked in statically (the static build "
                + "for Spark workers); plugins need the standard build (Scripts/pipeline, .build/release/pipeline)"
        case .entryFailed(let p, let code):
            return "plugin '\(p)': its \(PluginABI.registerSymbol) returned \(code) (0 is success)"
        case .registration(let p, let error):
            return "plugin '\(p)': \(error)"
        }
    }
}
