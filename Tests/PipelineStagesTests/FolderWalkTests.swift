import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Folders that strangers' archives can contain: link loops, several links to one file, FIFOs and sockets.
@Suite struct FolderWalkTests {
    @Test func linkLoopsAreWalkedOnceAndEachFileReadOnce() throws {
        let dir = try TempDir()
        try dir.write("in/a.txt", "First\n\nOne.")
        try dir.write("in/sub/b.txt", "Second\n\nTwo.")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir.path("in/self"), withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: dir.path("in/sub/up"), withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: dir.path("in/sub/again"), withDestinationPath: dir.path("in"))
        try fm.createSymbolicLink(atPath: dir.path("in/alias.txt"), withDestinationPath: "a.txt")
        try fm.createSymbolicLink(atPath: dir.path("in/dangling.txt"), withDestinationPath: "nowhere.txt")
        // A link to a folder outside is followed.
        try dir.write("outside/c.txt", "Third\n\nThree.")
        try fm.createSymbolicLink(atPath: dir.path("in/linked"), withDestinationPath: dir.path("outside"))
        let docs = try loadAll("load files path=\"\(dir.path("in"))\"").compactMap(\.document)
        #expect(docs.map(\.id) == ["a", "linked/c", "sub/b"])
    }

    @Test func fifosAndSocketsInAFolderAreReportedNotOpened() throws {
        let dir = try TempDir()
        try dir.write("in/a.jsonl", #"{"id":"x","text":"Some text."}"# + "\n")
        try FileManager.default.createDirectory(atPath: dir.path("in"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.path("in/pipe.jsonl"), 0o600) == 0)
        let socketPath = dir.path("in/sock.jsonl")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        // Without the check, reading the FIFO would block this test forever.
        let records = try loadAll("load jsonl path=\"\(dir.path("in"))\"")
        #expect(records.count == 3)
        #expect(records[0].failure?.message.contains("pipe.jsonl' is a FIFO (named pipe), not a regular file") == true)
        #expect(records[1].failure?.message.contains("sock.jsonl' is a socket") == true)
        #expect(records[2].document?.id == "x")
        // A glob skips them too.
        let globbed = try loadAll("load jsonl path=\"\(dir.path("in"))/*.jsonl\"")
        #expect(globbed.compactMap(\.failure).count == 2)
        #expect(globbed.compactMap(\.document).count == 1)
    }

    @Test func aFolderWithOnlyAFifoSaysSo() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.path("in"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.path("in/pipe.txt"), 0o600) == 0)
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(
                text: "load files path=\"\(dir.path("in"))\"\nwrite jsonl path=-\n", file: "t.pipe"))
        #expect(o.pipeline == nil)
        let message = o.diagnostics.map { "\($0)" }.joined()
        #expect(message.contains("has no .txt, .md files") && message.contains("1 skipped") && message.contains("FIFO"))
    }

    @Test func aCancelledRunStopsTheWalk() throws {
        let dir = try TempDir()
        try dir.write("in/a.txt", "A\n\nText.")
        let cancel = RunCancellation()
        cancel.cancel()
        #expect(throws: RunError.interrupted) {
            try RunCancellation.$current.withValue(cancel) {
                _ = try InputFiles.expand(dir.path("in"), extensions: [".txt"])
            }
        }
    }
}
