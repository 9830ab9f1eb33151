/// The stages a pipeline may name, registered explicitly (no reflection). A value type: each front end builds its own,
/// starting from the built-in stages and adding custom ones, so there is no global mutable state.
public struct StageRegistry: Sendable {
    private var factories: [String: StageFactory] = [:]
    private var order: [String] = []

    /// An empty registry.
    public init() {}

    /// A registry holding `types`.
    public init(_ types: [any Stage.Type]) {
        for t in types { register(t) }
    }

    private static func key(_ kind: StageKind, _ name: String) -> String { "\(kind.rawValue) \(name)" }

    /// Registers a Swift stage type. A later registration under the same kind and name replaces the earlier one, so a
    /// custom stage can override a built-in one.
    public mutating func register(_ type: any Stage.Type) {
        register(StageFactory(type))
    }

    /// Registers a factory.
    public mutating func register(_ factory: StageFactory) {
        let d = factory.descriptor
        let k = Self.key(d.kind, d.name)
        if factories[k] == nil { order.append(k) }
        factories[k] = factory
    }

    /// The factory for `kind name`.
    public func factory(kind: StageKind, name: String) -> StageFactory? { factories[Self.key(kind, name)] }

    /// Every descriptor, grouped by kind in pipeline order, then by name.
    public var descriptors: [StageDescriptor] {
        order.compactMap { factories[$0]?.descriptor }.sorted {
            $0.kind != $1.kind ? $0.kind < $1.kind : $0.name < $1.name
        }
    }

    /// The names registered under `kind`.
    public func names(of kind: StageKind) -> [String] {
        descriptors.filter { $0.kind == kind }.map(\.name)
    }

    /// The kinds under which `name` is registered.
    public func kinds(named name: String) -> [StageKind] {
        StageKind.allCases.filter { factories[Self.key($0, name)] != nil }
    }
}

extension Stage {
    /// The stage's kind, checked against the protocol it conforms to.
    static var conformanceKind: StageKind? {
        switch self {
        case is any LoadStage.Type: return .load
        case is any ExtractStage.Type: return .extract
        case is any SummarizeStage.Type: return .summarize
        case is any StanceStage.Type: return .stance
        case is any WriteStage.Type: return .write
        default: return nil
        }
    }
}
