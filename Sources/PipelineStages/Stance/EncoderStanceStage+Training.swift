import Foundation
import PipelineCore
import PipelineEncoder

/// `pipeline train stance encoder`: fine-tuning runs in Python on PyTorch (backpropagation through the encoder is
/// training-only work; the model it writes is read by the Swift stage alone). The stage runs its training script
/// (`Resources/train_stance_encoder.py`) with `$PIPELINE_PYTHON` (default `python3`), which needs torch, tokenizers
/// and transformers: `Scripts/train-stance-encoder` makes that environment and sets the variable.
extension EncoderStanceStage: TrainableStage {
    /// How it trains.
    public static let training = TrainingDescriptor(
        help:
            "low-rank adapters (rank 16) on every linear layer of the base encoder, its layer norms and a linear head over [CLS] and the target's pieces, fine-tuned with AdamW (Python, PyTorch on the CPU; PIPELINE_PYTHON names the interpreter); NewsMTSC files train a mention-level model, SemEval files a document-level one (text and target name as a pair)",
        formats:
            "*.targets.jsonl (sentence, from, to, mention, polarity) for a mention-level model; SemEval-2016 JSONL (text, target, stance FAVOR/AGAINST/NONE) for a document-level one",
        metric: "F1 macro", defaultEpochs: 3,
        settings: [
            "rank": "rank of the low-rank adapters (default 16)",
            "alpha": "adapter scale numerator: updates are scaled by alpha / rank (default 32)",
            "lr": "peak learning rate of AdamW, after 10 % linear warm-up, then linear decay (default 5e-4)",
            "batch": "examples per step (default 32)",
            "max-pieces": "word pieces per input, longer texts cut (default 96)",
            "class-weights":
                "none, or balanced: the loss weighs each class by the inverse of its frequency (default none)",
            "threads": "PyTorch threads (default 2; the model is deterministic for a seed and a thread count)",
            "pooling":
                "target: the head reads [CLS] and the target's pieces; local: also the mean of the pieces within `window` of the target (mention-level only; default target)",
            "window": "pieces either side of the target pooled by pooling=local (default 4)",
            "marking":
                "how the encoder is told which pieces are the target's (mention-level only): none (one pass serves every target of a sentence); segment (the target's pieces get the second segment embedding; a pass per target); late (a trained vector is added to the target's pieces before the last `mark-layers` layers, which alone run per target) (default none)",
            "mark-layers": "the layers that run per target with marking=late, from 1 to 6 (default 2)",
            "several":
                "how many times an epoch each example from a sentence with several targets is shown (mention-level; default 1)",
            "adapters":
                "lora (low-rank adapters, the default) or full: every weight of the encoder trained (full fine-tuning; its model file holds them all, about 90 MB; use lr near 5e-5)",
        ])

    /// Runs the training script and relays its progress.
    public static func train(_ request: TrainingRequest, report: (TrainingEvent) -> Void) throws -> TrainingSummary {
        try request.check()
        guard request.trainFiles.count == 1 else {
            throw TrainingError.request("stance encoder trains on one file (NewsMTSC *.targets.jsonl or SemEval JSONL)")
        }
        let script = try TrainingScript(resource: "train_stance_encoder", setUp: "Scripts/train-stance-encoder")
        var arguments = try TrainingScript.encoderArguments(request)
        for (name, value) in request.settings.sorted(by: { $0.key < $1.key }) { arguments += ["--\(name)", value] }
        return try script.run(
            arguments, output: request.output, epochLine: Self.epochLine, report: report)
    }

    /// `epoch 2: 559 s, loss 0.7373; macro-F1 dev 79.9` (or `F-avg dev 70.1`) → its numbers.
    static func epochLine(_ line: String) -> (epoch: Int, seconds: Double, dev: [String: Double])? {
        guard let (epoch, seconds, words) = TrainingScript.epochWords(line) else { return nil }
        var dev: [String: Double] = [:]
        // Mention-level models report macro-F1, document-level ones F-avg (SemEval's mean F1 of FAVOR and AGAINST).
        if let k = words.firstIndex(where: { $0 == "macro-F1" || $0 == "F-avg" }) {
            let measure = words[k] == "F-avg" ? "F avg" : "F1 macro"
            var i = words.index(after: k)
            while i + 1 < words.endIndex, let v = Double(words[i + 1]) {
                dev[words[i] == "dev" ? measure : "\(measure) \(words[i])"] = v / 100
                i += 2
            }
        }
        return (epoch, seconds, dev)
    }
}
