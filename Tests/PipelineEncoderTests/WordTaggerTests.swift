import Foundation
import PipelineCore
import Testing

@testable import PipelineEncoder

/// The encoder word tagger (`extract entities model=encoder`) against the reference (the shipped model merged into
/// transformers' BertModel on PyTorch, with the training script's windows and word shapes): every word's tag
/// log-probabilities, including a sentence read in two windows.
@Suite(.enabled(if: EncoderFixture.available, EncoderFixture.skipReason))
struct WordTaggerTests {
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/PipelineStages/Resources/entities-encoder.model").standardized.path

    @Test func scoresMatchTheReference() throws {
        let model = try WordTaggerModel(path: Self.shipped, base: EncoderFixture.directory)
        #expect(model.labels == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"])
        let rows = try EncoderFixture.reference("tagger.jsonl").map { try #require($0.objectValue) }
        let sentences = rows.map { ($0["words"]?.arrayValue ?? []).compactMap(\.stringValue).map { Substring($0) } }
        #expect(sentences.last.map { $0.count > model.maxPieces } == true, "the last sentence needs two windows")
        let scores = try model.scores(sentences)
        var worst = 0.0
        for (s, row) in rows.enumerated() {
            let want = (row["logprobs"]?.arrayValue ?? []).map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] }
            #expect(scores[s].count == want.count)
            for (got, w) in zip(scores[s], want) {
                #expect(got.count == w.count)
                // Scores held out by the word (-1e9) compare exactly; the others to the reference's 4 decimals.
                for (g, x) in zip(got, w) where x > -1e8 { worst = max(worst, abs(Double(g) - x)) }
            }
        }
        #expect(worst < 2e-3, "largest difference \(worst)")
    }

    @Test func aSentenceScoresTheSameAloneOrWithOthers() throws {
        let model = try WordTaggerModel(path: Self.shipped, base: EncoderFixture.directory)
        let a: [Substring] = ["Greece", "and", "Cyprus", "signed", "a", "deal", "."]
        let b: [Substring] = ["Kenya", "\u{200B}", "borrowed", "."]
        let alone = try model.scores([b])
        let together = try model.scores([a, b, []])
        #expect(together.map(\.count) == [7, 4, 0])
        for (x, y) in zip(alone[0].joined(), together[1].joined()) { #expect(abs(x - y) < 1e-4) }
        // A word without pieces (a zero-width space) is certainly outside.
        #expect(together[1][1][0] == 0)
    }

    @Test func aModelThatIsNotATaggerIsRefused() throws {
        let stance = URL(fileURLWithPath: Self.shipped).deletingLastPathComponent()
            .appendingPathComponent("stance-encoder.model").path
        let e = try #require(throws: EncoderError.self) {
            try WordTaggerModel(path: stance, base: EncoderFixture.directory)
        }
        #expect("\(e)".contains("not a word tagger"))
    }
}

/// Word shapes as the training script computes them.
struct WordShapeTests {
    @Test func shapesFollowTheLettersCase() {
        let cases: [(String, Int32)] = [
            ("1,250", 1), ("--", 1), ("minister", 2), ("Baghdad", 3), ("A", 3), ("NATO", 4), ("U.S.", 4), ("iPhone", 5),
            ("McDonald", 5), ("Đorđe", 3), ("İmamoğlu", 3), ("北京", 5), ("'s", 2), ("al-Saadi", 5),
        ]
        for (word, shape) in cases { #expect(WordTaggerModel.shape(of: Substring(word)) == shape, "\(word)") }
    }
}
