import PipelineCore

/// A document's entities sorted by where they start and by where they end, so that the quote finder's questions
/// ("the person named right after this verb", "the last organisation named before here") are binary searches
/// instead of scans of every entity, which made `extract quotes` quadratic in a document's length.
///
/// "Last" means last in the order of starts, as a reader meets them.
struct EntityLookup {
    /// The entities in the order of their starts (ties in their given order).
    let entities: [Entity]
    /// `entities` indices in the order of their ends, and those ends.
    private let byEnd: [Int]
    private let ends: [Int]
    /// For each prefix of `byEnd`, the greatest `entities` index in it of a person, of a non-person, and of any
    /// entity (-1 for none).
    private let lastPerson: [Int]
    private let lastOther: [Int]
    private let lastAny: [Int]

    /// Which entities ``last(endingBy:_:)`` considers.
    enum Kind { case person, notPerson, any }

    init(_ unsorted: [Entity]) {
        let es = unsorted.enumerated().sorted { a, b in
            a.element.span.start != b.element.span.start
                ? a.element.span.start < b.element.span.start : a.offset < b.offset
        }.map(\.element)
        entities = es
        byEnd = es.indices.sorted { es[$0].span.end != es[$1].span.end ? es[$0].span.end < es[$1].span.end : $0 < $1 }
        ends = byEnd.map { es[$0].span.end }
        var person = -1, other = -1, any = -1
        var lp: [Int] = [], lo: [Int] = [], la: [Int] = []
        lp.reserveCapacity(es.count)
        lo.reserveCapacity(es.count)
        la.reserveCapacity(es.count)
        for k in byEnd {
            if es[k].type == "PER" { person = max(person, k) } else { other = max(other, k) }
            any = max(any, k)
            lp.append(person)
            lo.append(other)
            la.append(any)
        }
        lastPerson = lp
        lastOther = lo
        lastAny = la
    }

    /// The entities that start at or after `from` and before `before`, in order.
    func starting(from: Int, before: Int) -> ArraySlice<Entity> {
        let a = entities.partitionPoint { $0.span.start < from }
        let b = max(a, entities.partitionPoint { $0.span.start < before })
        return entities[a..<b]
    }

    /// The entities that end in `range`, last (in the order of starts) first.
    func ending(in range: ClosedRange<Int>) -> [Entity] {
        let a = ends.partitionPoint { $0 < range.lowerBound }
        let b = ends.partitionPoint { $0 <= range.upperBound }
        return byEnd[a..<b].sorted(by: >).map { entities[$0] }
    }

    /// The last entity of `kind` that ends at or before `position`.
    func last(endingBy position: Int, _ kind: Kind) -> Entity? {
        let n = ends.partitionPoint { $0 <= position }
        guard n > 0 else { return nil }
        let k =
            switch kind {
            case .person: lastPerson[n - 1]
            case .notPerson: lastOther[n - 1]
            case .any: lastAny[n - 1]
            }
        return k >= 0 ? entities[k] : nil
    }
}
