import ArgumentParser
import Foundation
import PipelineCore

/// `pipeline train KIND NAME --train FILE --out MODEL`.
struct TrainCommand: ParsableCommand, RegistryCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the model of a trainable stage (e.g. extract entities) and write it to a file.",
        discussion: """
            Prints the dev score after every epoch (with a progress bar on a terminal) and writes the model of the best \
            epoch. The same files, epochs and seed give a byte-identical model. Load it with the stage's model= option. \
            Exit codes: 0 success, 2 usage error (unknown or untrainable stage), 65 malformed training data, 74 a file \
            could not be read or written.
            """)

    @Argument(help: "The stage's kind and name, e.g. extract entities.")
    var stage: [String]

    @Option(name: .customLong("train"), help: ArgumentHelp("A training file (repeat for several).", valueName: "FILE"))
    var trainFiles: [String] = []

    @Option(
        help: ArgumentHelp(
            "A held-out file scored after every epoch; the best epoch's model is kept.", valueName: "FILE"))
    var dev: String?

    @Option(
        name: .customLong("unlabelled"),
        help: ArgumentHelp("Unannotated news the stage may also learn from (repeat for several).", valueName: "FILE"))
    var unlabelledFiles: [String] = []

    @Option(help: ArgumentHelp("Where to write the model.", valueName: "MODEL"))
    var out: String

    @Option(help: "Passes over the training data (default: the stage's).")
    var epochs: Int?

    @Option(help: "Seed for shuffling; the same seed gives the same model.")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("setting"),
        help: ArgumentHelp(
            "A training setting of the stage (repeat for several; `pipeline stages KIND NAME` lists them), "
                + "for choosing settings by cross-validation.", valueName: "NAME=VALUE"))
    var settingPairs: [String] = []

    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        guard stage.count == 2 else {
            throw ValidationError("name the stage as KIND NAME, e.g. pipeline train extract entities")
        }
        guard !trainFiles.isEmpty else { throw ValidationError("give at least one --train FILE") }
        for pair in settingPairs where !pair.contains("=") || pair.hasPrefix("=") {
            throw ValidationError("--setting takes NAME=VALUE, e.g. --setting lr=1e-3; got '\(pair)'")
        }
        if let e = epochs, !TrainingRequest.epochRange.contains(e) {
            throw ValidationError(
                "--epochs must be between \(TrainingRequest.epochRange.lowerBound) and \(TrainingRequest.epochRange.upperBound)"
            )
        }
    }

    func execute(registry: StageRegistry) -> Int32 {
        guard let kind = StageKind(rawValue: stage[0]) else {
            Console.error(
                "error: unknown kind '\(stage[0])'\(Suggest.hint(for: stage[0], in: StageKind.allCases.map(\.rawValue)))"
            )
            return PipelineCLI.usageError
        }
        let trainable = registry.descriptors.filter { registry.factory(kind: $0.kind, name: $0.name)?.train != nil }
            .map(\.qualifiedName)
        guard let factory = registry.factory(kind: kind, name: stage[1]) else {
            Console.error(
                "error: unknown \(kind) stage '\(stage[1])'"
                    + Suggest.hint(for: "\(kind) \(stage[1])", in: trainable))
            Console.error("note: trainable stages: \(trainable.isEmpty ? "none" : trainable.joined(separator: ", "))")
            return PipelineCLI.usageError
        }
        guard let train = factory.train, let info = factory.training else {
            Console.error("error: '\(factory.descriptor.qualifiedName)' has no model to train")
            Console.error("note: trainable stages: \(trainable.isEmpty ? "none" : trainable.joined(separator: ", "))")
            return PipelineCLI.usageError
        }
        let request = TrainingRequest(
            trainFiles: trainFiles, devFile: dev, unlabelledFiles: unlabelledFiles, output: out,
            epochs: epochs ?? info.defaultEpochs, seed: seed, settings: settings)
        let bar = ProgressBar(enabled: Console.stderrIsTerminal)
        do {
            let summary = try train(request) { event in
                switch event {
                case .note(let text):
                    bar.clear()
                    Console.error(text)
                case .progress(let epoch, let done, let total):
                    bar.show("epoch \(epoch)/\(request.epochs)", done: done, total: total)
                case .epochEnded(let epoch, let seconds, let dev):
                    bar.clear()
                    Console.error(
                        "epoch \(epoch)/\(request.epochs)  \(String(format: "%.1f", seconds)) s"
                            + (dev.isEmpty ? "" : "  dev " + Self.measures(dev, main: info.metric)))
                }
            }
            bar.clear()
            let size = summary.modelBytes >= 10_240 ? "\(summary.modelBytes / 1024) KB" : "\(summary.modelBytes) bytes"
            Console.error(
                "wrote \(out) (\(size)), epoch \(summary.epoch)"
                    + (summary.dev.isEmpty ? "" : ", dev " + Self.measures(summary.dev, main: info.metric)))
            return 0
        } catch let e as TrainingError {
            bar.clear()
            Console.error("error: \(e)")
            switch e {
            case .data: return PipelineCLI.dataError
            case .io: return PipelineCLI.ioError
            case .request: return PipelineCLI.usageError
            }
        } catch {
            bar.clear()
            Console.error("error: \(error)")
            return PipelineCLI.ioError
        }
    }

    /// `--setting` pairs by name (the last one wins).
    var settings: [String: String] {
        var out: [String: String] = [:]
        for pair in settingPairs {
            let eq = pair.firstIndex(of: "=")!
            out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return out
    }

    /// `F1 90.12 (P 91.00, R 89.25)`: the main measure first, the others sorted, as percentages.
    static func measures(_ m: [String: Double], main stated: String) -> String {
        let pct = { (v: Double) in String(format: "%.2f", v * 100) }
        // A stage may report another measure than its usual one (stance encoder: F avg for a SemEval file).
        let main = m[stated] != nil ? stated : (m.keys.sorted().first ?? stated)
        var out = m[main].map { "\(main) \(pct($0))" } ?? ""
        let rest = m.filter { $0.key != main }.sorted { $0.key < $1.key }.map { "\($0.key) \(pct($0.value))" }
        if !rest.isEmpty { out += " (" + rest.joined(separator: ", ") + ")" }
        return out
    }
}
