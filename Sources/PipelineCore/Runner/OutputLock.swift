import Foundation

/// An exclusive lock on a run's outputs, held from before the first output is opened until the run ends, so that two
/// runs writing the same files one after the other never write them at once: each output grows in a partial file with
/// a fixed name (`.NAME.partial`, which `--resume` finds again), and the checkpoint and the error report sit beside the
/// last output, so two runs at once would truncate and rename each other's files (with failures recorded, about one
/// run in three ended with "cannot move the output into place"). Two runs into one store, each writing its own error
/// report beside it, are the usual case.
///
/// The lock is `flock` on a hidden file beside the last output (`.NAME.lock`), removed when the run ends; a run that
/// is killed leaves the file, and the next run takes the lock all the same (the kernel releases it with the process).
/// A second run waits for the first, telling its observer once, and stops waiting when it is cancelled.
final class OutputLock {
    /// The lock file.
    let path: String
    private let fd: Int32

    /// `out/daily.jsonl` → `out/.daily.jsonl.lock`.
    static func path(for destination: String) -> String {
        let url = URL(fileURLWithPath: destination)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).lock").path
    }

    /// Takes the lock for the outputs whose last one is `destination`, waiting while another run holds it.
    ///
    /// - Parameters:
    ///   - waiting: called once, with the lock file's path, when another run holds the lock.
    ///   - cancellation: stops the wait.
    /// - Throws: ``RunError/output(stage:message:)`` when the lock file cannot be created; ``RunError/interrupted``
    ///   when the run is cancelled while waiting.
    init(destination: String, cancellation: RunCancellation?, waiting: (String) -> Void) throws {
        path = Self.path(for: destination)
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var told = false
        while true {
            let f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard f >= 0 else {
                throw RunError.output(
                    stage: "outputs",
                    message: "cannot create the lock file '\(path)': \(String(cString: strerror(errno)))")
            }
            if flock(f, LOCK_EX | LOCK_NB) == 0 {
                // The run that held it may have removed the file after we opened it: then the lock is on a file
                // nobody else will find, and a third run could take a new one. Take it again on the file in place.
                var held = stat()
                var there = stat()
                if fstat(f, &held) == 0, stat(path, &there) == 0, held.st_dev == there.st_dev,
                    held.st_ino == there.st_ino
                {
                    fd = f
                    return
                }
                close(f)
                continue
            }
            let err = errno
            close(f)
            guard err == EWOULDBLOCK || err == EINTR else {
                throw RunError.output(
                    stage: "outputs", message: "cannot lock '\(path)': \(String(cString: strerror(err)))")
            }
            if !told {
                told = true
                waiting(path)
            }
            if cancellation?.isCancelled == true { throw RunError.interrupted }
            usleep(50_000)
        }
    }

    /// Removes the lock file and releases the lock (in that order, so a waiting run retries on a new file).
    func release() {
        unlink(path)
        close(fd)
    }
}
