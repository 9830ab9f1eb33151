#ifndef PIPELINE_CCURL_H
#define PIPELINE_CCURL_H

#include <stddef.h>

/// HTTP(S) GET through libcurl, which is loaded with dlopen on first use (libcurl.so.4): the `pipeline` binary does
/// not link it, so a run that fetches nothing does not pay for loading libcurl and its libraries at start-up.

/// Receives a piece of the body or one header line; returns 0 to go on, non-zero to stop the transfer.
typedef int (*pipeline_curl_sink)(const char *data, size_t count, void *context);

/// Loads libcurl once per process. Returns 0, or -1 with a message in `error`.
int pipeline_curl_load(char *error, size_t error_size);

/// One GET of `url` with the `header_count` request headers ("Name: value"), following redirects (at most 10),
/// http and https only, compressed bodies decoded. `connect_timeout_ms` bounds connecting, `idle_timeout_s` a
/// stall (less than one byte a second for that long), `total_timeout_ms` the whole transfer. Body pieces go to
/// `body`, header lines (of every response along the redirects) to `header`. Returns 0 with the last response's
/// status and URL (`final_url`, malloc'd: free it with pipeline_curl_free), 1 when a sink stopped the transfer, or
/// -1 with a message in `error`.
int pipeline_curl_get(const char *url, const char *user_agent, const char *const *headers, int header_count,
                      long connect_timeout_ms, long idle_timeout_s, long total_timeout_ms,
                      pipeline_curl_sink body, pipeline_curl_sink header, void *context,
                      long *status, char **final_url, char *error, size_t error_size);

/// Frees a string returned by pipeline_curl_get.
void pipeline_curl_free(char *string);

#endif
