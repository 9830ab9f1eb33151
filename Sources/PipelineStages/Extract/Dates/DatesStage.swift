import OrderedCollections
import PipelineCore

/// `extract dates`: date expressions as `DATE` entities with a normalised `value` (`2020-08-26`, `2020-03`,
/// `2020-W35`, `2020`), relative ones resolved against the document's date (from the loader or a `Date:` header).
/// Added to the entities layer (after `extract entities`, whose entities it keeps).
public struct DatesStage: ExtractStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "dates",
        help:
            "dates, absolute and relative (on Friday, last March, two days ago), as DATE entities with a normalised value",
        requires: [.sentences, .tokens], provides: [.entities])

    /// Nothing to configure.
    public init(options: StageOptions, context: StageContext) throws {}

    /// Adds DATE entities.
    public func process(_ document: inout Document) throws {
        let resolver = DateResolver(documentDate: document.date)
        let tokens = document.tokens ?? []
        let scalars = document.text.unicodeScalarArray
        var slicer = TextSlicer(document.text)
        func text(_ span: Span) -> String { slicer.slice(span) }
        var entities = document.entities ?? []
        var added: [Entity] = []
        // Whether a span overlaps an entity, by binary search: entities by start, with the furthest end so far.
        let byStart = entities.map(\.span).sorted { $0.start < $1.start }
        var furthest: [Int] = []
        furthest.reserveCapacity(byStart.count)
        for s in byStart { furthest.append(max(furthest.last ?? .min, s.end)) }
        func overlapsEntity(_ span: Span) -> Bool {
            let n = byStart.partitionPoint { $0.start < span.end }
            return n > 0 && furthest[n - 1] > span.start
        }
        var k = 0
        var checked = 0
        for sentence in document.sentences ?? [] {
            while k < tokens.count && tokens[k].start < sentence.start { k += 1 }
            let first = k
            while k < tokens.count && tokens[k].end <= sentence.end { k += 1 }
            guard k > first else { continue }
            checked += 1
            if checked % 256 == 0 { try RunCancellation.checkCurrent() }
            // Most sentences hold no date: look for a word that every date expression needs before making strings.
            guard tokens[first..<k].contains(where: { DateTriggers.mayStartDate(scalars, $0) }) else { continue }
            let words = tokens[first..<k].map { text($0).lowercased() }
            for m in resolver.find(words) {
                let span = Span(
                    start: tokens[first + m.tokens.lowerBound].start, end: tokens[first + m.tokens.upperBound - 1].end)
                if overlapsEntity(span) { continue }
                var e = Entity(span: span, text: text(span), type: "DATE")
                if let v = m.value { e.value = v }
                added.append(e)
            }
        }
        guard !added.isEmpty || document.entities == nil else { return }
        entities += added
        entities.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.span.end < $1.span.end }
        document.entities = entities
    }
}
