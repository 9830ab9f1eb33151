import Foundation
import PipelineCore

/// The stance model: an averaged multi-class perceptron over ``StanceFeatures`` (classes negative, neutral,
/// positive). Binary file: magic `PIPESTN1`, version, feature count, keys (u64), weights (f32 × 3), FNV-1a checksum.
struct StanceModel: Sendable, Equatable {
    static let magic = Array("PIPESTN1".utf8)
    static let version: UInt32 = 1
    static let classes: [Stance.Label] = [.negative, .neutral, .positive]

    var keys: [UInt64]
    var weights: [Float]
    private var rows: [UInt64: Int32] = [:]

    init(keys: [UInt64], weights: [Float]) {
        self.keys = keys
        self.weights = weights
        for (k, key) in keys.enumerated() { rows[key] = Int32(k) }
    }

    static func == (a: StanceModel, b: StanceModel) -> Bool { a.keys == b.keys && a.weights == b.weights }

    /// Class scores of one mention's features.
    func scores(_ features: [UInt64]) -> [Double] {
        var s = [0.0, 0.0, 0.0]
        for f in features {
            guard let r = rows[f] else { continue }
            for c in 0..<3 { s[c] += Double(weights[Int(r) * 3 + c]) }
        }
        return s
    }

    func serialized() -> [UInt8] {
        var w = ByteWriter()
        w.bytes(Self.magic)
        w.u32(Self.version)
        var kept: [Int] = []
        for r in keys.indices where (0..<3).contains(where: { weights[r * 3 + $0] != 0 }) { kept.append(r) }
        w.u32(UInt32(kept.count))
        for r in kept { w.u64(keys[r]) }
        for r in kept { for c in 0..<3 { w.f32(weights[r * 3 + c]) } }
        w.u64(ByteWriter.checksum(w.data))
        return w.data
    }

    static func load(_ path: String, option: String = "model") throws -> StanceModel {
        func bad(_ why: String) -> StageConfigurationError { StageConfigurationError("model file '\(path)' \(why)", option: option) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw bad(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        let bytes = Array(data)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw bad("is not a stance model (it does not start with PIPESTN1); train one with `pipeline train stance model`")
        }
        guard bytes.count >= magic.count + 16 else { throw bad("is truncated") }
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard ByteWriter.checksum(Array(bytes[0..<(bytes.count - 8)])) == stored else { throw bad("is truncated or corrupt (checksum mismatch)") }
        do {
            var r = ByteReader(bytes: bytes, end: bytes.count - 8)
            r.at = magic.count
            guard try r.u32() == version else { throw bad("has another format version") }
            let n = Int(try r.u32())
            var keys: [UInt64] = []
            for _ in 0..<n { keys.append(try r.u64()) }
            var weights: [Float] = []
            for _ in 0..<(3 * n) { weights.append(try r.f32()) }
            return StanceModel(keys: keys, weights: weights)
        } catch let e as StageConfigurationError {
            throw e
        } catch {
            throw bad("is truncated")
        }
    }
}
