import PipelineCore

/// `summarize lead`: the first sentences of the article, the strong baseline for news, where the most important
/// facts come first.
public struct LeadSummarizer: SummarizeStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .summarize, name: "lead",
        help: "the first K sentences (sentences=K) or a share of them (ratio=R)",
        options: [
            OptionSpec("sentences", .int, default: .int(3), range: 1...10_000, help: "how many leading sentences"),
            OptionSpec("ratio", .double, range: 0.001...1, help: "share of the sentences instead (rounded, at least 1)"),
        ],
        requires: [.sentences], provides: [.summary])

    let count: Int
    let ratio: Double?

    /// Builds the stage; `sentences` and `ratio` exclude each other.
    public init(options: StageOptions, context: StageContext) throws {
        if options.isExplicit("sentences") && options.has("ratio") {
            throw StageConfigurationError("give either sentences=K or ratio=R, not both", option: "ratio")
        }
        count = options.int("sentences") ?? 3
        ratio = options.double("ratio")
    }

    /// Sets `document.summary`.
    public func process(_ document: inout Document) throws {
        let sentences = document.sentences ?? []
        let k: Int
        if let ratio {
            k = sentences.isEmpty ? 0 : max(1, Int((ratio * Double(sentences.count)).rounded()))
        } else {
            k = min(count, sentences.count)
        }
        let chosen = Array(0..<min(k, sentences.count))
        var text = document.text
        let parts: [String] = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            return chosen.map { i in
                let a = offsets.byte(atScalar: sentences[i].start, in: buf)
                let b = offsets.byte(atScalar: sentences[i].end, in: buf)
                return String(decoding: UnsafeBufferPointer(rebasing: buf[a..<max(a, b)]), as: UTF8.self)
            }
        }
        document.summary = Summary(sentences: chosen, text: parts.joined(separator: " "))
    }
}
