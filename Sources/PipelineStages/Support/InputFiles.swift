import Foundation
import PipelineCore

/// Expands a loader's `path` option: a file, a folder (searched recursively, in sorted order, hidden entries
/// skipped), a glob pattern, or `-` for stdin. Fails when nothing matches, so a typo is caught before any document is
/// read.
enum InputFiles {
    /// The files to read, in a stable order.
    ///
    /// - Parameters:
    ///   - path: file, folder, glob or `-`.
    ///   - extensions: for folders, the accepted file extensions (lower case, with the dot); `.gz` after them is
    ///     accepted too.
    static func expand(_ path: String, extensions: [String]) throws -> [String] {
        if path == "-" { return ["-"] }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if !isDir.boolValue { return [path] }
            let files = walk(path).filter { matches($0, extensions) }
            if files.isEmpty {
                throw StageConfigurationError(
                    "folder '\(path)' has no \(extensions.joined(separator: ", ")) files (also looked for .gz versions)",
                    option: "path")
            }
            return files
        }
        if path.contains(where: { "*?[".contains($0) }) {
            var g = glob_t()
            defer { globfree(&g) }
            let rc = glob(path, 0, nil, &g)
            var out: [String] = []
            if rc == 0 {
                for i in 0..<Int(g.gl_pathc) {
                    if let p = g.gl_pathv[i] {
                        let s = String(cString: p)
                        var d: ObjCBool = false
                        if FileManager.default.fileExists(atPath: s, isDirectory: &d), !d.boolValue { out.append(s) }
                    }
                }
            }
            if out.isEmpty { throw StageConfigurationError("no file matches '\(path)'", option: "path") }
            return out.sorted()
        }
        throw StageConfigurationError("'\(path)' does not exist", option: "path")
    }

    private static func matches(_ file: String, _ extensions: [String]) -> Bool {
        var name = file.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return extensions.contains { name.hasSuffix($0) }
    }

    private static func walk(_ dir: String) -> [String] {
        var out: [String] = []
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        for e in entries.sorted() where !e.hasPrefix(".") {
            let p = (dir as NSString).appendingPathComponent(e)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { continue }
            if isDir.boolValue { out += walk(p) } else { out.append(p) }
        }
        return out
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
