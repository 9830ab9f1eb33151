import Testing

@testable import PipelineCore

@Suite struct DocumentTests {
    @Test func textSlicerGivesWhatStringSliceGives() {
        // Forward, backward and out-of-range spans over ASCII and non-ASCII text (accents, curly quotes, an emoji).
        for text in ["Mr. Duval said yes. Baghdad replied.", "Ça va? Mr. Duval said “yes”.\nBaghdad 😀 replied."] {
            var slicer = TextSlicer(text)
            let n = text.scalarCount
            let spans = [
                Span(start: 0, end: 2), Span(start: 4, end: 9), Span(start: 22, end: 27), Span(start: 1, end: 3),
                Span(start: n - 8, end: n), Span(start: n - 2, end: n + 5), Span(start: -3, end: 2),
                Span(start: 5, end: 5),
            ]
            for span in spans { #expect(slicer.slice(span) == text.slice(span), "\(span) in \(text)") }
        }
        var s = TextSlicer("Ça “va”")
        #expect(s.slice(Span(start: 3, end: 7)) == "“va”" && s.slice(Span(start: 0, end: 2)) == "Ça")
    }

    @Test func scalarArrayIsTheTextsUnicodeScalars() {
        // One-, two-, three- and four-byte scalars, combining marks, at the start, the end and next to each other.
        for text in [
            "", "a", "Ça va? Mr. Duval said “yes”.\nBaghdad 😀 replied.", "😀", "é",
            "e\u{301}“”—€𝄞\u{10FFFF}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}z",
        ] {
            #expect(text.unicodeScalarArray == Array(text.unicodeScalars), "\(text)")
        }
    }

    static func fullDocument() -> Document {
        var d = Document(
            id: "doc-1", text: "Ça va? Mr. Duval said “yes”.\nBaghdad 😀 replied.", title: "Tête",
            source: "Wire", date: "2026-11-20",
            meta: ["n": .int(3), "tags": .array([.string("a"), .null]), "x": .object(["y": .double(0.5)])])
        d.sentences = [Span(start: 0, end: 6), Span(start: 7, end: 28), Span(start: 29, end: 47)]
        d.tokens = [Span(start: 0, end: 2), Span(start: 3, end: 5)]
        d.entities = [
            Entity(
                span: Span(start: 11, end: 16), text: "Duval", type: "PER", canonical: "Claire Duval",
                attributes: ["role": .string("minister")]),
            Entity(span: Span(start: 29, end: 36), text: "Baghdad", type: "LOC"),
        ]
        d.quotes = [Quote(span: Span(start: 22, end: 27), text: "“yes”", speaker: "Duval")]
        d.keyphrases = [Keyphrase(text: "Baghdad", score: 0.75)]
        d.summary = Summary(sentences: [0, 1], text: "Ça va? Mr. Duval said “yes”.")
        d.stances = [
            Stance(
                target: "France", score: -0.25, label: .negative, evidence: [1],
                attributes: ["mentions": .int(2)])
        ]
        d.events = [
            Event(
                sentence: 2, source: "Iraq", target: "France", action: "reply", code: "040",
                quad: .verbalCooperation, weight: 1, reportedBy: "Claire Duval",
                attributes: ["symmetric": .bool(true)]),
            Event(
                sentence: 1, source: "France", target: "Iraq", action: "attack", code: "190", quad: .materialConflict,
                weight: -10, negated: true, hypothetical: true),
        ]
        d.layers = ["sentiment": .array([.double(0.1)])]
        return d
    }

    @Test func eventsNeedTheirFieldsAQuadClassAndAnExistingSentence() throws {
        let base = #"{"id":"e","text":"Iraq met France.","sentences":[{"start":0,"end":16}],"events":"#
        let good =
            #"[{"sentence":0,"source":"Iraq","target":"France","action":"meet","code":"040","quad":"verbal_cooperation","weight":1}]"#
        let d = try Document(jsonText: base + good + "}")
        #expect(d.events?.first?.negated == false)
        #expect(d.events?.first?.quad == .verbalCooperation)
        #expect(Event.Quad(code: "193") == .materialConflict)
        #expect(Event.Quad(code: "057") == .verbalCooperation)
        #expect(Event.Quad(code: "21") == nil)
        // Another shape (a corpus's own `events` field) is kept as metadata, like every layer field.
        for bad in [
            good.replacingOccurrences(of: #","quad":"verbal_cooperation""#, with: ""),
            good.replacingOccurrences(of: "verbal_cooperation", with: "friendly"),
            good.replacingOccurrences(of: #""weight":1"#, with: #""weight":1,"negated":"yes""#),
        ] {
            let other = try Document(jsonText: base + bad + "}")
            #expect(other.events == nil)
            #expect(other.meta["events"] != nil)
        }
        let later = good.replacingOccurrences(of: #""sentence":0"#, with: #""sentence":3"#)
        #expect(throws: DocumentError.self) { try Document(jsonText: base + later + "}").validateSpans() }
    }

    @Test func roundTripsEveryLayer() throws {
        let d = Self.fullDocument()
        let text = d.jsonText
        #expect(!text.contains("\n"))
        let back = try Document(jsonText: text)
        #expect(back == d)
        #expect(back.jsonText == text)
    }

    @Test func offsetsAreCodePoints() {
        let d = Self.fullDocument()
        #expect(d.text.slice(d.entities![0].span) == "Duval")
        #expect(d.text.slice(d.entities![1].span) == "Baghdad")
        #expect(d.text.slice(d.quotes![0].span) == "“yes”")
        #expect(d.text.scalarCount == 47)
    }

    @Test func mappingMovesFieldsAndUnknownFieldsGoToMeta() throws {
        let d = try Document(
            jsonText:
                #"{"newid": 7, "body": "B", "headline": "H", "date": "26-FEB-1987 15:01:01.79", "text": "old", "places": ["usa"]}"#,
            mapping: FieldMapping(id: "newid", text: "body", title: "headline"))
        #expect(d.id == "7")
        #expect(d.text == "B")
        #expect(d.title == "H")
        #expect(d.date == "1987-02-26")
        #expect(d.meta["text"] == .string("old"))
        #expect(d.meta["places"] == .array([.string("usa")]))
    }

    @Test func fieldNamesAreMatchedExactlyAndByCanonicalEquivalence() throws {
        // Keys that share a mapped name's length, first and last byte, or differ from it in one byte, are metadata;
        // an empty key is metadata; a key canonically equivalent to a name (U+212A KELVIN SIGN is `K`) is that name,
        // as a Swift string comparison says.
        let mapping = FieldMapping(id: "Kid", text: "body", title: "headline")
        let d = try Document(
            jsonText:
                #"{"bxdy": 1, "body": "B", "bod": 2, "bodyy": 3, "": 4, "Kid": "k7", "headlinE": 5, "headline": "H"}"#,
            mapping: mapping)
        #expect(d.id == "k7")
        #expect(d.text == "B")
        #expect(d.title == "H")
        #expect(Array(d.meta.keys) == ["bxdy", "bod", "bodyy", "", "headlinE"])
        // Non-ASCII mapped names are compared as strings too: "Kelvin" mapped with the sign matches a plain K.
        let e = try Document(
            jsonText: #"{"Kid": "x", "text": "T", "café": "c", "café": "d"}"#,
            mapping: FieldMapping(id: "\u{212A}id", title: "café"))
        #expect(e.id == "x")
        #expect(e.title == "d")
        #expect(e.meta.isEmpty)
    }

    @Test func layerFieldsOfAnotherShapeAreKeptAsMetadata() throws {
        // A corpus's own reference summary (a string) and spans written as [start, end] pairs.
        let d = try Document(
            jsonText:
                #"{"id": "b", "text": "One. Two.", "summary": "One.", "sentences": [[0, 4], [5, 9]], "entities": "none"}"#
        )
        #expect(d.summary == nil)
        #expect(d.meta["summary"] == .string("One."))
        #expect(d.meta["entities"] == .string("none"))
        #expect(d.sentences == [Span(start: 0, end: 4), Span(start: 5, end: 9)])
        // Spans in the schema's shape are still checked against the text.
        #expect(throws: DocumentError.self) {
            try Document(jsonText: #"{"id": "b", "text": "One.", "sentences": [[0, 40]]}"#)
        }
    }

    @Test func decodingErrorsNameTheField() {
        func message(_ json: String) -> String {
            do { _ = try Document(jsonText: json); return "" } catch { return "\(error)" }
        }
        #expect(message(#"{"id": "a"}"#).contains("missing field 'text'"))
        #expect(message(#"{"text": "a"}"#).contains("missing field 'id'"))
        #expect(message(#"{"id": "a", "text": 5}"#).contains("field 'text' must be a string"))
        #expect(
            message(#"{"id": "a", "text": "abc", "sentences": [{"start": 0, "end": 9}]}"#)
                .contains("outside the text (length 3)"))
        #expect(message(#"{"id": "a", "text": "abc", "date": "someday"}"#).contains("is not a date"))
        #expect(
            message(#"{"id": "a", "text": "x", "summary": {"sentences": [2], "text": "x"}}"#)
                .contains("sentence index 2 does not exist"))
        #expect(message("[1]").contains("invalid JSON"))
    }

    @Test func dates() {
        #expect(DateNormalizer.normalize("2026-11-20") == "2026-11-20")
        #expect(DateNormalizer.normalize("2026-11-20T08:00:00Z") == "2026-11-20")
        #expect(DateNormalizer.normalize("2026/11/20") == "2026-11-20")
        #expect(DateNormalizer.normalize("20 November 2026") == "2026-11-20")
        #expect(DateNormalizer.normalize("Friday, 20 Nov 2026") == "2026-11-20")
        #expect(DateNormalizer.normalize("November 20, 2026") == "2026-11-20")
        #expect(DateNormalizer.normalize("Nov 3rd 2026") == "2026-11-03")
        #expect(DateNormalizer.normalize("26-FEB-1987 15:01:01.79") == "1987-02-26")
        #expect(DateNormalizer.normalize(" 5-MAR-1987 09:00:00.00") == "1987-03-05")
        #expect(DateNormalizer.normalize("2026-02-30") == nil)
        #expect(DateNormalizer.normalize("tomorrow") == nil)
    }

    @Test func scalarOffsetsConvertBothWays() {
        var s = "aé😀b"
        s.withUTF8 { buf in
            var o = ScalarOffsets(buf)
            #expect(!o.isASCII)
            #expect(o.scalar(atByte: 0, in: buf) == 0)
            #expect(o.scalar(atByte: 1, in: buf) == 1)
            #expect(o.scalar(atByte: 3, in: buf) == 2)
            #expect(o.scalar(atByte: 7, in: buf) == 3)
            #expect(o.byte(atScalar: 3, in: buf) == 7)
            #expect(o.byte(atScalar: 1, in: buf) == 1)
            #expect(o.byte(atScalar: 4, in: buf) == 8)
        }
    }
}

@Suite struct StageAttributeTests {
    @Test func namedAttributesAreTheJSONFieldsTheStagesWrite() throws {
        var e = Entity(span: Span(start: 0, end: 5), text: "Duval", type: "PER")
        e.role = "defence minister"
        e.country = "France"
        #expect(e.attributes["role"] == .string("defence minister") && e.attributes["country"] == .string("France"))
        e.role = nil
        #expect(e.attributes["role"] == nil && e.role == nil)
        var date = Entity(span: Span(start: 0, end: 7), text: "Tuesday", type: "DATE")
        date.value = "2026-11-24"
        var q = Quote(span: Span(start: 0, end: 3), text: "yes")
        q.kind = .reported
        var s = Stance(target: "France", score: 0.5, label: .positive, evidence: [0])
        s.confidence = 0.75
        s.mentions = 2
        var d = Document(id: "d", text: "Duval said yes on Tuesday.")
        d.sentences = [Span(start: 0, end: 26)]
        d.entities = [e, date]
        d.quotes = [q]
        d.stances = [s]
        let back = try Document(jsonText: d.jsonText)
        #expect(back.entities?[0].country == "France" && back.entities?[1].value == "2026-11-24")
        #expect(
            back.quotes?[0].kind == .reported && back.stances?[0].confidence == 0.75 && back.stances?[0].mentions == 2)
        #expect(d.jsonText.contains("\"kind\":\"reported\"") && d.jsonText.contains("\"confidence\":0.75"))
        // Another stage's spelling of a kind is kept in the attributes but is not a Kind.
        let other = Quote(span: Span(start: 0, end: 3), text: "yes", attributes: ["kind": .string("paraphrase")])
        #expect(other.kind == nil && other.attributes["kind"] == .string("paraphrase"))
    }
}
