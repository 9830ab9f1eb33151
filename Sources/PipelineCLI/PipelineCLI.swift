import ArgumentParser
import Foundation
import PipelineCore
import PipelineStages

/// The `pipeline` command-line front end as a library: a package that adds custom stages builds its own executable
/// with `PipelineCLI.main(registering: [MyStage.self])`.
public enum PipelineCLI {
    /// Exit code for a definition or usage error.
    public static let usageError: Int32 = 2
    /// Exit code when a document fails under `--on-error fail`.
    public static let dataError: Int32 = 65
    /// Exit code when an input or output cannot be read or written.
    public static let ioError: Int32 = 74
    /// Exit code after Ctrl-C or SIGTERM (128 + SIGINT).
    public static let interrupted: Int32 = 130

    /// Exit code when the stages themselves are inconsistent (a custom stage registered with the wrong kind).
    public static let softwareError: Int32 = 70

    /// Parses the process arguments, runs the command and exits.
    ///
    /// - Parameters:
    ///   - extra: custom stage types, registered after the built-in ones (a kind and name may be registered once).
    ///   - replacing: custom stage types that replace built-in stages of the same kind and name, on purpose.
    public static func main(registering extra: [any Stage.Type] = [], replacing: [any Stage.Type] = []) -> Never {
        // A parent may have started us with SIGINT/SIGTERM blocked (threads inherit the spawning thread's mask):
        // unblock them before any thread exists, so that Ctrl-C and SIGTERM always reach the run.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let registry: StageRegistry
        do {
            registry = try Self.registry(registering: extra, replacing: replacing)
        } catch {
            Console.error("error: \(error)")
            exit(softwareError)
        }
        exit(run(Array(CommandLine.arguments.dropFirst()), registry: registry))
    }

    /// The built-in stages plus `extra` (each kind and name once) with `replacing` put in place of built-in stages.
    ///
    /// - Throws: ``StageRegistrationError`` naming the first stage type that cannot be registered.
    public static func registry(
        registering extra: [any Stage.Type] = [],
        replacing: [any Stage.Type] = []
    ) throws -> StageRegistry {
        var registry = BuiltInStages.registry
        for t in extra { try registry.register(t) }
        for t in replacing { try registry.replace(t) }
        return registry
    }

    /// Runs one command line against `registry` and returns the exit code.
    public static func run(_ arguments: [String], registry: StageRegistry) -> Int32 {
        do {
            var command = try RootCommand.parseAsRoot(arguments)
            if let c = command as? any RegistryCommand {
                let extended: StageRegistry
                do {
                    extended = try c.plugins.extend(registry)
                } catch {
                    Console.error("error: \(error)")
                    if case .registration = error { return softwareError }
                    return usageError
                }
                return c.execute(registry: extended)
            }
            try command.run()
            return 0
        } catch {
            let code = RootCommand.exitCode(for: error)
            let message = RootCommand.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            Console.error(message)
            return code == .validationFailure ? usageError : code.rawValue
        }
    }
}

/// A subcommand that needs the stage registry.
protocol RegistryCommand {
    /// `--plugin` paths, loaded into the registry before ``execute(registry:)``.
    var plugins: PluginOptions { get }
    /// Runs the command with the built-in stages and the plugins' stages; returns the exit code.
    func execute(registry: StageRegistry) -> Int32
}

/// `pipeline`.
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract:
            "Turn a day's news into structured intelligence: run .pipe pipelines of load, extract, summarize, stance and write stages.",
        subcommands: [
            RunCommand.self, CheckCommand.self, ExplainCommand.self, StagesCommand.self, TrainCommand.self,
            ScoreCommand.self, PluginCommand.self,
            REPLCommandLine.self,
        ])
}
