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
        let pairless = try CLI.run([
            "train", "extract", "entities", "--train", train, "--out", s.path("m"), "--setting", "lr",
        ])
        #expect(pairless.code == 2 && pairless.stderr.contains("--setting takes NAME=VALUE"), "\(pairless.stderr)")
        let unknownSetting = try CLI.run([
            "train", "extract", "entities", "--train", train, "--out", s.path("m"), "--setting", "momentum=0.9",
        ])
        #expect(unknownSetting.code == 2, "\(unknownSetting.stderr)")
        #expect(
            unknownSetting.stderr.contains(
                "unknown setting 'momentum' (settings: casing, clusters, first-epochs, lists, lr, phrases, rank, select, tagger, threads)"
            ), "\(unknownSetting.stderr)")
        let otherTagger = try CLI.run([
            "train", "extract", "entities", "--train", train, "--out", s.path("m"), "--setting", "lr=1e-3",
        ])
        #expect(otherTagger.code == 2 && otherTagger.stderr.contains("setting 'lr' is for tagger=encoder"))
        let badValue = try CLI.run([
            "train", "extract", "entities", "--train", train, "--out", s.path("m"), "--setting", "select=best",
        ])
        #expect(badValue.code != 0 && badValue.stderr.contains("select must be dev or last, not 'best'"))
        #expect(!FileManager.default.fileExists(atPath: s.path("m")))
    }

    /// The encoder's trainer hands `--setting`s to its training script as options (the script stands in for Python
    /// here: it records its arguments and writes a model file).
    @Test(.enabled(if: CLI.dailyStance.isEmpty, "base encoder not fetched (run Scripts/fetch-models)"))
    func encoderSettingsReachTheTrainingScript() throws {
        let s = try TempDir()
        let train = try s.write(
            "t.targets.jsonl", #"{"sentence":"Ana praised Bo.","from":0,"to":3,"mention":"Ana","polarity":0}"# + "\n")
        let fake = try s.write(
            "python",
            """
            #!/bin/sh
            shift
            echo "$@" > "\(s.path("args"))"
            while [ $# -gt 1 ]; do [ "$1" = --out ] && echo model > "$2"; shift; done
            echo "epoch 1: 1 s, loss 0.5000; macro-F1 dev 50.0"
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        var environment = ProcessInfo.processInfo.environment
        environment["PIPELINE_PYTHON"] = fake
        let r = try CLI.run(
            [
                "train", "stance", "encoder", "--train", train, "--out", s.path("m.model"), "--epochs", "1",
                "--setting", "lr=1e-3", "--setting", "class-weights=balanced",
            ], environment: environment)
        #expect(r.code == 0, "\(r.stderr)")
        let args = try String(contentsOfFile: s.path("args"), encoding: .utf8)
        #expect(args.contains("--class-weights balanced --lr 1e-3"), "\(args)")
        #expect(args.contains("--epochs 1 --seed 1"))
        let typo = try CLI.run(
            ["train", "stance", "encoder", "--train", train, "--out", s.path("n.model"), "--setting", "rnak=8"],
            environment: environment)
        #expect(typo.code == 2 && typo.stderr.contains("did you mean 'rank'?"), "\(typo.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path("n.model")))
        // A document-level model reports F-avg, shown as the main measure.
        try s.write(
            "python",
            """
            #!/bin/sh
            while [ $# -gt 1 ]; do [ "$1" = --out ] && echo model > "$2"; shift; done
            echo "epoch 1: 1 s, loss 0.5000; F-avg dev 61.5"
            """)
        let document = try CLI.run(
            [
                "train", "stance", "encoder", "--train", train, "--dev", train, "--out", s.path("d.model"), "--epochs",
                "1",
            ],
            environment: environment)
        #expect(document.code == 0 && document.stderr.contains("dev F avg 61.50\n"), "\(document.stderr)")
    }

    @Test func theStageListingSaysHowAStageTrainsAndWhichSettingsItTakes() throws {
        let r = try CLI.run(["stages", "stance", "encoder"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("training (pipeline train stance encoder): low-rank adapters"))
        #expect(r.stdout.contains("--setting class-weights=…"))
        #expect(r.stdout.contains("--setting lr=…"))
        let untrained = try CLI.run(["stages", "extract", "tokens"])
        #expect(untrained.code == 0 && !untrained.stdout.contains("training ("))
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
