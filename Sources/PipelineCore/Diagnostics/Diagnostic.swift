/// A problem found in a pipeline definition, with where it is.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable, Hashable {
        /// The pipeline cannot run.
        case error
        /// The pipeline runs, but probably not as meant.
        case warning
        /// Extra information attached to an error.
        case note
    }

    /// How bad it is.
    public var severity: Severity
    /// What is wrong (may include "did you mean ...?").
    public var message: String
    /// Where; `nil` for problems on the command line.
    public var location: SourceLocation?
    /// Further explanations printed after the source excerpt.
    public var notes: [String]

    /// Creates a diagnostic.
    public init(
        _ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil,
        notes: [String] = []
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// An error.
    public static func error(_ message: String, at location: SourceLocation? = nil, notes: [String] = []) -> Diagnostic
    {
        Diagnostic(.error, message, at: location, notes: notes)
    }

    /// `FILE:LINE:COL: error: MESSAGE` (one line, no excerpt).
    public var description: String {
        if let l = location { return "\(l): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// A pipeline definition has errors; each is reported with its location.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Creates the error.
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// All diagnostics, one per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
