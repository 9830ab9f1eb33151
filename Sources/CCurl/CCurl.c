#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The parts of libcurl's stable ABI used here (values from curl/curl.h; they never change between releases).
typedef void CURL;
struct curl_slist;
enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_USERAGENT = 10018, OPT_HTTPHEADER = 10023, OPT_HEADERDATA = 10029,
    OPT_ACCEPT_ENCODING = 10102, OPT_WRITEFUNCTION = 20011, OPT_HEADERFUNCTION = 20079, OPT_LOW_SPEED_LIMIT = 19,
    OPT_LOW_SPEED_TIME = 20, OPT_FOLLOWLOCATION = 52, OPT_MAXREDIRS = 68, OPT_NOSIGNAL = 99, OPT_TIMEOUT_MS = 155,
    OPT_CONNECTTIMEOUT_MS = 156, OPT_PROTOCOLS = 181, OPT_REDIR_PROTOCOLS = 182, OPT_ERRORBUFFER = 10010,
    INFO_EFFECTIVE_URL = 0x100001, INFO_RESPONSE_CODE = 0x200002,
    PROTO_HTTP = 1, PROTO_HTTPS = 2, GLOBAL_ALL = 3, E_OK = 0, E_WRITE_ERROR = 23, ERROR_SIZE = 256
};

static struct {
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(int);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    int (*global_init)(long);
} curl;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl.dylib"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl (%s); install it (Debian: apt-get install libcurl4)",
                 dlerror());
        return;
    }
#define SYM(field, name) if (!(*(void **)&curl.field = dlsym(lib, name))) { \
        snprintf(load_error, sizeof load_error, "libcurl lacks %s", name); return; }
    SYM(easy_init, "curl_easy_init")
    SYM(easy_setopt, "curl_easy_setopt")
    SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo")
    SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(easy_strerror, "curl_easy_strerror")
    SYM(slist_append, "curl_slist_append")
    SYM(slist_free_all, "curl_slist_free_all")
    SYM(global_init, "curl_global_init")
#undef SYM
    if (curl.global_init(GLOBAL_ALL) != E_OK) snprintf(load_error, sizeof load_error, "libcurl failed to initialise");
}

int pipeline_curl_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (load_error[0]) {
        snprintf(error, error_size, "%s", load_error);
        return -1;
    }
    return 0;
}

struct sinks {
    pipeline_curl_sink body, header;
    void *context;
    int stopped;
};

static size_t on_body(char *data, size_t size, size_t count, void *p) {
    struct sinks *s = p;
    if (s->body(data, size * count, s->context)) { s->stopped = 1; return 0; }
    return size * count;
}

static size_t on_header(char *data, size_t size, size_t count, void *p) {
    struct sinks *s = p;
    if (s->header(data, size * count, s->context)) { s->stopped = 1; return 0; }
    return size * count;
}

int pipeline_curl_get(const char *url, const char *user_agent, const char *const *headers, int header_count,
                      long connect_timeout_ms, long idle_timeout_s, long total_timeout_ms,
                      pipeline_curl_sink body, pipeline_curl_sink header, void *context,
                      long *status, char **final_url, char *error, size_t error_size) {
    *status = 0;
    *final_url = NULL;
    if (pipeline_curl_load(error, error_size) != 0) return -1;
    CURL *h = curl.easy_init();
    if (!h) { snprintf(error, error_size, "libcurl could not start a transfer"); return -1; }
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    struct sinks s = {body, header, context, 0};
    char message[ERROR_SIZE] = {0};
    curl.easy_setopt(h, OPT_URL, url);
    curl.easy_setopt(h, OPT_USERAGENT, user_agent);
    if (list) curl.easy_setopt(h, OPT_HTTPHEADER, list);
    curl.easy_setopt(h, OPT_NOSIGNAL, 1L);
    curl.easy_setopt(h, OPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(h, OPT_MAXREDIRS, 10L);
    curl.easy_setopt(h, OPT_PROTOCOLS, (long)(PROTO_HTTP | PROTO_HTTPS));
    curl.easy_setopt(h, OPT_REDIR_PROTOCOLS, (long)(PROTO_HTTP | PROTO_HTTPS));
    curl.easy_setopt(h, OPT_ACCEPT_ENCODING, "");
    curl.easy_setopt(h, OPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    curl.easy_setopt(h, OPT_TIMEOUT_MS, total_timeout_ms);
    curl.easy_setopt(h, OPT_LOW_SPEED_LIMIT, 1L);
    curl.easy_setopt(h, OPT_LOW_SPEED_TIME, idle_timeout_s);
    curl.easy_setopt(h, OPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(h, OPT_WRITEDATA, (void *)&s);
    curl.easy_setopt(h, OPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(h, OPT_HEADERDATA, (void *)&s);
    curl.easy_setopt(h, OPT_ERRORBUFFER, message);
    int code = curl.easy_perform(h);
    int result = 0;
    if (s.stopped && code == E_WRITE_ERROR) {
        result = 1;
    } else if (code != E_OK) {
        snprintf(error, error_size, "%s", message[0] ? message : curl.easy_strerror(code));
        result = -1;
    } else {
        char *effective = NULL;
        curl.easy_getinfo(h, INFO_RESPONSE_CODE, status);
        curl.easy_getinfo(h, INFO_EFFECTIVE_URL, &effective);
        if (effective) *final_url = strdup(effective);
    }
    curl.easy_cleanup(h);
    if (list) curl.slist_free_all(list);
    return result;
}

void pipeline_curl_free(char *string) { free(string); }
