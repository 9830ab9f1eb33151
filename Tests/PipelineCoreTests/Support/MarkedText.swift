/// Test input with position markers: `1️⃣`, `2️⃣`, ... are removed from the text and their 1-based line and column
/// (in Unicode scalars, as the diagnostics count) are recorded, in the style of swift-format's marked-text tests.
struct MarkedText {
    let text: String
    let markers: [String: (line: Int, column: Int)]

    static let symbols = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    init(_ marked: String) {
        var out = ""
        var markers: [String: (Int, Int)] = [:]
        var line = 1
        var column = 1
        var rest = Substring(marked)
        outer: while !rest.isEmpty {
            for m in Self.symbols where rest.hasPrefix(m) {
                markers[m] = (line, column)
                rest = rest.dropFirst(m.count)
                continue outer
            }
            let c = rest.removeFirst()
            out.append(c)
            if c == "\n" { line += 1; column = 1 } else { column += c.unicodeScalars.count }
        }
        text = out
        self.markers = markers
    }

    subscript(_ m: String) -> (line: Int, column: Int) { markers[m]! }
}
