/// The substrings of one text by code-point spans, for a stage that slices many spans of a document (its tokens):
/// the text's UTF-8 bytes are copied once and byte offsets found through ``ScalarOffsets`` (free for ASCII text, a
/// forward cursor otherwise), so no span rebuilds its string scalar by scalar. Like ``Swift/String/slice(_:)``,
/// spans are clamped to the text.
public struct TextSlicer {
    private let bytes: [UInt8]
    private var offsets: ScalarOffsets

    /// Prepares slicing of `text`.
    public init(_ text: String) {
        bytes = Array(text.utf8)
        offsets = bytes.withUnsafeBufferPointer { ScalarOffsets($0) }
    }

    /// The text covered by `span`.
    public mutating func slice(_ span: Span) -> String {
        bytes.withUnsafeBufferPointer { buf in
            let a = offsets.byte(atScalar: max(0, span.start), in: buf)
            let b = max(a, offsets.byte(atScalar: max(0, span.end), in: buf))
            return String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
        }
    }
}
