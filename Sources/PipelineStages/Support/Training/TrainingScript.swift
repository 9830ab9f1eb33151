import Foundation
import PipelineCore
import PipelineEncoder
import Synchronization

/// A training-only Python script shipped in `Resources/` (fine-tuning the encoder runs on PyTorch; the model it writes
/// is read by the Swift stages alone), run with `$PIPELINE_PYTHON` (default `python3`), which needs torch, tokenizers
/// and transformers. Its output lines are relayed: an epoch line (as the caller's parser reads it) as
/// ``TrainingEvent/epochEnded(epoch:seconds:dev:)``, any other line but step progress and the final `wrote …` as a
/// note.
struct TrainingScript {
    /// The script's path.
    let path: String
    /// The `Scripts/` command that sets up its Python, for messages.
    let setUp: String

    /// The shipped script `Resources/NAME.py`.
    ///
    /// - Throws: ``TrainingError/request(_:)`` when the installation lacks it.
    init(resource name: String, setUp: String) throws {
        guard let path = Bundle.module.path(forResource: name, ofType: "py", inDirectory: "Resources") else {
            throw TrainingError.request("the training script \(name).py is missing from this installation")
        }
        self.path = path
        self.setUp = setUp
    }

    /// The arguments both encoder training scripts take: the base encoder (checked first), the first training file,
    /// the output, epochs, seed and, when given, the dev file as `dev=FILE`.
    ///
    /// - Throws: ``TrainingError/request(_:)`` when the base encoder is missing or not the verified copy.
    static func encoderArguments(_ request: TrainingRequest) throws -> [String] {
        let base = BaseEncoder.directory()
        do { try BaseEncoder.verify(base) } catch { throw TrainingError.request("\(error)") }
        var arguments = [
            "--base", base, "--train", request.trainFiles[0], "--out", request.output,
            "--epochs", String(request.epochs), "--seed", String(request.seed),
        ]
        if let dev = request.devFile { arguments += ["--dev", "dev=\(dev)"] }
        return arguments
    }

    /// An epoch line's number, seconds and the words after its colon (`epoch 2: 559 s, loss 0.7373; …`), or nil for
    /// any other line.
    static func epochWords(_ line: String) -> (epoch: Int, seconds: Double, words: [Substring])? {
        guard line.hasPrefix("epoch "), let colon = line.firstIndex(of: ":"),
            let epoch = Int(line[line.index(line.startIndex, offsetBy: 6)..<colon])
        else { return nil }
        let words = line[line.index(after: colon)...].split(separator: " ")
        return (epoch, words.first.flatMap { Double($0) } ?? 0, words)
    }

    /// Runs the script with `arguments` and waits for it; the summary's epoch and dev figures are the last epoch
    /// line's, its size that of the file at `output`.
    ///
    /// - Throws: ``TrainingError/request(_:)`` when the interpreter cannot start or the script fails (with the end of
    ///   its error output).
    func run(
        _ arguments: [String], output: String,
        epochLine: (String) -> (epoch: Int, seconds: Double, dev: [String: Double])?,
        report: (TrainingEvent) -> Void
    ) throws -> TrainingSummary {
        let python = ProcessInfo.processInfo.environment["PIPELINE_PYTHON"] ?? "python3"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let errors = Mutex<Data>(Data())
        err.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            errors.withLock { $0.append(d) }
        }
        do { try process.run() } catch { throw TrainingError.request("cannot run \(python): \(error)") }
        var dev: [String: Double] = [:]
        var lastEpoch = 0
        var pending = Data()
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                if let e = epochLine(line) {
                    lastEpoch = e.epoch
                    dev = e.dev
                    report(.epochEnded(epoch: e.epoch, seconds: e.seconds, dev: e.dev))
                } else if !line.hasPrefix("  epoch"), !line.hasPrefix("wrote "), !line.isEmpty {
                    report(.note(line))
                }
            }
        }
        process.waitUntilExit()
        err.fileHandleForReading.readabilityHandler = nil
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: errors.withLock { $0 }.suffix(2_000), as: UTF8.self)
            throw TrainingError.request(
                "the training script failed (exit \(process.terminationStatus)); it needs torch, tokenizers and "
                    + "transformers in \(python) (\(setUp) sets them up):\n\(tail)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        return TrainingSummary(epoch: lastEpoch, dev: dev, modelBytes: bytes)
    }
}
