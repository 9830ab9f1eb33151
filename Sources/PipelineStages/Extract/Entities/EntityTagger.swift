import Foundation
import PipelineCore
import PipelineEncoder

/// What tags an article's tokens for `extract entities`: the linear tagger the project trains itself (the default,
/// ``EntityModel``), or the transformer encoder fine-tuned as a word tagger (`model=encoder`, ``WordTaggerModel``),
/// which reads each word in its whole sentence's context at a hundredth of the speed.
enum EntityTagger: Sendable {
    /// The averaged perceptron with its document-level second pass.
    case linear(EntityModel)
    /// The fine-tuned encoder, Viterbi over its per-word tag probabilities.
    case encoder(WordTaggerModel)
    /// The linear tagger with the encoder's per-word tag log-probabilities, times `weight`, added to both passes'
    /// scores.
    case combined(EntityModel, WordTaggerModel, weight: Float)

    /// Reads a model file of either kind, told apart by its first bytes: a safetensors file (a header length, then
    /// `{`) is a word tagger over the base encoder, which must then be there and verified; anything else is read as a
    /// linear model (`PIPENER1`), whose reader says what is wrong with a file that is not one.
    ///
    /// - Throws: ``StageConfigurationError`` on `option` naming the file (or the command that fetches the base encoder).
    static func load(_ path: String, option: String) throws -> EntityTagger {
        let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 9) }.map(Array.init) ?? []
        guard head.count == 9, head[8] == UInt8(ascii: "{") else {
            return .linear(try EntityModel.load(path, option: option))
        }
        let base = BaseEncoder.directory()
        do {
            try BaseEncoder.verify(base)
            let model = try WordTaggerModel(path: path, base: base)
            guard model.labels == EntityTags.names else {
                throw EncoderError.invalid(
                    path,
                    "its tags are \(model.labels.joined(separator: ",")), not \(EntityTags.names.joined(separator: ","))"
                )
            }
            return .encoder(model)
        } catch let error as EncoderError {
            throw StageConfigurationError(
                "\(error) (an entity model is a file written by `pipeline train extract entities`)", option: option)
        }
    }

    /// The BIO tags (``EntityTags``) of each sentence's words with the encoder: Viterbi over the log-probabilities,
    /// with the transitions BIO forbids left out.
    static func tags(_ model: WordTaggerModel, sentences: [[Substring]]) throws -> [[Int]] {
        let none = [Float](repeating: 0, count: (EntityTags.count + 1) * EntityTags.count)
        return try model.scores(sentences).map { words in
            LinearTagger.viterbi(Array(words.joined()), n: words.count, transitions: none)
        }
    }
}
