import PipelineCore

// The two entry points `pipeline` looks up when it loads this library as a plugin (--plugin PATH, $PIPELINE_PLUGINS or
// a `plugin "PATH"` line). `Scripts/new-stage --plugin` writes this file with the package's stage type in the list;
// add more types to the list as the package grows.

/// Registers the plugin's stages; called once, when the library is loaded.
@_cdecl("pipeline_plugin_register")
public func pipelinePluginRegister(_ registrar: UnsafeMutableRawPointer) -> Int32 {
    PluginRegistrar.register([ExampleExtractor.self], into: registrar)
}

/// The core version and compiler this library was built with: `pipeline` reads it (from the file, before loading it)
/// and refuses a plugin built for another core or by another compiler.
@_cdecl("pipeline_plugin_abi")
public func pipelinePluginABI() -> UnsafePointer<CChar> {
    PluginABI.stampPointer
}
