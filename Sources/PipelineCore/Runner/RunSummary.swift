/// What a run did: counts, time, and per-stage timings.
public struct RunSummary: Sendable {
    /// Time spent in one stage, summed over all jobs.
    public struct StageTiming: Sendable {
        /// `"kind name"`.
        public var stage: String
        /// Seconds of work in the stage (summed over jobs; for a loader, reading plus decoding).
        public var seconds: Double
        /// Documents that passed through the stage.
        public var documents: Int
    }

    /// Records read (documents and unreadable records).
    public var documentsIn = 0
    /// Documents written.
    public var documentsOut = 0
    /// Records that failed.
    public var failed = 0
    /// Input bytes read.
    public var bytesIn = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Per-stage timings, in pipeline order.
    public var timings: [StageTiming] = []
    /// The failure that stopped the run under `--on-error fail`.
    public var stoppedBy: DocumentFailure?
    /// Where failures were written under `--on-error skip`, if any were.
    public var errorReport: String?
    /// Under `--resume`, the input records the interrupted run had finished (included in the counts), which this run
    /// skipped; nil for a run from the start.
    public var resumedAfter: Int?

    /// Creates an empty summary.
    public init() {}

    /// `N in, N out, N failed, S s` with the pipeline name.
    public func line(name: String) -> String {
        let s = seconds < 10 ? String(format2: seconds) : String(Int(seconds.rounded()))
        let resumed = resumedAfter.map { ", resumed after \($0)" } ?? ""
        return "\(name): \(documentsIn) documents in, \(documentsOut) out, \(failed) failed\(resumed), \(s) s"
    }
}

extension String {
    /// A number with two decimals (`3.14`, `2.50`).
    public init(format2 v: Double) {
        let r = (v * 100).rounded() / 100
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
        }
        self = s
    }
}
