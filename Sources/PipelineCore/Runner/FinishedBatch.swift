import Foundation

/// A batch as the workers hand it to the writing thread: each record's outcome in input order and, for each writer
/// that lets the workers encode (``EncodingWriter``), the bytes of the batch's documents. When every writer encodes,
/// the documents themselves are not handed over (they are freed on the worker thread, too).
struct FinishedBatch {
    enum Record {
        /// A document; nil when every writer has its bytes already.
        case document(Document?)
        case failure(DocumentFailure)
    }

    /// The bytes one writer appends for the batch's documents, one after the other.
    struct Encoded {
        var bytes: JSONWriter
        /// The end offset in `bytes` of each document, in order.
        var ends: [Int]

        /// Calls `body` with the bytes of documents number `documents` of the batch (failures not counted).
        func withDocuments<R>(_ documents: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            let start = documents.lowerBound == 0 ? 0 : ends[documents.lowerBound - 1]
            let end = documents.isEmpty ? start : ends[documents.upperBound - 1]
            return try bytes.withBytes { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        }
    }

    var records: [Record]
    /// One entry per writer, nil for a writer that is given the documents.
    var encoded: [Encoded?]

    /// Encodes the documents of `processed` for every writer with an encoder (`encoders`, one per writer); keeps the
    /// documents only when some writer has none. `nanos[k]` accumulates the time spent encoding for writer k;
    /// `sizeHint[k]`, the most bytes a batch took so far, sizes the buffers (growing one copies it).
    init(
        _ processed: [ProcessedRecord], encoders: [(any DocumentEncoder)?], nanos: inout ArraySlice<UInt64>,
        sizeHint: inout [Int]
    ) {
        let keep = encoders.contains { $0 == nil }
        records = processed.map {
            switch $0 {
            case .document(let d, _): return .document(keep ? d : nil)
            case .failure(let f): return .failure(f)
            }
        }
        encoded = []
        encoded.reserveCapacity(encoders.count)
        let base = nanos.startIndex
        for (k, encoder) in encoders.enumerated() {
            guard let encoder else { encoded.append(nil); continue }
            let t0 = DispatchTime.now().uptimeNanoseconds
            var e = Encoded(bytes: JSONWriter(capacity: sizeHint[k] + sizeHint[k] / 16 + 4096), ends: [])
            e.ends.reserveCapacity(processed.count)
            for r in processed {
                if case .document(let d, _) = r {
                    encoder.encode(d, into: &e.bytes)
                    e.ends.append(e.bytes.count)
                }
            }
            sizeHint[k] = max(sizeHint[k], e.bytes.count)
            encoded.append(e)
            nanos[base + k] &+= DispatchTime.now().uptimeNanoseconds &- t0
        }
    }
}
