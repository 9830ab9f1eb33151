import Testing

@testable import PipelineCore

@Suite struct JSONTests {
    @Test func spansAreWrittenLikeAnyArrayOfObjects() throws {
        // The fast path for spans gives exactly what the general writer gives, at every digit count.
        let values = [0, 7, 9, 10, 99, 100, 12_345, 999_999, 1_000_000, Int.max]
        var spans: [Span] = []
        for (i, v) in values.enumerated() { spans.append(Span(start: values[(i + 3) % values.count], end: v)) }
        var fast = JSONWriter()
        Document.writeSpans(spans, &fast)
        var general = JSONWriter()
        general.array(spans) { w, s in
            w.raw("{\"start\":"); w.int(s.start); w.raw(",\"end\":"); w.int(s.end); w.byte(UInt8(ascii: "}"))
        }
        #expect(fast.string == general.string)
        #expect(fast.string.hasPrefix("[{\"start\":10,\"end\":0},{\"start\":99,\"end\":7}"))
        // An empty array and a negative offset (which only the general path writes).
        var empty = JSONWriter()
        Document.writeSpans([], &empty)
        #expect(empty.string == "[]")
        var negative = JSONWriter()
        Document.writeSpans([Span(start: -1, end: 2)], &negative)
        #expect(negative.string == "[{\"start\":-1,\"end\":2}]")
    }

    @Test func parsesAllValueKinds() throws {
        let v = try JSONScanner.parse(
            #" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}, "e": 123456789012} "#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(Array(o.keys) == ["a", "b", "e"])
        #expect(o["a"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(o["b"] == .object(["c": .string("d")]))
        #expect(o["e"] == .int(123456789012))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONScanner.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 \u2028""#)
        #expect(v == .string("a\"b\\c/d\n\té😀 \u{2028}"))
    }

    @Test func stringsWithAndWithoutEscapesAtEveryAlignment() throws {
        // Escapes, a control character and invalid UTF-8 at each offset of the eight-byte steps, in long strings and
        // short ones: the decoded text, or the error and its offset.
        for pad in 0..<17 {
            let lead = String(repeating: "x", count: pad)
            #expect(try JSONScanner.parse("\"\(lead)é\\n\(lead)\\u00e9\\\\\"") == .string("\(lead)é\n\(lead)é\\"))
            #expect(try JSONScanner.parse("\"\(lead)\"") == .string(lead))
            for (text, fragment, offset) in [
                ("\"\(lead)\u{01}\"", "control character", pad + 1),
                ("\"a\\n\(lead)\u{1F}\"", "control character", pad + 4),
                ("\"\(lead)\\q\"", "invalid escape", pad + 2),
                ("\"\(lead)", "unterminated", pad + 1),
                ("\"\(lead)\\", "unterminated", pad + 2),
                ("\"a\\t\(lead)", "unterminated", pad + 4),
            ] {
                do {
                    _ = try JSONScanner.parse(text)
                    Issue.record("no error for \(text)")
                } catch let e as JSONSyntaxError {
                    #expect(e.message.contains(fragment) && e.offset == offset, "\(text): \(e)")
                }
            }
            var bad = Array("\"\(lead)\\n".utf8)
            bad += [0xC3, 0x28, 0x22]
            #expect(throws: JSONSyntaxError.self) { try JSONScanner.parse(bad) }
        }
    }

    @Test func reportsSyntaxErrorsWithOffsets() {
        for (text, fragment) in [
            ("{\"a\" 1}", "expected ':'"), ("[1, 2", "end of input"), ("\"abc", "unterminated"),
            ("{\"a\":01}", "leading zeros"), ("tru", "invalid literal"), ("[1] 2", "after the JSON"),
            ("\"a\\x\"", "invalid escape"), ("\"a\u{01}\"", "control character"),
        ] {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONScanner.parse(text) }
            do { _ = try JSONScanner.parse(text) } catch let e as JSONSyntaxError {
                #expect(e.message.contains(fragment), "\(text): \(e)")
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(throws: JSONSyntaxError.self) { try JSONScanner.parse(bytes) }
    }

    @Test func writerEscapesEverythingThatCouldBreakALine() throws {
        let s = "quote\" back\\ nl\n cr\r tab\t bell\u{07} ls\u{2028} ps\u{2029} é"
        var w = JSONWriter()
        w.string(s)
        let text = w.string
        #expect(!text.contains("\n") && !text.contains("\r") && !text.contains("\u{2028}"))
        #expect(text == #""quote\" back\\ nl\n cr\r tab\t bell\u0007 ls\u2028 ps\u2029 é""#)
        #expect(try JSONScanner.parse(text) == .string(s))
    }

    @Test func numbersRoundTrip() throws {
        for v: JSONValue in [
            .int(0), .int(-17), .int(Int.max), .double(0.1), .double(-2.5e-8), .double(3.0), .double(1e300),
        ] {
            #expect(try JSONScanner.parse(v.jsonText) == v, "\(v.jsonText)")
        }
    }

    @Test func decimalsAreWrittenDigitForDigit() {
        var values = [
            0, 9, 10, 99, 100, 101, 999, 1000, 9999, 10_000, 99_999, 100_000, 999_999, 1_000_000, 1_234_567,
            98_765_432, 1_000_000_000, Int.max,
        ]
        for k in 0..<2000 { values.append(k * 37) }
        var buffer = [UInt8](repeating: 0, count: 24)
        for v in values {
            let n = buffer.withUnsafeMutableBufferPointer { JSONWriter.writeDecimal(v, to: $0.baseAddress!) }
            #expect(String(decoding: buffer[0..<n], as: UTF8.self) == String(v))
        }
    }

    /// Span lists written on the fast path (packed keys, digits in place) read as the spans, for numbers of every
    /// width, and the negative ones (the slow path) too.
    @Test func spanListsAreWrittenExactly() {
        var spans: [Span] = []
        for v in [0, 1, 9, 10, 99, 100, 12_345, 999_999, 1_000_000, 987_654_321, Int(Int32.max)] {
            spans.append(Span(start: v, end: v + 1))
        }
        for k in 0..<500 { spans.append(Span(start: k * 7, end: k * 7 + k % 13)) }
        let expected = "[" + spans.map { "{\"start\":\($0.start),\"end\":\($0.end)}" }.joined(separator: ",") + "]"
        for list in [spans, [], [spans[0]], [Span(start: -3, end: 4)]] {
            var w = JSONWriter(capacity: 8)
            Document.writeSpans(list, &w)
            let want =
                list.count == spans.count
                ? expected
                : "[" + list.map { "{\"start\":\($0.start),\"end\":\($0.end)}" }.joined(separator: ",") + "]"
            #expect(w.string == want)
        }
    }
}
