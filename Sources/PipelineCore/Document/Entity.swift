import OrderedCollections

/// A named entity mention: who or what a span of text refers to.
public struct Entity: Sendable, Hashable {
    /// Where the mention is in the text.
    public var span: Span
    /// The mention's text, exactly `text[span]`.
    public var text: String
    /// Entity type, e.g. `PER`, `ORG`, `LOC`, `MISC`, `DATE`.
    public var type: String
    /// The canonical actor this mention refers to (e.g. "France" for "French"), when known.
    public var canonical: String?
    /// Further fields written by stages (e.g. `role`, `value`), kept in order and round-tripped.
    public var attributes: OrderedDictionary<String, JSONValue>

    /// Creates an entity.
    public init(
        span: Span, text: String, type: String, canonical: String? = nil,
        attributes: OrderedDictionary<String, JSONValue> = [:]
    ) {
        self.span = span
        self.text = text
        self.type = type
        self.canonical = canonical
        self.attributes = attributes
    }
}
