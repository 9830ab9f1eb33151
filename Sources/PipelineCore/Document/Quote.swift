import OrderedCollections

/// A direct quotation and, when known, who said it.
public struct Quote: Sendable, Hashable {
    /// Where the quotation is in the text.
    public var span: Span
    /// The quoted text.
    public var text: String
    /// The speaker, when attributed.
    public var speaker: String?
    /// Further fields written by stages, kept in order and round-tripped.
    public var attributes: OrderedDictionary<String, JSONValue>

    /// Creates a quote.
    public init(
        span: Span, text: String, speaker: String? = nil,
        attributes: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.span = span
        self.text = text
        self.speaker = speaker
        self.attributes = attributes
    }
}
