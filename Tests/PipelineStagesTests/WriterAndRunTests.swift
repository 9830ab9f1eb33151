import Foundation
import OrderedCollections
import Synchronization
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Articles written for these tests: varied punctuation, quotes, non-ASCII text.
private func writeArticles(_ dir: TempDir, count: Int) throws {
    for i in 1...count {
        try dir.write(
            String(format: "in/%03d.txt", i),
            """
            Story \(i): minister visits Baghdad
            Date: 2026-11-\(10 + i % 18)
            Source: Test Wire

            BAGHDAD, Nov \(i) (TW) - The French minister met Mr. Jaber on day \(i). "We are ready," she said.
            Talks on 1.5 billion euros continue… Critics in Erbil disagreed. Ça va?
            """)
    }
}

@Suite struct WriterAndRunTests {
    @Test func jsonlOutputIsByteIdenticalForOneAndFourJobs() throws {
        let dir = try TempDir()
        try writeArticles(dir, count: 60)
        var outputs: [String] = []
        for jobs in [1, 4] {
            let out = dir.path("out-\(jobs).jsonl")
            let p = try builtPipeline(
                """
                load files path="\(dir.path("in"))"
                extract sentences
                extract tokens
                summarize lead sentences=2
                write jsonl path="\(out)"
                """)
            let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: jobs, batchDocuments: 5)).run()
            #expect(s.documentsOut == 60)
            outputs.append(try String(contentsOfFile: out, encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].split(separator: "\n").count == 60)
    }

    @Test func writeThenLoadGivesEqualDocuments() throws {
        let dir = try TempDir()
        try writeArticles(dir, count: 5)
        let p = try builtPipeline(
            """
            load files path="\(dir.path("in"))"
            extract sentences
            extract tokens
            summarize lead ratio=0.5
            write jsonl path="\(dir.path("a.jsonl"))"
            """)
        _ = try PipelineRunner(pipeline: p).run()
        let first = try readJSONL(dir.path("a.jsonl"))
        let q = try builtPipeline(
            """
            load jsonl path="\(dir.path("a.jsonl"))" layers=["sentences", "tokens", "summary"]
            write jsonl path="\(dir.path("b.jsonl"))"
            """)
        _ = try PipelineRunner(pipeline: q).run()
        #expect(try readJSONL(dir.path("b.jsonl")) == first)
        #expect(try dir.read("a.jsonl") == dir.read("b.jsonl"))
        let n = try #require(first[0].sentences?.count)
        #expect(first[0].summary?.sentences.count == max(1, Int((0.5 * Double(n)).rounded())))
    }

    @Test func skipWritesOtherDocumentsAndOneErrorLine() throws {
        let dir = try TempDir()
        let input = try dir.write(
            "in.jsonl",
            """
            {"id":"a","text":"One. Two."}
            {"id":"b","text":"Three."}
            {"id":"c","text":"Four.","sentences":[{"start":0,"end":99}]}
            {"id":"d","text":"Five."}

            """)
        let out = dir.path("out/result.jsonl")
        try dir.write("out/result.jsonl.errors.jsonl", "stale report\n")
        let p = try builtPipeline("load jsonl path=\"\(input)\"\nextract sentences\nwrite jsonl path=\"\(out)\"\n")
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 2, onError: .skip)).run()
        #expect(s.documentsIn == 4 && s.documentsOut == 3 && s.failed == 1)
        #expect(try readJSONL(out).map(\.id) == ["a", "b", "d"])
        let errors = try dir.read("out/result.jsonl.errors.jsonl").split(separator: "\n")
        #expect(errors.count == 1)
        let e = try JSONScanner.parse(String(errors[0]))
        #expect(e.objectValue?["id"] == .string("c"))
        #expect(e.objectValue?["stage"] == .string("load jsonl"))
        #expect(e.objectValue?["line"] == .int(3))
        #expect(e.objectValue?["message"]?.stringValue?.contains("outside the text") == true)

        // A clean re-run removes the stale report.
        try dir.write("in.jsonl", "{\"id\":\"a\",\"text\":\"One.\"}\n")
        _ = try PipelineRunner(pipeline: p, options: RunOptions(onError: .skip)).run()
        #expect(!FileManager.default.fileExists(atPath: dir.path("out/result.jsonl.errors.jsonl")))
    }

    @Test func failureLeavesNoPartialOutput() throws {
        let dir = try TempDir()
        var lines = (1...500).map { "{\"id\":\"d\($0)\",\"text\":\"Sentence \($0).\"}" }
        lines[400] = "{broken"
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n"))
        try dir.write("out/previous.txt", "keep")
        let out = dir.path("out/result.jsonl")
        let p = try builtPipeline(
            "load jsonl path=\"\(input)\"\nextract sentences\nwrite jsonl path=\"\(out)\"\nwrite csv path=\"\(dir.path("out/r.csv"))\"\n"
        )
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 2, batchDocuments: 10)).run()
        #expect(s.stoppedBy?.origin.line == 401)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path("out")) == ["previous.txt"])
    }

    @Test func csvWriterFlattensFields() throws {
        let dir = try TempDir()
        let input = try dir.write(
            "in.jsonl", #"{"id":"a","title":"T, \"q\"","text":"One. Two.","meta":{"lang":"en"}}"# + "\n")
        let out = dir.path("o.csv")
        let p = try builtPipeline(
            """
            load jsonl path="\(input)"
            extract sentences
            summarize lead sentences=1
            write csv path="\(out)" fields=["id", "title", "sentences", "summary", "meta.lang"]
            """)
        _ = try PipelineRunner(pipeline: p).run()
        #expect(try dir.read("o.csv") == "id,title,sentences,summary,meta.lang\r\na,\"T, \"\"q\"\"\",2,One.,en\r\n")
    }

    @Test func csvWriterListsEvents() throws {
        let dir = try TempDir()
        let input = try dir.write(
            "in.jsonl", #"{"id":"a","text":"Iraq condemned Turkey. Iran will not attack Israel."}"# + "\n")
        let out = dir.path("o.csv")
        let p = try builtPipeline(
            """
            load jsonl path="\(input)"
            extract sentences
            extract tokens
            extract entities
            extract events
            write csv path="\(out)" fields=["id", "events"]
            """)
        _ = try PipelineRunner(pipeline: p).run()
        #expect(
            try dir.read("o.csv")
                == "id,events\r\na,\"Iraq > Turkey: condemn (111, -2.00); not maybe Iran > Israel: attack (190, -10.00)\"\r\n"
        )
    }

    @Test func csvWriterRejectsUnknownColumns() {
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(
                text: "load jsonl path=-\nwrite csv path=x.csv fields=[\"id\", \"titel\"]\n", file: "t.pipe"))
        #expect(o.diagnostics.first?.message.contains("unknown column 'titel'; did you mean 'title'?") == true)
        #expect(o.diagnostics.first?.location?.line == 2)
    }

    @Test func leadSummarizer() throws {
        var d = Document(id: "x", text: "Alpha. Beta. Gamma. Delta. Epsilon.")
        try SentencesStage(options: StageOptions(), context: StageContext()).process(&d)
        #expect(d.sentences?.count == 5)
        var k = d
        try LeadSummarizer(
            options: StageOptions(values: ["sentences": .int(2)], origins: ["sentences": .api]),
            context: StageContext()
        ).process(&k)
        #expect(k.summary == Summary(sentences: [0, 1], text: "Alpha. Beta."))
        var r = d
        try LeadSummarizer(
            options: StageOptions(
                values: ["sentences": .int(3), "ratio": .double(0.6)],
                origins: ["sentences": .defaultValue, "ratio": .api]),
            context: StageContext()
        ).process(&r)
        #expect(r.summary?.sentences == [0, 1, 2])
        #expect(throws: StageConfigurationError.self) {
            try LeadSummarizer(
                options: StageOptions(
                    values: ["sentences": .int(3), "ratio": .double(0.6)],
                    origins: ["sentences": .api, "ratio": .api]), context: StageContext())
        }
    }

    @Test func runsOnTheSameOutputsTakeTurns() throws {
        // Each output grows in a partial file with a fixed name, and the error report and checkpoint sit beside the
        // last output: two runs at once truncated and renamed each other's files. Now the second waits for the first.
        let dir = try TempDir()
        let input = try dir.write(
            "in.jsonl",
            (1...300).map { $0 == 7 ? "{broken" : "{\"id\":\"d\($0)\",\"text\":\"Text \($0).\"}" }
                .joined(separator: "\n"))
        let out = dir.path("out/result.jsonl")
        let p = try builtPipeline("load jsonl path=\"\(input)\"\nwrite jsonl path=\"\(out)\"\n")
        // Another run holds the outputs.
        let lockPath = dir.path("out/.result.jsonl.lock")
        try FileManager.default.createDirectory(atPath: dir.path("out"), withIntermediateDirectories: true)
        let held = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0)
        final class Waits: RunObserver {
            let lockFile = Mutex<String?>(nil)
            func observe(_ event: RunEvent) {
                if case .waitingForOutputs(let f) = event { lockFile.withLock { $0 = f } }
            }
        }
        let waits = Waits()
        let result = Mutex<Result<RunSummary, any Error>?>(nil)
        let runner = PipelineRunner(pipeline: p, options: RunOptions(onError: .skip, observer: waits))
        Thread.detachNewThread {
            let r = Result { try runner.run() }
            result.withLock { $0 = r }
        }
        #expect(waitUntil(timeout: 30) { waits.lockFile.withLock { $0 } == lockPath })
        #expect(result.withLock { $0 } == nil, "the run went on while another held its outputs")
        #expect(!FileManager.default.fileExists(atPath: out))
        unlink(lockPath)
        close(held)
        #expect(waitUntil(timeout: 30) { result.withLock { $0 } != nil })
        let summary = try #require(try result.withLock { $0 }?.get())
        #expect(summary.documentsOut == 299 && summary.failed == 1)
        #expect(try readJSONL(out).count == 299)
        #expect(!FileManager.default.fileExists(atPath: lockPath), "the lock file is removed at the end")

        // Four runs at once into the same files, each with a failure: all succeed, each output is whole.
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { _ = try PipelineRunner(pipeline: p, options: RunOptions(onError: .skip)).run() } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
        #expect(errors.withLock { $0 } == [])
        #expect(try readJSONL(out).map(\.id) == (1...300).filter { $0 != 7 }.map { "d\($0)" })
        #expect(try dir.read("out/result.jsonl.errors.jsonl").split(separator: "\n").count == 1)

        // Cancelled while waiting: interrupted, nothing written.
        let again = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(flock(again, LOCK_EX) == 0)
        let stop = RunCancellation()
        let stopped = Mutex<Result<RunSummary, any Error>?>(nil)
        let waiting = Waits()
        let blocked = PipelineRunner(
            pipeline: p, options: RunOptions(onError: .skip, observer: waiting, cancellation: stop))
        Thread.detachNewThread {
            let r = Result { try blocked.run() }
            stopped.withLock { $0 = r }
        }
        #expect(waitUntil(timeout: 30) { waiting.lockFile.withLock { $0 } != nil })
        stop.cancel()
        #expect(waitUntil(timeout: 30) { stopped.withLock { $0 } != nil })
        #expect(throws: RunError.interrupted) { try stopped.withLock { $0 }?.get() }
        close(again)
    }
}
