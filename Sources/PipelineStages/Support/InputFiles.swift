import Foundation
import PipelineCore

/// Expands a loader's `path` option: a file, a folder (searched recursively, in sorted order, hidden entries
/// skipped), a glob pattern, or `-` for stdin. Fails when nothing matches, so a typo is caught before any document is
/// read.
///
/// Folders are walked by device and inode: symbolic links are followed, but each directory is entered once and each
/// file is listed once however many links lead to it, so a link loop (`self -> .`) neither repeats nor recurses.
/// Entries that are not regular files (FIFOs, sockets, devices) are never opened — opening a FIFO blocks until
/// something writes to it — and are listed in ``Listing/skipped``, which the loaders report as failures.
enum InputFiles {
    /// The files a `path` option names.
    struct Listing: Sendable {
        /// The files to read, in a stable order.
        var files: [String]
        /// Entries of a folder or glob that were not read, with the reason (a FIFO, a socket, a device).
        var skipped: [Skipped] = []

        /// The loader's reader, preceded by one failure record per skipped entry (so none is lost silently).
        func reader(_ inner: any DocumentReader) -> any DocumentReader {
            skipped.isEmpty ? inner : SkippedFilesReader(skipped: skipped, inner: inner)
        }
    }

    /// A folder entry that was not read.
    struct Skipped: Sendable, Equatable {
        /// Its path.
        var path: String
        /// Why, e.g. "a FIFO".
        var kind: String

        /// The error report's message.
        var message: String {
            "'\(path)' is \(kind), not a regular file: not read (folders and globs yield regular files only)"
        }
    }

    /// The files to read, in a stable order, and the folder entries skipped.
    ///
    /// - Parameters:
    ///   - path: file, folder, glob or `-`. A file named directly is read whatever its kind (a named pipe given on
    ///     purpose works); inside folders and globs only regular files are.
    ///   - extensions: for folders, the accepted file extensions (lower case, with the dot); `.gz` after them is
    ///     accepted too.
    /// - Throws: ``StageConfigurationError`` when nothing matches; ``RunError/interrupted`` when the run is
    ///   interrupted during a long walk (``RunCancellation/checkCurrent()``).
    static func expand(_ path: String, extensions: [String]) throws -> Listing {
        if path == "-" { return Listing(files: ["-"]) }
        if let st = status(path) {
            guard isDirectory(st) else { return Listing(files: [path]) }
            var walker = Walker(extensions: extensions)
            try walker.walk(path, st)
            if walker.listing.files.isEmpty {
                let skipped =
                    walker.listing.skipped.isEmpty
                    ? "" : " (\(walker.listing.skipped.count) skipped: \(walker.listing.skipped[0].message))"
                throw StageConfigurationError(
                    "folder '\(path)' has no \(extensions.joined(separator: ", ")) files (also looked for .gz versions)\(skipped)",
                    option: "path")
            }
            return walker.listing
        }
        if path.contains(where: { "*?[".contains($0) }) {
            var g = glob_t()
            defer { globfree(&g) }
            let rc = glob(path, 0, nil, &g)
            var walker = Walker(extensions: nil)
            if rc == 0 {
                var matched: [String] = []
                for i in 0..<Int(g.gl_pathc) { if let p = g.gl_pathv[i] { matched.append(String(cString: p)) } }
                for s in matched.sorted() {
                    guard let st = status(s), !isDirectory(st) else { continue }
                    walker.add(s, st)
                }
            }
            if walker.listing.files.isEmpty {
                throw StageConfigurationError("no file matches '\(path)'", option: "path")
            }
            return walker.listing
        }
        throw StageConfigurationError("'\(path)' does not exist", option: "path")
    }

    /// `stat` of a path (following links); nil when it does not exist or a link is dangling.
    private static func status(_ path: String) -> stat? {
        var st = stat()
        return stat(path, &st) == 0 ? st : nil
    }

    private static func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }

    /// A walk that enters each directory once and lists each file once, by device and inode.
    private struct Walker {
        struct Identity: Hashable {
            var device: UInt64
            var inode: UInt64
            init(_ st: stat) {
                device = UInt64(st.st_dev)
                inode = UInt64(st.st_ino)
            }
        }

        /// Accepted extensions; nil accepts every name (glob matches).
        let extensions: [String]?
        var listing = Listing(files: [])
        var seen = Set<Identity>()

        init(extensions: [String]?) { self.extensions = extensions }

        mutating func walk(_ dir: String, _ st: stat) throws {
            guard seen.insert(Identity(st)).inserted else { return }
            try RunCancellation.checkCurrent()
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for e in entries.sorted() where !e.hasPrefix(".") {
                let p = (dir as NSString).appendingPathComponent(e)
                guard let s = status(p) else { continue }
                if isDirectory(s) {
                    try walk(p, s)
                } else if extensions.map({ InputFiles.matches(p, $0) }) ?? true {
                    add(p, s)
                }
            }
        }

        mutating func add(_ path: String, _ st: stat) {
            let kind: String
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if seen.insert(Identity(st)).inserted { listing.files.append(path) }
                return
            case S_IFIFO: kind = "a FIFO (named pipe)"
            case S_IFSOCK: kind = "a socket"
            case S_IFCHR: kind = "a character device"
            case S_IFBLK: kind = "a block device"
            default: kind = "not a file"
            }
            listing.skipped.append(Skipped(path: path, kind: kind))
        }
    }

    private static func matches(_ file: String, _ extensions: [String]) -> Bool {
        var name = file.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return extensions.contains { name.hasSuffix($0) }
    }

    /// Opens a file for streaming, decompressing `.gz` files (by name or by their magic bytes).
    static func open(_ path: String) throws -> any ByteStream {
        let raw = try FileDescriptorStream(path: path)
        if path.lowercased().hasSuffix(".gz") { return try GzipStream(source: raw, name: path) }
        return raw
    }

    /// Total size in bytes of the given files, when all are regular files.
    static func totalSize(_ files: [String]) -> Int? {
        var total = 0
        for f in files {
            if f == "-" || f.lowercased().hasSuffix(".gz") { return nil }
            guard let a = try? FileManager.default.attributesOfItem(atPath: f),
                let s = (a[.size] as? NSNumber)?.intValue
            else { return nil }
            total += s
        }
        return total
    }

    /// Reads a whole file (decompressing `.gz`).
    ///
    /// - Parameter limit: the most bytes (after decompression) to accept; a larger file throws ``InputError`` naming
    ///   `option`, without reading past the limit.
    static func readAll(_ path: String, limit: Int? = nil, option: String = "max_bytes") throws -> [UInt8] {
        var stream = try open(path)
        defer { stream.close() }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if let limit, out.count > limit {
                throw InputError("'\(path)' is larger than \(option)=\(limit) bytes; raise \(option) to read it")
            }
        }
        return out
    }

    /// The 1-based line of the first byte that is not valid UTF-8, or nil when all of `bytes` is valid.
    static func firstInvalidUTF8Line(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        // Find the line: validate line by line.
        var line = 1
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if String(validating: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return 1
    }
}
