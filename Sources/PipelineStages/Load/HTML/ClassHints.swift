import CLibXML2

/// What an element's `class` and `id` say about it: whether it is page furniture that is never article text
/// (comments, share bars, cookie banners, related links, navigation…), and a weight (+25 for names like `article`,
/// `content`, `story`; −25 for `comment`, `sidebar`, `footer`, `promo`…) that the extractor adds to its score.
enum ClassHints {
    /// Substrings of class/id names of page furniture.
    static let unlikely: [[UInt8]] = [
        "-ad-", "ad-break", "adbox", "advert", "agegate", "banner", "breadcrumb", "combx", "comment", "community",
        "consent", "cookie", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "modal",
        "most-popular", "mostpopular", "newsletter", "outbrain", "pager", "pagination", "paywall", "popup", "promo",
        "recirc", "recommend", "related", "remark", "replies", "rss", "share", "sharing", "shoutbox", "sidebar",
        "signup", "skyscraper", "sponsor", "subscribe", "supplemental", "taboola", "trending",
        "yom-remote",
    ].map { Array($0.utf8) }
    /// Substrings that keep an element even when it also matches ``unlikely`` (`article-header` is not furniture).
    static let maybe: [[UInt8]] = ["and", "article", "body", "column", "content", "main", "shadow", "story"].map {
        Array($0.utf8)
    }
    static let positive: [[UInt8]] = [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story",
    ].map { Array($0.utf8) }
    static let negative: [[UInt8]] = [
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote", "gdpr", "masthead",
        "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper",
        "sponsor", "shopping", "social", "tags", "tool", "widget", "byline", "author", "caption", "credit",
        "newsletter",
    ].map { Array($0.utf8) }

    /// The lower-cased `class` and `id` of an element, joined by a space (empty when it has neither).
    static func names(_ node: xmlNodePtr) -> [UInt8] {
        var out: [UInt8] = []
        for name in [node.attribute("class"), node.attribute("id")] {
            guard var p = name else { continue }
            if !out.isEmpty { out.append(32) }
            while p.pointee != 0 {
                let b = p.pointee
                out.append(b &- 65 < 26 ? b | 0x20 : b)
                p += 1
            }
        }
        return out
    }

    /// Patterns grouped by their first byte, so a name is scanned once per pattern set rather than once per pattern.
    struct PatternSet: Sendable {
        let byFirst: [[[UInt8]]]

        init(_ patterns: [[UInt8]]) {
            var t = [[[UInt8]]](repeating: [], count: 256)
            for p in patterns where !p.isEmpty { t[Int(p[0])].append(p) }
            byFirst = t
        }

        func matches(_ hay: [UInt8]) -> Bool {
            hay.withUnsafeBufferPointer { h in
                for i in 0..<h.count {
                    for p in byFirst[Int(h[i])] where i + p.count <= h.count {
                        var k = 1
                        while k < p.count && h[i + k] == p[k] { k += 1 }
                        if k == p.count { return true }
                    }
                }
                return false
            }
        }
    }

    private static let unlikelySet = PatternSet(unlikely)
    private static let maybeSet = PatternSet(maybe)
    private static let positiveSet = PatternSet(positive)
    private static let negativeSet = PatternSet(negative)
    private static let hiddenStyles = PatternSet([Array("display:none".utf8), Array("visibility:hidden".utf8)])

    /// Whether an element with these names is page furniture.
    static func isUnlikely(_ names: [UInt8]) -> Bool { unlikelySet.matches(names) && !maybeSet.matches(names) }

    /// The class/id weight.
    static func weight(_ names: [UInt8]) -> Int {
        guard !names.isEmpty else { return 0 }
        return (positiveSet.matches(names) ? 25 : 0) - (negativeSet.matches(names) ? 25 : 0)
    }

    /// Whether the element is hidden (`hidden`, `aria-hidden="true"`, or an inline `display:none` /
    /// `visibility:hidden`).
    static func isHidden(_ node: xmlNodePtr) -> Bool {
        if node.attribute("hidden") != nil { return true }
        if let a = node.attribute("aria-hidden"), strcmpStatic(a, "true") { return true }
        guard let s = node.attribute("style") else { return false }
        var compact: [UInt8] = []
        var p = s
        while p.pointee != 0 && compact.count < 512 {
            let b = p.pointee
            if b != 32 && b != 9 { compact.append(b &- 65 < 26 ? b | 0x20 : b) }
            p += 1
        }
        return hiddenStyles.matches(compact)
    }
}
