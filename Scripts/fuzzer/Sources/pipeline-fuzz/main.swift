import Foundation
import PipelineFuzzing

// SwiftPM links executables with its own `main`, so libFuzzer's is never called: start the fuzzer through its driver
// entry point instead (../shared/docs/platform-notes.md). The target comes from PIPELINE_FUZZ_TARGET.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

let targetName = ProcessInfo.processInfo.environment["PIPELINE_FUZZ_TARGET"] ?? ""
guard let target = FuzzTarget(rawValue: targetName) else {
    FileHandle.standardError.write(
        Data(
            "set PIPELINE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8)
    )
    exit(2)
}
let selected = target

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(
    LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    })
