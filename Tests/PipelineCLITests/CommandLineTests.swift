import Foundation
import Testing

@Suite(.serialized) struct CommandLineTests {
    @Test func dailyPipelineRunsOnTheBundledSamples() throws {
        let s = try TempDir()
        let out = s.path("daily.jsonl")
        let r = try CLI.run(
            [
                "run", "Pipelines/daily.pipe", "--set", "output=\(out)", "--output", s.path("actors.csv"),
                "--set", "store=\(s.path("daily.sqlite"))", "--set", "report=\(s.path("report.html"))", "--timings",
            ] + CLI.dailyStance)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("daily: 20 documents in, 20 out, 0 failed"))
        #expect(r.stderr.contains("extract sentences"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 20)
        // A TextRank summary of three sentences, in document order.
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let chosen = try #require((first["summary"] as? [String: Any])?["sentences"] as? [Int])
        #expect(chosen.count == 3 && chosen == chosen.sorted())
        #expect(lines[0].contains("\"date\":\"2026-11-20\""))
        // The actors of every article, with roles, quotes with speakers, dates and key phrases.
        #expect(
            lines[0].contains(
                "\"text\":\"Karim al-Saadi\",\"type\":\"PER\",\"canonical\":\"Karim al-Saadi\",\"role\":\"Prime Minister\",\"country\":\"Iraq\""
            ))
        #expect(lines[0].contains("\"speaker\":\"Nour Hamdan\""))
        #expect(lines[0].contains("\"type\":\"DATE\",\"value\":\"2026-11-20\""))
        #expect(lines[0].contains("\"keyphrases\":[{"))
        // Who did what to whom: the French minister met the Iraqi prime minister.
        #expect(
            lines[0].contains(
                "{\"sentence\":1,\"source\":\"Claire Duval\",\"target\":\"Karim al-Saadi\",\"action\":\"meet\",\"code\":\"040\",\"quad\":\"verbal_cooperation\""
            ))
        // A stance toward every actor, with score, label and evidence.
        #expect(lines[0].contains("\"stances\":[{\"target\":"))
        #expect(lines.allSatisfy { $0.contains("\"stances\":[") })
        let csv = try String(contentsOfFile: s.path("actors.csv"), encoding: .utf8).components(separatedBy: "\r\n")
            .filter { !$0.isEmpty }
        #expect(csv.count == 21 && csv[0] == "id,title,date,actors,stances,keyphrases")
        #expect(csv.dropFirst().allSatisfy { !$0.contains(",2026-11-2") || $0.contains(" (") })
        // The day went into the store too.
        #expect(FileManager.default.fileExists(atPath: s.path("daily.sqlite")))
        #expect(
            try String(contentsOfFile: s.path("report.html"), encoding: .utf8).contains(
                "Nov 20 – Nov 25 2026 · 20 articles from 3 sources"))
    }

    @Test func filterModeWritesOneLinePerInputLineWithAnEmptyEnvironment() throws {
        let s = try TempDir()
        let pipe = try s.write(
            "f.pipe",
            "load jsonl path=\"in.jsonl\"\nextract sentences\nsummarize lead sentences=1\nwrite jsonl path=\"out.jsonl\"\n"
        )
        var input = ""
        for i in 1...300 { input += "{\"id\":\"d\(i)\",\"text\":\"First \(i). Second.\"}\r\n" }
        input += "{oops}\n{\"id\":\"last\",\"text\":\"Multi\\nline \\u2028 text.\"}"
        let r = try CLI.run(
            ["run", pipe, "--input", "-", "--output", "-", "--on-error", "skip", "--jobs", "4"],
            stdin: input, environment: [:])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 303 && lines.last == "")
        #expect(lines[0].hasPrefix("{\"id\":\"d1\""))
        #expect(lines[299].hasPrefix("{\"id\":\"d300\""))
        #expect(lines[300].contains("\"error\"") && lines[300].contains("\"line\":301"))
        #expect(lines[301].hasPrefix("{\"id\":\"last\"") && !r.stdout.contains("\r"))

        let failing = try CLI.run(["run", pipe, "--input", "-", "--output", "-"], stdin: input, environment: [:])
        #expect(failing.code == 65)
        #expect(failing.stderr.contains("(-:301) failed in 'load jsonl'"))
    }

    @Test func failingDocumentExitsWith65AndNamesIt() throws {
        let s = try TempDir()
        let input = try s.write(
            "in.jsonl", "{\"id\":\"ok\",\"text\":\"Fine.\"}\n{\"id\":\"bad\",\"text\":\"x\",\"date\":\"soon\"}\n")
        let pipe = try s.write(
            "p.pipe", "load jsonl path=\"\(input)\"\nextract sentences\nwrite jsonl path=\"\(s.path("o.jsonl"))\"\n")
        let r = try CLI.run(["run", pipe])
        #expect(r.code == 65)
        #expect(r.stderr.contains("document 'bad' (\(input):2) failed in 'load jsonl'"))
        #expect(!FileManager.default.fileExists(atPath: s.path("o.jsonl")))
        let skip = try CLI.run(["run", pipe, "--on-error", "skip"])
        #expect(skip.code == 0)
        #expect(skip.stderr.contains("2 documents in, 1 out, 1 failed"))
        #expect(FileManager.default.fileExists(atPath: s.path("o.jsonl.errors.jsonl")))
    }

    @Test func checkReportsErrorsWithCaretsAndExit2() throws {
        let s = try TempDir()
        let pipe = try s.write(
            "bad.pipe",
            "load files path=\"Pipelines/samples\"\nextract sentnces\nsummarize lead sentences=0\nwrite jsonl path=x\n")
        let r = try CLI.run(["check", pipe])
        #expect(r.code == 2)
        #expect(
            r.stderr.contains(
                "\(pipe):2:9: error: unknown extract stage 'sentnces'; did you mean 'sentences'?\n    extract sentnces\n            ^~~~~~~~\n"
            ))
        #expect(r.stderr.contains("\(pipe):3:26: error: 0 is out of range for 'sentences'"))
        #expect(r.stderr.contains("2 errors"))
        let ok = try CLI.run(["check", "Pipelines/daily.pipe"])
        #expect(ok.code == 0)
        #expect(ok.stdout.contains("ok (14 stages"))
        let unknownSet = try CLI.run(["check", "Pipelines/daily.pipe", "--set", "leed=2"])
        #expect(unknownSet.code == 2 && unknownSet.stderr.contains("did you mean 'lead'?"))
    }

    @Test func explainShowsValuesAndOrigins() throws {
        let r = try CLI.run(["explain", "Pipelines/daily.pipe", "--set", "lead=2", "--output", "/tmp/x.jsonl"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sentences = 2    [--set lead]"))
        #expect(r.stdout.contains("= \"/tmp/x.jsonl\"    [--output]"))
        #expect(r.stdout.contains("newlines = \"auto\"    [default]"))
        #expect(r.stdout.contains("path       = \"Pipelines/samples\"    [$articles, let at Pipelines/daily.pipe line"))
        #expect(r.stdout.contains("requires: sentences"))
    }

    @Test func stagesListsEveryKindAndSuggests() throws {
        let r = try CLI.run(["stages"])
        #expect(r.code == 0)
        for name in [
            "load files", "load jsonl", "load csv", "extract sentences", "extract tokens", "summarize lead",
            "write jsonl", "write csv",
        ] {
            #expect(r.stdout.contains("  \(name) - "), "\(name)")
        }
        #expect(r.stdout.contains("sentences=int (default 3) [1…10000]"))
        let one = try CLI.run(["stages", "summarize", "lead"])
        #expect(one.stdout.contains("summarize lead") && !one.stdout.contains("load files"))
        let typo = try CLI.run(["stages", "sentnces"])
        #expect(typo.code == 2 && typo.stderr.contains("did you mean 'sentences'?"))
    }

    @Test func usageErrorsExitWith2() throws {
        #expect(try CLI.run(["run"]).code == 2)
        #expect(try CLI.run(["run", "Pipelines/daily.pipe", "--jobs", "0"]).code == 2)
        #expect(try CLI.run(["run", "Pipelines/daily.pipe", "--on-error", "maybe"]).code == 2)
        #expect(try CLI.run(["run", "Pipelines/nope.pipe"]).code == 2)
        #expect(try CLI.run(["--help"]).code == 0)
    }

    @Test func interruptDiscardsOutputAndExits130() throws {
        let s = try TempDir()
        let line =
            "{\"id\":\"x\",\"text\":\"" + String(repeating: "The minister spoke in Baghdad. ", count: 200) + "\"}\n"
        let input = String(repeating: line, count: 6000)
        let path = try s.write("big.jsonl", input)
        let out = s.path("out/o.jsonl")
        // About 36 MB through sentences and tokens on one job: long enough for the interrupt to land mid-run.
        let pipe = try s.write(
            "slow.pipe", "load jsonl path=\"-\"\nextract sentences\nextract tokens\nwrite jsonl path=\"-\"\n")
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["run", pipe, "--input", path, "--output", out, "--jobs", "1"]
        p.currentDirectoryURL = CLI.root
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Ready when the run is writing: its temporary output file exists (the interrupt then lands mid-run).
        let writing = waitUntil(timeout: 60) {
            !((try? FileManager.default.contentsOfDirectory(atPath: s.path("out"))) ?? []).isEmpty
        }
        #expect(writing, "the run started writing")
        p.interrupt()
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(!FileManager.default.fileExists(atPath: out))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: s.path("out"))) ?? []
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func replRunsAScriptFromStdin() throws {
        let script = ":stages\n:step 9\n:docs\n:show 05-turkey-drone-strike summary\n:nope\n:quit\n:step\n"
        let dir = try TempDir()
        let daily = try CLI.dailyPipe(in: dir)
        let r = try CLI.run(["repl", daily], stdin: script)
        #expect(r.code == 1)
        #expect(!r.stdout.contains("\u{1B}["), "no escape codes in scripts")
        #expect(!r.stdout.contains("daily ["), "no prompt in scripts")
        #expect(r.stdout.contains("▶ 1. load files"))
        #expect(r.stdout.contains("step 9: summarize textrank: 20 documents"))
        #expect(r.stdout.contains("05-turkey-drone-strike  Turkey strikes"))
        #expect(r.stdout.contains("»ANKARA/BAGHDAD, Nov 22 (PSW) - Turkish drones struck"))
        #expect(r.stderr.contains("line 5: error: unknown command ':nope'"))
        #expect(!r.stdout.contains("step 10"), ":quit ends the script")
        let bail = try CLI.run(["repl", daily, "--bail"], stdin: ":nope\n:step\n")
        #expect(bail.code == 1 && !bail.stdout.contains("step 1"))
    }
}
