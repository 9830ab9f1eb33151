/// Options that several stages share, declared once with their rules (in the spirit of swift-argument-parser's
/// `@OptionGroup`). A stage lists the group with ``Group`` and reads it as one value:
///
/// ```swift
/// static let length = Group(SummaryLength.self)
/// ... options: [Self.length, ...]
/// length = try options[Self.length]     // checks the group's rules (sentences / ratio / words exclude each other)
/// ```
public protocol StageOptionGroup: Sendable {
    /// The group's options, in listing order.
    static var options: [any OptionDeclaring] { get }
    /// Reads the group from resolved options, checking the rules between its options.
    ///
    /// - Throws: ``StageConfigurationError`` naming the option at fault.
    init(options: StageOptions) throws
}

/// An ``StageOptionGroup`` as it is listed in a descriptor and read in a stage.
public struct Group<G: StageOptionGroup>: OptionDeclaring {
    /// Declares the group.
    public init(_ type: G.Type = G.self) {}
    /// Every option of the group.
    public var specs: [OptionSpec] { G.options.flatMap(\.specs) }
}
