/// What an option means to the command line: `--input` replaces the first loader's ``input`` option and `--output`
/// the last writer's ``output`` option, whatever the options are called.
public enum OptionRole: String, Sendable, Hashable {
    /// Where a loader reads (a file, folder, glob, or `-` for stdin).
    case input
    /// Where a writer writes (a file, or `-` for stdout).
    case output
}
