import PipelineCore

/// A loader's reader for one document per file (`load files`, `load html`): reads each file whole (decompressing
/// `.gz`, refusing more than `limit` bytes) on the reader thread, and leaves `parse` to a worker. The id is the file's
/// path below the folder without extensions; an unreadable file is a failure with that id.
struct WholeFileReader: DocumentReader {
    let files: [String]
    let root: String
    let total: Int?
    var limit: Int?
    let parse: @Sendable (_ raw: [UInt8], _ id: String, _ file: String) throws -> Document
    var index = 0
    var bytes = 0

    init(
        files: [String], root: String, limit: Int? = nil,
        parse: @escaping @Sendable (_ raw: [UInt8], _ id: String, _ file: String) throws -> Document
    ) {
        self.files = files
        self.root = root
        self.limit = limit
        self.parse = parse
        total = InputFiles.totalSize(files)
    }

    var progress: (bytesRead: Int, totalBytes: Int?) { (bytes, total) }

    mutating func next() throws -> LoadedRecord? {
        guard index < files.count else { return nil }
        let file = files[index]
        index += 1
        let id = FilesLoader.id(for: file, root: root)
        let origin = RecordOrigin(file: file)
        let raw: [UInt8]
        do {
            raw = try InputFiles.readAll(file, limit: limit)
        } catch {
            return LoadedRecord(origin: origin, content: .failure(id: id, message: "\(error)"))
        }
        bytes += raw.count
        let parse = self.parse
        return LoadedRecord(origin: origin, content: .pending({ try parse(raw, id, file) }))
    }
}
