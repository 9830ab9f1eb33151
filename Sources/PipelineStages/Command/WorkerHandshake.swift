import OrderedCollections
import PipelineCore

/// The first line a worker prints: who it is and what it takes.
///
/// ```json
/// {"name": "keywords", "kind": "extract", "help": "...", "requires": ["text"], "provides": ["keyphrases"],
///  "options": [{"name": "top", "type": "int", "default": 5, "min": 1, "max": 50, "help": "..."}]}
/// ```
struct WorkerHandshake: Sendable {
    var name: String
    var kind: StageKind
    var help: String
    var requires: [Layer]
    var provides: [Layer]
    var options: [OptionSpec]

    /// Parses a handshake line, checking it against the stage kind that runs it.
    init(line: [UInt8], expectedKind: StageKind, reserved: [String]) throws {
        let value: JSONValue
        do {
            value = try JSONScanner.parse(line)
        } catch {
            let text = String(decoding: line.prefix(120), as: UTF8.self)
            throw StageConfigurationError(
                "the worker's first line must be its handshake (a JSON object), got '\(text)': \(error)",
                option: "run")
        }
        guard case .object(let o) = value else {
            throw StageConfigurationError("the handshake must be a JSON object", option: "run")
        }
        guard let name = o["name"]?.stringValue, !name.isEmpty else {
            throw StageConfigurationError("the handshake has no 'name'", option: "run")
        }
        guard let kindText = o["kind"]?.stringValue, let kind = StageKind(rawValue: kindText) else {
            throw StageConfigurationError(
                "the handshake's 'kind' must be one of load, extract, summarize, stance", option: "run")
        }
        guard kind == expectedKind else {
            throw StageConfigurationError(
                "the worker '\(name)' is a \(kind) stage; use '\(kind) command'", option: "run")
        }
        self.name = name
        self.kind = kind
        help = o["help"]?.stringValue ?? "external stage \(name)"
        requires = (o["requires"]?.arrayValue ?? []).compactMap(\.stringValue).map { Layer($0) }
        provides = (o["provides"]?.arrayValue ?? []).compactMap(\.stringValue).map { Layer($0) }
        var specs: [OptionSpec] = []
        for item in o["options"]?.arrayValue ?? [] {
            guard case .object(let spec) = item, let optionName = spec["name"]?.stringValue else {
                throw StageConfigurationError("each handshake option needs a 'name'", option: "run")
            }
            if reserved.contains(optionName) {
                throw StageConfigurationError(
                    "the worker declares option '\(optionName)', which the command stage reserves",
                    option: "run")
            }
            let type = try Self.type(spec, optionName)
            var range: ClosedRange<Double>?
            let lo = spec["min"]?.doubleValue, hi = spec["max"]?.doubleValue
            if lo != nil || hi != nil {
                range = (lo ?? -Double.greatestFiniteMagnitude)...(hi ?? Double.greatestFiniteMagnitude)
            }
            var def: OptionValue?
            if let d = spec["default"], d != .null {
                guard let v = Self.optionValue(d), case .success(let conformed) = v.conformed(to: type) else {
                    throw StageConfigurationError(
                        "the default of option '\(optionName)' does not fit its type \(type)", option: "run")
                }
                def = conformed
            }
            specs.append(
                OptionSpec(
                    optionName, type, default: def, required: spec["required"] == .bool(true),
                    range: range, help: spec["help"]?.stringValue ?? ""))
        }
        options = specs
    }

    private static func type(_ spec: OrderedDictionary<String, JSONValue>, _ name: String) throws -> OptionType {
        switch spec["type"]?.stringValue ?? "string" {
        case "string": return .string
        case "int": return .int
        case "double", "number": return .double
        case "bool": return .bool
        case "path": return .path
        case "enum":
            let values = (spec["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            if values.isEmpty { throw StageConfigurationError("enum option '\(name)' needs 'values'", option: "run") }
            return .oneOf(values)
        case "list":
            let item = spec["items"]?.stringValue ?? "string"
            let element: OptionType = ["int": .int, "double": .double, "bool": .bool, "path": .path][item] ?? .string
            return .list(element)
        case let other:
            throw StageConfigurationError(
                "option '\(name)' has unknown type '\(other)' (string, int, double, bool, path, enum, list)",
                option: "run")
        }
    }

    /// A JSON value as an option value.
    static func optionValue(_ value: JSONValue) -> OptionValue? {
        switch value {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .array(let a):
            let items = a.compactMap(optionValue)
            return items.count == a.count ? .list(items) : nil
        default: return nil
        }
    }

    /// An option value as JSON (sent to the worker).
    static func json(_ value: OptionValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .list(let l): return .array(l.map(json))
        }
    }
}
