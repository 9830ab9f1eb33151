import Foundation
import Testing

@testable import PipelineCore

/// Parses marked `.pipe` text and returns the diagnostics.
private func diagnostics(_ marked: MarkedText, file: String = "t.pipe") -> [Diagnostic] {
    PipelineDefinition.parse(text: marked.text, file: file).diagnostics
}

private func expectError(
    _ d: Diagnostic?, at pos: (line: Int, column: Int), contains text: String,
    sourceLocation: SourceLocation_ = #_sourceLocation
) {
    #expect(d != nil, sourceLocation: sourceLocation)
    guard let d else { return }
    #expect(d.location?.line == pos.line, "line of: \(d)", sourceLocation: sourceLocation)
    #expect(d.location?.column == pos.column, "column of: \(d)", sourceLocation: sourceLocation)
    #expect(d.message.contains(text), "message: \(d.message)", sourceLocation: sourceLocation)
}

typealias SourceLocation_ = Testing.SourceLocation

@Suite struct PipeParserTests {
    @Test func parsesStagesOptionsAndTypedValues() throws {
        let def = PipelineDefinition.parse(
            text: """
                # comment
                let n = 3
                load memory count=5 path="a b.txt"   # trailing comment
                summarize first sentences=$n ratio=0.5 mode=strict words=["x", "y\\n", $n,]
                write collect path=-
                """)
        #expect(def.diagnostics.isEmpty)
        #expect(def.stages.count == 3)
        #expect(def.stages[0].kind == .load)
        #expect(def.stages[0].name == "memory")
        #expect(def.stages[0].options.map(\.key) == ["count", "path"])
        guard case .literal(.int(5), _) = def.stages[0].options[0].value else { Issue.record("count"); return }
        guard case .literal(.string("a b.txt"), _) = def.stages[0].options[1].value else {
            Issue.record("path"); return
        }
        guard case .variable("n", _) = def.stages[1].options[0].value else { Issue.record("var"); return }
        guard case .literal(.double(0.5), _) = def.stages[1].options[1].value else { Issue.record("double"); return }
        guard case .list(let items, _) = def.stages[1].options[3].value, items.count == 3,
            case .literal(.string("y\n"), _) = items[1]
        else { Issue.record("list"); return }
        #expect(def.variables.keys.elementsEqual(["n"]))
    }

    @Test func continuationLinesAndListsAcrossLines() {
        let def = PipelineDefinition.parse(
            text: """
                summarize first \\
                    sentences=2 \\
                    words=[
                      "a",
                      "b"
                    ]
                write collect path=x
                """)
        #expect(def.diagnostics.isEmpty, "\(def.diagnostics)")
        #expect(def.stages.count == 2)
        #expect(def.stages[0].options.count == 2)
        #expect(def.stages[0].options[0].keyLocation.line == 2)
        #expect(def.stages[0].options[0].keyLocation.column == 5)
    }

    @Test func byteOrderMarkAndCRLFAreAccepted() {
        let def = PipelineDefinition.parse(text: "\u{FEFF}load memory count=2\r\nwrite collect path=x\r\n")
        #expect(def.diagnostics.isEmpty, "\(def.diagnostics)")
        #expect(def.stages.count == 2)
        #expect(def.stages[0].kindLocation.column == 1)
    }

    @Test func unterminatedString() {
        let m = MarkedText("load memory path=1️⃣\"abc\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "unterminated string")
    }

    @Test func invalidEscape() {
        let m = MarkedText("load memory path=\"a1️⃣\\qb\"\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "invalid escape")
    }

    @Test func unknownStatementSuggestsKeyword() {
        let m = MarkedText("1️⃣extrct split\n")
        let d = diagnostics(m).first
        expectError(d, at: m["1️⃣"], contains: "unknown statement 'extrct'")
        #expect(d?.message.contains("did you mean 'extract'?") == true)
    }

    @Test func missingEquals() {
        let m = MarkedText("load memory count 1️⃣5\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "expected '=' after option 'count'")
    }

    @Test func missingValue() {
        let m = MarkedText("load memory count=1️⃣\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "expected a value")
    }

    @Test func missingStageName() {
        let m = MarkedText("load 1️⃣count=3\n")
        // `count=3` lexes as word `count` then `=`; the name is taken and '=' is then unexpected.
        let ds = diagnostics(m)
        #expect(!ds.isEmpty)
        let m2 = MarkedText("extract1️⃣\n")
        expectError(diagnostics(m2).first, at: m2["1️⃣"], contains: "expected a stage name after 'extract'")
    }

    @Test func badListSeparator() {
        let m = MarkedText("summarize first words=[\"a\" 1️⃣\"b\"]\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "expected ',' or ']'")
    }

    @Test func strayBackslash() {
        let m = MarkedText("load memory 1️⃣\\ count=2\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "backslash")
    }

    @Test func variableDeclaredTwice() {
        let m = MarkedText("let a = 1\nlet 1️⃣a = 2\n")
        expectError(diagnostics(m).first, at: m["1️⃣"], contains: "already declared at t.pipe:1:5")
    }

    @Test func reportsEveryErrorInOnePass() {
        let m = MarkedText(
            """
            1️⃣bogus line
            load memory count=2️⃣
            summarize first words=["a" 3️⃣"b"]
            let 4️⃣9x = 1
            write collect path=x
            """)
        let ds = diagnostics(m)
        #expect(ds.count == 4, "\(ds)")
        for (d, key) in zip(ds, ["1️⃣", "2️⃣", "3️⃣", "4️⃣"]) {
            #expect(d.location?.line == m[key].line && d.location?.column == m[key].column, "\(d) vs \(key)")
        }
        // The valid line after the errors is still parsed.
        #expect(PipelineDefinition.parse(text: m.text).stages.map(\.name) == ["collect"])
    }

    @Test func includeIsRelativeToTheIncludingFileAndDetectsCycles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-include-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("common"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "let out = \"x\"\nwrite collect path=$out\n".write(
            to: dir.appendingPathComponent("common/out.pipe"),
            atomically: true, encoding: .utf8)
        try "load memory count=2\ninclude \"common/out.pipe\"\n".write(
            to: dir.appendingPathComponent("main.pipe"),
            atomically: true, encoding: .utf8)
        let def = PipelineDefinition.load(path: dir.appendingPathComponent("main.pipe").path)
        #expect(def.diagnostics.isEmpty, "\(def.diagnostics)")
        #expect(def.stages.map(\.qualifiedName) == ["load memory", "write collect"])
        #expect(def.stages[1].kindLocation.file.hasSuffix("common/out.pipe"))
        #expect(def.variables["out"] != nil)

        try "include \"b.pipe\"\n".write(to: dir.appendingPathComponent("a.pipe"), atomically: true, encoding: .utf8)
        try "load memory\ninclude \"a.pipe\"\n".write(
            to: dir.appendingPathComponent("b.pipe"), atomically: true,
            encoding: .utf8)
        let cyc = PipelineDefinition.load(path: dir.appendingPathComponent("a.pipe").path)
        #expect(cyc.diagnostics.count == 1)
        #expect(cyc.diagnostics[0].message.contains("include cycle: a.pipe -> b.pipe -> a.pipe"))
        #expect(cyc.diagnostics[0].location?.line == 2)
        #expect(cyc.diagnostics[0].location?.column == 9)

        let missing = PipelineDefinition.parse(
            text: "include \"nope.pipe\"\n", file: dir.appendingPathComponent("m.pipe").path)
        #expect(missing.diagnostics.first?.message.contains("does not exist") == true)
        #expect(missing.diagnostics.first?.location?.column == 9)
    }

    @Test func deepIncludeChainsAndDiamondsEndQuickly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-deep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        // A chain 2,000 files deep (8,000 once overflowed the stack): an error at the line past the limit.
        for i in 0..<2_000 { try write("c\(i).pipe", "include \"c\(i + 1).pipe\"\n") }
        try write("c2000.pipe", "load memory\n")
        let chain = PipelineDefinition.load(path: dir.appendingPathComponent("c0.pipe").path)
        #expect(chain.diagnostics.count == 1)
        let e = try #require(chain.diagnostics.first)
        #expect(e.message == "includes nest more than \(PipeParser.maxIncludeDepth) deep")
        #expect(e.location?.file.hasSuffix("c\(PipeParser.maxIncludeDepth - 1).pipe") == true)
        #expect(e.location?.line == 1 && e.location?.column == 9)
        #expect(chain.stages.isEmpty)
        // A diamond 40 levels deep, each file including the next twice (2^40 inclusions if each went in): the
        // leaf's statements go in once, and each repeat is a warning at its line.
        for i in 0..<40 { try write("d\(i).pipe", "include \"d\(i + 1).pipe\"\ninclude \"d\(i + 1).pipe\"\n") }
        try write("d40.pipe", "let n = 2\nload memory count=$n\n")
        let diamond = PipelineDefinition.load(path: dir.appendingPathComponent("d0.pipe").path)
        #expect(diamond.stages.map(\.qualifiedName) == ["load memory"])
        #expect(diamond.diagnostics.count == 40)
        #expect(diamond.diagnostics.allSatisfy { $0.severity == .warning && $0.location?.line == 2 })
        #expect(
            diamond.diagnostics.last?.message
                == "'d1.pipe' is already included (at \(dir.path)/d0.pipe:1:9); its statements go in once")
    }

    @Test func commandLineValuesAreTyped() {
        #expect(PipeParser.parseCommandLineValue("3") == .int(3))
        #expect(PipeParser.parseCommandLineValue("0.25") == .double(0.25))
        #expect(PipeParser.parseCommandLineValue("true") == .bool(true))
        #expect(PipeParser.parseCommandLineValue("[1, 2]") == .list([.int(1), .int(2)]))
        #expect(PipeParser.parseCommandLineValue("data/x y.jsonl") == .string("data/x y.jsonl"))
        #expect(PipeParser.parseCommandLineValue("\"quoted\"") == .string("quoted"))
    }

    @Test func rendererShowsSourceLineAndCaret() {
        let text = "load memory\nsummarize first sentnces=3\n"
        let d = Diagnostic.error(
            "unknown option 'sentnces'", at: SourceLocation(file: "t.pipe", line: 2, column: 17, length: 8))
        let out = DiagnosticRenderer(sources: ["t.pipe": text]).render(d)
        #expect(
            out == """
                t.pipe:2:17: error: unknown option 'sentnces'
                    summarize first sentnces=3
                                    ^~~~~~~~

                """)
    }
}
