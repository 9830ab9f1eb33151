#include "CKernels.h"

#include <stdint.h>
#include <string.h>

// eˣ for x in [-87, 88] (clamped outside): x = n·ln 2 + r, a degree-6 Taylor polynomial for eʳ, 2ⁿ in the exponent
// bits (as PipelineEncoder's Kernels.exp). No calls or branches, so that the loops around it vectorize.
static inline __attribute__((always_inline)) float fast_exp(float x) {
    float c = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    float shifted = c * 1.44269504088896341f + 12582912.0f;
    float n = shifted - 12582912.0f;
    int32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    int32_t k = bits - 0x4B400000;
    float r = (c - n * 0.693145751953125f) - n * 1.42860682030941723e-6f;
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (0.16666666666666666f + r * (0.041666666666666664f +
                                                     r * (0.008333333333333333f + r * 0.001388888888888889f)))));
    uint32_t scale_bits = (uint32_t)(k + 127) << 23;
    float scale;
    memcpy(&scale, &scale_bits, sizeof scale);
    return p * scale;
}

static inline __attribute__((always_inline)) void gelu_body(float *restrict x, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float z = (v < 0 ? -v : v) * 0.70710678118654752f;
        float t = 1.0f / (1.0f + 0.3275911f * z);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f +
                                                                                  t * 1.061405429f))));
        float e = 1.0f - poly * fast_exp(-z * z);
        float erf = v < 0 ? -e : e;
        x[i] = 0.5f * v * (1.0f + erf);
    }
}

static inline __attribute__((always_inline)) void softmax_body(float *restrict x, size_t rows, size_t width) {
#pragma clang fp reassociate(on)
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * width;
        float top = row[0];
        for (size_t i = 1; i < width; i++) top = row[i] > top ? row[i] : top;
        float sum = 0;
        for (size_t i = 0; i < width; i++) {
            float e = fast_exp(row[i] - top);
            row[i] = e;
            sum += e;
        }
        float inverse = 1.0f / sum;
        for (size_t i = 0; i < width; i++) row[i] *= inverse;
    }
}

static inline __attribute__((always_inline)) void layer_norm_body(float *restrict x, const float *restrict residual,
                                                                   size_t rows, size_t width, const float *restrict g,
                                                                   const float *restrict b, float epsilon) {
#pragma clang fp reassociate(on)
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * width;
        if (residual) {
            const float *restrict add = residual + r * width;
            for (size_t i = 0; i < width; i++) row[i] += add[i];
        }
        float sum = 0;
        for (size_t i = 0; i < width; i++) sum += row[i];
        float mean = sum / (float)width;
        float squares = 0;
        for (size_t i = 0; i < width; i++) {
            float d = row[i] - mean;
            squares += d * d;
        }
        float scale = 1.0f / __builtin_sqrtf(squares / (float)width + epsilon);
        for (size_t i = 0; i < width; i++) row[i] = (row[i] - mean) * scale * g[i] + b[i];
    }
}

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma")))
#define AVX2 __attribute__((target("avx2,fma")))

AVX512 static void gelu_avx512(float *x, size_t count) { gelu_body(x, count); }
AVX2 static void gelu_avx2(float *x, size_t count) { gelu_body(x, count); }
static void gelu_baseline(float *x, size_t count) { gelu_body(x, count); }
AVX512 static void softmax_avx512(float *x, size_t rows, size_t width) { softmax_body(x, rows, width); }
AVX2 static void softmax_avx2(float *x, size_t rows, size_t width) { softmax_body(x, rows, width); }
static void softmax_baseline(float *x, size_t rows, size_t width) { softmax_body(x, rows, width); }
#define LAYER_NORM(name, attributes)                                                                                  \
    attributes static void name(float *x, const float *residual, size_t rows, size_t width, const float *g,           \
                                const float *b, float epsilon) {                                                      \
        layer_norm_body(x, residual, rows, width, g, b, epsilon);                                                     \
    }
LAYER_NORM(layer_norm_avx512, AVX512)
LAYER_NORM(layer_norm_avx2, AVX2)
LAYER_NORM(layer_norm_baseline, )

/// 2: AVX-512, 1: AVX2 with FMA, 0: baseline. Chosen once; a race between threads writes the same value.
static int chosen = -1;

static int isa(void) {
    int c = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (c >= 0) return c;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        c = 2;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        c = 1;
    else
        c = 0;
    __atomic_store_n(&chosen, c, __ATOMIC_RELAXED);
    return c;
}

void pipeline_gelu(float *x, size_t count) {
    switch (isa()) {
    case 2: gelu_avx512(x, count); break;
    case 1: gelu_avx2(x, count); break;
    default: gelu_baseline(x, count); break;
    }
}

void pipeline_softmax_rows(float *x, size_t rows, size_t width) {
    switch (isa()) {
    case 2: softmax_avx512(x, rows, width); break;
    case 1: softmax_avx2(x, rows, width); break;
    default: softmax_baseline(x, rows, width); break;
    }
}

void pipeline_add_layer_norm(float *x, const float *residual, size_t rows, size_t width, const float *g,
                             const float *b, float epsilon) {
    switch (isa()) {
    case 2: layer_norm_avx512(x, residual, rows, width, g, b, epsilon); break;
    case 1: layer_norm_avx2(x, residual, rows, width, g, b, epsilon); break;
    default: layer_norm_baseline(x, residual, rows, width, g, b, epsilon); break;
    }
}

const char *pipeline_kernels_isa(void) {
    switch (isa()) {
    case 2: return "avx512";
    case 1: return "avx2";
    default: return "baseline";
    }
}
