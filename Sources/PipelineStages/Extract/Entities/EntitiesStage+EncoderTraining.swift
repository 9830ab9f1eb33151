import Foundation
import PipelineCore
import PipelineEncoder

/// `pipeline train extract entities --setting tagger=encoder`: the base encoder fine-tuned as a word tagger by the
/// training-only script `Resources/train_entity_encoder.py` (PyTorch on the CPU, run with `$PIPELINE_PYTHON`;
/// `Scripts/train-entity-encoder` sets it up); the model it writes is read by ``WordTaggerModel``.
extension EntitiesStage {
    /// The settings only the encoder tagger's training reads.
    static let encoderSettings = ["lr", "rank", "threads"]

    /// Runs the training script on one CoNLL file.
    static func trainEncoder(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        guard request.trainFiles.count == 1, request.unlabelledFiles.isEmpty else {
            throw TrainingError.request("tagger=encoder trains on one CoNLL file, without --unlabelled text")
        }
        for name in request.settings.keys.sorted() where name != "tagger" && !encoderSettings.contains(name) {
            throw TrainingError.request("setting '\(name)' is the linear tagger's, not tagger=encoder's")
        }
        let script = try TrainingScript(resource: "train_entity_encoder", setUp: "Scripts/train-entity-encoder")
        var arguments = try TrainingScript.encoderArguments(request)
        for name in encoderSettings { if let value = request.settings[name] { arguments += ["--\(name)", value] } }
        return try script.run(arguments, output: request.output, epochLine: epochLine, report: report)
    }

    /// `epoch 2: 600 s, loss 0.0312; dev F1 91.20 PER 95.00 ORG 87.10 LOC 93.40 MISC 86.00` → its numbers (as the
    /// linear tagger reports them: `F1`, `F1 PER` …, fractions).
    static func epochLine(_ line: String) -> (epoch: Int, seconds: Double, dev: [String: Double])? {
        guard let (epoch, seconds, words) = TrainingScript.epochWords(line) else { return nil }
        var dev: [String: Double] = [:]
        if let k = words.firstIndex(of: "F1") {
            var i = k
            while i + 1 < words.endIndex, let v = Double(words[i + 1]) {
                dev[words[i] == "F1" ? "F1" : "F1 \(words[i])"] = v / 100
                i += 2
            }
        }
        return (epoch, seconds, dev)
    }
}
