import Testing

@testable import PipelineCore

func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
    var b = bytes
    let interesting: [UInt8] = Array("\"\\[]{},:=$#\n\r\t 0123456789-.eE".utf8) + [0x00, 0x80, 0xC3, 0xE2, 0xFF]
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let choice = Int.random(in: 0..<3, using: &rng)
        let pos = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
        let byte =
            Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        switch choice {
        case 0 where !b.isEmpty: b[pos] = byte
        case 1: b.insert(byte, at: pos)
        default: if !b.isEmpty { b.remove(at: pos) }
        }
    }
    return b
}

@Suite struct RobustnessTests {
    /// Mangled `.pipe` files give diagnostics with valid positions, never a crash.
    @Test func mangledPipeFilesNeverCrash() {
        let seed = """
            let n = 3
            load memory count=$n path="a b" # comment
            summarize first sentences=2 words=["x", "y", $n] \\
                mode=strict
            write collect path=x
            """
        var rng = SeededGenerator(seed: 42)
        let original = Array(seed.utf8)
        for _ in 0..<3000 {
            let text = String(decoding: mutate(original, &rng), as: UTF8.self)
            let def = PipelineDefinition.parse(text: text, file: "f.pipe")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for d in def.diagnostics {
                if let l = d.location {
                    #expect(l.line >= 1 && l.line <= lines + 1 && l.column >= 1, "\(d) in \(text)")
                }
            }
            _ = PipelineBuilder(registry: TestStages.registry).build(def)
        }
    }

    /// Mangled JSON documents decode or fail with a DocumentError, never crash; whatever decodes writes back as
    /// JSON that decodes to the same document.
    @Test func mangledDocumentsNeverCrash() throws {
        var rng = SeededGenerator(seed: 7)
        let original = Array(DocumentTests.fullDocument().jsonText.utf8)
        var decoded = 0
        for _ in 0..<3000 {
            let bytes = mutate(original, &rng)
            do {
                let d = try bytes.withUnsafeBufferPointer { try Document(json: $0) }
                decoded += 1
                #expect(try Document(jsonText: d.jsonText) == d)
            } catch is DocumentError {
                continue
            }
        }
        #expect(decoded > 0)
    }
}
