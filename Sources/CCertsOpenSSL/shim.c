#include "CCertsOpenSSL.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/core_names.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// MARK: Helpers

static void copy_string(char *buffer, size_t length, const char *text) {
    if (length == 0) return;
    snprintf(buffer, length, "%s", text ? text : "");
}

// Copies a memory BIO's contents into a fresh NUL-terminated malloc buffer.
static int take_bio(BIO *bio, char **out, size_t *out_length) {
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (length < 0 || data == NULL) return 0;
    char *copy = malloc((size_t)length + 1);
    if (copy == NULL) return 0;
    memcpy(copy, data, (size_t)length);
    copy[length] = 0;
    *out = copy;
    *out_length = (size_t)length;
    return 1;
}

// Appends `text` to a comma-separated list in `buffer`.
static void append_item(char *buffer, size_t length, const char *text) {
    size_t used = strlen(buffer);
    if (used + 1 >= length) return;
    snprintf(buffer + used, length - used, "%s%s", used ? "," : "", text);
}

void ccerts_take_error(char *buffer, size_t length) {
    unsigned long code;
    unsigned long last = 0;
    while ((code = ERR_get_error()) != 0) last = code;
    if (last == 0) {
        copy_string(buffer, length, "");
        return;
    }
    const char *reason = ERR_reason_error_string(last);
    if (reason != NULL) {
        copy_string(buffer, length, reason);
    } else {
        ERR_error_string_n(last, buffer, length);
    }
}

void ccerts_free(void *pointer) { free(pointer); }

// MARK: Keys

EVP_PKEY *ccerts_key_generate(int kind, int rsa_bits) {
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;
    switch (kind) {
    case CCERTS_KEY_EC_P256:
    case CCERTS_KEY_EC_P384:
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0) goto done;
        if (EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, kind == CCERTS_KEY_EC_P256 ? NID_X9_62_prime256v1 : NID_secp384r1) <= 0) goto done;
        // Named-curve encoding: required by TLS stacks and PKIX.
        if (EVP_PKEY_CTX_set_ec_param_enc(ctx, OPENSSL_EC_NAMED_CURVE) <= 0) goto done;
        break;
    case CCERTS_KEY_RSA:
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0) goto done;
        if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, rsa_bits) <= 0) goto done;
        break;
    case CCERTS_KEY_ED25519:
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "ED25519", NULL);
        if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0) goto done;
        break;
    default:
        return NULL;
    }
    if (EVP_PKEY_keygen(ctx, &key) <= 0) key = NULL;
done:
    EVP_PKEY_CTX_free(ctx);
    return key;
}

void ccerts_key_free(EVP_PKEY *key) { EVP_PKEY_free(key); }

int ccerts_key_retain(EVP_PKEY *key) { return EVP_PKEY_up_ref(key); }

int ccerts_key_to_pem(EVP_PKEY *key, const char *passphrase, size_t passphrase_length,
                      char **out, size_t *out_length) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    const EVP_CIPHER *cipher = passphrase ? EVP_aes_256_cbc() : NULL;
    int ok = PEM_write_bio_PKCS8PrivateKey(bio, key, cipher, passphrase, (int)passphrase_length, NULL, NULL);
    if (ok) ok = take_bio(bio, out, out_length);
    BIO_free(bio);
    return ok;
}

struct passphrase { const char *text; size_t length; };

// Hands OpenSSL the passphrase we were given, or nothing: never a prompt.
static int passphrase_callback(char *buffer, int size, int rwflag, void *user) {
    (void)rwflag;
    const struct passphrase *pass = user;
    if (pass == NULL || pass->text == NULL || size <= 0) return -1;
    size_t n = pass->length < (size_t)size ? pass->length : (size_t)size;
    memcpy(buffer, pass->text, n);
    return (int)n;
}

EVP_PKEY *ccerts_key_from_pem(const char *pem, size_t length, const char *passphrase, size_t passphrase_length) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    struct passphrase pass = { passphrase, passphrase_length };
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, passphrase_callback, &pass);
    BIO_free(bio);
    return key;
}

int ccerts_key_describe(EVP_PKEY *key, char *algorithm, size_t algorithm_length,
                        char *curve, size_t curve_length, int *bits) {
    *bits = EVP_PKEY_get_bits(key);
    copy_string(curve, curve_length, "");
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
        copy_string(algorithm, algorithm_length, "EC");
        char group[64] = {0};
        size_t group_length = 0;
        if (EVP_PKEY_get_group_name(key, group, sizeof group, &group_length) == 1) {
            int nid = OBJ_sn2nid(group);
            const char *nist = nid != NID_undef ? EC_curve_nid2nist(nid) : NULL;
            copy_string(curve, curve_length, nist ? nist : group);
        }
        return 1;
    }
    case EVP_PKEY_RSA:
        copy_string(algorithm, algorithm_length, "RSA");
        return 1;
    case EVP_PKEY_ED25519:
        copy_string(algorithm, algorithm_length, "Ed25519");
        return 1;
    case EVP_PKEY_ED448:
        copy_string(algorithm, algorithm_length, "Ed448");
        return 1;
    default: {
        const char *name = EVP_PKEY_get0_type_name(key);
        copy_string(algorithm, algorithm_length, name ? name : "unknown");
        return 1;
    }
    }
}

// MARK: Certificates

void ccerts_cert_free(X509 *cert) { X509_free(cert); }

int ccerts_certs_from_pem(const char *pem, size_t length, X509 **out, int max) {
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return 0;
    int count = 0;
    int failed = 0;
    while (count < max) {
        X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (cert == NULL) {
            unsigned long err = ERR_peek_last_error();
            // Running out of PEM blocks is the normal end, not an error.
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
                ERR_clear_error();
            } else if (count > 0) {
                failed = 1;
            }
            break;
        }
        out[count++] = cert;
    }
    BIO_free(bio);
    if (failed) {
        for (int i = 0; i < count; i++) X509_free(out[i]);
        return -1;
    }
    return count;
}

int ccerts_cert_to_pem(X509 *cert, char **out, size_t *out_length) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = PEM_write_bio_X509(bio, cert);
    if (ok) ok = take_bio(bio, out, out_length);
    BIO_free(bio);
    return ok;
}

X509 *ccerts_cert_new(const char *common_name, int64_t not_before, int64_t not_after, EVP_PKEY *key) {
    X509 *cert = X509_new();
    BIGNUM *serial = BN_new();
    if (cert == NULL || serial == NULL) goto fail;
    if (!X509_set_version(cert, X509_VERSION_3)) goto fail;
    // 159 random bits with the top bit set: positive, at most 20 octets (RFC 5280).
    if (!BN_rand(serial, 159, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY)) goto fail;
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL) goto fail;
    X509_NAME *name = X509_get_subject_name(cert);
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0)) goto fail;
    if (ASN1_TIME_set(X509_getm_notBefore(cert), (time_t)not_before) == NULL) goto fail;
    if (ASN1_TIME_set(X509_getm_notAfter(cert), (time_t)not_after) == NULL) goto fail;
    if (!X509_set_pubkey(cert, key)) goto fail;
    BN_free(serial);
    return cert;
fail:
    BN_free(serial);
    X509_free(cert);
    return NULL;
}

int ccerts_cert_add_extension(X509 *cert, X509 *issuer, const char *name, const char *value) {
    X509V3_CTX ctx;
    memset(&ctx, 0, sizeof ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
    X509_EXTENSION *extension = X509V3_EXT_nconf(NULL, &ctx, name, value);
    if (extension == NULL) return 0;
    int ok = X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    return ok;
}

int ccerts_cert_sign(X509 *cert, X509 *issuer, EVP_PKEY *issuer_key) {
    X509_NAME *issuer_name = issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(cert);
    if (!X509_set_issuer_name(cert, issuer_name)) return 0;
    const EVP_MD *digest = EVP_sha256();
    int id = EVP_PKEY_get_base_id(issuer_key);
    if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) {
        digest = NULL;
    } else if (id == EVP_PKEY_EC && EVP_PKEY_get_bits(issuer_key) > 256) {
        digest = EVP_sha384();
    }
    return X509_sign(cert, issuer_key, digest) > 0;
}

int ccerts_cert_name(X509 *cert, int issuer, char *buffer, size_t length) {
    X509_NAME *name = issuer ? X509_get_issuer_name(cert) : X509_get_subject_name(cert);
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0;
    char *text = NULL;
    size_t text_length = 0;
    if (ok) ok = take_bio(bio, &text, &text_length);
    BIO_free(bio);
    if (!ok) return 0;
    copy_string(buffer, length, text);
    free(text);
    return 1;
}

int ccerts_cert_serial(X509 *cert, char *buffer, size_t length) {
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    if (bn == NULL) return 0;
    char *hex = BN_bn2hex(bn);
    BN_free(bn);
    if (hex == NULL) return 0;
    copy_string(buffer, length, hex);
    OPENSSL_free(hex);
    return 1;
}

int ccerts_cert_time(X509 *cert, int which, int64_t *seconds) {
    const ASN1_TIME *time = which == 0 ? X509_get0_notBefore(cert) : X509_get0_notAfter(cert);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (time == NULL || !ASN1_TIME_to_tm(time, &tm)) return 0;
    *seconds = (int64_t)timegm(&tm);
    return 1;
}

int ccerts_cert_alt_names(X509 *cert, char *buffer, size_t length) {
    copy_string(buffer, length, "");
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (names == NULL) return 1;
    size_t used = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        char entry[512] = {0};
        if (name->type == GEN_DNS || name->type == GEN_EMAIL || name->type == GEN_URI) {
            const ASN1_IA5STRING *text = name->d.ia5;
            const char *prefix = name->type == GEN_DNS ? "DNS" : name->type == GEN_EMAIL ? "email" : "URI";
            snprintf(entry, sizeof entry, "%s:%.*s", prefix, text->length, (const char *)text->data);
        } else if (name->type == GEN_IPADD) {
            char address[INET6_ADDRSTRLEN] = {0};
            const ASN1_OCTET_STRING *ip = name->d.iPAddress;
            if (ip->length == 4) inet_ntop(AF_INET, ip->data, address, sizeof address);
            else if (ip->length == 16) inet_ntop(AF_INET6, ip->data, address, sizeof address);
            else snprintf(address, sizeof address, "(%d bytes)", ip->length);
            snprintf(entry, sizeof entry, "IP:%s", address);
        } else {
            snprintf(entry, sizeof entry, "other:(type %d)", name->type);
        }
        int n = snprintf(buffer + used, length > used ? length - used : 0, "%s\n", entry);
        if (n > 0) used += (size_t)n;
        if (used >= length) break;
    }
    GENERAL_NAMES_free(names);
    return 1;
}

int ccerts_cert_sha256(X509 *cert, unsigned char *out32) {
    unsigned int length = 0;
    return X509_digest(cert, EVP_sha256(), out32, &length) && length == 32;
}

int ccerts_cert_key_usage(X509 *cert, char *buffer, size_t length) {
    copy_string(buffer, length, "");
    uint32_t usage = X509_get_key_usage(cert);
    if (usage == UINT32_MAX) return 1;
    static const struct { uint32_t bit; const char *name; } names[] = {
        { KU_DIGITAL_SIGNATURE, "digitalSignature" }, { KU_NON_REPUDIATION, "nonRepudiation" },
        { KU_KEY_ENCIPHERMENT, "keyEncipherment" }, { KU_DATA_ENCIPHERMENT, "dataEncipherment" },
        { KU_KEY_AGREEMENT, "keyAgreement" }, { KU_KEY_CERT_SIGN, "keyCertSign" },
        { KU_CRL_SIGN, "cRLSign" }, { KU_ENCIPHER_ONLY, "encipherOnly" }, { KU_DECIPHER_ONLY, "decipherOnly" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (usage & names[i].bit) append_item(buffer, length, names[i].name);
    }
    return 1;
}

int ccerts_cert_ext_key_usage(X509 *cert, char *buffer, size_t length) {
    copy_string(buffer, length, "");
    EXTENDED_KEY_USAGE *usages = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    if (usages == NULL) return 1;
    for (int i = 0; i < sk_ASN1_OBJECT_num(usages); i++) {
        const ASN1_OBJECT *object = sk_ASN1_OBJECT_value(usages, i);
        int nid = OBJ_obj2nid(object);
        if (nid != NID_undef) {
            append_item(buffer, length, OBJ_nid2sn(nid));
        } else {
            char oid[80] = {0};
            OBJ_obj2txt(oid, sizeof oid, object, 1);
            append_item(buffer, length, oid);
        }
    }
    EXTENDED_KEY_USAGE_free(usages);
    return 1;
}

int ccerts_cert_is_ca(X509 *cert, long *path_length) {
    *path_length = -1;
    BASIC_CONSTRAINTS *constraints = X509_get_ext_d2i(cert, NID_basic_constraints, NULL, NULL);
    if (constraints == NULL) return 0;
    int ca = constraints->ca != 0;
    if (ca && constraints->pathlen != NULL) *path_length = ASN1_INTEGER_get(constraints->pathlen);
    BASIC_CONSTRAINTS_free(constraints);
    return ca;
}

int ccerts_cert_self_signed(X509 *cert) { return X509_self_signed(cert, 1) == 1; }

EVP_PKEY *ccerts_cert_public_key(X509 *cert) { return X509_get_pubkey(cert); }

int ccerts_cert_matches_key(X509 *cert, EVP_PKEY *key) {
    int ok = X509_check_private_key(cert, key);
    ERR_clear_error();
    return ok == 1;
}

int ccerts_verify(X509 *leaf, X509 *const *untrusted, int untrusted_count,
                  X509 *const *trusted, int trusted_count, const char *host, int64_t at_time,
                  char *reason, size_t reason_length, int *depth) {
    *depth = -1;
    copy_string(reason, reason_length, "");
    int ok = 0;
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *chain = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (store == NULL || chain == NULL || ctx == NULL) {
        copy_string(reason, reason_length, "out of memory");
        goto done;
    }
    for (int i = 0; i < trusted_count; i++) {
        if (!X509_STORE_add_cert(store, trusted[i])) {
            copy_string(reason, reason_length, "cannot add a trusted certificate");
            goto done;
        }
    }
    for (int i = 0; i < untrusted_count; i++) {
        if (!sk_X509_push(chain, untrusted[i])) goto done;
    }
    if (!X509_STORE_CTX_init(ctx, store, leaf, chain)) {
        copy_string(reason, reason_length, "cannot set up verification");
        goto done;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    if (at_time != 0) X509_VERIFY_PARAM_set_time(param, (time_t)at_time);
    if (host != NULL) {
        unsigned char address[16];
        int is_ip = inet_pton(AF_INET, host, address) == 1 || inet_pton(AF_INET6, host, address) == 1;
        int set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host) : X509_VERIFY_PARAM_set1_host(param, host, 0);
        if (!set) {
            copy_string(reason, reason_length, "invalid host name");
            goto done;
        }
    }
    if (X509_verify_cert(ctx) == 1) {
        ok = 1;
    } else {
        int error = X509_STORE_CTX_get_error(ctx);
        *depth = X509_STORE_CTX_get_error_depth(ctx);
        copy_string(reason, reason_length, X509_verify_cert_error_string(error));
    }
done:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    sk_X509_free(chain);  // the certificates belong to the caller
    X509_STORE_free(store);
    return ok;
}
