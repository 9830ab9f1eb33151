import PipelineCore

/// A loader's reader preceded by one failure record per folder entry that was not read (``InputFiles/Skipped``), so
/// the error report names every input the run did not read.
struct SkippedFilesReader: DocumentReader {
    let skipped: [InputFiles.Skipped]
    var inner: any DocumentReader
    var index = 0

    var progress: (bytesRead: Int, totalBytes: Int?) { inner.progress }

    mutating func next() throws -> LoadedRecord? {
        guard index < skipped.count else { return try inner.next() }
        let s = skipped[index]
        index += 1
        return LoadedRecord(origin: RecordOrigin(file: s.path), content: .failure(id: nil, message: s.message))
    }
}
