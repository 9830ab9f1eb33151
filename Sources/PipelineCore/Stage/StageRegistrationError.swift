/// Why a stage cannot be registered. Each case names the Swift type (or the stage) at fault.
public enum StageRegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The descriptor's kind differs from the protocol the type conforms to.
    case kindMismatch(type: String, declared: StageKind, conformsTo: StageKind?)
    /// A stage with the same kind and name is already registered (use ``StageRegistry/replace(_:)-(any Stage.Type)``
    /// to replace a built-in stage on purpose).
    case duplicate(stage: String, type: String)
    /// ``StageRegistry/replace(_:)-(any Stage.Type)`` was asked to replace a stage that is not registered.
    case nothingToReplace(stage: String, type: String)
    /// The descriptor declares an option name twice.
    case duplicateOption(stage: String, option: String)
    /// A layer name the stage requires or provides is reserved for a document field, or clashes with a built-in
    /// layer's name in another letter case.
    case reservedLayer(stage: String, layer: String, reason: String)

    /// A message naming the type and what to do.
    public var description: String {
        switch self {
        case .kindMismatch(let type, let declared, let conforms):
            let proto = conforms.map { "\($0.protocolName)" } ?? "none of the stage protocols"
            return "stage type \(type) declares kind '\(declared)' but conforms to \(proto); "
                + "conform to \(declared.protocolName) or declare kind '\(conforms.map(\.rawValue) ?? "?")'"
        case .duplicate(let stage, let type):
            return
                "stage '\(stage)' (\(type)) is already registered; give it another name, or use replace(_:) to replace it on purpose"
        case .nothingToReplace(let stage, let type):
            return "\(type) replaces '\(stage)', which is not registered; use register(_:)"
        case .duplicateOption(let stage, let option):
            return "stage '\(stage)' declares option '\(option)' twice"
        case .reservedLayer(let stage, let layer, let reason):
            return "stage '\(stage)' names layer '\(layer)': \(reason)"
        }
    }
}

extension StageKind {
    /// The Swift protocol of this kind.
    public var protocolName: String {
        switch self {
        case .load: return "LoadStage"
        case .extract: return "ExtractStage"
        case .summarize: return "SummarizeStage"
        case .stance: return "StanceStage"
        case .write: return "WriteStage"
        }
    }
}
