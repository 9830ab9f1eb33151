/// The five families of stage, in the order they appear in a pipeline.
public enum StageKind: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Produces documents (files, JSONL, CSV, ...).
    case load
    /// Adds annotation layers (sentences, tokens, entities, ...).
    case extract
    /// Adds a summary.
    case summarize
    /// Scores stance toward actors.
    case stance
    /// Consumes documents (JSONL, CSV, ...).
    case write

    /// Pipeline order: loaders, then transforms (in any order among themselves), then writers.
    var phase: Int {
        switch self {
        case .load: return 0
        case .extract, .summarize, .stance: return 1
        case .write: return 2
        }
    }

    /// Orders kinds by declaration order.
    public static func < (a: StageKind, b: StageKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The keyword.
    public var description: String { rawValue }
}
