// core-fingerprint core|plugin OUTPUT CORE-SOURCE...: writes OUTPUT, a Swift file with the ABI stamp of the core whose
// sources are given: the core version (read from the `coreVersion = "..."` line), a fingerprint of every source file
// (FNV-1a 64 of each file's path below the core's folder and its bytes, in path order) and the compiler (`#if
// compiler`, evaluated where the file is compiled). For the core (`core`) the file defines `PluginABI.stamp`; for a
// plugin (`plugin`) it defines the plugin's `pipeline_plugin_abi` entry point returning the same text. Each module gets
// its own generated file, regenerated whenever a core source changes, so a plugin rebuilt after a core edit carries the
// new stamp (a stamp inlined from the core's module would not be recompiled). Run by the CoreFingerprint plugin.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, ["core", "plugin"].contains(arguments[0]) else {
    FileHandle.standardError.write(Data("usage: core-fingerprint core|plugin OUTPUT CORE-SOURCE...\n".utf8))
    exit(2)
}
let mode = arguments[0]
let output = arguments[1]
let sources = arguments.dropFirst(2).sorted()

/// The folder all sources share, so that the fingerprint does not depend on where the checkout is.
func commonFolder(_ paths: [String]) -> String {
    var prefix = paths.first.map { ($0 as NSString).deletingLastPathComponent } ?? ""
    for p in paths where !p.hasPrefix(prefix + "/") {
        while !prefix.isEmpty && !p.hasPrefix(prefix + "/") { prefix = (prefix as NSString).deletingLastPathComponent }
    }
    return prefix
}

/// FNV-1a 64.
struct Hasher64 {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func mix(_ bytes: some Sequence<UInt8>) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01b3
        }
    }
}

let root = commonFolder(Array(sources))
var hasher = Hasher64()
var version: String?
for path in sources {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("core-fingerprint: cannot read \(path)\n".utf8))
        exit(1)
    }
    hasher.mix(String(path.dropFirst(root.count)).utf8)
    hasher.mix([0])
    hasher.mix(data)
    hasher.mix([0])
    if version == nil, let text = String(data: data, encoding: .utf8),
        let range = text.range(of: #"coreVersion = "[^"]+""#, options: .regularExpression)
    {
        version = String(text[range].dropFirst("coreVersion = \"".count).dropLast())
    }
}
guard let version else {
    FileHandle.standardError.write(Data("core-fingerprint: no `coreVersion = \"...\"` in the sources\n".utf8))
    exit(1)
}
let fingerprint = String(hasher.value, radix: 16)
let core = "core \(version) (sources \(String(repeating: "0", count: 16 - fingerprint.count) + fingerprint))"

// The compiler is named by `#if compiler(...)`, evaluated when the file is compiled (by the plugin's compiler, in a
// plugin), newest first.
var branches: [(String, String)] = [
    ("7.0", "7.0 or later"), ("6.6", "6.6 or later 6.x"), ("6.5", "6.5"), ("6.4", "6.4"),
]
for minor in [3, 2, 1, 0] {
    branches.append(("6.\(minor).4", "6.\(minor).4 or later 6.\(minor)"))
    for patch in [3, 2, 1, 0] { branches.append(("6.\(minor).\(patch)", "6.\(minor).\(patch)")) }
}
var chain = ""
for (i, b) in branches.enumerated() {
    chain += "    \(i == 0 ? "#if" : "#elseif") compiler(>=\(b.0))\n"
    chain += "    return \"pipeline-plugin-abi: \(core), Swift \(b.1)\"\n"
}
chain += "    #else\n    return \"pipeline-plugin-abi: \(core), Swift before 6.0\"\n    #endif"

let file: String
if mode == "core" {
    file = """
        // Generated at build time by core-fingerprint (Sources/PipelineCore/Fingerprint); do not edit.

        extension PluginABI {
            /// "pipeline-plugin-abi: core VERSION (sources FINGERPRINT), Swift COMPILER": this core's sources and the
            /// compiler that built it.
            public static var stamp: StaticString {
        \(chain.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            }
        }

        """
} else {
    file = """
        // Generated at build time by core-fingerprint (the pipeline core's CoreFingerprint plugin); do not edit.

        /// The stamp of the core and compiler this plugin was built with.
        private var pipelinePluginStamp: StaticString {
        \(chain)
        }

        /// The core version, core sources and compiler this library was built with: `pipeline` reads it (from the file,
        /// before loading it) and refuses a plugin built for another core or by another compiler.
        @_cdecl("pipeline_plugin_abi")
        public func pipelinePluginABI() -> UnsafePointer<CChar> {
            UnsafeRawPointer(pipelinePluginStamp.utf8Start).assumingMemoryBound(to: CChar.self)
        }

        """
}
let existing = FileManager.default.contents(atPath: output)
if existing != Data(file.utf8) {
    do {
        try file.write(toFile: output, atomically: true, encoding: .utf8)
    } catch {
        FileHandle.standardError.write(Data("core-fingerprint: cannot write \(output): \(error)\n".utf8))
        exit(1)
    }
}
