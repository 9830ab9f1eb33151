import OrderedCollections
import PipelineCore

/// `write sqlite`: documents and their analysis into an SQLite store (one file, WAL mode), normalised for the questions
/// analysts ask (stance toward an actor by day and by source, top actors by day, quotes by speaker, articles that
/// mention two actors), with a row per run. Re-running a day updates the store rather than duplicating it. The schema
/// (``StoreSchema``) is versioned: a store from an older release is migrated when opened.
public struct SQLiteWriter: ResumableWriteStage {
    /// Name, options and layers.
    public static let descriptor = StageDescriptor(
        kind: .write, name: "sqlite",
        help:
            "an SQLite store (created or updated; WAL; one transaction per batch; runs recorded); see the README for the schema",
        options: [Self.output])

    static let output = StageOption<String>.required(
        "path", type: .path, role: .output,
        help: "the store file (created if missing; an older schema is migrated)")

    let path: String

    /// Reads the options; `-` is refused (a store is a file).
    public init(options: StageOptions, context: StageContext) throws {
        path = options[Self.output]
        if path == "-" {
            throw StageConfigurationError(
                "a store cannot be written to stdout; give a file name such as out/daily.sqlite",
                option: Self.output.name)
        }
        // SQLite would try a device or a pipe as a database: with /dev/null it left /dev/null-journal behind and said
        // only "disk I/O error".
        if OutputTarget.isStream(path) || OutputTarget.isFolder(path) {
            throw StageConfigurationError(
                "'\(path)' is not a regular file; a store is a SQLite file, such as out/daily.sqlite",
                option: Self.output.name)
        }
    }

    /// Opens the store.
    public func makeWriter() throws -> any DocumentWriter { try StoreWriter(path: path) }

    /// Opens the store; resuming (`state` names the interrupted run), the run goes on under its own id.
    public func makeResumableWriter(resuming state: JSONValue?) throws -> any ResumableWriter {
        try StoreWriter(path: path, resumingRun: state?.objectValue?["run_id"].flatMap { $0.intValue }.map(Int64.init))
    }
}
