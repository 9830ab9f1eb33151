import Foundation
import Logging
import OrderedCollections
import PipelineCore
import Synchronization

/// A swift-log handler that appends one JSON object per line to a file (`--log FILE`, for cron jobs and log
/// collectors): `{"time": ISO 8601 UTC with milliseconds, "level", "event": the message, ...the metadata}`. The file is
/// opened for appending, so successive runs accumulate; each line is written with one `write` call.
struct JSONLogHandler: LogHandler {
    /// The open log file, shared by copies of the handler.
    final class Sink: Sendable {
        let path: String
        private let fd: Int32
        private let lock = Mutex(())

        init(path: String) throws {
            self.path = path
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw FileError(path: path, "cannot open the log '\(path)': \(String(cString: strerror(errno)))")
            }
        }

        func append(_ bytes: [UInt8]) {
            lock.withLock { _ in _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, $0.count) } }
        }

        deinit { close(fd) }
    }

    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info

    init(sink: Sink) { self.sink = sink }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var o = OrderedDictionary<String, JSONValue>()
        o["time"] = .string(Self.now())
        o["level"] = .string(event.level.rawValue)
        o["event"] = .string(event.message.description)
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let m = event.metadata { all.merge(m) { $1 } }
        for key in all.keys.sorted() { o[key] = Self.json(all[key]!) }
        var w = JSONWriter()
        w.write(.object(o))
        w.byte(0x0A)
        sink.append(w.bytes)
    }

    /// Metadata as JSON: numbers and booleans given as `.stringConvertible` stay numbers and booleans.
    static func json(_ v: Logger.Metadata.Value) -> JSONValue {
        switch v {
        case .string(let s): return .string(s)
        case .stringConvertible(let c):
            if let i = c as? Int { return .int(i) }
            if let d = c as? Double { return .double(d) }
            if let b = c as? Bool { return .bool(b) }
            return .string(c.description)
        case .array(let a): return .array(a.map(json))
        case .dictionary(let d):
            var o = OrderedDictionary<String, JSONValue>()
            for k in d.keys.sorted() { o[k] = json(d[k]!) }
            return .object(o)
        }
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
