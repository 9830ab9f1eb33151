import Foundation
import PipelineCore

/// `load files`: one document per text file. The first non-empty line is the title (a Markdown `#` is removed);
/// `Date:` and `Source:` header lines may follow it; the rest is the body. CRLF line ends become LF, a BOM is
/// dropped, `.gz` files are decompressed, and a file that is empty, not valid UTF-8 or larger than `max_bytes` (after
/// decompression: a gzip bomb stops there) is a failure of that document.
public struct FilesLoader: LoadStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .load, name: "files",
        help: "text articles from a file, folder or glob: first line title, optional Date:/Source: headers",
        options: [Self.input, Self.extensions, Self.maxBytes],
        provides: [.text, .title, .date])

    static let input = Group(InputPath.self)
    static let extensions = StageOption<[String]>(
        "extensions", default: [".txt", ".md"],
        help: "file extensions read from folders (.gz versions are read too)")
    static let maxBytes = StageOption<Int>(
        "max_bytes", default: 32_000_000, range: 1_000...2_000_000_000,
        help: "largest article read, in bytes after decompression; larger files fail")

    let files: [String]
    /// The folder entries not read (FIFOs, devices), reported before the documents.
    let listing: InputFiles.Listing
    let root: String
    let limit: Int

    /// Builds the loader; fails when `path` matches no file.
    public init(options: StageOptions, context: StageContext) throws {
        let input = try options[Self.input]
        let path = input.path
        guard !input.isStandardInput else {
            throw StageConfigurationError(
                "'load files' reads files, not stdin; use 'load jsonl path=-'",
                option: InputPath.pathOption.name)
        }
        let exts = options[Self.extensions].map { ($0.hasPrefix(".") ? $0 : "." + $0).lowercased() }
        listing = try InputFiles.expand(path, extensions: exts)
        files = listing.files
        limit = options[Self.maxBytes]
        var isDir: ObjCBool = false
        root = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? path : ""
    }

    /// Opens the input.
    public func makeReader() throws -> any DocumentReader {
        listing.reader(
            WholeFileReader(files: files, root: root, limit: limit) { raw, id, file in
                try FilesLoader.parse(raw, id: id, file: file)
            })
    }

    /// The id of a file: its path below the folder (or its name), without extensions.
    static func id(for file: String, root: String) -> String {
        var rel = file
        if !root.isEmpty {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if rel.hasPrefix(prefix) { rel.removeFirst(prefix.count) }
        } else {
            rel = (file as NSString).lastPathComponent
        }
        if rel.lowercased().hasSuffix(".gz") { rel.removeLast(3) }
        rel = (rel as NSString).deletingPathExtension
        return rel
    }

    /// Parses an article file's bytes into a document.
    static func parse(_ raw: [UInt8], id: String, file: String) throws -> Document {
        var bytes = raw
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = bytes.withUnsafeBufferPointer(InputFiles.firstInvalidUTF8Line) {
            throw DocumentError(
                "'\(file)' is not valid UTF-8 (first bad byte on line \(bad)); convert it, e.g. iconv -f latin1 -t utf-8",
                id: id)
        }
        let text = String(decoding: bytes, as: UTF8.self).replacingCRLF()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let f = lines.first, f.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        guard var titleLine = lines.popFirst().map({ String($0).trimmingWhitespace() }) else {
            throw DocumentError("'\(file)' is empty", id: id)
        }
        while titleLine.hasPrefix("#") { titleLine.removeFirst() }
        titleLine = titleLine.trimmingWhitespace()
        var doc = Document(id: id, text: "", title: titleLine.isEmpty ? nil : titleLine)
        // Header lines right after the title.
        while let l = lines.first {
            let s = String(l)
            guard let colon = s.firstIndex(of: ":") else { break }
            let key = String(s[..<colon]).trimmingWhitespace().lowercased()
            let value = String(s[s.index(after: colon)...]).trimmingWhitespace()
            if key == "date" {
                guard let d = DateNormalizer.normalize(value) else {
                    throw DocumentError(
                        "'\(file)': Date header '\(value)' is not a date (write it as YYYY-MM-DD)", id: id)
                }
                doc.date = d
            } else if key == "source" {
                doc.source = value
            } else {
                break
            }
            lines.removeFirst()
        }
        while let f = lines.first, f.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let l = lines.last, l.allSatisfy(\.isWhitespace) { lines.removeLast() }
        doc.text = lines.joined(separator: "\n")
        return doc
    }
}
