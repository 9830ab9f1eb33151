import PipelineCore

/// Tags the sentences of one document with an ``EntityModel`` and turns the tags into entities with code-point spans.
struct EntityTagging {
    let model: EntityModel

    func entities(_ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], tokens: [Span]) -> [Entity] {
        var offsets = ScalarOffsets(buf)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(tokens.count)
        for t in tokens {
            let a = offsets.byte(atScalar: t.start, in: buf)
            ranges.append(a..<max(a, offsets.byte(atScalar: t.end, in: buf)))
        }
        // Tokens of each sentence (both layers are in text order).
        var groups: [Range<Int>] = []
        var k = 0
        for s in sentences {
            while k < tokens.count && tokens[k].start < s.start { k += 1 }
            let first = k
            while k < tokens.count && tokens[k].end <= s.end { k += 1 }
            if k > first { groups.append(first..<k) }
        }
        var tagged: [[Int]] = groups.map { g in
            model.tagger.tag(TokenFeatures(buf, ranges[g], resources: model.resources))
        }
        if let second = model.documentTagger {
            var counts: [UInt64: [Int]] = [:]
            var context = DocumentContext()
            for (g, tags) in zip(groups, tagged) {
                let hashes = ranges[g].map { TokenFeatures.fnv(UnsafeBufferPointer(rebasing: buf[$0]), lowercase: true) }
                context.add(wordHashes: hashes, tags: tags, counts: &counts)
            }
            context = DocumentContext(counts: counts)
            tagged = groups.map { g in
                second.tag(TokenFeatures(buf, ranges[g], resources: model.resources, document: context))
            }
        }
        var out: [Entity] = []
        for (g, tags) in zip(groups, tagged) {
            for span in EntityTags.spans(tags) {
                let a = tokens[g.lowerBound + span.start].start
                let b = tokens[g.lowerBound + span.end - 1].end
                let ra = ranges[g.lowerBound + span.start].lowerBound, rb = ranges[g.lowerBound + span.end - 1].upperBound
                let text = String(decoding: UnsafeBufferPointer(rebasing: buf[ra..<rb]), as: UTF8.self)
                out.append(Entity(span: Span(start: a, end: b), text: text, type: EntityTags.types[span.type]))
            }
        }
        return out
    }
}
