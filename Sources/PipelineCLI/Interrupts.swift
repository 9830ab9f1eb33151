import Dispatch
import Foundation
import PipelineCore

/// Turns SIGINT and SIGTERM into a cancelled run while it lasts, then restores the default handling.
final class Interrupts {
    private var sources: [DispatchSourceSignal] = []

    init(_ cancellation: RunCancellation) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { cancellation.cancel() }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for s in sources { s.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
