/// A half-open range of Unicode code-point offsets into a document's `text` (`start` inclusive, `end` exclusive),
/// the same indexing as Python strings.
public struct Span: Sendable, Hashable, Comparable {
    /// First code point of the span.
    public var start: Int
    /// One past the last code point.
    public var end: Int

    /// Creates a span; `start <= end` is expected.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Number of code points covered.
    public var length: Int { end - start }

    /// Orders spans by start, then end.
    public static func < (a: Span, b: Span) -> Bool { a.start != b.start ? a.start < b.start : a.end < b.end }
}
