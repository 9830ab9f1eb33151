import Foundation
import PipelineEncoder

// Reads documents with sentence spans (JSONL from `pipeline run` with `extract sentences`) and times the base
// encoder on their sentences, on the calling thread: tokenization, then the forward pass in batches.
//   encoder-bench FILE.jsonl [--sentences N] [--batch B]

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else {
        return fallback
    }
    return v
}
let limit = option("--sentences", 2000)
let batchSize = option("--batch", 32)
guard let path = arguments.first, let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("usage: encoder-bench FILE.jsonl [--sentences N] [--batch B]\n".utf8))
    exit(2)
}

var sentences: [String] = []
for line in data.split(separator: UInt8(ascii: "\n")) where sentences.count < limit {
    guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let text = o["text"] as? String, let spans = o["sentences"] as? [[String: Int]]
    else { continue }
    let scalars = Array(text.unicodeScalars)
    for s in spans where sentences.count < limit {
        guard let a = s["start"], let b = s["end"], a < b, b <= scalars.count else { continue }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars[a..<b])
        sentences.append(String(v))
    }
}

func seconds(_ body: () -> Void) -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

let encoder: BertEncoder
do { encoder = try BaseEncoder.load() } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
var encoded: [[BertTokenizer.Piece]] = []
let tokenizing = seconds { encoded = sentences.map { encoder.tokenizer.encode($0, maxPieces: 128) } }
let pieces = encoded.reduce(0) { $0 + $1.count }
var checksum: Float = 0
let forward = seconds {
    var start = 0
    while start < encoded.count {
        let out = encoder.encode(Array(encoded[start..<min(start + batchSize, encoded.count)]))
        checksum += out.states[0]
        start += batchSize
    }
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let c = encoder.configuration
let flopsPerPiece = Double(2 * c.layers * (4 * c.hidden * c.hidden + 2 * c.hidden * c.intermediate))
print(
    """
    sentences \(sentences.count), pieces \(pieces) (\(String(format: "%.1f", Double(pieces) / Double(max(1, sentences.count)))) per sentence, at most 128), batch \(batchSize), one thread, OpenBLAS kernels \(encoder.kernels)
    tokenizer  \(String(format: "%8.3f", tokenizing)) s  \(String(format: "%9.0f", Double(sentences.count) / tokenizing)) sentences/s
    encoder    \(String(format: "%8.3f", forward)) s  \(String(format: "%9.1f", Double(sentences.count) / forward)) sentences/s  \(String(format: "%.0f", Double(pieces) / forward)) pieces/s  \(String(format: "%.1f", flopsPerPiece * Double(pieces) / forward / 1e9)) GFLOP/s in the linear layers
    peak RSS   \(usage.ru_maxrss / 1024) MB   (checksum \(checksum))
    """)
