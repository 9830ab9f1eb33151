import Foundation
import Testing

/// Scaffolds a custom-stage package with Scripts/new-stage, builds it, and runs its pipeline: the compiled-in custom
/// stage mechanism, end to end (about a minute: the new package builds this one as a dependency).
@Suite(.serialized) struct ScaffoldTests {
    @Test func scaffoldedPackageBuildsAndRuns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scaffold-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = CLI.root.appendingPathComponent("Scripts/new-stage").path
        let made = try Shell.run(script, ["capitals", "extract", dir], in: CLI.root.path)
        #expect(made.code == 0, "\(made.output)")
        #expect(FileManager.default.fileExists(atPath: dir + "/Sources/CapitalsStage/CapitalsExtractor.swift"))

        let swift = Shell.which("swift") ?? "/opt/swift/usr/bin/swift"
        let build = try Shell.run(swift, ["build"], in: dir)
        #expect(build.code == 0, "\(build.output.suffix(2000))")
        guard build.code == 0 else { return }

        let binary = dir + "/.build/debug/capitals-pipeline"
        let stages = try Shell.run(binary, ["stages", "extract", "capitals"], in: dir)
        #expect(stages.output.contains("extract capitals - capitalised words of at least min_length letters"))
        #expect(stages.output.contains("min_length=int (default 4)"))

        let typo = try Shell.run(binary, ["check", "capitals.pipe", "--set", "x=1"], in: dir)
        #expect(typo.code == 2)

        let run = try Shell.run(binary, ["run", "capitals.pipe"], in: dir)
        #expect(run.code == 0, "\(run.output)")
        let out = try String(contentsOfFile: dir + "/out/capitals.jsonl", encoding: .utf8)
        #expect(out.contains("\"layers\":{\"capitals\":[{\"start\":0,\"end\":7,\"text\":\"BAGHDAD\"}"))
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
