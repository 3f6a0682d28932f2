// See include/gs_sm.h. Every function returns 1 on success, 0 (or -1 where the header says so) on failure, and leaves
// no libcrypto object allocated on any path, except the per-thread caches of prepared SM4-GCM and HMAC-SM3 keys (freed
// with the thread).
#include "gs_sm.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/modes.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <string.h>

static const unsigned char GS_DEFAULT_ID[] = "1234567812345678";
#define GS_DEFAULT_ID_LEN 16
#define GS_MAX_INPUT ((size_t)1 << 30)

void gs_buf_free(gs_buf *buffer) {
    if (buffer == NULL) return;
    OPENSSL_free(buffer->data);
    buffer->data = NULL;
    buffer->len = 0;
}

int gs_last_error(char *out, size_t capacity) {
    unsigned long code = ERR_get_error();
    if (code == 0 || capacity == 0) return 0;
    ERR_error_string_n(code, out, capacity);
    ERR_clear_error();
    return 1;
}

static int set_buf(gs_buf *out, const unsigned char *data, size_t len) {
    out->data = OPENSSL_malloc(len == 0 ? 1 : len);
    if (out->data == NULL) return 0;
    if (len > 0) memcpy(out->data, data, len);
    out->len = len;
    return 1;
}

static int bio_to_buf(BIO *bio, gs_buf *out) {
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    if (len < 0) return 0;
    return set_buf(out, (const unsigned char *)data, (size_t)len);
}

// ---- SM3 -------------------------------------------------------------------------------------------------------

int gs_sm3(const uint8_t *data, size_t len, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sm3(), NULL) == 1 && n == 32;
}

void *gs_sm3_new(void) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) return NULL;
    if (EVP_DigestInit_ex(ctx, EVP_sm3(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

int gs_sm3_update(void *ctx, const uint8_t *data, size_t len) { return EVP_DigestUpdate((EVP_MD_CTX *)ctx, data, len) == 1; }

int gs_sm3_final(void *ctx, uint8_t out[32]) {
    unsigned int n = 0;
    return EVP_DigestFinal_ex((EVP_MD_CTX *)ctx, out, &n) == 1 && n == 32;
}

void gs_sm3_free(void *ctx) { EVP_MD_CTX_free((EVP_MD_CTX *)ctx); }

// Blind indexes (encryption at rest) take an HMAC-SM3 of every sealed value an import writes, under one index key per
// dataset; HMAC() fetches the digest and builds a context per call, which cost more than the hash. Each thread keeps
// its last few keys' HMAC contexts ready; EVP_MAC_init with no key restarts one under the key it already holds.
// Keys longer than a block or empty take the one-shot path (HMAC would hash or reject them on every call anyway).
#define GS_HMAC_CACHE_SLOTS 8
#define GS_HMAC_MAX_KEY 64
typedef struct {
    uint8_t key[GS_HMAC_MAX_KEY];
    size_t key_len;
    EVP_MAC_CTX *ctx;
} gs_hmac_slot;
typedef struct {
    gs_hmac_slot slots[GS_HMAC_CACHE_SLOTS];
    unsigned next;
} gs_hmac_cache;

static pthread_key_t hmac_cache_key;
static pthread_once_t hmac_cache_once = PTHREAD_ONCE_INIT;
static EVP_MAC *hmac_algorithm = NULL;
static int hmac_cache_ready = 0;

static void hmac_slot_clear(gs_hmac_slot *s) {
    EVP_MAC_CTX_free(s->ctx);
    OPENSSL_cleanse(s->key, sizeof s->key);
    s->ctx = NULL;
    s->key_len = 0;
}

static void hmac_cache_free(void *p) {
    gs_hmac_cache *c = p;
    for (int i = 0; i < GS_HMAC_CACHE_SLOTS; i++) hmac_slot_clear(&c->slots[i]);
    OPENSSL_free(c);
}

static void hmac_cache_init(void) {
    hmac_algorithm = EVP_MAC_fetch(NULL, "HMAC", NULL);
    hmac_cache_ready = hmac_algorithm != NULL && pthread_key_create(&hmac_cache_key, hmac_cache_free) == 0;
}

// This thread's HMAC-SM3 context holding `key`, made (evicting the oldest) when missing; NULL when not cacheable.
static EVP_MAC_CTX *hmac_for_key(const uint8_t *key, size_t key_len) {
    if (key_len == 0 || key_len > GS_HMAC_MAX_KEY) return NULL;
    pthread_once(&hmac_cache_once, hmac_cache_init);
    if (!hmac_cache_ready) return NULL;
    gs_hmac_cache *c = pthread_getspecific(hmac_cache_key);
    if (c == NULL) {
        c = OPENSSL_zalloc(sizeof *c);
        if (c == NULL) return NULL;
        if (pthread_setspecific(hmac_cache_key, c) != 0) {
            OPENSSL_free(c);
            return NULL;
        }
    }
    for (int i = 0; i < GS_HMAC_CACHE_SLOTS; i++) {
        gs_hmac_slot *s = &c->slots[i];
        if (s->ctx != NULL && s->key_len == key_len && CRYPTO_memcmp(s->key, key, key_len) == 0) return s->ctx;
    }
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac_algorithm);
    if (ctx == NULL) return NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SM3", 0), OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx, key, key_len, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    gs_hmac_slot *slot = &c->slots[c->next];
    c->next = (c->next + 1) % GS_HMAC_CACHE_SLOTS;
    hmac_slot_clear(slot);
    memcpy(slot->key, key, key_len);
    slot->key_len = key_len;
    slot->ctx = ctx;
    return ctx;
}

int gs_hmac_sm3(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len, uint8_t out[32]) {
    if (key_len > INT32_MAX) return 0;
    EVP_MAC_CTX *ctx = hmac_for_key(key, key_len);
    size_t done = 0;
    if (ctx != NULL && EVP_MAC_init(ctx, NULL, 0, NULL) == 1 && EVP_MAC_update(ctx, msg, msg_len) == 1 &&
        EVP_MAC_final(ctx, out, &done, 32) == 1 && done == 32) {
        return 1;
    }
    unsigned int n = 0;
    return HMAC(EVP_sm3(), key, (int)key_len, msg, msg_len, out, &n) != NULL && n == 32;
}

// ---- SM4 -------------------------------------------------------------------------------------------------------

// modes.h's GCM calls this for each block: one SM4 block through an ECB context without padding.
static void sm4_block(const unsigned char in[16], unsigned char out[16], const void *key) {
    int n = 0;
    EVP_EncryptUpdate((EVP_CIPHER_CTX *)key, out, &n, in, 16);
}

static EVP_CIPHER_CTX *sm4_ecb_context(const uint8_t key[16]) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return NULL;
    if (EVP_EncryptInit_ex(ctx, EVP_sm4_ecb(), NULL, key, NULL) != 1 || EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

// Encryption at rest opens hundreds of values per read under a handful of data keys: making the SM4 key schedule and
// the GCM tables for every value cost more than the cipher itself. Each thread keeps its last few keys prepared (an
// ECB context and a GCM128 context made with it); CRYPTO_gcm128_setiv starts every message afresh, so a prepared
// context carries nothing from one message to the next. Thread-local: no lock, no context shared between threads.
#define GS_GCM_CACHE_SLOTS 8
typedef struct {
    uint8_t key[16];
    EVP_CIPHER_CTX *ecb;
    GCM128_CONTEXT *gcm;
} gs_gcm_slot;
typedef struct {
    gs_gcm_slot slots[GS_GCM_CACHE_SLOTS];
    unsigned next;
} gs_gcm_cache;

static pthread_key_t gcm_cache_key;
static pthread_once_t gcm_cache_once = PTHREAD_ONCE_INIT;
static int gcm_cache_ready = 0;

static void gcm_slot_clear(gs_gcm_slot *s) {
    if (s->gcm != NULL) CRYPTO_gcm128_release(s->gcm);
    if (s->ecb != NULL) EVP_CIPHER_CTX_free(s->ecb);
    OPENSSL_cleanse(s->key, sizeof s->key);
    s->gcm = NULL;
    s->ecb = NULL;
}

static void gcm_cache_free(void *p) {
    gs_gcm_cache *c = p;
    for (int i = 0; i < GS_GCM_CACHE_SLOTS; i++) gcm_slot_clear(&c->slots[i]);
    OPENSSL_free(c);
}

static void gcm_cache_init(void) { gcm_cache_ready = pthread_key_create(&gcm_cache_key, gcm_cache_free) == 0; }

// The prepared GCM context of `key` on this thread, made (evicting the oldest) when missing; NULL when out of memory.
static GCM128_CONTEXT *gcm_for_key(const uint8_t key[16]) {
    pthread_once(&gcm_cache_once, gcm_cache_init);
    if (!gcm_cache_ready) return NULL;
    gs_gcm_cache *c = pthread_getspecific(gcm_cache_key);
    if (c == NULL) {
        c = OPENSSL_zalloc(sizeof *c);
        if (c == NULL) return NULL;
        if (pthread_setspecific(gcm_cache_key, c) != 0) {
            OPENSSL_free(c);
            return NULL;
        }
    }
    for (int i = 0; i < GS_GCM_CACHE_SLOTS; i++) {
        if (c->slots[i].gcm != NULL && CRYPTO_memcmp(c->slots[i].key, key, 16) == 0) return c->slots[i].gcm;
    }
    EVP_CIPHER_CTX *ecb = sm4_ecb_context(key);
    if (ecb == NULL) return NULL;
    GCM128_CONTEXT *gcm = CRYPTO_gcm128_new(ecb, sm4_block);
    if (gcm == NULL) {
        EVP_CIPHER_CTX_free(ecb);
        return NULL;
    }
    gs_gcm_slot *slot = &c->slots[c->next];
    c->next = (c->next + 1) % GS_GCM_CACHE_SLOTS;
    gcm_slot_clear(slot);
    memcpy(slot->key, key, 16);
    slot->ecb = ecb;
    slot->gcm = gcm;
    return gcm;
}

static int sm4_gcm(int encrypt, const uint8_t key[16], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                   size_t aad_len, const uint8_t *in, size_t in_len, uint8_t *out, uint8_t tag[16]) {
    if (iv_len == 0 || in_len > GS_MAX_INPUT || aad_len > GS_MAX_INPUT) return -1;
    GCM128_CONTEXT *gcm = gcm_for_key(key);
    if (gcm == NULL) return -1;
    CRYPTO_gcm128_setiv(gcm, iv, iv_len);
    if (aad_len > 0 && CRYPTO_gcm128_aad(gcm, aad, aad_len) != 0) return -1;
    if (encrypt) {
        if (in_len > 0 && CRYPTO_gcm128_encrypt(gcm, in, out, in_len) != 0) return -1;
        CRYPTO_gcm128_tag(gcm, tag, 16);
        return 1;
    }
    if (in_len > 0 && CRYPTO_gcm128_decrypt(gcm, in, out, in_len) != 0) return -1;
    if (CRYPTO_gcm128_finish(gcm, tag, 16) == 0) return 1;
    OPENSSL_cleanse(out, in_len);
    return 0;
}

int gs_sm4_gcm_seal(const uint8_t key[16], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                    const uint8_t *plaintext, size_t plaintext_len, uint8_t *out, uint8_t tag[16]) {
    return sm4_gcm(1, key, iv, iv_len, aad, aad_len, plaintext, plaintext_len, out, tag) == 1;
}

int gs_sm4_gcm_open(const uint8_t key[16], const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                    const uint8_t *ciphertext, size_t ciphertext_len, const uint8_t tag[16], uint8_t *out) {
    return sm4_gcm(0, key, iv, iv_len, aad, aad_len, ciphertext, ciphertext_len, out, (uint8_t *)tag);
}

int gs_sm4_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16], const uint8_t *in, size_t in_len, gs_buf *out) {
    if (in_len > GS_MAX_INPUT) return 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return 0;
    int ok = 0, n = 0, tail = 0;
    unsigned char *buffer = OPENSSL_malloc(in_len + 32);
    if (buffer == NULL) goto done;
    if (EVP_CipherInit_ex(ctx, EVP_sm4_cbc(), NULL, key, iv, encrypt ? 1 : 0) != 1) goto done;
    if (EVP_CipherUpdate(ctx, buffer, &n, in, (int)in_len) != 1) goto done;
    if (EVP_CipherFinal_ex(ctx, buffer + n, &tail) != 1) goto done;
    out->data = buffer;
    out->len = (size_t)n + (size_t)tail;
    buffer = NULL;
    ok = 1;
done:
    OPENSSL_clear_free(buffer, in_len + 32);
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int gs_sm4_ecb_encrypt(const uint8_t key[16], const uint8_t *in, size_t in_len, uint8_t *out) {
    if (in_len % 16 != 0 || in_len > GS_MAX_INPUT) return 0;
    EVP_CIPHER_CTX *ctx = sm4_ecb_context(key);
    if (ctx == NULL) return 0;
    int n = 0;
    int ok = in_len == 0 || EVP_EncryptUpdate(ctx, out, &n, in, (int)in_len) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int gs_random(uint8_t *out, size_t len) { return len <= INT32_MAX && RAND_bytes(out, (int)len) == 1; }

// ---- SM2 keys --------------------------------------------------------------------------------------------------

// Whether the key lies on sm2p256v1.
static int on_sm2_curve(const EVP_PKEY *pkey) {
    char group[64] = {0};
    size_t n = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &n) != 1) return 0;
    return strcmp(group, "SM2") == 0;
}

// A key on the SM2 curve handled by the SM2 key manager (so signing means SM2, never ECDSA on the SM2 curve); NULL
// for any other key. Takes ownership of `pkey`.
static EVP_PKEY *as_sm2(EVP_PKEY *pkey, int selection) {
    if (pkey == NULL) return NULL;
    if (!on_sm2_curve(pkey)) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    if (EVP_PKEY_is_a(pkey, "SM2")) return pkey;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *converted = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (ctx != NULL && EVP_PKEY_todata(pkey, selection, &params) == 1 && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &converted, selection, params) != 1) converted = NULL;
    }
    OSSL_PARAM_free(params);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    return converted;
}

static int no_password(char *buf, int size, int rwflag, void *u) {
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

static int looks_pem(const uint8_t *in, size_t len) {
    const char *marker = "-----BEGIN";
    size_t m = strlen(marker);
    for (size_t i = 0; i + m <= len && i < 256; i++) {
        if (memcmp(in + i, marker, m) == 0) return 1;
    }
    return 0;
}

static EVP_PKEY *load_private(const uint8_t *in, size_t len) {
    if (len == 0 || len > 1 << 20) return NULL;
    EVP_PKEY *pkey = NULL;
    if (looks_pem(in, len)) {
        BIO *bio = BIO_new_mem_buf(in, (int)len);
        if (bio == NULL) return NULL;
        pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
        BIO_free(bio);
    } else {
        const unsigned char *p = in;
        pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
    }
    return as_sm2(pkey, EVP_PKEY_KEYPAIR);
}

static EVP_PKEY *public_from_point(const uint8_t *in, size_t len) {
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (bld != NULL && ctx != NULL && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, in, len) == 1 &&
        (params = OSSL_PARAM_BLD_to_param(bld)) != NULL && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) pkey = NULL;
    }
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

static EVP_PKEY *load_public(const uint8_t *in, size_t len) {
    if (len == 0 || len > 1 << 20) return NULL;
    EVP_PKEY *pkey = NULL;
    if (looks_pem(in, len)) {
        BIO *bio = BIO_new_mem_buf(in, (int)len);
        if (bio == NULL) return NULL;
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_password, NULL);
        if (pkey == NULL) {
            ERR_clear_error();
            (void)BIO_reset(bio);
            X509 *cert = PEM_read_bio_X509(bio, NULL, no_password, NULL);
            if (cert != NULL) {
                pkey = X509_get_pubkey(cert);
                X509_free(cert);
            }
        }
        BIO_free(bio);
    } else if (len == 65 && in[0] == 0x04) {
        pkey = public_from_point(in, len);
    } else {
        const unsigned char *p = in;
        pkey = d2i_PUBKEY(NULL, &p, (long)len);
        if (pkey == NULL) {
            ERR_clear_error();
            p = in;
            X509 *cert = d2i_X509(NULL, &p, (long)len);
            if (cert != NULL) {
                pkey = X509_get_pubkey(cert);
                X509_free(cert);
            }
        }
    }
    return as_sm2(pkey, EVP_PKEY_PUBLIC_KEY);
}

static int private_to_pkcs8(EVP_PKEY *pkey, gs_buf *out) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = i2d_PKCS8PrivateKey_bio(bio, pkey, NULL, NULL, 0, NULL, NULL) == 1 && bio_to_buf(bio, out);
    BIO_free(bio);
    return ok;
}

static int public_to_spki(EVP_PKEY *pkey, gs_buf *out) {
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(pkey, &der);
    if (n <= 0) return 0;
    int ok = set_buf(out, der, (size_t)n);
    OPENSSL_free(der);
    return ok;
}

int gs_sm2_generate(gs_buf *pkcs8) {
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
    if (pkey == NULL) return 0;
    int ok = private_to_pkcs8(pkey, pkcs8);
    EVP_PKEY_free(pkey);
    return ok;
}

int gs_sm2_public_of(const uint8_t *pkcs8, size_t len, gs_buf *spki) {
    EVP_PKEY *pkey = load_private(pkcs8, len);
    if (pkey == NULL) return 0;
    int ok = public_to_spki(pkey, spki);
    EVP_PKEY_free(pkey);
    return ok;
}

int gs_sm2_import_private(const uint8_t *in, size_t len, gs_buf *pkcs8) {
    EVP_PKEY *pkey = load_private(in, len);
    if (pkey == NULL) return 0;
    int ok = private_to_pkcs8(pkey, pkcs8);
    EVP_PKEY_free(pkey);
    return ok;
}

int gs_sm2_import_public(const uint8_t *in, size_t len, gs_buf *spki) {
    EVP_PKEY *pkey = load_public(in, len);
    if (pkey == NULL) return 0;
    int ok = public_to_spki(pkey, spki);
    EVP_PKEY_free(pkey);
    return ok;
}

// ---- SM2 signatures and encryption ----------------------------------------------------------------------------

// A digest-sign or digest-verify context over SM3 with the signer's ID set before any data (Z_A depends on it).
static EVP_MD_CTX *sm2_md_context(EVP_PKEY *pkey, int sign, const uint8_t *id, size_t id_len) {
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (mctx == NULL || pctx == NULL) goto fail;
    if (EVP_PKEY_CTX_set1_id(pctx, id, id_len) != 1) goto fail;
    EVP_MD_CTX_set_pkey_ctx(mctx, pctx);
    if (sign ? EVP_DigestSignInit(mctx, NULL, EVP_sm3(), NULL, pkey) != 1
             : EVP_DigestVerifyInit(mctx, NULL, EVP_sm3(), NULL, pkey) != 1) {
        EVP_MD_CTX_free(mctx);
        EVP_PKEY_CTX_free(pctx);
        return NULL;
    }
    return mctx;  // owns nothing of pctx's lifetime: freed below by the caller through gs_md_free
fail:
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
    return NULL;
}

// EVP_MD_CTX_set_pkey_ctx does not pass ownership: free both.
static void sm2_md_free(EVP_MD_CTX *mctx) {
    if (mctx == NULL) return;
    EVP_PKEY_CTX *pctx = EVP_MD_CTX_get_pkey_ctx(mctx);
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_CTX_free(pctx);
}

void *gs_sm2_private_load(const uint8_t *pkcs8, size_t len) { return load_private(pkcs8, len); }

void *gs_sm2_public_load(const uint8_t *spki, size_t len) { return load_public(spki, len); }

void gs_key_free(void *key) { EVP_PKEY_free((EVP_PKEY *)key); }

static int sign_with(EVP_PKEY *pkey, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                     gs_buf *signature) {
    int ok = 0;
    size_t n = 0;
    unsigned char *sig = NULL;
    EVP_MD_CTX *mctx = sm2_md_context(pkey, 1, id, id_len);
    if (mctx == NULL) goto done;
    if (EVP_DigestSign(mctx, NULL, &n, msg, msg_len) != 1) goto done;
    sig = OPENSSL_malloc(n);
    if (sig == NULL || EVP_DigestSign(mctx, sig, &n, msg, msg_len) != 1) goto done;
    signature->data = sig;
    signature->len = n;
    sig = NULL;
    ok = 1;
done:
    OPENSSL_free(sig);
    sm2_md_free(mctx);
    return ok;
}

int gs_sm2_sign_with(void *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len, gs_buf *signature) {
    if (key == NULL) return 0;
    return sign_with((EVP_PKEY *)key, id, id_len, msg, msg_len, signature);
}

int gs_sm2_sign(const uint8_t *pkcs8, size_t key_len, const uint8_t *id, size_t id_len, const uint8_t *msg,
                size_t msg_len, gs_buf *signature) {
    EVP_PKEY *pkey = load_private(pkcs8, key_len);
    if (pkey == NULL) return 0;
    int ok = sign_with(pkey, id, id_len, msg, msg_len, signature);
    EVP_PKEY_free(pkey);
    return ok;
}

static int verify_with(EVP_PKEY *pkey, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t *signature, size_t signature_len) {
    EVP_MD_CTX *mctx = sm2_md_context(pkey, 0, id, id_len);
    if (mctx == NULL) return -1;
    int result = EVP_DigestVerify(mctx, signature, signature_len, msg, msg_len) == 1 ? 1 : 0;
    sm2_md_free(mctx);
    ERR_clear_error();
    return result;
}

int gs_sm2_verify_with(void *key, const uint8_t *id, size_t id_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t *signature, size_t signature_len) {
    if (key == NULL) return -1;
    return verify_with((EVP_PKEY *)key, id, id_len, msg, msg_len, signature, signature_len);
}

int gs_sm2_verify(const uint8_t *spki, size_t key_len, const uint8_t *id, size_t id_len, const uint8_t *msg,
                  size_t msg_len, const uint8_t *signature, size_t signature_len) {
    EVP_PKEY *pkey = load_public(spki, key_len);
    if (pkey == NULL) return -1;
    int result = verify_with(pkey, id, id_len, msg, msg_len, signature, signature_len);
    EVP_PKEY_free(pkey);
    return result;
}

static int sm2_crypt(int encrypt, EVP_PKEY *pkey, const uint8_t *in, size_t in_len, gs_buf *out) {
    if (in_len > GS_MAX_INPUT) return 0;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = 0;
    size_t n = 0;
    unsigned char *buffer = NULL;
    if (ctx == NULL) return 0;
    if ((encrypt ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx)) != 1) goto done;
    if ((encrypt ? EVP_PKEY_encrypt(ctx, NULL, &n, in, in_len) : EVP_PKEY_decrypt(ctx, NULL, &n, in, in_len)) != 1) goto done;
    buffer = OPENSSL_malloc(n == 0 ? 1 : n);
    if (buffer == NULL) goto done;
    if ((encrypt ? EVP_PKEY_encrypt(ctx, buffer, &n, in, in_len) : EVP_PKEY_decrypt(ctx, buffer, &n, in, in_len)) != 1)
        goto done;
    out->data = buffer;
    out->len = n;
    buffer = NULL;
    ok = 1;
done:
    OPENSSL_free(buffer);
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

int gs_sm2_encrypt(const uint8_t *spki, size_t key_len, const uint8_t *in, size_t in_len, gs_buf *out) {
    EVP_PKEY *pkey = load_public(spki, key_len);
    if (pkey == NULL) return 0;
    int ok = sm2_crypt(1, pkey, in, in_len, out);
    EVP_PKEY_free(pkey);
    return ok;
}

int gs_sm2_decrypt(const uint8_t *pkcs8, size_t key_len, const uint8_t *in, size_t in_len, gs_buf *out) {
    EVP_PKEY *pkey = load_private(pkcs8, key_len);
    if (pkey == NULL) return 0;
    int ok = sm2_crypt(0, pkey, in, in_len, out);
    EVP_PKEY_free(pkey);
    return ok;
}

// ---- X.509 ----------------------------------------------------------------------------------------------------

static int add_name(X509_NAME *name, const char *field, const char *value) {
    if (value == NULL || value[0] == '\0') return 1;
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1, 0) == 1;
}

static int add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

int gs_cert_issue(const gs_cert_request *request, const uint8_t *issuer_der, size_t issuer_len,
                  const uint8_t *issuer_pkcs8, size_t issuer_key_len, gs_buf *der) {
    int ok = 0;
    X509 *cert = X509_new();
    X509 *issuer = NULL;
    EVP_PKEY *subject_key = load_public(request->spki, request->spki_len);
    EVP_PKEY *issuer_key = load_private(issuer_pkcs8, issuer_key_len);
    BIGNUM *serial = BN_bin2bn(request->serial, (int)request->serial_len, NULL);
    EVP_MD_CTX *mctx = NULL;
    unsigned char *out = NULL;
    if (cert == NULL || subject_key == NULL || issuer_key == NULL || serial == NULL || request->serial_len > 20) goto done;
    if (issuer_der != NULL) {
        const unsigned char *p = issuer_der;
        issuer = d2i_X509(NULL, &p, (long)issuer_len);
        if (issuer == NULL) goto done;
    }
    if (X509_set_version(cert, X509_VERSION_3) != 1) goto done;
    if (BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert)) == NULL) goto done;
    X509_NAME *name = X509_get_subject_name(cert);
    if (!add_name(name, "C", request->country) || !add_name(name, "O", request->organization) ||
        !add_name(name, "OU", request->organizational_unit) || !add_name(name, "CN", request->common_name))
        goto done;
    if (X509_set_issuer_name(cert, issuer != NULL ? X509_get_subject_name(issuer) : name) != 1) goto done;
    if (ASN1_TIME_set(X509_getm_notBefore(cert), (time_t)request->not_before) == NULL) goto done;
    if (ASN1_TIME_set(X509_getm_notAfter(cert), (time_t)request->not_after) == NULL) goto done;
    if (X509_set_pubkey(cert, subject_key) != 1) goto done;
    X509 *authority = issuer != NULL ? issuer : cert;
    if (request->is_ca) {
        if (!add_extension(cert, authority, NID_basic_constraints, "critical,CA:TRUE") ||
            !add_extension(cert, authority, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"))
            goto done;
    } else {
        if (!add_extension(cert, authority, NID_basic_constraints, "critical,CA:FALSE") ||
            !add_extension(cert, authority, NID_key_usage, "critical,digitalSignature,nonRepudiation"))
            goto done;
    }
    if (!add_extension(cert, authority, NID_subject_key_identifier, "hash")) goto done;
    if (!add_extension(cert, authority, NID_authority_key_identifier, "keyid:always")) goto done;
    mctx = sm2_md_context(issuer_key, 1, GS_DEFAULT_ID, GS_DEFAULT_ID_LEN);
    if (mctx == NULL || X509_sign_ctx(cert, mctx) <= 0) goto done;
    int n = i2d_X509(cert, &out);
    if (n <= 0) goto done;
    ok = set_buf(der, out, (size_t)n);
done:
    OPENSSL_free(out);
    sm2_md_free(mctx);
    BN_free(serial);
    EVP_PKEY_free(issuer_key);
    EVP_PKEY_free(subject_key);
    X509_free(issuer);
    X509_free(cert);
    return ok;
}

static X509 *load_cert(const uint8_t *in, size_t len) {
    if (len == 0 || len > 1 << 20) return NULL;
    if (looks_pem(in, len)) {
        BIO *bio = BIO_new_mem_buf(in, (int)len);
        if (bio == NULL) return NULL;
        X509 *cert = PEM_read_bio_X509(bio, NULL, no_password, NULL);
        BIO_free(bio);
        return cert;
    }
    const unsigned char *p = in;
    return d2i_X509(NULL, &p, (long)len);
}

static int name_line(const X509_NAME *name, gs_buf *out) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    // RFC 2253 order, UTF-8 kept as UTF-8 (Chinese names stay readable).
    int ok = X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 && bio_to_buf(bio, out);
    BIO_free(bio);
    return ok;
}

static int time_of(const ASN1_TIME *time, int64_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (ASN1_TIME_to_tm(time, &tm) != 1) return 0;
    *out = (int64_t)timegm(&tm);
    return 1;
}

void gs_cert_info_free(gs_cert_info *info) {
    gs_buf_free(&info->der);
    gs_buf_free(&info->serial_hex);
    gs_buf_free(&info->subject);
    gs_buf_free(&info->issuer);
    gs_buf_free(&info->spki);
    gs_buf_free(&info->signature_oid);
}

int gs_cert_parse(const uint8_t *in, size_t len, gs_cert_info *info) {
    memset(info, 0, sizeof *info);
    X509 *cert = load_cert(in, len);
    if (cert == NULL) return 0;
    int ok = 0;
    unsigned char *der = NULL;
    char *hex = NULL;
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    EVP_PKEY *pkey = as_sm2(X509_get_pubkey(cert), EVP_PKEY_PUBLIC_KEY);
    const X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *oid = NULL;
    char oid_text[80] = {0};
    int n = i2d_X509(cert, &der);
    if (n <= 0 || serial == NULL || pkey == NULL) goto done;
    if ((hex = BN_bn2hex(serial)) == NULL) goto done;
    X509_get0_signature(NULL, &alg, cert);
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    if (oid == NULL || OBJ_obj2txt(oid_text, sizeof oid_text, oid, 1) <= 0) goto done;
    if (!set_buf(&info->der, der, (size_t)n) || !set_buf(&info->serial_hex, (unsigned char *)hex, strlen(hex)) ||
        !name_line(X509_get_subject_name(cert), &info->subject) || !name_line(X509_get_issuer_name(cert), &info->issuer) ||
        !public_to_spki(pkey, &info->spki) ||
        !set_buf(&info->signature_oid, (unsigned char *)oid_text, strlen(oid_text)))
        goto done;
    if (!time_of(X509_get0_notBefore(cert), &info->not_before) || !time_of(X509_get0_notAfter(cert), &info->not_after))
        goto done;
    info->is_ca = (X509_get_extension_flags(cert) & EXFLAG_CA) != 0;
    ok = 1;
done:
    if (!ok) gs_cert_info_free(info);
    OPENSSL_free(hex);
    OPENSSL_free(der);
    BN_free(serial);
    EVP_PKEY_free(pkey);
    X509_free(cert);
    return ok;
}

int gs_cert_verify(const uint8_t *der, size_t len, const uint8_t *issuer_spki, size_t issuer_len) {
    X509 *cert = load_cert(der, len);
    EVP_PKEY *issuer = load_public(issuer_spki, issuer_len);
    int result = -1;
    unsigned char *tbs = NULL;
    if (cert == NULL || issuer == NULL) goto done;
    const ASN1_BIT_STRING *signature = NULL;
    const X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *oid = NULL;
    X509_get0_signature(&signature, &alg, cert);
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    if (signature == NULL || oid == NULL || OBJ_obj2nid(oid) != NID_SM2_with_SM3) {
        result = 0;
        goto done;
    }
    // The signed part exactly as encoded in the certificate.
    int n = i2d_re_X509_tbs(cert, &tbs);
    if (n <= 0) goto done;
    result = verify_with(issuer, GS_DEFAULT_ID, GS_DEFAULT_ID_LEN, tbs, (size_t)n, ASN1_STRING_get0_data(signature),
                         (size_t)ASN1_STRING_length(signature));
done:
    OPENSSL_free(tbs);
    EVP_PKEY_free(issuer);
    X509_free(cert);
    ERR_clear_error();
    return result;
}
