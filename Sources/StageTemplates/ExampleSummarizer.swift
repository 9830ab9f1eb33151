import PipelineCore

/// `summarize example sentences=K`: the longest sentences, in document order. Takes the shared length options
/// (`sentences=`, `ratio=`, `words=`). A starting point: replace `process` with your own summariser.
public struct ExampleSummarizer: SummarizeStage {
    /// `sentences=`, `ratio=`, `words=` with their rules, shared by every summarizer.
    static let length = Group(SummaryLength.self)

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "example", help: "the longest sentences, in document order",
        options: [length], requires: [.sentences], provides: [.summary])

    let length: SummaryLength

    /// Reads the options once (two length options at once are an error at the option).
    public init(options: StageOptions, context: StageContext) throws {
        length = try options[Self.length]
    }

    /// Sets `document.summary`.
    public func process(_ document: inout Document) throws {
        let sentences = document.sentences ?? []
        let byLength = sentences.indices.sorted { sentences[$0].length > sentences[$1].length }
        let words = byLength.map { document.text.slice(sentences[$0]).split(separator: " ").count }
        let chosen = byLength.prefix(length.count(wordCounts: words)).sorted()
        let text = chosen.map { document.text.slice(sentences[$0]) }.joined(separator: " ")
        document.summary = Summary(sentences: Array(chosen), text: text)
    }
}
