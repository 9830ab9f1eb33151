import Foundation
import PipelineCore
import Testing

@testable import PipelineEncoder

/// The WordPiece tokenizer against the reference tokenizer (Hugging Face tokenizers) on 310 texts and pairs: news in
/// several scripts, accents, CJK, emoji, punctuation, control and format characters, an over-long word, the empty text.
@Suite(.enabled(if: EncoderFixture.available, EncoderFixture.skipReason))
struct TokenizerTests {
    @Test func idsAndOffsetsMatchTheReference() throws {
        let tokenizer = try #require(EncoderFixture.encoder).tokenizer
        let rows = try EncoderFixture.reference("tokenizer.jsonl")
        #expect(rows.count >= 300)
        var mismatches: [String] = []
        for row in rows {
            let o = try #require(row.objectValue)
            let text = try #require(o["text"]?.stringValue)
            let pair = o["pair"]?.stringValue
            let pieces = tokenizer.encode(text, pair: pair)
            let ids = o["ids"]?.arrayValue?.compactMap(\.intValue) ?? []
            let segments = o["segments"]?.arrayValue?.compactMap(\.intValue) ?? []
            let offsets = o["offsets"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.intValue) ?? [] } ?? []
            let got = pieces.map { Int($0.id) }
            let gotOffsets = pieces.map { [$0.start, $0.end] }
            if got != ids || pieces.map({ Int($0.segment) }) != segments || gotOffsets != offsets {
                let shown = pieces.map { tokenizer.pieces[Int($0.id)] }
                mismatches.append(
                    "\(text.debugDescription) / \(pair ?? "-"): \(shown) \(gotOffsets) vs \(ids) \(offsets)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) texts differ, first: \(mismatches.prefix(3))")
    }

    @Test func literalSpecialTokensAreText() throws {
        // Unlike the reference, "[CLS]" in an article is text: it cannot stand for the classifier token.
        let tokenizer = try #require(EncoderFixture.encoder).tokenizer
        let ids = tokenizer.pieces(of: "a [CLS] b [SEP]").map(\.id)
        #expect(!ids.contains(tokenizer.classify) && !ids.contains(tokenizer.separator))
    }

    @Test func longInputsAreCutLongestFirst() throws {
        let tokenizer = try #require(EncoderFixture.encoder).tokenizer
        let long = String(repeating: "word ", count: 600)
        let single = tokenizer.encode(long, maxPieces: 128)
        #expect(single.count == 128 && single.first?.id == tokenizer.classify && single.last?.id == tokenizer.separator)
        let pair = tokenizer.encode(long, pair: "France", maxPieces: 64)
        #expect(pair.count == 64)
        #expect(pair.filter { $0.segment == 1 }.count == 2)  // "france" and the last [SEP] survive
    }
}
