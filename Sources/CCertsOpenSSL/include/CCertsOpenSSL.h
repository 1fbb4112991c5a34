// A small C API over OpenSSL's libcrypto for certificate work.
//
// Swift sees only these functions and two opaque pointer types (a key and a
// certificate); OpenSSL's macros, stacks and variadic helpers stay in shim.c.
// Every function that can fail returns 0 or NULL and leaves the reason on
// OpenSSL's error queue; `ccerts_take_error` turns that into one line.
#pragma once
#include <stddef.h>
#include <stdint.h>

struct evp_pkey_st;
struct x509_st;

/// Kinds of key `ccerts_key_generate` makes.
enum {
    CCERTS_KEY_EC_P256 = 1,
    CCERTS_KEY_EC_P384 = 2,
    CCERTS_KEY_RSA = 3,
    CCERTS_KEY_ED25519 = 4,
};

/// Copies the most specific reason on the error queue into `buffer` (always
/// NUL-terminated) and clears the queue. Writes "" when the queue is empty.
void ccerts_take_error(char *buffer, size_t length);

/// Frees a buffer returned by this API.
void ccerts_free(void *pointer);

// MARK: Keys

/// A new key pair; `rsa_bits` is used only for CCERTS_KEY_RSA.
struct evp_pkey_st *ccerts_key_generate(int kind, int rsa_bits);
void ccerts_key_free(struct evp_pkey_st *key);
/// Takes one more reference to `key` (for a certificate's borrowed public key).
int ccerts_key_retain(struct evp_pkey_st *key);

/// The private key as PKCS#8 PEM; encrypted with AES-256-CBC (PBES2) when
/// `passphrase` is not NULL. `*out` is freed with `ccerts_free`. Returns 1 on success.
int ccerts_key_to_pem(struct evp_pkey_st *key, const char *passphrase, size_t passphrase_length,
                      char **out, size_t *out_length);

/// Reads a private key from PEM (PKCS#8, encrypted PKCS#8 or traditional).
/// Never prompts: without a passphrase an encrypted key simply fails.
struct evp_pkey_st *ccerts_key_from_pem(const char *pem, size_t length,
                                        const char *passphrase, size_t passphrase_length);

/// Key algorithm ("EC", "RSA", "Ed25519" or OpenSSL's name), curve ("P-256",
/// "P-384", or "" when none) and size in bits. Returns 1 on success.
int ccerts_key_describe(struct evp_pkey_st *key, char *algorithm, size_t algorithm_length,
                        char *curve, size_t curve_length, int *bits);

// MARK: Certificates

void ccerts_cert_free(struct x509_st *cert);

/// Reads up to `max` certificates from PEM text, in order. Returns how many
/// were read (0 when there is none or the first is malformed); a malformed
/// certificate after good ones returns -1.
int ccerts_certs_from_pem(const char *pem, size_t length, struct x509_st **out, int max);

/// The certificate as PEM; `*out` is freed with `ccerts_free`. Returns 1 on success.
int ccerts_cert_to_pem(struct x509_st *cert, char **out, size_t *out_length);

/// An unsigned v3 certificate with a random positive serial (159 bits), the
/// subject `CN=common_name`, validity in seconds since 1970, and `key`'s public key.
struct x509_st *ccerts_cert_new(const char *common_name, int64_t not_before, int64_t not_after,
                                struct evp_pkey_st *key);

/// Adds an extension in openssl.cnf syntax ("basicConstraints",
/// "critical,CA:TRUE"). `issuer` is NULL for a self-signed certificate.
int ccerts_cert_add_extension(struct x509_st *cert, struct x509_st *issuer, const char *name, const char *value);

/// Sets the issuer name (NULL: self-issued) and signs with `issuer_key`
/// (SHA-256, SHA-384 for P-384 keys, none for Ed25519). Returns 1 on success.
int ccerts_cert_sign(struct x509_st *cert, struct x509_st *issuer, struct evp_pkey_st *issuer_key);

/// The subject (`issuer` = 0) or issuer name, one line, RFC 2253 order.
int ccerts_cert_name(struct x509_st *cert, int issuer, char *buffer, size_t length);
/// The serial number in hex.
int ccerts_cert_serial(struct x509_st *cert, char *buffer, size_t length);
/// notBefore (`which` = 0) or notAfter as seconds since 1970. Returns 1 on success.
int ccerts_cert_time(struct x509_st *cert, int which, int64_t *seconds);
/// Subject alternative names, one per line, as "DNS:name" or "IP:address".
int ccerts_cert_alt_names(struct x509_st *cert, char *buffer, size_t length);
/// The SHA-256 digest of the DER encoding (32 bytes).
int ccerts_cert_sha256(struct x509_st *cert, unsigned char *out32);
/// Key usage names ("digitalSignature,keyCertSign"), "" when the extension is absent.
int ccerts_cert_key_usage(struct x509_st *cert, char *buffer, size_t length);
/// Extended key usage names ("serverAuth,clientAuth"), "" when absent.
int ccerts_cert_ext_key_usage(struct x509_st *cert, char *buffer, size_t length);
/// 1 when basicConstraints says CA:TRUE; `*path_length` is -1 when unlimited.
int ccerts_cert_is_ca(struct x509_st *cert, long *path_length);
/// 1 when the certificate is self-signed (issuer = subject, signature verifies).
int ccerts_cert_self_signed(struct x509_st *cert);
/// The public key, with its own reference (free with `ccerts_key_free`).
struct evp_pkey_st *ccerts_cert_public_key(struct x509_st *cert);
/// 1 when `key` is the private half of the certificate's public key.
int ccerts_cert_matches_key(struct x509_st *cert, struct evp_pkey_st *key);

/// Verifies `leaf` up to one of `trusted`, with `untrusted` as intermediates,
/// at `at_time` (seconds since 1970; 0 means now), and against `host` (a DNS
/// name or IP address) when not NULL. Returns 1 when valid; otherwise 0 and
/// the reason (with the depth it applies to) in `reason`.
int ccerts_verify(struct x509_st *leaf, struct x509_st *const *untrusted, int untrusted_count,
                  struct x509_st *const *trusted, int trusted_count, const char *host, int64_t at_time,
                  char *reason, size_t reason_length, int *depth);
