// The national algorithms from OpenSSL 3's libcrypto, flattened into a few calls Swift can make safely. No primitive
// is implemented here: every function drives libcrypto (EVP, X509, and modes.h's GCM over the SM4 block).
#ifndef GS_SM_H
#define GS_SM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

// A buffer allocated by libcrypto; the caller copies it and calls gs_buf_free.
typedef struct {
    unsigned char *data;
    size_t len;
} gs_buf;

void gs_buf_free(gs_buf *buffer);

// The oldest queued libcrypto error as text (empties the queue); 0 when there was none.
int gs_last_error(char *out, size_t capacity);

int gs_sm3(const uint8_t *data, size_t len, uint8_t out[32]);
void *gs_sm3_new(void);
int gs_sm3_update(void *ctx, const uint8_t *data, size_t len);
int gs_sm3_final(void *ctx, uint8_t out[32]);
void gs_sm3_free(void *ctx);
int gs_hmac_sm3(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t out[32]);

// SM4-GCM: the GCM of libcrypto's modes.h driven by the SM4 block of its EVP SM4-ECB. out has plaintext_len bytes.
int gs_sm4_gcm_seal(const uint8_t key[16], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                    const uint8_t *plaintext, size_t plaintext_len, uint8_t *out, uint8_t tag[16]);
// 1 opened, 0 authentication failed (out is wiped), -1 error.
int gs_sm4_gcm_open(const uint8_t key[16], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                    const uint8_t *ciphertext, size_t ciphertext_len, const uint8_t tag[16], uint8_t *out);
// SM4-CBC with PKCS#7 padding; encrypt = 1 or 0.
int gs_sm4_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t in_len, gs_buf *out);
// SM4-ECB without padding on whole blocks (in_len a multiple of 16); out has in_len bytes.
int gs_sm4_ecb_encrypt(const uint8_t key[16], const uint8_t *in, size_t in_len, uint8_t *out);
int gs_random(uint8_t *out, size_t len);

// SM2 keys travel as PKCS#8 DER (private) and SubjectPublicKeyInfo DER (public).
int gs_sm2_generate(gs_buf *pkcs8);
int gs_sm2_public_of(const uint8_t *pkcs8, size_t len, gs_buf *spki);
int gs_sm2_sign(const uint8_t *pkcs8, size_t key_len, const uint8_t *id, size_t id_len, const uint8_t *msg,
                size_t msg_len, gs_buf *signature);
// 1 valid, 0 invalid, -1 error (an unreadable key).
int gs_sm2_verify(const uint8_t *spki, size_t key_len, const uint8_t *id, size_t id_len, const uint8_t *msg,
                  size_t msg_len, const uint8_t *signature, size_t signature_len);
int gs_sm2_encrypt(const uint8_t *spki, size_t key_len, const uint8_t *in, size_t in_len, gs_buf *out);
int gs_sm2_decrypt(const uint8_t *pkcs8, size_t key_len, const uint8_t *in, size_t in_len, gs_buf *out);
// Parsed keys for repeated use (parsing a key costs more than a signature on OpenSSL 3.0): an opaque EVP_PKEY, safe to
// use from several threads at once (each operation makes its own context). Free with gs_key_free.
void *gs_sm2_private_load(const uint8_t *pkcs8, size_t len);
void *gs_sm2_public_load(const uint8_t *spki, size_t len);
void gs_key_free(void *key);
int gs_sm2_sign_with(void *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len, gs_buf *signature);
int gs_sm2_verify_with(void *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t *signature, size_t signature_len);
// PEM or DER, PKCS#8 or SEC1; only keys on sm2p256v1.
int gs_sm2_import_private(const uint8_t *in, size_t len, gs_buf *pkcs8);
// PEM or DER SubjectPublicKeyInfo, an uncompressed point, or a certificate (PEM or DER).
int gs_sm2_import_public(const uint8_t *in, size_t len, gs_buf *spki);

typedef struct {
    const char *common_name;
    const char *organization;        // may be NULL
    const char *organizational_unit; // may be NULL
    const char *country;
    const uint8_t *serial;
    size_t serial_len;
    int64_t not_before;  // seconds since 1970
    int64_t not_after;
    const uint8_t *spki;
    size_t spki_len;
    int is_ca;
} gs_cert_request;

// Signs with SM2-with-SM3 and the ID 1234567812345678; issuer_der NULL makes it self-signed.
int gs_cert_issue(const gs_cert_request *request, const uint8_t *issuer_der, size_t issuer_len,
                  const uint8_t *issuer_pkcs8, size_t issuer_key_len, gs_buf *der);

typedef struct {
    gs_buf der;
    gs_buf serial_hex;
    gs_buf subject;
    gs_buf issuer;
    gs_buf spki;
    gs_buf signature_oid;
    int64_t not_before;
    int64_t not_after;
    int is_ca;
} gs_cert_info;

// Accepts PEM or DER. Free with gs_cert_info_free.
int gs_cert_parse(const uint8_t *in, size_t len, gs_cert_info *info);
void gs_cert_info_free(gs_cert_info *info);
// 1 the certificate's SM2-with-SM3 signature (ID 1234567812345678) verifies with issuer_spki, 0 not, -1 error.
int gs_cert_verify(const uint8_t *der, size_t len, const uint8_t *issuer_spki, size_t issuer_len);

#endif
