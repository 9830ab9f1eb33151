import CKernels
import COpenBLAS
import Foundation

/// The encoder's numeric kernels on row-major float matrices: products through OpenBLAS (``load()`` first), and the element-wise steps
/// (bias, layer norm, GELU, softmax) as plain loops the compiler vectorizes.
enum Kernels {
    /// Loads OpenBLAS (once per process).
    ///
    /// - Throws: ``EncoderError/missing(_:_:)`` when it cannot be loaded.
    static func load() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard pipeline_blas_load(&message, message.count) == 0 else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw EncoderError.missing("libopenblas.so.0", text)
        }
    }

    /// The CPU kernels OpenBLAS runs.
    static var core: String { String(cString: pipeline_blas_core()) }

    /// `out (rows × outputs) = x (rows × inputs) · wᵀ + bias`, with `w` stored as PyTorch's `Linear` keeps it
    /// (outputs × inputs).
    static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inputs: Int, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        outputs: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows { (out + r * outputs).update(from: bias, count: outputs) }
        pipeline_sgemm(
            0, 1, Int32(rows), Int32(outputs), Int32(inputs), 1, x, Int32(inputs), w, Int32(inputs), 1, out,
            Int32(outputs))
    }

    /// `x = layerNorm(x + residual)` row by row, with gain `g`, bias `b` and BERT's epsilon, in C (CKernels) on the
    /// CPU's widest vectors.
    static func addLayerNorm(
        _ x: UnsafeMutablePointer<Float>, _ residual: UnsafePointer<Float>?, rows: Int, width: Int,
        _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>, epsilon: Float
    ) {
        pipeline_add_layer_norm(x, residual, rows, width, g, b, epsilon)
    }

    /// GELU with the error function, `x · Φ(x)`, in place: `erf` from Abramowitz and Stegun's 7.1.26 (absolute error
    /// below 1.5·10⁻⁷) with the same `eˣ` as ``exp(_:)``, in C (CKernels) on the CPU's widest vectors.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        pipeline_gelu(x, count)
    }

    /// `eˣ` for `x` in [-87, 88] (clamped outside), to about two units in the last place: `x = n·ln 2 + r` with
    /// `|r| ≤ ln 2 / 2`, a degree-6 Taylor polynomial for `eʳ`, and `2ⁿ` built in the exponent bits. Written without
    /// calls or branches so that loops over it vectorize.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let c = min(max(x, -87), 88)
        // Rounding to the nearest integer by adding 1.5 · 2²³: the sum's low mantissa bits are then n itself.
        let shifted = c * 1.44269504088896341 + 12_582_912
        let n = shifted - 12_582_912
        let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let r = (c - n * 0.693145751953125) - n * 1.42860682030941723e-6
        let p =
            1 + r
            * (1 + r
                * (0.5 + r
                    * (0.16666666666666666 + r
                        * (0.041666666666666664 + r * (0.008333333333333333 + r * 0.001388888888888889)))))
        return p * Float(bitPattern: UInt32(bitPattern: (k &+ 127) &<< 23))
    }

    /// Softmax of each row of `x` (rows × width), in place, in C (CKernels) on the CPU's widest vectors.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        pipeline_softmax_rows(x, rows, width)
    }

    /// `c (m × n) += a (m × k) · b (k × n)`, all dense.
    static func addProduct(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, m: Int, n: Int, k: Int,
        into c: UnsafeMutablePointer<Float>
    ) {
        pipeline_sgemm(0, 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 1, c, Int32(n))
    }

    /// `c (m × n) = alpha · a (m × k, row stride lda) · bᵀ (b: n × k, stride ldb)`, strides in floats.
    static func productTransposed(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, m: Int, n: Int, k: Int,
        alpha: Float, into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        pipeline_sgemm(0, 1, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }

    /// `c (m × n) = a (m × k, stride lda) · b (k × n, stride ldb)`, strides in floats.
    static func product(
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, m: Int, n: Int, k: Int,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        pipeline_sgemm(0, 0, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}
