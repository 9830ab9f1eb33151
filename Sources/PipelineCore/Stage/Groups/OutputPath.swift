/// The `path` option of a writer: a file, or `-` for stdout. `--output` replaces it.
public struct OutputPath: StageOptionGroup, Hashable {
    /// `path=`, required.
    public static let pathOption = StageOption<String>.required(
        "path", type: .path, role: .output,
        help: "output file, or - for stdout")
    /// The group's options.
    public static let options: [any OptionDeclaring] = [pathOption]

    /// The path as given (`-` for stdout).
    public var path: String

    /// Reads the path.
    public init(options: StageOptions) { path = options[Self.pathOption] }
}
