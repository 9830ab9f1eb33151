/// How each word is written in the middle of a sentence in unlabelled news: mostly capitalised (`Reuters`, `Bahia`),
/// mostly in lower case (`showers`, `the`), or both (`Bush`, `bill`). The tagger cannot tell from one sentence
/// whether a capitalised word at a sentence start or in a headline in capitals is a name; this tells it how the
/// word is written where capitals carry no such doubt. Keyed by the FNV hash of the lower-cased word.
struct CaseProfile: Sendable, Equatable {
    /// Class of each word seen at least twice (1–8, see ``learn(_:)``); an absent word is class 0.
    private(set) var table = HashKeyMap<UInt8>()

    init() {}

    /// A word's class: 0 unseen, 1–4 capitalised in under 5 %, under 50 %, under 95 % and at least 95 % of its
    /// mid-sentence occurrences, 5–8 the same for words seen at least ten times.
    @inline(__always) subscript(lowerHash: UInt64) -> UInt8 { table[lowerHash] ?? 0 }

    /// Sets a word's class (for reading a model).
    mutating func set(_ lowerHash: UInt64, class value: UInt8) { table[lowerHash] = value }

    var count: Int { table.count }

    /// Counts, in `texts`, the words that follow a word starting with a lower-case letter (so that neither a sentence
    /// start nor a headline in capitals decides how they are written), tokenised as the pipeline does.
    static func learn(_ texts: [String]) -> CaseProfile {
        let tokenizer = Tokenizer()
        var counts: [UInt64: (capitalised: Int, lower: Int)] = [:]
        for var text in texts {
            text.withUTF8 { p in
                var previousLower = false
                for r in tokenizer.tokenize(p) {
                    let word = UnsafeBufferPointer(rebasing: p[r])
                    let initial = initialCase(word)
                    if previousLower, initial != 0 {
                        let key = TokenFeatures.fnv(word, lowercase: true)
                        var c = counts[key] ?? (0, 0)
                        if initial > 0 { c.capitalised += 1 } else { c.lower += 1 }
                        counts[key] = c
                    }
                    previousLower = initial < 0
                }
            }
        }
        var profile = CaseProfile()
        for key in counts.keys.sorted() {
            let c = counts[key]!
            let total = c.capitalised + c.lower
            guard total >= 2 else { continue }
            let share = Double(c.capitalised) / Double(total)
            let band: UInt8 = share < 0.05 ? 1 : share < 0.5 ? 2 : share < 0.95 ? 3 : 4
            profile.table[key] = band + (total >= 10 ? 4 : 0)
        }
        return profile
    }

    /// 1 when a word starts with a capital letter, -1 with a lower-case one, 0 otherwise (a digit, a mark).
    static func initialCase(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        guard let b = word.first else { return 0 }
        if ByteClass.isUpper(b) { return 1 }
        if ByteClass.isLower(b) { return -1 }
        guard b >= 0xC0 else { return 0 }
        let (scalar, _) = ByteClass.scalar(word, 0)
        if scalar.properties.isUppercase { return 1 }
        if scalar.properties.isLowercase { return -1 }
        return 0
    }
}
