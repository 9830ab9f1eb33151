import Foundation
import PipelineCore
import PipelineStages

/// The bodies of the fuzz targets. Each stops the process with a message when an invariant fails.
enum FuzzChecks {
    /// Stops with `message` when `condition` is false (in every build configuration, unlike `assert`).
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz invariant: \(message())") }
    }

    // MARK: .pipe

    static let pipeRegistry: StageRegistry = {
        do {
            return try StageRegistry([
                FuzzLoader.self, SentencesStage.self, TokensStage.self, LeadSummarizer.self,
                JSONLWriter.self, CSVWriter.self,
            ])
        } catch {
            fatalError("fuzz registry: \(error)")
        }
    }()

    static func pipe(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        // An optional last line `#set NAME=VALUE` becomes a --set override.
        var overrides: [(name: String, value: String)] = []
        if let r = text.range(of: "\n#set "), let eq = text[r.upperBound...].firstIndex(of: "=") {
            overrides.append((String(text[r.upperBound..<eq]), String(text[text.index(after: eq)...])))
        }
        let definition = PipelineDefinition.parse(text: text, file: "fuzz.pipe")
        let outcome = PipelineBuilder(registry: pipeRegistry).build(
            definition,
            settings: BuildSettings(overrides: overrides, input: "in.jsonl", output: "out.jsonl", prepare: false))
        let errors = outcome.diagnostics.filter { $0.severity == .error }
        require((outcome.pipeline == nil) == !errors.isEmpty, "a pipeline is built exactly when there is no error")
        // Line breaks as the lexer counts them (a Swift Character would join CR LF into one).
        let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } + text.utf8.reduce(0) { $1 == 0x0D ? $0 + 1 : $0 }
        for d in outcome.diagnostics {
            require(d.message.count < 2_000, "message of \(d.message.count) characters")
            if let l = d.location, l.file == "fuzz.pipe" {
                require(l.line >= 1 && l.line <= lines + 1 && l.column >= 1, "location \(l) outside the text")
            }
        }
        _ = DiagnosticRenderer(sources: outcome.sources, color: false).render(outcome.diagnostics)
        outcome.pipeline?.shutdown()
    }

    // MARK: JSON

    static func json(_ data: [UInt8]) {
        let decoded = data.withUnsafeBufferPointer { try? Document(json: $0, fallbackID: "fuzz") }
        guard let doc = decoded else { return }
        let first = doc.jsonBytes()
        let again: Document
        do {
            again = try first.withUnsafeBufferPointer { try Document(json: $0) }
        } catch {
            fatalError("fuzz invariant: a written document does not read back: \(error)")
        }
        require(again == doc, "write → read changed the document")
        require(again.jsonBytes() == first, "write → read → write changed the bytes")
    }

    // MARK: loaders

    /// A scratch folder for the loader targets, made once per process.
    static let scratch: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-fuzz-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Every record `stage` reads from one file holding `data`; `options` are added to its `.pipe` line.
    static func records(
        _ stage: any Stage.Type, file: String, _ data: [UInt8], options: String = ""
    ) -> [ProcessedRecord] {
        let path = scratch + "/" + file
        require(FileManager.default.createFile(atPath: path, contents: Data(data)), "cannot write \(path)")
        let definition = PipelineDefinition.parse(
            text: "load \(stage.descriptor.name) path=\(OptionValue.quote(path)) \(options)\n",
            file: "fuzz.pipe")
        let registry: StageRegistry
        do { registry = try StageRegistry([stage]) } catch { fatalError("fuzz registry: \(error)") }
        let outcome = PipelineBuilder(registry: registry).build(
            definition, settings: BuildSettings(requireLoaderAndWriter: false))
        guard let loader = outcome.pipeline?.stages.first else {
            fatalError("fuzz invariant: the loader was not built: \(outcome.diagnostics)")
        }
        do {
            return try StageExecutor.load(loader, limit: nil)
        } catch {
            fatalError("fuzz invariant: a bad file must give failed records, not end the input: \(error)")
        }
    }

    static func csv(_ data: [UInt8]) {
        var lastLine = 0
        for r in records(CSVLoader.self, file: "input.csv", data) {
            let origin: RecordOrigin
            switch r {
            case .document(let d, let o):
                origin = o
                require(!d.id.isEmpty, "a document without an id")
            case .failure(let f):
                origin = f.origin
                require(!f.message.isEmpty, "a failure without a message")
            }
            require(
                origin.line == 0 || origin.line > lastLine,
                "record lines out of order: \(origin.line) after \(lastLine)")
            lastLine = max(lastLine, origin.line)
        }
    }

    static func files(_ data: [UInt8]) {
        let all = records(FilesLoader.self, file: "article.txt", data)
        require(all.count == 1, "one file gave \(all.count) records")
        if case .document(let d, _) = all[0] {
            require(!d.text.contains("\r\n"), "CRLF left in the text")
            require(d.id == "article", "id \(d.id)")
        }
    }

    static func html(_ data: [UInt8]) {
        let all = records(HTMLLoader.self, file: "page.html", data)
        require(all.count == 1, "one page gave \(all.count) records")
        guard case .document(let d, _) = all[0] else { return }
        require(d.id == "page", "id \(d.id)")
        require(!d.text.isEmpty, "a document with no text")
        require(!d.text.utf8.contains(13), "a carriage return in the text")
        require(d.text.trimmingCharacters(in: .whitespacesAndNewlines) == d.text, "untrimmed text")
        require(!d.text.contains("\n\n\n"), "more than one blank line between paragraphs")
        if let t = d.title { require(!t.isEmpty, "an empty title") }
        if let date = d.date { require(DateNormalizer.normalize(date) == date, "date \(date) not normalised") }
    }

    /// The expanded-text limit of the feed target: small, so that entity references used many times reach it.
    static let feedLimit = 100_000

    static func feed(_ data: [UInt8]) {
        let options = "max_bytes=\(feedLimit) cache=\"\""
        let all = records(FeedLoader.self, file: "feed.xml", data, options: options)
        // Text comes from the bytes (a byte of a legacy encoding is at most three in UTF-8, `&#x10FFFF;` four from
        // ten) or from internal entities, whose expansions share one budget of max_bytes; an item without text
        // repeats its title as the text.
        var produced = 0
        var ids = Set<String>()
        for r in all {
            switch r {
            case .document(let d, let origin):
                require(!d.id.isEmpty, "a document without an id")
                require(!d.text.isEmpty, "item \(origin.line) became a document without text")
                require(ids.insert(d.id).inserted, "two documents with the id \(d.id)")
                if let date = d.date { require(DateNormalizer.normalize(date) == date, "date \(date) not normalised") }
                produced += d.text.utf8.count + (d.title?.utf8.count ?? 0)
            case .failure(let f):
                require(!f.message.isEmpty, "a failure without a message")
                require(f.message.count < 2_000, "a failure message of \(f.message.count) characters")
            }
        }
        let bound = 2 * (feedLimit + 3 * data.count)
        require(produced <= bound, "\(data.count) bytes of feed gave \(produced) bytes of text (bound \(bound))")
        // The same bytes read again give the same records.
        let again = records(FeedLoader.self, file: "feed.xml", data, options: options)
        require(again.count == all.count, "a second read gave \(again.count) records instead of \(all.count)")
    }

    // MARK: spans

    static func spans(_ data: [UInt8]) {
        guard let first = data.first else { return }
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        var doc = Document(id: "fuzz", text: text)
        var options = StageOptions()
        options.set("newlines", .string(SentenceSplitter.NewlineMode.allCases[Int(first) % 3].rawValue))
        options.set("punctuation", .bool(first & 4 == 0))
        do {
            try SentencesStage(options: options, context: StageContext()).process(&doc)
            try TokensStage(options: options, context: StageContext()).process(&doc)
        } catch {
            fatalError("fuzz invariant: the stages threw \(error)")
        }
        // Scalar offsets where a Character (grapheme cluster) starts, plus the end.
        var boundaries = Set<Int>()
        var offset = 0
        for ch in text {
            boundaries.insert(offset)
            offset += ch.unicodeScalars.count
        }
        boundaries.insert(offset)
        for (name, spans) in [("sentences", doc.sentences ?? []), ("tokens", doc.tokens ?? [])] {
            var previousEnd = 0
            for s in spans {
                require(s.start < s.end, "\(name): empty or reversed span \(s)")
                require(
                    s.start >= previousEnd, "\(name): span \(s) overlaps or precedes the one ending at \(previousEnd)")
                require(s.end <= offset, "\(name): span \(s) past the end (\(offset))")
                require(
                    boundaries.contains(s.start) && boundaries.contains(s.end),
                    "\(name): span \(s) splits a character in \(text.debugDescription)")
                previousEnd = s.end
            }
        }
    }

    // MARK: extract and summarize

    static let extractPipeline: Pipeline = {
        let text = """
            load jsonl path="-"
            extract sentences
            extract tokens
            extract entities
            extract dates
            extract quotes
            extract events
            extract keyphrases
            summarize textrank ratio=0.4
            write jsonl path="-"
            """
        let o = PipelineBuilder(registry: BuiltInStages.registry).build(
            PipelineDefinition.parse(text: text, file: "fuzz.pipe"))
        guard let p = o.pipeline else { fatalError("fuzz pipeline: \(o.diagnostics)") }
        return p
    }()

    static func extract(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        var doc = Document(id: "fuzz", text: text, title: "Fuzz title", date: "2026-01-05")
        for stage in extractPipeline.transforms {
            let r: [Result<Document, DocumentFailure>]
            do { r = try StageExecutor.apply(stage, to: [doc], jobs: 1) } catch {
                fatalError("fuzz invariant: apply threw \(error)")
            }
            switch r[0] {
            case .success(let d): doc = d
            case .failure(let f): fatalError("fuzz invariant: \(f)")
            }
        }
        // Every layer must survive the schema's own checks: write, read back, equal.
        let again: Document
        do { again = try Document(jsonText: doc.jsonText) } catch {
            fatalError("fuzz invariant: the output does not read back: \(error)")
        }
        require(again == doc, "write → read changed the document")
        let n = text.unicodeScalars.count
        for e in doc.entities ?? [] {
            require(e.span.start < e.span.end && e.span.end <= n, "entity span \(e.span) outside the text")
            if e.type == "DATE", let v = e.value {
                require(
                    v.range(of: #"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}))?$"#, options: .regularExpression) != nil,
                    "date value \(v)")
            }
        }
        for q in doc.quotes ?? [] { require(q.span.start <= q.span.end && q.span.end <= n, "quote span \(q.span)") }
        let sentences = doc.sentences?.count ?? 0
        for e in doc.events ?? [] {
            require(e.sentence >= 0 && e.sentence < sentences, "event sentence \(e.sentence) of \(sentences)")
            require(e.source != e.target, "an event of \(e.source) on itself")
            for key in ["source_mention", "target_mention", "trigger"] {
                guard case .object(let o)? = e.attributes[key], let a = o["start"]?.intValue,
                    let b = o["end"]?.intValue
                else {
                    require(false, "event without \(key)")
                    continue
                }
                require(a < b && b <= n, "event \(key) span \(a)..<\(b) outside the text")
            }
        }
        for i in doc.summary?.sentences ?? [] {
            require(i >= 0 && i < sentences, "summary sentence \(i) of \(sentences)")
        }
    }
}
