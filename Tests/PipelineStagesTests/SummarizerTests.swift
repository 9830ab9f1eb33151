import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Runs sentences and one summarize line on `text`; returns the chosen sentence indices.
func summarize(_ text: String, _ line: String, title: String? = nil) throws -> [Int] {
    let p = try builtPipeline("load jsonl path=\"-\"\nextract sentences\n\(line)\nwrite jsonl path=\"-\"\n")
    var d = Document(id: "t", text: text, title: title)
    for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
    return try #require(d.summary).sentences
}

@Suite struct SummarizerTests {
    @Test func pageRankOnAPathGraphMatchesTheHandComputation() {
        // A - B - C: A = C = 0.05 + 0.85 B / 2, B = 0.05 + 0.85 (A + C), so A = 0.07125 / 0.2775.
        let s = PageRank.scores([0, 1, 0, 1, 0, 1, 0, 1, 0], n: 3, tolerance: 1e-12, maxIterations: 1000)
        #expect(abs(s[0] - 0.256757) < 1e-5 && abs(s[2] - 0.256757) < 1e-5 && abs(s[1] - 0.486486) < 1e-5)
        // No edges: every node keeps the teleport share.
        #expect(PageRank.scores([0, 0, 0, 0], n: 2) == [0.5, 0.5])
    }

    static let article = """
        Water talks resumed in Amman on Monday between Jordan and Israel. \
        The water deal would give Jordan more water from Israel each year. \
        Officials said the talks on water were constructive. \
        A football match was played in the evening. \
        Jordan needs the water deal because of drought.
        """

    @Test(arguments: ["textrank", "lexrank", "centroid"])
    func everyMethodTakesEveryLengthOption(method: String) throws {
        let two = try summarize(Self.article, "summarize \(method) sentences=2")
        #expect(two.count == 2 && two == two.sorted())
        #expect(!two.contains(3), "the off-topic sentence is never among the best two")
        #expect(try summarize(Self.article, "summarize \(method) ratio=0.6").count == 3)
        let byWords = try summarize(Self.article, "summarize \(method) words=25")
        #expect(byWords.count == 2)
        #expect(try summarize(Self.article, "summarize \(method) sentences=50").count == 5)
    }

    @Test(arguments: ["textrank", "lexrank", "centroid"])
    func edgeCases(method: String) throws {
        #expect(try summarize("Only one sentence here, about water.", "summarize \(method)") == [0])
        #expect(try summarize("", "summarize \(method)") == [])
        // Duplicates and sentences without content words do not break anything; ties go to the earlier sentence.
        #expect(
            try summarize(
                "The water deal was signed. The water deal was signed. It is what it is.",
                "summarize \(method) sentences=1") == [0])
        // A headline without final punctuation and a byline are never summary sentences.
        let withHeadline = try summarize(
            "Water deal signed\n\nBy Omar Haddad\n\nJordan and Israel signed a water deal. The deal gives Jordan water.",
            "summarize \(method) sentences=2")
        #expect(withHeadline == [2, 3])
    }

    @Test func aFiveThousandSentenceDocumentIsBounded() throws {
        let text = (0..<5_000).map { "Sentence number \($0) talks about water and power station \($0 % 7)." }.joined(
            separator: " ")
        let chosen = try summarize(text, "summarize textrank sentences=3")
        #expect(chosen.count == 3 && chosen.allSatisfy { $0 < GraphSummary.maxSentences })
    }

    @Test func rougeMatchesTheHandComputation() {
        var r = Rouge()
        let s = r.score(prediction: "the cat sat", reference: "the cat sat on the mat")
        #expect(abs(s.rouge1.f - 2.0 / 3.0) < 1e-9 && s.rouge1.precision == 1 && s.rouge1.recall == 0.5)
        #expect(abs(s.rouge2.f - 4.0 / 7.0) < 1e-9)
        #expect(abs(s.rougeL.f - 2.0 / 3.0) < 1e-9)
        // Porter stems for tokens longer than three characters; punctuation separates.
        #expect(r.score(prediction: "Running dogs!", reference: "runs, dog").rouge1.f == 1)
        #expect(r.score(prediction: "", reference: "anything").rouge1.f == 0)
    }

    @Test func theTrainedSummarizerTrainsDeterministicallyAndRefusesBadModels() throws {
        let dir = try TempDir()
        var lines: [String] = []
        for k in 0..<12 {
            let text =
                "The water deal number \(k) was signed in Amman on Monday. Jordan will receive more water from Israel. "
                + "A football match was played. Officials praised the water deal and the talks. The weather was mild."
            let summary =
                "The water deal number \(k) was signed in Amman on Monday.Officials praised the water deal and the talks."
            lines.append(
                "{\"id\":\"d\(k)\",\"title\":\"Water deal signed\",\"text\":\"\(text)\",\"summary\":\"\(summary)\"}")
        }
        let train = try dir.write("train.jsonl", lines.joined(separator: "\n") + "\n")
        var events: [TrainingEvent] = []
        let a = try TrainedSummarizer.train(
            TrainingRequest(trainFiles: [train], output: dir.path("a.model"), epochs: 5, seed: 2)
        ) { events.append($0) }
        _ = try TrainedSummarizer.train(
            TrainingRequest(trainFiles: [train], output: dir.path("b.model"), epochs: 5, seed: 2)
        ) { _ in }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
                == Data(contentsOf: URL(fileURLWithPath: dir.path("b.model"))))
        #expect(
            events.filter { if case .epochEnded = $0 { return true } else { return false } }.count == 5,
            "one line per fold")
        #expect((a.dev["ROUGE-2"] ?? 0) > 0.5)
        let chosen = try summarize(Self.article, "summarize trained sentences=2 model=\"\(dir.path("a.model"))\"")
        #expect(chosen.count == 2 && !chosen.contains(3))
        // The built-in model loads; a foreign, a missing and a truncated file are build errors naming the file.
        #expect(try summarize(Self.article, "summarize trained sentences=1").count == 1)
        func firstError(_ model: String) -> String {
            PipelineBuilder(registry: BuiltInStages.registry).build(
                PipelineDefinition.parse(text: "summarize trained model=\"\(model)\"\n", file: "t.pipe"),
                settings: BuildSettings(requireLoaderAndWriter: false, providedBefore: [.text, .sentences])
            ).diagnostics.first?.message ?? ""
        }
        #expect(firstError(dir.path("none.model")).contains("does not exist"))
        #expect(firstError(try dir.write("x.model", "hello")).contains("is not a summary model"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir.path("a.model")))
        #expect(firstError(try dir.write("cut.model", Array(whole.dropLast(5)))).contains("truncated or corrupt"))
    }

    @Test func outputIsTheSameForAnyNumberOfJobs() throws {
        let docs = (0..<40).map {
            Document(id: "d\($0)", text: Self.article + " Extra sentence \($0) about water talks.")
        }
        let p = try builtPipeline(
            "load jsonl path=\"-\"\nextract sentences\nsummarize textrank ratio=0.4\nwrite jsonl path=\"-\"\n")
        func run(_ jobs: Int) throws -> [Document] {
            var ds = docs
            for stage in p.transforms { ds = try StageExecutor.apply(stage, to: ds, jobs: jobs).map { try $0.get() } }
            return ds
        }
        #expect(try run(1) == run(4))
    }
}

@Suite struct GroupSummaryTests {
    static let stories: [(id: String, story: String, text: String)] = [
        (
            "a1", "water",
            "Jordan and Israel signed a water deal in Amman on Tuesday. Jordan will receive more water from Israel each year. The deal follows two years of drought."
        ),
        (
            "a2", "water",
            "Israel agreed to sell Jordan more water under a deal signed in Amman. Jordan will receive more water from Israel each year. Critics said the deal does not solve the shortage."
        ),
        (
            "b1", "oil",
            "Iraq and the Kurdistan region agreed to restart oil exports through Turkey. Salaries will be paid within ten days, the finance minister said."
        ),
    ]

    @Test func consecutiveDocumentsOfOneStoryGetOneSummaryWithoutRepeats() throws {
        let dir = try TempDir()
        let input = try dir.write(
            "in.jsonl",
            Self.stories.map {
                "{\"id\":\"\($0.id)\",\"story\":\"\($0.story)\",\"text\":\"\($0.text)\"}"
            }.joined(separator: "\n") + "\n")
        var outputs: [String] = []
        for jobs in [1, 3] {
            let out = dir.path("out-\(jobs).jsonl")
            let p = try builtPipeline(
                """
                load jsonl path="\(input)"
                extract sentences
                summarize textrank sentences=3 group=story
                write jsonl path="\(out)"
                """)
            // One document per batch: a group must still never be split between two workers.
            let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: jobs, batchDocuments: 1)).run()
            #expect(s.documentsOut == 3 && s.failed == 0)
            outputs.append(try dir.read("out-\(jobs).jsonl"))
        }
        #expect(outputs[0] == outputs[1])
        let docs = try readJSONL(dir.path("out-1.jsonl"))
        let water = try #require(docs[0].summary)
        #expect(Set(try #require(water.sources).map(\.id)) == ["a1", "a2"], "both articles contribute")
        // The sentence both articles carry appears once at most.
        #expect(water.text.components(separatedBy: "Jordan will receive more water from Israel each year.").count <= 2)
        #expect(try #require(water.sources).count == 3)
        #expect(docs[1].summary == nil)
        // A story of one article is summarised as usual.
        #expect(docs[2].summary?.sentences == [0, 1] && docs[2].summary?.sources == nil)
    }
}
