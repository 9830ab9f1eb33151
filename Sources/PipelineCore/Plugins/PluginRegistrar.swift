/// What a plugin's entry point registers its stages into. The loader passes one to the plugin's
/// `pipeline_plugin_register` as an opaque pointer; the plugin hands its stage types to
/// ``register(_:into:)``, and the loader registers them in the ``StageRegistry`` afterwards, so a registration error
/// (a duplicate name, a kind mismatch) names the plugin file.
///
/// A plugin's entry point (what `Scripts/new-stage --plugin` writes):
///
/// ```swift
/// @_cdecl("pipeline_plugin_register")
/// public func pipelinePluginRegister(_ registrar: UnsafeMutableRawPointer) -> Int32 {
///     PluginRegistrar.register([ShoutingExtractor.self], into: registrar)
/// }
///
/// @_cdecl("pipeline_plugin_abi")
/// public func pipelinePluginABI() -> UnsafePointer<CChar> { PluginABI.stampPointer }
/// ```
public final class PluginRegistrar {
    /// The stage types registered so far, in order.
    public private(set) var types: [any Stage.Type] = []
    /// Stage types that replace a built-in stage of the same kind and name on purpose.
    public private(set) var replacing: [any Stage.Type] = []

    /// An empty registrar.
    public init() {}

    /// Adds stage types (registered after the built-in ones; each kind and name once).
    public func register(_ types: [any Stage.Type]) { self.types += types }

    /// Adds stage types that replace built-in stages of the same kind and name.
    public func replace(_ types: [any Stage.Type]) { replacing += types }

    /// For a plugin's entry point: registers `types` (and `replacing`) into the registrar behind `pointer`, and returns
    /// 0, the entry point's success code.
    @discardableResult
    public static func register(
        _ types: [any Stage.Type], replacing: [any Stage.Type] = [],
        into pointer: UnsafeMutableRawPointer
    ) -> Int32 {
        let registrar = Unmanaged<PluginRegistrar>.fromOpaque(pointer).takeUnretainedValue()
        registrar.register(types)
        registrar.replace(replacing)
        return 0
    }

    /// Calls a plugin's entry point with a fresh registrar and returns what it registered.
    func collect(
        calling entry: @convention(c) (UnsafeMutableRawPointer) -> Int32
    ) -> (code: Int32, registrar: PluginRegistrar) {
        let pointer = Unmanaged.passRetained(self).toOpaque()
        defer { Unmanaged<PluginRegistrar>.fromOpaque(pointer).release() }
        return (entry(pointer), self)
    }
}
