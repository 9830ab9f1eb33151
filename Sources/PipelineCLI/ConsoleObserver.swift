import Foundation
import PipelineCore
import Synchronization

/// Renders a run's events on stderr: a progress line (documents, documents/s, MB/s, and percentage and ETA when the
/// input size is known) when stderr is a terminal, and failures that were recorded nowhere else.
final class ConsoleObserver: RunObserver {
    private let name: String
    private let showProgress: Bool
    private let progressShown = Atomic<Bool>(false)

    init(name: String, showProgress: Bool) {
        self.name = name
        self.showProgress = showProgress
    }

    func observe(_ event: RunEvent) {
        switch event {
        case .progress(let p):
            guard showProgress else { return }
            let secs = max(0.001, p.seconds)
            var line =
                "\(name): \(p.documents) docs, \(Int(Double(p.documents) / secs)) docs/s, "
                + "\(String(format2: Double(p.bytes) / 1e6 / secs)) MB/s"
            if let total = p.totalBytes, total > 0 {
                let frac = min(1, Double(p.bytes) / Double(total))
                let eta = frac > 0 ? secs * (1 - frac) / frac : 0
                line += ", \(Int(frac * 100))%, ETA \(Int(eta.rounded())) s"
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            progressShown.store(true, ordering: .relaxed)
        case .failure(let f, let recorded):
            if recorded == .nowhere { clear(); Console.error("error: \(f)") }
        case .waitingForOutputs(let lockFile):
            clear()
            Console.error("\(name): waiting for another run writing the same outputs to end (it holds \(lockFile))")
        case .finished:
            clear()
        }
    }

    private func clear() {
        if progressShown.exchange(false, ordering: .relaxed) {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }
}
