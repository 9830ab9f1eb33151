/// Which input fields hold a document's id, text, title, date and source (loaders of JSON and CSV records use it).
/// An empty name means "no such field".
public struct FieldMapping: Sendable, Hashable {
    /// Field holding the id.
    public var id: String
    /// Field holding the body text.
    public var text: String
    /// Field holding the title.
    public var title: String
    /// Field holding the date (normalised to `YYYY-MM-DD`).
    public var date: String
    /// Field holding the source.
    public var source: String

    /// Creates a mapping; every field defaults to its own name.
    public init(
        id: String = "id", text: String = "text", title: String = "title", date: String = "date",
        source: String = "source"
    ) {
        self.id = id
        self.text = text
        self.title = title
        self.date = date
        self.source = source
    }

    /// The schema's own field names.
    public static let standard = FieldMapping()
}
