import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// A worker in Python whose misbehaviour is chosen per document id through its options.
let testWorker = #"""
    import json, sys, time
    kind = sys.argv[1] if len(sys.argv) > 1 else "extract"
    if kind == "garbage-handshake":
        print("hello there", flush=True); sys.exit(0)
    if kind == "no-handshake":
        sys.exit(3)
    print(json.dumps({"name": "echo", "kind": kind, "help": "test worker", "requires": ["text"], "provides": ["echo"],
                      "options": [{"name": "tag", "type": "string", "default": "x", "help": "a tag"},
                                  {"name": "crash", "type": "list", "default": []},
                                  {"name": "hang", "type": "list", "default": []},
                                  {"name": "garbage", "type": "list", "default": []},
                                  {"name": "wrong_id", "type": "list", "default": []},
                                  {"name": "refuse", "type": "list", "default": []},
                                  {"name": "flood", "type": "bool", "default": False},
                                  {"name": "count", "type": "int", "default": 3, "min": 1, "max": 10}]}), flush=True)
    opts = json.loads(sys.stdin.readline())["options"]
    if kind == "load":
        for i in range(opts["count"]):
            print(json.dumps({"id": "p%d" % i, "text": "Produced %d." % i}), flush=True)
        sys.exit(0)
    for line in sys.stdin:
        doc = json.loads(line)
        i = doc["id"]
        if opts["flood"]:
            sys.stderr.write(("noise for %s " % i) * 5000 + "\n"); sys.stderr.flush()
        if i in opts["crash"]:
            sys.exit(9)
        if i in opts["hang"]:
            time.sleep(60)
        if i in opts["garbage"]:
            print("{not json", flush=True); continue
        if i in opts["wrong_id"]:
            doc["id"] = "someone-else"
        if i in opts["refuse"]:
            print(json.dumps({"id": i, "error": "cannot handle this one"}), flush=True); continue
        doc.setdefault("layers", {})["echo"] = {"tag": opts["tag"], "pid": 0}
        print(json.dumps(doc), flush=True)
    """#

/// What the worker tests need from the machine; a test whose need is missing shows as skipped, with the reason.
enum Installed {
    /// Whether python3 is on PATH.
    static let python3 = (try? WorkerProcess.locate("python3")) != nil

    /// Whether spaCy and its small English model load.
    static let spacy: Bool = {
        guard let python = try? WorkerProcess.locate("python3") else { return false }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import spacy; spacy.load('en_core_web_sm')"]
        check.standardError = FileHandle.nullDevice
        check.standardOutput = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }()
}

/// Writes the worker script and an input of `count` documents.
func commandFixture(count: Int = 12) throws -> (TempDir, String, String) {
    let dir = try TempDir()
    let script = try dir.write("worker.py", testWorker)
    let input = try dir.write(
        "in.jsonl",
        (1...count).map { "{\"id\":\"d\($0)\",\"text\":\"Document \($0).\"}" }
            .joined(separator: "\n") + "\n")
    return (dir, script, input)
}

func buildCommandPipeline(
    _ text: String, policy: BuildSettings.CommandPolicy = .allow, jobs: Int = 1
)
    -> PipelineBuilder.Outcome
{
    PipelineBuilder(registry: BuiltInStages.registry).build(
        PipelineDefinition.parse(text: text, file: "t.pipe"),
        settings: BuildSettings(jobs: jobs, commands: policy))
}

/// Runs a pipeline with one `extract command` stage over the fixture input; returns the summary, the written
/// documents and the error report lines.
func runCommand(
    _ fixture: (TempDir, String, String), options: String, jobs: Int = 1
)
    throws -> (RunSummary, [Document], [String])
{
    let (dir, script, input) = fixture
    let out = dir.path("out-\(UUID().uuidString).jsonl")
    let o = buildCommandPipeline(
        """
        load jsonl path="\(input)"
        extract command run=["python3", "\(script)"] \(options)
        write jsonl path="\(out)"
        """, jobs: jobs)
    let p = try #require(o.pipeline, "\(o.diagnostics)")
    defer { p.shutdown() }
    let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: jobs, onError: .skip, batchDocuments: 3)).run()
    let docs = FileManager.default.fileExists(atPath: out) ? try readJSONL(out) : []
    let errors =
        (try? String(contentsOfFile: out + ".errors.jsonl", encoding: .utf8))?.split(separator: "\n").map(String.init)
        ?? []
    return (s, docs, errors)
}

@Suite(.serialized, .enabled(if: Installed.python3, "python3 is not installed")) struct CommandStageTests {
    @Test func happyPathWithFourJobsKeepsOrder() throws {
        let f = try commandFixture(count: 40)
        let (s, docs, errors) = try runCommand(f, options: "tag=\"hello\"", jobs: 4)
        #expect(s.documentsOut == 40 && s.failed == 0 && errors.isEmpty)
        #expect(docs.map(\.id) == (1...40).map { "d\($0)" })
        #expect(docs[7].layers["echo"]?.objectValue?["tag"] == .string("hello"))
    }

    @Test func handshakeDescribesTheStage() throws {
        let (dir, script, _) = try commandFixture()
        defer { withExtendedLifetime(dir) {} }
        let o = buildCommandPipeline(
            "load jsonl path=\"-\"\nextract command run=[\"python3\", \"\(script)\"] tagg=1 count=99\nwrite jsonl path=-\n"
        )
        let messages = o.diagnostics.map(\.message)
        #expect(
            messages.contains { $0.contains("unknown option 'tagg' for stage 'extract command'; did you mean 'tag'?") })
        #expect(messages.contains { $0.contains("99 is out of range for 'count'") })
        let ok = buildCommandPipeline(
            "load jsonl path=\"-\"\nextract command run=[\"python3\", \"\(script)\"]\nsummarize lead\nwrite jsonl path=-\n"
        )
        // The worker declares it requires text and provides echo: 'summarize lead' still needs sentences.
        #expect(ok.diagnostics.contains { $0.message.contains("requires 'sentences'") })
    }

    @Test func handshakeErrors() throws {
        let (dir, script, _) = try commandFixture()
        defer { withExtendedLifetime(dir) {} }
        func firstError(_ args: String) -> String {
            let o = buildCommandPipeline("load jsonl path=\"-\"\nextract command run=[\(args)]\nwrite jsonl path=-\n")
            return o.diagnostics.first { $0.severity == .error }?.message ?? ""
        }
        #expect(firstError("\"python3\", \"\(script)\", \"garbage-handshake\"").contains("must be its handshake"))
        #expect(firstError("\"python3\", \"\(script)\", \"no-handshake\"").contains("exited (exit status 3)"))
        #expect(
            firstError("\"python3\", \"\(script)\", \"summarize\"").contains(
                "is a summarize stage; use 'summarize command'"))
        #expect(firstError("\"no-such-program-xyz\"").contains("not found on PATH"))
    }

    @Test func refusedWithoutPermission() throws {
        let (dir, script, _) = try commandFixture()
        defer { withExtendedLifetime(dir) {} }
        let text = "load jsonl path=\"-\"\nextract command run=[\"python3\", \"\(script)\"]\nwrite jsonl path=-\n"
        let refused = buildCommandPipeline(text, policy: .refuse)
        #expect(refused.pipeline == nil)
        #expect(
            refused.diagnostics.first?.message.contains("runs an external command; allow it with --allow-commands")
                == true)
        #expect(refused.diagnostics.first?.location?.line == 2)
        let noted = buildCommandPipeline(text, policy: .note)
        #expect(noted.pipeline != nil)
        #expect(noted.diagnostics.first?.severity == .warning)
    }

    @Test func crashCostsOnlyThatDocument() throws {
        let f = try commandFixture()
        let (s, docs, errors) = try runCommand(f, options: "crash=[\"d3\", \"d7\"]")
        #expect(s.documentsOut == 10 && s.failed == 2)
        #expect(docs.map(\.id) == ["d1", "d2", "d4", "d5", "d6", "d8", "d9", "d10", "d11", "d12"])
        #expect(errors.count == 2)
        #expect(errors[0].contains("\"id\":\"d3\"") && errors[0].contains("exited (exit status 9)"))
    }

    @Test func hangPastTheTimeoutIsKilled() throws {
        let f = try commandFixture()
        let (s, _, errors) = try runCommand(f, options: "hang=[\"d2\"] timeout=1.5", jobs: 2)
        #expect(s.documentsOut == 11 && s.failed == 1)
        // The timeout, not the worker's 60 s sleep, ended the wait.
        #expect(errors.first?.contains("no answer within 1.5 s") == true)
    }

    @Test func invalidJSONWrongIdAndReportedErrors() throws {
        let f = try commandFixture()
        let (s, docs, errors) = try runCommand(f, options: "garbage=[\"d4\"] wrong_id=[\"d5\"] refuse=[\"d6\"]")
        #expect(s.documentsOut == 9 && s.failed == 3, "\(s.documentsOut) out, \(s.failed) failed: \(errors)")
        #expect(!docs.contains { ["d4", "d5", "d6"].contains($0.id) })
        #expect(errors[0].contains("invalid JSON answer"))
        #expect(errors[1].contains("answered for document 'someone-else' when sent 'd5'"))
        #expect(errors[2].contains("cannot handle this one"))
    }

    @Test func producerLoadsDocuments() throws {
        let (dir, script, _) = try commandFixture()
        let out = dir.path("p.jsonl")
        let o = buildCommandPipeline(
            "load command run=[\"python3\", \"\(script)\", \"load\"] count=4\nwrite jsonl path=\"\(out)\"\n")
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        defer { p.shutdown() }
        let s = try PipelineRunner(pipeline: p).run()
        #expect(s.documentsOut == 4)
        #expect(try readJSONL(out).map(\.text) == ["Produced 0.", "Produced 1.", "Produced 2.", "Produced 3."])
    }

    @Test func keywordsExampleWorks() throws {
        let (dir, _, _) = try commandFixture()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let input = try dir.write(
            "k.jsonl", "{\"id\":\"a\",\"text\":\"Baghdad talks: Baghdad hosts Paris; Baghdad and Paris agree.\"}\n")
        let out = dir.path("k-out.jsonl")
        let o = buildCommandPipeline(
            """
            load jsonl path="\(input)"
            extract command run=["python3", "\(root)/Pipelines/stages/keywords.py"] top=2
            write jsonl path="\(out)"
            """)
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        defer { p.shutdown() }
        _ = try PipelineRunner(pipeline: p).run()
        let d = try #require(try readJSONL(out).first)
        #expect(d.keyphrases?.map(\.text) == ["Baghdad", "Paris"])
    }

    @Test(.enabled(if: Installed.spacy, "spaCy with en_core_web_sm is not installed"))
    func spacyExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let dir = try TempDir()
        let input = try dir.write("s.jsonl", "{\"id\":\"a\",\"text\":\"Claire Duval visited Baghdad on Friday.\"}\n")
        let out = dir.path("s-out.jsonl")
        let o = buildCommandPipeline(
            """
            load jsonl path="\(input)"
            extract command run=["python3", "\(root)/Pipelines/stages/spacy_ner.py"]
            write jsonl path="\(out)"
            """)
        let p = try #require(o.pipeline, "\(o.diagnostics)")
        defer { p.shutdown() }
        _ = try PipelineRunner(pipeline: p).run()
        let d = try #require(try readJSONL(out).first)
        #expect(d.entities?.contains { $0.text == "Baghdad" && $0.type == "LOC" } == true)
    }
}
