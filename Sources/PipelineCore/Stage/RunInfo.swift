import Foundation

/// What a writer is told about the run it takes part in, for outputs that keep a record of their runs (a store's runs
/// table): which pipeline, from which file and in which version of it, with which variables, when, with how many jobs.
public struct RunInfo: Sendable, Hashable {
    /// The pipeline's name (its file name without `.pipe`, or the REPL's session name).
    public var pipeline: String
    /// The `.pipe` file, when the pipeline came from one.
    public var file: String?
    /// FNV-1a 64-bit hash of the `.pipe` file's bytes as 16 hex digits: two runs with the same hash ran the same
    /// definition (variables aside).
    public var fileHash: String?
    /// The pipeline's variables after `--set`, as they would be written in the file (`"out/daily.jsonl"`, `3`).
    public var variables: [(name: String, value: String)]
    /// When the run started.
    public var started: Date
    /// Worker threads.
    public var jobs: Int
    /// The run was started with `--resume`: it continues an interrupted run of the same pipeline when there is one
    /// (from its checkpoint; a store may also take up the interrupted run's record when there was no checkpoint yet).
    public var resume = false

    /// Creates a description.
    public init(
        pipeline: String, file: String? = nil, fileHash: String? = nil, variables: [(name: String, value: String)] = [],
        started: Date = Date(), jobs: Int = 1
    ) {
        self.pipeline = pipeline
        self.file = file
        self.fileHash = fileHash
        self.variables = variables
        self.started = started
        self.jobs = jobs
    }

    /// The description of a run of `pipeline`: its file is read again to hash it (a file that cannot be read has no
    /// hash).
    public init(_ pipeline: Pipeline, jobs: Int, started: Date = Date()) {
        self.init(
            pipeline: pipeline.name, file: pipeline.file, fileHash: Self.hash(ofFile: pipeline.file),
            variables: pipeline.variables.map { ($0.key, $0.value.value.description) }, started: started, jobs: jobs)
    }

    /// The hash of a file's bytes (``fnv1a64Hex(_:)``); nil without a file or when it cannot be read.
    public static func hash(ofFile path: String?) -> String? {
        path.flatMap { FileManager.default.contents(atPath: $0) }.map { fnv1a64Hex($0) }
    }

    /// FNV-1a, 64 bits, as 16 lower-case hex digits.
    public static func fnv1a64Hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Equal when every field is (variables in order).
    public static func == (a: RunInfo, b: RunInfo) -> Bool {
        a.pipeline == b.pipeline && a.file == b.file && a.fileHash == b.fileHash && a.started == b.started
            && a.jobs == b.jobs
            && a.resume == b.resume
            && a.variables.map(\.name) == b.variables.map(\.name)
            && a.variables.map(\.value) == b.variables.map(\.value)
    }

    /// Hashes every field.
    public func hash(into h: inout Hasher) {
        h.combine(pipeline); h.combine(file); h.combine(fileHash); h.combine(started); h.combine(jobs);
        h.combine(resume)
        for v in variables { h.combine(v.name); h.combine(v.value) }
    }
}
