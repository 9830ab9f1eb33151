import Foundation
import GRDB

/// The SQLite store's schema, as numbered migrations (GRDB's `DatabaseMigrator`, recorded in the store's
/// `grdb_migrations` table): a store written by an older release is brought up to date when it is opened, in a
/// transaction per step, and a store written by a newer release is refused rather than misread.
///
/// - `v1`: runs, documents, actors, entities, document_actors, quotes, keyphrases, summaries, stances, and their indexes.
/// - `v2`: the evidence sentence's text beside each stance (`stances.evidence_text`), and the views `stance_by_day`,
///   `stance_by_source` and `cooccurrence` that answer the common questions without joins.
/// - `v3`: whom a quote's speaker told it (`quotes.outlet`: "Reuters" in "X told Reuters that …").
/// - `v4`: events between actors (`events`, from `extract events`), indexed by source and target, and the views
///   `event_pairs_by_day` and `event_pairs_by_source` (each pair's events and cooperation–conflict balance per day and
///   per outlet, negated and hypothetical events left out).
public enum StoreSchema {
    /// The migrations, oldest first (the migrator's own list).
    public static var versions: [String] { migrator.migrations }

    /// The tables whose rows belong to one document (a `doc_id` that references `documents`), as the schema declares
    /// them: what a changed document's re-analysis replaces.
    static func documentTables(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
                WHERE m.type = 'table' AND f."table" = 'documents' AND f."from" = 'doc_id' ORDER BY m.name
                """)
    }

    /// The migrator with every version registered.
    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        run_id        INTEGER PRIMARY KEY,
                        pipeline      TEXT NOT NULL,
                        pipeline_file TEXT,
                        pipeline_hash TEXT,
                        variables     TEXT NOT NULL DEFAULT '{}',
                        jobs          INTEGER NOT NULL DEFAULT 1,
                        started       TEXT NOT NULL,
                        ended         TEXT,
                        documents_in  INTEGER NOT NULL DEFAULT 0,
                        documents_out INTEGER NOT NULL DEFAULT 0,
                        failed        INTEGER NOT NULL DEFAULT 0,
                        status        TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed'))
                    );
                    CREATE TABLE documents (
                        doc_id       INTEGER PRIMARY KEY,
                        id           TEXT NOT NULL UNIQUE,
                        content_hash TEXT NOT NULL,
                        title        TEXT,
                        source       TEXT,
                        date         TEXT,
                        day          TEXT,
                        text         TEXT NOT NULL,
                        meta         TEXT NOT NULL DEFAULT '{}',
                        first_run    INTEGER NOT NULL REFERENCES runs(run_id),
                        last_run     INTEGER NOT NULL REFERENCES runs(run_id)
                    );
                    CREATE INDEX documents_by_day ON documents(day, source);
                    CREATE INDEX documents_by_source ON documents(source, day);
                    CREATE TABLE actors (
                        actor_id INTEGER PRIMARY KEY,
                        name     TEXT NOT NULL UNIQUE,
                        type     TEXT
                    );
                    CREATE TABLE entities (
                        doc_id     INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        idx        INTEGER NOT NULL,
                        start      INTEGER NOT NULL,
                        end        INTEGER NOT NULL,
                        text       TEXT NOT NULL,
                        type       TEXT NOT NULL,
                        canonical  TEXT,
                        actor_id   INTEGER REFERENCES actors(actor_id),
                        attributes TEXT NOT NULL DEFAULT '{}',
                        PRIMARY KEY (doc_id, idx)
                    );
                    CREATE INDEX entities_by_actor ON entities(actor_id);
                    CREATE INDEX entities_by_type ON entities(type, canonical);
                    CREATE TABLE document_actors (
                        doc_id   INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        actor_id INTEGER NOT NULL REFERENCES actors(actor_id),
                        mentions INTEGER NOT NULL,
                        PRIMARY KEY (doc_id, actor_id)
                    );
                    CREATE INDEX document_actors_by_actor ON document_actors(actor_id, doc_id);
                    CREATE TABLE quotes (
                        doc_id           INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        idx              INTEGER NOT NULL,
                        start            INTEGER NOT NULL,
                        end              INTEGER NOT NULL,
                        text             TEXT NOT NULL,
                        speaker          TEXT,
                        speaker_actor_id INTEGER REFERENCES actors(actor_id),
                        kind             TEXT,
                        PRIMARY KEY (doc_id, idx)
                    );
                    CREATE INDEX quotes_by_speaker ON quotes(speaker);
                    CREATE TABLE keyphrases (
                        doc_id INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        rank   INTEGER NOT NULL,
                        phrase TEXT NOT NULL,
                        score  REAL NOT NULL,
                        PRIMARY KEY (doc_id, rank)
                    );
                    CREATE INDEX keyphrases_by_phrase ON keyphrases(phrase);
                    CREATE TABLE summaries (
                        doc_id    INTEGER PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
                        text      TEXT NOT NULL,
                        sentences TEXT NOT NULL
                    );
                    CREATE TABLE stances (
                        doc_id     INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        actor_id   INTEGER NOT NULL REFERENCES actors(actor_id),
                        score      REAL NOT NULL,
                        label      TEXT NOT NULL,
                        confidence REAL,
                        mentions   INTEGER,
                        evidence   TEXT NOT NULL,
                        PRIMARY KEY (doc_id, actor_id)
                    );
                    CREATE INDEX stances_by_actor ON stances(actor_id, doc_id);
                    """)
        }
        m.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE stances ADD COLUMN evidence_text TEXT;
                    CREATE VIEW stance_by_day AS
                        SELECT a.name AS actor, d.day AS day, COUNT(*) AS articles, AVG(s.score) AS score,
                               SUM(s.label = 'positive') AS positive, SUM(s.label = 'negative') AS negative
                        FROM stances s JOIN actors a USING (actor_id) JOIN documents d USING (doc_id)
                        GROUP BY a.actor_id, d.day;
                    CREATE VIEW stance_by_source AS
                        SELECT a.name AS actor, d.source AS source, COUNT(*) AS articles, AVG(s.score) AS score
                        FROM stances s JOIN actors a USING (actor_id) JOIN documents d USING (doc_id)
                        GROUP BY a.actor_id, d.source;
                    CREATE VIEW cooccurrence AS
                        SELECT a1.name AS actor1, a2.name AS actor2, COUNT(*) AS articles
                        FROM document_actors x JOIN document_actors y ON x.doc_id = y.doc_id AND x.actor_id < y.actor_id
                        JOIN actors a1 ON a1.actor_id = x.actor_id JOIN actors a2 ON a2.actor_id = y.actor_id
                        GROUP BY x.actor_id, y.actor_id;
                    """)
        }
        m.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE quotes ADD COLUMN outlet TEXT;")
        }
        m.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        doc_id        INTEGER NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
                        idx           INTEGER NOT NULL,
                        sentence      INTEGER NOT NULL,
                        source_id     INTEGER NOT NULL REFERENCES actors(actor_id),
                        target_id     INTEGER NOT NULL REFERENCES actors(actor_id),
                        action        TEXT NOT NULL,
                        code          TEXT NOT NULL,
                        quad          TEXT NOT NULL,
                        weight        REAL NOT NULL,
                        negated       INTEGER NOT NULL,
                        hypothetical  INTEGER NOT NULL,
                        symmetric     INTEGER NOT NULL,
                        reported_by   TEXT,
                        sentence_text TEXT,
                        PRIMARY KEY (doc_id, idx)
                    );
                    CREATE INDEX events_by_pair ON events(source_id, target_id, doc_id);
                    CREATE INDEX events_by_target ON events(target_id, source_id, doc_id);
                    CREATE VIEW event_pairs_by_day AS
                        SELECT s.name AS source, t.name AS target, d.day AS day, COUNT(*) AS events,
                               SUM(e.weight) AS balance,
                               SUM(e.quad = 'verbal_cooperation') AS verbal_cooperation,
                               SUM(e.quad = 'material_cooperation') AS material_cooperation,
                               SUM(e.quad = 'verbal_conflict') AS verbal_conflict,
                               SUM(e.quad = 'material_conflict') AS material_conflict
                        FROM events e JOIN actors s ON s.actor_id = e.source_id JOIN actors t ON t.actor_id = e.target_id
                        JOIN documents d USING (doc_id)
                        WHERE NOT e.negated AND NOT e.hypothetical
                        GROUP BY e.source_id, e.target_id, d.day;
                    CREATE VIEW event_pairs_by_source AS
                        SELECT s.name AS source, t.name AS target, d.source AS outlet, COUNT(*) AS events,
                               SUM(e.weight) AS balance
                        FROM events e JOIN actors s ON s.actor_id = e.source_id JOIN actors t ON t.actor_id = e.target_id
                        JOIN documents d USING (doc_id)
                        WHERE NOT e.negated AND NOT e.hypothetical
                        GROUP BY e.source_id, e.target_id, d.source;
                    """)
        }
        return m
    }

    /// Opens (creating if needed) the store at `path` in WAL mode and migrates it to the current schema.
    ///
    /// `readOnly` (the report) reads without migrating. Close the pool with ``close(_:)``.
    ///
    /// - Throws: ``StoreError`` when the file is not an SQLite store this release can read.
    public static func open(_ path: String, readOnly: Bool = false) throws -> DatabasePool {
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Every committed batch is on disk before a checkpoint can count it (see RunJournal).
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        let pool: DatabasePool
        do {
            pool = try openPool(path, configuration: config)
        } catch {
            throw StoreError(path: path, message: "cannot open: \(Self.describe(error))")
        }
        do {
            let m = migrator
            var applied = try appliedVersions(pool, path: path)
            if readOnly {
                guard applied.count == versions.count else {
                    throw StoreError(
                        path: path,
                        message: "has an older schema; run a pipeline that writes to it (write sqlite) to migrate it")
                }
                return pool
            }
            // GRDB's migrator reads which migrations are applied before it takes the write lock, so two processes
            // creating the same new store can both start v1 and the second fails with "table runs already exists".
            // Each migration commits with its record, so a failure after which the record set grew means another
            // process migrated meanwhile: read again and go on from there.
            var attempt = 0
            while true {
                do {
                    try m.migrate(pool)
                    break
                } catch let e as DatabaseError {
                    let now = try appliedVersions(pool, path: path)
                    attempt += 1
                    guard now != applied, attempt < 2 * versions.count + 2 else { throw e }
                    applied = now
                }
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(path: path, message: Self.describe(error))
        }
        return pool
    }

    /// A pool on `path`, retried while the file is busy for up to 10 s.
    ///
    /// A pool switches a new file to WAL, which needs the file to itself; SQLite reports a concurrent switch as busy
    /// at once, without waiting as the busy timeout does for other statements.
    static func openPool(_ path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = ContinuousClock.now + .seconds(10)
        var pause = Duration.milliseconds(5)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let e as DatabaseError where e.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
                pause = min(pause * 2, .milliseconds(200))
            }
        }
    }

    /// The migrations recorded in the store at `pool`; empty for a new file.
    ///
    /// - Throws: ``StoreError`` when the file is an SQLite database this tool did not write, or was written by a
    ///   newer release.
    static func appliedVersions(_ pool: DatabasePool, path: String) throws -> Set<String> {
        let applied = try pool.read { db -> Set<String> in
            guard try db.tableExists("grdb_migrations") else {
                // An SQLite file with tables but no migration record was not written by this tool.
                let tables =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                if tables > 0 {
                    throw StoreError(
                        path: path,
                        message:
                            "is an SQLite file, but not a pipeline store (no grdb_migrations table); give a new file name"
                    )
                }
                return []
            }
            return try migrator.appliedIdentifiers(db)
        }
        if let unknown = applied.subtracting(versions).sorted().first {
            throw StoreError(
                path: path,
                message: "was written by a newer release (schema \(unknown)); upgrade pipeline to read it")
        }
        return applied
    }

    /// Closes `pool` so that the store is one file again. SQLite removes the `-wal` and `-shm` files when the last
    /// connection to close can write, but a pool closes its writer first and its read-only readers last
    /// (groue/GRDB.swift#739); so one plain read-write connection is opened and closed after it (when another process
    /// still has the store open, the files stay, as they must).
    public static func close(_ pool: DatabasePool) {
        let path = pool.path
        guard (try? pool.close()) != nil, access(path, W_OK) == 0 else { return }
        if let last = try? DatabaseQueue(path: path) { try? last.close() }
    }

    /// GRDB's message without its SQL echo.
    static func describe(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }
}
