/// A typed value in a `.pipe` file or a `--set` flag.
public indirect enum OptionValue: Sendable, Hashable, CustomStringConvertible {
    /// A string (quoted, or a bare word).
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// A list.
    case list([OptionValue])

    /// The value written in `.pipe` syntax (strings quoted and escaped).
    public var description: String {
        switch self {
        case .string(let s): return OptionValue.quote(s)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The value in `.pipe` syntax, cut to about `limit` characters (`…` marks the cut): error messages quote values
    /// this way, so a huge value never makes a huge message.
    public func abbreviated(limit: Int = 120) -> String {
        var out = ""
        var budget = limit
        render(into: &out, budget: &budget)
        return out
    }

    private func render(into out: inout String, budget: inout Int) {
        guard budget > 0 else { return }
        switch self {
        case .list(let items):
            out += "["
            budget -= 1
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", "; budget -= 2 }
                if budget <= 0 { out += "…"; return }
                item.render(into: &out, budget: &budget)
            }
            if budget <= 0 && !out.hasSuffix("…") { out += "…" }
            out += "]"
        default:
            let text = description
            if text.count > budget {
                out += String(text.prefix(max(1, budget))) + "…"
                budget = 0
            } else {
                out += text
                budget -= text.count
            }
        }
    }

    /// `raw` cut to about `limit` characters, for messages that quote command-line text.
    public static func abbreviate(_ raw: String, limit: Int = 120) -> String {
        raw.count > limit ? String(raw.prefix(limit)) + "…" : raw
    }

    /// How many values the value holds at every depth (a list counts itself and its items), counting no further
    /// than `limit`.
    public func itemCount(limit: Int = .max) -> Int {
        guard case .list(let items) = self else { return 1 }
        var n = 1
        for item in items {
            if n >= limit { return n }
            n += item.itemCount(limit: limit - n)
        }
        return n
    }

    /// The kind of value, for error messages.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .int: return "int"
        case .double: return "double"
        case .bool: return "bool"
        case .list: return "list"
        }
    }

    /// A string literal in `.pipe` syntax.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Checks this value against `type`, returning it in canonical form (ints widened to doubles, single values
    /// wrapped in lists), or a message saying what was expected.
    public func conformed(to type: OptionType) -> Result<OptionValue, OptionTypeMismatch> {
        switch (type, self) {
        case (.string, .string), (.path, .string), (.int, .int), (.double, .double), (.bool, .bool):
            return .success(self)
        case (.double, .int(let i)):
            return .success(.double(Double(i)))
        case (.oneOf(let allowed), .string(let s)):
            if allowed.contains(s) { return .success(self) }
            let hint = Suggest.closest(to: s, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
            return .failure(
                OptionTypeMismatch(
                    "'\(OptionValue.abbreviate(s))' is not one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))\(hint)"
                ))
        case (.list(let element), .list(let items)):
            var out: [OptionValue] = []
            for (i, item) in items.enumerated() {
                switch item.conformed(to: element) {
                case .success(let v): out.append(v)
                case .failure(let m): return .failure(OptionTypeMismatch("item \(i + 1): \(m.message)"))
                }
            }
            return .success(.list(out))
        case (.list(let element), _):
            return conformed(to: element).map { .list([$0]) }
        default:
            return .failure(OptionTypeMismatch("expected \(type.article) \(type), found \(typeName) \(abbreviated())"))
        }
    }
}

/// Why a value does not fit an option's type.
public struct OptionTypeMismatch: Error, Sendable {
    /// The explanation.
    public var message: String
    /// Creates a mismatch.
    public init(_ message: String) { self.message = message }
}

extension OptionType {
    var article: String {
        switch self {
        case .int: return "an"
        case .oneOf: return "one of"
        default: return "a"
        }
    }
}
