import ArgumentParser
import Foundation
import PipelineStages

/// `pipeline score entities --gold FILE --predicted FILE`.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a pipeline's entities against gold annotations (precision, recall, F1 per type, conlleval style).")

    @Argument(help: "What to score: entities.")
    var layer: String

    @Option(help: ArgumentHelp("Gold documents (JSONL with text and entities).", valueName: "FILE"))
    var gold: String

    @Option(help: ArgumentHelp("Documents written by the pipeline (JSONL).", valueName: "FILE"))
    var predicted: String

    @Option(name: .customLong("gold-id"), help: "The gold files' id field.")
    var goldID = "id"

    @Option(help: "The entity types scored, comma-separated.")
    var types = "PER,ORG,LOC,MISC"

    func validate() throws {
        guard layer == "entities" else { throw ValidationError("only 'entities' can be scored; got '\(layer)'") }
    }

    func run() throws {
        let s: EntityScores
        do {
            s = try EntityEvaluation.score(gold: gold, predicted: predicted, goldID: goldID,
                                           types: Set(types.split(separator: ",").map(String.init)))
        } catch {
            Console.error("error: \(error)")
            throw ExitCode(PipelineCLI.dataError)
        }
        Console.out(Self.table(s))
    }

    /// The score table: one row per type and one overall.
    static func table(_ s: EntityScores) -> String {
        func row(_ name: String, _ c: EntityScores.Counts) -> String {
            let gold = c.truePositives + c.falseNegatives
            return name.padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(format: "%8.2f %8.2f %8.2f %8d\n", c.precision * 100, c.recall * 100, c.f1 * 100, gold)
        }
        var out = "type     precision  recall      F1     gold\n"
        for type in s.byType.keys.sorted() { out += row(type, s.byType[type]!) }
        out += row("overall", s.overall)
        return out
    }
}
