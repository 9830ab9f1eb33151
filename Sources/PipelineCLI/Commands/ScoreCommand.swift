import ArgumentParser
import Foundation
import PipelineStages

/// `pipeline score entities --gold FILE --predicted FILE`.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract:
            "Score a pipeline's entities (precision, recall, F1 per type, conlleval style) or summaries (ROUGE-1/2/L) against gold annotations."
    )

    @Argument(help: "What to score: entities or summaries.")
    var layer: String

    @Option(help: ArgumentHelp("Gold documents (JSONL with text and entities).", valueName: "FILE"))
    var gold: String

    @Option(help: ArgumentHelp("Documents written by the pipeline (JSONL).", valueName: "FILE"))
    var predicted: String

    @Option(name: .customLong("gold-id"), help: "The gold files' id field.")
    var goldID = "id"

    @Option(help: "The entity types scored, comma-separated.")
    var types = "PER,ORG,LOC,MISC"

    @Option(name: .customLong("gold-field"), help: "For summaries: the gold files' reference summary field.")
    var goldField = "summary"

    func validate() throws {
        guard layer == "entities" || layer == "summaries" else {
            throw ValidationError("'entities' or 'summaries' can be scored; got '\(layer)'")
        }
    }

    func run() throws {
        if layer == "summaries" {
            do {
                let r = try SummaryEvaluation.score(gold: gold, predicted: predicted, field: goldField)
                Console.out(
                    String(
                        format: "ROUGE-1 %.4f  ROUGE-2 %.4f  ROUGE-L %.4f  (F, mean of %d documents)\n",
                        r.rouge1, r.rouge2, r.rougeL, r.documents))
            } catch {
                Console.error("error: \(error)")
                throw ExitCode(PipelineCLI.dataError)
            }
            return
        }
        let s: EntityScores
        do {
            s = try EntityEvaluation.score(
                gold: gold, predicted: predicted, goldID: goldID,
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
