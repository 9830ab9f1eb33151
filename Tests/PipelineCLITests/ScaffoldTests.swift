import Foundation
import Testing

/// Scripts/new-stage writes a package of the right shape for every kind; building and running one is
/// `Scripts/check-scaffold`'s job (a minute of compiling, in .ci/run), and the templates themselves are compiled and run
/// by StageTemplateTests.
struct ScaffoldTests {
    @Test(arguments: [
        ("load", "Loader"), ("extract", "Extractor"), ("summarize", "Summarizer"),
        ("stance", "StanceScorer"), ("write", "Writer"),
    ])
    func scaffoldWritesAPackage(kind: String, noun: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = CLI.root.appendingPathComponent("Scripts/new-stage").path
        let made = try Shell.run(script, ["my_stage", kind, dir], in: CLI.root.path)
        #expect(made.code == 0, "\(made.output)")
        let source = try String(contentsOfFile: dir + "/Sources/MyStageStage/MyStage\(noun).swift", encoding: .utf8)
        #expect(source.contains("public struct MyStage\(noun): "))
        #expect(source.contains("name: \"my_stage\""))
        #expect(!source.lowercased().contains("example"))
        let pipe = try String(contentsOfFile: dir + "/my_stage.pipe", encoding: .utf8)
        #expect(pipe.contains("\(kind) my_stage"))
        let main = try String(contentsOfFile: dir + "/Sources/my_stage-pipeline/main.swift", encoding: .utf8)
        #expect(main.contains("PipelineCLI.main(registering: [MyStage\(noun).self])"))
    }

    @Test func pluginScaffoldWritesADynamicLibraryPackage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = CLI.root.appendingPathComponent("Scripts/new-stage").path
        let made = try Shell.run(script, ["--plugin", "my_stage", "extract", dir], in: CLI.root.path)
        #expect(made.code == 0, "\(made.output)")
        let manifest = try String(contentsOfFile: dir + "/Package.swift", encoding: .utf8)
        #expect(manifest.contains(".library(name: \"MyStage\", type: .dynamic, targets: [\"MyStageStage\"])"))
        #expect(manifest.contains("/Sources/PipelineCore\")"))
        #expect(!manifest.contains("executableTarget"))
        let entry = try String(contentsOfFile: dir + "/Sources/MyStageStage/Plugin.swift", encoding: .utf8)
        #expect(entry.contains("PluginRegistrar.register([MyStageExtractor.self], into: registrar)"))
        #expect(manifest.contains("plugins: [.plugin(name: \"CoreFingerprint\", package: \"PipelineCore\")]"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/Sources/my_stage-pipeline"))
        let pipe = try String(contentsOfFile: dir + "/my_stage.pipe", encoding: .utf8)
        #expect(pipe.contains("--plugin .build/release/libMyStage.so") && pipe.contains("extract my_stage"))
    }

    @Test func badArgumentsAreRefused() throws {
        let script = CLI.root.appendingPathComponent("Scripts/new-stage").path
        let r = try Shell.run(script, ["Bad-Name", "extract", "/tmp/x"], in: CLI.root.path)
        #expect(r.code == 2 && r.output.contains("NAME must be lower case"))
        let k = try Shell.run(script, ["ok", "transform", "/tmp/x"], in: CLI.root.path)
        #expect(k.code == 2 && k.output.contains("unknown kind 'transform'"))
        let o = try Shell.run(script, ["--plug", "ok", "extract", "/tmp/x"], in: CLI.root.path)
        #expect(o.code == 2 && o.output.contains("unknown option '--plug'"))
    }
}
/// Runs programs and collects their output.
enum Shell {
    static func run(_ program: String, _ args: [String], in dir: String) throws -> (code: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let c = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: c) { return c }
        }
        return nil
    }
}
