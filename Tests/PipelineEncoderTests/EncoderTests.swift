import Foundation
import PipelineCore
import Testing

@testable import PipelineEncoder

/// The forward pass against the reference (transformers' BertModel on PyTorch): the last hidden state of four texts,
/// one and two segments, to 1e-4; and batching that does not change a sequence's result.
@Suite(.enabled(if: EncoderFixture.available, EncoderFixture.skipReason))
struct EncoderTests {
    @Test func hiddenStatesMatchTheReference() throws {
        let encoder = try #require(EncoderFixture.encoder)
        let rows = try EncoderFixture.reference("hidden.jsonl")
        var batch: [[BertTokenizer.Piece]] = []
        var expected: [[[Double]]] = []
        for row in rows {
            let o = try #require(row.objectValue)
            let pieces = encoder.tokenizer.encode(try #require(o["text"]?.stringValue), pair: o["pair"]?.stringValue)
            #expect(pieces.map { Int($0.id) } == o["ids"]?.arrayValue?.compactMap(\.intValue))
            batch.append(pieces)
            expected.append(o["states"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] } ?? [])
        }
        // All four in one batch: rows of different sequences never mix.
        let out = encoder.encode(batch)
        var worst = 0.0
        for (s, states) in expected.enumerated() {
            #expect(states.count == batch[s].count)
            for (p, want) in states.enumerated() {
                let got = out.vector(s, p)
                #expect(got.count == 384 && want.count == 384)
                for (g, w) in zip(got, want) { worst = max(worst, abs(Double(g) - w)) }
            }
        }
        // The reference is written to 5 decimals (±5e-6).
        #expect(worst < 1e-4, "largest difference \(worst)")
    }

    @Test func aSequenceEncodesTheSameAloneOrInABatch() throws {
        let encoder = try #require(EncoderFixture.encoder)
        let a = encoder.tokenizer.encode("Greece and Cyprus signed an energy deal.")
        let b = encoder.tokenizer.encode("Brazil protested to Argentina.", pair: "Argentina")
        let alone = encoder.encode([b])
        let together = encoder.encode([a, b, a])
        #expect(together.offsets == [0, a.count, a.count + b.count, 2 * a.count + b.count])
        for p in 0..<b.count {
            for (x, y) in zip(alone.vector(0, p), together.vector(1, p)) { #expect(abs(x - y) < 1e-5) }
        }
        #expect(encoder.encode([]).states.isEmpty)
    }

    @Test func readingSomeRowsGivesThoseRowsFinalStates() throws {
        let encoder = try #require(EncoderFixture.encoder)
        let a = encoder.tokenizer.encode("France's defence minister visited Baghdad to discuss weapons.")
        let b = encoder.tokenizer.encode("US forces left Camp Taji after militia attacks.", pair: "Camp Taji")
        let c = encoder.tokenizer.encode("Nothing is read here.")
        let full = encoder.encode([a, b, c])
        // Out of order, repeated, out of range: each sequence's valid positions, once.
        let reading = [[3, 0, 3], [b.count - 2, 1, 99, -1], []]
        let some = encoder.encode([a, b, c], reading: reading)
        #expect(some.offsets == full.offsets)
        var worst: Float = 0
        for (s, positions) in reading.enumerated() {
            for p in positions where p >= 0 && p < full.offsets[s + 1] - full.offsets[s] {
                for (x, y) in zip(full.vector(s, p), some.vector(s, p)) { worst = max(worst, abs(x - y)) }
            }
        }
        #expect(worst < 1e-5, "largest difference \(worst)")
        // A row not read is not final.
        #expect(zip(full.vector(0, 1), some.vector(0, 1)).contains { abs($0 - $1) > 1e-3 })
    }

    @Test func stoppingAfterSomeLayersAndResumingIsTheFullPass() throws {
        let encoder = try #require(EncoderFixture.encoder)
        let a = encoder.tokenizer.encode("Russia, Iran, Syria and Iraq still run a security coordination centre.")
        let b = encoder.tokenizer.encode("Brazil protested to Argentina.", pair: "Argentina")
        let full = encoder.encode([a, b], reading: [[0, 2], [1]])
        for below in [0, 4, 6] {
            let part = encoder.encode([a, b], layers: below)
            #expect(part.offsets == full.offsets)
            let resumed = encoder.resume(part, from: below, reading: [[0, 2], [1]])
            var worst: Float = 0
            for (s, p) in [(0, 0), (0, 2), (1, 1)] {
                for (x, y) in zip(full.vector(s, p), resumed.vector(s, p)) { worst = max(worst, abs(x - y)) }
            }
            #expect(worst < 1e-5, "after \(below) layers: largest difference \(worst)")
        }
        // Zero layers is the embeddings: not the final states.
        #expect(zip(encoder.encode([a], layers: 0).vector(0, 1), full.vector(0, 1)).contains { abs($0 - $1) > 1e-2 })
    }
}
