/// Something that declares options in a ``StageDescriptor``: one ``Option``, an ``StageOptionGroup`` through ``Group``,
/// or a plain ``OptionSpec`` (for stages that learn their options at run time).
public protocol OptionDeclaring: Sendable {
    /// The declarations, in the order `pipeline stages` lists them.
    var specs: [OptionSpec] { get }
}

extension OptionSpec: OptionDeclaring {
    /// This one declaration.
    public var specs: [OptionSpec] { [self] }
}
