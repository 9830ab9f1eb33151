import Foundation
import Testing

@testable import PipelineCore

/// The four defects found by fuzzing and probing, each kept as a regression test.
@Suite struct HardeningTests {
    private func check(_ text: String) -> PipelineBuilder.Outcome {
        PipelineBuilder(registry: TestStages.registry).build(
            PipelineDefinition.parse(text: text, file: "t.pipe"),
            settings: BuildSettings(prepare: false))
    }

    @Test func doublingVariablesAreBoundedAndMessagesStayShort() {
        var text = "let a0 = [\"xxxxxxxxxx\", 1]\n"
        for i in 1...22 { text += "let a\(i) = [$a\(i - 1), $a\(i - 1)]\n" }
        text += "load memory count=$a22\nwrite collect path=x\n"
        let o = check(text)
        #expect(o.pipeline == nil)
        #expect(
            o.diagnostics.contains { $0.message.contains("holds more than 100000 items once variables are expanded") })
        #expect(o.diagnostics.allSatisfy { $0.message.count < 400 }, "\(o.diagnostics.map(\.message.count))")
        // Reported once, where the value grows too big; later uses of the variable add no noise.
        #expect(o.diagnostics.count == 1, "\(o.diagnostics.map(\.message))")
        // Below the bound, the wrong type is reported with the value cut short.
        var small = "let a0 = [\"xxxxxxxxxx\", 1]\n"
        for i in 1...10 { small += "let a\(i) = [$a\(i - 1), $a\(i - 1)]\n" }
        small += "load memory count=$a10\nwrite collect path=x\n"
        let s = check(small)
        let m = try? #require(s.diagnostics.first { $0.message.hasPrefix("option 'count'") }).message
        #expect(m?.contains("…") == true && (m?.count ?? 1000) < 300)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = "let x = " + String(repeating: "[", count: 15_000) + String(repeating: "]", count: 15_000) + "\n"
        let o = check(text + "load memory\nwrite collect path=x\n")
        let e = o.diagnostics.first { $0.message.contains("nest more than 32 deep") }
        #expect(e?.location?.line == 1 && e?.location?.column == 9 + 32)
        #expect(
            PipeParser.parseCommandLineValue(String(repeating: "[", count: 10_000))
                == .string(String(repeating: "[", count: 10_000)))
    }

    @Test func keysEqualUnderUnicodeNormalisationAreOneKeyLastWins() throws {
        let json = "{\"id\":\"a\",\"text\":\"x\",\"\u{E9}\":0,\"e\u{301}\":1}"
        let d = try Document(jsonText: json)
        #expect(d.meta.count == 1)
        #expect(d.meta.values.first == .int(1))
        let again = try Document(jsonText: d.jsonText)
        #expect(again == d && again.jsonText == d.jsonText)
        // Many keys take the other path; same rule.
        var many = "{\"id\":\"b\",\"text\":\"x\""
        for i in 0..<40 { many += ",\"k\(i)\":\(i)" }
        many += ",\"\u{E9}\":0,\"e\u{301}\":1}"
        #expect(try Document(jsonText: many).meta.count == 41)
    }

    @Test func nonFiniteNumbersAreRejected() {
        #expect(throws: (any Error).self) { try Document(jsonText: "{\"id\":\"a\",\"text\":\"x\",\"score\":1e999}") }
        #expect(throws: (any Error).self) {
            try Document(
                jsonText:
                    "{\"id\":\"a\",\"text\":\"x\",\"stances\":[{\"target\":\"t\",\"score\":-1e400,\"label\":\"negative\"}]}"
            )
        }
        let fine = try? Document(jsonText: "{\"id\":\"a\",\"text\":\"x\",\"score\":1.5e300}")
        #expect(fine?.meta["score"] == .double(1.5e300))
    }
}

extension HardeningTests {
    @Test func includingADeviceOrAHugeFileIsAnErrorNotAHang() {
        let o = PipelineDefinition.parse(text: "include \"/dev/zero\"\n", file: "t.pipe")
        #expect(
            o.diagnostics.map(\.message) == [
                "pipeline file '/dev/zero' is larger than 4 MB; a .pipe file holds stage lines, not data"
            ])
        let dir = PipelineDefinition.parse(text: "include \"/tmp\"\n", file: "t.pipe")
        #expect(dir.diagnostics.map(\.message) == ["pipeline file '/tmp' is a directory"])
    }
}

extension HardeningTests {
    @Test func summaryScoresRoundTripAndMustMatchTheSentences() throws {
        let json =
            "{\"id\":\"a\",\"text\":\"One. Two.\",\"sentences\":[{\"start\":0,\"end\":4},{\"start\":5,\"end\":9}],\"summary\":{\"sentences\":[1],\"text\":\"Two.\",\"scores\":[0.25]}}"
        let d = try Document(jsonText: json)
        #expect(d.summary?.scores == [0.25])
        #expect(try Document(jsonText: d.jsonText) == d)
        // A summary of another shape (scores not one per sentence) is kept in meta, as any field of a foreign shape.
        let odd = try Document(
            jsonText: json.replacingOccurrences(of: "\"scores\":[0.25]", with: "\"scores\":[0.25, 0.5]"))
        #expect(odd.summary == nil && odd.meta["summary"] != nil)
    }
}
