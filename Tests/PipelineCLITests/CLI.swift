import Foundation
import PipelineEncoder
@_exported import TestSupport
import Testing

/// Runs the built `pipeline` executable as a subprocess.
enum CLI {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `pipeline` binary next to the test bundle (swift test builds every product first).
    static var binary: URL {
        let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("pipeline")
        if FileManager.default.isExecutableFile(atPath: nextToTests.path) { return nextToTests }
        for dir in [".build/debug", ".build/release"] {
            let u = root.appendingPathComponent(dir).appendingPathComponent("pipeline")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return nextToTests
    }

    /// `Pipelines/daily.pipe` scores stance with the transformer encoder, whose base weights the set-up fetches
    /// (Scripts/fetch-models); where they have not been fetched, the daily pipeline's tests run it with the linear
    /// model (`--set stance=model`) and the encoder's own suites say they skipped.
    static let dailyStance: [String] =
        (try? BaseEncoder.verify(BaseEncoder.directory())) != nil ? [] : ["--set", "stance=model"]

    /// `Pipelines/daily.pipe`, or where the base encoder is missing a copy in `dir` that uses the linear model (for
    /// commands without `--set`, such as `repl`).
    static func dailyPipe(in dir: TempDir) throws -> String {
        guard !dailyStance.isEmpty else { return "Pipelines/daily.pipe" }
        let text = try String(contentsOf: root.appendingPathComponent("Pipelines/daily.pipe"), encoding: .utf8)
        return try dir.write("daily.pipe", text.replacingOccurrences(of: "= \"encoder\"", with: "= \"model\""))
    }

    struct Result {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `pipeline ARGS` in the package root with `stdin`; `environment` nil inherits, [:] is empty.
    static func run(_ args: [String], stdin: String = "", environment: [String: String]? = nil) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = root
        if let environment { p.environment = environment }
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let errBox = DataBox()
        let errThread = Thread { errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while errBox.data == nil { usleep(1000) }
        return Result(
            code: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: errBox.data!, as: UTF8.self))
    }
}

final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data: Data?
    var data: Data? {
        get { lock.lock(); defer { lock.unlock() }; return _data }
        set { lock.lock(); _data = newValue; lock.unlock() }
    }
}
