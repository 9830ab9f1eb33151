import PipelineCore

/// The `delimiter` option shared by `load csv` and `write csv`, read as the delimiter byte.
struct CSVDelimiter: StageOptionGroup {
    static let delimiter = StageOption<String>(
        "delimiter", default: ",",
        help: "field separator, one ASCII character (\\t for a tab)")
    static let options: [any OptionDeclaring] = [delimiter]

    /// The byte.
    let byte: UInt8

    /// Reads the delimiter.
    ///
    /// - Throws: ``StageConfigurationError`` when it is not one ASCII character other than `"` and a line break.
    init(options: StageOptions) throws {
        let d = options[Self.delimiter]
        let unescaped = d == "\\t" ? "\t" : d
        guard unescaped.utf8.count == 1, let b = unescaped.utf8.first, b < 0x80, b != 0x22, b != 0x0A, b != 0x0D else {
            throw StageConfigurationError(
                "delimiter must be one ASCII character other than '\"', got '\(OptionValue.abbreviate(d))'",
                option: Self.delimiter.name)
        }
        byte = b
    }
}
