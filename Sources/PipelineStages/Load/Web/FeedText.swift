import Foundation

/// Feed text as text or as HTML. Atom says which (`type="text"`, `"html"`, `"xhtml"`); RSS does not, so its titles
/// and descriptions are read as HTML only when they look like it — a closing tag, an entity, or a tag of HTML's own
/// (`History of the <blink> tag` keeps its `<blink>`, as feed readers show it).
enum FeedText {
    /// HTML (or plain text) reduced to its visible text; nil when empty.
    static func html(_ html: String?) -> String? {
        guard let html, !html.isEmpty else { return nil }
        guard html.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 }) else { return plain(html) }
        guard let page = try? HTMLPage(bytes: Array(("<html><body>" + html + "</body></html>").utf8), url: nil) else {
            return plain(html)
        }
        let t = ArticleExtractor().visibleText(page)
        return t.isEmpty ? nil : t
    }

    /// Plain text with its runs of white space collapsed; nil when empty.
    static func plain(_ text: String?) -> String? {
        guard let text else { return nil }
        let t = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(
            separator: " ")
        return t.isEmpty ? nil : t
    }

    /// RSS text: HTML when it looks like HTML, else plain text.
    static func plainOrHTML(_ text: String) -> String {
        (looksLikeHTML(text) ? html(text) : plain(text)) ?? ""
    }

    /// Elements HTML knows, beyond those the article extractor treats specially.
    private static let inlineTags: Set<String> = [
        "b", "i", "u", "s", "em", "strong", "span", "font", "sup", "sub", "small", "big", "abbr", "acronym", "cite",
        "code", "q", "strike", "del", "ins", "mark", "tt", "kbd", "samp", "var", "dfn", "bdi", "bdo", "wbr", "area",
        "map", "col", "colgroup", "caption", "tbody", "thead", "tfoot", "legend", "fieldset", "ruby", "rt", "rp",
    ]

    /// Whether RSS text is HTML: it has a closing tag, an entity reference or a `<br>`/`<p>`/`<img>`, and every tag
    /// in it is an HTML element.
    static func looksLikeHTML(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.contains(0x3C) || b.contains(0x26) else { return false }
        var hasMarker = false
        var names: [String] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x26 {  // &name; or &#123;
                var j = i + 1
                while j < b.count, j - i < 12, isNameByte(b[j]) || b[j] == 0x23 { j += 1 }
                if j < b.count, b[j] == 0x3B, j > i + 1 { hasMarker = true }
            } else if b[i] == 0x3C {
                var j = i + 1
                let closing = j < b.count && b[j] == 0x2F
                if closing { j += 1 }
                let start = j
                while j < b.count, isNameByte(b[j]) { j += 1 }
                if j > start {
                    let name = String(decoding: b[start..<j], as: UTF8.self).lowercased()
                    names.append(name)
                    if closing || name == "br" || name == "p" || name == "img" { hasMarker = true }
                }
                if j + 1 < b.count, b[j] == 0x2F, b[j + 1] == 0x3E { hasMarker = true }
            }
            i += 1
        }
        guard hasMarker else { return false }
        return names.allSatisfy { HTMLTag.byName[$0] != nil || inlineTags.contains($0) }
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }
}
