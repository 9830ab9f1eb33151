/// The `path` option of a loader: a file, a folder, a glob, or `-` for stdin. `--input` replaces it.
public struct InputPath: StageOptionGroup, Hashable {
    /// `path=`, required.
    public static let pathOption = StageOption<String>.required(
        "path", type: .path, role: .input,
        help: "a file, a folder, a glob pattern, or - for stdin")
    /// The group's options.
    public static let options: [any OptionDeclaring] = [pathOption]

    /// The path as given (`-` for stdin).
    public var path: String

    /// Reads the path.
    public init(options: StageOptions) { path = options[Self.pathOption] }

    /// Whether the input is stdin.
    public var isStandardInput: Bool { path == "-" }
}
