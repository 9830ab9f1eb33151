/// A run ended early for a reason other than a failing document. Callers match the case (the CLI maps it to an exit
/// code); the description is the message for people.
public enum RunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline has no load stage.
    case noLoader
    /// An input could not be opened or read (a disk error, a producer that could not start).
    case input(stage: String, message: String)
    /// An output could not be opened, written or completed.
    case output(stage: String, message: String)
    /// The run was cancelled (Ctrl-C, SIGTERM, the REPL's interrupt); outputs were discarded.
    case interrupted
    /// `--resume` was asked for but the run cannot be resumed (a writer that cannot, output to stdout, a checkpoint
    /// of another pipeline).
    case cannotResume(String)

    /// The message.
    public var description: String {
        switch self {
        case .noLoader: return "the pipeline has no load stage"
        case .input(let stage, let message), .output(let stage, let message): return "\(stage): \(message)"
        case .interrupted: return "interrupted; no output was written"
        case .cannotResume(let why): return "cannot resume: \(why)"
        }
    }
}
