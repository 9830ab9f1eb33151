import CLibXML2
import Foundation
import PipelineCore

/// Reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds with libxml2's XML parser (recovering from broken markup; never the
/// network, no external entities or DTDs): the feed's title and link, and each item's title, link (resolved against
/// the feed's address), GUID, date, author, categories, and its text — `content:encoded`, Atom `content`, else
/// `description`/`summary`, with HTML in it reduced to text.
struct FeedParser {
    /// One feed entry.
    struct Item: Sendable {
        var title: String?
        var link: String?
        var guid: String?
        var date: String?
        var rawDate: String?
        var author: String?
        var categories: [String] = []
        var text: String = ""
    }

    /// A parsed feed.
    struct Feed: Sendable {
        var title: String?
        var link: String?
        var items: [Item] = []
    }

    /// Parses `bytes`; `base` (the feed's URL or path) resolves relative links.
    ///
    /// - Throws: ``InputError`` when the bytes are not an RSS or Atom feed.
    static func parse(_ bytes: [UInt8], base: String?) throws -> Feed {
        _ = HTMLPage.libraryReady
        let options = Int32(
            bitPattern: XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
                | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) {
                xmlReadMemory($0.baseAddress, Int32(clamping: $0.count), base, nil, options)
            }
        }
        guard let doc else { throw InputError("not an RSS or Atom feed (no XML document)") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw InputError("not an RSS or Atom feed (empty)") }
        var feed = Feed()
        let rootName = localName(root)
        switch rootName {
        case "rss", "rdf":
            var channel: xmlNodePtr?
            for c in children(root) where localName(c) == "channel" { channel = c; break }
            if let ch = channel {
                feed.title = childText(ch, "title")
                feed.link = childText(ch, "link")
            }
            // RSS 2.0 puts items in the channel, RSS 1.0 beside it.
            let holders = [channel, root].compactMap { $0 }
            for h in holders { for c in children(h) where localName(c) == "item" { feed.items.append(rssItem(c)) } }
        case "feed":
            feed.title = childText(root, "title")
            feed.link = atomLink(root)
            for c in children(root) where localName(c) == "entry" { feed.items.append(atomEntry(c)) }
        default:
            throw InputError("not an RSS or Atom feed (the root element is <\(rootName)>)")
        }
        // Relative links against the feed's address (as XML base URIs are), else the site link it gives.
        let baseURL = base ?? (feed.link.flatMap { URL(string: $0) }?.scheme != nil ? feed.link : nil)
        for i in feed.items.indices {
            if let l = feed.items[i].link { feed.items[i].link = resolve(l, against: baseURL) }
        }
        return feed
    }

    static func resolve(_ link: String, against base: String?) -> String {
        let l = link.trimmingWhitespace()
        if let u = URL(string: l), u.scheme != nil { return l }
        guard let b = base, let bu = URL(string: b), bu.scheme != nil, let r = URL(string: l, relativeTo: bu) else {
            return l
        }
        return r.absoluteString
    }

    private static func rssItem(_ node: xmlNodePtr) -> Item {
        var item = Item()
        var description: String?
        var encoded: String?
        for c in children(node) {
            switch localName(c) {
            case "title": item.title = htmlText(c.text)
            case "link": item.link = item.link ?? c.text
            case "guid": item.guid = c.text
            case "about": break
            case "pubDate", "date", "published", "issued": item.rawDate = item.rawDate ?? c.text
            case "author", "creator": item.author = item.author ?? c.text
            case "category", "subject": if let t = c.text { item.categories.append(t) }
            case "description": description = c.text
            case "encoded": encoded = c.text
            default: break
            }
        }
        if item.link == nil, let about = node.attributeString("about") { item.link = about }
        item.text = htmlText(encoded ?? description) ?? ""
        item.date = item.rawDate.flatMap(FeedDates.normalize)
        return item
    }

    private static func atomEntry(_ node: xmlNodePtr) -> Item {
        var item = Item()
        var summary: String?
        var content: String?
        for c in children(node) {
            switch localName(c) {
            case "title": item.title = htmlText(c.text)
            case "id": item.guid = c.text
            case "published": item.rawDate = c.text
            case "updated": if item.rawDate == nil { item.rawDate = c.text }
            case "author": item.author = item.author ?? childText(c, "name")
            case "category": if let t = c.attributeString("term") ?? c.text, !t.isEmpty { item.categories.append(t) }
            case "summary": summary = atomText(c)
            case "content": content = atomText(c)
            default: break
            }
        }
        item.link = atomLink(node)
        item.text = htmlText(content ?? summary) ?? ""
        item.date = item.rawDate.flatMap(FeedDates.normalize)
        return item
    }

    /// Atom text constructs: `type="xhtml"` holds markup as elements, `html` as escaped text, `text` as plain text.
    private static func atomText(_ node: xmlNodePtr) -> String? {
        if node.attributeString("type") == "xhtml" {
            let buffer = xmlBufferCreate()
            defer { xmlBufferFree(buffer) }
            var c = node.pointee.children
            while let x = c { xmlNodeDump(buffer, node.pointee.doc, x, 0, 0); c = x.pointee.next }
            guard let content = xmlBufferContent(buffer) else { return nil }
            return String(cString: content)
        }
        if node.attributeString("type") == "text" { return node.text.map(escape) }
        return node.text
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }

    /// The `href` of an entry's `link rel="alternate"` (or a link without `rel`).
    private static func atomLink(_ node: xmlNodePtr) -> String? {
        var fallback: String?
        for c in children(node) where localName(c) == "link" {
            let rel = c.attributeString("rel") ?? "alternate"
            if rel == "alternate", let h = c.attributeString("href") { return h }
            if fallback == nil, rel != "self", rel != "enclosure", let h = c.attributeString("href") { fallback = h }
        }
        return fallback
    }

    /// HTML (or plain text) reduced to its visible text.
    static func htmlText(_ html: String?) -> String? {
        guard let html, !html.isEmpty else { return nil }
        guard html.contains("<") || html.contains("&") else { return collapse(html) }
        guard let page = try? HTMLPage(bytes: Array(("<html><body>" + html + "</body></html>").utf8), url: nil) else {
            return collapse(html)
        }
        let t = ArticleExtractor().visibleText(page)
        return t.isEmpty ? nil : t
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    static func localName(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    static func children(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = node.pointee.children
        while let x = c {
            if x.isElement { out.append(x) }
            c = x.pointee.next
        }
        return out
    }

    static func childText(_ node: xmlNodePtr, _ name: String) -> String? {
        for c in children(node) where localName(c) == name { return c.text }
        return nil
    }
}

/// Feed dates: RFC 822 (`Tue, 10 Jun 2003 04:00:00 GMT`, RSS) and ISO 8601 (`2003-06-10T04:00:00Z`, Atom and
/// `dc:date`), to `YYYY-MM-DD` as written (the day in the feed's own time zone); nil when not a date.
enum FeedDates {
    static func normalize(_ raw: String) -> String? {
        let t = raw.trimmingWhitespace()
        guard !t.isEmpty else { return nil }
        guard let d = DateNormalizer.normalize(t), d.count == 10 else { return nil }
        return d
    }
}
