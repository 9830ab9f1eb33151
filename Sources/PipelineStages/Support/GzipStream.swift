import CZlib
import Foundation

/// Decompresses a gzip (or zlib) stream, including files made of several concatenated gzip members. A stream that
/// ends before its trailer is reported as truncated.
struct GzipStream: ByteStream {
    private var source: any ByteStream
    private let name: String
    private let state: ZState
    private var inputLength = 0
    private var inputEnd = false
    /// True right after a member ended and before any byte of a following member was fed.
    private var atMemberBoundary = false

    /// Owns the zlib stream so it is released exactly once.
    final class ZState {
        var stream = z_stream()
        var initialised = false
        let capacity = 1 << 16
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        deinit {
            if initialised { inflateEnd(&stream) }
            input.deallocate()
        }
    }

    init(source: any ByteStream, name: String) throws {
        self.source = source
        self.name = name
        state = ZState()
        guard pipeline_inflate_init_gzip(&state.stream) == Z_OK else {
            throw InputError("cannot start gzip decompression for '\(name)'")
        }
        state.initialised = true
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if state.stream.avail_in == 0 && !inputEnd {
                let n = try source.read(into: state.input)
                if n == 0 {
                    inputEnd = true
                } else {
                    inputLength = n
                    state.stream.avail_in = UInt32(n)
                }
            }
            if state.stream.avail_in == 0 && inputEnd {
                if atMemberBoundary { return 0 }
                throw InputError("'\(name)' is a truncated gzip file (the compressed stream ends early)")
            }
            let base = state.input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.stream.next_in = base + (inputLength - Int(state.stream.avail_in))
            state.stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            state.stream.avail_out = UInt32(buffer.count)
            let rc = inflate(&state.stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(state.stream.avail_out)
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 || state.stream.avail_in > 0 { atMemberBoundary = false }
            case Z_STREAM_END:
                atMemberBoundary = true
                inflateReset(&state.stream)
            default:
                let msg = state.stream.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw InputError("'\(name)' is not a valid gzip file: \(msg)")
            }
            if produced > 0 { return produced }
        }
    }

    mutating func close() { source.close() }
}
