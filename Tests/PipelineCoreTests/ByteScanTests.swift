import Testing

@testable import PipelineCore

@Suite struct ByteScanTests {
    /// The definition the word-at-a-time scan must agree with.
    static func alphanumericEndByBytes(_ p: [UInt8], from: Int) -> Int {
        var i = from
        while i < p.count, p[i] &- 48 < 10 || (p[i] | 0x20) &- 97 < 26 { i += 1 }
        return i
    }

    @Test func alphanumericEndAgreesWithTheByteDefinitionForEveryByteAtEveryPosition() {
        // Each of the 256 byte values at each of 12 positions after a run of letters and digits, read from several
        // starting points: the eight-byte steps, the tail loop and the hand-over between them.
        let run: [UInt8] = Array("a0Zz9AbY".utf8) + Array("mN5qR7sT".utf8)
        for stop in 0..<256 {
            for position in 0..<12 {
                var p = Array(run.prefix(position))
                p.append(UInt8(stop))
                p.append(contentsOf: Array("xy".utf8))
                for from in 0...min(position, 3) {
                    let got = p.withUnsafeBufferPointer { ByteScan.alphanumericEnd($0, from: from) }
                    #expect(
                        got == Self.alphanumericEndByBytes(p, from: from), "byte \(stop) at \(position) from \(from)")
                }
            }
        }
        let none: [UInt8] = []
        #expect(none.withUnsafeBufferPointer { ByteScan.alphanumericEnd($0, from: 0) } == 0)
        let all = Array("Reuters2024Reuters2024".utf8)
        #expect(all.withUnsafeBufferPointer { ByteScan.alphanumericEnd($0, from: 0) } == all.count)
    }

    @Test func firstStringSpecialAgreesWithTheByteDefinitionForEveryByteAtEveryPosition() {
        for stop in 0..<256 {
            for position in 0..<12 {
                var p = Array("abcdefgh\u{e9}jk".utf8.prefix(position))
                p.append(UInt8(stop))
                p.append(contentsOf: Array("\"x".utf8))
                for from in 0...min(position, 3) {
                    var expected = from
                    while expected < p.count, !(p[expected] < 0x20 || p[expected] == 0x22 || p[expected] == 0x5C) {
                        expected += 1
                    }
                    let got = p.withUnsafeBufferPointer { ByteScan.firstStringSpecial($0, from: from) }
                    #expect(got == expected, "byte \(stop) at \(position) from \(from)")
                }
            }
        }
    }
}
