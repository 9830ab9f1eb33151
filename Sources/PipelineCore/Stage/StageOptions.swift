import OrderedCollections

/// A stage's resolved options: every declared option that has a value (given or default), type-checked, with where each
/// value came from. Stages read them in their initialiser.
public struct StageOptions: Sendable, Hashable {
    /// Values by option name, in declaration order.
    public private(set) var values: OrderedDictionary<String, OptionValue>
    /// Where each value came from.
    public private(set) var origins: [String: ValueOrigin]

    /// Creates options from values already checked against the stage's schema.
    public init(values: OrderedDictionary<String, OptionValue> = [:], origins: [String: ValueOrigin] = [:]) {
        self.values = values
        self.origins = origins
    }

    /// Sets or replaces a value.
    public mutating func set(_ name: String, _ value: OptionValue, origin: ValueOrigin = .api) {
        values[name] = value
        origins[name] = origin
    }

    /// Whether the option has a value.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// Whether the option was set explicitly (not from the default).
    public func isExplicit(_ name: String) -> Bool {
        guard let o = origins[name] else { return false }
        return o != .defaultValue
    }

    /// A string, path or enum option.
    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] { return s }
        return nil
    }

    /// An int option.
    public func int(_ name: String) -> Int? {
        if case .int(let i)? = values[name] { return i }
        return nil
    }

    /// A double option (ints are widened).
    public func double(_ name: String) -> Double? {
        switch values[name] {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    /// A bool option.
    public func bool(_ name: String) -> Bool? {
        if case .bool(let b)? = values[name] { return b }
        return nil
    }

    /// A list option.
    public func list(_ name: String) -> [OptionValue]? {
        if case .list(let l)? = values[name] { return l }
        return nil
    }

    /// A list-of-strings option.
    public func strings(_ name: String) -> [String]? {
        list(name)?.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
    }
}
