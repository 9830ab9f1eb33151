import Foundation
import Testing

/// `pipeline run --log FILE`: structured JSON lines for unattended runs.
@Suite struct RunLogTests {
    private func lines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func logRecordsStartFailuresTimingsAndSummary() throws {
        let s = try TempDir()
        let input = try s.write(
            "in.jsonl",
            """
            {"id":"a","text":"One. Two."}
            {"id":"b","text":"x","sentences":[{"start":0,"end":9}]}
            {"id":"c","text":"Three."}

            """)
        let pipe = try s.write(
            "l.pipe",
            "load jsonl path=\"\(input)\" layers=[\"sentences\"]\nextract sentences\nwrite jsonl path=\"\(s.path("out/o.jsonl"))\"\n"
        )
        let log = s.path("logs/run.log")
        let ok = try CLI.run(["run", pipe, "--on-error", "skip", "--log", log, "--jobs", "1"])
        #expect(ok.code == 0, "\(ok.stderr)")
        var l = try lines(log)
        #expect(
            l.map { $0["event"] as? String } == [
                "run started", "document failed", "stage timing", "stage timing", "stage timing", "run finished",
            ])
        #expect(
            Set(l.compactMap { $0["run"] as? String }).count == 1 && l.allSatisfy { $0["pipeline"] as? String == "l" })
        #expect(l[0]["inputs"] as? [String] == [input] && l[0]["outputs"] as? [String] == [s.path("out/o.jsonl")])
        #expect(l[0]["on_error"] as? String == "skip" && l[0]["jobs"] as? Int == 1)
        #expect(l[1]["id"] as? String == "b" && l[1]["line"] as? Int == 2 && l[1]["stage"] as? String == "load jsonl")
        #expect(
            l[1]["recorded_in"] as? String == s.path("out/o.jsonl.errors.jsonl") && l[1]["level"] as? String == "error")
        #expect(l[3]["stage"] as? String == "extract sentences" && l[3]["documents"] as? Int == 2)
        #expect(l[5]["documents_in"] as? Int == 3 && l[5]["documents_out"] as? Int == 2 && l[5]["failed"] as? Int == 1)
        #expect(l[5]["error_report"] as? String == s.path("out/o.jsonl.errors.jsonl") && l[5]["exit_code"] as? Int == 0)
        #expect((l[5]["time"] as? String)?.hasSuffix("Z") == true)

        // A second run appends; a run stopped by a failure says so with the exit code.
        let failed = try CLI.run(["run", pipe, "--log", log])
        #expect(failed.code == 65)
        l = try lines(log)
        #expect(l.count == 8)
        #expect(
            l[7]["event"] as? String == "run failed" && l[7]["exit_code"] as? Int == 65 && l[7]["id"] as? String == "b")
        #expect(l[7]["run"] as? String != l[0]["run"] as? String)
    }
}
