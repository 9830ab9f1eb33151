import Foundation
import OrderedCollections
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
}
