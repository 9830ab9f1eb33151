/// A Swift type that an option's value can be read as. `Int`, `Double`, `Bool`, `String`, arrays of these and
/// ``OptionEnum`` types conform; ``Option`` uses the conformance to declare the option's ``OptionType`` and to read
/// its resolved value.
public protocol OptionValueConvertible: Sendable {
    /// The option type declared for values of this Swift type.
    static var optionType: OptionType { get }
    /// Reads a value already checked against ``optionType`` (nil when it does not fit).
    init?(optionValue: OptionValue)
    /// The value in `.pipe` form (for defaults, `pipeline stages` and `explain`).
    var optionValue: OptionValue { get }
}

extension Int: OptionValueConvertible {
    /// `int`.
    public static var optionType: OptionType { .int }
    /// An int value.
    public init?(optionValue: OptionValue) {
        guard case .int(let i) = optionValue else { return nil }
        self = i
    }
    /// `.int(self)`.
    public var optionValue: OptionValue { .int(self) }
}

extension Double: OptionValueConvertible {
    /// `double` (an integer literal is accepted too).
    public static var optionType: OptionType { .double }
    /// A double value; ints are widened.
    public init?(optionValue: OptionValue) {
        switch optionValue {
        case .double(let d): self = d
        case .int(let i): self = Double(i)
        default: return nil
        }
    }
    /// `.double(self)`.
    public var optionValue: OptionValue { .double(self) }
}

extension Bool: OptionValueConvertible {
    /// `bool`.
    public static var optionType: OptionType { .bool }
    /// A bool value.
    public init?(optionValue: OptionValue) {
        guard case .bool(let b) = optionValue else { return nil }
        self = b
    }
    /// `.bool(self)`.
    public var optionValue: OptionValue { .bool(self) }
}

extension String: OptionValueConvertible {
    /// `string` (declare `type: .path` on the option for a file path).
    public static var optionType: OptionType { .string }
    /// A string, path or enum value.
    public init?(optionValue: OptionValue) {
        guard case .string(let s) = optionValue else { return nil }
        self = s
    }
    /// `.string(self)`.
    public var optionValue: OptionValue { .string(self) }
}

extension Array: OptionValueConvertible where Element: OptionValueConvertible {
    /// A list of the element type (a single value is accepted as a one-element list).
    public static var optionType: OptionType { .list(Element.optionType) }
    /// A list whose every item reads as `Element`.
    public init?(optionValue: OptionValue) {
        guard case .list(let items) = optionValue else { return nil }
        var out: [Element] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let e = Element(optionValue: item) else { return nil }
            out.append(e)
        }
        self = out
    }
    /// `.list` of the items.
    public var optionValue: OptionValue { .list(map(\.optionValue)) }
}

/// A string enum usable as an option: its raw values are the allowed words (`newlines=auto|always|never`).
public protocol OptionEnum: OptionValueConvertible, CaseIterable, RawRepresentable where RawValue == String {}

extension OptionEnum {
    /// One of the raw values, in case order.
    public static var optionType: OptionType { .oneOf(allCases.map(\.rawValue)) }
    /// The case with this raw value.
    public init?(optionValue: OptionValue) {
        guard case .string(let s) = optionValue else { return nil }
        self.init(rawValue: s)
    }
    /// `.string(rawValue)`.
    public var optionValue: OptionValue { .string(rawValue) }
}
