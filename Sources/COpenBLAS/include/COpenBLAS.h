#ifndef PIPELINE_COPENBLAS_H
#define PIPELINE_COPENBLAS_H

#include <stddef.h>

/// OpenBLAS (Debian's libopenblas0, libopenblas.so.0), loaded with dlopen when the encoder is first loaded, for two
/// reasons: a run without the encoder does not load it, and its CPU kernels can be chosen before it starts. Debian's
/// build picks its kernels at load time from the CPU's family and model, and on virtual machines that report a
/// generic model ("Intel(R) Xeon(R) Processor") it falls back to Prescott's SSE3 kernels: sgemm then ran at about a
/// quarter of the SkylakeX kernels' speed here. Unless OPENBLAS_CORETYPE is already set, the loader sets it from the
/// instruction sets the CPU reports (AVX-512 F/BW/VL/DQ: SkylakeX; AVX2 and FMA: Haswell; AVX: Sandybridge).

/// Loads OpenBLAS once per process and makes it run on the calling thread (one OpenBLAS thread; the job slots spread
/// the work over the cores). Returns 0, or -1 with a message in `error`.
int pipeline_blas_load(char *error, size_t error_size);

/// The kernels OpenBLAS runs ("SkylakeX", "Haswell", ...); "" before pipeline_blas_load succeeded.
const char *pipeline_blas_core(void);

/// Row-major single-precision C = alpha · op(A) · op(B) + beta · C, op transposing when `transpose_*` is non-zero
/// (cblas_sgemm with CblasRowMajor). pipeline_blas_load must have succeeded.
void pipeline_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc);

#endif
