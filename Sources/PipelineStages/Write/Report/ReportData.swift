import Foundation
import GRDB
import PipelineCore

/// What the HTML report shows, read from a store (``StoreSchema``) for a period: the days up to the latest day in the
/// store. Every figure is computed by SQL over the store's history, so a report shows trends across all the runs that
/// filled the store, not only the last one.
struct ReportData: Sendable {
    /// How much to show.
    struct Limits: Sendable {
        var days = 30
        var top = 8
        var window = 7
        var sources = 6
        var speakers = 10
        var articles = 200
        /// Actor pairs with an event chart.
        var pairs = 6
        /// Actors in the event network.
        var networkNodes = 14
        /// The latest day's strongest events listed.
        var latestEvents = 6
    }

    /// One day of one actor: mean stance and how many articles scored it.
    struct DayPoint: Sendable, Equatable {
        var day: String
        var score: Double?
        var articles: Int
        /// The mean over the `window` days up to this one, weighted by articles (nil when none in the window).
        var rolling: Double?
    }

    /// A sentence that moved an actor's stance, with its article.
    struct Evidence: Sendable {
        var score: Double
        var sentence: String
        var title: String
        var source: String
        var day: String
    }

    /// A top actor of the period.
    struct Actor: Sendable {
        var id: Int64
        var name: String
        var type: String
        var articles: Int
        var mentions: Int
        var scored: Int
        var score: Double?
        var positive: Int
        var negative: Int
        var series: [DayPoint]
        var bySource: [String: (score: Double, articles: Int)]
        var warmest: Evidence?
        var coldest: Evidence?
    }

    /// A speaker and some of their quotes.
    struct Speaker: Sendable {
        var name: String
        var count: Int
        var quotes: [(text: String, kind: Quote.Kind?, title: String, source: String, day: String)]
    }

    /// An article with its summary and strongest stances.
    struct Article: Sendable {
        var id: String
        var title: String
        var source: String
        var day: String
        var summary: String
        var stances: [(actor: String, score: Double)]
    }

    var first: String
    var last: String
    var days: [String]
    var articleCount: Int
    var sourceCount: Int
    var actorCount: Int
    var runCount: Int
    var actors: [Actor]
    var sources: [(name: String, articles: Int)]
    var speakers: [Speaker]
    var articles: [Article]
    var articlesNotShown: Int
    /// Articles in which two top actors both appear, by pair of indices into ``actors``.
    var cooccurrence: [[Int]]
    var limits: Limits
    /// The period's events (negated and hypothetical ones left out), read by ``loadEvents(_:)``.
    var eventCount = 0
    var eventPairs: [EventPair] = []
    var network: [NetworkNode] = []
    var networkEdges: [NetworkEdge] = []
    var latestEvents: [EventItem] = []

    /// Reads the period ending on the latest day in the store (a date after `today` + 1 — a misread year — does not
    /// count unless there is no other); nil when the store holds no dated document.
    static func load(_ db: Database, limits: Limits, today: Date = Date()) throws -> ReportData? {
        let tomorrow = Self.day(today.addingTimeInterval(86_400))
        guard
            let last = try String.fetchOne(
                db, sql: "SELECT MAX(day) FROM documents WHERE day <= ?", arguments: [tomorrow])
                ?? String.fetchOne(db, sql: "SELECT MAX(day) FROM documents WHERE day IS NOT NULL"),
            let lastDate = Self.date(last)
        else { return nil }
        // The period: `days` days up to the latest, starting no earlier than the first stored day within them.
        let earliest = Self.day(lastDate.addingTimeInterval(-86_400 * Double(max(1, limits.days) - 1)))
        let first =
            try String.fetchOne(db, sql: "SELECT MIN(day) FROM documents WHERE day >= ?", arguments: [earliest]) ?? last
        let span = Int(((lastDate.timeIntervalSince(Self.date(first) ?? lastDate)) / 86_400).rounded())
        let days = (0...max(0, span)).reversed().map { Self.day(lastDate.addingTimeInterval(-86_400 * Double($0))) }
        let period: StatementArguments = [first, last]
        let inPeriod = "d.day BETWEEN ? AND ?"

        let articleCount =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents d WHERE \(inPeriod)", arguments: period) ?? 0
        let sources = try Row.fetchAll(
            db,
            sql: """
                SELECT COALESCE(d.source, '(no source)') AS source, COUNT(*) AS n FROM documents d WHERE \(inPeriod)
                GROUP BY 1 ORDER BY n DESC, source
                """, arguments: period
        ).map { (name: $0["source"] as String, articles: $0["n"] as Int) }
        let actorCount =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(DISTINCT da.actor_id) FROM document_actors da JOIN documents d USING (doc_id) WHERE \(inPeriod)
                    """, arguments: period) ?? 0
        let runCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'ok'") ?? 0

        // The top actors: most articles, then most mentions.
        var actors: [Actor] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT a.actor_id, a.name, COALESCE(a.type, '') AS type, COUNT(*) AS articles, SUM(da.mentions) AS mentions
                FROM document_actors da JOIN actors a USING (actor_id) JOIN documents d USING (doc_id)
                WHERE \(inPeriod) GROUP BY a.actor_id ORDER BY articles DESC, mentions DESC, a.name LIMIT ?
                """, arguments: [first, last, limits.top])
        {
            let id: Int64 = row["actor_id"]
            let args: StatementArguments = [id, first, last]
            let stats = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, AVG(s.score) AS score, SUM(s.label = 'positive') AS pos, SUM(s.label = 'negative') AS neg
                    FROM stances s JOIN documents d USING (doc_id) WHERE s.actor_id = ? AND \(inPeriod)
                    """, arguments: args)
            // The store's own view of an actor's stance per day (the day's mean over its articles).
            var daily: [String: (sum: Double, n: Int)] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT day, score, articles FROM stance_by_day WHERE actor = ? AND day BETWEEN ? AND ?
                    """, arguments: [row["name"] as String, first, last])
            {
                let n: Int = r["articles"]
                daily[r["day"]] = ((r["score"] as Double) * Double(n), n)
            }
            var bySource: [String: (score: Double, articles: Int)] = [:]
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(d.source, '(no source)') AS source, AVG(s.score) AS score, COUNT(*) AS n
                    FROM stances s JOIN documents d USING (doc_id) WHERE s.actor_id = ? AND \(inPeriod) GROUP BY 1
                    """, arguments: args)
            {
                bySource[r["source"]] = (r["score"], r["n"])
            }
            func evidence(_ order: String) throws -> Evidence? {
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.score, s.evidence_text, COALESCE(d.title, d.id) AS title, COALESCE(d.source, '') AS source, d.day
                        FROM stances s JOIN documents d USING (doc_id)
                        WHERE s.actor_id = ? AND \(inPeriod) AND s.evidence_text IS NOT NULL AND s.label != 'neutral'
                        ORDER BY s.score \(order), d.day DESC LIMIT 1
                        """, arguments: args
                ).map {
                    Evidence(
                        score: $0["score"], sentence: $0["evidence_text"], title: $0["title"], source: $0["source"],
                        day: $0["day"])
                }
            }
            let warmest = try evidence("DESC"), coldest = try evidence("ASC")
            actors.append(
                Actor(
                    id: id, name: row["name"], type: row["type"], articles: row["articles"], mentions: row["mentions"],
                    scored: stats?["n"] ?? 0, score: stats?["score"], positive: stats?["pos"] ?? 0,
                    negative: stats?["neg"] ?? 0,
                    series: Self.series(days, daily, window: limits.window), bySource: bySource,
                    warmest: warmest.flatMap { $0.score > 0 ? $0 : nil },
                    coldest: coldest.flatMap { $0.score < 0 ? $0 : nil }))
        }

        // Co-occurrence of the top actors.
        var co = Array(repeating: Array(repeating: 0, count: actors.count), count: actors.count)
        if actors.count > 1 {
            let index = Dictionary(uniqueKeysWithValues: actors.enumerated().map { ($0.element.id, $0.offset) })
            let ids = actors.map { String($0.id) }.joined(separator: ",")
            for r in try Row.fetchAll(
                db,
                sql: """
                    SELECT x.actor_id AS a, y.actor_id AS b, COUNT(*) AS n FROM document_actors x
                    JOIN document_actors y ON y.doc_id = x.doc_id AND x.actor_id < y.actor_id JOIN documents d ON d.doc_id = x.doc_id
                    WHERE \(inPeriod) AND x.actor_id IN (\(ids)) AND y.actor_id IN (\(ids)) GROUP BY x.actor_id, y.actor_id
                    """, arguments: period)
            {
                let i = index[r["a"] as Int64]!, j = index[r["b"] as Int64]!
                co[i][j] = r["n"]; co[j][i] = r["n"]
            }
        }

        // The most-quoted speakers, direct quotes first.
        var speakers: [Speaker] = []
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT q.speaker, COUNT(*) AS n FROM quotes q JOIN documents d USING (doc_id)
                WHERE q.speaker IS NOT NULL AND \(inPeriod) GROUP BY q.speaker ORDER BY n DESC, q.speaker LIMIT ?
                """, arguments: [first, last, limits.speakers])
        {
            let name: String = r["speaker"]
            let quotes = try Row.fetchAll(
                db,
                sql: """
                    SELECT q.text, q.kind, COALESCE(d.title, d.id) AS title, COALESCE(d.source, '') AS source, d.day
                    FROM quotes q JOIN documents d USING (doc_id) WHERE q.speaker = ? AND \(inPeriod)
                    ORDER BY q.kind = '\(Quote.Kind.direct.rawValue)' DESC, length(q.text) > 40 DESC, d.day DESC, q.idx LIMIT 2
                    """, arguments: [name, first, last]
            ).map {
                (
                    text: $0["text"] as String, kind: ($0["kind"] as String?).flatMap(Quote.Kind.init(rawValue:)),
                    title: $0["title"] as String,
                    source: $0["source"] as String, day: $0["day"] as String
                )
            }
            speakers.append(Speaker(name: name, count: r["n"], quotes: quotes))
        }

        // The articles, newest first, with their strongest stances.
        var articles: [Article] = []
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT d.doc_id, d.id, COALESCE(d.title, d.id) AS title, COALESCE(d.source, '') AS source, d.day,
                       COALESCE(sm.text, substr(d.text, 1, 400)) AS summary
                FROM documents d LEFT JOIN summaries sm USING (doc_id) WHERE \(inPeriod)
                ORDER BY d.day DESC, d.source, d.id LIMIT ?
                """, arguments: [first, last, limits.articles])
        {
            let stances = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.name, s.score FROM stances s JOIN actors a USING (actor_id) WHERE s.doc_id = ? AND s.label != 'neutral'
                    ORDER BY abs(s.score) DESC, a.name LIMIT 5
                    """, arguments: [r["doc_id"] as Int64]
            ).map { (actor: $0["name"] as String, score: $0["score"] as Double) }
            articles.append(
                Article(
                    id: r["id"], title: r["title"], source: r["source"], day: r["day"], summary: r["summary"],
                    stances: stances))
        }
        var data = ReportData(
            first: first, last: last, days: days, articleCount: articleCount, sourceCount: sources.count,
            actorCount: actorCount, runCount: runCount, actors: actors,
            sources: Array(sources.prefix(limits.sources)), speakers: speakers, articles: articles,
            articlesNotShown: max(0, articleCount - articles.count), cooccurrence: co, limits: limits)
        try data.loadEvents(db)
        return data
    }

    /// Daily means and their rolling mean over `window` days, weighted by articles.
    static func series(_ days: [String], _ daily: [String: (sum: Double, n: Int)], window: Int) -> [DayPoint] {
        var out: [DayPoint] = []
        for (i, day) in days.enumerated() {
            let today = daily[day]
            var sum = 0.0, n = 0
            for j in max(0, i - max(1, window) + 1)...i {
                if let d = daily[days[j]] { sum += d.sum; n += d.n }
            }
            out.append(
                DayPoint(
                    day: day, score: today.map { $0.sum / Double($0.n) }, articles: today?.n ?? 0,
                    rolling: n > 0 ? sum / Double(n) : nil))
        }
        return out
    }

    private static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// `YYYY-MM-DD` → midnight UTC.
    static func date(_ day: String) -> Date? {
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
    }

    /// Midnight UTC → `YYYY-MM-DD`.
    static func day(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
