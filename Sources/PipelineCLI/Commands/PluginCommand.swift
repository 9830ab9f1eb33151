import ArgumentParser
import Foundation
import PipelineCore

/// `pipeline plugin ...`: working with plugin libraries.
struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Build plugin packages (made with Scripts/new-stage --plugin) for this pipeline.",
        subcommands: [PluginBuildCommand.self])
}

/// `pipeline plugin build DIR`: `swift build -c release` of a plugin package, then each of its dynamic-library
/// products loaded here once, so that what it prints is known to load into this pipeline.
struct PluginBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a plugin package in release mode and list the plugin libraries it made, with their stages.",
        discussion: """
            Runs `swift build -c release --package-path DIR` (swift must be on PATH), then loads each dynamic-library \
            product of the package as `--plugin` would, and prints its path and stages. Exit codes: 0 success, 2 no plugin \
            in DIR or one that does not load, 74 the build failed.
            """)

    @Argument(help: "The plugin package's folder.", completion: .directory)
    var directory: String

    func run() throws {
        let dir = PluginLoader.canonicalPath(directory)
        guard FileManager.default.fileExists(atPath: dir + "/Package.swift") else {
            Console.error(
                "error: '\(directory)' has no Package.swift; make a plugin package with Scripts/new-stage --plugin NAME KIND DIR"
            )
            throw ExitCode(PipelineCLI.usageError)
        }
        Console.error("building \(directory) (release)...")
        guard (try? swift(["build", "-c", "release", "--package-path", dir], capture: false))?.status == 0 else {
            Console.error("error: swift build failed in \(directory)")
            throw ExitCode(PipelineCLI.ioError)
        }
        guard
            let bin = try? swift(["build", "-c", "release", "--package-path", dir, "--show-bin-path"], capture: true),
            bin.status == 0,
            let description = try? swift(
                ["package", "--package-path", dir, "describe", "--type", "json"], capture: true),
            description.status == 0
        else {
            Console.error("error: cannot ask swift where \(directory) was built")
            throw ExitCode(PipelineCLI.ioError)
        }
        let binPath = bin.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let libraries = Self.dynamicLibraries(inDescription: description.output)
        guard !libraries.isEmpty else {
            Console.error(
                "error: \(directory) has no dynamic library product; a plugin package declares "
                    + ".library(name: NAME, type: .dynamic, targets: [...]) (Scripts/new-stage --plugin writes one)")
            throw ExitCode(PipelineCLI.usageError)
        }
        var failed = false
        for name in libraries {
            let path = (binPath as NSString).appendingPathComponent("lib\(name).so")
            do {
                let plugin = try PluginLoader.shared.load(path)
                Console.out("\(path)\n" + plugin.stageNames.map { "  \($0)\n" }.joined())
            } catch {
                Console.error("error: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(PipelineCLI.usageError) }
        Console.error("use it with --plugin PATH, $PIPELINE_PLUGINS, or a plugin \"PATH\" line in a .pipe file")
    }

    /// Names of the dynamic-library products in `swift package describe --type json` output.
    static func dynamicLibraries(inDescription json: String) -> [String] {
        // `swift package describe` may print build notes before the JSON object.
        guard let brace = json.firstIndex(of: "{"), let value = try? JSONScanner.parse(String(json[brace...])),
            let products = value.objectValue?["products"]?.arrayValue
        else { return [] }
        return products.compactMap { p -> String? in
            guard let o = p.objectValue, let name = o["name"]?.stringValue,
                let kinds = o["type"]?.objectValue?["library"]?.arrayValue,
                kinds.contains(.string("dynamic"))
            else { return nil }
            return name
        }
    }

    /// Runs `swift ARGS` (from PATH) with the core built as a shared library; output captured or passed through.
    private func swift(_ arguments: [String], capture: Bool) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PIPELINE_STATIC_CORE")
        process.environment = env
        let pipe = Pipe()
        if capture { process.standardOutput = pipe } else { process.standardOutput = FileHandle.standardError }
        try process.run()
        let data = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
