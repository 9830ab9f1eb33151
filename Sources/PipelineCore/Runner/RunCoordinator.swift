import Foundation

/// Shared state between the reader thread, the worker threads and the writing thread of one run: a bounded queue of
/// input batches, the finished batches waiting to be written in order, and the stop flag.
///
/// Every stored property is read and written only under `condition`'s lock (the threads wait on that condition,
/// which `Mutex` cannot do); hence `@unchecked Sendable`.
final class RunCoordinator: @unchecked Sendable {
    struct Batch {
        var sequence: Int
        var records: [LoadedRecord]
    }

    private let condition = NSCondition()
    private var inbox: [Batch] = []
    private var inboxHead = 0
    private var finished: [Int: FinishedBatch] = [:]
    private var batchesInFlight = 0
    private let maxInFlight: Int
    // Every field below is read and written under `condition`'s lock.
    private var readerDone = false
    private var batchesRead = 0
    private var cancelled = false
    private var readerFailure: Error?
    private var bytesRead = 0
    private var totalBytes: Int?
    private var stageNanos: [UInt64]

    init(maxInFlight: Int, stageCount: Int) {
        self.maxInFlight = maxInFlight
        stageNanos = Array(repeating: 0, count: stageCount)
    }

    // MARK: reader side

    /// Blocks until a batch may be read (memory bound); false when the run is cancelled.
    func waitForSlot() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batchesInFlight >= maxInFlight && !cancelled { condition.wait() }
        if cancelled { return false }
        batchesInFlight += 1
        return true
    }

    /// Returns an unused slot (the reader reached the end without filling it).
    func releaseUnusedSlot() {
        condition.lock()
        batchesInFlight -= 1
        condition.broadcast()
        condition.unlock()
    }

    func push(_ records: [LoadedRecord], bytesRead: Int, totalBytes: Int?) {
        condition.lock()
        inbox.append(Batch(sequence: batchesRead, records: records))
        batchesRead += 1
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        condition.broadcast()
        condition.unlock()
    }

    func finishReading(error: Error?) {
        condition.lock()
        readerDone = true
        if readerFailure == nil { readerFailure = error }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: worker side

    /// The next batch to process, or nil when there is no more work.
    func takeBatch() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while inboxHead >= inbox.count && !readerDone && !cancelled { condition.wait() }
        if cancelled || inboxHead >= inbox.count { return nil }
        let b = inbox[inboxHead]
        inbox[inboxHead] = Batch(sequence: -1, records: [])
        inboxHead += 1
        if inboxHead > 64 && inboxHead * 2 > inbox.count {
            inbox.removeFirst(inboxHead)
            inboxHead = 0
        }
        return b
    }

    func complete(_ sequence: Int, _ results: FinishedBatch, nanos: [UInt64]) {
        condition.lock()
        finished[sequence] = results
        for k in nanos.indices where k < stageNanos.count { stageNanos[k] &+= nanos[k] }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: writer side

    enum Next {
        case batch(FinishedBatch)
        case end
        case waiting
    }

    /// Waits (up to `timeout` seconds) for batch `sequence`; `.end` when every batch was written.
    func waitFor(_ sequence: Int, timeout: Double) -> Next {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let r = finished.removeValue(forKey: sequence) {
                batchesInFlight -= 1
                condition.broadcast()
                return .batch(r)
            }
            if cancelled || (readerDone && sequence >= batchesRead) { return .end }
            if !condition.wait(until: deadline) { return .waiting }
        }
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Why the reader stopped early, if it did.
    var readerError: Error? {
        condition.lock()
        defer { condition.unlock() }
        return readerFailure
    }

    /// Waits up to `milliseconds` for the reader thread to finish.
    func waitForReader(milliseconds: Int) {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        while !readerDone {
            if !condition.wait(until: deadline) { return }
        }
    }

    var nanos: [UInt64] {
        condition.lock()
        defer { condition.unlock() }
        return stageNanos
    }

    func addNanos(_ index: Int, _ value: UInt64) {
        condition.lock()
        stageNanos[index] &+= value
        condition.unlock()
    }

    var progressSnapshot: (bytes: Int, total: Int?) {
        condition.lock()
        defer { condition.unlock() }
        return (bytesRead, totalBytes)
    }
}
