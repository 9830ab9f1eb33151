/// The features of the tokens of one sentence, as 64-bit hashes: the word and its neighbours (lower-cased and
/// exact), word shapes, prefixes and suffixes, capitalisation in context (sentence-initial, all-capitals headlines),
/// word clusters learned from unlabelled news, how a word is written mid-sentence in unlabelled news (its
/// ``CaseProfile`` class), and gazetteer membership. Computed from UTF-8 bytes, without making
/// strings.
struct TokenFeatures {
    /// Feature hashes of every token, token after token; `offsets[i]..<offsets[i + 1]` are token i's.
    private(set) var hashes: [UInt64] = []
    private(set) var offsets: [Int] = [0]
    /// Each token's lower-cased and shape hashes (what the document features combine).
    private(set) var lowers: [UInt64] = []
    private(set) var shapes: [UInt64] = []
    /// Each token's first `localCount` features depend on its own bytes and capitalisation context only, and
    /// `localKeys[i]` (a hash of those two) tells them apart: tokens with the same key have the same first
    /// features, so their weights' sums can be kept and reused (``EmissionCache``).
    private(set) var localKeys: [UInt64] = []
    private(set) var localCount = 15
    /// Whether token i's own features are among its hashes: false only for the tokens whose key the `skipping`
    /// predicate of ``init(_:_:resources:document:skipping:)`` named (their sums are kept elsewhere).
    private(set) var ownWritten: [Bool] = []

    /// Per-token facts the templates combine.
    private struct Token {
        var lower: UInt64 = 0
        var form: UInt64 = 0
        var shape: UInt64 = 0
        var cluster: UInt32 = 0
        var clusterLength: UInt8 = 0
        var capitalised = false
        var allCaps = false
        var hasLetter = false
        var length = 0
        var gazetteer: UInt32 = 0
        var casing: UInt64 = 0
    }

    /// Computes the features of the tokens `ranges` of `bytes`. A token whose ``localKeys`` entry `skipping` accepts
    /// gets only its features with its neighbours (``ownWritten`` says which): a caller that keeps the sums of those
    /// keys (``EmissionCache``) needs no more.
    init(
        _ bytes: UnsafeBufferPointer<UInt8>, _ ranges: ArraySlice<Range<Int>>, resources: FeatureResources,
        document: DocumentContext? = nil, skipping: ((UInt64) -> Bool)? = nil
    ) {
        let n = ranges.count
        guard n > 0 else { return }
        var tokens = [Token](repeating: Token(), count: n)
        var lettered = 0
        var capsTokens = 0
        for (k, r) in ranges.enumerated() {
            tokens[k] = Self.describe(UnsafeBufferPointer(rebasing: bytes[r]), resources)
            if tokens[k].hasLetter {
                lettered += 1
                if tokens[k].allCaps { capsTokens += 1 }
            }
        }
        if let gazetteer = resources.gazetteer {
            for (k, bits) in gazetteer.memberships(bytes, ranges).enumerated() { tokens[k].gazetteer = bits }
        }
        // A headline in capitals: capitalisation tells little there.
        let headline = lettered >= 2 && capsTokens * 10 >= lettered * 8
        // Each token's feature count, known beforehand, so that the hashes are written straight into their array.
        let hasClusters = resources.clusters != nil
        if let casing = resources.casing {
            for k in 0..<n { tokens[k].casing = UInt64(casing[tokens[k].lower]) }
        }
        let hasCasing = resources.casing != nil
        localCount = 15 + (hasClusters ? 4 : 0) + (hasCasing ? 2 : 0)
        // Each token's key: its exact bytes and capitalisation context.
        var localKeys = self.localKeys
        localKeys.reserveCapacity(n)
        var ownWritten = [Bool](repeating: true, count: n)
        for i in 0..<n {
            let capsContext: UInt64 = headline ? 2 : (i == 0 ? 1 : 0)
            localKeys.append(Self.mix(60 &+ capsContext, tokens[i].form))
            if let skipping, skipping(localKeys[i]) { ownWritten[i] = false }
        }
        var total = 0
        for i in 0..<n {
            total +=
                29 - (ownWritten[i] ? 0 : 15) + (hasClusters ? (ownWritten[i] ? 8 : 4) : 0)
                + (hasCasing ? (ownWritten[i] ? 4 : 2) : 0) + 2 * tokens[i].gazetteer.nonzeroBitCount
                + (document != nil ? 2 : 0)
            if i > 0 && tokens[i - 1].gazetteer != 0 { total += 1 }
            if i + 1 < n && tokens[i + 1].gazetteer != 0 { total += 1 }
        }
        offsets.reserveCapacity(n + 1)
        lowers.reserveCapacity(n)
        shapes.reserveCapacity(n)
        let boundary: UInt64 = 0x5EC7_0B0D
        func lower(_ i: Int) -> UInt64 { i < 0 ? boundary : (i >= n ? boundary &+ 1 : tokens[i].lower) }
        func shape(_ i: Int) -> UInt64 { i < 0 ? boundary : (i >= n ? boundary &+ 1 : tokens[i].shape) }
        func casing(_ i: Int) -> UInt64 { i < 0 ? 9 : (i >= n ? 10 : tokens[i].casing) }
        func cluster(_ i: Int, _ bits: Int) -> UInt64 {
            guard i >= 0 && i < n, tokens[i].clusterLength > 0 else { return i < 0 || i >= n ? 0xB0 : 0xC0 }
            let len = min(bits, Int(tokens[i].clusterLength))
            return UInt64(tokens[i].cluster >> (32 - len)) << 8 | UInt64(len)
        }
        var offsets = self.offsets, lowers = self.lowers, shapes = self.shapes
        hashes = [UInt64](unsafeUninitializedCapacity: total) { out, written in
            let base = out.baseAddress!
            var k = 0
            @inline(__always) func add(_ template: UInt64, _ value: UInt64) {
                precondition(k < total)
                (base + k).initialize(to: Self.mix(template, value))
                k += 1
            }
            for i in 0..<n {
                let t = tokens[i]
                // First the features of the token alone (its bytes and capitalisation context: ``localCount`` of
                // them, keyed by ``localKeys``), unless skipped, then those of its neighbours.
                if ownWritten[i] {
                    let capsContext: UInt64 = headline ? 2 : (i == 0 ? 1 : 0)
                    add(0, 0)
                    add(1, t.lower)
                    add(2, t.form &+ capsContext)
                    add(7, t.shape)
                    // Affixes of the lower-cased bytes, 1 to 4 bytes.
                    let word = UnsafeBufferPointer(rebasing: bytes[ranges[ranges.startIndex + i]])
                    let m = word.count
                    func affix(_ r: Range<Int>) -> UInt64 {
                        Self.fnv(UnsafeBufferPointer(rebasing: word[r]), lowercase: true)
                    }
                    add(12, m >= 1 ? affix(0..<1) : 0)
                    add(13, m >= 2 ? affix(0..<2) : 0)
                    add(14, m >= 3 ? affix(0..<3) : 0)
                    add(15, m >= 4 ? affix(0..<4) : 0)
                    add(16, m >= 1 ? affix((m - 1)..<m) : 0)
                    add(17, m >= 2 ? affix((m - 2)..<m) : 0)
                    add(18, m >= 3 ? affix((m - 3)..<m) : 0)
                    add(19, m >= 4 ? affix((m - 4)..<m) : 0)
                    add(24, capsContext &* 31 &+ t.shape)
                    add(25, capsContext &* 31 &+ t.lower)
                    add(28, UInt64(min(t.length, 12)) &* 4 &+ (t.capitalised ? 1 : 0) &+ (t.allCaps ? 2 : 0))
                    if hasClusters {
                        add(30, cluster(i, 4))
                        add(31, cluster(i, 8))
                        add(32, cluster(i, 12))
                        add(33, cluster(i, 20))
                    }
                    if hasCasing {
                        add(45, t.casing &* 8 &+ capsContext &* 2 &+ (t.capitalised ? 1 : 0))
                        add(46, t.casing &* 31 &+ t.shape)
                    }
                }
                add(3, lower(i - 1))
                add(4, lower(i + 1))
                add(5, lower(i - 2))
                add(6, lower(i + 2))
                add(8, shape(i - 1))
                add(9, shape(i + 1))
                add(10, shape(i - 2) &* 31 &+ shape(i - 1))
                add(11, shape(i + 1) &* 31 &+ shape(i + 2))
                add(20, shape(i - 1) &* 31 &+ t.shape)
                add(21, t.shape &* 31 &+ shape(i + 1))
                add(22, lower(i - 1) &* 31 &+ t.lower)
                add(23, t.lower &* 31 &+ lower(i + 1))
                add(26, lower(i - 1) &* 31 &+ t.shape)
                add(27, t.shape &* 31 &+ lower(i + 1))
                if hasClusters {
                    add(34, cluster(i - 1, 8))
                    add(35, cluster(i + 1, 8))
                    add(36, cluster(i - 1, 12) &* 31 &+ cluster(i, 12))
                    add(37, cluster(i, 12) &* 31 &+ cluster(i + 1, 12))
                }
                if hasCasing {
                    add(47, casing(i - 1) &* 16 &+ t.casing)
                    add(48, t.casing &* 16 &+ casing(i + 1))
                }
                if t.gazetteer != 0 {
                    var g = t.gazetteer
                    while g != 0 {
                        let bit = UInt64(g.trailingZeroBitCount)
                        add(40, bit)
                        add(41, bit &* 31 &+ t.shape)
                        g &= g - 1
                    }
                }
                if i > 0 && tokens[i - 1].gazetteer != 0 { add(42, UInt64(tokens[i - 1].gazetteer)) }
                if i + 1 < n && tokens[i + 1].gazetteer != 0 { add(43, UInt64(tokens[i + 1].gazetteer)) }
                if let document {
                    let (a, b) = Self.documentFeatures(lower: t.lower, shape: t.shape, document)
                    precondition(k + 2 <= total)
                    (base + k).initialize(to: a)
                    (base + k + 1).initialize(to: b)
                    k += 2
                }
                offsets.append(k)
                lowers.append(t.lower)
                shapes.append(t.shape)
            }
            precondition(k == total)
            written = k
        }
        self.offsets = offsets
        self.lowers = lowers
        self.shapes = shapes
        self.localKeys = localKeys
        self.ownWritten = ownWritten
    }

    /// The two document-level features of a token: the label its word got elsewhere in the article, alone and with
    /// the token's shape.
    @inline(__always)
    static func documentFeatures(lower: UInt64, shape: UInt64, _ document: DocumentContext) -> (UInt64, UInt64) {
        let value = document.label(ofWordHash: lower)
        return (mix(50, value), mix(51, value &* 31 &+ shape))
    }

    /// The feature hashes of token `i`.
    @inline(__always) func features(of i: Int) -> ArraySlice<UInt64> { hashes[offsets[i]..<offsets[i + 1]] }

    /// Number of tokens.
    var count: Int { offsets.count - 1 }

    /// Combines a template number and a value into one feature hash (never 0).
    @inline(__always) static func mix(_ template: UInt64, _ value: UInt64) -> UInt64 {
        var z = value &+ template &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z == 0 ? 1 : z
    }

    /// FNV-1a over bytes.
    @inline(__always) static func fnv(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: Bool) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            let c = lowercase && b &- 65 < 26 ? b | 0x20 : b
            h = (h ^ UInt64(c)) &* 0x100_0000_01B3
        }
        return h
    }

    /// The per-token facts of one token's bytes.
    private static func describe(_ bytes: UnsafeBufferPointer<UInt8>, _ resources: FeatureResources) -> Token {
        var t = Token()
        t.lower = fnv(bytes, lowercase: true)
        t.form = fnv(bytes, lowercase: false)
        // Shape: X for upper case, x for lower case, d for digits, the mark itself for ASCII punctuation, u for other
        // (non-ASCII) bytes; runs of the same class collapse to two.
        var shape: UInt64 = 0xCBF2_9CE4_8422_2325
        var last: UInt8 = 0
        var run = 0
        var upper = 0, lowerCount = 0, letters = 0
        var scalars = 0
        for b in bytes {
            let c: UInt8
            if b &- 65 < 26 {
                c = 88; upper += 1; letters += 1
            } else if b &- 97 < 26 {
                c = 120; lowerCount += 1; letters += 1
            } else if b &- 48 < 10 {
                c = 100
            } else if b < 0x80 {
                c = b
            } else if b & 0xC0 == 0x80 {
                continue
            }  // continuation byte
            else {
                c = 117; letters += 1
            }
            scalars += 1
            if c == last { run += 1 } else { run = 1; last = c }
            if run <= 2 { shape = (shape ^ UInt64(c)) &* 0x100_0000_01B3 }
        }
        t.shape = shape
        t.length = scalars
        t.hasLetter = letters > 0
        t.allCaps = upper > 0 && lowerCount == 0
        t.capitalised = bytes.first.map { $0 &- 65 < 26 } ?? false
        if let clusters = resources.clusters, let c = clusters[t.form] {
            t.cluster = c.bits
            t.clusterLength = c.length
        }
        return t
    }
}
