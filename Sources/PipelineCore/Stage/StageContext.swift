/// What a stage may know about the run that builds it.
public struct StageContext: Sendable {
    /// The `.pipe` file that declared the stage, if any.
    public var definitionFile: String?
    /// Where the stage is declared.
    public var location: SourceLocation?
    /// How many documents may be processed at once.
    public var jobs: Int

    /// Creates a context.
    public init(definitionFile: String? = nil, location: SourceLocation? = nil, jobs: Int = 1) {
        self.definitionFile = definitionFile
        self.location = location
        self.jobs = jobs
    }
}
