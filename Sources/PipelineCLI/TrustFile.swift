import Foundation

/// The user's list of `.pipe` files allowed to run commands without `--allow-commands`: one absolute path per line
/// (`#` comments), in `$PIPELINE_TRUST_FILE` or `~/.config/pipeline/trusted`.
enum TrustFile {
    /// Where the list is.
    static var location: String? {
        let env = ProcessInfo.processInfo.environment
        if let f = env["PIPELINE_TRUST_FILE"], !f.isEmpty { return f }
        return env["HOME"].map { ($0 as NSString).appendingPathComponent(".config/pipeline/trusted") }
    }

    /// Whether `file` is listed (compared as absolute, symlink-resolved paths).
    static func trusts(_ file: String) -> Bool {
        guard let location, let text = try? String(contentsOfFile: location, encoding: .utf8) else { return false }
        let target = canonical(file)
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if canonical(line) == target { return true }
        }
        return false
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
