import Foundation

/// Appends to a regular file with direct I/O (Linux `O_DIRECT`): bytes are gathered in a page-aligned buffer and
/// written in whole blocks at block-aligned offsets, from the buffer straight to the device, without going through
/// the page cache. On the machines this project is measured on, buffered writes of a large output cost the writing
/// thread about a second of kernel time per gigabyte (copying into freshly allocated cache pages, then write-back);
/// direct writes cost a fraction of that, and a run writing gigabytes no longer evicts everything else from the cache.
///
/// ``sync()`` also writes the last, partial block (padded with zeros, then the file is cut back to its length); that
/// block stays in the buffer and is written again in full when more bytes follow. When the file system refuses the
/// alignment (`EINVAL`), the file falls back to ordinary buffered writes, transparently.
final class DirectFileWriter {
    /// Block alignment of offsets, lengths and the buffer: 4096 satisfies every logical block size up to a page.
    static let alignment = 4096
    /// The buffer's size; one write of this size keeps a device busy.
    static let capacity = 4 << 20

    private let fd: Int32
    private let path: String
    private let staging: UnsafeMutableRawPointer
    /// Bytes in `staging`.
    private var staged = 0
    /// File offset of `staging`'s first byte, a multiple of ``alignment``.
    private var base: Int
    /// False once the file system refused a direct write; later writes go through the page cache.
    private var isDirect = true

    /// Bytes appended so far, counting the file's first `length` bytes given at creation.
    var length: Int { base + staged }

    /// Switches `fd` (a regular file of `length` bytes, writes continuing at its end) to direct I/O; nil where direct
    /// I/O is not available (another system, or a file system that refuses `O_DIRECT`, such as some tmpfs).
    init?(fd: Int32, path: String, length: Int) {
        guard let flag = Self.directFlag else { return nil }
        self.fd = fd
        self.path = path
        base = length & ~(Self.alignment - 1)
        // Aligned to 2 MB so that the kernel can back it with huge pages: fewer pages to pin for each direct write.
        staging = UnsafeMutableRawPointer.allocate(byteCount: Self.capacity, alignment: 2 << 20)
        #if os(Linux)
        _ = madvise(staging, Self.capacity, 14 /* MADV_HUGEPAGE */)
        #endif
        // The last partial block is read back first (through the page cache), to be written again in full.
        let tail = length - base
        // (Every property is set by now, so a nil return still runs deinit, which frees the buffer.)
        if tail > 0 && pread(fd, staging, tail, off_t(base)) != tail { return nil }
        staged = tail
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | flag) == 0 else { return nil }
    }

    deinit { staging.deallocate() }

    /// Linux's `O_DIRECT`, which Swift's Glibc module does not import.
    private static let directFlag: Int32? = {
        #if os(Linux) && arch(x86_64)
        return 0o40000
        #elseif os(Linux) && arch(arm64)
        return 0o200000
        #else
        return nil
        #endif
    }()

    /// Appends bytes, writing each full buffer.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = min(remaining, Self.capacity - staged)
            (staging + staged).copyMemory(from: source, byteCount: n)
            staged += n
            source += n
            remaining -= n
            if staged == Self.capacity { try writeBlocks(Self.capacity) }
        }
    }

    /// Writes every byte appended so far to the file; the file's length is then ``length``.
    func sync() throws {
        let whole = staged & ~(Self.alignment - 1)
        if whole > 0 { try writeBlocks(whole) }
        guard staged > 0 else { return }
        (staging + staged).initializeMemory(as: UInt8.self, repeating: 0, count: Self.alignment - staged)
        try writeAll(Self.alignment, at: base)
        guard ftruncate(fd, off_t(base + staged)) == 0 else { throw error() }
    }

    /// Writes the first `count` bytes of the buffer (a multiple of ``alignment``) and keeps the rest.
    private func writeBlocks(_ count: Int) throws {
        try writeAll(count, at: base)
        let rest = staged - count
        if rest > 0 { staging.copyMemory(from: staging + count, byteCount: rest) }
        staged = rest
        base += count
    }

    private func writeAll(_ count: Int, at offset: Int) throws {
        var done = 0
        while done < count {
            let n = pwrite(fd, staging + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL && isDirect, let flag = Self.directFlag {
                    // This file system wants another alignment: write through the page cache from now on.
                    let flags = fcntl(fd, F_GETFL)
                    guard flags >= 0, fcntl(fd, F_SETFL, flags & ~flag) == 0 else { throw error() }
                    isDirect = false
                    continue
                }
                throw error()
            }
            done += n
        }
    }

    private func error() -> FileError {
        FileError(path: path, "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}
