/// Reads records from an opened input, one at a time, in input order.
public protocol DocumentReader {
    /// The next record, or `nil` at the end of the input.
    ///
    /// - Throws: only for failures that end the whole input (a disk error); a bad record is returned as
    ///   ``LoadedRecord/Content/failure(id:message:)``.
    mutating func next() throws -> LoadedRecord?

    /// Bytes read so far and, when known, the total; used for the progress line.
    var progress: (bytesRead: Int, totalBytes: Int?) { get }
}

extension DocumentReader {
    /// Unknown progress.
    public var progress: (bytesRead: Int, totalBytes: Int?) { (0, nil) }
}
