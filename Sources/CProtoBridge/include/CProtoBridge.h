// A plain C API over libprotobuf 3.21: .proto parsing, descriptor pools built
// from protosets or single FileDescriptorProtos, JSON <-> binary conversion,
// and proto source rendering.
//
// Every entry point catches C++ exceptions and libprotobuf's log output; a
// failure comes back as a filled `cpb_error`, never as text on stderr.
// Every pointer handed out through an out-parameter is malloc'd memory owned by
// the caller: release strings and buffers with `cpb_free`, errors with
// `cpb_error_clear`.
#ifndef CPROTOBRIDGE_H
#define CPROTOBRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What went wrong, coarsely; the message says the rest.
typedef enum {
    CPB_OK = 0,
    CPB_ERR_INTERNAL = 1,          // a bug or an unexpected libprotobuf failure
    CPB_ERR_PROTO = 2,             // syntax or semantic error in a .proto file (has a location)
    CPB_ERR_FILE_NOT_FOUND = 3,    // a .proto file or import that no import path holds
    CPB_ERR_OUTSIDE_IMPORT_PATH = 4, // an on-disk file that lies under no import path
    CPB_ERR_EDITIONS = 5,          // an editions file, which libprotobuf 3.21 cannot read
    CPB_ERR_DESCRIPTORS = 6,       // a corrupt, truncated or conflicting protoset / descriptor
    CPB_ERR_UNKNOWN_SYMBOL = 7,    // no message / service / ... of that name
    CPB_ERR_JSON = 8,              // JSON that does not fit the message type
    CPB_ERR_BINARY = 9,            // binary that is not a valid encoding of the message type
} cpb_error_kind;

typedef struct {
    int kind;        // a cpb_error_kind
    char *message;   // one or more lines; NULL when kind == CPB_OK
    char *file;      // file the error is in, or NULL
    int line;        // 1-based, 0 when unknown
    int column;      // 1-based, 0 when unknown
} cpb_error;

void cpb_free(void *p);
void cpb_error_clear(cpb_error *err);

/// A descriptor pool plus what backs it. Read-only and safe to share between
/// threads once built.
typedef struct cpb_pool cpb_pool;

/// Parses `.proto` files. `import_paths` are protoc's `-I` roots (at least one).
/// `files` are paths relative to a root, or on-disk paths under one. The
/// well-known types (google/protobuf/*.proto) are compiled in and resolve with
/// no root providing them. Returns NULL and fills `err` on failure.
cpb_pool *cpb_pool_from_protos(const char *const *import_paths, size_t n_import_paths,
                               const char *const *files, size_t n_files, cpb_error *err);

/// Builds a pool from serialized FileDescriptorSets (protosets) and/or single
/// serialized FileDescriptorProtos (what server reflection returns), merged.
/// Identical repeats of a file are skipped; different contents under one file
/// name are an error naming the file. Imports none of them provide are taken
/// from the compiled-in well-known types.
cpb_pool *cpb_pool_from_descriptors(const uint8_t *const *sets, const size_t *set_lengths, size_t n_sets,
                                    const uint8_t *const *files, const size_t *file_lengths, size_t n_files,
                                    cpb_error *err);

void cpb_pool_free(cpb_pool *pool);

/// Names of the files the pool was built from (not their imports), one per
/// line, in load order.
int cpb_pool_roots(cpb_pool *pool, char **out, cpb_error *err);

/// Serialized FileDescriptorSet holding `file_names` (all files the pool was
/// built from when `n_files` is 0) and everything they import, dependencies
/// first, json_name kept. What reflection serves and `--protoset-out` writes.
int cpb_pool_export(cpb_pool *pool, const char *const *file_names, size_t n_files,
                    uint8_t **out, size_t *out_len, cpb_error *err);

/// Name of the file defining `symbol` (message, enum, service, method, field,
/// enum value, extension; a leading '.' is accepted).
int cpb_file_containing_symbol(cpb_pool *pool, const char *symbol, char **out_file, cpb_error *err);

/// Proto source text of `symbol` (with its comments when the pool came from
/// .proto files). `*out_kind` is set to "message", "enum", "service",
/// "method", "field", "enum value", "extension" or "file".
int cpb_render_symbol(cpb_pool *pool, const char *symbol, char **out_text, char **out_kind, cpb_error *err);

enum {
    CPB_JSON_EMIT_DEFAULTS = 1 << 0,        // print fields that hold their default value
    CPB_JSON_PROTO_NAMES = 1 << 1,          // field names as in the .proto, not lowerCamel
    CPB_JSON_ENUMS_AS_INTS = 1 << 2,        // enum values as numbers
    CPB_JSON_INDENT = 1 << 3,               // pretty output
    CPB_JSON_IGNORE_UNKNOWN = 1 << 4,       // parsing: skip unknown fields
};

/// JSON -> binary for the message type `type_name` (fully qualified).
int cpb_json_to_binary(cpb_pool *pool, const char *type_name, const char *json, size_t json_len,
                       uint32_t flags, uint8_t **out, size_t *out_len, cpb_error *err);

/// binary -> JSON. The bytes are validated first (libprotobuf 3.21's converter
/// accepts truncated input silently).
int cpb_binary_to_json(cpb_pool *pool, const char *type_name, const uint8_t *data, size_t len,
                       uint32_t flags, char **out, size_t *out_len, cpb_error *err);

/// binary -> protobuf text format (Any expanded through the pool). The bytes
/// are validated first.
int cpb_binary_to_text(cpb_pool *pool, const char *type_name, const uint8_t *data, size_t len, char **out,
                       size_t *out_len, cpb_error *err);

#ifdef __cplusplus
}
#endif
#endif
