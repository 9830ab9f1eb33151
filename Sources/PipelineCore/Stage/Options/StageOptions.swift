import OrderedCollections

/// A stage's resolved options: every declared option that has a value (given or default), type-checked, with where each
/// value came from. Stages read them in their initialiser through their typed declarations: `options[Self.sentences]`
/// for an ``Option``, `try options[Self.length]` for a ``Group``.
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

    /// Sets or replaces a typed value (tests and programs that build stages directly).
    public mutating func set<V: OptionValueConvertible>(
        _ option: StageOption<V>, _ value: V, origin: ValueOrigin = .api
    ) {
        set(option.name, value.optionValue, origin: origin)
    }

    /// Sets or replaces the value of an optional option.
    public mutating func set<V: OptionValueConvertible>(
        _ option: StageOption<V?>, _ value: V, origin: ValueOrigin = .api
    ) {
        set(option.name, value.optionValue, origin: origin)
    }

    /// Whether the option has a value.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// Whether the option was set explicitly (not from the default).
    public func isExplicit(_ name: String) -> Bool {
        guard let o = origins[name] else { return false }
        return o != .defaultValue
    }

    /// Whether `option` was set explicitly (not from its default).
    public func isExplicit<V>(_ option: StageOption<V>) -> Bool { isExplicit(option.name) }

    /// The value of `option`: its own value, else its default; `nil` only for an unset optional option.
    ///
    /// A required option without a value is a programming error (the builder never builds a stage without it): it
    /// stops the program with a message naming the option.
    public subscript<V>(option: StageOption<V>) -> V {
        guard let v = option.read(values[option.name]) else {
            preconditionFailure(
                "required option '\(option.name)' has no value; build stages with PipelineBuilder, or set it")
        }
        return v
    }

    /// The group's values, with its rules checked.
    ///
    /// - Throws: ``StageConfigurationError`` when the group's options conflict.
    public subscript<G>(group: Group<G>) -> G {
        get throws { try G(options: self) }
    }
}
