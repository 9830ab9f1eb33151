import OrderedCollections
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Documents far longer than an article, generated here, through the stages that once scanned the whole document
/// for each sentence, quote or mention (quotes, actors, dates, stance): each must give every paragraph the same
/// answer wherever the paragraph stands, and finish. The time limit only stops a hang; speed is measured by
/// `Scripts/bench --only long`.
@Suite(.timeLimit(.minutes(2))) struct LongDocumentTests {
    /// One paragraph with reported speech, a split direct quote, a pronoun, a role, an acronym and a date.
    static let paragraph =
        """
        Foreign Minister Karim Haddad said on Monday that the talks with the International Energy Agency would resume \
        on 3 March 2026. "We need results," Haddad said, "not promises." The IEA welcomed the plan, and its \
        spokesman, Ali Noor, told reporters that a deal was close. "It is a start," he said. Iraq criticised Turkey \
        for the delay.
        """

    static let stages = """
        load jsonl path="-"
        extract sentences
        extract tokens
        extract entities
        extract dates
        extract quotes
        extract events
        stance model targets=["entities"]
        write jsonl path="-"
        """

    func run(_ text: String) throws -> Document {
        let p = try builtPipeline(Self.stages)
        var d = Document(id: "long", text: text)
        for stage in p.transforms { d = try StageExecutor.apply(stage, to: [d], jobs: 1)[0].get() }
        return d
    }

    /// What a layer says about the paragraph at `offset`: each element's text, type or speaker, and its position
    /// relative to the paragraph.
    func describe(_ d: Document, paragraph: Span) -> [String] {
        let inside = { (s: Span) in s.start >= paragraph.start && s.end <= paragraph.end }
        let at = { (s: Span) in "\(s.start - paragraph.start)-\(s.end - paragraph.start)" }
        let entities = (d.entities ?? []).filter { inside($0.span) }.map {
            "\($0.type) \($0.text) → \($0.canonical ?? "-") \($0.role ?? "") \(at($0.span))"
        }
        let quotes = (d.quotes ?? []).filter { inside($0.span) }.map {
            "\($0.attributes["kind"]?.stringValue ?? "?") \($0.speaker ?? "-"): \($0.text) \(at($0.span))"
        }
        return entities + quotes
    }

    @Test func everyParagraphOfAThousandGetsTheSameAnswers() throws {
        let count = 1_000
        var text = ""
        var spans: [Span] = []
        for _ in 0..<count {
            let p = Self.paragraph
            let start = text.unicodeScalars.count
            text += p
            spans.append(Span(start: start, end: start + p.unicodeScalars.count))
            text += "\n\n"
        }
        let d = try run(text)
        let first = describe(d, paragraph: spans[0])
        #expect(
            first.contains(
                "reported Karim Haddad: the talks with the International Energy Agency would resume on 3 March 2026 50-125"
            ))
        #expect(first.contains { $0.hasPrefix("direct Karim Haddad: not promises.") })
        #expect(first.contains { $0.hasPrefix("direct Ali Noor: It is a start") })
        #expect(first.contains { $0.hasPrefix("ORG IEA → International Energy Agency") })
        #expect(first.contains { $0.hasPrefix("DATE 3 March 2026") })
        for k in [1, count / 2, count - 1] {
            let other = describe(d, paragraph: spans[k])
            #expect(
                other == first,
                "paragraph \(k): \(other.filter { !first.contains($0) }) instead of \(first.filter { !other.contains($0) })"
            )
        }
        #expect(d.quotes?.count == first.filter { $0.hasPrefix("direct") || $0.hasPrefix("reported") }.count * count)
        #expect(d.stances?.isEmpty == false)
        // The same event in every paragraph, in its own sentence.
        #expect(d.events?.count == count)
        #expect(d.events?.allSatisfy { $0.source == "Iraq" && $0.target == "Turkey" && $0.code == "111" } == true)
        #expect(Set(d.events?.map(\.sentence) ?? []).count == count)
    }

    @Test func aDocumentWithoutSentencePunctuationAndThousandsOfQuotes() throws {
        // 5,000 quotes in one "sentence": each quote's attribution is looked for near it, not in the whole text.
        let unit = "Omar Haddad said \"more talks\" and "
        let text = String(repeating: unit, count: 5_000)
        let d = try run(text)
        let q = d.quotes ?? []
        #expect(q.filter { $0.attributes["kind"]?.stringValue == "direct" }.count == 5_000)
        #expect(q.last?.text == "more talks")
        #expect(q.last?.speaker == "Omar Haddad")
    }

    @Test func anInterruptReachesInsideEveryLongStage() throws {
        // Each stage that loops over a document's sentences, tokens or mentions checks the run's flag as it goes:
        // with the flag already set when the stage starts on one long document, the stage gives up (a 10 MB
        // article took 6 s in `extract entities` after Ctrl-C before it checked); with it clear, it finishes.
        let pipe = """
            load jsonl path="-"
            extract sentences
            extract tokens
            extract entities
            extract dates
            extract quotes
            extract keyphrases
            extract events
            stance model targets=["entities"]
            write jsonl path="-"
            """
        let p = try builtPipeline(pipe)
        let text = Array(repeating: Self.paragraph, count: 300).joined(separator: "\n\n")
        var d = Document(id: "long", text: text)
        for stage in p.transforms {
            let name = stage.label
            var workers = TransformChain(loaderLabel: "input", stages: [stage]).makeWorkers()
            defer { workers.close() }
            var nanos: [UInt64] = [0, 0]
            let record = LoadedRecord(origin: RecordOrigin(file: "long"), content: .document(d))
            if !["extract sentences", "extract tokens"].contains(name) {
                let stop = RunCancellation()
                stop.cancel()
                let given = RunCancellation.$current.withValue(stop) { workers.run(record, nanos: &nanos) }
                guard case .failure(let f) = given else {
                    Issue.record("\(name) finished although the run was interrupted")
                    continue
                }
                #expect(f.message.contains("interrupted"), "\(name): \(f.message)")
            }
            let done = RunCancellation.$current.withValue(RunCancellation()) { workers.run(record, nanos: &nanos) }
            guard case .document(let next, _) = done else {
                Issue.record("\(name) failed without an interrupt: \(done)")
                return
            }
            d = next
        }
        #expect(d.stances?.isEmpty == false)
        #expect(d.keyphrases?.isEmpty == false)
    }

    @Test func lookupsBySortedPosition() {
        #expect([1, 3, 5, 7].partitionPoint { $0 < 4 } == 2)
        #expect([Int]().partitionPoint { $0 < 4 } == 0)
        #expect([1, 3].partitionPoint { $0 < 9 } == 2)
        // Given out of order; "last" is by start; an organisation ends after the person that starts later.
        let e = [
            Entity(span: Span(start: 20, end: 25), text: "Noor", type: "PER"),
            Entity(span: Span(start: 0, end: 30), text: "Ministry of Oil", type: "ORG"),
            Entity(span: Span(start: 40, end: 45), text: "Iraq", type: "LOC"),
        ]
        let l = EntityLookup(e)
        #expect(l.entities.map(\.text) == ["Ministry of Oil", "Noor", "Iraq"])
        #expect(l.last(endingBy: 26, .person)?.text == "Noor")
        #expect(l.last(endingBy: 26, .notPerson) == nil)
        #expect(l.last(endingBy: 30, .any)?.text == "Noor")
        #expect(l.last(endingBy: 50, .notPerson)?.text == "Iraq")
        #expect(l.starting(from: 1, before: 41).map(\.text) == ["Noor", "Iraq"])
        #expect(l.ending(in: 25...30).map(\.text) == ["Noor", "Ministry of Oil"])
    }
}
