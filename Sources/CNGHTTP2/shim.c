#include "CNGHTTP2.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NV(n, v) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, sizeof(v) - 1, \
                   NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE }

static const nghttp2_nv response_headers[] = {
  NV(":status", "200"),
  NV("content-type", "application/grpc"),
};

static const nghttp2_nv trailers_ok[] = {
  NV("grpc-status", "0"),
};

int cnghttp2_submit_grpc_response(nghttp2_session *session, int32_t stream_id,
                                  nghttp2_data_source_read_callback read_callback,
                                  uintptr_t source_id) {
  nghttp2_data_provider provider;
  provider.source.ptr = (void *)source_id;
  provider.read_callback = read_callback;
  return nghttp2_submit_response(session, stream_id, response_headers, 2, &provider);
}

int cnghttp2_submit_trailers_ok(nghttp2_session *session, int32_t stream_id) {
  return nghttp2_submit_trailer(session, stream_id, trailers_ok, 1);
}

int cnghttp2_submit_request(nghttp2_session *session, const nghttp2_nv *nva, size_t nvlen,
                            nghttp2_data_source_read_callback read_callback,
                            uintptr_t source_id, void *stream_user_data) {
  nghttp2_data_provider provider;
  provider.source.ptr = (void *)source_id;
  provider.read_callback = read_callback;
  return nghttp2_submit_request(session, NULL, nva, nvlen, &provider, stream_user_data);
}

int cnghttp2_submit_response_with_data(nghttp2_session *session, int32_t stream_id,
                                       const nghttp2_nv *nva, size_t nvlen,
                                       nghttp2_data_source_read_callback read_callback,
                                       uintptr_t source_id) {
  nghttp2_data_provider provider;
  provider.source.ptr = (void *)source_id;
  provider.read_callback = read_callback;
  return nghttp2_submit_response(session, stream_id, nva, nvlen, &provider);
}

int cnghttp2_submit_settings(nghttp2_session *session, uint32_t max_concurrent_streams,
                             uint32_t initial_window_size, int32_t connection_window) {
  nghttp2_settings_entry entries[3];
  size_t count = 0;
  entries[count].settings_id = NGHTTP2_SETTINGS_ENABLE_PUSH;
  entries[count].value = 0;
  count++;
  entries[count].settings_id = NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE;
  entries[count].value = initial_window_size;
  count++;
  if (max_concurrent_streams > 0) {
    entries[count].settings_id = NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS;
    entries[count].value = max_concurrent_streams;
    count++;
  }
  int rv = nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, entries, count);
  if (rv != 0) return rv;
  if (connection_window > 65535) {
    rv = nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, connection_window);
  }
  return rv;
}

int cnghttp2_session_new(nghttp2_session **session, const nghttp2_session_callbacks *callbacks,
                         void *user_data, int is_server) {
  nghttp2_option *option = NULL;
  int rv = nghttp2_option_new(&option);
  if (rv != 0) return rv;
  nghttp2_option_set_no_auto_window_update(option, 1);
  /* Until the peer's SETTINGS arrive, assume a conservative stream limit. */
  nghttp2_option_set_peer_max_concurrent_streams(option, 100);
  if (is_server) {
    rv = nghttp2_session_server_new2(session, callbacks, user_data, option);
  } else {
    rv = nghttp2_session_client_new2(session, callbacks, user_data, option);
  }
  nghttp2_option_del(option);
  return rv;
}

size_t cnghttp2_gzip_bound(size_t length) {
  /* deflateBound for default settings plus the gzip header and trailer. */
  return length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 18 + 64;
}

int cnghttp2_gzip_compress(const uint8_t *in, size_t in_length, uint8_t *out, size_t *out_length) {
  z_stream stream;
  memset(&stream, 0, sizeof stream);
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  stream.next_in = (Bytef *)in;
  stream.avail_in = (uInt)in_length;
  stream.next_out = out;
  stream.avail_out = (uInt)*out_length;
  int rv = deflate(&stream, Z_FINISH);
  size_t produced = *out_length - stream.avail_out;
  deflateEnd(&stream);
  if (rv != Z_STREAM_END) return -1;
  *out_length = produced;
  return 0;
}

int cnghttp2_gzip_decompress(const uint8_t *in, size_t in_length, size_t limit,
                             uint8_t **out, size_t *out_length) {
  *out = NULL;
  *out_length = 0;
  z_stream stream;
  memset(&stream, 0, sizeof stream);
  /* 15 + 32: accept both gzip and zlib headers. */
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return -1;
  size_t capacity = in_length * 4 + 64;
  if (capacity > limit + 1) capacity = limit + 1;
  uint8_t *buffer = malloc(capacity);
  if (buffer == NULL) { inflateEnd(&stream); return -1; }
  stream.next_in = (Bytef *)in;
  stream.avail_in = (uInt)in_length;
  size_t produced = 0;
  int result = -1;
  for (;;) {
    stream.next_out = buffer + produced;
    stream.avail_out = (uInt)(capacity - produced);
    int rv = inflate(&stream, Z_NO_FLUSH);
    produced = capacity - stream.avail_out;
    if (produced > limit) { result = 1; break; }
    if (rv == Z_STREAM_END) {
      result = stream.avail_in == 0 ? 0 : -1;
      break;
    }
    if (rv != Z_OK && rv != Z_BUF_ERROR) { result = -1; break; }
    if (stream.avail_out == 0) {
      size_t next = capacity * 2;
      if (next > limit + 1) next = limit + 1;
      if (next <= capacity) { result = 1; break; }
      uint8_t *grown = realloc(buffer, next);
      if (grown == NULL) { result = -1; break; }
      buffer = grown;
      capacity = next;
    } else if (rv == Z_BUF_ERROR || stream.avail_in == 0) {
      /* No progress possible: the input is truncated. */
      result = -1;
      break;
    }
  }
  inflateEnd(&stream);
  if (result != 0) { free(buffer); return result; }
  *out = buffer;
  *out_length = produced;
  return 0;
}

void cnghttp2_free(void *pointer) { free(pointer); }
