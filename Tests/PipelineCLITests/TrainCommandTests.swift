import Foundation
import Testing

/// `pipeline train` and `pipeline score` through the real binary: exit codes and what they print.
struct TrainCommandTests {
    static let conll = """
        -DOCSTART- -X- -X- O

        Claire NNP B-NP B-PER
        Duval NNP I-NP I-PER
        visited VBD B-VP O
        Baghdad NNP B-NP B-LOC
        . . O O

        Iraqi JJ B-NP B-MISC
        officials NNS I-NP O
        met VBD B-VP O
        the DT B-NP O
        United NNP I-NP B-ORG
        Nations NNP I-NP I-ORG
        . . O O

        """

    @Test func trainsAModelThatTheStageLoads() throws {
        let s = try TempDir()
        let train = try s.write("tiny.conll", Self.conll)
        let r = try CLI.run([
            "train", "extract", "entities", "--train", train, "--dev", train, "--out", s.path("m.model"),
            "--epochs", "3", "--seed", "5",
        ])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("epoch 3/3"))
        #expect(r.stderr.contains("dev F1 100.00"))
        #expect(r.stderr.contains("wrote \(s.path("m.model"))"))
        let input = try s.write("in.jsonl", "{\"id\":\"a\",\"text\":\"Claire Duval visited Baghdad.\"}\n")
        let pipe = try s.write(
            "p.pipe",
            """
            load jsonl path="\(input)"
            extract sentences
            extract tokens
            extract entities model="\(s.path("m.model"))"
            write jsonl path="\(s.path("out.jsonl"))"
            """)
        let run = try CLI.run(["run", pipe])
        #expect(run.code == 0, "\(run.stderr)")
        let out = try String(contentsOfFile: s.path("out.jsonl"), encoding: .utf8)
        #expect(out.contains("\"text\":\"Claire Duval\",\"type\":\"PER\""))
    }

    @Test func usageAndDataErrorsHaveTheirExitCodes() throws {
        let s = try TempDir()
        let train = try s.write("tiny.conll", Self.conll)
        let notTrainable = try CLI.run(["train", "extract", "tokens", "--train", train, "--out", s.path("m")])
        #expect(notTrainable.code == 2)
        #expect(notTrainable.stderr.contains("'extract tokens' has no model to train"))
        #expect(notTrainable.stderr.contains("trainable stages: extract entities"))
        let unknown = try CLI.run(["train", "extract", "entitys", "--train", train, "--out", s.path("m")])
        #expect(unknown.code == 2 && unknown.stderr.contains("did you mean 'extract entities'?"))
        let bad = try s.write("bad.conll", "Claire NNP B-NP B-PER\nDuval\n")
        let data = try CLI.run(["train", "extract", "entities", "--train", bad, "--out", s.path("m")])
        #expect(data.code == 65)
        #expect(data.stderr.contains("\(bad):2: expected a token and its tag"))
        #expect(!FileManager.default.fileExists(atPath: s.path("m")))
    }

    @Test func scoreComparesEntitiesByTypeAndSpan() throws {
        let s = try TempDir()
        let gold = try s.write(
            "gold.jsonl",
            """
            {"doc": 0, "text": "Claire Duval visited Baghdad .", "entities": [{"start": 0, "end": 12, "type": "PER", "text": "Claire Duval"}, {"start": 21, "end": 28, "type": "LOC", "text": "Baghdad"}]}
            """ + "\n")
        let predicted = try s.write(
            "pred.jsonl",
            """
            {"id": "0", "text": "Claire Duval visited Baghdad .", "entities": [{"start": 0, "end": 12, "type": "PER", "text": "Claire Duval"}, {"start": 21, "end": 28, "type": "ORG", "text": "Baghdad"}]}
            """ + "\n")
        let r = try CLI.run(["score", "entities", "--gold", gold, "--gold-id", "doc", "--predicted", predicted])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PER       100.00   100.00   100.00        1"))
        #expect(r.stdout.contains("ORG         0.00   100.00     0.00        0"))
        #expect(r.stdout.contains("overall    50.00    50.00    50.00        2"))
    }
}

extension TrainCommandTests {
    @Test func theDailyPipelineGivesTheSameOutputWithAnyNumberOfJobs() throws {
        let s = try TempDir()
        var outputs: [String] = []
        for jobs in ["1", "4"] {
            let out = s.path("daily-\(jobs).jsonl")
            let r = try CLI.run(
                [
                    "run", "Pipelines/daily.pipe", "--set", "output=\(out)", "--output", s.path("a-\(jobs).csv"),
                    "--set", "store=\(s.path("daily-\(jobs).sqlite"))",
                    "--set", "report=\(s.path("report-\(jobs).html"))", "--jobs", jobs, "--quiet",
                ] + CLI.dailyStance)
            #expect(r.code == 0, "\(r.stderr)")
            outputs.append(try String(contentsOfFile: out, encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1] && outputs[0].contains("\"entities\""))
    }
}
