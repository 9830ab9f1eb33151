import Foundation
import GRDB
import PipelineCore

extension ReportData {
    /// One day of an actor pair's events: the sum of their weights, the counts by quad class, and the rolling mean of
    /// the daily sums.
    struct EventDay: Sendable, Equatable {
        var day: String
        /// The sum of the day's event weights (nil when the pair had no event that day).
        var balance: Double?
        /// Events by quad class, in ``Event/Quad/allCases`` order.
        var counts: [Int]
        /// The mean daily balance over the `window` days up to this one, over the days with events (nil when none).
        var rolling: Double?
    }

    /// An event with where it was reported.
    struct EventItem: Sendable {
        var source: String
        var target: String
        var action: String
        var quad: Event.Quad
        var weight: Double
        var sentence: String
        var title: String
        var outlet: String
        var day: String
    }

    /// Two actors and their events in the period, both ways.
    struct EventPair: Sendable {
        var a: String
        var b: String
        var events: Int
        var balance: Double
        var series: [EventDay]
        /// The strongest events (largest weight either way), newest first among equals.
        var strongest: [EventItem]
    }

    /// The actor network: nodes sized by mentions, an edge per pair with events.
    struct NetworkNode: Sendable {
        var name: String
        var mentions: Int
    }

    /// An edge of the network: two node indices, how many events and their balance.
    struct NetworkEdge: Sendable {
        var a: Int
        var b: Int
        var events: Int
        var balance: Double
    }

    /// Reads the period's events (negated and hypothetical ones left out): the top pairs with their daily series and
    /// strongest events, the network of the actors in events, and the latest day's strongest events.
    mutating func loadEvents(_ db: Database) throws {
        let period: StatementArguments = [first, last]
        let real = "NOT e.negated AND NOT e.hypothetical AND d.day BETWEEN ? AND ?"
        eventCount =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM events e JOIN documents d USING (doc_id) WHERE \(real)",
                arguments: period) ?? 0
        guard eventCount > 0 else { return }
        // The pairs with the most events, whichever acted.
        let pairRows = try Row.fetchAll(
            db,
            sql: """
                SELECT MIN(e.source_id, e.target_id) AS x, MAX(e.source_id, e.target_id) AS y, COUNT(*) AS n,
                       SUM(e.weight) AS balance
                FROM events e JOIN documents d USING (doc_id) WHERE \(real)
                GROUP BY 1, 2 ORDER BY n DESC, abs(balance) DESC, x, y LIMIT ?
                """, arguments: [first, last, limits.pairs])
        func name(_ id: Int64) throws -> String {
            try String.fetchOne(db, sql: "SELECT name FROM actors WHERE actor_id = ?", arguments: [id]) ?? "?"
        }
        let itemSQL = """
            SELECT s.name AS source, t.name AS target, e.action, e.quad, e.weight, COALESCE(e.sentence_text, '') AS sentence,
                   COALESCE(d.title, d.id) AS title, COALESCE(d.source, '') AS outlet, d.day
            FROM events e JOIN documents d USING (doc_id) JOIN actors s ON s.actor_id = e.source_id
            JOIN actors t ON t.actor_id = e.target_id
            """
        func item(_ r: Row) -> EventItem {
            EventItem(
                source: r["source"], target: r["target"], action: r["action"],
                quad: Event.Quad(rawValue: r["quad"]) ?? .verbalCooperation, weight: r["weight"],
                sentence: r["sentence"],
                title: r["title"], outlet: r["outlet"], day: r["day"])
        }
        for r in pairRows {
            let x: Int64 = r["x"], y: Int64 = r["y"]
            var daily: [String: (sum: Double, counts: [Int])] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT d.day, e.quad, COUNT(*) AS n, SUM(e.weight) AS w FROM events e JOIN documents d USING (doc_id)
                    WHERE \(real) AND MIN(e.source_id, e.target_id) = ? AND MAX(e.source_id, e.target_id) = ?
                    GROUP BY d.day, e.quad
                    """, arguments: [first, last, x, y])
            {
                let day: String = row["day"]
                var entry = daily[day] ?? (0, [0, 0, 0, 0])
                entry.sum += row["w"] as Double
                if let q = Event.Quad(rawValue: row["quad"]), let k = Event.Quad.allCases.firstIndex(of: q) {
                    entry.counts[k] += row["n"] as Int
                }
                daily[day] = entry
            }
            let strongest = try Row.fetchAll(
                db,
                sql: itemSQL + """
                     WHERE \(real) AND MIN(e.source_id, e.target_id) = ? AND MAX(e.source_id, e.target_id) = ?
                    ORDER BY abs(e.weight) DESC, d.day DESC, d.id, e.idx LIMIT 3
                    """, arguments: [first, last, x, y]
            ).map(item)
            eventPairs.append(
                EventPair(
                    a: try name(x), b: try name(y), events: r["n"], balance: r["balance"],
                    series: Self.eventSeries(days, daily, window: limits.window), strongest: strongest))
        }
        // The network: the actors of the most events, and the edges between them.
        let nodeRows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.actor_id, a.name,
                       (SELECT COALESCE(SUM(da.mentions), 0) FROM document_actors da JOIN documents d2 USING (doc_id)
                        WHERE da.actor_id = a.actor_id AND d2.day BETWEEN ? AND ?) AS mentions,
                       COUNT(*) AS n
                FROM events e JOIN documents d USING (doc_id) JOIN actors a ON a.actor_id IN (e.source_id, e.target_id)
                WHERE \(real) GROUP BY a.actor_id ORDER BY n DESC, mentions DESC, a.name LIMIT ?
                """, arguments: [first, last, first, last, limits.networkNodes])
        var index: [Int64: Int] = [:]
        for (i, r) in nodeRows.enumerated() {
            index[r["actor_id"]] = i
            network.append(NetworkNode(name: r["name"], mentions: max(1, r["mentions"] as Int)))
        }
        for r in try Row.fetchAll(
            db,
            sql: """
                SELECT MIN(e.source_id, e.target_id) AS x, MAX(e.source_id, e.target_id) AS y, COUNT(*) AS n,
                       SUM(e.weight) AS balance
                FROM events e JOIN documents d USING (doc_id) WHERE \(real) GROUP BY 1, 2 ORDER BY x, y
                """, arguments: period)
        {
            guard let i = index[r["x"]], let j = index[r["y"]], i != j else { continue }
            networkEdges.append(NetworkEdge(a: i, b: j, events: r["n"], balance: r["balance"]))
        }
        // The latest day's strongest events.
        latestEvents = try Row.fetchAll(
            db,
            sql: itemSQL + """
                 WHERE NOT e.negated AND NOT e.hypothetical AND d.day = ?
                ORDER BY abs(e.weight) DESC, d.id, e.idx LIMIT ?
                """, arguments: [last, limits.latestEvents]
        ).map(item)
    }

    /// Daily balances, counts by quad class, and the rolling mean of the daily balance over `window` days.
    static func eventSeries(
        _ days: [String], _ daily: [String: (sum: Double, counts: [Int])], window: Int
    ) -> [EventDay] {
        var out: [EventDay] = []
        for (i, day) in days.enumerated() {
            var sum = 0.0, n = 0
            for j in max(0, i - max(1, window) + 1)...i {
                if let d = daily[days[j]] { sum += d.sum; n += 1 }
            }
            out.append(
                EventDay(
                    day: day, balance: daily[day]?.sum, counts: daily[day]?.counts ?? [0, 0, 0, 0],
                    rolling: n > 0 ? sum / Double(n) : nil))
        }
        return out
    }
}
