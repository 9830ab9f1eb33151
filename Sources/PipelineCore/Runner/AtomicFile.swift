import Foundation

/// A file written through a temporary sibling and renamed into place on ``commit()``, so a failed or interrupted run
/// never leaves a half-written file under the final name. Writing to `-` goes straight to stdout.
public final class AtomicFile {
    /// The final path (or `-`).
    public let path: String
    private let temporaryPath: String?
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false
    private let flushThreshold = 1 << 20

    /// Opens `path` for writing (creating parent folders); `-` is stdout.
    ///
    /// - Throws: ``FileError`` when the folder cannot be created or the file cannot be opened.
    public init(path: String) throws {
        self.path = path
        buffer.reserveCapacity(flushThreshold + 65536)
        if path == "-" {
            temporaryPath = nil
            fd = 1
            return
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: dir, "cannot create folder '\(dir)' for '\(path)': \(error.localizedDescription)")
        }
        let tmp = (dir as NSString).appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard f >= 0 else {
            throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        temporaryPath = tmp
        fd = f
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends bytes from a buffer.
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes buffered bytes to the file descriptor.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { p in
                Foundation.write(fd, p.baseAddress! + offset, p.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary file to the final path.
    public func commit() throws {
        guard !closed else { return }
        try flush()
        closed = true
        guard let tmp = temporaryPath else { return }
        if fsync(fd) != 0 && errno != EINVAL {
            let e = String(cString: strerror(errno))
            close(fd)
            unlink(tmp)
            throw FileError(path: path, "cannot write '\(path)': \(e)")
        }
        close(fd)
        if rename(tmp, path) != 0 {
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
        guard let tmp = temporaryPath else { return }
        close(fd)
        unlink(tmp)
    }

    deinit { discard() }
}
