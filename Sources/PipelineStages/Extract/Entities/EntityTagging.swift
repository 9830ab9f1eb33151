import PipelineCore
import PipelineEncoder

/// Tags the sentences of one document with an ``EntityTagger`` (the linear model, the encoder, or both combined) and
/// turns the tags into entities with code-point spans.
struct EntityTagging {
    /// Document-level consistency: a name the tagger found somewhere in the article is a name wherever it appears
    /// untagged (`Hamdan` after `Nour Hamdan`, `al-Saadi` after `Karim al-Saadi`, `Kataib Hezbollah` twice). Single
    /// words must be capitalised (or start with al-/el-) and at least three bytes long. Tokens are compared by the hash
    /// of their exact bytes.
    static func consistent(
        _ tagged: [[Int]], groups: [Range<Int>], buf: UnsafeBufferPointer<UInt8>,
        ranges: [Range<Int>]
    ) -> [[Int]] {
        // Each token's hash once (the scan below looked at each token up to `longest` times).
        let tokenHashes = ranges.map { TokenFeatures.fnv(UnsafeBufferPointer(rebasing: buf[$0]), lowercase: false) }
        func hash(_ i: Int) -> UInt64 { tokenHashes[i] }
        func key(_ r: Range<Int>) -> UInt64 {
            var h: UInt64 = 0x9E37
            for i in r { h = FeatureGazetteer.combine(h, hash(i)) }
            return h
        }
        func nameLike(_ i: Int) -> Bool {
            let r = ranges[i]
            guard r.count >= 3 else { return false }
            let b = buf[r.lowerBound]
            if ByteClass.isUpper(b) || b >= 0xC0 { return true }
            return r.count > 3 && (buf[r.lowerBound] | 0x20 == 0x61 || buf[r.lowerBound] | 0x20 == 0x65)
                && buf[r.lowerBound + 1] | 0x20 == 0x6C && buf[r.lowerBound + 2] == 0x2D  // al- / el-
        }
        // Name key → its type and length in tokens, packed (type << 32 | length): an open-addressing map, since the
        // scan below looks every untagged token up once per length.
        var names = HashKeyMap<Int64>()
        var longest = 1
        func addName(_ k: UInt64, type: Int, length: Int) {
            guard names[k] == nil else { return }
            names[k] = Int64(type) << 32 | Int64(length)
            longest = max(longest, length)
        }
        var surnames = Set<UInt64>()
        for (g, tags) in zip(groups, tagged) {
            for span in EntityTags.spans(tags) {
                let r = (g.lowerBound + span.start)..<(g.lowerBound + span.end)
                guard r.count > 1 || nameLike(r.lowerBound) else { continue }
                addName(key(r), type: span.type, length: r.count)
                // A person's surname alone.
                if span.type == 0, r.count >= 2, nameLike(r.upperBound - 1) {
                    let last = key((r.upperBound - 1)..<r.upperBound)
                    addName(last, type: 0, length: 1)
                    surnames.insert(last)
                }
            }
        }
        guard names.count > 0 else { return tagged }
        var out = tagged
        var keys: [UInt64] = []
        keys.reserveCapacity(longest)
        // A one-word mention of a person's surname is that person, whatever type the tagger gave it.
        for (s, g) in groups.enumerated() {
            for span in EntityTags.spans(out[s]) where span.end - span.start == 1 && span.type != 0 {
                if surnames.contains(key((g.lowerBound + span.start)..<(g.lowerBound + span.end))) {
                    out[s][span.start] = EntityTags.begin(0)
                }
            }
        }
        for (s, g) in groups.enumerated() {
            var i = 0
            let n = g.count
            while i < n {
                guard out[s][i] == 0 else { i += 1; continue }
                var matched = 0
                var type = 0
                var h: UInt64 = 0x9E37
                keys.removeAll(keepingCapacity: true)
                for len in 1...min(longest, n - i) {
                    guard out[s][i + len - 1] == 0 else { break }
                    h = FeatureGazetteer.combine(h, hash(g.lowerBound + i + len - 1))
                    keys.append(h)
                }
                for len in stride(from: keys.count, through: 1, by: -1) {
                    if let t = names[keys[len - 1]], Int(t & 0xFFFF_FFFF) == len {
                        matched = len; type = Int(t >> 32); break
                    }
                }
                if matched == 0 { i += 1; continue }
                out[s][i] = EntityTags.begin(type)
                for k in (i + 1)..<(i + matched) { out[s][k] = EntityTags.inside(type) }
                i += matched
            }
        }
        return out
    }

    let tagger: EntityTagger
    /// Links entities to actors, roles and countries, when given.
    var linker: ActorLinker?

    /// The entities of one document. Checks for an interrupt once per sentence in each pass
    /// (``RunCancellation/checkCurrent()``), so a very long document stops within a fraction of a second.
    func entities(_ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], tokens: [Span]) throws -> [Entity] {
        var none: EmissionCache?
        return try entities(buf, sentences: sentences, tokens: tokens, cache: &none)
    }

    /// The entities of one document, with a worker's ``EmissionCache`` (the same entities as without).
    func entities(
        _ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], tokens: [Span], cache: inout EmissionCache?
    ) throws -> [Entity] {
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
        var tagged: [[Int]]
        // Each sentence's words, for the encoder.
        func words() -> [[Substring]] {
            groups.map { g in
                ranges[g].map { Substring(String(decoding: UnsafeBufferPointer(rebasing: buf[$0]), as: UTF8.self)) }
            }
        }
        switch tagger {
        case .encoder(let model):
            tagged = try EntityTagger.tags(model, sentences: words())
        case .linear(let model):
            tagged = try Self.linearTags(model, buf, groups: groups, ranges: ranges, cache: &cache)
        case .combined(let model, let encoder, let weight):
            let scores = try encoder.scores(words())
            tagged = try Self.linearTags(
                model, buf, groups: groups, ranges: ranges, cache: &cache,
                adding: scores.map { words in words.joined().map { $0 * weight } })
        }
        tagged = Self.consistent(tagged, groups: groups, buf: buf, ranges: ranges)
        var out: [ActorLinker.Mention] = []
        for (g, tags) in zip(groups, tagged) {
            for span in EntityTags.spans(tags) {
                let first = g.lowerBound + span.start, end = g.lowerBound + span.end
                let a = tokens[first].start
                let b = tokens[end - 1].end
                let ra = ranges[first].lowerBound, rb = ranges[end - 1].upperBound
                let text = String(decoding: UnsafeBufferPointer(rebasing: buf[ra..<rb]), as: UTF8.self)
                out.append(
                    .init(
                        entity: Entity(span: Span(start: a, end: b), text: text, type: EntityTags.types[span.type]),
                        tokens: first..<end))
            }
        }
        guard let linker, !out.isEmpty else { return out.map(\.entity) }
        return linker.link(
            out, token: { String(decoding: UnsafeBufferPointer(rebasing: buf[ranges[$0]]), as: UTF8.self) },
            count: ranges.count, span: { tokens[$0] })
    }

    /// The BIO tags of each sentence (`groups` of token `ranges`) with the linear model: both passes fused when the
    /// model has a second, with the worker's ``EmissionCache``.
    private static func linearTags(
        _ model: EntityModel, _ buf: UnsafeBufferPointer<UInt8>, groups: [Range<Int>], ranges: [Range<Int>],
        cache: inout EmissionCache?, adding extra: [[Float]]? = nil
    ) throws -> [[Int]] {
        if let fused = model.fused {
            // Both passes with one look-up per feature; the second adds what the first found in the document. A
            // token whose own features' sums the cache keeps is not given those features (the cache is emptied, if
            // full, before the sentence's features are made, and only grows while its emissions are).
            var features: [TokenFeatures] = []
            var scores: [(first: [Float], second: [Float])] = []
            features.reserveCapacity(groups.count)
            scores.reserveCapacity(groups.count)
            for g in groups {
                try RunCancellation.checkCurrent()
                cache?.makeRoom(for: g.count)
                // (The copy of the cache is gone before the emissions change it: no copy of its storage is made.)
                let f: TokenFeatures = {
                    let kept = cache
                    return TokenFeatures(
                        buf, ranges[g], resources: model.resources,
                        skipping: kept.map { k in { k.start(of: $0) != nil } })
                }()
                features.append(f)
                var e = fused.emissions(f, cache: &cache)
                if let extra {
                    let add = extra[scores.count]
                    for k in add.indices {
                        e.first[k] += add[k]
                        e.second[k] += add[k]
                    }
                }
                scores.append(e)
            }
            let firstTags = try zip(features, scores).map { f, e in
                try RunCancellation.checkCurrent()
                return LinearTagger.viterbi(e.first, n: f.count, transitions: fused.firstTransitions)
            }
            var counts: [UInt64: [Int]] = [:]
            var context = DocumentContext()
            for (f, tags) in zip(features, firstTags) { context.add(wordHashes: f.lowers, tags: tags, counts: &counts) }
            context = DocumentContext(counts: counts)
            return try zip(features, scores).map { f, e in
                try RunCancellation.checkCurrent()
                return fused.secondPass(e.second, f, context)
            }
        }
        return try groups.map { g in
            try RunCancellation.checkCurrent()
            return model.tagger.tag(TokenFeatures(buf, ranges[g], resources: model.resources))
        }
    }
}
