import PipelineCore

/// `summarize __NAME__ sentences=K`: the K longest sentences, in document order. A starting point: replace
/// `process` with your own summariser.
public struct __TYPE__: SummarizeStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "__NAME__", help: "the longest sentences, in document order",
        options: [OptionSpec("sentences", .int, default: .int(2), range: 1...100, help: "how many sentences")],
        requires: [.sentences], provides: [.summary])

    let count: Int

    /// Reads the options once.
    public init(options: StageOptions, context: StageContext) throws {
        count = options.int("sentences") ?? 2
    }

    /// Sets `document.summary`.
    public func process(_ document: inout Document) throws {
        let sentences = document.sentences ?? []
        let chosen = sentences.indices.sorted { sentences[$0].length > sentences[$1].length }.prefix(count).sorted()
        let text = chosen.map { document.text.slice(sentences[$0]) }.joined(separator: " ")
        document.summary = Summary(sentences: Array(chosen), text: text)
    }
}
