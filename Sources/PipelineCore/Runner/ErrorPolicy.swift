/// What the runner does when a document fails.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first failing document (exit code 65).
    case fail
    /// Record the failure in `<output>.errors.jsonl` and go on.
    case skip
}
