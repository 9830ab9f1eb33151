/// What a plugin and the `pipeline` that loads it must agree on before any of the plugin's code runs.
///
/// Swift has no stable ABI on Linux: a plugin compiled against another version of the core, or by another compiler,
/// may lay out the core's types differently and crash the process that loads it. So every plugin carries a stamp of the
/// core version, the core's sources (a fingerprint of every file) and the compiler it was built with (its
/// `pipeline_plugin_abi`, generated into the plugin at build time by the core's CoreFingerprint build-tool plugin, like
/// ``stamp`` for the core itself), and ``PluginLoader`` refuses a plugin whose stamp differs from the running core's
/// (``hostStamp``) without loading it.
public enum PluginABI {
    /// The version of this core, raised with releases and with changes to the core's public declarations. The stamp
    /// repeats it, with a fingerprint of the sources that changes with any edit (a test checks they agree).
    public static let coreVersion = "0.23.0"

    /// The C symbol a plugin exports to register its stages: `@convention(c) (UnsafeMutableRawPointer) -> Int32`,
    /// given a ``PluginRegistrar`` (see ``PluginRegistrar/register(_:into:)``).
    public static let registerSymbol = "pipeline_plugin_register"

    /// The C symbol a plugin exports to return its stamp: `@convention(c) () -> UnsafePointer<CChar>` (generated into
    /// the plugin by CoreFingerprint).
    public static let stampSymbol = "pipeline_plugin_abi"

    /// The prefix of every stamp, which the loader looks for in a plugin file before loading it.
    public static let stampPrefix = "pipeline-plugin-abi: "

    /// The stamp of the running core (the `pipeline` that loads plugins). A plugin's own stamp is generated into the
    /// plugin by the same CoreFingerprint build-tool plugin, from the core sources it is built with.
    public static let hostStamp: String = String(describing: stamp)

    /// The stamp without its prefix ("core 0.23.0 (sources 5f3a…), Swift 6.3.1"), for messages.
    public static func describe(_ stamp: String) -> String {
        stamp.hasPrefix(stampPrefix) ? String(stamp.dropFirst(stampPrefix.count)) : stamp
    }
}
