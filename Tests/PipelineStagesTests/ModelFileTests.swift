import Foundation
import Testing

@testable import PipelineCore
@testable import PipelineStages

/// The envelope shared by the stance and summary models: what a good file round-trips to, and what each kind of bad
/// file is reported as.
@Suite struct ModelFileTests {
    let stance = StanceModel(keys: [3, 17, 99], weights: [0.5, 0, -0.5, 0, 0, 0, 1.25, -2, 0.125])
    var summary: SummaryModel {
        let n = SentenceFeatures.count
        return SummaryModel(
            means: (0..<n).map { Double($0) }, scales: Array(repeating: 2, count: n),
            weights: (0..<n).map { Double($0) / 10 })
    }

    func message(_ load: () throws -> Any) -> String? {
        do { _ = try load(); return nil } catch let e as StageConfigurationError { return e.message } catch {
            return "\(error)"
        }
    }

    @Test func modelsRoundTripAndDropAllZeroRows() throws {
        let dir = try TempDir()
        let s = try dir.write("s.model", stance.serialized())
        let loaded = try StanceModel.load(s)
        #expect(loaded.keys == [3, 99])
        #expect(loaded.scores([99, 3, 5]) == [1.75, -2, -0.375])
        #expect(try SummaryModel.load(try dir.write("m.model", summary.serialized())) == summary)
    }

    @Test func halfPrecisionWeightsWidenExactly() throws {
        // Every bit pattern: the hand-written widening must give Float(Float16) bit for bit (NaNs stay NaNs).
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = ByteReader.widen(bits)
            #expect(expected.isNaN ? got.isNaN : got.bitPattern == expected.bitPattern, "pattern \(bits)")
        }
        var r = ByteReader(bytes: [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00], end: 6)
        #expect(try r.f16s(3) == [1, -2, 0x1p-24])
        var short = ByteReader(bytes: [0x00, 0x3C, 0x00], end: 3)
        #expect(throws: ModelFileError.self) { try short.f16s(2) }
        var keys = ByteReader(bytes: [1, 0, 0, 0, 0, 0, 0, 0x80], end: 8)
        #expect(try keys.u64s(1) == [0x8000_0000_0000_0001])
    }

    @Test func badFilesSayWhatIsWrong() throws {
        let dir = try TempDir()
        let good = stance.serialized()
        #expect(
            message { try StanceModel.load(dir.path("none.model")) }
                == "model file '\(dir.path("none.model"))' does not exist")
        let other = try dir.write("other.model", summary.serialized())
        #expect(
            message { try StanceModel.load(other) }
                == "model file '\(other)' is not a stance model (it does not start with PIPESTN1 or PIPESTD1); train one with `pipeline train stance model`"
        )
        let cut = try dir.write("cut.model", Array(good.dropLast(5)))
        #expect(
            message { try StanceModel.load(cut) } == "model file '\(cut)' is truncated or corrupt (checksum mismatch)")
        var flipped = good
        flipped[14] ^= 1
        let corrupt = try dir.write("corrupt.model", flipped)
        #expect(
            message { try StanceModel.load(corrupt) }
                == "model file '\(corrupt)' is truncated or corrupt (checksum mismatch)")
        let future = try dir.write("future.model", ModelFile.write(magic: StanceModel.magic, version: 9) { $0.u32(0) })
        #expect(
            message { try StanceModel.load(future) }
                == "model file '\(future)' has format version 9; this pipeline reads version 1")
        let lying = try dir.write(
            "lying.model", ModelFile.write(magic: StanceModel.magic, version: 1) { $0.u32(1_000) })
        #expect(message { try StanceModel.load(lying) } == "model file '\(lying)' is truncated")
        let extra = try dir.write(
            "extra.model",
            ModelFile.write(magic: StanceModel.magic, version: 1) { w in
                w.u32(0)
                w.u32(7)
            })
        #expect(message { try StanceModel.load(extra) } == "model file '\(extra)' has 4 unexpected bytes at its end")
        let features = try dir.write(
            "features.model", ModelFile.write(magic: SummaryModel.magic, version: 1) { $0.u32(3) })
        #expect(
            message { try SummaryModel.load(features) }
                == "model file '\(features)' has 3 features; this pipeline computes \(SentenceFeatures.count): train it again"
        )
    }
}
