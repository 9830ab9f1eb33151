/// A plugin library loaded into this process: where it is and the stage types it registered.
public struct LoadedPlugin: Sendable, Hashable {
    /// The absolute, symlink-resolved path of the library (one plugin per file, loaded once per process).
    public var path: String
    /// The stamp the plugin was built with (``PluginABI/stamp``).
    public var stamp: String
    /// The stage types it registers, in order.
    public var types: [any Stage.Type]
    /// The stage types it puts in place of built-in ones.
    public var replacing: [any Stage.Type]

    /// A plugin's record (``PluginLoader`` makes them; tests and front ends that bundle stages may too).
    public init(path: String, stamp: String, types: [any Stage.Type], replacing: [any Stage.Type] = []) {
        self.path = path
        self.stamp = stamp
        self.types = types
        self.replacing = replacing
    }

    /// `kind name` of every stage the plugin registers or replaces.
    public var stageNames: [String] { (types + replacing).map { $0.descriptor.qualifiedName } }

    /// Plugins are equal when they are the same file.
    public static func == (a: LoadedPlugin, b: LoadedPlugin) -> Bool { a.path == b.path }

    /// Hashes the path.
    public func hash(into hasher: inout Hasher) { hasher.combine(path) }
}
