/// Splits a byte stream into lines (LF-terminated; a final line without LF is returned too; a trailing CR is
/// removed). Lines of any length are supported: the buffer grows as needed. A class: reading `lineNumber` through an
/// optional struct holding an existential stream copied the whole reader, buffer and stream, for every line.
final class LineReader {
    private var stream: any ByteStream
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0
    /// Bytes consumed from the stream so far.
    private(set) var bytesRead = 0

    init(stream: any ByteStream, chunk: Int = 1 << 20) {
        self.stream = stream
        buffer = Array(repeating: 0, count: chunk)
    }

    /// Calls `body` with the next line's bytes (valid only during the call); false at the end.
    func withNextLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R? {
        var scanFrom = start
        while true {
            // Look for LF in [scanFrom, end).
            let found: Int? = buffer.withUnsafeBufferPointer { p in
                guard scanFrom < end else { return nil }
                let base = p.baseAddress! + scanFrom
                guard let hit = memchr(base, 0x0A, end - scanFrom) else { return nil }
                return scanFrom + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
            }
            if let lf = found {
                let lineStart = start
                start = lf + 1
                lineNumber += 1
                var lineEnd = lf
                if lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return try buffer.withUnsafeBufferPointer { p in
                    try body(UnsafeBufferPointer(rebasing: p[lineStart..<lineEnd]))
                }
            }
            if eof {
                guard start < end else { return nil }
                let lineStart = start
                var lineEnd = end
                start = end
                lineNumber += 1
                if lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return try buffer.withUnsafeBufferPointer { p in
                    try body(UnsafeBufferPointer(rebasing: p[lineStart..<lineEnd]))
                }
            }
            // Need more bytes: compact, grow if the pending line fills the buffer, then read.
            scanFrom = end
            if start > 0 {
                let pending = end - start
                if pending > 0 {
                    buffer.withUnsafeMutableBufferPointer { p in
                        _ = memmove(p.baseAddress!, p.baseAddress! + start, pending)
                    }
                }
                scanFrom -= start
                end = pending
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let e = end
            let n = try buffer.withUnsafeMutableBytes { p in
                try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: p[e...]))
            }
            if n == 0 { eof = true } else { end += n; bytesRead += n }
        }
    }

    func close() { stream.close() }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
