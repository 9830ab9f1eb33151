/// The field mapping as options of record loaders (`load jsonl`, `load csv` and custom ones): `id=`, `text=`,
/// `title=`, `date=`, `source=` name the input fields.
extension FieldMapping: StageOptionGroup {
    /// `id=`.
    public static let idField = StageOption<String>("id", default: "id", help: "input field holding the document id")
    /// `text=`.
    public static let textField = StageOption<String>(
        "text", default: "text", help: "input field holding the body text")
    /// `title=`.
    public static let titleField = StageOption<String>("title", default: "title", help: "input field holding the title")
    /// `date=`.
    public static let dateField = StageOption<String>(
        "date", default: "date",
        help: "input field holding the date (normalised to YYYY-MM-DD; \"\" to ignore)")
    /// `source=`.
    public static let sourceField = StageOption<String>(
        "source", default: "source", help: "input field holding the source")

    /// The group's options.
    public static let options: [any OptionDeclaring] = [idField, textField, titleField, dateField, sourceField]

    /// Reads the mapping.
    public init(options: StageOptions) {
        self.init(
            id: options[Self.idField], text: options[Self.textField], title: options[Self.titleField],
            date: options[Self.dateField], source: options[Self.sourceField])
    }
}
