/// A name's first and last words and their number (words are separated by spaces, as `split(separator: " ")` makes
/// them), without an array.
struct WordView {
    /// The first word, the last word (the same for one word; empty for no word).
    let first: Substring, last: Substring
    /// The number of words.
    let count: Int

    init(_ text: String) {
        // Over UTF-8 bytes (a space is one byte, so every boundary is a valid index of the text).
        let utf8 = text.utf8
        var count = 0
        var inWord = false
        var firstRange: Range<String.Index>?
        var lastStart = utf8.startIndex
        var lastRange: Range<String.Index>?
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let space = utf8[i] == 0x20
            if !space && !inWord {
                count += 1
                lastStart = i
            }
            if space && inWord {
                if firstRange == nil { firstRange = lastStart..<i }
                lastRange = lastStart..<i
            }
            inWord = !space
            i = utf8.index(after: i)
        }
        if inWord {
            if firstRange == nil { firstRange = lastStart..<utf8.endIndex }
            lastRange = lastStart..<utf8.endIndex
        }
        self.count = count
        first = firstRange.map { text[$0] } ?? ""
        last = lastRange.map { text[$0] } ?? ""
    }
}
