import Foundation
import Synchronization

/// A one-line progress bar on stderr, drawn only on a terminal and at most ten times a second.
final class ProgressBar: Sendable {
    private let enabled: Bool
    private let state = Mutex<(shown: Bool, last: UInt64)>((false, 0))

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ label: String, done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let draw = state.withLock { s -> Bool in
            guard now &- s.last > 100_000_000 || done == total else { return false }
            s.last = now
            s.shown = true
            return true
        }
        guard draw else { return }
        let width = 30
        let filled = min(width, width * done / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(bar) \(100 * done / total)%".utf8))
    }

    func clear() {
        let wasShown = state.withLock { s -> Bool in
            defer { s.shown = false }
            return s.shown
        }
        if wasShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
