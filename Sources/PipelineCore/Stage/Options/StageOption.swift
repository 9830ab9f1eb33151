/// One typed option: the declaration and the accessor in one value, in the spirit of swift-argument-parser's
/// `@Option`. Declare it once as a static member and list it in the descriptor; read it in `init` with
/// `options[Self.name]`:
///
/// ```swift
/// static let sentences = StageOption<Int>("sentences", default: 3, range: 1...10_000, help: "how many sentences")
/// static let model = StageOption<String?>("model", type: .path, help: "another model file")
/// static let path = StageOption<String>.required("path", type: .path, role: .output, help: "output file")
/// ...
/// count = options[Self.sentences]          // Int: the default lives in the declaration only
/// ```
///
/// A non-optional `Value` needs a default or `required`; an optional one (`StageOption<Double?>`) reads `nil` when unset.
/// The name is written once, so a misspelt option is a compile error, not a silent `nil`.
public struct StageOption<Value: Sendable>: OptionDeclaring {
    /// The declaration `pipeline stages`, `check` and `explain` read.
    public let spec: OptionSpec
    let read: @Sendable (OptionValue?) -> Value?

    /// This option's declaration.
    public var specs: [OptionSpec] { [spec] }

    /// The key written in `.pipe` files.
    public var name: String { spec.name }

    init(spec: OptionSpec, read: @escaping @Sendable (OptionValue?) -> Value?) {
        self.spec = spec
        self.read = read
    }
}

extension StageOption where Value: OptionValueConvertible {
    /// An option with a default: reading it always gives a value.
    ///
    /// - Parameters:
    ///   - name: the key in `.pipe` files.
    ///   - default: the value when the line does not set it.
    ///   - type: `.path` for a file path held in a `String`; otherwise leave it out (the type follows `Value`).
    ///   - range: allowed numeric range, inclusive (int and double options).
    ///   - role: `.input` or `.output` when `--input` / `--output` replace this option.
    ///   - help: one line of help.
    public init(
        _ name: String, default defaultValue: Value, type: OptionType? = nil, range: ClosedRange<Double>? = nil,
        role: OptionRole? = nil, help: String
    ) {
        let t = Self.checkedType(type, name)
        self.init(
            spec: OptionSpec(name, t, default: defaultValue.optionValue, range: range, role: role, help: help),
            read: { $0.flatMap(Value.init(optionValue:)) ?? defaultValue })
    }

    /// An option the line must set: reading it always gives a value (the builder rejects a line without it).
    public static func required(
        _ name: String, type: OptionType? = nil, range: ClosedRange<Double>? = nil,
        role: OptionRole? = nil, help: String
    ) -> StageOption {
        let t = checkedType(type, name)
        return StageOption(
            spec: OptionSpec(name, t, required: true, range: range, role: role, help: help),
            read: { $0.flatMap(Value.init(optionValue:)) })
    }

    static func checkedType(_ type: OptionType?, _ name: String) -> OptionType {
        guard let type else { return Value.optionType }
        precondition(
            type.storage == Value.optionType.storage,
            "option '\(name)': type \(type) cannot be read as \(Value.self)")
        return type
    }
}

extension StageOption {
    /// An option that may be left unset: reading it gives `nil` then.
    public init<Wrapped: OptionValueConvertible>(
        _ name: String, type: OptionType? = nil,
        range: ClosedRange<Double>? = nil, role: OptionRole? = nil,
        help: String
    ) where Value == Wrapped? {
        let t = StageOption<Wrapped>.checkedType(type, name)
        self.init(
            spec: OptionSpec(name, t, range: range, role: role, help: help),
            read: { v in .some(v.flatMap(Wrapped.init(optionValue:))) })
    }
}

extension OptionType {
    /// The value shape behind the type: paths and enums are strings.
    var storage: OptionType {
        switch self {
        case .path, .oneOf: return .string
        case .list(let e): return .list(e.storage)
        default: return self
        }
    }
}
