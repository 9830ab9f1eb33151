import ArgumentParser
import PipelineCore

/// Options shared by `run`, `check` and `explain`: the file, variable overrides, input and output replacements.
struct DefinitionOptions: ParsableArguments {
    @Argument(help: "The .pipe file.", completion: .file(extensions: ["pipe"]))
    var file: String

    @Option(
        name: .customLong("set"), help: ArgumentHelp("Override a variable declared with let.", valueName: "NAME=VALUE"))
    var overrides: [String] = []

    @Option(
        name: .customLong("input"),
        help: ArgumentHelp("Replace the path of the first loader (- for stdin).", valueName: "PATH"))
    var input: String?

    @Option(
        name: .customLong("output"),
        help: ArgumentHelp("Replace the path of the last writer (- for stdout).", valueName: "PATH"))
    var output: String?

    @Flag(
        name: .customLong("allow-commands"),
        help: "Let stages run external commands (a .pipe file that runs commands is code).")
    var allowCommands = false

    func validate() throws {
        for o in overrides where !o.contains("=") || o.hasPrefix("=") {
            throw ValidationError("--set takes NAME=VALUE, got '\(o)'")
        }
    }

    /// The overrides split at the first `=`.
    var parsedOverrides: [(name: String, value: String)] {
        overrides.map { o in
            let i = o.firstIndex(of: "=")!
            return (String(o[..<i]), String(o[o.index(after: i)...]))
        }
    }

    /// Parses and builds the pipeline, printing diagnostics; nil when there were errors.
    /// - Parameters:
    ///   - checking: for `check`: stages that run commands are noted rather than refused.
    ///   - loadResources: false for `check` and `explain`, which validate options and files without loading models.
    func build(
        registry: StageRegistry, jobs: Int, checking: Bool = false,
        loadResources: Bool = true
    ) -> (Pipeline?, PipelineBuilder.Outcome) {
        let definition = PipelineDefinition.load(path: file)
        let allowed = allowCommands || TrustFile.trusts(file)
        let settings = BuildSettings(
            overrides: parsedOverrides, input: input, output: output, jobs: jobs,
            commands: allowed ? .allow : (checking ? .note : .refuse), prepare: loadResources)
        let outcome = PipelineBuilder(registry: registry).build(definition, settings: settings)
        if !outcome.diagnostics.isEmpty {
            let renderer = DiagnosticRenderer(sources: outcome.sources, color: Console.colorOnStderr)
            Console.error(renderer.render(outcome.diagnostics))
        }
        return (outcome.pipeline, outcome)
    }
}
