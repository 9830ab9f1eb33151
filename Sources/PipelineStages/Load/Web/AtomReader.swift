import CLibXML2
import Foundation

/// Reads Atom 1.0 and 0.3 entries: text constructs by their `type` (and Atom 0.3 `mode`), links by `rel`, dates by
/// ``FeedDates/priority(_:_:own:)``.
struct AtomReader {
    /// The feed's namespace (Atom 1.0, 0.3, or none).
    let own: FeedXML.Namespace
    let budget: FeedXML.Budget

    /// Whether `node` is the feed's own element `local`.
    func isOwn(_ node: xmlNodePtr, _ local: String) -> Bool {
        let (ns, l) = FeedXML.name(node)
        return l == local && (ns == own || ns == .none || ns == .atom10 || ns == .atom03)
    }

    /// One `<entry>`.
    func entry(_ node: xmlNodePtr) throws -> FeedParser.Item {
        var item = FeedParser.Item()
        var summary: String?, content: String?, dcTitle: String?, dcCreator: String?
        var dates: [(Int, String)] = []
        for c in FeedXML.children(node) {
            let (ns, local) = FeedXML.name(c)
            let mine = ns == own || ns == .none || ns == .atom10 || ns == .atom03
            if let p = FeedDates.priority(ns == own ? .none : ns, local, own: mine) {
                if let t = try FeedXML.text(c, budget) { dates.append((p, t)) }
                continue
            }
            switch (mine ? .none : ns, local) {
            case (.none, "title"): item.title = try text(c)
            case (.none, "id"): item.guid = try FeedXML.text(c, budget)
            case (.none, "author"):
                if item.author == nil, let n = FeedXML.children(c).first(where: { isOwn($0, "name") }) {
                    item.author = try FeedXML.text(n, budget).flatMap(FeedText.plain)
                }
            case (.none, "category"):
                if let t = try c.attributeString("term") ?? FeedXML.text(c, budget), !t.isEmpty {
                    item.categories.append(t)
                }
            case (.none, "summary"): summary = try text(c)
            case (.none, "content"): content = try text(c)
            case (.dc, "title"): dcTitle = try FeedXML.text(c, budget)
            case (.dc, "creator"): dcCreator = try FeedXML.text(c, budget)
            default: break
            }
        }
        if item.title == nil { item.title = dcTitle.flatMap(FeedText.plain) }
        if item.author == nil { item.author = dcCreator.flatMap(FeedText.plain) }
        item.link = link(node)
        item.text = content ?? summary ?? ""
        (item.date, item.rawDate) = FeedDates.choose(dates)
        return item
    }

    /// A text construct as text: `type="text"` (the default) is plain text, `html` is HTML reduced to text, `xhtml`
    /// is the markup inside rendered; Atom 0.3's `mode="escaped"` holds escaped markup and `mode="base64"` encoded
    /// bytes, with `type` a MIME type.
    func text(_ node: xmlNodePtr) throws -> String? {
        let type = (node.attributeString("type") ?? "text").lowercased()
        let mode = node.attributeString("mode")?.lowercased()
        let isHTML = type == "html" || type == "text/html"
        let isXHTML = type == "xhtml" || type == "application/xhtml+xml"
        if mode == "base64" {
            guard let encoded = try FeedXML.text(node, budget),
                let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters)
            else { return nil }
            let decoded = String(decoding: data, as: UTF8.self)
            return isHTML || isXHTML ? FeedText.html(decoded) : FeedText.plain(decoded)
        }
        if isXHTML && mode != "escaped" {
            let markup = FeedXML.innerMarkup(node)
            if let m = markup { try budget.spend(m.utf8.count) }
            return FeedText.html(markup)
        }
        let raw = try FeedXML.text(node, budget)
        return isHTML || mode == "escaped" ? FeedText.html(raw) : FeedText.plain(raw)
    }

    /// The `href` of a `link rel="alternate"` child of `node` (or of a link without `rel`), resolved against its
    /// `xml:base`; else the first other link that is not `self` or an enclosure.
    func link(_ node: xmlNodePtr) -> String? {
        var fallback: String?
        for c in FeedXML.children(node) where isOwn(c, "link") {
            let rel = c.attributeString("rel") ?? "alternate"
            guard let h = c.attributeString("href") else { continue }
            if rel == "alternate" { return FeedParser.link(h, at: c) }
            if fallback == nil, rel != "self", rel != "enclosure" { fallback = FeedParser.link(h, at: c) }
        }
        return fallback
    }
}
