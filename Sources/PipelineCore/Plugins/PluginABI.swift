/// What a plugin and the `pipeline` that loads it must agree on before any of the plugin's code runs.
///
/// Swift has no stable ABI on Linux: a plugin compiled against another version of the core, or by another compiler,
/// may lay out the core's types differently and crash the process that loads it. So every plugin carries a stamp of the
/// core version and compiler it was built with (``stamp``, compiled into the plugin), and ``PluginLoader`` refuses a
/// plugin whose stamp differs from the running core's (``hostStamp``) without loading it.
public enum PluginABI {
    /// The version of this core. Raised with every change to the core's public declarations, so that plugins built
    /// against the previous core are refused rather than run. The stamp below repeats it (a test checks they agree).
    public static let coreVersion = "0.23.0"

    /// The C symbol a plugin exports to register its stages: `@convention(c) (UnsafeMutableRawPointer) -> Int32`,
    /// given a ``PluginRegistrar`` (see ``PluginRegistrar/register(_:into:)``).
    public static let registerSymbol = "pipeline_plugin_register"

    /// The C symbol a plugin exports to return its stamp: `@convention(c) () -> UnsafePointer<CChar>`, the
    /// ``stampPointer`` it was compiled with.
    public static let stampSymbol = "pipeline_plugin_abi"

    /// The prefix of every stamp, which the loader looks for in a plugin file before loading it.
    public static let stampPrefix = "pipeline-plugin-abi: "

    /// "pipeline-plugin-abi: core VERSION, Swift COMPILER", for the core and compiler that compiled the code calling
    /// it: emitted into the client, so a plugin's copy names the core and compiler the plugin was built with.
    @_alwaysEmitIntoClient
    public static var stamp: StaticString {
        #if compiler(>=7.0)
        return "pipeline-plugin-abi: core 0.23.0, Swift 7.0 or later"
        #elseif compiler(>=6.6)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.6 or later 6.x"
        #elseif compiler(>=6.5)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.5"
        #elseif compiler(>=6.4)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.4"
        #elseif compiler(>=6.3.4)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.3.4 or later 6.3"
        #elseif compiler(>=6.3.3)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.3.3"
        #elseif compiler(>=6.3.2)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.3.2"
        #elseif compiler(>=6.3.1)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.3.1"
        #elseif compiler(>=6.3.0)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.3.0"
        #elseif compiler(>=6.2.4)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.2.4 or later 6.2"
        #elseif compiler(>=6.2.3)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.2.3"
        #elseif compiler(>=6.2.2)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.2.2"
        #elseif compiler(>=6.2.1)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.2.1"
        #elseif compiler(>=6.2.0)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.2.0"
        #elseif compiler(>=6.1.4)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.1.4 or later 6.1"
        #elseif compiler(>=6.1.3)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.1.3"
        #elseif compiler(>=6.1.2)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.1.2"
        #elseif compiler(>=6.1.1)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.1.1"
        #elseif compiler(>=6.1.0)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.1.0"
        #elseif compiler(>=6.0.4)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.0.4 or later 6.0"
        #elseif compiler(>=6.0.3)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.0.3"
        #elseif compiler(>=6.0.2)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.0.2"
        #elseif compiler(>=6.0.1)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.0.1"
        #elseif compiler(>=6.0.0)
        return "pipeline-plugin-abi: core 0.23.0, Swift 6.0.0"
        #else
        return "pipeline-plugin-abi: core 0.23.0, Swift before 6.0"
        #endif
    }

    /// ``stamp`` as a NUL-terminated C string in the client's read-only data (what a plugin's `pipeline_plugin_abi`
    /// returns).
    @_alwaysEmitIntoClient
    public static var stampPointer: UnsafePointer<CChar> {
        UnsafeRawPointer(stamp.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// The stamp of the running core (the `pipeline` that loads plugins).
    public static let hostStamp: String = String(describing: stamp)

    /// The stamp without its prefix ("core 0.23.0, Swift 6.3.1"), for messages.
    public static func describe(_ stamp: String) -> String {
        stamp.hasPrefix(stampPrefix) ? String(stamp.dropFirst(stampPrefix.count)) : stamp
    }
}
