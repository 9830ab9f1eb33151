/// "Did you mean ...?" suggestions by edit distance.
public enum Suggest {
    /// Levenshtein distance between two strings (by Unicode scalar, case-insensitive).
    public static func editDistance(_ text: String, _ b: String) -> Int {
        let x = Array(text.lowercased().unicodeScalars)
        let y = Array(b.lowercased().unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The candidate closest to `word`, if it is close enough to be a plausible typo (distance at most a third of the
    /// word's length, at least 1; a prefix match also counts).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        let limit = max(1, min(3, (word.count + 2) / 3))
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(word, c)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        if let b = best { return b.0 }
        if word.count >= 3, let p = candidates.first(where: { $0.lowercased().hasPrefix(word.lowercased()) }) {
            return p
        }
        return nil
    }

    /// `"; did you mean 'x'?"` or an empty string.
    public static func hint(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
