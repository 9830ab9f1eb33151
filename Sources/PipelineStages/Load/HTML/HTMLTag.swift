import CLibXML2
import PipelineCore

/// The HTML elements the article extractor treats specially; everything else is `.other` (inline, like `span`).
enum HTMLTag: UInt8 {
    case other
    // Never content.
    case script, style, noscript, template, svg, math, canvas, iframe, object, embed, button, select, textarea,
        input, option, nav, aside, footer, head, title, meta, link, dialog, menu, form, label, video, audio, picture,
        source, img
    // Blocks.
    case html, body, article, main, section, div, p, pre, blockquote, td, th, tr, table, ul, ol, li, dl, dt, dd,
        h1, h2, h3, h4, h5, h6, header, figure, figcaption, address, hr, br, center
    // Inline with meaning.
    case a, time

    static let byName: [String: HTMLTag] = [
        "script": .script, "style": .style, "noscript": .noscript, "template": .template, "svg": .svg, "math": .math,
        "canvas": .canvas, "iframe": .iframe, "object": .object, "embed": .embed, "button": .button, "select": .select,
        "textarea": .textarea, "input": .input, "option": .option, "nav": .nav, "aside": .aside, "footer": .footer,
        "head": .head, "title": .title, "meta": .meta, "link": .link, "dialog": .dialog, "menu": .menu, "form": .form,
        "label": .label, "video": .video, "audio": .audio, "picture": .picture, "source": .source, "img": .img,
        "html": .html, "body": .body, "article": .article, "main": .main, "section": .section, "div": .div, "p": .p,
        "pre": .pre, "blockquote": .blockquote, "td": .td, "th": .th, "tr": .tr, "table": .table, "ul": .ul, "ol": .ol,
        "li": .li, "dl": .dl, "dt": .dt, "dd": .dd, "h1": .h1, "h2": .h2, "h3": .h3, "h4": .h4, "h5": .h5, "h6": .h6,
        "header": .header, "figure": .figure, "figcaption": .figcaption, "address": .address, "hr": .hr, "br": .br,
        "center": .center, "a": .a, "time": .time,
    ]

    /// The tag of an element node (names are lower case: the HTML parser folds them).
    static func of(_ node: xmlNodePtr) -> HTMLTag {
        guard let name = node.pointee.name else { return .other }
        return name.withMemoryRebound(to: CChar.self, capacity: 1) { byName[String(cString: $0)] } ?? .other
    }

    /// Elements whose subtree is never article text.
    var isRemoved: Bool {
        switch self {
        case .script, .style, .noscript, .template, .svg, .math, .canvas, .iframe, .object, .embed, .button, .select,
            .textarea, .input, .option, .nav, .aside, .footer, .head, .title, .meta, .link, .dialog, .menu, .label,
            .video, .audio, .source:
            return true
        default: return false
        }
    }

    /// Elements that start a new line of text.
    var isBlock: Bool {
        switch self {
        case .html, .body, .article, .main, .section, .div, .p, .pre, .blockquote, .td, .th, .tr, .table, .ul, .ol, .li,
            .dl, .dt, .dd, .h1, .h2, .h3, .h4, .h5, .h6, .header, .figure, .figcaption, .address, .hr, .br, .center,
            .form:
            return true
        default: return false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The value of attribute `name` (lower case), read without copying through libxml2.
    func attribute(_ name: StaticString) -> UnsafePointer<UInt8>? {
        var prop = pointee.properties
        while let p = prop {
            if let n = p.pointee.name, strcmpStatic(n, name) {
                if let c = p.pointee.children, let v = c.pointee.content { return UnsafePointer(v) }
                return nil
            }
            prop = p.pointee.next
        }
        return nil
    }

    /// The value of attribute `name` as a string, if present.
    func attributeString(_ name: StaticString) -> String? {
        attribute(name).map { String(cString: $0) }
    }

    /// All the text below the node (entities decoded), trimmed; nil when there is none.
    var text: String? {
        guard let p = xmlNodeGetContent(self) else { return nil }
        defer { pipeline_xml_free(p) }
        let s = String(cString: p).trimmingWhitespace()
        return s.isEmpty ? nil : s
    }

    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointee.type == XML_TEXT_NODE || pointee.type == XML_CDATA_SECTION_NODE }
}

/// Whether the C string `a` equals `b` ignoring ASCII case; `b` must be written in lower case (`"ispermalink"`).
@inline(__always) func strcmpStatic(_ a: UnsafePointer<xmlChar>, _ b: StaticString) -> Bool {
    let n = b.utf8CodeUnitCount
    let bp = b.utf8Start
    for i in 0..<n {
        let x = a[i]
        if x == 0 || (x &- 65 < 26 ? x | 0x20 : x) != bp[i] { return false }
    }
    return a[n] == 0
}
