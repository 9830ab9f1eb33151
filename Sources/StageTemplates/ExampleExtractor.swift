import PipelineCore

/// `extract example min_length=N`: marks the capitalised words of at least N letters, as a custom layer of spans.
/// A starting point: replace `process` with your own extractor.
public struct ExampleExtractor: ExtractStage {
    /// `min_length=`: declared once, typed; read as `options[Self.minLength]`.
    static let minLength = StageOption<Int>("min_length", default: 4, range: 1...100, help: "shortest word to mark")

    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .extract, name: "example", help: "capitalised words of at least min_length letters",
        options: [minLength], requires: [.text], provides: [Layer("example")])

    let minLength: Int

    /// Reads the options once.
    public init(options: StageOptions, context: StageContext) throws {
        minLength = options[Self.minLength]
    }

    /// Adds the layer `example`: `[{"start", "end", "text"}]` in code-point offsets.
    public func process(_ document: inout Document) throws {
        var spans: [JSONValue] = []
        var word: [Unicode.Scalar] = []
        var start = 0
        func flush(_ end: Int) {
            if word.count >= minLength, let first = word.first, first.properties.isUppercase {
                var text = ""
                text.unicodeScalars.append(contentsOf: word)
                spans.append(.object(["start": .int(start), "end": .int(end), "text": .string(text)]))
            }
            word = []
        }
        var i = 0
        for u in document.text.unicodeScalars {
            if u.properties.isAlphabetic {
                if word.isEmpty { start = i }
                word.append(u)
            } else {
                flush(i)
            }
            i += 1
        }
        flush(i)
        document.layers["example"] = .array(spans)
    }
}
