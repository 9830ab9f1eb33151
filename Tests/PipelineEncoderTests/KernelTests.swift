import Foundation
import Testing

@testable import PipelineEncoder

/// The element-wise kernels against the C library: the vectorizable exp and GELU.
struct KernelTests {
    @Test func expIsWithinAFewUnitsInTheLastPlace() {
        var worst: Double = 0
        for i in 0...200_000 {
            let x = -87 + Float(i) * (175 / 200_000)
            let want = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(Kernels.exp(x)) - want) / want)
        }
        #expect(worst < 5e-7, "largest relative error \(worst)")
        #expect(Kernels.exp(-200) < 1e-37 && Kernels.exp(-200) >= 0)
        #expect(Kernels.exp(200).isFinite)
    }

    @Test func geluMatchesTheErrorFunction() {
        var values = (0...4_000).map { -10 + Float($0) * 0.005 }
        let input = values
        values.withUnsafeMutableBufferPointer { Kernels.gelu($0.baseAddress!, count: $0.count) }
        var worst: Double = 0
        for (x, got) in zip(input, values) {
            let want = 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(got) - want))
        }
        #expect(worst < 1e-6, "largest error \(worst)")
    }
}
