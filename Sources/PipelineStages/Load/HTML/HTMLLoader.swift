import Foundation
import OrderedCollections
import PipelineCore

/// `load html`: one document per saved web page, its article text found by ``ArticleExtractor`` and its headline,
/// date, author, site, URL and language by ``PageMetadata``.
///
/// Pages come from `.html`/`.htm` files (gzip-compressed or not) in a file, folder or glob — the id is the file name
/// without extensions — or from JSON Lines (`path` ending in `.jsonl`/`.ndjson`, or `-`) whose field `html=` holds the
/// page; the record's `id`, `title`, `date`, `source` are kept, a `url` field goes to `meta.url`, other fields to
/// `meta`. A page with no article text, larger than `max_bytes`, or not HTML is a failure of that document.
public struct HTMLLoader: LoadStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "html",
        help:
            "article text and metadata from saved web pages (.html/.htm[.gz] files, folders, globs) or JSONL with an html field",
        options: [Self.input, Self.htmlField, Self.maxBytes, Self.maxDepth, Self.extensions],
        provides: [.text, .title, .date])

    static let input = Group(InputPath.self)
    static let htmlField = StageOption<String>(
        "html", default: "html",
        help: "for JSONL input: the field holding each page's HTML")
    static let maxBytes = StageOption<Int>(
        "max_bytes", default: 8_000_000, range: 1_000...2_000_000_000,
        help: "largest page read, in bytes after decompression; larger pages fail")
    static let maxDepth = StageOption<Int>(
        "max_depth", default: 256, range: 8...10_000,
        help: "elements nested deeper than this are ignored")
    static let extensions = StageOption<[String]>(
        "extensions", default: [".html", ".htm"],
        help: "file extensions read from folders (.gz versions are read too)")

    let files: [String]
    /// The folder entries not read (FIFOs, devices), reported before the documents.
    let listing: InputFiles.Listing
    let root: String
    let jsonl: Bool
    let field: String
    let settings: Settings

    /// Limits for one page.
    struct Settings: Sendable {
        var maxBytes: Int
        var maxDepth: Int
    }

    /// Builds the loader; fails when `path` matches no file.
    public init(options: StageOptions, context: StageContext) throws {
        let path = try options[Self.input].path
        let lower = path.lowercased()
        jsonl = path == "-" || [".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"].contains { lower.hasSuffix($0) }
        field = options[Self.htmlField]
        settings = Settings(maxBytes: options[Self.maxBytes], maxDepth: options[Self.maxDepth])
        let exts =
            jsonl
            ? [".jsonl", ".ndjson"] : options[Self.extensions].map { ($0.hasPrefix(".") ? $0 : "." + $0).lowercased() }
        listing = try InputFiles.expand(path, extensions: exts)
        files = listing.files
        var isDir: ObjCBool = false
        root = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? path : ""
    }

    /// Opens the input.
    public func makeReader() throws -> any DocumentReader {
        if jsonl {
            let inner = JSONLLoader.Reader(
                files: files, decoder: DocumentDecoder(mapping: FieldMapping(text: field)),
                total: InputFiles.totalSize(files))
            return listing.reader(RecordReader(inner: inner, settings: settings, field: field))
        }
        let settings = self.settings
        return listing.reader(
            WholeFileReader(files: files, root: root, limit: settings.maxBytes) { raw, id, file in
                var doc = Document(id: id, text: "")
                try HTMLLoader.convert(raw, into: &doc, origin: "'\(file)'", settings: settings)
                return doc
            })
    }

    /// Turns a page's bytes into a document: the article text, and the page's metadata where `doc` has none.
    ///
    /// - Throws: ``DocumentError`` when the page is too large, not HTML, or has no article text.
    static func convert(_ bytes: [UInt8], into doc: inout Document, origin: String, settings: Settings) throws {
        guard bytes.count <= settings.maxBytes else {
            throw DocumentError(
                "\(origin) is \(bytes.count) bytes, more than max_bytes=\(settings.maxBytes); raise max_bytes to read it",
                id: doc.id)
        }
        guard !looksBinary(bytes) else {
            throw DocumentError("\(origin) is not an HTML page (binary data)", id: doc.id)
        }
        let page: HTMLPage
        do {
            page = try HTMLPage(bytes: bytes, url: doc.meta["url"]?.stringValue)
        } catch {
            throw DocumentError("\(origin): \(error)", id: doc.id)
        }
        let result = ArticleExtractor(maxDepth: settings.maxDepth).extract(page)
        guard !result.text.isEmpty else {
            throw DocumentError(
                "\(origin) has no article text (an empty page, or one that loads its text with JavaScript)", id: doc.id)
        }
        let meta = PageMetadata(page, maxDepth: settings.maxDepth)
        doc.text = result.text
        if doc.title == nil { doc.title = meta.title }
        if doc.date == nil, let p = meta.published { doc.date = DateNormalizer.normalize(p) }
        if doc.source == nil { doc.source = meta.siteName ?? meta.url.flatMap { URL(string: $0)?.host } }
        func set(_ key: String, _ value: String?) {
            if let v = value, !v.isEmpty, doc.meta[key] == nil { doc.meta[key] = .string(v) }
        }
        set("url", meta.url)
        set("author", meta.author)
        set("language", meta.language)
        set("published", meta.published)
        set("description", meta.description)
        doc.meta["encoding"] = .string(page.encoding)
        if let note = page.encodingNote { doc.meta["encoding_note"] = .string(note) }
        if result.wholePage { doc.meta["extraction"] = .string("whole page: no article structure found") }
        if result.truncatedDepth {
            doc.meta["extraction_note"] = .string(
                "elements nested deeper than max_depth=\(settings.maxDepth) were ignored")
        }
    }

    /// NUL bytes in the first 1 KB: an image, an archive, anything but text.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return false }
        return bytes.prefix(1024).contains(0)
    }

    struct RecordReader: DocumentReader {
        var inner: JSONLLoader.Reader
        let settings: Settings
        let field: String

        var progress: (bytesRead: Int, totalBytes: Int?) { inner.progress }

        mutating func next() throws -> LoadedRecord? {
            guard var record = try inner.next() else { return nil }
            if case .pending(let decode) = record.content {
                let settings = self.settings, field = self.field, origin = record.origin
                record.content = .pending({
                    var doc: Document
                    do {
                        doc = try decode()
                    } catch let e as DocumentError where e.message.hasPrefix("missing field '\(field)'") {
                        throw DocumentError(
                            "\(origin): the record has no '\(field)' field with the page's HTML (set html=FIELD)",
                            id: e.id)
                    }
                    guard !doc.text.isEmpty else {
                        throw DocumentError(
                            "\(origin): the record has no '\(field)' field with the page's HTML", id: doc.id)
                    }
                    let html = Array(doc.text.utf8)
                    doc.text = ""
                    try HTMLLoader.convert(html, into: &doc, origin: "\(origin) (field '\(field)')", settings: settings)
                    return doc
                })
            }
            return record
        }
    }
}
