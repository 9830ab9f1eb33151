import PipelineCore

/// The sentences of one document as bags of stemmed content words, for the graph and centroid summarizers: word ids
/// (one id per stem, shared by the worker across documents), counts per sentence, and which sentences may be in a
/// summary at all (not a headline, dateline or byline).
struct SentenceVectors {
    /// Per sentence: (stem id, count), sorted by id.
    var bags: [[(id: Int32, count: Float)]] = []
    /// Per sentence: number of content words.
    var lengths: [Int] = []
    /// Per sentence: whether it may be a summary sentence.
    var eligible: [Bool] = []
    /// Per sentence: number of words (content or not), for `words=N`.
    var words: [Int] = []

    var count: Int { bags.count }

    /// No sentences.
    init() {}

    /// Adds another document's sentences after these (a group summarised together).
    mutating func append(_ other: SentenceVectors) {
        bags += other.bags
        lengths += other.lengths
        eligible += other.eligible
        words += other.words
    }

    /// Reads the sentences of `text` (UTF-8 bytes) at code-point spans `sentences`, considering at most `limit`.
    init(_ buf: UnsafeBufferPointer<UInt8>, sentences: [Span], stems: inout StemCache, limit: Int) {
        var offsets = ScalarOffsets(buf)
        for (k, s) in sentences.prefix(limit).enumerated() {
            let a = offsets.byte(atScalar: s.start, in: buf)
            let b = max(a, offsets.byte(atScalar: s.end, in: buf))
            let p = UnsafeBufferPointer(rebasing: buf[a..<b])
            var ids: [Int32] = []
            var content = 0
            var all = 0
            var i = 0
            let n = p.count
            var capitalised = 0
            while i < n {
                // A word: letters, digits, apostrophes and hyphens inside; anything non-ASCII counts as a letter.
                let c = p[i]
                let isWord = c &- 97 < 26 || c &- 65 < 26 || c &- 48 < 10 || c >= 0x80
                if !isWord { i += 1; continue }
                let start = i
                var hasLetter = false
                while i < n {
                    let d = p[i]
                    if d &- 97 < 26 || d &- 65 < 26 || d >= 0x80 {
                        hasLetter = true; i += 1
                    } else if d &- 48 < 10 {
                        i += 1
                    } else if (d == 0x27 || d == 0x2D) && i + 1 < n && (p[i + 1] &- 97 < 26 || p[i + 1] &- 65 < 26) {
                        i += 1
                    } else {
                        break
                    }
                }
                all += 1
                if c &- 65 < 26 { capitalised += 1 }
                guard hasLetter, let id = stems.id(UnsafeBufferPointer(rebasing: p[start..<i])) else { continue }
                ids.append(id)
                content += 1
            }
            // The bag: each id and how often it occurs, by id (sorting the ids beats a dictionary per sentence).
            ids.sort()
            var bag: [(id: Int32, count: Float)] = []
            var j = 0
            while j < ids.count {
                var e = j + 1
                while e < ids.count && ids[e] == ids[j] { e += 1 }
                bag.append((ids[j], Float(e - j)))
                j = e
            }
            bags.append(bag)
            lengths.append(content)
            words.append(all)
            eligible.append(Self.mayBeInASummary(p, words: all, capitalised: capitalised, index: k))
        }
    }

    /// Not a headline (a short first line without final punctuation, or one in capitals), a dateline on its own
    /// (`LONDON 1996-08-30`), or a byline (`By John Smith`).
    static func mayBeInASummary(_ bytes: UnsafeBufferPointer<UInt8>, words: Int, capitalised: Int, index: Int) -> Bool {
        guard words >= 3 else { return false }
        var e = bytes.count
        while e > 0
            && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x0A || bytes[e - 1] == 0x22 || bytes[e - 1] == 0x27
                || bytes[e - 1] == 0x29)
        { e -= 1 }
        let last = e > 0 ? bytes[e - 1] : 0
        let ended = last == 0x2E || last == 0x21 || last == 0x3F || (last == 0x9D && e >= 3)  // . ! ? ”
        if !ended && words <= 15 { return false }
        // A by-line ("By ...").
        if bytes.count >= 3 && (bytes[0] | 0x20) == 0x62 && (bytes[1] | 0x20) == 0x79 && bytes[2] == 0x20 && words <= 6
        {
            return false
        }
        var letters = 0, upper = 0
        for b in bytes where b &- 65 < 26 || b &- 97 < 26 { letters += 1; if b &- 65 < 26 { upper += 1 } }
        if letters >= 8 && upper * 10 >= letters * 8 { return false }  // in capitals
        return true
    }
}

/// Stems and stop words for one worker: word bytes → stem id, with a cache (libstemmer is not thread-safe, so each job
/// slot has its own).
struct StemCache {
    private let stemmer: Stemmer
    private var byWord = HashKeyMap<Int32>()
    private var byStem: [String: Int32] = [:]
    /// Document frequency of each stem id over the documents seen, for IDF (grows with the worker's documents).
    private(set) var stemCount = 0

    init?(language: String) {
        guard let s = Stemmer(language: language) else { return nil }
        stemmer = s
    }

    /// Moves the caches out, leaving this one empty (same stemmer): a caller that mutates a copy while the original
    /// still holds the storage would copy the dictionaries on every first insertion.
    mutating func take() -> StemCache {
        var out = StemCache(stemmer: stemmer)
        swap(&out, &self)
        return out
    }

    private init(stemmer: Stemmer) { self.stemmer = stemmer }

    /// The stem id of a word, or nil for a stop word.
    mutating func id(_ word: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = TokenFeatures.fnv(word, lowercase: true)
        if let id = byWord[h] { return id < 0 ? nil : id }
        let lower = String(decoding: word, as: UTF8.self).lowercased()
        if StopWords.english.contains(lower) || lower.count < 2 {
            byWord[h] = -1
            return nil
        }
        let stem = stemmer.stem(lower)
        let id: Int32
        if let known = byStem[stem] {
            id = known
        } else {
            id = Int32(byStem.count)
            byStem[stem] = id
            stemCount = byStem.count
        }
        byWord[h] = id
        return id
    }
}
