import ArgumentParser
import Dispatch
import Foundation
import PipelineCore
import PipelineREPL

/// `pipeline repl [FILE]`.
struct REPLCommandLine: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore a pipeline stage by stage and inspect every intermediate result.",
        discussion: """
            On a terminal: line editing, history and Tab completion (libedit). With stdin not a terminal, the same commands \
            run without prompts or escape codes: pipeline repl Pipelines/daily.pipe < session.txt. Type :help for the commands.
            """)

    @Argument(help: "The .pipe file to open.", completion: .file(extensions: ["pipe"]))
    var file: String?

    @Option(help: ArgumentHelp("History file (default ~/.pipeline_history, or $PIPELINE_HISTORY).", valueName: "FILE"))
    var history: String?

    @Flag(help: "In scripts, stop at the first error (exit 1).")
    var bail = false

    @Flag(name: .customLong("no-color"), help: "Plain markers instead of colours (also when NO_COLOR is set).")
    var noColor = false

    @Option(help: "Documents processed at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(
        name: .customLong("allow-commands"),
        help: "Let stages run external commands (a .pipe file that runs commands is code).")
    var allowCommands = false

    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        guard jobs >= 1 && jobs <= 1024 else { throw ValidationError("--jobs must be between 1 and 1024") }
    }

    func execute(registry: StageRegistry) -> Int32 {
        let env = ProcessInfo.processInfo.environment
        let interactive = Terminal.stdinIsTerminal && Terminal.stdoutIsTerminal
        let color = interactive && !noColor && env["NO_COLOR"] == nil
        let session = REPLSession(
            registry: registry, style: Style(color: color),
            width: Terminal.columns ?? 100, jobs: jobs)
        let allowAll = allowCommands
        session.allowCommands = { allowAll || TrustFile.trusts($0) }
        defer { session.shutdown() }
        if let file {
            do {
                let message = try session.open(file)
                if interactive { print(message) }
            } catch {
                Console.error("error: \(error)")
                if !interactive { return PipelineCLI.usageError }
            }
        }
        // Ctrl-C interrupts the running stage; the session keeps its last complete state.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let slot = session.interrupts
        source.setEventHandler {
            if slot.fire() { FileHandle.standardError.write(Data("\ninterrupting...\n".utf8)) }
        }
        source.resume()
        defer {
            source.cancel()
            signal(SIGINT, SIG_DFL)
        }
        let reader: LineReader
        if interactive {
            let historyFile =
                history ?? env["PIPELINE_HISTORY"]
                ?? (env["HOME"].map { ($0 as NSString).appendingPathComponent(".pipeline_history") })
            let completer = REPLCompleter(session: session)
            guard let r = EditLineReader(historyFile: historyFile, completer: { completer.candidates($0) }) else {
                Console.error("error: cannot start line editing on this terminal")
                return PipelineCLI.ioError
            }
            reader = r
            print("pipeline repl: :help lists the commands, Tab completes, Ctrl-D leaves.")
        } else {
            reader = PlainLineReader()
        }
        let pager = interactive ? (env["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -R") : nil
        let controller = REPLController(
            session: session, reader: reader, bail: bail, pager: pager,
            write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            writeError: { text in FileHandle.standardError.write(Data(text.utf8)) })
        return controller.run()
    }
}
