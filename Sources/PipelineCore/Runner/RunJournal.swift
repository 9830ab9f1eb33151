import Foundation
import OrderedCollections

/// The checkpoint that lets `pipeline run --resume` continue a run that was killed (`kill -9`, a crash, a power cut)
/// as if it had never stopped.
///
/// While a run whose writers are all resumable (``ResumableWriteStage``, writing files) goes, its outputs grow in
/// partial files beside their final names (`.NAME.partial`; a store commits each batch), and at batch boundaries — at
/// most every ``RunOptions/checkpointInterval`` seconds — the runner makes them durable (flush and fsync) and then
/// replaces `<last output>.checkpoint` (written to a temporary file, fsync'd, renamed, and the folder fsync'd) with:
/// how many input records are finished (written or recorded as failed), the counts, each writer's state (bytes of its
/// partial file; the store's run id) and the error report's bytes, under a fingerprint of the pipeline (every stage's
/// resolved options and the error policy). A run that completes renames its partial files into place and removes the
/// checkpoint; a run that fails or is cancelled discards both.
///
/// `--resume` reads the checkpoint, refuses it when the fingerprint differs, cuts every partial file back to the
/// recorded length (whatever was written after the checkpoint goes), skips the finished input records without
/// transforming them, and carries on: the final outputs are byte for byte those of one uninterrupted run. The input
/// must be the same as in the interrupted run.
public struct RunJournal: Sendable {
    /// What a checkpoint records.
    public struct Checkpoint: Sendable, Equatable {
        /// The pipeline's fingerprint (``RunJournal/fingerprint(_:onError:)``).
        public var fingerprint: String
        /// Input records finished: written or recorded as failed.
        public var records: Int
        /// Documents written.
        public var documentsOut: Int
        /// Records that failed.
        public var failed: Int
        /// Each writer's state, in pipeline order.
        public var writers: [JSONValue]
        /// Bytes of the error report's partial file, when there is one.
        public var errorReport: Int?
    }

    /// The checkpoint file.
    public let path: String
    /// The running pipeline's fingerprint.
    public let fingerprint: String

    /// The journal of a run whose last output is `destination`.
    public init(destination: String, fingerprint: String) {
        path = Self.path(for: destination)
        self.fingerprint = fingerprint
    }

    /// `out/daily.jsonl` → `out/daily.jsonl.checkpoint`.
    public static func path(for destination: String) -> String { destination + ".checkpoint" }

    /// A fingerprint of what the run computes: every stage's kind, name and resolved options, and the error policy.
    public static func fingerprint(_ pipeline: Pipeline, onError: ErrorPolicy) -> String {
        var w = JSONWriter()
        var stages: [JSONValue] = []
        for s in pipeline.stages {
            var o = OrderedDictionary<String, JSONValue>()
            for (k, v) in s.options.values.sorted(by: { $0.key < $1.key }) { o[k] = .string(v.description) }
            stages.append(.array([.string(s.label), .object(o)]))
        }
        w.write(.array([.string("\(onError)"), .array(stages)]))
        return w.withBytes { RunInfo.fnv1a64Hex($0) }
    }

    /// Reads the checkpoint; nil when there is none.
    ///
    /// - Throws: ``RunError/cannotResume(_:)`` when the file cannot be read or is not a checkpoint.
    public func read() throws -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let v = try? JSONScanner.parse(Array(data)), let o = v.objectValue, o["version"]?.intValue == 1,
            let fp = o["fingerprint"]?.stringValue, let records = o["records"]?.intValue,
            let out = o["documents_out"]?.intValue, let failed = o["failed"]?.intValue,
            let writers = o["writers"]?.arrayValue
        else {
            throw RunError.cannotResume("\(path) is not a checkpoint this release can read; run again without --resume")
        }
        return Checkpoint(
            fingerprint: fp, records: records, documentsOut: out, failed: failed, writers: writers,
            errorReport: o["error_report"]?.intValue)
    }

    /// Replaces the checkpoint durably: a temporary file, fsync, rename, fsync of the folder.
    ///
    /// - Throws: ``FileError``.
    public func write(_ c: Checkpoint) throws {
        var o = OrderedDictionary<String, JSONValue>()
        o["version"] = .int(1)
        o["fingerprint"] = .string(c.fingerprint)
        o["records"] = .int(c.records)
        o["documents_out"] = .int(c.documentsOut)
        o["failed"] = .int(c.failed)
        o["writers"] = .array(c.writers)
        o["error_report"] = c.errorReport.map { JSONValue.int($0) } ?? .null
        var w = JSONWriter()
        w.write(.object(o))
        w.byte(0x0A)
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FileError(path: path, "cannot write the checkpoint '\(path)': \(String(cString: strerror(errno)))")
        }
        let bytes = w.bytes
        let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress!, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard n == bytes.count, synced, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw FileError(path: path, "cannot write the checkpoint '\(path)': \(String(cString: strerror(errno)))")
        }
        let dir = open(
            (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            O_RDONLY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Removes the checkpoint (the run completed, failed or was cancelled).
    public func remove() {
        unlink(path)
        unlink(path + ".tmp")
    }
}
