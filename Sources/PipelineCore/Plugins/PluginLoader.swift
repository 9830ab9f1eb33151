import CDynamicLinker
import Foundation
import Synchronization

/// Loads plugin libraries into the process with the dynamic linker, once per file, after checking that each was built
/// against this core by this compiler. Nothing of a plugin runs before its stamp has matched.
///
/// The checks, in order: the path is a regular file; it is an ELF file; it carries a ``PluginABI/stamp`` (read from
/// the file's bytes, before loading) equal to ``PluginABI/hostStamp``; `dlopen` succeeds; the library's core is the
/// one this process runs (not a copy of its own); its `pipeline_plugin_abi` agrees with the file's stamp; its
/// `pipeline_plugin_register` returns 0.
public final class PluginLoader: Sendable {
    /// The process's loader (a library is loaded once per process however many registries use it).
    public static let shared = PluginLoader()

    private let loaded = Mutex<[String: LoadedPlugin]>([:])

    /// A loader with nothing loaded.
    public init() {}

    /// The plugins loaded so far, in no particular order.
    public var plugins: [LoadedPlugin] { loaded.withLock { Array($0.values) } }

    /// The largest plugin file read for its stamp (a debug build of a large plugin is tens of MB).
    static let maxFileBytes = 1 << 30

    /// Loads the plugin at `path` (or returns it, when this process has loaded it already).
    ///
    /// - Throws: ``PluginError``, naming the file and what to do.
    public func load(_ path: String) throws(PluginError) -> LoadedPlugin {
        let canonical = Self.canonicalPath(path)
        if let p = loaded.withLock({ $0[canonical] }) { return p }
        let plugin = try Self.open(canonical, shownAs: path)
        return loaded.withLock { table in
            if let p = table[canonical] { return p }
            table[canonical] = plugin
            return plugin
        }
    }

    /// `path` absolute, with `.` and `..` and symbolic links resolved: how plugins are told apart.
    public static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func open(_ path: String, shownAs shown: String) throws(PluginError) -> LoadedPlugin {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .notFound(path: shown) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notAFile(path: shown, what: "a directory")
        case S_IFIFO: throw .notAFile(path: shown, what: "a FIFO")
        case S_IFSOCK: throw .notAFile(path: shown, what: "a socket")
        default: throw .notAFile(path: shown, what: "a device")
        }
        // Mapped, not copied: the stamp search touches the pages it reads, and dlopen maps the file again anyway.
        guard Int(st.st_size) <= maxFileBytes,
            let bytes = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        else {
            throw .notALibrary(
                path: shown, reason: Int(st.st_size) > maxFileBytes ? "larger than 1 GB" : "cannot be read")
        }
        guard bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46]) else {
            throw .notALibrary(path: shown, reason: "not an ELF file")
        }
        let rebuild = rebuildCommand(for: path)
        guard let fileStamp = stamp(in: bytes) else {
            throw .notAPlugin(path: shown, missing: "ABI stamp (\(PluginABI.stampPrefix)…)")
        }
        guard fileStamp == PluginABI.hostStamp else {
            throw .incompatible(path: shown, plugin: fileStamp, host: PluginABI.hostStamp, rebuild: rebuild)
        }
        let coreFile = try hostCoreFile(plugin: shown)
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw .notALibrary(path: shown, reason: reason)
        }
        // From here on the library stays loaded (unloading Swift code is not supported).
        if let marker = dlsym(handle, "pipeline_core_file") {
            if let f = pipeline_object_file(marker), canonicalPath(String(cString: f)) != coreFile {
                throw .ownCore(path: shown, rebuild: rebuild)
            }
        }
        guard let abi = dlsym(handle, PluginABI.stampSymbol) else {
            throw .notAPlugin(path: shown, missing: "\(PluginABI.stampSymbol) function")
        }
        let abiFunction = unsafeBitCast(abi, to: (@convention(c) () -> UnsafePointer<CChar>).self)
        let reported = String(cString: abiFunction())
        guard reported == PluginABI.hostStamp else {
            throw .incompatible(path: shown, plugin: reported, host: PluginABI.hostStamp, rebuild: rebuild)
        }
        guard let entry = dlsym(handle, PluginABI.registerSymbol) else {
            throw .notAPlugin(path: shown, missing: "\(PluginABI.registerSymbol) function")
        }
        let register = unsafeBitCast(entry, to: (@convention(c) (UnsafeMutableRawPointer) -> Int32).self)
        let (code, registrar) = PluginRegistrar().collect(calling: register)
        guard code == 0 else { throw .entryFailed(path: shown, code: code) }
        return LoadedPlugin(path: path, stamp: reported, types: registrar.types, replacing: registrar.replacing)
    }

    /// The file that holds this process's core: libPipelineCore.so, or the executable in a static build.
    public static var coreFile: String? { pipeline_core_file().map { canonicalPath(String(cString: $0)) } }

    /// The shared core's file; a static build (the core inside the executable) loads no plugin.
    private static func hostCoreFile(plugin: String) throws(PluginError) -> String {
        guard let file = coreFile else {
            throw .staticHost(path: plugin)
        }
        guard file != canonicalPath("/proc/self/exe") else { throw .staticHost(path: plugin) }
        return file
    }

    /// The first stamp in a file's bytes (the literal a plugin's `pipeline_plugin_abi` returns), up to its NUL; the
    /// bare prefix (the core's own constant, in libPipelineCore.so) is passed over.
    static func stamp(in bytes: Data) -> String? {
        let prefix = Data(PluginABI.stampPrefix.utf8)
        var from = bytes.startIndex
        while let hit = bytes.range(of: prefix, in: from..<bytes.endIndex) {
            let end =
                bytes[hit.upperBound...].prefix(256).firstIndex(of: 0) ?? min(bytes.endIndex, hit.upperBound + 256)
            if end > hit.upperBound { return String(decoding: bytes[hit.lowerBound..<end], as: UTF8.self) }
            from = hit.upperBound
        }
        return nil
    }

    /// How to rebuild the plugin at `path`: its package folder is the part before `/.build/` when it is in a build
    /// folder.
    static func rebuildCommand(for path: String) -> String {
        if let r = path.range(of: "/.build/") {
            return "pipeline plugin build \(path[..<r.lowerBound])"
        }
        return "pipeline plugin build PLUGIN_PACKAGE_DIR"
    }
}
