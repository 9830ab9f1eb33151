import CLibXML2
import Foundation
import OrderedCollections
import PipelineCore

/// What a page says about itself: headline, publication date, author, site name, canonical URL and language, from
/// (in order of trust) JSON-LD (`headline`, `datePublished`, `author`, `publisher`), Open Graph and `article:` meta
/// tags, other common meta tags (`date`, `pubdate`, `dc.date`, `author`, `byl`), `<link rel="canonical">`,
/// `<time datetime>` and `<title>` (cleaned of the site name: "Headline | Site" → "Headline").
struct PageMetadata {
    var title: String?
    var published: String?
    var author: String?
    var siteName: String?
    var url: String?
    var language: String?
    var description: String?

    private var metas: [String: String] = [:]
    private var titleTag: String?
    private var timeTag: String?
    private var jsonLD: [JSONValue] = []

    /// Reads the metadata of `page`, looking no deeper than `maxDepth` elements.
    init(_ page: HTMLPage, maxDepth: Int = 256) {
        guard let root = page.root else { return }
        collect(root, depth: 0, maxDepth: maxDepth)
        if let lang = root.attributeString("lang"), !lang.isEmpty { language = lang }
        var ld = JSONLDArticle()
        for v in jsonLD { ld.read(v) }
        func meta(_ names: String...) -> String? {
            for n in names { if let v = metas[n]?.trimmingWhitespace(), !v.isEmpty { return v } }
            return nil
        }
        siteName =
            meta("og:site_name", "application-name", "twitter:site").map {
                $0.hasPrefix("@") ? String($0.dropFirst()) : $0
            } ?? ld.publisher
        title =
            ld.headline ?? meta("og:title", "twitter:title", "headline", "dc.title")
            ?? titleTag.map { Self.cleanTitle($0, site: siteName) }
        // No site name given: the short part of "Headline | Site" names it.
        if siteName == nil, let t = titleTag, let headline = title { siteName = Self.siteName(t, headline: headline) }
        title = title?.trimmingWhitespace()
        if let t = title, t.isEmpty { title = nil }
        published =
            ld.datePublished ?? meta(
                "article:published_time", "og:published_time", "datepublished", "date", "pubdate",
                "publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.created",
                "sailthru.date", "parsely-pub-date", "article.published", "originalpublicationdate")
            ?? timeTag
        author =
            ld.author
            ?? meta("author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator")
            .map { $0.hasPrefix("By ") || $0.hasPrefix("by ") ? String($0.dropFirst(3)) : $0 }
        if let a = author, a.hasPrefix("http") { author = nil }
        url = metas["canonical"] ?? meta("og:url")
        language = language ?? meta("content-language", "og:locale", "language", "dc.language")
        description = meta("description", "og:description")
    }

    /// What separates a headline from the site's name in a `<title>`.
    static let titleSeparators = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "]

    /// The site named beside the headline in a `<title>` ("Headline | Site"): the one other part, if it is short.
    static func siteName(_ raw: String, headline: String) -> String? {
        let t = raw.trimmingWhitespace()
        for sep in titleSeparators where t.contains(sep) {
            let others = t.components(separatedBy: sep).map { $0.trimmingWhitespace() }.filter {
                !$0.isEmpty && $0 != headline
            }
            if others.count == 1, let s = others.first, s.count <= 40, s.count < headline.count { return s }
            return nil
        }
        return nil
    }

    /// "Headline | Site", "Site - Headline" → "Headline": drops the parts that name the site, else keeps the longest.
    static func cleanTitle(_ raw: String, site: String?) -> String {
        let t = raw.trimmingWhitespace()
        for sep in titleSeparators where t.contains(sep) {
            let parts = t.components(separatedBy: sep).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            if let s = site?.lowercased(), !s.isEmpty {
                let kept = parts.filter { $0.lowercased() != s && !s.contains($0.lowercased()) }
                if !kept.isEmpty && kept.count < parts.count { return kept.joined(separator: sep) }
            }
            return parts.max { $0.count < $1.count } ?? t
        }
        return t
    }

    private mutating func collect(_ node: xmlNodePtr, depth: Int, maxDepth: Int) {
        guard depth < maxDepth else { return }
        var child = node.pointee.children
        while let c = child {
            child = c.pointee.next
            guard c.isElement else { continue }
            switch HTMLTag.of(c) {
            case .meta:
                let key =
                    c.attributeString("property") ?? c.attributeString("name") ?? c.attributeString("itemprop")
                    ?? c.attributeString("http-equiv")
                if let k = key?.lowercased(), let v = c.attributeString("content"), metas[k] == nil { metas[k] = v }
            case .link:
                if let rel = c.attributeString("rel")?.lowercased(), rel == "canonical",
                    let href = c.attributeString("href"),
                    metas["canonical"] == nil
                {
                    metas["canonical"] = href
                }
            case .title:
                if titleTag == nil { titleTag = c.text }
            case .time:
                if timeTag == nil, let d = c.attributeString("datetime"), !d.isEmpty { timeTag = d }
            case .script:
                if let type = c.attributeString("type")?.lowercased(), type.contains("ld+json"), jsonLD.count < 16,
                    let s = c.text, let v = try? JSONScanner.parse(s)
                {
                    jsonLD.append(v)
                }
            default:
                if let ip = c.attributeString("itemprop")?.lowercased(), ip == "datepublished",
                    metas["datepublished"] == nil,
                    let v = c.attributeString("datetime") ?? c.attributeString("content")
                {
                    metas["datepublished"] = v
                }
                collect(c, depth: depth + 1, maxDepth: maxDepth)
            }
        }
    }
}

/// The article facts of JSON-LD blocks: the first `Article`-like object (also inside `@graph` or a list) gives
/// headline, datePublished, author and publisher.
private struct JSONLDArticle {
    var headline: String?
    var datePublished: String?
    var author: String?
    var publisher: String?
    private var found = false

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
        "webpage", "scholarlyarticle", "techarticle", "report",
    ]

    mutating func read(_ value: JSONValue, depth: Int = 0) {
        guard depth < 6 else { return }
        if let a = value.arrayValue { for x in a { read(x, depth: depth + 1) }; return }
        guard let o = value.objectValue else { return }
        if let g = o["@graph"] { read(g, depth: depth + 1) }
        let types: [String] =
            (o["@type"]?.stringValue.map { [$0] } ?? o["@type"]?.arrayValue?.compactMap(\.stringValue) ?? []).map {
                $0.lowercased()
            }
        guard types.contains(where: Self.articleTypes.contains) else { return }
        // A WebPage is a fallback: an Article wins over it.
        let isPage = types.allSatisfy { $0 == "webpage" }
        if found && isPage { return }
        if !isPage { found = true }
        if let h = o["headline"]?.stringValue ?? o["name"]?.stringValue, !h.isEmpty, headline == nil || !isPage {
            headline = h
        }
        if let d = o["datePublished"]?.stringValue ?? o["dateCreated"]?.stringValue, datePublished == nil || !isPage {
            datePublished = d
        }
        if let a = Self.name(o["author"]), author == nil || !isPage { author = a }
        if let p = Self.name(o["publisher"]), publisher == nil || !isPage { publisher = p }
    }

    static func name(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        if let s = value.stringValue { return s.isEmpty ? nil : s }
        if let a = value.arrayValue {
            let names = a.compactMap { name($0) }
            return names.isEmpty ? nil : names.joined(separator: ", ")
        }
        return value.objectValue?["name"]?.stringValue
    }
}
