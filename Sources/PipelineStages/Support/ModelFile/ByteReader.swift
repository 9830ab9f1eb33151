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
    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) }
    mutating func f32() throws -> Float { Float(bitPattern: try u32()) }
    mutating func f16() throws -> Float16 {
        Float16(bitPattern: UInt16(littleEndian: try take(2).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }))
    }
    mutating func string() throws -> String {
        let n = Int(try u32())
        guard n <= 1 << 16 else { throw ModelFileError(message: "is corrupt (a name of \(n) bytes)") }
        return String(decoding: try take(n), as: UTF8.self)
    }
}
