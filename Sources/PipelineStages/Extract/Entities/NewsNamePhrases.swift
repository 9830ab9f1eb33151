/// Names of several words that unlabelled news writes again and again in capitals mid-sentence (`Federal Reserve`,
/// `Bank of England`, `New York Stock Exchange`): a list for the tagger's gazetteer features, so that it knows where a
/// name it never saw tagged begins and ends. A phrase is a run of capitalised words, with `of`, `for`, `and`, `the`,
/// `de` inside it, that follows a word starting with a lower-case letter (so neither a sentence start nor a headline
/// in capitals), kept when it is seen at least `minCount` times.
enum NewsNamePhrases {
    static let inside: WordSet = ["of", "for", "and", "the", "de"]

    /// The phrases of `texts`, tokenised as the pipeline does, most frequent first (ties in order of first sight).
    static func learn(_ texts: [String], minCount: Int = 3, maxWords: Int = 6) -> [[String]] {
        let tokenizer = Tokenizer()
        var counts: [[String]: Int] = [:]
        var order: [[String]] = []
        for var text in texts {
            text.withUTF8 { p in
                let tokens = tokenizer.tokenize(p).map { UnsafeBufferPointer(rebasing: p[$0]) }
                var i = 1
                while i < tokens.count {
                    guard CaseProfile.initialCase(tokens[i - 1]) < 0, CaseProfile.initialCase(tokens[i]) > 0 else {
                        i += 1
                        continue
                    }
                    // The run of capitalised words (and joining words between two of them) from i.
                    var end = i + 1
                    var last = i + 1
                    while end < tokens.count {
                        let c = CaseProfile.initialCase(tokens[end])
                        if c > 0 {
                            end += 1
                            last = end
                        } else if inside.contains(String(decoding: tokens[end], as: UTF8.self)) {
                            end += 1
                        } else {
                            break
                        }
                    }
                    let words = (i..<last).map { String(decoding: tokens[$0], as: UTF8.self) }
                    if words.count >= 2, words.count <= maxWords,
                        !words.contains(where: { w in w.count > 1 && w.uppercased() == w })
                    {
                        if counts[words] == nil { order.append(words) }
                        counts[words, default: 0] += 1
                    }
                    i = max(last, i + 1)
                }
            }
        }
        let kept = order.filter { counts[$0]! >= minCount }
        return kept.enumerated().sorted { a, b in
            counts[a.element]! != counts[b.element]! ? counts[a.element]! > counts[b.element]! : a.offset < b.offset
        }.map(\.element)
    }
}
