import Foundation
import PipelineCore

/// A `.safetensors` file, mapped into memory: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw tensors. Only little-endian `F32` tensors are read as floats.
public final class SafeTensors: @unchecked Sendable {
    /// One tensor's place in the file.
    public struct Entry: Sendable, Equatable {
        /// `F32`, `I64`, ...
        public var dtype: String
        /// The dimensions, outermost first.
        public var shape: [Int]
        /// Bytes from the start of the data section.
        public var range: Range<Int>
    }

    /// The file's path.
    public let path: String
    /// The tensors by name.
    public let entries: [String: Entry]
    /// The header's `__metadata__` (string to string), if any.
    public let metadata: [String: String]
    private let base: UnsafeRawPointer
    private let length: Int
    private let dataStart: Int

    /// Maps `path` and reads its header.
    ///
    /// - Throws: ``EncoderError`` when the file is missing, truncated or not safetensors.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw EncoderError.missing(path, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw EncoderError.invalid(path, "not a regular file")
        }
        length = Int(st.st_size)
        guard length >= 8 else { throw EncoderError.invalid(path, "\(length) bytes: too short for safetensors") }
        guard let map = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else {
            throw EncoderError.invalid(path, "cannot map it: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(map)
        var headerLength = 0
        for k in 0..<8 { headerLength |= Int(base.load(fromByteOffset: k, as: UInt8.self)) << (8 * k) }
        guard headerLength > 1, headerLength <= length - 8, headerLength < 100_000_000 else {
            munmap(map, length)
            throw EncoderError.invalid(path, "not safetensors (header length \(headerLength) of a \(length)-byte file)")
        }
        dataStart = 8 + headerLength
        let header = Array(UnsafeRawBufferPointer(start: base + 8, count: headerLength))
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        do {
            guard let object = try JSONScanner.parse(header).objectValue else { throw EncoderError.invalid(path, "") }
            for (key, value) in object["__metadata__"]?.objectValue ?? [:] {
                if let v = value.stringValue { metadata[key] = v }
            }
            for (name, value) in object where name != "__metadata__" {
                guard let o = value.objectValue, let dtype = o["dtype"]?.stringValue,
                    let shape = o["shape"]?.arrayValue?.compactMap(\.intValue),
                    let offsets = o["data_offsets"]?.arrayValue?.compactMap(\.intValue), offsets.count == 2,
                    offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= length - dataStart
                else { throw EncoderError.invalid(path, "tensor '\(name)' has a bad entry or lies past the end") }
                entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
            }
        } catch {
            munmap(map, length)
            if let e = error as? EncoderError, case .invalid(_, let why) = e, !why.isEmpty { throw e }
            throw EncoderError.invalid(path, "not safetensors (the header is not a JSON object of tensors)")
        }
        self.entries = entries
        self.metadata = metadata
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    /// The float tensor `name`, checked against `shape`, as a buffer into the mapped file: valid while this object
    /// lives (copy it, or keep the object, beyond that).
    ///
    /// - Throws: ``EncoderError/invalid(_:_:)`` when it is missing, not `F32` or of another shape.
    public func floats(_ name: String, shape: [Int]) throws -> UnsafeBufferPointer<Float> {
        guard let e = entries[name] else { throw EncoderError.invalid(path, "no tensor '\(name)'") }
        guard e.dtype == "F32" else { throw EncoderError.invalid(path, "tensor '\(name)' is \(e.dtype), not F32") }
        guard e.shape == shape, e.range.count == shape.reduce(4, *) else {
            throw EncoderError.invalid(path, "tensor '\(name)' has shape \(e.shape), expected \(shape)")
        }
        let start = base + dataStart + e.range.lowerBound
        // Files written by the safetensors library pad the header to 8 bytes, so F32 tensors are aligned in the map.
        guard Int(bitPattern: start) % MemoryLayout<Float>.alignment == 0 else {
            throw EncoderError.invalid(path, "tensor '\(name)' is not 4-byte aligned")
        }
        return UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: e.range.count / 4)
    }
}
