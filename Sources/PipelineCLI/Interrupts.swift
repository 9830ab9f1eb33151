import Dispatch
import Foundation
import PipelineCore

/// Turns SIGINT and SIGTERM into a cancelled run while it lasts, then restores the default handling.
///
/// Dispatch installs its own handler for a signal source when it registers the source, on its manager thread, after
/// `resume()` returns; until then the signal is ignored (`SIG_IGN` keeps the default from killing the process). The
/// initializer waits for the registration, so a signal sent once it has returned always cancels the run (an interrupt
/// a few milliseconds into a run used to be lost now and then).
final class Interrupts {
    private var sources: [DispatchSourceSignal] = []

    init(_ cancellation: RunCancellation) {
        let registered = DispatchSemaphore(value: 0)
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { cancellation.cancel() }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        for _ in sources { _ = registered.wait(timeout: .now() + 2) }
    }

    func restore() {
        for s in sources { s.cancel() }
        sources = []
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
