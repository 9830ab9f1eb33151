import CLibXML2

/// A page parsed by libxml2's HTML parser (`htmlReadMemory` with recovery: real-world markup, never the network, no
/// external entities), freed with the value. Not thread-safe; each document is parsed and read on one thread.
final class HTMLPage {
    /// The libxml2 document.
    let doc: htmlDocPtr
    /// The encoding the bytes were read as.
    let encoding: String
    /// Set when the encoding was guessed (see ``CharsetSniffer``).
    let encodingNote: String?

    /// Initialises libxml2 once per process (the parser is then safe to use from several threads).
    static let libraryReady: Bool = {
        xmlInitParser()
        pipeline_xml_silence()
        return true
    }()

    /// Parses `bytes`.
    ///
    /// - Throws: ``InputError`` when libxml2 makes no document of them (empty input).
    init(bytes: [UInt8], url: String?) throws {
        _ = Self.libraryReady
        let sniffed = bytes.withUnsafeBufferPointer(CharsetSniffer.sniff)
        let options = Int32(
            bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        func parse(_ encoding: String?) -> htmlDocPtr? {
            bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { c in
                    htmlReadMemory(c.baseAddress, Int32(clamping: c.count), url, encoding, options)
                }
            }
        }
        var doc = parse(sniffed.encoding)
        var encoding = sniffed.encoding
        var note = sniffed.note
        if doc == nil {
            // An encoding iconv does not know: let libxml2 decide.
            doc = parse(nil)
            note = "charset \(sniffed.encoding) is not supported; read as libxml2 guessed"
            encoding = "UTF-8"
        }
        guard let d = doc else { throw InputError("the page holds no HTML (empty or not markup)") }
        self.doc = d
        self.encoding = encoding
        encodingNote = note
    }

    deinit { xmlFreeDoc(doc) }

    /// The root element.
    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }
}
