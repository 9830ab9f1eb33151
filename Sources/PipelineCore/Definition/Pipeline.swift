import OrderedCollections

/// A built, validated pipeline: loaders, then transforms, then writers, each with live stage instances. Build one with
/// ``PipelineBuilder``; run it with ``PipelineRunner``, or one stage at a time with ``TransformStage/process(_:)``
/// through ``PipelineRunner/apply(_:to:jobs:)``.
public struct Pipeline: Sendable {
    /// The display name (file name without `.pipe`).
    public var name: String
    /// The definition file, when there is one.
    public var file: String?
    /// All stages in order.
    public var stages: [ResolvedStage]
    /// The variables with their resolved values and origins.
    public var variables: OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)>

    /// Creates a pipeline from stages already resolved.
    public init(
        name: String, file: String? = nil, stages: [ResolvedStage],
        variables: OrderedDictionary<String, (value: OptionValue, origin: ValueOrigin)> = [:]
    ) {
        self.name = name
        self.file = file
        self.stages = stages
        self.variables = variables
    }

    /// The load stages.
    public var loaders: [ResolvedStage] { stages.filter { $0.descriptor.kind == .load } }
    /// The extract, summarize and stance stages, in order.
    public var transforms: [ResolvedStage] { stages.filter { $0.descriptor.kind.phase == 1 } }
    /// The write stages.
    public var writers: [ResolvedStage] { stages.filter { $0.descriptor.kind == .write } }

    /// Releases every stage's outside resources (worker processes); call once when done with the pipeline.
    public func shutdown() {
        for s in stages { s.instance.shutdown() }
    }
}
