/// Splits a byte stream into lines (LF-terminated; a final line without LF is returned too; a trailing CR is
/// removed). Lines of any length are supported: a block grows as needed. A class: reading `lineNumber` through an
/// optional struct holding an existential stream copied the whole reader, buffer and stream, for every line.
///
/// Lines are read into blocks (``LineBlock``) that are never written again once a line in them has been returned, so
/// a line can be kept (``Line``) and read on another thread without copying its bytes; a block is freed with the last
/// line that refers to it. (Copying each line of the light benchmark into an array of its own was a third of the
/// reading thread's time, in `malloc` and `memmove`.)
final class LineReader {
    private var stream: any ByteStream
    private let chunk: Int
    private var block: LineBlock
    private var start = 0
    private var end = 0
    private var eof = false
    /// 1-based number of the last line returned.
    private(set) var lineNumber = 0
    /// Bytes consumed from the stream so far.
    private(set) var bytesRead = 0

    init(stream: any ByteStream, chunk: Int = 1 << 20) {
        self.stream = stream
        self.chunk = max(1, chunk)
        block = LineBlock(capacity: self.chunk)
    }

    /// The next line, or nil at the end.
    func nextLine() throws -> Line? {
        var scanFrom = start
        while true {
            // Look for LF in [scanFrom, end).
            var found: Int?
            if scanFrom < end, let hit = memchr(block.base + scanFrom, 0x0A, end - scanFrom) {
                found = UnsafeMutableRawPointer(hit).assumingMemoryBound(to: UInt8.self) - block.base
            }
            if let lf = found {
                let lineStart = start
                start = lf + 1
                lineNumber += 1
                var lineEnd = lf
                if lineEnd > lineStart && block.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return Line(block: block, range: lineStart..<lineEnd)
            }
            if eof {
                guard start < end else { return nil }
                let lineStart = start
                var lineEnd = end
                start = end
                lineNumber += 1
                if lineEnd > lineStart && block.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return Line(block: block, range: lineStart..<lineEnd)
            }
            // Need more bytes: they are read after the last ones. Lines already returned may still be in use, so a
            // full block is not compacted: the pending part of a line moves to a new block of `chunk` bytes, or of
            // twice the pending part when that is more (a long line).
            scanFrom = end
            if end == block.capacity {
                let pending = end - start
                let next = LineBlock(capacity: max(chunk, 2 * pending))
                if pending > 0 { next.base.update(from: block.base + start, count: pending) }
                block = next
                start = 0
                end = pending
                scanFrom = pending
            }
            let n = try stream.read(
                into: UnsafeMutableRawBufferPointer(start: block.base + end, count: block.capacity - end))
            if n == 0 { eof = true } else { end += n; bytesRead += n }
        }
    }

    func close() { stream.close() }
}

/// Bytes read from a stream, shared by the lines in them. Its bytes are written only before any line in them is
/// returned, and read only after (hence `@unchecked Sendable`); later reads fill bytes beyond every returned line.
final class LineBlock: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
}

/// One line of a ``LineReader``: its block, kept alive as long as the line, and its bytes' range in the block.
struct Line: Sendable {
    let block: LineBlock
    var range: Range<Int>

    /// Calls `body` with the line's bytes (valid only during the call).
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(block) {
            try body(UnsafeBufferPointer(start: block.base + range.lowerBound, count: range.count))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
