import Foundation
import PipelineCore
import PipelineStages

/// The project's fuzz targets: each takes arbitrary bytes, drives one parser or stage with them and checks its
/// invariants, stopping the process (so libFuzzer keeps the input) when one does not hold. `Scripts/fuzz TARGET`
/// runs them under libFuzzer with AddressSanitizer; `swift test` replays their seed corpora and every input that
/// ever failed (Tests/PipelineStagesTests/FuzzRegressions).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The `.pipe` language: lexer, parser, variables and builder, diagnostics rendered.
    case pipe
    /// JSON documents: decode, and when that succeeds, write → read → write is stable.
    case json
    /// `load csv`: every record is a document or a failure with its line; none is lost.
    case csv
    /// `load files`: one document or one failure per file.
    case files
    /// `extract sentences` and `extract tokens`: spans in order, not overlapping, inside the text, on character
    /// boundaries.
    case spans
    /// The extract and summarize stages on arbitrary text with a document date: every layer valid (entities, quotes
    /// and summary sentences inside the text, dates with well-formed values), nothing thrown.
    case extract
    /// `load html`: one document or one failure per page, whatever the bytes (broken markup, any charset, deep
    /// nesting, binary); a document's text is non-empty, trimmed, without carriage returns, and its paragraphs are
    /// separated by at most one blank line.
    case html
    /// `load rss` on one feed file (RSS 0.9x/2.0, RSS 1.0, Atom 0.3/1.0, any bytes): never throws or hangs; every
    /// document has an id, text and a normalised date; the text stays within what the bytes and the internal
    /// entities' budget (`max_bytes`) can give; a second read gives as many records.
    case feed

    /// Runs the target on one input.
    public func run(_ data: [UInt8]) {
        switch self {
        case .pipe: FuzzChecks.pipe(data)
        case .json: FuzzChecks.json(data)
        case .csv: FuzzChecks.csv(data)
        case .files: FuzzChecks.files(data)
        case .spans: FuzzChecks.spans(data)
        case .extract: FuzzChecks.extract(data)
        case .html: FuzzChecks.html(data)
        case .feed: FuzzChecks.feed(data)
        }
    }
}
