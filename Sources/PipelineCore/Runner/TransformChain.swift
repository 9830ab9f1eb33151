import Foundation

/// The transforms of a pipeline, applied to one record at a time: decoding, then for each stage the requires check
/// and the stage's worker. The batch runner and the REPL both go through it, so a document fails the same way, with
/// the same message, wherever it runs.
struct TransformChain: Sendable {
    struct Step: Sendable {
        var label: String
        var stage: any TransformStage
        var requires: [Layer]
    }

    var loaderLabel: String
    var steps: [Step]

    init(loaderLabel: String, stages: [ResolvedStage]) {
        self.loaderLabel = loaderLabel
        steps = stages.compactMap { rs in
            (rs.instance as? any TransformStage).map { Step(label: rs.label, stage: $0, requires: rs.descriptor.requires) }
        }
    }

    /// The chain for one job slot: one worker per stage, made on first use.
    func makeWorkers() -> Workers { Workers(chain: self) }

    /// One job slot's workers. Used from one thread at a time; ``close()`` releases them.
    struct Workers {
        let chain: TransformChain
        private var workers: [(any TransformWorker)?]

        init(chain: TransformChain) {
            self.chain = chain
            workers = Array(repeating: nil, count: chain.steps.count)
        }

        /// Decodes and transforms a record; `nanos[k]` accumulates time in step k (index 0 is decoding).
        mutating func run(_ record: LoadedRecord, nanos: inout [UInt64]) -> ProcessedRecord {
            var doc: Document
            var t0 = DispatchTime.now().uptimeNanoseconds
            switch record.content {
            case .document(let d): doc = d
            case .failure(let id, let message):
                return .failure(DocumentFailure(id: id, origin: record.origin, stage: chain.loaderLabel, message: message))
            case .pending(let decode):
                do {
                    doc = try decode()
                } catch {
                    return .failure(DocumentFailure(id: (error as? DocumentError)?.id, origin: record.origin,
                                                    stage: chain.loaderLabel, message: "\(error)"))
                }
            }
            var t1 = DispatchTime.now().uptimeNanoseconds
            nanos[0] &+= t1 &- t0
            for (k, step) in chain.steps.enumerated() {
                t0 = t1
                for layer in step.requires where !doc.has(layer) {
                    return .failure(DocumentFailure(id: doc.id, origin: record.origin, stage: step.label,
                                                    message: "the document has no '\(layer)' layer, which this stage requires"))
                }
                do {
                    if workers[k] == nil { workers[k] = try step.stage.makeWorker() }
                    try workers[k]!.process(&doc)
                } catch {
                    return .failure(DocumentFailure(id: doc.id, origin: record.origin, stage: step.label,
                                                    message: "\(error)"))
                }
                t1 = DispatchTime.now().uptimeNanoseconds
                nanos[k + 1] &+= t1 &- t0
            }
            return .document(doc, record.origin)
        }

        /// Closes every worker made.
        mutating func close() {
            for k in workers.indices {
                workers[k]?.close()
                workers[k] = nil
            }
        }
    }
}
