import CLibXML2

/// Finds the article in a parsed page and renders it as plain text, paragraphs separated by blank lines.
///
/// 1. **Measure** (one pass): every element gets its visible text length (whitespace collapsed), the part of it
///    inside links, its commas, and counts of paragraphs, images, list items and form fields below it. Scripts,
///    styles, navigation, asides, footers, forms' controls, hidden elements and page furniture named by `class`/`id`
///    (comments, share bars, cookie banners, related links; ``ClassHints``) are left out with their subtrees.
/// 2. **Score**: each paragraph (`p`, `pre`, `td`, a `div` with no block inside, or text written straight into a
///    block beside other blocks) of 25 characters or more is worth 1 + its commas + one per 100 characters (at most
///    3), given in full to its parent, half to its grandparent and a sixth to the next ancestor; an ancestor starts
///    from a bonus by tag (`div` +5, `pre`/`td`/`blockquote` +3, lists and forms −3, headings −5) and its class/id
///    weight. The final score is scaled by the share of text outside links; the best-scoring element is the article,
///    unless three near-best elements share an ancestor (a story split into chunks: the ancestor is), or an ancestor
///    scores higher (it is).
/// 3. **Gather**: siblings of the article that score at least a fifth of it (or 10), and sibling paragraphs that read
///    like prose (long with few links, or short with no link and a full stop), join it.
/// 4. **Render**: the text of the gathered elements, leaving out inside them what still looks like furniture
///    (link lists, short lines that are all link, image galleries, form-heavy blocks, negative class weights, the
///    `h1` headline, figure captions);
///    block elements start new paragraphs, `br`, list items and table rows new lines.
///
/// When that yields under 250 characters on a page with far more text, the measure is redone without the
/// `class`/`id` furniture rule (some sites name their article container `main-content-header`).
struct ArticleExtractor {
    /// Elements nested deeper than this are ignored (with their subtrees).
    var maxDepth = 256

    /// The thresholds of the steps above, by name (Readability's values, kept where the HTML benchmark agreed).
    enum Limits {
        /// Text shorter than this (characters) is not a paragraph that scores.
        static let minParagraph: Int32 = 25
        /// An extraction shorter than this (bytes) is redone without the class/id furniture rule...
        static let retryBelow = 250
        /// ...and the second one is kept when it is longer than twice the first plus this.
        static let retryMargin = 250
        /// A sibling joins the article when it scores this share of the article's score (or ``minSiblingScore``)...
        static let siblingShare = 0.2
        /// ...or at least this.
        static let minSiblingScore = 10.0
        /// A sibling paragraph longer than this (characters) joins with a link density under ``proseLinkDensity``; a
        /// shorter one only when it has no link and reads like a sentence.
        static let longSiblingParagraph: Int32 = 80
        /// The link density under which a long sibling paragraph is prose.
        static let proseLinkDensity = 0.25
        /// Elements within this share of the best score are its rivals (three under one ancestor make it the article).
        static let rivalShare = 0.75
        /// A paragraph or list item shorter than this (characters)...
        static let shortLinkLine: Int32 = 160
        /// ...whose link density is at least this is a line of links, not article text.
        static let linkLineDensity = 0.75
        /// List items count against a block only beyond this many (Readability's `li - 100`).
        static let listItemAllowance = 100.0
        /// Class/id weight under which a block with links (density over ``lightLinkDensity``) is furniture, and from
        /// which it takes a density over ``heavyLinkDensity``.
        static let weightBar: Int16 = 25
        /// See ``weightBar``.
        static let lightLinkDensity = 0.2
        /// See ``weightBar``.
        static let heavyLinkDensity = 0.5
    }

    private struct Stats {
        var node: xmlNodePtr
        var parent: Int32
        var tag: HTMLTag
        var weight: Int16 = 0
        var removed = false
        var blockInside = false
        var scored = false
        var textLength: Int32 = 0
        var linkLength: Int32 = 0
        var headingLength: Int32 = 0
        var listLength: Int32 = 0
        /// Text directly inside (text nodes and inline elements): a paragraph of its own when blocks sit beside it.
        var inlineLength: Int32 = 0
        var inlineCommas: Int32 = 0
        var commas: Int32 = 0
        var paragraphs: Int32 = 0
        var images: Int32 = 0
        var items: Int32 = 0
        var inputs: Int32 = 0
        var embeds: Int32 = 0
        var score = 0.0

        var linkDensity: Double { textLength > 0 ? Double(linkLength) / Double(textLength) : 0 }
    }

    /// What the extraction found.
    struct Result {
        /// The article text.
        var text: String
        /// Whether the page had so little structure that all of its visible text was taken.
        var wholePage: Bool
        /// Whether some elements were deeper than the depth limit.
        var truncatedDepth: Bool
    }

    /// Extracts the article of `page`.
    func extract(_ page: HTMLPage) -> Result {
        guard let root = page.root else { return Result(text: "", wholePage: true, truncatedDepth: false) }
        var run = Run(maxDepth: maxDepth, furniture: true)
        var result = run.extract(root)
        if result.text.utf8.count < Limits.retryBelow {
            var loose = Run(maxDepth: maxDepth, furniture: false)
            let second = loose.extract(root)
            if second.text.utf8.count > result.text.utf8.count * 2 + Limits.retryMargin { result = second }
        }
        return result
    }

    /// All visible text of `page` (scripts, styles and hidden elements left out), for HTML fragments such as a
    /// feed item's description, where there is no page furniture to remove.
    func visibleText(_ page: HTMLPage) -> String {
        guard let root = page.root else { return "" }
        var run = Run(maxDepth: maxDepth, furniture: false)
        return run.visibleText(root)
    }

    private struct Run {
        let maxDepth: Int
        let furniture: Bool
        var stats: [Stats] = []
        var truncated = false
        /// The page's `<title>`, lower-cased with whitespace collapsed: a heading it contains is the headline.
        var pageTitle = ""

        init(maxDepth: Int, furniture: Bool) {
            self.maxDepth = maxDepth
            self.furniture = furniture
            stats.reserveCapacity(4096)
        }

        mutating func extract(_ root: xmlNodePtr) -> Result {
            _ = measure(root, parent: -1, depth: 0)
            defer { clearMarks() }
            // Score paragraphs into their ancestors; text written straight into a block beside other blocks (`text<br>
            // text<div>…</div>`) is a paragraph whose parent is that block.
            for i in stats.indices where !stats[i].removed {
                let paragraph = stats[i].textLength >= Limits.minParagraph && isParagraph(i)
                let loose =
                    !paragraph && stats[i].blockInside && stats[i].inlineLength >= Limits.minParagraph
                    && stats[i].tag != .body && stats[i].tag != .html
                guard paragraph || loose else { continue }
                let length = paragraph ? stats[i].textLength : stats[i].inlineLength
                let commas = paragraph ? stats[i].commas : stats[i].inlineCommas
                let s = 1 + Double(commas) + min(Double(length) / 100, 3)
                var a = paragraph ? stats[i].parent : Int32(i)
                var level = 0
                while a >= 0 && level < 3 {
                    let k = Int(a)
                    if !stats[k].scored {
                        stats[k].scored = true
                        stats[k].score = Self.tagBonus(stats[k].tag) + Double(stats[k].weight)
                    }
                    stats[k].score += s / (level == 0 ? 1 : (level == 1 ? 2 : 6))
                    a = stats[k].parent
                    level += 1
                }
            }
            var top = -1
            var topScore = -Double.infinity
            for i in stats.indices where stats[i].scored && !stats[i].removed {
                let f = stats[i].score * (1 - stats[i].linkDensity)
                stats[i].score = f
                if f > topScore { topScore = f; top = i }
            }
            if top >= 0 { top = refine(top) }
            if top >= 0 { topScore = stats[top].score }
            var out = TextBuilder()
            guard top >= 0 else {
                // No paragraph anywhere: all visible text.
                if let body = stats.firstIndex(where: { $0.tag == .body }) ?? (stats.isEmpty ? nil : 0) {
                    render(body, into: &out, clean: false)
                }
                return Result(text: out.text, wholePage: true, truncatedDepth: truncated)
            }
            // The article and its siblings.
            let parent = stats[top].parent
            guard parent >= 0 else {
                render(top, into: &out, clean: true)
                return Result(text: out.text, wholePage: false, truncatedDepth: truncated)
            }
            let threshold = max(Limits.minSiblingScore, topScore * Limits.siblingShare)
            let topClass = stats[top].node.attributeString("class") ?? ""
            var child = stats[Int(parent)].node.pointee.children
            while let c = child {
                child = c.pointee.next
                guard let i = index(c), !stats[i].removed else { continue }
                var keep = i == top
                if !keep {
                    var bonus = 0.0
                    if !topClass.isEmpty, c.attributeString("class") == topClass {
                        bonus = topScore * Limits.siblingShare
                    }
                    if stats[i].scored && stats[i].score + bonus >= threshold {
                        keep = true
                    } else if stats[i].tag == .p {
                        let length = stats[i].textLength, density = stats[i].linkDensity
                        if length > Limits.longSiblingParagraph && density < Limits.proseLinkDensity {
                            keep = true
                        } else if length > 0 && length <= Limits.longSiblingParagraph && density == 0 {
                            var probe = TextBuilder()
                            render(i, into: &probe, clean: true)
                            keep = probe.text.contains(". ") || probe.text.hasSuffix(".")
                        }
                    }
                }
                if keep { render(i, into: &out, clean: true, isRoot: true) }
            }
            return Result(text: out.text, wholePage: false, truncatedDepth: truncated)
        }

        /// Readability's second look at the best element: when several near-best elements (three of those within 75 %
        /// of it) sit under one ancestor, the article is that ancestor (a story split into chunks); an ancestor scoring
        /// higher than the path below it wins; an only child stands for its parent.
        func refine(_ best: Int) -> Int {
            var top = best
            let topScore = stats[top].score
            let rivals = stats.indices.filter {
                $0 != top && stats[$0].scored && !stats[$0].removed && stats[$0].score >= topScore * Limits.rivalShare
            }
            .sorted { stats[$0].score > stats[$1].score }.prefix(4)
            if rivals.count >= 3 {
                var ancestor = stats[top].parent
                while ancestor >= 0 && stats[Int(ancestor)].tag != .body && stats[Int(ancestor)].tag != .html {
                    let under = rivals.filter { isDescendant($0, of: Int(ancestor)) }.count
                    if under >= 3 { top = Int(ancestor); break }
                    ancestor = stats[Int(ancestor)].parent
                }
            }
            // Climb while an ancestor scores more than the element below it.
            var last = stats[top].score
            let floor = last / 3
            var parent = stats[top].parent
            while parent >= 0 && stats[Int(parent)].tag != .body && stats[Int(parent)].tag != .html {
                let p = Int(parent)
                if !stats[p].scored { parent = stats[p].parent; continue }
                if stats[p].score < floor { break }
                if stats[p].score > last { top = p; break }
                last = stats[p].score
                parent = stats[p].parent
            }
            // An only child stands for its parent.
            while stats[top].parent >= 0 {
                let p = Int(stats[top].parent)
                guard stats[p].tag != .body && stats[p].tag != .html, elementChildren(p) == 1 else { break }
                top = p
            }
            return top
        }

        func isDescendant(_ i: Int, of ancestor: Int) -> Bool {
            var a = stats[i].parent
            while a >= 0 {
                if Int(a) == ancestor { return true }
                a = stats[Int(a)].parent
            }
            return false
        }

        /// Element children of `i` that are not removed.
        func elementChildren(_ i: Int) -> Int {
            var n = 0
            var c = stats[i].node.pointee.children
            while let x = c {
                c = x.pointee.next
                if let k = index(x), !stats[k].removed { n += 1 }
            }
            return n
        }

        mutating func visibleText(_ root: xmlNodePtr) -> String {
            _ = measure(root, parent: -1, depth: 0)
            defer { clearMarks() }
            var out = TextBuilder()
            if !stats.isEmpty { render(0, into: &out, clean: false) }
            return out.text
        }

        static func tagBonus(_ tag: HTMLTag) -> Double {
            switch tag {
            case .div, .article, .main: return 5
            case .pre, .td, .blockquote: return 3
            case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: return -3
            case .h1, .h2, .h3, .h4, .h5, .h6, .th: return -5
            default: return 0
            }
        }

        func isParagraph(_ i: Int) -> Bool {
            switch stats[i].tag {
            case .p, .pre: return true
            case .td, .div, .section, .center: return !stats[i].blockInside
            default: return false
            }
        }

        func index(_ node: xmlNodePtr) -> Int? {
            guard let p = node.pointee._private else { return nil }
            return Int(bitPattern: p) - 1
        }

        /// Pass 1: measures `node` and its subtree; returns its index.
        mutating func measure(_ node: xmlNodePtr, parent: Int32, depth: Int) -> Int {
            let i = stats.count
            let tag = HTMLTag.of(node)
            stats.append(Stats(node: node, parent: parent, tag: tag))
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: i + 1)
            if tag.isRemoved || ClassHints.isHidden(node) {
                stats[i].removed = true
                if tag == .head && pageTitle.isEmpty {
                    var c = node.pointee.children
                    while let x = c, pageTitle.isEmpty {
                        if x.isElement && HTMLTag.of(x) == .title { pageTitle = Self.normalized(x) }
                        c = x.pointee.next
                    }
                }
                if tag == .input || tag == .textarea || tag == .select || tag == .button { stats[i].inputs = 1 }
                if tag == .iframe || tag == .embed || tag == .object || tag == .video { stats[i].embeds = 1 }
                return i
            }
            switch tag {
            case .html, .body, .article, .main, .a: break
            default:
                let names = ClassHints.names(node)
                if !names.isEmpty {
                    if furniture && ClassHints.isUnlikely(names) {
                        stats[i].removed = true
                        return i
                    }
                    stats[i].weight = Int16(ClassHints.weight(names))
                }
            }
            var child = node.pointee.children
            var s = stats[i]
            while let c = child {
                child = c.pointee.next
                if c.isText {
                    if let content = c.pointee.content {
                        let (length, commas) = Self.measureText(content)
                        s.textLength += length
                        s.commas += commas
                        s.inlineLength += length
                        s.inlineCommas += commas
                    }
                } else if c.isElement {
                    guard depth < maxDepth else { truncated = true; continue }
                    stats[i] = s
                    let k = measure(c, parent: Int32(i), depth: depth + 1)
                    s = stats[i]
                    let cs = stats[k]
                    s.inputs += cs.inputs
                    s.embeds += cs.embeds
                    if cs.tag == .img || cs.tag == .picture { s.images += 1 }
                    if cs.removed { continue }
                    // An inline element holding blocks (`<font><p>…</p></font>`) is a block for its parent.
                    if cs.tag.isBlock || cs.blockInside {
                        s.blockInside = true
                    } else {
                        s.inlineLength += cs.textLength - cs.linkLength
                        s.inlineCommas += cs.commas
                    }
                    s.textLength += cs.textLength
                    s.linkLength += cs.linkLength
                    s.headingLength += cs.headingLength
                    s.listLength += cs.listLength
                    s.commas += cs.commas
                    // A div with no block inside counts as a paragraph (Readability turns such divs into p).
                    s.paragraphs += cs.paragraphs + (cs.tag == .p || (cs.tag == .div && !cs.blockInside) ? 1 : 0)
                    s.images += cs.images
                    s.items += cs.items + (cs.tag == .li ? 1 : 0)
                }
            }
            if tag == .a { s.linkLength = s.textLength }
            if tag.isHeading { s.headingLength = s.textLength }
            if tag == .li { s.listLength = s.textLength }
            stats[i] = s
            return i
        }

        /// The text of an element, lower-cased, whitespace collapsed.
        static func normalized(_ node: xmlNodePtr) -> String {
            (node.text ?? "").lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }

        /// Visible length (whitespace runs count one) and commas of a text node.
        static func measureText(_ p: UnsafePointer<xmlChar>) -> (Int32, Int32) {
            var length: Int32 = 0, commas: Int32 = 0
            var space = true
            var q = p
            while q.pointee != 0 {
                let b = q.pointee
                if b == 32 || b == 9 || b == 10 || b == 13 || b == 12 {
                    if !space { length += 1; space = true }
                } else {
                    if b == 44 { commas += 1 }
                    if b & 0xC0 != 0x80 { length += 1 }
                    space = false
                }
                q += 1
            }
            return (length, commas)
        }

        /// Whether a block inside the article still looks like furniture (after Readability's conditional cleaning).
        func isFurniture(_ i: Int) -> Bool {
            let s = stats[i]
            switch s.tag {
            case .h1: return true
            case .figcaption: return true
            case .p where s.textLength < Limits.shortLinkLine && s.linkDensity >= Limits.linkLineDensity,
                .li where s.textLength < Limits.shortLinkLine && s.linkDensity >= Limits.linkLineDensity:
                // A short line that is all link: "Related: …", a list of other stories.
                return true
            case .h2, .h3, .h4, .h5, .h6:
                if s.weight < 0 { return true }
                // The headline repeated above the article ("Headline | Site" in the title).
                if s.textLength >= 15 && !pageTitle.isEmpty {
                    let heading = Self.normalized(s.node)
                    return !heading.isEmpty && pageTitle.contains(heading)
                }
                return false
            case .form, .table, .ul, .ol, .div, .section, .header, .figure, .dl: break
            default: return false
            }
            let contentScore = s.scored ? s.score : 0
            if Double(s.weight) + contentScore < 0 { return true }
            if s.commas >= 10 { return false }
            let isList =
                s.tag == .ul || s.tag == .ol || (s.textLength > 0 && Double(s.listLength) / Double(s.textLength) > 0.9)
            let p = Double(s.paragraphs), img = Double(s.images), li = Double(s.items) - Limits.listItemAllowance,
                inputs = Double(s.inputs)
            let density = s.linkDensity
            let headingDensity = s.textLength > 0 ? Double(s.headingLength) / Double(s.textLength) : 0
            if img > 1 && p / img < 0.5 && s.tag != .figure { return true }
            if !isList && li > p { return true }
            if inputs > (p / 3).rounded(.down) { return true }
            if !isList && headingDensity < 0.9 && s.textLength < Limits.minParagraph && (img == 0 || img > 2)
                && density > 0
            {
                return true
            }
            if !isList && s.weight < Limits.weightBar && density > Limits.lightLinkDensity { return true }
            if s.weight >= Limits.weightBar && density > Limits.heavyLinkDensity { return true }
            if (s.embeds == 1 && s.textLength < 75) || s.embeds > 1 { return true }
            return false
        }

        /// Pass 3: the text of element `i`.
        func render(_ i: Int, into out: inout TextBuilder, clean: Bool, isRoot: Bool = false) {
            let s = stats[i]
            if s.removed { return }
            if clean && !isRoot && isFurniture(i) { return }
            let lineBreak: Int
            switch s.tag {
            case .br: out.lineBreak(out.pendingLineBreak ? 2 : 1); return
            case .li, .tr, .dt, .dd: lineBreak = 1
            default: lineBreak = s.tag.isBlock ? 2 : 0
            }
            if lineBreak > 0 { out.lineBreak(lineBreak) }
            var child = s.node.pointee.children
            while let c = child {
                child = c.pointee.next
                if c.isText {
                    if let content = c.pointee.content { out.append(content) }
                } else if c.isElement, let k = index(c) {
                    render(k, into: &out, clean: clean)
                } else if c.isElement {
                    continue
                }
                if s.tag == .td || s.tag == .th { out.space() }
            }
            if lineBreak > 0 { out.lineBreak(lineBreak) }
        }

        /// Clears the `_private` marks (the document may be read again).
        func clearMarks() {
            for s in stats { s.node.pointee._private = nil }
        }
    }
}

/// Plain text with whitespace collapsed, and paragraph and line breaks where blocks begin and end.
struct TextBuilder {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreak = 0

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether a line break is waiting (a second `br` in a row makes it a paragraph break).
    var pendingLineBreak: Bool { pendingBreak > 0 && !bytes.isEmpty }

    mutating func lineBreak(_ n: Int) {
        pendingBreak = max(pendingBreak, n)
        pendingSpace = false
    }

    mutating func space() { if pendingBreak == 0 { pendingSpace = true } }

    mutating func append(_ p: UnsafePointer<xmlChar>) {
        var q = p
        while q.pointee != 0 {
            let b = q.pointee
            if b == 32 || b == 9 || b == 10 || b == 13 || b == 12 {
                if pendingBreak == 0 { pendingSpace = true }
            } else if b == 0xC2 && q[1] == 0xA0 {
                // No-break space.
                if pendingBreak == 0 { pendingSpace = true }
                q += 1
            } else {
                if !bytes.isEmpty {
                    if pendingBreak > 0 {
                        bytes.append(10)
                        if pendingBreak > 1 { bytes.append(10) }
                    } else if pendingSpace {
                        bytes.append(32)
                    }
                }
                pendingBreak = 0
                pendingSpace = false
                bytes.append(b)
            }
            q += 1
        }
    }
}
