import Foundation

/// The transforms of a pipeline, ready to apply to one record on any thread.
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

    /// Decodes and transforms a record; `nanos[k]` accumulates time in step k (index 0 is decoding).
    func run(_ record: LoadedRecord, nanos: inout [UInt64]) -> ProcessedRecord {
        var doc: Document
        var t0 = DispatchTime.now().uptimeNanoseconds
        switch record.content {
        case .document(let d): doc = d
        case .failure(let id, let message):
            return .failure(DocumentFailure(id: id, origin: record.origin, stage: loaderLabel, message: message))
        case .pending(let decode):
            do {
                doc = try decode()
            } catch {
                return .failure(DocumentFailure(id: (error as? DocumentError)?.id, origin: record.origin,
                                                stage: loaderLabel, message: "\(error)"))
            }
        }
        var t1 = DispatchTime.now().uptimeNanoseconds
        nanos[0] &+= t1 &- t0
        for (k, step) in steps.enumerated() {
            t0 = t1
            for layer in step.requires where !doc.has(layer) {
                return .failure(DocumentFailure(id: doc.id, origin: record.origin, stage: step.label,
                                                message: "the document has no '\(layer)' layer, which this stage requires"))
            }
            do {
                try step.stage.process(&doc)
            } catch {
                return .failure(DocumentFailure(id: doc.id, origin: record.origin, stage: step.label,
                                                message: "\(error)"))
            }
            t1 = DispatchTime.now().uptimeNanoseconds
            nanos[k + 1] &+= t1 &- t0
        }
        return .document(doc, record.origin)
    }
}
