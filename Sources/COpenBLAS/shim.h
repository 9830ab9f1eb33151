#ifndef PIPELINE_COPENBLAS_SHIM_H
#define PIPELINE_COPENBLAS_SHIM_H
/* OpenBLAS's CBLAS interface (Debian's libopenblas-dev): sgemm for the encoder's matrix products, and
   openblas_set_num_threads, since the job slots, not OpenBLAS, spread the work over the cores. */
#include <cblas.h>
#endif
