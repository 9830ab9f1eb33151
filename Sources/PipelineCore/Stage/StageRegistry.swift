/// The stages a pipeline may name, registered explicitly (no reflection). A value type: each front end builds its own,
/// starting from the built-in stages and adding custom ones, so there is no global mutable state.
///
/// Registration checks each stage: its descriptor's kind must be the kind of the protocol it conforms to, a kind and
/// name may be registered once (``replace(_:)-(any Stage.Type)`` replaces a stage on purpose), option names are
/// unique, and layer names do not clash with the document's own fields.
public struct StageRegistry: Sendable {
    private var factories: [String: StageFactory] = [:]
    private var order: [String] = []
    /// The plugins whose stages are registered, in the order they were added.
    public private(set) var plugins: [LoadedPlugin] = []

    /// An empty registry.
    public init() {}

    /// A registry holding `types`.
    ///
    /// - Throws: ``StageRegistrationError`` for the first type that cannot be registered.
    public init(_ types: [any Stage.Type]) throws {
        for t in types { try register(t) }
    }

    private static func key(_ kind: StageKind, _ name: String) -> String { "\(kind.rawValue) \(name)" }

    /// Registers a Swift stage type.
    ///
    /// - Throws: ``StageRegistrationError`` when the kind does not match the protocol, the kind and name are taken,
    ///   or the descriptor is inconsistent.
    public mutating func register(_ type: any Stage.Type) throws {
        try register(StageFactory(checking: type))
    }

    /// Replaces the registered stage of the same kind and name with `type` (a custom stage that overrides a built-in
    /// one).
    ///
    /// - Throws: ``StageRegistrationError/nothingToReplace(stage:type:)`` when there is no such stage, and the checks
    ///   of ``register(_:)-(any Stage.Type)``.
    public mutating func replace(_ type: any Stage.Type) throws {
        let f = try StageFactory(checking: type)
        let k = Self.key(f.descriptor.kind, f.descriptor.name)
        guard factories[k] != nil else {
            throw StageRegistrationError.nothingToReplace(stage: f.descriptor.qualifiedName, type: f.typeName)
        }
        try Self.check(f.descriptor, type: f.typeName)
        factories[k] = f
    }

    /// Registers a factory.
    ///
    /// - Throws: ``StageRegistrationError/duplicate(stage:type:)`` when the kind and name are taken, and the
    ///   descriptor checks.
    public mutating func register(_ factory: StageFactory) throws {
        let d = factory.descriptor
        let k = Self.key(d.kind, d.name)
        guard factories[k] == nil else {
            throw StageRegistrationError.duplicate(stage: d.qualifiedName, type: factory.typeName)
        }
        try Self.check(d, type: factory.typeName)
        order.append(k)
        factories[k] = factory
    }

    /// Registers the stages of a loaded plugin (once: a plugin already registered is skipped), and replaces the
    /// built-in stages it replaces.
    ///
    /// - Throws: ``PluginError/registration(path:error:)`` naming the plugin file, for the first stage that cannot be
    ///   registered; the registry is then unchanged.
    public mutating func register(plugin: LoadedPlugin) throws(PluginError) {
        guard !plugins.contains(plugin) else { return }
        var copy = self
        do {
            for t in plugin.types { try copy.register(t) }
            for t in plugin.replacing { try copy.replace(t) }
        } catch let e as StageRegistrationError {
            throw .registration(path: plugin.path, error: e)
        } catch {
            preconditionFailure("registration throws StageRegistrationError only: \(error)")
        }
        copy.plugins.append(plugin)
        self = copy
    }

    /// The plugin that registered `kind name`, if a plugin did.
    public func plugin(registering kind: StageKind, _ name: String) -> LoadedPlugin? {
        plugins.last { p in
            (p.types + p.replacing).contains { $0.descriptor.kind == kind && $0.descriptor.name == name }
        }
    }

    /// Field names of the JSON document that are not layers.
    static let reservedLayerNames: Set<String> = ["id", "source", "meta", "layers", "error"]

    private static func check(_ descriptor: StageDescriptor, type: String) throws {
        if let dup = descriptor.duplicateOptionNames.first {
            throw StageRegistrationError.duplicateOption(stage: descriptor.qualifiedName, option: dup)
        }
        for layer in descriptor.requires + descriptor.provides {
            if reservedLayerNames.contains(layer.name) {
                throw StageRegistrationError.reservedLayer(
                    stage: descriptor.qualifiedName, layer: layer.name,
                    reason: "'\(layer.name)' is a field of every document, not a layer")
            }
            if layer.name.isEmpty {
                throw StageRegistrationError.reservedLayer(
                    stage: descriptor.qualifiedName, layer: "", reason: "a layer needs a name")
            }
            if !Layer.builtIn.contains(layer),
                let b = Layer.builtIn.first(where: { $0.name.lowercased() == layer.name.lowercased() })
            {
                throw StageRegistrationError.reservedLayer(
                    stage: descriptor.qualifiedName, layer: layer.name,
                    reason: "it differs from the built-in layer '\(b)' only in case")
            }
        }
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
