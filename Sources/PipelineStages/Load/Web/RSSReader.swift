import CLibXML2
import Foundation

/// Reads RSS items (2.0, 0.9x and 1.0): the feed's own elements (namespace `own`, or none), Dublin Core, `content:`
/// and Atom elements; others (`media:title`) are ignored.
struct RSSReader {
    /// The namespace of the feed's own elements (none for RSS 2.0; the RSS 1.0 or 0.90 namespace under rdf:RDF).
    let own: FeedXML.Namespace
    let budget: FeedXML.Budget

    /// Whether `node` is the feed's own element `local`.
    func isOwn(_ node: xmlNodePtr, _ local: String) -> Bool {
        let (ns, l) = FeedXML.name(node)
        return l == local && (ns == own || ns == .none)
    }

    /// The text of the first own child `local` of `node`.
    func firstText(_ node: xmlNodePtr, _ local: String) throws -> String? {
        for c in FeedXML.children(node) where isOwn(c, local) { return try FeedXML.text(c, budget) }
        return nil
    }

    /// One `<item>`.
    func item(_ node: xmlNodePtr) throws -> FeedParser.Item {
        var item = FeedParser.Item()
        var description: String?, encoded: String?, dcDescription: String?
        var dcTitle: String?, atomLink: String?, permalink: String?
        var dates: [(Int, String)] = []
        for c in FeedXML.children(node) {
            let (ns, local) = FeedXML.name(c)
            let mine = ns == own || ns == .none
            if let p = FeedDates.priority(ns, local, own: mine) {
                if let t = try FeedXML.text(c, budget) { dates.append((p, t)) }
                continue
            }
            switch (mine ? .none : ns, local) {
            case (.none, "title"): item.title = try FeedXML.text(c, budget).map(FeedText.plainOrHTML)
            case (.none, "link"):
                if item.link == nil, let t = try FeedXML.text(c, budget) { item.link = FeedParser.link(t, at: c) }
            case (.none, "guid"):
                item.guid = try FeedXML.text(c, budget)
                if let g = item.guid { permalink = Self.permalink(g, c) }
            case (.none, "description"): description = try FeedXML.text(c, budget)
            case (.none, "author"), (.dc, "creator"), (.dc, "author"):
                if item.author == nil { item.author = try FeedXML.text(c, budget).flatMap(FeedText.plain) }
            case (.none, "category"), (.dc, "subject"):
                if let t = try FeedXML.text(c, budget) { item.categories.append(t) }
            case (.content, "encoded"): encoded = try FeedXML.text(c, budget)
            case (.dc, "title"): dcTitle = try FeedXML.text(c, budget)
            case (.dc, "description"): dcDescription = try FeedXML.text(c, budget)
            case (.atom10, "link"), (.atom03, "link"):
                let rel = c.attributeString("rel") ?? "alternate"
                if atomLink == nil, rel == "alternate", let h = c.attributeString("href") {
                    atomLink = FeedParser.link(h, at: c)
                }
            default: break
            }
        }
        if item.title == nil { item.title = dcTitle.map(FeedText.plainOrHTML) }
        item.link = item.link ?? atomLink ?? permalink
        if item.link == nil, let about = node.attributeString("about") { item.link = FeedParser.link(about, at: node) }
        item.text = (encoded ?? description ?? dcDescription).map(FeedText.plainOrHTML) ?? ""
        if let enc = encoded, !FeedText.looksLikeHTML(enc) {
            // content:encoded is HTML by definition, even without tags that show it.
            item.text = FeedText.html(enc) ?? ""
        }
        if item.title?.isEmpty == true { item.title = nil }
        (item.date, item.rawDate) = FeedDates.choose(dates)
        return item
    }

    /// The link a `<guid>` gives: itself when it is a permalink (`isPermaLink` is "true", or absent and the GUID is
    /// an http(s) URL).
    static func permalink(_ guid: String, _ node: xmlNodePtr) -> String? {
        switch node.attributeString("ispermalink")?.lowercased() {  // attribute names compare in lower case
        case "false": return nil
        case "true": return FeedParser.link(guid, at: node)
        default:
            let l = guid.lowercased()
            return l.hasPrefix("http://") || l.hasPrefix("https://") ? guid : nil
        }
    }
}
