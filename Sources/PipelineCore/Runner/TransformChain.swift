import Foundation

/// The transforms of a pipeline, applied to one record at a time: decoding, then for each stage the requires check
/// and the stage's worker. The batch runner and the REPL both go through it, so a document fails the same way, with
/// the same message, wherever it runs.
struct TransformChain: Sendable {
    struct Step: Sendable {
        var label: String
        var stage: any TransformStage
        var requires: [Layer]
        var group: String?
        var batches = false
    }

    var loaderLabel: String
    var steps: [Step]

    init(loaderLabel: String, stages: [ResolvedStage]) {
        self.loaderLabel = loaderLabel
        steps = stages.compactMap { rs in
            (rs.instance as? any TransformStage).map {
                Step(
                    label: rs.label, stage: $0, requires: rs.descriptor.requires,
                    group: $0.groupField, batches: $0.batchesDocuments)
            }
        }
    }

    /// The field the first grouping stage groups by, if any stage groups.
    var groupField: String? { steps.lazy.compactMap(\.group).first }

    /// Whether whole batches go through the steps (``Workers/runBatch(_:nanos:)``): a step groups or batches.
    var needsBatches: Bool { steps.contains { $0.group != nil || $0.batches } }

    init(loaderLabel: String, steps: [Step]) {
        self.loaderLabel = loaderLabel
        self.steps = steps
    }

    /// A record as a document, or the failure of its loader.
    func decode(_ record: LoadedRecord) -> ProcessedRecord {
        switch record.content {
        case .document(let d): return .document(d, record.origin)
        case .failure(let id, let message):
            return .failure(DocumentFailure(id: id, origin: record.origin, stage: loaderLabel, message: message))
        case .pending(let decode):
            do {
                return .document(try decode(), record.origin)
            } catch {
                return .failure(
                    DocumentFailure(
                        id: (error as? DocumentError)?.id, origin: record.origin,
                        stage: loaderLabel, message: "\(error)"))
            }
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
            var t0 = DispatchTime.now().uptimeNanoseconds
            let decoded = chain.decode(record)
            guard case .document(var doc, _) = decoded else { return decoded }
            var t1 = DispatchTime.now().uptimeNanoseconds
            nanos[0] &+= t1 &- t0
            for (k, step) in chain.steps.enumerated() {
                t0 = t1
                for layer in step.requires where !doc.has(layer) {
                    return .failure(
                        DocumentFailure(
                            id: doc.id, origin: record.origin, stage: step.label,
                            message: "the document has no '\(layer)' layer, which this stage requires"))
                }
                do {
                    if workers[k] == nil { workers[k] = try step.stage.makeWorker() }
                    try workers[k]!.process(&doc)
                } catch {
                    return .failure(
                        DocumentFailure(
                            id: doc.id, origin: record.origin, stage: step.label,
                            message: "\(error)"))
                }
                t1 = DispatchTime.now().uptimeNanoseconds
                nanos[k + 1] &+= t1 &- t0
            }
            return .document(doc, record.origin)
        }

        /// Decodes and transforms a batch, step by step, handing each grouping step the runs of consecutive documents
        /// that share its field's value (a failure of a group fails each of its documents) and each batching step all
        /// the documents at once; results keep input order.
        mutating func runBatch(_ records: [LoadedRecord], nanos: inout [UInt64]) -> [ProcessedRecord] {
            var out: [ProcessedRecord] = []
            out.reserveCapacity(records.count)
            var t0 = DispatchTime.now().uptimeNanoseconds
            for record in records {
                let decoded = TransformChain(loaderLabel: chain.loaderLabel, steps: []).decode(record)
                out.append(decoded)
            }
            var t1 = DispatchTime.now().uptimeNanoseconds
            nanos[0] &+= t1 &- t0
            for (k, step) in chain.steps.enumerated() {
                t0 = t1
                // Requirements first, per document.
                for i in out.indices {
                    guard case .document(let doc, let origin) = out[i] else { continue }
                    if let layer = step.requires.first(where: { !doc.has($0) }) {
                        out[i] = .failure(
                            DocumentFailure(
                                id: doc.id, origin: origin, stage: step.label,
                                message: "the document has no '\(layer)' layer, which this stage requires"))
                    }
                }
                do {
                    if workers[k] == nil { workers[k] = try step.stage.makeWorker() }
                } catch {
                    for i in out.indices {
                        if case .document(let doc, let origin) = out[i] {
                            out[i] = .failure(
                                DocumentFailure(id: doc.id, origin: origin, stage: step.label, message: "\(error)"))
                        }
                    }
                    continue
                }
                // A batching step gets every document still going at once; each fails alone.
                if step.batches && step.group == nil {
                    let live = out.indices.filter { if case .document = out[$0] { return true } else { return false } }
                    var docs: [Document] = live.map {
                        if case .document(let d, _) = out[$0] { return d } else { fatalError("unreachable") }
                    }
                    let errors = workers[k]!.processBatch(&docs)
                    for (n, index) in live.enumerated() {
                        guard case .document(_, let origin) = out[index] else { continue }
                        if n < errors.count, let error = errors[n] {
                            out[index] = .failure(
                                DocumentFailure(id: docs[n].id, origin: origin, stage: step.label, message: "\(error)"))
                        } else {
                            out[index] = .document(docs[n], origin)
                        }
                    }
                    t1 = DispatchTime.now().uptimeNanoseconds
                    nanos[k + 1] &+= t1 &- t0
                    continue
                }
                // Runs of documents with the same key (each document alone when the step does not group).
                var i = 0
                while i < out.count {
                    guard case .document(let first, _) = out[i] else { i += 1; continue }
                    var run = [i]
                    if let field = step.group, let key = first.groupKey(field) {
                        var j = i + 1
                        while j < out.count {
                            if case .document(let d, _) = out[j] {
                                guard d.groupKey(field) == key else { break }
                                run.append(j)
                            }
                            j += 1
                        }
                    }
                    var docs: [Document] = run.map {
                        if case .document(let d, _) = out[$0] { return d } else { fatalError("unreachable") }
                    }
                    do {
                        if step.group != nil {
                            try workers[k]!.processGroup(&docs)
                        } else {
                            try workers[k]!.process(&docs[0])
                        }
                        for (n, index) in run.enumerated() {
                            if case .document(_, let origin) = out[index] { out[index] = .document(docs[n], origin) }
                        }
                    } catch {
                        for index in run {
                            if case .document(let d, let origin) = out[index] {
                                out[index] = .failure(
                                    DocumentFailure(id: d.id, origin: origin, stage: step.label, message: "\(error)"))
                            }
                        }
                    }
                    i = run.last! + 1
                }
                t1 = DispatchTime.now().uptimeNanoseconds
                nanos[k + 1] &+= t1 &- t0
            }
            return out
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
