import Foundation
import Testing

/// A worker that floods stderr and can hang, for the command-line tests.
private let cliWorker = #"""
    import json, sys, time
    print(json.dumps({"name": "noisy", "kind": "extract", "requires": ["text"], "provides": ["noise"],
                      "options": [{"name": "hang", "type": "bool", "default": False},
                                  {"name": "hang_marker", "type": "string", "default": "/dev/null"}]}), flush=True)
    opts = json.loads(sys.stdin.readline())["options"]
    for line in sys.stdin:
        doc = json.loads(line)
        sys.stderr.write(("flood %s " % doc["id"]) * 4000 + "\n"); sys.stderr.flush()
        if opts["hang"]:
            open(opts["hang_marker"], "w").close()
            time.sleep(120)
        doc.setdefault("layers", {})["noise"] = 1
        print(json.dumps(doc), flush=True)
    """#

/// Processes whose command line mentions `marker`.
private func processes(matching marker: String) -> Int {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var n = 0
    for e in entries where Int(e) != nil {
        guard let cmd = try? String(contentsOfFile: "/proc/\(e)/cmdline", encoding: .utf8) else { continue }
        if cmd.contains(marker) { n += 1 }
    }
    return n
}

/// Whether python3 is on PATH (the worker tests are skipped, with this reason, without it).
private let hasPython3 =
    (["/usr/bin/python3", "/usr/local/bin/python3"]
    + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" })
    .contains { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.serialized, .enabled(if: hasPython3, "python3 is not installed")) struct CustomStageTests {
    func fixture() throws -> (TempDir, String, String) {
        let s = try TempDir()
        let marker = "noisy-\(UUID().uuidString.prefix(8)).py"
        let script = try s.write(marker, cliWorker)
        var input = ""
        for i in 1...30 { input += "{\"id\":\"d\(i)\",\"text\":\"Doc \(i).\"}\n" }
        try s.write("in.jsonl", input)
        return (s, script, marker)
    }

    @Test func refusalCheckAndRunWithPermission() throws {
        let (s, script, marker) = try fixture()
        let pipe = try s.write(
            "p.pipe",
            "load jsonl path=\"\(s.path("in.jsonl"))\"\nextract command run=[\"python3\", \"\(script)\"]\nwrite jsonl path=\"\(s.path("out.jsonl"))\"\n"
        )
        let refused = try CLI.run(["run", pipe])
        #expect(refused.code == 2)
        #expect(refused.stderr.contains("\(pipe):2:1: error: 'extract command' runs an external command"))
        #expect(!FileManager.default.fileExists(atPath: s.path("out.jsonl")))
        let check = try CLI.run(["check", pipe])
        #expect(check.code == 0)
        #expect(check.stderr.contains("\(pipe):2:1: warning"))
        #expect(
            check.stdout.contains("1 line(s) not checked: they run commands or load plugins, and need --allow-commands")
        )
        // Trusted through the trust file.
        let trust = try s.write("trusted", "# my pipelines\n\(pipe)\n")
        var env = ProcessInfo.processInfo.environment
        env["PIPELINE_TRUST_FILE"] = trust
        let trusted = try CLI.run(["run", pipe, "--jobs", "4"], environment: env)
        #expect(trusted.code == 0, "\(trusted.stderr.suffix(300))")
        // stderr is passed through, every line prefixed with the stage; the flood does not block the worker.
        #expect(trusted.stderr.contains("[extract command noisy] flood d1 "))
        let lines = try String(contentsOfFile: s.path("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 30)
        #expect(lines.enumerated().allSatisfy { $0.element.hasPrefix("{\"id\":\"d\($0.offset + 1)\"") })
        #expect(processes(matching: marker) == 0, "no worker may outlive the run")
    }

    /// Ctrl-C while the workers' handshakes run (during the build) and while a worker hangs on a document (during
    /// the run): exit 130, no output, no worker left.
    @Test(arguments: [false, true])
    func interruptLeavesNoOrphanWorkers(duringRun: Bool) throws {
        let (s, script, marker) = try fixture()
        let pipe = try s.write(
            "h.pipe",
            "load jsonl path=\"\(s.path("in.jsonl"))\"\nextract command run=[\"python3\", \"\(script)\"] hang=true hang_marker=\"\(s.path("hanging"))\" timeout=300\nwrite jsonl path=\"\(s.path("h.jsonl"))\"\n"
        )
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["run", pipe, "--allow-commands", "--jobs", "2"]
        p.currentDirectoryURL = CLI.root
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Up to 30 s: on a loaded machine (the rest of the suite runs alongside) python3 can take seconds to start.
        // Seen once is enough: a second look can fall in the instant a launcher shim (pyenv) execs the real python,
        // when /proc shows no command line.
        #expect(waitUntil(timeout: 30) { processes(matching: marker) >= 1 }, "a worker started")
        if duringRun {
            // Ready when a worker holds a document: it writes the hang marker before it sleeps.
            #expect(
                waitUntil(timeout: 30) { FileManager.default.fileExists(atPath: s.path("hanging")) }, "a worker hangs")
        }
        p.interrupt()
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        // The run has exited; its workers are gone once the kernel has reaped them (SIGKILL is asynchronous).
        #expect(
            waitUntil(timeout: 10) { processes(matching: marker) == 0 }, "Ctrl-C must not leave worker processes behind"
        )
        #expect(!FileManager.default.fileExists(atPath: s.path("h.jsonl")))
    }
}
