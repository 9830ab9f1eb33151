import CLibXML2
import Foundation
import PipelineCore

/// The XML side of reading a feed: parsing with libxml2 while recording its errors (truncation, encoding), element
/// names by namespace, and element text with entity references expanded against a byte budget — libxml2 keeps an
/// internal entity as one node however often it is used, and a feed that uses a 100 kB entity 2,000 times would
/// otherwise become a 200 MB text.
enum FeedXML {
    /// The namespaces feeds use, by URI.
    enum Namespace: Equatable {
        case none, rss090, rss10, rdf, atom10, atom03, dc, dcterms, content, media, other(String)

        init(_ uri: String?) {
            switch uri {
            case nil, "": self = .none
            case "http://my.netscape.com/rdf/simple/0.9/": self = .rss090
            case "http://purl.org/rss/1.0/": self = .rss10
            case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": self = .rdf
            case "http://www.w3.org/2005/Atom": self = .atom10
            case "http://purl.org/atom/ns#": self = .atom03
            case "http://purl.org/dc/elements/1.1/": self = .dc
            case "http://purl.org/dc/terms/": self = .dcterms
            case "http://purl.org/rss/1.0/modules/content/": self = .content
            case "http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss": self = .media
            case let u?: self = .other(u)
            }
        }
    }

    /// A node's namespace and local name.
    static func name(_ node: xmlNodePtr) -> (ns: Namespace, local: String) {
        let local = node.pointee.name.map { String(cString: $0) } ?? ""
        let uri = node.pointee.ns?.pointee.href.map { String(cString: $0) }
        return (Namespace(uri), local)
    }

    /// What libxml2 reported while parsing.
    final class ErrorLog {
        /// The first error that means the bytes could not be decoded, with its line.
        var encoding: (message: String, line: Int)?
        /// The element left open at the end of the input, with the line it opened on, when the document is cut.
        var truncated: (element: String, line: Int)?
        var count = 0

        func record(_ e: xmlError) {
            count += 1
            let message = e.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            let line = Int(e.line)
            switch Int(e.code) {
            case Int(XML_I18N_CONV_FAILED.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue),
                Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue), Int(XML_ERR_UNKNOWN_ENCODING.rawValue):
                if encoding == nil { encoding = (message, line) }
            case Int(XML_ERR_INVALID_CHAR.rawValue) where message.contains("UTF-8") || message.contains("encoding"):
                if encoding == nil { encoding = (message, line) }
            case Int(XML_ERR_TAG_NOT_FINISHED.rawValue):
                // "Premature end of data in tag item line 12": the outermost open element is reported last.
                let words = message.split(separator: " ")
                if let k = words.firstIndex(of: "tag"), k + 1 < words.count {
                    let opened = words.last.flatMap { Int($0) } ?? line
                    truncated = (String(words[k + 1]), opened)
                }
            case Int(XML_ERR_DOCUMENT_END.rawValue), Int(XML_ERR_LTSLASH_REQUIRED.rawValue),
                Int(XML_ERR_GT_REQUIRED.rawValue):
                if truncated == nil { truncated = ("", line) }
            default: break
            }
        }
    }

    /// Parses `bytes` as XML (recovering from broken markup; never the network; no DTD loading, no entity
    /// substitution), recording errors in `log`.
    static func parse(_ bytes: [UInt8], base: String?, log: ErrorLog) -> xmlDocPtr? {
        _ = HTMLPage.libraryReady
        guard let ctxt = xmlNewParserCtxt() else { return nil }
        defer { xmlFreeParserCtxt(ctxt) }
        ctxt.pointee._private = Unmanaged.passUnretained(log).toOpaque()
        ctxt.pointee.sax.pointee.serror = { data, error in
            guard let data, let error else { return }
            let c = data.assumingMemoryBound(to: xmlParserCtxt.self)
            guard let p = c.pointee._private else { return }
            Unmanaged<ErrorLog>.fromOpaque(p).takeUnretainedValue().record(error.pointee)
        }
        let options = Int32(
            bitPattern: XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
                | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)
        let doc = bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) {
                xmlCtxtReadMemory(ctxt, $0.baseAddress, Int32(clamping: $0.count), base, nil, options)
            }
        }
        // A byte the declared encoding cannot convert ends libxml2's input silently, as if the file ended there.
        let consumed = Int(xmlByteConsumed(ctxt))
        var end = bytes.count
        while end > 0,
            bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x09
        {
            end -= 1
        }
        if log.encoding == nil, log.truncated != nil, consumed >= 0, consumed < end,
            let declared = declaredEncoding(bytes),
            !["utf-8", "utf8", "us-ascii", "ascii"].contains(declared.lowercased())
        {
            let line = bytes[..<consumed].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            log.encoding = ("byte \(consumed + 1) is not valid \(declared); the text after it would be lost", line)
        }
        return doc
    }

    /// The encoding named in the XML declaration (`<?xml version="1.0" encoding="koi8-r"?>`), if any.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), let end = head.range(of: "?>"),
            let k = head.range(of: "encoding", range: head.startIndex..<end.lowerBound)
        else { return nil }
        let rest = head[k.upperBound..<end.lowerBound].drop { $0 == " " || $0 == "=" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != q }
        return value.isEmpty ? nil : String(value)
    }

    /// The bytes of expanded text one feed may produce; text past it throws.
    final class Budget {
        var remaining: Int
        let limit: Int
        init(_ limit: Int) {
            self.limit = limit
            remaining = limit
        }

        func spend(_ n: Int) throws {
            remaining -= n
            if remaining < 0 {
                throw InputError(
                    "a feed whose entity references expand to more than max_bytes=\(limit) bytes of text (entity references used many times); "
                        + "raise max_bytes to read it")
            }
        }
    }

    /// All the text below `node`, with references to internal entities expanded (each use counted against
    /// `budget`), trimmed; nil when there is none.
    static func text(_ node: xmlNodePtr, _ budget: Budget) throws -> String? {
        var out: [UInt8] = []
        try collect(node, into: &out, budget, depth: 0)
        let s = String(decoding: out, as: UTF8.self).trimmingWhitespace()
        return s.isEmpty ? nil : s
    }

    private static func collect(_ node: xmlNodePtr, into out: inout [UInt8], _ budget: Budget, depth: Int) throws {
        guard depth < 512 else { return }
        var c = node.pointee.children
        while let x = c {
            switch x.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = x.pointee.content {
                    let n = strlen(content)
                    try budget.spend(n)
                    out.append(contentsOf: UnsafeBufferPointer(start: content, count: n))
                }
            case XML_ELEMENT_NODE, XML_ENTITY_DECL:
                try collect(x, into: &out, budget, depth: depth + 1)
            case XML_ENTITY_REF_NODE:
                // The reference's child is the entity declaration, whose children are its parsed content.
                if let decl = x.pointee.children { try collect(decl, into: &out, budget, depth: depth + 1) }
            default: break
            }
            c = x.pointee.next
        }
    }

    /// The element children of `node`.
    static func children(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = node.pointee.children
        while let x = c {
            if x.pointee.type == XML_ELEMENT_NODE { out.append(x) }
            c = x.pointee.next
        }
        return out
    }

    /// The base URI in effect at `node` (its `xml:base` attributes and those of its ancestors, over the document's
    /// address).
    static func base(_ node: xmlNodePtr) -> String? {
        guard let b = xmlNodeGetBase(node.pointee.doc, node) else { return nil }
        defer { pipeline_xml_free(b) }
        return String(cString: b)
    }

    /// The markup below `node`, serialised (entity references stay references).
    static func innerMarkup(_ node: xmlNodePtr) -> String? {
        let buffer = xmlBufferCreate()
        defer { xmlBufferFree(buffer) }
        var c = node.pointee.children
        while let x = c {
            xmlNodeDump(buffer, node.pointee.doc, x, 0, 0)
            c = x.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return nil }
        return String(cString: content)
    }
}
