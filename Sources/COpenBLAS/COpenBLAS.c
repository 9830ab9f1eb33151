#include "COpenBLAS.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *,
                         int);
typedef void (*threads_fn)(int);
typedef char *(*corename_fn)(void);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_fn sgemm;
static const char *core = "";
static char load_error[512];

static const char *core_for_this_cpu(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
    if (__builtin_cpu_supports("avx")) return "Sandybridge";
    return NULL;
}

static void load(void) {
    const char *chosen = getenv("OPENBLAS_CORETYPE");
    if (chosen == NULL || chosen[0] == 0) {
        const char *c = core_for_this_cpu();
        if (c) setenv("OPENBLAS_CORETYPE", c, 1);
    }
    void *lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error,
                 "cannot load OpenBLAS (libopenblas.so.0: %s); install Debian's libopenblas0 (the Scripts/ set-up "
                 "installs libopenblas-dev)",
                 dlerror());
        return;
    }
    sgemm_fn f = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    threads_fn threads = (threads_fn)dlsym(lib, "openblas_set_num_threads");
    corename_fn name = (corename_fn)dlsym(lib, "openblas_get_corename");
    if (!f || !threads) {
        snprintf(load_error, sizeof load_error, "libopenblas.so.0 lacks cblas_sgemm or openblas_set_num_threads");
        return;
    }
    threads(1);
    if (name) core = name();
    sgemm = f;
}

int pipeline_blas_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (sgemm) return 0;
    if (error && error_size) snprintf(error, error_size, "%s", load_error);
    return -1;
}

const char *pipeline_blas_core(void) { return core ? core : ""; }

void pipeline_sgemm(int transpose_a, int transpose_b, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm(ROW_MAJOR, transpose_a ? TRANS : NO_TRANS, transpose_b ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb,
          beta, c, ldc);
}
