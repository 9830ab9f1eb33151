import Foundation
import GRDB
import OrderedCollections
import PipelineCore

/// Puts documents into a store (``StoreSchema``): each batch of the run in one transaction; the run itself as a row
/// of `runs` (status `running`, then `ok` with its counts, or `failed` when the run is abandoned).
///
/// Documents are keyed by `id`: a document already in the store with the same content hash (FNV-1a 64 of its whole
/// JSON output, text and analysis) is only marked as seen by this run (`last_run`); with another hash its row is
/// updated in place (same `doc_id`) and its entities, actors, quotes, key phrases, summary, stances and events are
/// replaced.
/// Re-running a day therefore updates the store and never duplicates. Batches committed before a failure stay (each
/// is a set of complete documents); the run's row then says `failed`.
final class StoreWriter: RunAwareWriter, ResumableWriter {
    /// Entity types that name actors (the ones `stance` scores).
    static let actorTypes: Set<String> = ["PER", "ORG", "LOC", "MISC"]

    let path: String
    private let pool: DatabasePool
    private var runID: Int64?
    private var pending: [Document] = []
    /// Actor name → `actor_id`, for actors already in the store (cleared when a transaction fails).
    private var actorIDs: [String: (id: Int64, type: String?)] = [:]
    private var json = JSONWriter(capacity: 1 << 16)
    /// The tables a changed document's rows are removed from before it is stored again (from the schema).
    private let documentTables: [String]

    var destination: String? { path }

    /// Opens (creating and migrating as needed) the store at `path`; with `resumingRun`, the interrupted run of that
    /// id goes on (its row is `running` again) rather than a new one starting.
    init(path: String, resumingRun: Int64? = nil) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw StoreError(path: path, message: "cannot create the folder \(dir): \(error.localizedDescription)")
            }
        }
        let pool = try StoreSchema.open(path)
        self.pool = pool
        do {
            documentTables = try pool.read { db in try StoreSchema.documentTables(db) }
        } catch {
            throw StoreError(path: path, message: StoreSchema.describe(error))
        }
        if let id = resumingRun {
            let found = try guarded {
                try pool.write { db in
                    try db.execute(
                        sql: "UPDATE runs SET status = 'running', ended = NULL WHERE run_id = ?", arguments: [id])
                    return db.changesCount
                }
            }
            guard found == 1 else {
                throw StoreError(
                    path: path,
                    message:
                        "the interrupted run \(id) of the checkpoint is not in this store; run again without --resume")
            }
            runID = id
        }
    }

    /// The batches so far are committed (each in its own transaction, with `synchronous = FULL`); the state is the run.
    func checkpoint() throws -> JSONValue {
        try flush()
        guard let runID else { return .null }
        return .object(["run_id": .int(Int(runID))])
    }

    /// Starts the run's row, unless the writer resumed an interrupted run from its checkpoint. A run of the same
    /// pipeline (name, file and file hash) left `running` was interrupted: under `--resume` this run takes up its row
    /// (it was killed before its first checkpoint, and the documents it committed are its own); otherwise that row is
    /// marked `failed` and a new one starts.
    func begin(_ run: RunInfo) throws {
        guard runID == nil else { return }
        var vars = OrderedDictionary<String, JSONValue>()
        for v in run.variables { vars[v.name] = .string(v.value) }
        let variables = Self.jsonText(.object(vars))
        runID = try guarded {
            try pool.write { db in
                let same = "status = 'running' AND pipeline = ? AND pipeline_file IS ? AND pipeline_hash IS ?"
                let args: StatementArguments = [run.pipeline, run.file, run.fileHash]
                if run.resume,
                    let id = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM runs WHERE \(same)", arguments: args)
                {
                    return id
                }
                try db.execute(sql: "UPDATE runs SET status = 'failed' WHERE \(same)", arguments: args)
                try db.execute(
                    sql: """
                        INSERT INTO runs (pipeline, pipeline_file, pipeline_hash, variables, jobs, started, status)
                        VALUES (?, ?, ?, ?, ?, ?, 'running')
                        """,
                    arguments: [run.pipeline, run.file, run.fileHash, variables, run.jobs, Self.timestamp(run.started)])
                return db.lastInsertedRowID
            }
        }
    }

    func write(_ document: Document) throws {
        if runID == nil { try begin(RunInfo(pipeline: "pipeline")) }
        pending.append(document)
    }

    func endBatch() throws { try flush() }

    func end(_ summary: RunSummary) throws {
        try flush()
        guard let runID else { return }
        try guarded {
            try pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE runs SET ended = ?, documents_in = ?, documents_out = ?, failed = ?, status = 'ok' WHERE run_id = ?
                        """,
                    arguments: [
                        Self.timestamp(Date()), summary.documentsIn, summary.documentsOut, summary.failed, runID,
                    ])
            }
        }
    }

    func finish() throws {
        try flush()
        try guarded {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        StoreSchema.close(pool)
    }

    func abort() {
        pending.removeAll()
        if let runID {
            try? pool.write { db in
                try db.execute(
                    sql: "UPDATE runs SET ended = ?, status = 'failed' WHERE run_id = ?",
                    arguments: [Self.timestamp(Date()), runID])
            }
        }
        StoreSchema.close(pool)
    }

    /// Writes the pending documents in one transaction.
    private func flush() throws {
        guard !pending.isEmpty, let runID else { return }
        let docs = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try guarded { try pool.write { db in for d in docs { try store(d, run: runID, db) } } }
        } catch {
            actorIDs.removeAll()  // ids handed out inside the rolled-back transaction are gone
            throw error
        }
    }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError { throw e } catch {
            throw StoreError(path: path, message: StoreSchema.describe(error))
        }
    }

    // MARK: one document

    private func store(_ document: Document, run: Int64, _ db: Database) throws {
        json.reset()
        document.writeJSON(into: &json)
        let hash = json.withBytes { RunInfo.fnv1a64Hex($0) }
        let docID: Int64
        if let row = try Row.fetchOne(
            db, sql: "SELECT doc_id, content_hash FROM documents WHERE id = ?", arguments: [document.id])
        {
            docID = row["doc_id"]
            if (row["content_hash"] as String) == hash {
                try db.execute(sql: "UPDATE documents SET last_run = ? WHERE doc_id = ?", arguments: [run, docID])
                return
            }
            for table in documentTables {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE doc_id = ?").execute(arguments: [docID])
            }
            try db.cachedStatement(
                sql: """
                    UPDATE documents SET content_hash = ?, title = ?, source = ?, date = ?, day = ?, text = ?, meta = ?,
                                         last_run = ? WHERE doc_id = ?
                    """
            ).execute(arguments: [
                hash, document.title, document.source, document.date, Self.day(document.date), document.text,
                Self.jsonText(.object(document.meta)), run, docID,
            ])
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO documents (id, content_hash, title, source, date, day, text, meta, first_run, last_run)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                document.id, hash, document.title, document.source, document.date, Self.day(document.date),
                document.text,
                Self.jsonText(.object(document.meta)), run, run,
            ])
            docID = db.lastInsertedRowID
        }

        // Entities, and the document's actors with how often each is mentioned.
        var actorsHere = OrderedDictionary<String, (id: Int64, mentions: Int)>()
        var typeOf: [String: String] = [:]
        for (i, e) in (document.entities ?? []).enumerated() {
            var actor: Int64?
            if Self.actorTypes.contains(e.type) {
                let name = e.canonical ?? e.text
                let id = try actorID(name, type: e.type, db)
                actor = id
                actorsHere[name, default: (id, 0)].mentions += 1
                if Self.improves(e.type, on: typeOf[name]) { typeOf[name] = e.type }
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO entities (doc_id, idx, start, end, text, type, canonical, actor_id, attributes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                docID, i, e.span.start, e.span.end, e.text, e.type, e.canonical, actor,
                Self.jsonText(.object(e.attributes)),
            ])
        }
        for (_, a) in actorsHere {
            try db.cachedStatement(sql: "INSERT INTO document_actors (doc_id, actor_id, mentions) VALUES (?, ?, ?)")
                .execute(arguments: [docID, a.id, a.mentions])
        }
        for (i, q) in (document.quotes ?? []).enumerated() {
            let speakerActor = q.speaker.flatMap { actorsHere[$0]?.id }
            try db.cachedStatement(
                sql: """
                    INSERT INTO quotes (doc_id, idx, start, end, text, speaker, speaker_actor_id, kind, outlet)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                docID, i, q.span.start, q.span.end, q.text, q.speaker, speakerActor,
                q.kind?.rawValue, q.outlet,
            ])
        }
        for (i, k) in (document.keyphrases ?? []).enumerated() {
            try db.cachedStatement(sql: "INSERT INTO keyphrases (doc_id, rank, phrase, score) VALUES (?, ?, ?, ?)")
                .execute(arguments: [docID, i + 1, k.text, k.score])
        }
        if let s = document.summary {
            try db.cachedStatement(sql: "INSERT INTO summaries (doc_id, text, sentences) VALUES (?, ?, ?)")
                .execute(arguments: [docID, s.text, Self.jsonText(.array(s.sentences.map { .int($0) }))])
        }
        let sentences = document.sentences ?? []
        var scored = Set<Int64>()
        for st in document.stances ?? [] {
            let id = try actorID(st.target, type: typeOf[st.target], db)
            guard scored.insert(id).inserted else { continue }  // one stance per actor and document
            let evidenceText = st.evidence.first.flatMap {
                $0 >= 0 && $0 < sentences.count ? document.text.slice(sentences[$0]) : nil
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO stances (doc_id, actor_id, score, label, confidence, mentions, evidence, evidence_text)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                docID, id, st.score, st.label.rawValue, st.confidence,
                st.mentions,
                Self.jsonText(.array(st.evidence.map { .int($0) })), evidenceText,
            ])
        }
        for (i, e) in (document.events ?? []).enumerated() {
            let source = try actorID(e.source, type: typeOf[e.source], db)
            let target = try actorID(e.target, type: typeOf[e.target], db)
            let sentenceText =
                e.sentence >= 0 && e.sentence < sentences.count
                ? document.text.slice(sentences[e.sentence]) : nil
            try db.cachedStatement(
                sql: """
                    INSERT INTO events (doc_id, idx, sentence, source_id, target_id, action, code, quad, weight, negated,
                                        hypothetical, symmetric, reported_by, sentence_text)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                docID, i, e.sentence, source, target, e.action, e.code, e.quad.rawValue, e.weight, e.negated,
                e.hypothetical, e.attributes["symmetric"] == .bool(true), e.reportedBy, sentenceText,
            ])
        }
    }

    /// The actor's id, adding the actor on first sight. Its type is the first one seen, except that `MISC` (which a
    /// demonym such as "Iraqi" gives) yields to a later `PER`, `ORG` or `LOC`.
    private func actorID(_ name: String, type: String?, _ db: Database) throws -> Int64 {
        if let known = actorIDs[name], !Self.improves(type, on: known.type) { return known.id }
        let id: Int64
        var stored = type
        if let existing = try Row.fetchOne(
            db, sql: "SELECT actor_id, type FROM actors WHERE name = ?", arguments: [name])
        {
            id = existing["actor_id"]
            stored = existing["type"]
            if Self.improves(type, on: stored) {
                try db.execute(sql: "UPDATE actors SET type = ? WHERE actor_id = ?", arguments: [type, id])
                stored = type
            }
        } else {
            try db.execute(sql: "INSERT INTO actors (name, type) VALUES (?, ?)", arguments: [name, type])
            id = db.lastInsertedRowID
        }
        actorIDs[name] = (id, stored)
        return id
    }

    /// Whether `new` is a better type than `old`: any type over none, and anything but `MISC` over `MISC`.
    static func improves(_ new: String?, on old: String?) -> Bool {
        guard let new else { return false }
        guard let old else { return true }
        return old == "MISC" && new != "MISC"
    }

    // MARK: values

    /// `YYYY-MM-DD` when the date starts with one.
    static func day(_ date: String?) -> String? {
        guard let date else { return nil }
        let b = Array(date.utf8.prefix(10))
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
            b.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (0x30...0x39).contains($0.element) })
        else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// A run's time stamp: ISO 8601 in UTC, to the second (the report prints the same form).
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func jsonText(_ value: JSONValue) -> String {
        var w = JSONWriter()
        w.write(value)
        return w.string
    }
}
