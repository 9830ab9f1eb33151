#define _GNU_SOURCE
#include <dlfcn.h>
#include "CDynamicLinker.h"

const char *pipeline_object_file(const void *address) {
    Dl_info info;
    if (dladdr(address, &info) == 0) return 0;
    return info.dli_fname;
}

const char *pipeline_core_file(void) {
    return pipeline_object_file((const void *)&pipeline_core_file);
}
