import Foundation

/// A file written through a temporary sibling and renamed into place on ``commit()``, so a failed or interrupted run
/// never leaves a half-written file under the final name. Writing to `-` goes straight to stdout, and writing to a
/// device, a named pipe or a socket (``OutputTarget/isStream(_:)``, e.g. `/dev/null`) straight to it. On Linux the
/// temporary file is written with direct I/O where its file system allows (see `DirectFileWriter`).
public final class AtomicFile {
    /// The final path (or `-`).
    public let path: String
    /// True when the output is stdout, a device, a named pipe or a socket: written directly, with no temporary file.
    public let isStream: Bool
    private let temporaryPath: String?
    /// Where the temporary file is renamed to: `path`, or the target of the link `path`.
    private let target: String
    private let fd: Int32
    /// False for stdout, which is left open.
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    /// Direct I/O to the temporary file, when available; otherwise `buffer` gathers writes.
    private var direct: DirectFileWriter?
    private var closed = false
    private let flushThreshold = 1 << 20
    /// Bytes written to the file descriptor so far.
    private var written = 0
    /// Bytes whose write-back to disk has been started (see ``flush()``).
    private var writeBackStarted = 0
    private static let writeBackChunk = 8 << 20

    /// Opens `path` for writing (creating parent folders); `-` is stdout.
    ///
    /// - Throws: ``FileError`` when the folder cannot be created or the file cannot be opened.
    public convenience init(path: String) throws {
        try self.init(path: path, resumable: false)
    }

    /// Opens `path` for writing (creating parent folders); `-` is stdout. A symbolic link is followed: its target is
    /// replaced (through a sibling of the target) and the link kept. A `resumable` file is written through a sibling
    /// with a fixed name, `.NAME.partial`, so that what was written before an interruption can be found again:
    /// with `resumingAt`, the first that many bytes of an existing partial file are kept (anything after them, written
    /// after the last checkpoint, is cut off) and writing continues after them.
    ///
    /// - Throws: ``FileError`` when the folder cannot be created, the file cannot be opened, or the partial file to
    ///   resume is missing or shorter than `resumingAt`.
    public init(path: String, resumable: Bool, resumingAt: Int? = nil) throws {
        self.path = path
        isStream = OutputTarget.isStream(path)
        target = isStream ? path : OutputTarget.resolvingLink(path)
        if isStream {
            temporaryPath = nil
            buffer.reserveCapacity(flushThreshold + 65536)
            if resumingAt != nil {
                throw FileError(
                    path: path, "cannot resume '\(path)': it is not a regular file; run again without --resume")
            }
            if path == "-" {
                fd = 1
                ownsDescriptor = false
                return
            }
            let f = open(path, O_WRONLY | O_CLOEXEC)
            guard f >= 0 else {
                throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            fd = f
            ownsDescriptor = true
            return
        }
        ownsDescriptor = true
        if OutputTarget.isFolder(target) {
            // Found now, not by the rename at the end of a long run.
            throw FileError(
                path: path, "cannot write '\(path)': it is a folder; give a file's name (one inside it, say)")
        }
        let url = URL(fileURLWithPath: target)
        let dir = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: dir, "cannot create folder '\(dir)' for '\(path)': \(error.localizedDescription)")
        }
        let tmp =
            resumable
            ? Self.partialPath(for: target)
            : (dir as NSString).appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let f = open(tmp, O_WRONLY | O_CREAT | (resumingAt == nil ? O_TRUNC : 0) | O_CLOEXEC, 0o644)
        guard f >= 0 else {
            throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        if let keep = resumingAt {
            let size = lseek(f, 0, SEEK_END)
            guard size >= keep, ftruncate(f, off_t(keep)) == 0, lseek(f, 0, SEEK_END) == keep else {
                close(f)
                throw FileError(
                    path: path,
                    "cannot resume '\(path)': its partial file \(tmp) holds \(max(0, Int(size))) bytes, "
                        + "fewer than the \(keep) the checkpoint recorded; run again without --resume")
            }
            written = keep
        }
        temporaryPath = tmp
        fd = f
        direct = DirectFileWriter(fd: f, path: path, length: written)
        if direct == nil { buffer.reserveCapacity(flushThreshold + 65536) }
    }

    /// Where a resumable file for `path` is written until it is complete: `.NAME.partial` beside it.
    public static func partialPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
    }

    /// Writes out everything appended so far and makes it durable (fsync); returns the bytes in the file.
    public func durableLength() throws -> Int {
        try flush()
        if temporaryPath != nil, fsync(fd) != 0, errno != EINVAL {
            throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        return written
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        if let d = direct { return try bytes.withUnsafeBytes { try d.append($0) } }
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends bytes from a buffer; a large one goes to the file descriptor directly, without a copy.
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if let d = direct { return try d.append(UnsafeRawBufferPointer(bytes)) }
        guard bytes.count >= flushThreshold / 4, let base = bytes.baseAddress else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= flushThreshold { try flush() }
            return
        }
        try flush()
        try writeAll(UnsafeRawPointer(base), bytes.count)
        written += bytes.count
        startWriteBack()
    }

    private func writeAll(_ p: UnsafeRawPointer, _ count: Int) throws {
        var offset = 0
        while offset < count {
            let n = Foundation.write(fd, p + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Writes buffered bytes to the file descriptor.
    public func flush() throws {
        if let d = direct {
            try d.sync()
            written = d.length
            return
        }
        if !buffer.isEmpty { try buffer.withUnsafeBytes { try writeAll($0.baseAddress!, $0.count) } }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
        startWriteBack()
    }

    /// Asks the kernel to start writing the bytes written so far to disk, without waiting, every few megabytes: the
    /// fsync of ``commit()`` then waits for the last few only, instead of for the whole file at the end of the run.
    private func startWriteBack() {
        guard temporaryPath != nil, written - writeBackStarted >= Self.writeBackChunk, let start = Self.syncFileRange
        else { return }
        _ = start(fd, off_t(writeBackStarted), off_t(written - writeBackStarted), 2 /* SYNC_FILE_RANGE_WRITE */)
        writeBackStarted = written
    }

    /// Linux's `sync_file_range`, which Swift's Glibc module does not import; nil elsewhere (write-back then happens
    /// at the fsync).
    private static let syncFileRange: (@convention(c) (Int32, off_t, off_t, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(f, to: (@convention(c) (Int32, off_t, off_t, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Flushes, closes and renames the temporary file to the final path.
    public func commit() throws {
        guard !closed else { return }
        try flush()
        closed = true
        guard let tmp = temporaryPath else {
            if ownsDescriptor { close(fd) }
            return
        }
        if fsync(fd) != 0 && errno != EINVAL {
            let e = String(cString: strerror(errno))
            close(fd)
            unlink(tmp)
            throw FileError(path: path, "cannot write '\(path)': \(e)")
        }
        close(fd)
        if rename(tmp, target) != 0 {
            let e = String(cString: strerror(errno))
            unlink(tmp)
            throw FileError(path: path, "cannot move the output into place at '\(path)': \(e)")
        }
    }

    /// Closes and deletes the temporary file; the final path is left untouched.
    public func discard() {
        guard !closed else { return }
        closed = true
        buffer.removeAll()
        // No queued direct write may land after the close (the descriptor's number may be reused).
        direct?.stop()
        guard let tmp = temporaryPath else {
            if ownsDescriptor { close(fd) }
            return
        }
        close(fd)
        unlink(tmp)
    }

    deinit { discard() }
}
