/// Helpers for Tab completion.
public enum Completion {
    /// The word before the cursor (after the last space), the part completion replaces.
    public static func lastWord(_ text: String) -> String {
        guard let space = text.lastIndex(where: { $0 == " " || $0 == "\t" }) else { return text }
        return String(text[text.index(after: space)...])
    }

    /// The longest common prefix of `words`.
    public static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// `words` laid out in columns that fit `width`.
    public static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        var out = ""
        for (i, w) in words.enumerated() {
            out += w.padding(toLength: cell, withPad: " ", startingAt: 0)
            if (i + 1) % perRow == 0 || i == words.count - 1 {
                while out.hasSuffix(" ") { out.removeLast() }
                if i != words.count - 1 { out += "\n" }
            }
        }
        return out
    }
}
