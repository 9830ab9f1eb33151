extension TrainingRequest {
    /// Writes a trained model's bytes to ``output`` atomically (a temporary sibling renamed at the end, so a failed
    /// write never leaves a half-written model) and returns their count for ``TrainingSummary/modelBytes``.
    ///
    /// - Parameter what: what the bytes are, for the error message ("model", "lexicon").
    /// - Throws: ``TrainingError/io(file:message:)`` naming ``output`` when the file cannot be written.
    public func writeOutput(_ bytes: [UInt8], what: String = "model") throws -> Int {
        do {
            let file = try AtomicFile(path: output)
            try file.write(bytes)
            try file.commit()
        } catch {
            throw TrainingError.io(file: output, message: "cannot write the \(what): \(error)")
        }
        return bytes.count
    }
}
