import OrderedCollections
import PipelineCore

/// `extract quotes`: direct quotations and reported speech with their speakers, resolved to the people and
/// organisations of `extract entities` (a pronoun or a role to the person named before). See ``QuoteFinder``.
public struct QuotesStage: ExtractStage {
    /// `reported=`: include reported speech.
    static let reported = StageOption<Bool>(
        "reported", default: true,
        help: "also mark reported speech (X said that ...), not only quotation marks")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "quotes",
        help:
            "direct quotes and reported speech, each with its speaker (a person or organisation from extract entities)",
        options: [reported], requires: [.sentences, .tokens, .entities], provides: [.quotes])

    let includeReported: Bool

    /// Reads the options.
    public init(options: StageOptions, context: StageContext) throws { includeReported = options[Self.reported] }

    /// Sets `document.quotes`.
    public func process(_ document: inout Document) throws {
        var q = try QuoteFinder().quotes(
            text: document.text, sentences: document.sentences ?? [], tokens: document.tokens ?? [],
            entities: document.entities ?? [], reported: includeReported)
        if !includeReported { q.removeAll { $0.kind == .reported } }
        document.quotes = q
    }
}
