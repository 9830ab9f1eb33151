/// The declaration of one option a stage accepts: name, type, default, whether it is required, and its range.
public struct OptionSpec: Sendable, Hashable {
    /// The key written in `.pipe` files (`key=value`).
    public var name: String
    /// The value's type.
    public var type: OptionType
    /// One line of help.
    public var help: String
    /// The value used when the line does not set it.
    public var defaultValue: OptionValue?
    /// Whether the line must set it.
    public var isRequired: Bool
    /// Smallest allowed number (int and double options).
    public var minimum: Double?
    /// Largest allowed number (int and double options).
    public var maximum: Double?
    /// Whether `--input` or `--output` replaces this option.
    public var role: OptionRole?

    /// Declares an option.
    ///
    /// - Parameters:
    ///   - name: the key.
    ///   - type: the value type.
    ///   - default: the default value, if any.
    ///   - required: whether the key must be given (then `default` should be `nil`).
    ///   - range: allowed numeric range (inclusive), for int and double options.
    ///   - role: whether `--input` or `--output` replaces it.
    ///   - help: one line of help.
    ///
    /// Swift stages declare ``Option`` values instead, which are typed; this form is for stages whose options are
    /// only known at run time (a worker process describes them in its handshake).
    public init(
        _ name: String, _ type: OptionType, default defaultValue: OptionValue? = nil, required: Bool = false,
        range: ClosedRange<Double>? = nil, role: OptionRole? = nil, help: String
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = required
        self.minimum = range?.lowerBound
        self.maximum = range?.upperBound
        self.role = role
    }

    /// Validates a value already conformed to ``type`` against the range; returns a message when out of range.
    public func rangeProblem(_ value: OptionValue) -> String? {
        let number: Double?
        switch value {
        case .int(let i): number = Double(i)
        case .double(let d): number = d
        default: number = nil
        }
        guard let x = number else { return nil }
        let fmt: (Double) -> String = { type == .int ? String(Int($0)) : String($0) }
        if let lo = minimum, x < lo {
            return maximum.map {
                "\(value.abbreviated()) is out of range for '\(name)' (allowed \(fmt(lo))…\(fmt($0)))"
            }
                ?? "\(value.abbreviated()) is too small for '\(name)' (minimum \(fmt(lo)))"
        }
        if let hi = maximum, x > hi {
            return minimum.map {
                "\(value.abbreviated()) is out of range for '\(name)' (allowed \(fmt($0))…\(fmt(hi)))"
            }
                ?? "\(value.abbreviated()) is too large for '\(name)' (maximum \(fmt(hi)))"
        }
        return nil
    }
}
