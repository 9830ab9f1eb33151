import Foundation
import PipelineFuzzing
import Testing

/// Replays every seed of the fuzz corpora (Scripts/fuzzer/corpus) and every input that ever made a fuzz target fail
/// (FuzzRegressions/TARGET, kept by Scripts/fuzz): each must now pass its target's invariants. A failing input stops
/// the test process with the invariant's message, as it stopped the fuzzer.
struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let folders = [
            root.appendingPathComponent("Scripts/fuzzer/corpus/\(target.rawValue)"),
            root.appendingPathComponent("Tests/PipelineStagesTests/FuzzRegressions/\(target.rawValue)"),
        ]
        return folders.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndRegressionsPass(target: FuzzTarget) throws {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no seeds for \(target)")
        for f in files { target.run(Array(try Data(contentsOf: f))) }
    }
}
