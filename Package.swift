// swift-tools-version:6.0
import PackageDescription

/// The core library, from its own package (one shared libPipelineCore.so, with its ABI stamp generated at build time by
/// the core's CoreFingerprint plugin, which StageTemplates uses too; see Sources/PipelineCore/Package.swift).
let core = Target.Dependency.product(name: "PipelineCore", package: "PipelineCore")

let package = Package(
    name: "pipeline",
    platforms: [.macOS(.v15)],
    products: [
        /// The built-in stages (load, extract, summarize, stance, write).
        .library(name: "PipelineStages", targets: ["PipelineStages"]),
        /// The interactive REPL (a command interpreter usable without a terminal).
        .library(name: "PipelineREPL", targets: ["PipelineREPL"]),
        /// The command-line front end as a library, so a package can build its own `pipeline` with extra stages.
        .library(name: "PipelineCLI", targets: ["PipelineCLI"]),
        /// The transformer encoder (tokenizer, weights, forward pass), for Scripts/bench-encoder and custom stages.
        .library(name: "PipelineEncoder", targets: ["PipelineEncoder"]),
        /// The fuzz targets' bodies, for the libFuzzer driver in Scripts/fuzzer (run with Scripts/fuzz TARGET).
        .library(name: "PipelineFuzzing", targets: ["PipelineFuzzing"]),
        .executable(name: "pipeline", targets: ["pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        // The core (document model, stage protocols, `.pipe` language, runner, plugin loader): a package of its own so
        // that it is one shared library, libPipelineCore.so, for the executable and every plugin (Sources/PipelineCore/Package.swift).
        .package(path: "Sources/PipelineCore"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CEditline",
            path: "Sources/CEditline",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .systemLibrary(
            name: "CStemmer",
            path: "Sources/CStemmer",
            providers: [.apt(["libstemmer-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // OpenBLAS, loaded with dlopen when the encoder loads, after choosing its CPU kernels (COpenBLAS.h says why).
        .target(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),
        // The encoder's element-wise loops (GELU, softmax) built for AVX-512, AVX2 and the baseline, chosen at run time.
        .target(
            name: "CKernels",
            path: "Sources/CKernels"
        ),
        // libcurl, loaded with dlopen on first use (the web loaders), so that it is not loaded at every start.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "PipelineStages",
            dependencies: [
                core, "CZlib", "CStemmer", "CLibXML2", "CCurl", "PipelineEncoder",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // Models and data files of the built-in stages (Resources/README.md says how each is made).
            resources: [.copy("Resources")],
            // GRDB's SQL operators must not leak into files that do not import it (type-checking slows to a stop).
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // A BERT-class transformer encoder in Swift: safetensors weights, the WordPiece tokenizer, the forward pass
        // (matrix products through OpenBLAS).
        .target(
            name: "PipelineEncoder",
            dependencies: [core, "COpenBLAS", "CKernels"]
        ),
        // The fuzz targets' bodies (Scripts/fuzz runs them under libFuzzer; the tests replay their corpora).
        .target(
            name: "PipelineFuzzing",
            dependencies: [core, "PipelineStages"]
        ),
        // The templates of Scripts/new-stage, compiled (and tested) with the package so they never fall behind the API.
        .target(
            name: "StageTemplates",
            dependencies: [core],
            // The plugin template's pipeline_plugin_abi, generated from the core's sources as in a plugin package.
            plugins: [.plugin(name: "CoreFingerprint", package: "PipelineCore")]
        ),
        .target(
            name: "PipelineREPL",
            dependencies: [core, "CEditline"]
        ),
        .target(
            name: "PipelineCLI",
            dependencies: [
                core,
                "PipelineStages",
                "PipelineREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "pipeline",
            dependencies: ["PipelineCLI"]
        ),
        // What the test targets share: temporary folders, waiting for a readiness signal.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "PipelineCoreTests",
            dependencies: [core, "TestSupport"]
        ),
        .testTarget(
            name: "PipelineStagesTests",
            dependencies: [
                core, "PipelineStages", "StageTemplates", "PipelineFuzzing", "PipelineEncoder", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            // Inputs that once made a fuzz target fail; FuzzReplayTests reads them from the source tree.
            exclude: ["FuzzRegressions"],
            // As in PipelineStages: GRDB's operators stay in the files that import it.
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .testTarget(
            name: "PipelineEncoderTests",
            dependencies: ["PipelineEncoder", core, "TestSupport"],
            // Outputs of the reference implementations (Scripts/make-encoder-references), read from the source tree.
            exclude: ["Reference"]
        ),
        .testTarget(
            name: "PipelineREPLTests",
            dependencies: ["PipelineREPL", core, "PipelineStages", "TestSupport"]
        ),
        .testTarget(
            name: "PipelineCLITests",
            dependencies: ["PipelineCLI", core, "PipelineStages", "PipelineEncoder", "TestSupport"]
        ),
    ]
)
