import OrderedCollections
import PipelineCore

/// Renders an ``ActorTally`` (`:actors`): a table for people, or one JSON object per actor.
struct ActorRenderer {
    /// The output width for the table.
    let width: Int

    /// The table, with a line of totals.
    func table(_ tally: ActorTally, documents: Int) -> String {
        let table = TableFormatter(
            headers: ["actor", "types", "mentions", "docs", "role", "country"],
            rows: tally.rows.map { r in
                [r.actor, r.typeList, String(r.mentions), String(r.documents.count), r.role ?? "", r.country ?? ""]
            }, numeric: [2, 3])
        return table.render(width: width) + "\n\(tally.rows.count) actors in \(documents) documents"
    }

    /// One JSON object per line.
    func json(_ tally: ActorTally) -> String {
        tally.rows.map { r in
            var o = OrderedDictionary<String, JSONValue>()
            o["actor"] = .string(r.actor)
            o["types"] = .string(r.typeList)
            o["mentions"] = .int(r.mentions)
            o["documents"] = .int(r.documents.count)
            if let role = r.role { o["role"] = .string(role) }
            if let c = r.country { o["country"] = .string(c) }
            return JSONValue.object(o).jsonText
        }.joined(separator: "\n")
    }
}
