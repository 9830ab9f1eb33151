import Foundation
import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

@Suite struct FilesLoaderTests {
    @Test func readsTitleHeadersAndBody() throws {
        let dir = try TempDir()
        try dir.write("day/a.txt", "Iraq signs deal\nDate: 20 November 2026\nSource: Wire\n\nBody one.\nMore.\n\n")
        try dir.write("day/b.md", "# Second story\n\nBody two.")
        try dir.write("day/ignored.csv", "x")
        try dir.write("day/.hidden.txt", "x")
        let records = try loadAll("load files path=\"\(dir.path("day"))\"")
        let docs = records.compactMap(\.document)
        #expect(docs.map(\.id) == ["a", "b"])
        #expect(docs[0].title == "Iraq signs deal")
        #expect(docs[0].date == "2026-11-20")
        #expect(docs[0].source == "Wire")
        #expect(docs[0].text == "Body one.\nMore.")
        #expect(docs[1].title == "Second story")
        #expect(docs[1].text == "Body two.")
    }

    @Test func crlfAndBOMAreNormalised() throws {
        let dir = try TempDir()
        try dir.write(
            "a.txt", [0xEF, 0xBB, 0xBF] + Array("Title\r\nDate: 2026-11-20\r\n\r\nLine one.\r\nLine two.\r\n".utf8))
        let d = try #require(try loadAll("load files path=\"\(dir.path("a.txt"))\"").first?.document)
        #expect(d.title == "Title")
        #expect(d.text == "Line one.\nLine two.")
    }

    @Test func invalidUTF8AndEmptyFilesAreFailuresNamingTheFile() throws {
        let dir = try TempDir()
        try dir.write("in/bad.txt", Array("Title\n\nok line\n".utf8) + [0x41, 0xFF, 0x42, 0x0A])
        try dir.write("in/empty.txt", "")
        try dir.write("in/good.txt", "Good\n\nFine.")
        let r = try loadAll("load files path=\"\(dir.path("in"))\"")
        #expect(r.count == 3)
        let bad = try #require(r[0].failure)
        #expect(bad.message.contains("bad.txt' is not valid UTF-8 (first bad byte on line 4)"))
        #expect(bad.id == "bad")
        #expect(r[1].failure?.message.contains("empty.txt' is empty") == true)
        #expect(r[2].document?.text == "Fine.")
    }

    @Test func gzipFilesAndTruncatedGzip() throws {
        let dir = try TempDir()
        let gz = try dir.gzip(
            "z/story.txt", "Zipped story\n\n" + String(repeating: "Words and more words. ", count: 5000))
        let docs = try loadAll("load files path=\"\(dir.path("z"))\"")
        #expect(docs.first?.document?.title == "Zipped story")
        #expect(docs.first?.document?.id == "story")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: gz)))
        try dir.write("t/cut.txt.gz", Array(bytes.prefix(bytes.count / 2)))
        let cut = try loadAll("load files path=\"\(dir.path("t"))\"")
        #expect(cut.first?.failure?.message.contains("truncated gzip") == true)
    }

    @Test func aGzipBombStopsAtMaxBytes() throws {
        // 40 MB of one repeated line compresses to about 40 KB: read whole, it would take 40 MB per document (and a
        // real bomb, gigabytes); it stops once the decompressed text passes max_bytes, as a failure of that file.
        let dir = try TempDir()
        _ = try dir.gzip("b/bomb.txt", "Title\n\n" + String(repeating: "la la la la la la la\n", count: 2_000_000))
        _ = try dir.write("b/small.txt", "Small\n\nA short story.")
        let r = try loadAll("load files path=\"\(dir.path("b"))\" max_bytes=1000000")
        #expect(r.count == 2)
        let bomb = try #require(r[0].failure)
        #expect(bomb.id == "bomb")
        #expect(bomb.message.contains("larger than max_bytes=1000000 bytes; raise max_bytes to read it"))
        #expect(r[1].document?.text == "A short story.")
        // The default (32 MB) reads an article well past any real one.
        _ = try dir.gzip("c/long.txt", "Long\n\n" + String(repeating: "Words and more words. ", count: 200_000))
        #expect(try loadAll("load files path=\"\(dir.path("c"))\"").first?.document?.title == "Long")
    }

    @Test func missingPathIsADefinitionError() {
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(text: "load files path=\"/no/such/dir\"\nwrite jsonl path=-\n", file: "t.pipe"))
        #expect(o.diagnostics.first?.message == "load files: '/no/such/dir' does not exist")
        #expect(o.diagnostics.first?.location?.column == 12)
    }
}

@Suite struct JSONLLoaderTests {
    @Test func awkwardLinesAreFailuresWithTheirLineNumbers() throws {
        let dir = try TempDir()
        let bytes =
            Array("{\"id\":\"a\",\"text\":\"A.\"}\r\n".utf8) + Array("not json\n".utf8) + Array("\n".utf8)
            + Array("{\"id\":\"b\",\"text\":\"".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
            + Array("{\"text\":\"no id\"}".utf8)
        let path = try dir.write("in.jsonl", [0xEF, 0xBB, 0xBF] + bytes)
        let r = try loadAll("load jsonl path=\"\(path)\"")
        #expect(r.count == 5)
        // A byte-order mark and a CR before the line feed are tolerated.
        #expect(r[0].document?.id == "a")
        #expect(r[1].failure?.message.contains("invalid JSON") == true && r[1].failure?.origin.line == 2)
        #expect(r[2].failure?.message.contains("blank line") == true)
        #expect(r[3].failure?.message.contains("invalid UTF-8") == true && r[3].failure?.origin.line == 4)
        #expect(r[4].document?.id == "in.jsonl:5")
    }

    @Test func emptyFileGivesNoDocuments() throws {
        let dir = try TempDir()
        let path = try dir.write("empty.jsonl", "")
        #expect(try loadAll("load jsonl path=\"\(path)\"").isEmpty)
    }

    /// A line far longer than the read buffer, through the same code as a 50 MB line but with a 16-byte buffer and reads
    /// of 7 bytes at most: the buffer grows, CRLF and a last line without LF are handled, nothing is lost.
    @Test func linesLongerThanTheBufferGrowIt() throws {
        let long = String(repeating: "The minister spoke at length. ", count: 400)
        let text = "{\"id\":\"big\",\"text\":\"\(long)\"}\r\n\n{\"id\":\"small\"}\r\nlast"
        let reader = LineReader(stream: Trickle(bytes: Array(text.utf8), step: 7), chunk: 16)
        var lines: [String] = []
        while let line = try reader.nextLine() { lines.append(line.withBytes { String(decoding: $0, as: UTF8.self) }) }
        #expect(lines == ["{\"id\":\"big\",\"text\":\"\(long)\"}", "", "{\"id\":\"small\"}", "last"])
        #expect(reader.lineNumber == 4 && reader.bytesRead == text.utf8.count)
    }

    /// Lines are kept and read only after the whole stream has been read (as worker threads read them while the
    /// reader goes on): no later read overwrites them, across block boundaries, a long line, CRLF and a last line.
    @Test func keptLinesSurviveLaterReads() throws {
        var expected: [String] = []
        for i in 0..<60 { expected.append(String(repeating: "w\(i % 10)", count: i % 7 == 0 ? 40 : i % 5)) }
        let text =
            expected.enumerated().map { $0.offset % 3 == 0 ? $0.element + "\r\n" : $0.element + "\n" }.joined()
            + "tail"
        let reader = LineReader(stream: Trickle(bytes: Array(text.utf8), step: 5), chunk: 24)
        var kept: [Line] = []
        while let line = try reader.nextLine() { kept.append(line) }
        #expect(kept.map { $0.withBytes { String(decoding: $0, as: UTF8.self) } } == expected + ["tail"])
        #expect(reader.bytesRead == text.utf8.count)
        // Blocks are shared by the lines in them, not one per line, and the long lines got blocks of their own size.
        #expect(Set(kept.map { ObjectIdentifier($0.block) }).count < kept.count / 2)
        #expect(kept.allSatisfy { $0.range.upperBound <= $0.block.capacity })
    }

    @Test func gzipAndFieldMapping() throws {
        let dir = try TempDir()
        let gz = try dir.gzip("w.jsonl", "{\"newid\": 7, \"body\": \"B.\", \"places\": [\"usa\"]}\n")
        let d = try #require(try loadAll("load jsonl path=\"\(gz)\" id=newid text=body").first?.document)
        #expect(d.id == "7" && d.text == "B." && d.meta["places"] == .array([.string("usa")]))
    }
}

@Suite struct CSVLoaderTests {
    @Test func quotingEmbeddedNewlinesAndMapping() throws {
        let dir = try TempDir()
        let path = try dir.write(
            "a.csv",
            "\u{FEFF}id,headline,body,lang\r\n1,\"Deal, signed\",\"Line one.\r\nLine \"\"two\"\".\",en\r\n2,Plain,Text,fr\r\n"
        )
        let docs = try loadAll("load csv path=\"\(path)\" title=headline text=body").compactMap(\.document)
        #expect(docs.count == 2)
        #expect(docs[0].id == "1" && docs[0].title == "Deal, signed")
        #expect(docs[0].text == "Line one.\nLine \"two\".")
        #expect(docs[0].meta["lang"] == .string("en"))
        #expect(docs[1].text == "Text")
    }

    @Test func brokenRowsAreFailuresAndReadingGoesOn() throws {
        let dir = try TempDir()
        let path = try dir.write(
            "b.csv", "id,text\n1,ok\n2,bad \"quote\" here\n3,\"closed\" junk\n4,too,many\n5,fine\n6,\"never closed\n")
        let r = try loadAll("load csv path=\"\(path)\"")
        #expect(r.count == 6)
        #expect(r[0].document?.id == "1")
        #expect(r[1].failure?.origin.line == 3 && r[1].failure?.message.contains("inside an unquoted field") == true)
        #expect(r[2].failure?.origin.line == 4 && r[2].failure?.message.contains("after a closing quote") == true)
        #expect(r[3].failure?.message.contains("row has 3 fields, the header has 2") == true)
        #expect(r[4].document?.id == "5")
        #expect(r[5].failure?.message.contains("unterminated quoted field") == true && r[5].failure?.origin.line == 7)
    }

    @Test func headerWithoutTheTextColumn() throws {
        let dir = try TempDir()
        let path = try dir.write("c.csv", "id,body\n1,x\n")
        let r = try loadAll("load csv path=\"\(path)\"")
        #expect(r.count == 1)
        #expect(r[0].failure?.message.contains("no 'text' column") == true)
    }
}

/// Bytes handed out at most `step` at a time, as a pipe or a slow file may.
private struct Trickle: ByteStream {
    var bytes: [UInt8]
    var step: Int
    var at = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(step, buffer.count, bytes.count - at)
        for k in 0..<n { buffer[k] = bytes[at + k] }
        at += n
        return n
    }

    mutating func close() {}
}
