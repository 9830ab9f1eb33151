import PipelineCore

/// The canonical actors of a set of documents, most mentioned first (`:actors`): for each, the entity types it was
/// tagged with, its mentions, the documents it is in, and for people the first role and country given.
struct ActorTally {
    /// One actor.
    struct Row {
        /// The canonical name (for a date, its normalised value).
        var actor: String
        /// Mentions per entity type.
        var types: [String: Int] = [:]
        /// Mentions in all.
        var mentions = 0
        /// Ids of the documents that mention it.
        var documents = Set<String>()
        /// The first role given.
        var role: String?
        /// The first country given.
        var country: String?

        /// The types, most frequent first, comma-separated.
        var typeList: String {
            types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key).joined(
                separator: ",")
        }
    }

    /// The actors, most mentioned first, then by name.
    let rows: [Row]

    /// Counts the entities of `documents`: those of `type` (PER, ORG, LOC, MISC, DATE), or every type but DATE when
    /// `type` is empty.
    init(_ documents: [Document], type: String) {
        var rows: [String: Row] = [:]
        var order: [String] = []
        let wanted = type.uppercased()
        for d in documents {
            for e in d.entities ?? [] where wanted.isEmpty ? e.type != "DATE" : e.type == wanted {
                let key = e.type == "DATE" ? (e.value ?? e.text) : (e.canonical ?? e.text)
                if rows[key] == nil {
                    rows[key] = Row(actor: key)
                    order.append(key)
                }
                rows[key]!.types[e.type, default: 0] += 1
                rows[key]!.mentions += 1
                rows[key]!.documents.insert(d.id)
                if rows[key]!.role == nil { rows[key]!.role = e.role }
                if rows[key]!.country == nil { rows[key]!.country = e.country }
            }
        }
        self.rows = order.map { rows[$0]! }.sorted {
            $0.mentions != $1.mentions ? $0.mentions > $1.mentions : $0.actor < $1.actor
        }
    }
}
