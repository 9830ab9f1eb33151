// swift-tools-version:6.0
// The libFuzzer driver for the project's fuzz targets (Sources/PipelineFuzzing in the main package). A package of its
// own, so the main build never needs libFuzzer; build and run it with Scripts/fuzz TARGET.
import PackageDescription

let package = Package(
    name: "pipeline-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "pipeline", path: "../..")],
    targets: [
        .executableTarget(
            name: "pipeline-fuzz",
            dependencies: [.product(name: "PipelineFuzzing", package: "pipeline")])
    ]
)
