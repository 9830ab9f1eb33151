import Foundation

/// The progress line on stderr: documents, documents/s, MB/s, and percentage and ETA when the input size is known.
struct ProgressLine {
    let enabled: Bool
    let name: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    private var shown = false

    init(enabled: Bool, name: String) {
        self.enabled = enabled
        self.name = name
    }

    mutating func update(documents: Int, bytes: Int, total: Int?) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - last > 200_000_000 else { return }
        last = now
        let secs = max(0.001, Double(now - start) / 1e9)
        var line = "\(name): \(documents) docs, \(Int(Double(documents) / secs)) docs/s, "
            + "\(String(format2: Double(bytes) / 1e6 / secs)) MB/s"
        if let total, total > 0 {
            let frac = min(1, Double(bytes) / Double(total))
            let eta = frac > 0 ? secs * (1 - frac) / frac : 0
            line += ", \(Int(frac * 100))%, ETA \(Int(eta.rounded())) s"
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        shown = true
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
