import PipelineCore

/// The `delimiter` option shared by `load csv` and `write csv`.
enum CSVDelimiter {
    /// The option declaration.
    static let spec = OptionSpec("delimiter", .string, default: .string(","),
                                 help: "field separator, one ASCII character (\\t for a tab)")

    /// The delimiter byte from resolved options.
    ///
    /// - Throws: ``StageConfigurationError`` when it is not one ASCII character other than `"` and a line break.
    static func parse(_ options: StageOptions) throws -> UInt8 {
        let d = options.string("delimiter") ?? ","
        let unescaped = d == "\\t" ? "\t" : d
        guard unescaped.utf8.count == 1, let b = unescaped.utf8.first, b < 0x80, b != 0x22, b != 0x0A, b != 0x0D else {
            throw StageConfigurationError("delimiter must be one ASCII character other than '\"', got '\(d)'",
                                          option: "delimiter")
        }
        return b
    }
}
