// swift-tools-version:6.0
// The encoder's speed benchmark (Scripts/bench-encoder): a package of its own, so the main build has no benchmark
// executable. It times PipelineEncoder from the main package on real sentences.
import PackageDescription

let package = Package(
    name: "encoder-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "pipeline", path: "../..")],
    targets: [
        .executableTarget(
            name: "encoder-bench",
            dependencies: [.product(name: "PipelineEncoder", package: "pipeline")])
    ]
)
