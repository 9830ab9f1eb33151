import Foundation
// swift-tools-version:6.0
import PackageDescription

// The core of pipeline (document model, stage protocols, registry, `.pipe` language, runner and plugin loader) as a
// package of its own, so that it is one shared library, libPipelineCore.so, which the `pipeline` executable and every
// plugin load: a plugin that linked its own copy would have its own registry and its own type metadata (see the
// README, "Plugins"). The pipeline package at the top of the repository depends on it by path, and so does a plugin.
//
// PIPELINE_STATIC_CORE=1 links the core statically instead (Scripts/spark-run's -static-stdlib build, which loads
// no plugins).
let staticCore = ProcessInfo.processInfo.environment["PIPELINE_STATIC_CORE"] == "1"

let package = Package(
    name: "PipelineCore",
    platforms: [.macOS(.v15)],
    products: [
        /// Document model, stage protocols, registry, `.pipe` language, runner and plugin loader.
        .library(name: "PipelineCore", type: staticCore ? .static : .dynamic, targets: ["PipelineCore"]),
        /// Generates a plugin's `pipeline_plugin_abi` (its ABI stamp) from the core sources it is built with; a plugin
        /// target lists it in `plugins:`.
        .plugin(name: "CoreFingerprint", targets: ["CoreFingerprint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0")
    ],
    targets: [
        .target(
            name: "PipelineCore",
            dependencies: [
                "CDynamicLinker",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            path: ".",
            exclude: ["Package.swift", "CDynamicLinker", "Fingerprint"],
            plugins: ["CoreFingerprint"]
        ),
        // The ABI stamp of the core (PluginABI.stamp), generated at build time from the core's sources: see
        // Fingerprint/Tool/main.swift.
        .executableTarget(name: "core-fingerprint", path: "Fingerprint/Tool"),
        .plugin(
            name: "CoreFingerprint", capability: .buildTool(), dependencies: ["core-fingerprint"],
            path: "Fingerprint/Plugin"),
        // dladdr, for the plugin loader (a GNU extension the Swift Glibc module does not expose).
        .target(name: "CDynamicLinker", path: "CDynamicLinker", linkerSettings: [.linkedLibrary("dl")]),
    ]
)
