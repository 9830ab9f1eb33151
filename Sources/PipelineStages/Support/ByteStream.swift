import Foundation

/// A source of bytes read in chunks: a file descriptor, or a gzip stream over one.
protocol ByteStream {
    /// Reads up to `buffer.count` bytes; 0 at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Releases the underlying file.
    mutating func close()
}

/// Bytes from a file descriptor.
struct FileDescriptorStream: ByteStream {
    let fd: Int32
    let name: String
    let ownsDescriptor: Bool

    /// Opens `path` for reading; `-` is stdin.
    init(path: String) throws {
        if path == "-" {
            fd = 0
            name = "-"
            ownsDescriptor = false
            return
        }
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { throw InputError("cannot open '\(path)': \(String(cString: strerror(errno)))") }
        fd = f
        name = path
        ownsDescriptor = true
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw InputError("cannot read '\(name)': \(String(cString: strerror(errno)))")
        }
    }

    mutating func close() {
        if ownsDescriptor { _ = Foundation.close(fd) }
    }
}

/// An error reading an input as a whole (not one bad record).
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
