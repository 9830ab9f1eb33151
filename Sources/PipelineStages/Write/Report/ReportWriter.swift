import Foundation
import GRDB
import PipelineCore

/// `write report`: a self-contained static HTML report of the period ending on the latest day in a store (written by
/// `write sqlite` earlier in the same pipeline, or by earlier runs): the top actors with average stance and article
/// counts; a stance-over-time chart per top actor (daily mean and rolling mean); how each source covers the same
/// actors; the most-quoted speakers; the articles with their summaries; and which top actors appear together. One
/// file with inline CSS and SVG, no script, readable without JavaScript; written atomically at the end of the run.
public struct ReportWriter: ResumableWriteStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "report",
        help:
            "a static HTML report (trends, sources, quotes, articles) from an SQLite store; put it after write sqlite",
        options: [Self.output, Self.store, Self.days, Self.top, Self.window, Self.title])

    static let output = StageOption<String>.required("path", type: .path, role: .output, help: "the HTML file to write")
    static let store = StageOption<String>.required(
        "store", type: .path, help: "the SQLite store to read (the path of write sqlite)")
    static let days = StageOption<Int>(
        "days", default: 30, range: 1...3660, help: "days in the period, ending on the latest day in the store")
    static let top = StageOption<Int>("top", default: 8, range: 1...50, help: "actors shown (most articles first)")
    static let window = StageOption<Int>(
        "window", default: 7, range: 1...365, help: "days in the rolling mean of the charts")
    static let title = StageOption<String>("title", default: "Daily news report", help: "the report's heading")

    let path: String
    let storePath: String
    let limits: ReportData.Limits
    let heading: String

    /// Reads the options; `-` is refused for both files.
    public init(options: StageOptions, context: StageContext) throws {
        path = options[Self.output]
        storePath = options[Self.store]
        if path == "-" {
            throw StageConfigurationError(
                "the report is a file; give a name such as out/report.html", option: Self.output.name)
        }
        if storePath == "-" {
            throw StageConfigurationError(
                "give the store's file name (the path of write sqlite)", option: Self.store.name)
        }
        var l = ReportData.Limits()
        l.days = options[Self.days]
        l.top = options[Self.top]
        l.window = options[Self.window]
        limits = l
        heading = options[Self.title]
    }

    /// The report is made when the run completes.
    public func makeWriter() throws -> any DocumentWriter { Writer(stage: self) }

    /// The report keeps no state during the run: resuming is starting.
    public func makeResumableWriter(resuming state: JSONValue?) throws -> any ResumableWriter { Writer(stage: self) }

    /// Renders the report from the store at `store` into HTML.
    static func render(
        store: String, limits: ReportData.Limits, title: String, generated: Date = Date()
    ) throws -> String {
        guard FileManager.default.fileExists(atPath: store) else {
            throw StoreError(
                path: store,
                message: "no store here; put `write sqlite path=\"\(store)\"` before `write report` in the pipeline")
        }
        let pool = try StoreSchema.open(store, readOnly: true)
        defer { StoreSchema.close(pool) }
        let data: ReportData?
        do {
            data = try pool.read { db in try ReportData.load(db, limits: limits) }
        } catch {
            throw StoreError(path: store, message: StoreSchema.describe(error))
        }
        return ReportPage(title: title, generated: generated).render(data)
    }

    final class Writer: ResumableWriter {
        let stage: ReportWriter
        init(stage: ReportWriter) { self.stage = stage }

        func checkpoint() throws -> JSONValue { .null }

        var destination: String? { stage.path }

        /// The documents reach the report through the store.
        func write(_ document: Document) throws {}

        func finish() throws {
            let html = try ReportWriter.render(store: stage.storePath, limits: stage.limits, title: stage.heading)
            let file = try AtomicFile(path: stage.path)
            do {
                try file.write(Array(html.utf8))
                try file.commit()
            } catch {
                file.discard()
                throw error
            }
        }

        func abort() {}
    }
}
