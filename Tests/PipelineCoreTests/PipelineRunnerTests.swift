import Foundation
import Testing

@testable import PipelineCore

private func pipeline(_ text: String) throws -> Pipeline {
    let o = PipelineBuilder(registry: TestStages.registry).build(PipelineDefinition.parse(text: text, file: "t.pipe"))
    return try #require(o.pipeline, "\(o.diagnostics)")
}

@Suite struct PipelineRunnerTests {
    @Test(arguments: [1, 4])
    func keepsInputOrderWithAnyNumberOfJobs(jobs: Int) throws {
        let box = "order-\(jobs)"
        let p = try pipeline("load memory count=2000\nextract split\nsummarize first\nwrite collect path=\(box)\n")
        let summary = try PipelineRunner(pipeline: p, options: RunOptions(jobs: jobs, batchDocuments: 7)).run()
        #expect(summary.documentsIn == 2000 && summary.documentsOut == 2000 && summary.failed == 0)
        let docs = CollectorBox.box(box).docs
        #expect(docs.map(\.id) == (1...2000).map { "d\($0)" })
        #expect(docs[41].summary?.text == "First of 42.")
        #expect(CollectorBox.box(box).finished == true)
    }

    @Test func failPolicyStopsAtTheFirstFailureAndAbortsWriters() throws {
        let p = try pipeline("load memory count=50\nextract fail ids=[\"d30\", \"d10\"]\nwrite collect path=fail-box\n")
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 3, batchDocuments: 4)).run()
        #expect(s.stoppedBy?.id == "d10")
        #expect(s.stoppedBy?.stage == "extract fail")
        #expect(s.stoppedBy?.origin == RecordOrigin(file: "memory", line: 10))
        #expect(CollectorBox.box("fail-box").finished == false)
    }

    @Test func skipPolicyWritesEveryOtherDocument() throws {
        let p = try pipeline("load memory count=50\nextract fail ids=[\"d30\"]\nwrite collect path=skip-box\n")
        let s = try PipelineRunner(pipeline: p, options: RunOptions(jobs: 2, onError: .skip, batchDocuments: 4)).run()
        #expect(s.documentsIn == 50 && s.documentsOut == 49 && s.failed == 1)
        #expect(CollectorBox.box("skip-box").docs.count == 49)
        #expect(!CollectorBox.box("skip-box").docs.contains { $0.id == "d30" })
    }

    /// An ``EncodingWriter`` gets every document as bytes encoded by the workers, in input order, a run of a batch's
    /// documents at a time, failures left out; a writer beside it without an encoder still gets the documents.
    @Test(arguments: [1, 3])
    func workersEncodeForEncodingWriters(jobs: Int) throws {
        let expected = (1...60).filter { $0 != 17 }.map { "d\($0)|First of \($0).\n" }.joined()
        let alone = try pipeline(
            "load memory count=60\nextract split\nextract fail ids=[\"d17\"]\nwrite lines path=alone-\(jobs)\n")
        let s = try PipelineRunner(pipeline: alone, options: RunOptions(jobs: jobs, onError: .skip, batchDocuments: 7))
            .run()
        #expect(s.documentsOut == 59 && s.failed == 1)
        let a = LinesBox.box("alone-\(jobs)").result
        #expect(a.text == expected)
        // Runs of documents come at once: here the 9 batches of 7, one of them cut in two by the failure.
        #expect(a.encoded == 10 && a.direct == 0)
        #expect(s.timings.last?.stage == "write lines")

        let both = try pipeline(
            "load memory count=60\nextract split\nextract fail ids=[\"d17\"]\n"
                + "write lines path=both-\(jobs)\nwrite collect path=both-docs-\(jobs)\n")
        _ = try PipelineRunner(pipeline: both, options: RunOptions(jobs: jobs, onError: .skip, batchDocuments: 7)).run()
        let b = LinesBox.box("both-\(jobs)").result
        #expect(b.text == expected && b.encoded == 10 && b.direct == 0)
        #expect(CollectorBox.box("both-docs-\(jobs)").docs.map(\.id) == (1...60).filter { $0 != 17 }.map { "d\($0)" })
    }

    @Test func applyRunsOneStageAtATime() throws {
        let p = try pipeline("load memory count=5\nextract split\nsummarize first sentences=2\nwrite collect path=x\n")
        let loaded = try StageExecutor.load(p.stages[0], limit: 3)
        #expect(loaded.count == 3)
        let docs = loaded.compactMap { if case .document(let d, _) = $0 { return d } else { return nil } }
        let afterSplit = try StageExecutor.apply(p.stages[1], to: docs, jobs: 2).compactMap { try? $0.get() }
        #expect(afterSplit.allSatisfy { $0.sentences?.count == 2 })
        let summarised = try StageExecutor.apply(p.stages[2], to: afterSplit, jobs: 2)
        #expect(summarised.allSatisfy { (try? $0.get())?.summary?.sentences == [0, 1] })
        // Skipping a stage: the requirement is checked per document.
        let missing = try StageExecutor.apply(p.stages[2], to: docs)
        #expect(
            missing.allSatisfy {
                if case .failure(let f) = $0 { return f.message.contains("'sentences'") } else { return false }
            })
        // A cancelled application throws instead of returning partial results.
        let stop = RunCancellation()
        stop.cancel()
        #expect(throws: RunError.self) { try StageExecutor.apply(p.stages[1], to: docs, cancellation: stop) }
    }

    @Test func atomicFileLeavesNothingOnDiscard() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sub/out.jsonl").path
        let f = try AtomicFile(path: path)
        try f.write(Array("partial".utf8))
        try f.flush()
        f.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sub").path).isEmpty)
        let g = try AtomicFile(path: path)
        try g.write(Array("done\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: path))
        try g.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "done\n")
        // A folder as the output is refused when it is opened, not by the rename at the end of the run.
        #expect(throws: FileError.self) { try AtomicFile(path: dir.appendingPathComponent("sub").path) }
    }

    /// An output that is a symbolic link: the file it points to is replaced and the link stays a link.
    @Test func atomicFileFollowsASymbolicLink() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = dir.appendingPathComponent("archive/2026-11-29.jsonl").path
        let link = dir.appendingPathComponent("latest.jsonl").path
        try FileManager.default.createDirectory(
            atPath: dir.appendingPathComponent("archive").path, withIntermediateDirectories: true)
        try "old\n".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "archive/2026-11-29.jsonl")
        let f = try AtomicFile(path: link)
        #expect(!f.isStream)
        try f.write(Array("new\n".utf8))
        try f.commit()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "archive/2026-11-29.jsonl")
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("archive").path) == [
                "2026-11-29.jsonl"
            ])
    }

    /// An output that is a named pipe (as `/dev/null` is a device) is written straight into it: renaming a temporary
    /// file over it would replace the pipe (or the device) with a regular file.
    @Test func atomicFileWritesIntoANamedPipe() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("out.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(OutputTarget.isStream(fifo) && OutputTarget.isStream("-") && OutputTarget.isStream("/dev/null"))
        #expect(!OutputTarget.isStream(dir.path) && !OutputTarget.isStream(dir.appendingPathComponent("missing").path))
        let received = ReceivedBytes()
        let reader = Thread {
            var data = Data()
            let fd = open(fifo, O_RDONLY)
            var chunk = [UInt8](repeating: 0, count: 65536)
            while fd >= 0 {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                data.append(contentsOf: chunk[0..<n])
            }
            if fd >= 0 { close(fd) }
            received.set(data)
        }
        reader.start()
        let f = try AtomicFile(path: fifo, resumable: true)
        #expect(f.isStream)
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array("\n".utf8)
        try f.write(payload.withUnsafeBufferPointer { $0 })
        try f.write(Array("end\n".utf8))
        #expect(try f.durableLength() == payload.count + 4)
        try f.commit()
        let data = try #require(received.wait())
        #expect(data.count == payload.count + 4 && data.suffix(4) == Data("end\n".utf8))
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.jsonl"])
        #expect(throws: FileError.self) { try AtomicFile(path: fifo, resumable: true, resumingAt: 10) }
    }
}

extension PipelineRunnerTests {
    /// Writes of every size around the direct-I/O block and buffer sizes, checkpoints between them (the last partial
    /// block written padded, then cut back, then written again), a kill after a checkpoint and a resume from an
    /// unaligned length: the file always holds exactly the bytes written, whatever I/O the file system allows.
    @Test func atomicFileKeepsEveryByteAcrossCheckpointsAndResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.jsonl").path
        let partial = AtomicFile.partialPath(for: path)
        // A block of prime length, repeated: misplaced or lost bytes show (and it is fast to build in a debug build).
        let block = (0..<4099).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        func pattern(_ n: Int, seed: Int) -> [UInt8] {
            var out = [UInt8](); out.reserveCapacity(n + 4099)
            out.append(contentsOf: block[(seed * 17 % 4099)...])
            while out.count < n { out.append(contentsOf: block) }
            return Array(out.prefix(n))
        }
        func onDisk() -> [UInt8] { [UInt8](FileManager.default.contents(atPath: partial) ?? Data()) }
        var expected: [UInt8] = []
        let f = try AtomicFile(path: path, resumable: true)
        let sizes = [1, 4095, 1, 4096, 4097, 100, (4 << 20) - 3, 5, (4 << 20) + 4096, 3, 9 << 20, 777]
        for (k, n) in sizes.enumerated() {
            let chunk = pattern(n, seed: k)
            if k % 2 == 0 { try f.write(chunk) } else { try chunk.withUnsafeBufferPointer { try f.write($0) } }
            expected += chunk
            if k % 3 == 2 {
                #expect(try f.durableLength() == expected.count)
                #expect(onDisk() == expected)
            }
        }
        let checkpoint = try f.durableLength()
        #expect(checkpoint == expected.count && checkpoint % 4096 != 0)
        try f.write(pattern(10_000, seed: 99))  // written after the checkpoint, then the run is killed
        try f.flush()
        let kept = dir.appendingPathComponent("kept").path
        try FileManager.default.copyItem(atPath: partial, toPath: kept)
        f.discard()
        try FileManager.default.moveItem(atPath: kept, toPath: partial)
        let g = try AtomicFile(path: path, resumable: true, resumingAt: checkpoint)
        let more = pattern(5 << 20, seed: 7)
        try g.write(more)
        expected += more
        try g.commit()
        #expect([UInt8](FileManager.default.contents(atPath: path) ?? Data()) == expected)
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    @Test func atomicFileWritesManyBuffersInOrderAndDiscardsQueuedOnes() throws {
        // Forty megabytes: ten buffers through the writing thread's rotation and past its periodic fdatasync.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.jsonl").path
        let chunks = (0..<40).map {
            [UInt8](repeating: UInt8(truncatingIfNeeded: $0 &* 7 &+ 1), count: (1 << 20) + 13 * $0)
        }
        let f = try AtomicFile(path: path, resumable: true)
        for c in chunks { try f.write(c) }
        try f.commit()
        let got = FileManager.default.contents(atPath: path) ?? Data()
        #expect(got.count == chunks.reduce(0) { $0 + $1.count })
        // Chunk by chunk with memcmp: comparing 40 MB element by element takes seconds in a debug build.
        var at = 0
        for (k, c) in chunks.enumerated() where at + c.count <= got.count {
            let same = got.withUnsafeBytes { g in
                c.withUnsafeBytes { memcmp(g.baseAddress! + at, $0.baseAddress!, c.count) == 0 }
            }
            #expect(same, "chunk \(k)")
            at += c.count
        }
        // Discarded with writes still queued: nothing is left behind, the committed file is untouched.
        let g = try AtomicFile(path: path, resumable: true)
        for c in chunks { try g.write(c) }
        g.discard()
        #expect(!FileManager.default.fileExists(atPath: AtomicFile.partialPath(for: path)))
        #expect(FileManager.default.contents(atPath: path)?.count == got.count)
    }
}

/// Bytes handed from a reader thread to the test.
private final class ReceivedBytes: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?
    func set(_ d: Data) { condition.lock(); data = d; condition.broadcast(); condition.unlock() }
    /// Waits up to ten seconds.
    func wait() -> Data? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: 10)
        while data == nil { if !condition.wait(until: deadline) { break } }
        return data
    }
}
