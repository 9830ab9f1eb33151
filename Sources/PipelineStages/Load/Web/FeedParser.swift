import CLibXML2
import Foundation
import PipelineCore

/// Reads RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 and 0.3 feeds with libxml2's XML parser (recovering from
/// broken markup; never the network, no external entities or DTDs; internal entities expanded within `max_bytes`):
/// the feed's title and link, and each item's title, link, GUID, date, author, categories, and its text —
/// `content:encoded`, Atom `content`, else `description`/`summary`, with HTML in it reduced to text.
///
/// Elements are matched by namespace: the feed's own elements (no namespace, or the root's), Dublin Core (`dc:`,
/// `dcterms:`), `content:encoded`, and Atom elements inside RSS; any other namespace (`media:title`) is ignored.
/// Links resolve against `xml:base` and the feed's address; a GUID that is a permalink (the default) is the link of
/// an item without one. The item's date follows ``FeedDates/priority(_:_:)``.
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
        /// Set when the document ends before its root element does: the items before the cut are read.
        var truncation: String?
    }

    /// Parses `bytes`; `base` (the feed's URL or path) resolves relative links; `limit` bounds the text entity
    /// references may expand to.
    ///
    /// - Throws: ``InputError`` when the bytes are not an RSS or Atom feed, cannot be decoded in the encoding they
    ///   declare, or expand past `limit`.
    static func parse(_ bytes: [UInt8], base: String?, limit: Int = 8_000_000) throws -> Feed {
        let log = FeedXML.ErrorLog()
        let doc = FeedXML.parse(bytes, base: base, log: log)
        defer { if let doc { xmlFreeDoc(doc) } }
        if let e = log.encoding {
            let declared = FeedXML.declaredEncoding(bytes)
            let what =
                declared.map { "readable in the encoding it declares (\($0))" }
                ?? "valid UTF-8 (it declares no encoding)"
            throw InputError(
                "not \(what): line \(e.line): \(e.message); declare the right encoding in the XML prolog "
                    + "(<?xml version=\"1.0\" encoding=\"…\"?>) or convert the file to UTF-8")
        }
        guard let doc else { throw InputError("not an RSS or Atom feed (no XML document)") }
        guard let root = xmlDocGetRootElement(doc) else { throw InputError("not an RSS or Atom feed (empty)") }
        let budget = FeedXML.Budget(limit)
        var feed = Feed()
        let (rootNS, rootName) = FeedXML.name(root)
        switch (rootNS, rootName) {
        case (_, "rss"), (.rdf, "RDF"), (.none, "RDF"), (.none, "rdf"):
            var channel: xmlNodePtr?
            for c in FeedXML.children(root) where FeedXML.name(c).local == "channel" { channel = c; break }
            // RSS 2.0's own elements have no namespace (or the root's); RSS 1.0 and 0.90 ones the RSS namespace,
            // under an rdf:RDF root.
            let own = rootNS == .rdf ? (channel.map { FeedXML.name($0).ns } ?? .rss10) : rootNS
            let r = RSSReader(own: own, budget: budget)
            if let ch = channel {
                feed.title = try r.firstText(ch, "title").map(FeedText.plainOrHTML)
                feed.link = try r.firstText(ch, "link")
            }
            // RSS 2.0 puts items in the channel, RSS 1.0 beside it.
            for h in [channel, root].compactMap({ $0 }) {
                for c in FeedXML.children(h) where r.isOwn(c, "item") { feed.items.append(try r.item(c)) }
            }
        case (.none, "feed"), (.atom10, "feed"), (.atom03, "feed"):
            let r = AtomReader(own: rootNS, budget: budget)
            feed.title = try FeedXML.children(root).first { r.isOwn($0, "title") }.flatMap(r.text)
            feed.link = r.link(root)
            for c in FeedXML.children(root) where r.isOwn(c, "entry") { feed.items.append(try r.entry(c)) }
        default:
            throw InputError("not an RSS or Atom feed (the root element is <\(rootName)>)")
        }
        if let t = log.truncated {
            let inside = t.element.isEmpty ? "in its last tag" : "inside <\(t.element)> (opened on line \(t.line))"
            let n = feed.items.count
            feed.truncation =
                "truncated: it ends \(inside); the \(n) item\(n == 1 ? "" : "s") before the cut \(n == 1 ? "was" : "were") read, "
                + "the last perhaps incomplete"
        }
        // Relative links against xml:base and the feed's address, else the site link the feed gives.
        let siteLink = feed.link.flatMap { URL(string: $0) }?.scheme != nil ? feed.link : nil
        // A link or GUID that is empty (an `href` of white space, mangled markup) is none: the id falls back to the
        // next candidate rather than being empty.
        for i in feed.items.indices {
            if let l = feed.items[i].link { feed.items[i].link = resolve(l, against: base ?? siteLink) }
            if feed.items[i].link?.isEmpty == true { feed.items[i].link = nil }
            if feed.items[i].guid?.trimmingWhitespace().isEmpty == true { feed.items[i].guid = nil }
        }
        return feed
    }

    /// `link` made absolute against `base` when it is relative and the base is an absolute URL.
    static func resolve(_ link: String, against base: String?) -> String {
        let l = link.trimmingWhitespace()
        if let u = URL(string: l), u.scheme != nil { return l }
        guard let b = base, let bu = URL(string: b), bu.scheme != nil, let r = URL(string: l, relativeTo: bu) else {
            return l
        }
        return r.absoluteString
    }

    /// A link written in `node`, resolved against the `xml:base` in effect there (when that is an absolute URL).
    static func link(_ raw: String, at node: xmlNodePtr) -> String {
        guard let b = FeedXML.base(node), URL(string: b)?.scheme != nil else { return raw.trimmingWhitespace() }
        return resolve(raw, against: b)
    }

    /// HTML (or plain text) reduced to its visible text.
    static func htmlText(_ html: String?) -> String? { FeedText.html(html) }
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

    /// When an entry gives several dates, the item's date is the first that reads of, in order: its publication
    /// date (RSS `pubDate`, Atom `published`, Atom 0.3 `issued`, `dcterms:issued`), `dc:date`, its creation date
    /// (Atom 0.3 `created`, `dcterms:created`), then its last change (Atom `updated`, Atom 0.3 `modified`,
    /// `dcterms:modified`). Lower is preferred; nil is not a date element.
    static func priority(_ ns: FeedXML.Namespace, _ local: String, own: Bool) -> Int? {
        switch (ns, local) {
        case (_, "pubDate") where own, (.atom10, "published"), (.atom03, "issued"), (.dcterms, "issued"): return 0
        case (_, "published") where own, (_, "issued") where own: return 0
        case (.dc, "date"): return 1
        case (.atom03, "created"), (.dcterms, "created"), (.dcterms, "date"): return 2
        case (_, "created") where own: return 2
        case (.atom10, "updated"), (.atom03, "modified"), (.dcterms, "modified"): return 3
        case (_, "updated") where own, (_, "modified") where own: return 3
        default: return nil
        }
    }

    /// Picks the item's date from `(priority, raw)` candidates in document order.
    static func choose(_ candidates: [(Int, String)]) -> (date: String?, raw: String?) {
        let ordered = candidates.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        for (_, c) in ordered { if let d = normalize(c.1) { return (d, c.1) } }
        return (nil, ordered.first?.element.1)
    }
}
