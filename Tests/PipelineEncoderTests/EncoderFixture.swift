import Foundation
import PipelineCore
import Testing

@testable import PipelineEncoder

/// The base encoder for the tests, loaded once; nil (and the tests that need it skipped, saying why) when it has not
/// been fetched (`Scripts/fetch-models`, which `Scripts/test` runs first).
enum EncoderFixture {
    static let directory = BaseEncoder.directory()

    static let loaded: Result<BertEncoder, any Error> = Result { try BaseEncoder.load() }

    static var encoder: BertEncoder? { try? loaded.get() }

    static var available: Bool { encoder != nil }

    static var skipReason: Comment {
        if case .failure(let e) = loaded { return "base encoder not available: \(e)" }
        return ""
    }

    /// The reference outputs (Scripts/make-encoder-references), one JSON object per line.
    static func reference(_ name: String) throws -> [JSONValue] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Reference/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONScanner.parse(String($0)) }
    }
}
