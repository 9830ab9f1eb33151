import Foundation

/// Waits until `condition` holds, looking every millisecond, for at most `timeout` seconds; returns whether it held.
/// For a readiness signal a test can observe (a file that appears, a line written, a process that is gone), never a
/// fixed pause.
@discardableResult
public func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() >= deadline { return false }
        usleep(1_000)
    }
    return true
}
