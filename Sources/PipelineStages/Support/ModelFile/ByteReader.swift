/// Little-endian binary input with bounds checks.
struct ByteReader {
    let bytes: [UInt8]
    let end: Int
    var at = 0

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, at + n <= end else { throw ModelFileError(message: "is truncated") }
        defer { at += n }
        return bytes[at..<(at + n)]
    }
    mutating func u32() throws -> UInt32 {
        UInt32(littleEndian: try take(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    }
    mutating func u64() throws -> UInt64 {
        UInt64(littleEndian: try take(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }
    mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
    /// `count` bytes.
    mutating func u8s(_ count: Int) throws -> [UInt8] { Array(try take(count)) }
    /// `count` 64-bit words, bounds checked once.
    mutating func u64s(_ count: Int) throws -> [UInt64] {
        let slice = try take(count.multipliedReportingOverflow(by: 8).overflow ? -1 : count * 8)
        return [UInt64](unsafeUninitializedCapacity: count) { out, written in
            slice.withUnsafeBytes { raw in
                for k in 0..<count {
                    out[k] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
                }
            }
            written = count
        }
    }

    /// `count` half-precision numbers widened to `Float`, bounds checked once (a model's weights: millions of them).
    mutating func f16s(_ count: Int) throws -> [Float] {
        let slice = try take(count.multipliedReportingOverflow(by: 2).overflow ? -1 : count * 2)
        return [Float](unsafeUninitializedCapacity: count) { out, written in
            slice.withUnsafeBytes { raw in
                for k in 0..<count {
                    out[k] = Self.widen(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: k * 2, as: UInt16.self)))
                }
            }
            written = count
        }
    }

    /// The `Float` of a half-precision bit pattern, exactly (`Float(Float16)` calls a software routine on processors
    /// without a conversion instruction, which made it most of a model's load time).
    @inline(__always) static func widen(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact in single precision.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }

    mutating func string() throws -> String {
        let n = Int(try u32())
        guard n <= 1 << 16 else { throw ModelFileError(message: "is corrupt (a name of \(n) bytes)") }
        return String(decoding: try take(n), as: UTF8.self)
    }
}
