import PipelineCore

/// The field-mapping options shared by record loaders (`load jsonl`, `load csv`).
enum FieldMappingOptions {
    /// Option declarations: `id`, `text`, `title`, `date`, `source`.
    static let specs: [OptionSpec] = [
        OptionSpec("id", .string, default: .string("id"), help: "input field holding the document id"),
        OptionSpec("text", .string, default: .string("text"), help: "input field holding the body text"),
        OptionSpec("title", .string, default: .string("title"), help: "input field holding the title"),
        OptionSpec("date", .string, default: .string("date"),
                   help: "input field holding the date (normalised to YYYY-MM-DD; \"\" to ignore)"),
        OptionSpec("source", .string, default: .string("source"), help: "input field holding the source"),
    ]

    /// The mapping from resolved options.
    static func mapping(_ o: StageOptions) -> FieldMapping {
        FieldMapping(id: o.string("id") ?? "id", text: o.string("text") ?? "text", title: o.string("title") ?? "title",
                     date: o.string("date") ?? "date", source: o.string("source") ?? "source")
    }

    /// `path` for loaders.
    static let pathSpec = OptionSpec("path", .path, required: true,
                                     help: "a file, a folder, a glob pattern, or - for stdin")

    /// A fallback id for a record without one: `file-name:line`.
    static func fallbackID(file: String, line: Int) -> String {
        let base = file == "-" ? "stdin" : (file.split(separator: "/").last.map(String.init) ?? file)
        return "\(base):\(line)"
    }
}
