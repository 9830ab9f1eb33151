import OrderedCollections

/// A document that could not be read or processed: which one, where it came from, at which stage, and why.
public struct DocumentFailure: Sendable, Hashable, Error, CustomStringConvertible {
    /// The document id, when known.
    public var id: String?
    /// The input file and line.
    public var origin: RecordOrigin
    /// The stage that failed (`"load jsonl"`, `"extract sentences"`).
    public var stage: String
    /// Why.
    public var message: String

    /// Creates a failure.
    public init(id: String?, origin: RecordOrigin, stage: String, message: String) {
        self.id = id
        self.origin = origin
        self.stage = stage
        self.message = message
    }

    /// One line for people: `document 'ID' (FILE:LINE) failed in 'STAGE': MESSAGE`.
    public var description: String {
        let who = id.map { "document '\($0)'" } ?? "record"
        return "\(who) (\(origin)) failed in '\(stage)': \(message)"
    }

    /// The failure as a JSON object: `{"id", "stage", "message", "file", "line"}`.
    public var json: JSONValue {
        var o = OrderedDictionary<String, JSONValue>()
        o["id"] = id.map(JSONValue.string) ?? .null
        o["stage"] = .string(stage)
        o["message"] = .string(message)
        o["file"] = .string(origin.file)
        if origin.line > 0 { o["line"] = .int(origin.line) }
        return .object(o)
    }
}
