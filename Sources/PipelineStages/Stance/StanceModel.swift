import Foundation
import PipelineCore

/// The stance model: an averaged multi-class perceptron over ``StanceFeatures`` (classes negative, neutral,
/// positive). Binary file: magic `PIPESTN1` (a mention-level model) or `PIPESTD1` (a document-level one), version,
/// feature count, keys (u64), weights (f32 × 3), FNV-1a checksum.
struct StanceModel: Sendable, Equatable {
    /// What a model scores: each mention of a target in its sentence (NewsMTSC), or the whole document toward a named
    /// target it need not mention (SemEval-2016).
    enum Level: Int, Sendable { case mention = 0, document = 1 }

    static let magics = [Array("PIPESTN1".utf8), Array("PIPESTD1".utf8)]
    static var magic: [UInt8] { magics[0] }
    static let version: UInt32 = 1
    static let classes: [Stance.Label] = [.negative, .neutral, .positive]

    var level: Level
    var keys: [UInt64]
    var weights: [Float]
    /// Feature hash → row, an open-addressing table (a Dictionary lookup was the stage's largest cost).
    private var table: FeatureTable

    init(level: Level = .mention, keys: [UInt64], weights: [Float]) {
        self.level = level
        self.keys = keys
        self.weights = weights
        table = FeatureTable(keys: keys)
    }

    static func == (a: StanceModel, b: StanceModel) -> Bool {
        a.level == b.level && a.keys == b.keys && a.weights == b.weights
    }

    /// Class scores of one mention's features.
    func scores(_ features: [UInt64]) -> [Double] {
        // Every row first, then the sums: the look-ups do not wait on one another (each is a likely cache miss).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(features.count, 1)) { rows in
            for (k, f) in features.enumerated() { rows[k] = table.row(f) }
            var s0 = 0.0, s1 = 0.0, s2 = 0.0
            weights.withUnsafeBufferPointer { w in
                for k in 0..<features.count where rows[k] >= 0 {
                    let r = rows[k] * 3
                    s0 += Double(w[r])
                    s1 += Double(w[r + 1])
                    s2 += Double(w[r + 2])
                }
            }
            return [s0, s1, s2]
        }
    }

    func serialized() -> [UInt8] {
        ModelFile.write(magic: Self.magics[level.rawValue], version: Self.version) { w in
            var kept: [Int] = []
            for r in keys.indices where (0..<3).contains(where: { weights[r * 3 + $0] != 0 }) { kept.append(r) }
            w.u32(UInt32(kept.count))
            for r in kept { w.u64(keys[r]) }
            for r in kept { for c in 0..<3 { w.f32(weights[r * 3 + c]) } }
        }
    }

    /// Reads a model file.
    ///
    /// - Throws: ``StageConfigurationError`` on `option` naming the file and what is wrong with it.
    static func load(_ path: String, option: String = "model") throws -> StanceModel {
        try ModelFile.read(
            path, option: option, magics: magics, version: version, kind: "stance", train: "pipeline train stance model"
        ) { r, which in
            let n = Int(try r.u32())
            guard n <= (r.end - r.at) / 20 else { throw ModelFileError(message: "is truncated") }
            var keys: [UInt64] = []
            for _ in 0..<n { keys.append(try r.u64()) }
            var weights: [Float] = []
            for _ in 0..<(3 * n) { weights.append(try r.f32()) }
            return StanceModel(level: Level(rawValue: which)!, keys: keys, weights: weights)
        }
    }
}
