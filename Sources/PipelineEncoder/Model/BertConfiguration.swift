import Foundation
import PipelineCore

/// The shape of a BERT encoder, from its `config.json`.
public struct BertConfiguration: Sendable, Equatable {
    /// Width of every token vector (384 for MiniLM-L6).
    public var hidden: Int
    /// Transformer layers.
    public var layers: Int
    /// Attention heads per layer; `hidden` is a multiple of it.
    public var heads: Int
    /// Width of the feed-forward layer.
    public var intermediate: Int
    /// Longest input, in pieces.
    public var maxPositions: Int
    /// Vocabulary size.
    public var vocabulary: Int
    /// Segment (token type) ids.
    public var segments: Int
    /// Layer norm's epsilon.
    public var epsilon: Float

    /// Reads `config.json`.
    ///
    /// - Throws: ``EncoderError`` when it is missing, not a BERT configuration, or uses an activation or position
    ///   embedding this implementation does not have.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError.missing(path, "cannot read the configuration")
        }
        guard let o = (try? JSONScanner.parse(Array(data)))?.objectValue else {
            throw EncoderError.invalid(path, "the configuration is not a JSON object")
        }
        func int(_ key: String) throws -> Int {
            guard let v = o[key]?.intValue, v > 0 else { throw EncoderError.invalid(path, "no positive '\(key)'") }
            return v
        }
        guard o["model_type"]?.stringValue == "bert" else {
            throw EncoderError.invalid(path, "model_type is not \"bert\"")
        }
        guard (o["hidden_act"]?.stringValue ?? "gelu") == "gelu" else {
            throw EncoderError.invalid(
                path, "hidden_act '\(o["hidden_act"]?.stringValue ?? "")' is not supported (gelu)")
        }
        guard (o["position_embedding_type"]?.stringValue ?? "absolute") == "absolute" else {
            throw EncoderError.invalid(path, "only absolute position embeddings are supported")
        }
        hidden = try int("hidden_size")
        layers = try int("num_hidden_layers")
        heads = try int("num_attention_heads")
        intermediate = try int("intermediate_size")
        maxPositions = try int("max_position_embeddings")
        vocabulary = try int("vocab_size")
        segments = try int("type_vocab_size")
        let eps = o["layer_norm_eps"]
        epsilon = Float(eps?.doubleValue ?? 1e-12)
        guard hidden % heads == 0 else {
            throw EncoderError.invalid(path, "hidden_size \(hidden) is not a multiple of num_attention_heads \(heads)")
        }
    }
}
