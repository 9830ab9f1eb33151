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
        // Join the chosen sentences' bytes with single spaces, then make one string.
        let summaryText: String = text.withUTF8 { buf in
            var offsets = ScalarOffsets(buf)
            var out: [UInt8] = []
            out.reserveCapacity(chosen.isEmpty ? 0 : min(buf.count, 512))
            for i in chosen {
                let a = offsets.byte(atScalar: sentences[i].start, in: buf)
                let b = max(a, offsets.byte(atScalar: sentences[i].end, in: buf))
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[a..<b]))
            }
            return String(decoding: out, as: UTF8.self)
        }
        document.summary = Summary(sentences: chosen, text: summaryText)
    }
}
