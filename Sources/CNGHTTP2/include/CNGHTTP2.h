#pragma once
#include <stddef.h>
#include <stdint.h>
#include <nghttp2/nghttp2.h>

/* Small helpers over libnghttp2 and zlib for the RPC module. Every function is
   prefixed `cnghttp2_` so nothing collides with the libraries' own symbols. */

/* The static response header block `:status 200`, `content-type: application/grpc`. */
int cnghttp2_submit_grpc_response(nghttp2_session *session, int32_t stream_id,
                                  nghttp2_data_source_read_callback read_callback,
                                  uintptr_t source_id);

/* Trailers `grpc-status: 0` (static, no copy of the values). */
int cnghttp2_submit_trailers_ok(nghttp2_session *session, int32_t stream_id);

/* A data provider whose source pointer carries `source_id`. */
int cnghttp2_submit_request(nghttp2_session *session, const nghttp2_nv *nva, size_t nvlen,
                            nghttp2_data_source_read_callback read_callback,
                            uintptr_t source_id, void *stream_user_data);

/* Same as nghttp2_submit_response but with a data provider built from `source_id`. */
int cnghttp2_submit_response_with_data(nghttp2_session *session, int32_t stream_id,
                                       const nghttp2_nv *nva, size_t nvlen,
                                       nghttp2_data_source_read_callback read_callback,
                                       uintptr_t source_id);

/* The source id stored by the submit helpers above. */
static inline uintptr_t cnghttp2_source_id(const nghttp2_data_source *source) {
  return (uintptr_t)source->ptr;
}

/* SETTINGS: max concurrent streams (0 = do not send), initial window size, enable push 0;
   then raises the connection receive window to `connection_window` when it exceeds 65535. */
int cnghttp2_submit_settings(nghttp2_session *session, uint32_t max_concurrent_streams,
                             uint32_t initial_window_size, int32_t connection_window);

/* Creates a session with automatic WINDOW_UPDATE disabled (the engine consumes bytes itself). */
int cnghttp2_session_new(nghttp2_session **session, const nghttp2_session_callbacks *callbacks,
                         void *user_data, int is_server);

/* ---- gzip (zlib) ---- */

/* Upper bound for the gzip output of `length` input bytes. */
size_t cnghttp2_gzip_bound(size_t length);

/* One-shot gzip. `*out_length` holds the capacity of `out` on entry and the
   produced size on return. Returns 0 on success, -1 on failure. */
int cnghttp2_gzip_compress(const uint8_t *in, size_t in_length, uint8_t *out, size_t *out_length);

/* One-shot gunzip (gzip or zlib header, auto-detected) into a malloc'd buffer of at most
   `limit` bytes. Returns 0 on success (`*out` owned by the caller, free it with
   cnghttp2_free), 1 when the output would exceed `limit`, -1 for corrupt input. */
int cnghttp2_gzip_decompress(const uint8_t *in, size_t in_length, size_t limit,
                             uint8_t **out, size_t *out_length);

void cnghttp2_free(void *pointer);
