#ifndef PIPELINE_CKERNELS_H
#define PIPELINE_CKERNELS_H

#include <stddef.h>

/// The encoder's element-wise loops, in C so that they run on the CPU's widest vectors: Swift compiles for the
/// x86-64 baseline (SSE2, four floats), where GELU, the attention softmax and the layer norms took a fifth of the
/// encoder's time beside the products. Each function is built for AVX-512, for AVX2 with FMA and for the baseline, and the first call picks
/// the widest the CPU has. Same formulas as the Swift versions they replace (PipelineEncoder's Kernels).

/// GELU with the error function, x · Φ(x), in place (erf from Abramowitz and Stegun 7.1.26, absolute error below
/// 1.5e-7).
void pipeline_gelu(float *x, size_t count);

/// Softmax of each row of x (rows × width, row-major), in place.
void pipeline_softmax_rows(float *x, size_t rows, size_t width);

/// x = layer_norm(x + residual) row by row (rows × width; residual may be NULL), with gain g, bias b and epsilon.
void pipeline_add_layer_norm(float *x, const float *residual, size_t rows, size_t width, const float *g,
                             const float *b, float epsilon);

/// The instruction set the kernels run with: "avx512", "avx2" or "baseline".
const char *pipeline_kernels_isa(void);

#endif
