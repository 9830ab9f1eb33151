import Foundation
import PipelineCore

/// The envelope of the small trained models (stance, summary): an 8-byte magic, a `u32` format version, the payload,
/// and an FNV-1a checksum of everything before it. Reading checks each in turn and reports what is wrong with the
/// file as a ``StageConfigurationError`` on the stage's option.
enum ModelFile {
    /// Writes the envelope around the payload `body` writes.
    static func write(magic: [UInt8], version: UInt32, _ body: (inout ByteWriter) -> Void) -> [UInt8] {
        var w = ByteWriter()
        w.bytes(magic)
        w.u32(version)
        body(&w)
        w.u64(ByteWriter.checksum(w.data))
        return w.data
    }

    /// Reads the model at `path`: checks the magic (a file of another kind names `train`, the command that makes the
    /// right one), the checksum and the version, then hands `body` a reader over the payload, which it must consume.
    ///
    /// - Throws: ``StageConfigurationError`` on `option`: the file is missing, unreadable, of another kind, truncated,
    ///   corrupt, of another version, or `body` threw a ``ModelFileError``.
    static func read<Model>(
        _ path: String, option: String, magic: [UInt8], version: UInt32, kind: String, train: String,
        _ body: (inout ByteReader) throws -> Model
    ) throws -> Model {
        try read(path, option: option, magics: [magic], version: version, kind: kind, train: train) { r, _ in
            try body(&r)
        }
    }

    /// Reads a model whose file may start with any of `magics` (kinds of one model type); `body` learns which.
    static func read<Model>(
        _ path: String, option: String, magics: [[UInt8]], version: UInt32, kind: String, train: String,
        _ body: (inout ByteReader, Int) throws -> Model
    ) throws -> Model {
        func bad(_ why: String) -> StageConfigurationError {
            StageConfigurationError("model file '\(path)' \(why)", option: option)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw bad(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        let bytes = Array(data)
        guard let which = magics.firstIndex(where: { bytes.count >= $0.count && Array(bytes[0..<$0.count]) == $0 })
        else {
            let names = magics.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " or ")
            throw bad("is not a \(kind) model (it does not start with \(names)); train one with `\(train)`")
        }
        let magic = magics[which]
        guard bytes.count >= magic.count + 12 else { throw bad("is truncated") }
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
        }
        guard ByteWriter.checksum(Array(bytes[0..<(bytes.count - 8)])) == stored else {
            throw bad("is truncated or corrupt (checksum mismatch)")
        }
        do {
            var r = ByteReader(bytes: bytes, end: bytes.count - 8)
            r.at = magic.count
            let found = try r.u32()
            guard found == version else {
                throw ModelFileError(message: "has format version \(found); this pipeline reads version \(version)")
            }
            let model = try body(&r, which)
            guard r.at == r.end else {
                throw ModelFileError(message: "has \(r.end - r.at) unexpected bytes at its end")
            }
            return model
        } catch let e as ModelFileError {
            throw bad(e.message)
        }
    }
}
