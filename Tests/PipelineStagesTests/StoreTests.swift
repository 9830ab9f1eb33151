import Foundation
import GRDB
import Synchronization
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// Three short articles written for these tests, on two days from two sources.
private func writeStoreArticles(_ dir: TempDir) throws {
    try dir.write(
        "in/a.txt",
        """
        Iraq and France sign a defence deal
        Date: 2026-11-20
        Source: North Wire

        Iraq and France signed a defence agreement in Baghdad on Friday. French Defence Minister Claire Duval praised the \
        deal. "France stands ready to help Iraq," Duval said. Officials in Baghdad welcomed the agreement.
        """)
    try dir.write(
        "in/b.txt",
        """
        Militia attack on base
        Date: 2026-11-21
        Source: South Daily

        Militants attacked a base used by United States forces near Baghdad, Iraqi officials said. The United States \
        condemned the attack. "We will respond," a Pentagon spokesman said.
        """)
    try dir.write(
        "in/c.txt",
        """
        France and Iraq hold talks
        Date: 2026-11-21
        Source: North Wire

        France and Iraq held further talks on Saturday. Iraq thanked France for its support.
        """)
}

private func storePipeline(_ dir: TempDir, input: String = "in") throws -> Pipeline {
    try builtPipeline(
        """
        load files path="\(dir.path(input))"
        extract sentences
        extract tokens
        extract entities
        extract quotes
        extract events
        extract keyphrases top=5
        summarize lead sentences=1
        stance lexicon targets=["entities"]
        write jsonl path="\(dir.path("out/d.jsonl"))"
        write sqlite path="\(dir.path("out/d.sqlite"))"
        """)
}

@Suite struct StoreTests {
    @Test func aFinishedRunLeavesTheStoreAsOneFile() throws {
        let dir = try TempDir()
        try writeStoreArticles(dir)
        let p = try builtPipeline(
            """
            load files path="\(dir.path("in"))"
            extract sentences
            write sqlite path="\(dir.path("out/d.sqlite"))"
            write report path="\(dir.path("out/r.html"))" store="\(dir.path("out/d.sqlite"))"
            """)
        _ = try PipelineRunner(pipeline: p).run()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path("out")).sorted()
        #expect(files == ["d.sqlite", "r.html"], "the -wal and -shm files are removed when the store is closed")
    }

    @Test func storeHoldsWhatTheJSONLHolds() throws {
        let dir = try TempDir()
        try writeStoreArticles(dir)
        let s = try PipelineRunner(pipeline: try storePipeline(dir), options: RunOptions(jobs: 2, batchDocuments: 1))
            .run()
        #expect(s.documentsOut == 3)
        let docs = try readJSONL(dir.path("out/d.jsonl"))
        let db = try DatabaseQueue(path: dir.path("out/d.sqlite"))
        try db.read { db throws in
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM runs"))
            #expect(run["status"] as String == "ok")
            #expect(run["documents_in"] as Int == 3 && run["documents_out"] as Int == 3 && run["failed"] as Int == 0)
            // Built from text: no file.
            #expect(run["pipeline"] as String == "t" && (run["pipeline_hash"] as String?) == nil)
            #expect(try String.fetchAll(db, sql: "SELECT id FROM documents ORDER BY id") == ["a", "b", "c"])
            #expect(
                try String.fetchAll(db, sql: "SELECT day FROM documents ORDER BY id") == [
                    "2026-11-20", "2026-11-21", "2026-11-21",
                ])
            for d in docs {
                // Every stance of the JSONL is in the store, toward the same actor, with the same score and label.
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.name, s.score, s.label, s.evidence_text FROM stances s JOIN actors a USING (actor_id)
                        JOIN documents d USING (doc_id) WHERE d.id = ? ORDER BY a.name
                        """, arguments: [d.id])
                let expected = (d.stances ?? []).sorted { $0.target < $1.target }
                #expect(rows.map { $0["name"] as String } == expected.map(\.target))
                #expect(rows.map { $0["score"] as Double } == expected.map(\.score))
                #expect(rows.map { $0["label"] as String } == expected.map(\.label.rawValue))
                for (r, st) in zip(rows, expected) {
                    #expect(r["evidence_text"] as String? == st.evidence.first.map { d.text.slice(d.sentences![$0]) })
                }
                #expect(
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM entities JOIN documents USING (doc_id) WHERE id = ?",
                        arguments: [d.id]) == d.entities?.count)
                #expect(
                    try String.fetchAll(
                        db,
                        sql: "SELECT phrase FROM keyphrases JOIN documents USING (doc_id) WHERE id = ? ORDER BY rank",
                        arguments: [d.id]) == d.keyphrases!.map(\.text))
                #expect(
                    try String.fetchOne(
                        db, sql: "SELECT s.text FROM summaries s JOIN documents USING (doc_id) WHERE id = ?",
                        arguments: [d.id]) == d.summary?.text)
                #expect(
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM quotes JOIN documents USING (doc_id) WHERE id = ?",
                        arguments: [d.id]) == d.quotes?.count)
                // Every event, with its actors, code and flags, and the sentence that reports it.
                let events = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT s.name AS source, t.name AS target, e.code, e.quad, e.weight, e.negated, e.sentence_text
                        FROM events e JOIN actors s ON s.actor_id = e.source_id JOIN actors t ON t.actor_id = e.target_id
                        JOIN documents d USING (doc_id) WHERE d.id = ? ORDER BY e.idx
                        """, arguments: [d.id])
                #expect(
                    events.map { "\($0["source"] as String)>\($0["target"] as String)|\($0["code"] as String)" }
                        == (d.events ?? []).map { "\($0.source)>\($0.target)|\($0.code)" })
                #expect(events.map { $0["negated"] as Bool } == (d.events ?? []).map(\.negated))
                for (r, e) in zip(events, d.events ?? []) {
                    #expect(r["sentence_text"] as String? == d.text.slice(d.sentences![e.sentence]))
                }
            }
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events")! >= 2)
            // Each pair's balance by day: the agreement on the 20th, the thanks on the 21st.
            let pair = try Row.fetchAll(
                db,
                sql: """
                    SELECT day, events, balance, verbal_cooperation FROM event_pairs_by_day
                    WHERE source = 'Iraq' AND target = 'France' ORDER BY day
                    """)
            #expect(pair.map { $0["day"] as String } == ["2026-11-20", "2026-11-21"])
            #expect(pair.allSatisfy { ($0["balance"] as Double) > 0 && ($0["verbal_cooperation"] as Int) >= 1 })
            #expect(
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM event_pairs_by_source WHERE source = 'Iraq' AND outlet = 'North Wire'")
                    == 1)
            // The questions the views answer.
            let france = try Row.fetchAll(
                db, sql: "SELECT day, articles FROM stance_by_day WHERE actor = 'France' ORDER BY day")
            #expect(france.map { $0["day"] as String } == ["2026-11-20", "2026-11-21"])
            #expect(
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT articles FROM cooccurrence WHERE actor1 = 'Iraq' AND actor2 = 'France' OR actor1 = 'France' AND actor2 = 'Iraq'"
                ) == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stance_by_source WHERE actor = 'Iraq'") == 2)
            #expect(
                try String.fetchOne(db, sql: "SELECT speaker FROM quotes WHERE text LIKE 'France stands ready%'")
                    == "Claire Duval")
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
        }
    }

    @Test func rerunUpdatesRatherThanDuplicates() throws {
        let dir = try TempDir()
        try writeStoreArticles(dir)
        let p = try storePipeline(dir)
        _ = try PipelineRunner(pipeline: p).run()
        let path = dir.path("out/d.sqlite")
        func snapshot() throws -> (ids: [Int64], entities: Int, hashes: [String], lastRuns: [Int64]) {
            try DatabaseQueue(path: path).read { db throws in
                (
                    try Int64.fetchAll(db, sql: "SELECT doc_id FROM documents ORDER BY id"),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entities")!,
                    try String.fetchAll(db, sql: "SELECT content_hash FROM documents ORDER BY id"),
                    try Int64.fetchAll(db, sql: "SELECT last_run FROM documents ORDER BY id")
                )
            }
        }
        let first = try snapshot()
        _ = try PipelineRunner(pipeline: p).run()
        let second = try snapshot()
        #expect(second.ids == first.ids && second.entities == first.entities && second.hashes == first.hashes)
        #expect(second.lastRuns == [2, 2, 2])

        // The same id with new text: the row is updated in place and its analysis replaced.
        try dir.write(
            "in/c.txt",
            """
            France and Iraq hold talks
            Date: 2026-11-21
            Source: North Wire

            France and Iraq held further talks on Saturday.
            """)
        _ = try PipelineRunner(pipeline: p).run()
        let third = try snapshot()
        #expect(third.ids == first.ids)
        #expect(third.hashes[0] == first.hashes[0] && third.hashes[2] != first.hashes[2])
        let docs = try readJSONL(dir.path("out/d.jsonl"))
        #expect(third.entities == docs.reduce(0) { $0 + ($1.entities?.count ?? 0) })
        try DatabaseQueue(path: path).read { db throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'ok'") == 3)
            #expect(
                try String.fetchOne(db, sql: "SELECT text FROM documents WHERE id = 'c'")?.hasSuffix("on Saturday.")
                    == true)
        }
    }

    @Test func olderStoreIsMigrated() throws {
        let dir = try TempDir()
        let path = dir.path("old.sqlite")
        // A store as the first release wrote it: schema v1 only, one document.
        let old = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(old, upTo: "v1")
        try old.write { db in
            try db.execute(
                sql: "INSERT INTO runs (pipeline, started, status) VALUES ('daily', '2026-11-01T06:00:00Z', 'ok')")
            try db.execute(
                sql:
                    "INSERT INTO documents (id, content_hash, text, day, first_run, last_run) VALUES ('old', 'x', 'Old text.', '2026-11-01', 1, 1)"
            )
        }
        try old.close()
        try writeStoreArticles(dir)
        let p = try builtPipeline(
            """
            load files path="\(dir.path("in"))"
            extract sentences
            extract tokens
            extract entities
            stance lexicon
            write sqlite path="\(path)"
            """)
        _ = try PipelineRunner(pipeline: p).run()
        try DatabaseQueue(path: path).read { db throws in
            #expect(try StoreSchema.migrator.appliedIdentifiers(db) == Set(StoreSchema.versions))
            #expect(StoreSchema.versions == ["v1", "v2", "v3", "v4"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA table_info(quotes)").contains { $0["name"] == "outlet" })
            #expect(
                try StoreSchema.documentTables(db)
                    == ["document_actors", "entities", "events", "keyphrases", "quotes", "stances", "summaries"])
            #expect(try String.fetchAll(db, sql: "SELECT id FROM documents ORDER BY id") == ["a", "b", "c", "old"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stances WHERE evidence_text IS NOT NULL")! > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stance_by_day WHERE day = '2026-11-21'")! > 0)
        }
    }

    /// Two runs creating the same new store at once: about one in three failed with "table runs already exists".
    @Test func concurrentFirstOpensAllSucceed() throws {
        let dir = try TempDir()
        let openers = 8
        for round in 0..<12 {
            let path = dir.path("race\(round).sqlite")
            let failures = Mutex<[String]>([])
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for _ in 0..<openers {
                group.enter()
                Thread.detachNewThread {
                    start.wait()
                    do { StoreSchema.close(try StoreSchema.open(path)) } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                    group.leave()
                }
            }
            for _ in 0..<openers { start.signal() }
            group.wait()
            #expect(failures.withLock { $0 } == [], "round \(round)")
            try DatabaseQueue(path: path).read { db throws in
                #expect(try StoreSchema.migrator.appliedIdentifiers(db) == Set(StoreSchema.versions))
            }
        }
    }

    @Test func foreignOrNewerFilesAreRefused() throws {
        let dir = try TempDir()
        let other = dir.path("other.sqlite")
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE notes (x TEXT)") }
        #expect(throws: StoreError.self) { _ = try StoreSchema.open(other) }
        do { _ = try StoreSchema.open(other) } catch { #expect("\(error)".contains("not a pipeline store")) }

        let newer = dir.path("newer.sqlite")
        var m = StoreSchema.migrator
        m.registerMigration("v99") { db in try db.execute(sql: "CREATE TABLE future (x TEXT)") }
        try m.migrate(try DatabaseQueue(path: newer))
        do { _ = try StoreSchema.open(newer); Issue.record("a newer store was opened") } catch {
            #expect("\(error)".contains("newer release"))
        }

        let text = dir.path("text.sqlite")
        try dir.write("text.sqlite", "not a database at all, just text\n")
        do { _ = try StoreSchema.open(text); Issue.record("a text file was opened") } catch {
            #expect("\(error)".hasPrefix(text))
        }
        let stdout = PipelineBuilder(registry: BuiltInStages.registry)
            .build(
                PipelineDefinition.parse(text: "load files path=\"x\"\nwrite sqlite path=\"-\"\n", file: "t.pipe"),
                settings: BuildSettings())
        #expect(stdout.pipeline == nil)
        #expect(stdout.diagnostics.description.contains("cannot be written to stdout"))
        // A device (SQLite left /dev/null-journal behind and said "disk I/O error") or a folder.
        for path in ["/dev/null", dir.path("")] {
            let o = PipelineBuilder(registry: BuiltInStages.registry)
                .build(
                    PipelineDefinition.parse(
                        text: "load files path=\"x\"\nwrite sqlite path=\"\(path)\"\n", file: "t.pipe"),
                    settings: BuildSettings())
            #expect(o.pipeline == nil)
            #expect(o.diagnostics.description.contains("is not a regular file; a store is a SQLite file"))
        }
    }

    @Test func failedRunIsRecordedAndKeepsEarlierStores() throws {
        let dir = try TempDir()
        var lines = (1...50).map { "{\"id\":\"d\($0)\",\"text\":\"Iraq welcomed France in sentence \($0).\"}" }
        lines[30] = "{broken"
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n"))
        let path = dir.path("s.sqlite")
        let p = try builtPipeline("load jsonl path=\"\(input)\"\nextract sentences\nwrite sqlite path=\"\(path)\"\n")
        let s = try PipelineRunner(pipeline: p, options: RunOptions(batchDocuments: 10)).run()
        #expect(s.stoppedBy != nil)
        try DatabaseQueue(path: path).read { db throws in
            #expect(try String.fetchOne(db, sql: "SELECT status FROM runs") == "failed")
            // Whole batches before the failure were committed; nothing of the failing batch was.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") == 30)
        }
    }
}
