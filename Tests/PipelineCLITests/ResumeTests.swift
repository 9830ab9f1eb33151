import Foundation
import Testing

/// `pipeline run --resume` after SIGKILL (the long version, 300,000 documents killed at several points with the store
/// compared too, is Scripts/check-resume, run by .ci/run).
@Suite(.serialized) struct ResumeTests {
    /// 40,000 short documents with a failing one every 10,000, and a pipeline writing JSONL and CSV from them.
    private func setUp(_ s: TempDir) throws -> String {
        var input = ""
        for i in 0..<40_000 {
            let bad = i % 10_000 == 9_999 ? ",\"sentences\":[{\"start\":0,\"end\":999999}]" : ""
            input +=
                "{\"id\":\"d\(i)\",\"text\":\"Minister \(i) met officials in Baghdad. Talks on item \(i % 97) went on.\"\(bad)}\n"
        }
        let data = try s.write("in.jsonl", input)
        return try s.write(
            "r.pipe",
            """
            load jsonl path="\(data)" layers=["sentences"]
            extract sentences
            extract tokens
            summarize lead sentences=1
            write csv path="\(s.path("out/a.csv"))" fields=["id", "tokens", "summary"]
            write jsonl path="\(s.path("out/a.jsonl"))"
            """)
    }

    private func outputs(_ s: TempDir) throws -> [String] {
        try ["out/a.jsonl", "out/a.csv", "out/a.jsonl.errors.jsonl"].map {
            try String(contentsOfFile: s.path($0), encoding: .utf8)
        }
    }

    private func checkpointRecords(_ s: TempDir) -> Int? {
        guard let d = FileManager.default.contents(atPath: s.path("out/a.jsonl.checkpoint")),
            let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any]
        else { return nil }
        return o["records"] as? Int
    }

    @Test func killedRunResumesToIdenticalOutputs() throws {
        let s = try TempDir()
        let pipe = try setUp(s)
        let args = ["run", pipe, "--on-error", "skip", "--checkpoint-every", "0", "--jobs", "2"]
        let reference = try CLI.run(args)
        #expect(reference.code == 0, "\(reference.stderr)")
        let expected = try outputs(s)
        #expect(expected[0].split(separator: "\n").count == 39_996 && expected[2].split(separator: "\n").count == 4)
        try FileManager.default.removeItem(atPath: s.path("out"))

        // Killed with SIGKILL once a checkpoint covers some of the input.
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args
        p.currentDirectoryURL = CLI.root
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while (checkpointRecords(s) ?? 0) < 5_000 && p.isRunning && Date() < deadline { usleep(5_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let done = try #require(checkpointRecords(s), "no checkpoint before the run ended")
        #expect(done > 0 && done < 40_000)
        let partial = try FileManager.default.contentsOfDirectory(atPath: s.path("out"))
        #expect(partial.contains(".a.jsonl.partial") && partial.contains(".a.csv.partial"))

        let resumed = try CLI.run(args + ["--resume"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("40000 documents in, 39996 out, 4 failed, resumed after \(done),"))
        #expect(try outputs(s) == expected)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: s.path("out")).sorted() == [
                "a.csv", "a.jsonl", "a.jsonl.errors.jsonl",
            ])

        // With nothing left to resume, --resume runs from the start.
        let again = try CLI.run(args + ["--resume"])
        #expect(again.code == 0 && !again.stderr.contains("resumed after"))
        #expect(try outputs(s) == expected)
    }

    @Test func resumeRefusesWhatItCannotContinue() throws {
        let s = try TempDir()
        let pipe = try setUp(s)
        // A checkpoint written by other options is refused.
        try FileManager.default.createDirectory(atPath: s.path("out"), withIntermediateDirectories: true)
        try s.write(
            "out/a.jsonl.checkpoint",
            #"{"version":1,"fingerprint":"0000000000000000","records":10,"documents_out":10,"failed":0,"writers":[1,1],"error_report":null}"#
        )
        let other = try CLI.run(["run", pipe, "--resume"])
        #expect(other.code == 2)
        #expect(
            other.stderr.contains(
                "cannot resume: the checkpoint at \(s.path("out/a.jsonl.checkpoint")) was written by another pipeline or other options"
            ))
        // A checkpoint that is not one.
        try s.write("out/a.jsonl.checkpoint", "garbage")
        let garbage = try CLI.run(["run", pipe, "--resume"])
        #expect(garbage.code == 2 && garbage.stderr.contains("is not a checkpoint this release can read"))
        // Output to stdout cannot be taken back.
        let stdout = try CLI.run(["run", pipe, "--resume", "--output", "-"])
        #expect(stdout.code == 2 && stdout.stderr.contains("cannot resume: write jsonl writes to stdout"))
        // So does a named pipe (or a device such as /dev/null).
        #expect(mkfifo(s.path("pipe.jsonl"), 0o600) == 0)
        let fifo = try CLI.run(["run", pipe, "--resume", "--output", s.path("pipe.jsonl")])
        #expect(
            fifo.code == 2 && fifo.stderr.contains("writes to stdout, a device or a pipe, which cannot be taken back"))
        // A plain run ignores and removes a stale checkpoint.
        let fresh = try CLI.run(["run", pipe, "--on-error", "skip"])
        #expect(fresh.code == 0)
        #expect(!FileManager.default.fileExists(atPath: s.path("out/a.jsonl.checkpoint")))
    }

    /// A run whose output is a named pipe writes into the pipe, failures in place as on stdout, and leaves no partial
    /// file, checkpoint or error report beside it; the pipe is still a pipe afterwards.
    @Test func aNamedPipeOutputIsWrittenDirectly() throws {
        let s = try TempDir()
        let pipe = try setUp(s)
        let fifo = s.path("out/pipe.jsonl")
        try FileManager.default.createDirectory(atPath: s.path("out"), withIntermediateDirectories: true)
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = DataBox()
        let reader = Thread {
            var data = Data()
            let fd = open(fifo, O_RDONLY)
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while fd >= 0 {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                data.append(contentsOf: chunk[0..<n])
            }
            if fd >= 0 { close(fd) }
            received.data = data
        }
        reader.start()
        let r = try CLI.run(["run", pipe, "--on-error", "skip", "--output", fifo, "--checkpoint-every", "1000"])
        #expect(r.code == 0, "\(r.stderr)")
        var waited = 0
        while received.data == nil && waited < 10_000 { usleep(1000); waited += 1 }
        let lines = String(decoding: try #require(received.data), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 40_000)
        #expect(lines.filter { $0.contains("\"error\":{") }.count == 4)
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.path("out")).sorted() == ["a.csv", "pipe.jsonl"])
    }
}
