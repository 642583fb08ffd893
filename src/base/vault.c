/*
 * vault.c - keys, field encryption, blind index, codes and passwords.
 *
 * Owns: the open data key and its subkeys (sodium_malloc'd, no-access
 * except while a call reads them), the key file format, the blob format of
 * encrypted fields, the normalisation behind blind indexes, the password
 * policy (zxcvbn's strength estimate), and the limit on
 * concurrent Argon2id runs.
 *
 * Must not: write a secret (key, passphrase, password, plaintext,
 * normalised value) into an error message or a log line; leave a secret
 * in freed memory (temporaries are sodium_memzero'd); touch the database.
 *
 * Key derivation: the data key is used only as the crypto_kdf master key.
 * Field encryption uses subkey 1 of context "SIRENfld", the audit MAC
 * subkey 1 of "SIRENaud", a blind index subkey 1 of the domain padded
 * with '.' to eight bytes (lower-case domains cannot collide with the
 * upper-case internal contexts).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/vault.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zxcvbn.h>

#include "embedded.h"
#include "core/err.h"

#include "core/banned.h"

#define KEYFILE_MAX     ((size_t)64 * 1024) /* bytes of key file text */
#define PASS_MAX        4096u               /* bytes of a passphrase */
#define NAME_MAX_BYTES  255u                /* table and column names */
#define BLIND_VALUE_MAX 4096u               /* bytes of an indexed value */
#define BLOB_VERSION    1u
#define SALT_BYTES      crypto_pwhash_SALTBYTES
#define NONCE_BYTES     crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES       crypto_aead_xchacha20poly1305_ietf_ABYTES
#define WRAPPED_BYTES   (VAULT_KEY_BYTES + TAG_BYTES)
#define OPS_MIN         1ull
#define OPS_MAX         10ull
#define MEM_MIN         ((size_t)8 * 1024)
#define MEM_MAX         ((size_t)1024 * 1024 * 1024)
#define KEY_VERSION_MAX 2147483647u
#define PW_CHARS_MIN    12u
#define PW_CHARS_MAX    128u
/* Passwords must need at least 10^8 guesses by the zxcvbn estimate
 * (log2 10^8 = 26.6 bits): zxcvbn's score 3 of 4, "safely unguessable"
 * against an offline attack on a slow hash, which Argon2id is. */
#define PW_GUESS_BITS_MIN 26.575424759098897

struct vault_keys {
    unsigned char data[VAULT_KEY_BYTES];  /* master key; only for crypto_kdf */
    unsigned char field[VAULT_KEY_BYTES]; /* XChaCha20-Poly1305 field key */
    unsigned char audit[VAULT_KEY_BYTES]; /* BLAKE2b key of the audit MAC */
};

struct vault_guard {
    pthread_mutex_t lock; /* guards n_users and the keys' page protection */
    int n_users;          /* calls reading the keys now; >= 0 */
};

struct vault {
    struct vault_keys *keys;   /* sodium_malloc'd; no access if n_users 0 */
    struct vault_guard *guard; /* separate so const vaults can count users */
    uint32_t key_version;      /* 1 to KEY_VERSION_MAX */
};

/* ---- start-up ---------------------------------------------------------- */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = SR_EIO; /* written once under init_once */

static void
init_run(void)
{
    init_rc = sodium_init() < 0 ? SR_EIO : SR_OK;
}

int
vault_init(void)
{
    if (pthread_once(&init_once, init_run) != 0) {
        return SR_EIO;
    }
    return init_rc;
}

static void
init_or_die(void)
{
    if (vault_init() != SR_OK) {
        SR_BUG("libsodium failed to start");
    }
}

/* ---- key memory -------------------------------------------------------- */

static const struct vault_keys *
keys_open(const struct vault *v)
{
    struct vault_guard *g = v->guard;
    if (pthread_mutex_lock(&g->lock) != 0) {
        SR_BUG("vault lock failed");
    }
    if (g->n_users++ == 0 && sodium_mprotect_readonly(v->keys) != 0) {
        SR_BUG("cannot unprotect vault keys");
    }
    pthread_mutex_unlock(&g->lock);
    return v->keys;
}

static void
keys_close(const struct vault *v)
{
    struct vault_guard *g = v->guard;
    if (pthread_mutex_lock(&g->lock) != 0) {
        SR_BUG("vault lock failed");
    }
    assert(g->n_users > 0);
    if (--g->n_users == 0 && sodium_mprotect_noaccess(v->keys) != 0) {
        SR_BUG("cannot protect vault keys");
    }
    pthread_mutex_unlock(&g->lock);
}

void
vault_hold_keys(const struct vault *v)
{
    (void)keys_open(v);
}

void
vault_release_keys(const struct vault *v)
{
    keys_close(v);
}

/*
 * Derive the subkeys of k from its data key, then make its pages
 * no-access.
 */
static void
keys_derive(struct vault_keys *k)
{
    if (crypto_kdf_derive_from_key(k->field, sizeof k->field, 1, "SIRENfld",
                                   k->data) != 0 ||
        crypto_kdf_derive_from_key(k->audit, sizeof k->audit, 1, "SIRENaud",
                                   k->data) != 0) {
        SR_BUG("crypto_kdf_derive_from_key failed");
    }
    if (sodium_mprotect_noaccess(k) != 0) {
        SR_BUG("cannot protect vault keys");
    }
}

/*
 * A new vault with a random data key of key_version and its subkeys; the
 * key pages are left no-access. NULL if memory runs out.
 */
static struct vault *
vault_new(uint32_t key_version)
{
    struct vault_keys *k = sodium_malloc(sizeof *k);
    if (k == NULL) {
        return NULL;
    }
    randombytes_buf(k->data, sizeof k->data);
    keys_derive(k);
    struct vault *v = sr_xcalloc(1, sizeof *v);
    v->guard = sr_xcalloc(1, sizeof *v->guard);
    if (pthread_mutex_init(&v->guard->lock, NULL) != 0) {
        SR_BUG("cannot create vault lock");
    }
    v->keys = k;
    v->key_version = key_version;
    return v;
}

void
vault_free(struct vault *v)
{
    if (v == NULL) {
        return;
    }
    assert(v->guard->n_users == 0);
    sodium_free(v->keys); /* unprotects, wipes, unmaps */
    pthread_mutex_destroy(&v->guard->lock);
    free(v->guard);
    free(v);
}

void
vault_pin(const struct vault *v)
{
    assert(v != NULL);
    (void)keys_open(v);
}

void
vault_unpin(const struct vault *v)
{
    assert(v != NULL);
    keys_close(v);
}

int
vault_key_version(const struct vault *v)
{
    assert(v != NULL);
    return (int)v->key_version;
}

/* ---- buffers ----------------------------------------------------------- */

void
vault_buf_wipe(struct sr_buf *b)
{
    if (b == NULL) {
        return;
    }
    if (b->data != NULL) {
        sodium_memzero(b->data, b->cap);
    }
    sr_buf_release(b);
}

/*
 * Make out hold exactly n bytes (content undefined, NUL after them)
 * without realloc, so a plaintext written there leaves no stray copy; old
 * storage too small is wiped and freed. SR_ETOOBIG past out's cap.
 */
static int
buf_prepare(struct sr_buf *out, size_t n)
{
    if (out->max == 0) {
        out->max = SR_BUF_DEFAULT_MAX;
    }
    if (n > out->max) {
        return SR_ETOOBIG;
    }
    if (out->data == NULL || out->cap < n + 1) {
        vault_buf_wipe(out);
        out->data = sr_xmalloc(n + 1);
        out->cap = n + 1;
    }
    out->len = n;
    out->data[n] = '\0';
    return SR_OK;
}

/* ---- key file ---------------------------------------------------------- */

struct kdf_params {
    unsigned long long ops; /* Argon2id passes */
    size_t mem;             /* Argon2id memory, bytes */
};

/* 1 after vault_test_minimum_cost(): tests only. */
static int is_minimum_cost;

void
vault_test_minimum_cost(void)
{
    is_minimum_cost = 1;
}

static int
kdf_params_of(enum vault_kdf kdf, struct kdf_params *out)
{
    switch (kdf) {
    case VAULT_KDF_INTERACTIVE:
        out->ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        out->mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        break;
    case VAULT_KDF_MODERATE:
        out->ops = crypto_pwhash_OPSLIMIT_MODERATE;
        out->mem = crypto_pwhash_MEMLIMIT_MODERATE;
        break;
    case VAULT_KDF_SENSITIVE:
        out->ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
        out->mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
        break;
    default:
        return SR_EINVAL;
    }
    if (is_minimum_cost) {
        out->ops = crypto_pwhash_OPSLIMIT_MIN;
        out->mem = crypto_pwhash_MEMLIMIT_MIN;
    }
    return SR_OK;
}

static int
check_pass(size_t len, struct sr_err *err)
{
    if (len == 0) {
        return sr_err_set(err, SR_EINVAL, "passphrase is empty");
    }
    if (len > PASS_MAX) {
        return sr_err_set(err, SR_EINVAL, "passphrase longer than %u bytes",
                          PASS_MAX);
    }
    return SR_OK;
}

static void
add_hex(struct sr_buf *b, const unsigned char *p, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        char pair[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
        (void)sr_buf_add(b, pair, 2); /* callers size b's cap generously */
    }
}

/*
 * The header lines of a key file, which are also the associated data of
 * the wrap. Values, not the text read, are used, so the AD is canonical.
 */
static void
keyfile_header(struct sr_buf *b, uint32_t key_version,
               const struct kdf_params *p, const unsigned char salt[SALT_BYTES])
{
    sr_buf_printf(b,
                  "siren-keyfile: 1\n"
                  "key-version: %u\n"
                  "kdf: argon2id13\n"
                  "opslimit: %llu\n"
                  "memlimit: %zu\n"
                  "salt: ",
                  (unsigned)key_version, p->ops, p->mem);
    add_hex(b, salt, SALT_BYTES);
    sr_buf_addc(b, '\n');
}

/* Argon2id of pass into kek; SR_ENOMEM when it cannot get its memory. */
static int
derive_kek(unsigned char kek[VAULT_KEY_BYTES], const char *pass,
           size_t pass_len, const unsigned char salt[SALT_BYTES],
           const struct kdf_params *p, struct sr_err *err)
{
    if (crypto_pwhash(kek, VAULT_KEY_BYTES, pass, pass_len, salt, p->ops,
                      p->mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return sr_err_set(err, SR_ENOMEM,
                          "key derivation failed: out of memory");
    }
    return SR_OK;
}

/* Write the key file for data_key wrapped under pass into out. */
static int
keyfile_write(const unsigned char data_key[VAULT_KEY_BYTES],
              uint32_t key_version, const char *pass, size_t pass_len,
              enum vault_kdf kdf, struct sr_buf *out, struct sr_err *err)
{
    struct kdf_params p;
    if (kdf_params_of(kdf, &p) != SR_OK) {
        return sr_err_set(err, SR_EINVAL, "unknown kdf profile %d", (int)kdf);
    }
    int rc = check_pass(pass_len, err);
    if (rc != SR_OK) {
        return rc;
    }
    unsigned char salt[SALT_BYTES], nonce[NONCE_BYTES];
    unsigned char wrapped[WRAPPED_BYTES], kek[VAULT_KEY_BYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    rc = derive_kek(kek, pass, pass_len, salt, &p, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct sr_buf text;
    sr_buf_init(&text, KEYFILE_MAX);
    sr_buf_adds(&text,
                "# SIREN key file: the workspace data key, wrapped under a\n"
                "# passphrase (Argon2id, XChaCha20-Poly1305). Without this\n"
                "# file and its passphrase the encrypted data cannot be read:\n"
                "# keep a copy apart from the database backups.\n");
    size_t ad_start = text.len;
    keyfile_header(&text, key_version, &p, salt);
    unsigned long long wlen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        wrapped, &wlen, data_key, VAULT_KEY_BYTES,
        (const unsigned char *)text.data + ad_start, text.len - ad_start, NULL,
        nonce, kek);
    sodium_memzero(kek, sizeof kek);
    assert(wlen == sizeof wrapped);
    sr_buf_adds(&text, "nonce: ");
    add_hex(&text, nonce, sizeof nonce);
    sr_buf_adds(&text, "\nwrapped-key: ");
    add_hex(&text, wrapped, sizeof wrapped);
    sr_buf_addc(&text, '\n');
    sr_buf_reset(out);
    rc = sr_buf_add(out, text.data, text.len);
    sr_buf_release(&text);
    if (rc != SR_OK) {
        return sr_err_set(err, rc, "key file does not fit its buffer");
    }
    return SR_OK;
}

/*
 * A new vault of key_version with fresh keys into *out, and its key file,
 * wrapped with passphrase, into out_keyfile. SR_EINVAL for a passphrase
 * of a bad length, SR_ENOMEM, or the errors of vault_rewrap().
 */
static int
vault_new_wrapped(uint32_t key_version, const char *passphrase, size_t pass_len,
                  enum vault_kdf kdf, struct sr_buf *out_keyfile,
                  struct vault **out, struct sr_err *err)
{
    int rc = check_pass(pass_len, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct vault *v = vault_new(key_version);
    if (v == NULL) {
        return sr_err_set(err, SR_ENOMEM, "out of memory for keys");
    }
    rc = vault_rewrap(v, passphrase, pass_len, kdf, out_keyfile, err);
    if (rc != SR_OK) {
        vault_free(v);
        return rc;
    }
    *out = v;
    return SR_OK;
}

int
vault_create(const char *passphrase, size_t pass_len, enum vault_kdf kdf,
             struct sr_buf *out_keyfile, struct vault **out, struct sr_err *err)
{
    assert(passphrase != NULL || pass_len == 0);
    assert(out_keyfile != NULL && out != NULL);
    if (vault_init() != SR_OK) {
        return sr_err_set(err, SR_EIO, "libsodium failed to start");
    }
    return vault_new_wrapped(1, passphrase, pass_len, kdf, out_keyfile, out,
                             err);
}

int
vault_rewrap(const struct vault *v, const char *new_pass, size_t new_len,
             enum vault_kdf kdf, struct sr_buf *out_keyfile, struct sr_err *err)
{
    assert(v != NULL && out_keyfile != NULL);
    assert(new_pass != NULL || new_len == 0);
    const struct vault_keys *k = keys_open(v);
    int rc = keyfile_write(k->data, v->key_version, new_pass, new_len, kdf,
                           out_keyfile, err);
    keys_close(v);
    return rc;
}

int
vault_rekey(const struct vault *v, const char *passphrase, size_t pass_len,
            enum vault_kdf kdf, struct sr_buf *out_keyfile, struct vault **out,
            struct sr_err *err)
{
    assert(v != NULL && out_keyfile != NULL && out != NULL);
    assert(passphrase != NULL || pass_len == 0);
    if (v->key_version >= KEY_VERSION_MAX) {
        return sr_err_set(err, SR_EINVAL, "key version %u is the last one",
                          (unsigned)v->key_version);
    }
    return vault_new_wrapped(v->key_version + 1, passphrase, pass_len, kdf,
                             out_keyfile, out, err);
}

/* Decode exactly 2 * n hex digits into out; SR_EINVAL otherwise. */
static int
hex_decode(struct sr_str s, unsigned char *out, size_t n)
{
    size_t got = 0;
    const char *end = NULL;
    if (s.len != 2 * n ||
        sodium_hex2bin(out, n, s.p, s.len, NULL, &got, &end) != 0 || got != n) {
        return SR_EINVAL;
    }
    return SR_OK;
}

/* Parse a decimal value within [min, max]; SR_EINVAL otherwise. */
static int
parse_num(struct sr_str s, long long min, long long max, long long *out)
{
    char tmp[24];
    if (s.len == 0 || s.len >= sizeof tmp) {
        return SR_EINVAL;
    }
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') {
            return SR_EINVAL;
        }
    }
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    return sr_parse_i64(tmp, min, max, out);
}

enum kf_field {
    KF_FORMAT,
    KF_KEY_VERSION,
    KF_KDF,
    KF_OPS,
    KF_MEM,
    KF_SALT,
    KF_NONCE,
    KF_WRAPPED,
    KF__COUNT
};

static const char *const kf_names[KF__COUNT] = {
    [KF_FORMAT] = "siren-keyfile",
    [KF_KEY_VERSION] = "key-version",
    [KF_KDF] = "kdf",
    [KF_OPS] = "opslimit",
    [KF_MEM] = "memlimit",
    [KF_SALT] = "salt",
    [KF_NONCE] = "nonce",
    [KF_WRAPPED] = "wrapped-key",
};

struct keyfile {
    uint32_t key_version;
    struct kdf_params kdf;
    unsigned char salt[SALT_BYTES];
    unsigned char nonce[NONCE_BYTES];
    unsigned char wrapped[WRAPPED_BYTES];
};

/* The value of field name, on line line_no, must be want. */
static int
want_text(struct sr_str val, const char *want, int line_no, const char *name,
          struct sr_err *err)
{
    if (sr_str_eq(val, want)) {
        return SR_OK;
    }
    return sr_err_set(err, SR_EINVAL,
                      "key file line %d: unsupported '%s' (want %s)", line_no,
                      name, want);
}

/* The value of field name, on line line_no, is a number in [min, max]. */
static int
want_num(struct sr_str val, long long min, long long max, int line_no,
         const char *name, long long *out, struct sr_err *err)
{
    if (parse_num(val, min, max, out) == SR_OK) {
        return SR_OK;
    }
    return sr_err_set(err, SR_EINVAL,
                      "key file line %d: '%s' is not a number from %lld to "
                      "%lld",
                      line_no, name, min, max);
}

/* The value of field name, on line line_no, is n bytes in hex. */
static int
want_hex(struct sr_str val, unsigned char *out, size_t n, int line_no,
         const char *name, struct sr_err *err)
{
    if (hex_decode(val, out, n) == SR_OK) {
        return SR_OK;
    }
    return sr_err_set(err, SR_EINVAL,
                      "key file line %d: '%s' is not %zu hex digits", line_no,
                      name, 2 * n);
}

/* Check and store the value of field f, read on line line_no. */
static int
keyfile_field(struct keyfile *kf, enum kf_field f, struct sr_str val,
              int line_no, struct sr_err *err)
{
    long long n = 0;
    int rc;
    const char *name = kf_names[f];
    switch (f) {
    case KF_FORMAT:
        return want_text(val, "1", line_no, name, err);
    case KF_KEY_VERSION:
        rc = want_num(val, 1, KEY_VERSION_MAX, line_no, name, &n, err);
        kf->key_version = (uint32_t)n;
        return rc;
    case KF_KDF:
        return want_text(val, "argon2id13", line_no, name, err);
    case KF_OPS:
        rc = want_num(val, (long long)OPS_MIN, (long long)OPS_MAX, line_no,
                      name, &n, err);
        kf->kdf.ops = (unsigned long long)n;
        return rc;
    case KF_MEM:
        rc = want_num(val, (long long)MEM_MIN, (long long)MEM_MAX, line_no,
                      name, &n, err);
        kf->kdf.mem = (size_t)n;
        return rc;
    case KF_SALT:
        return want_hex(val, kf->salt, sizeof kf->salt, line_no, name, err);
    case KF_NONCE:
        return want_hex(val, kf->nonce, sizeof kf->nonce, line_no, name, err);
    case KF_WRAPPED:
        return want_hex(val, kf->wrapped, sizeof kf->wrapped, line_no, name,
                        err);
    case KF__COUNT:
        break;
    }
    SR_BUG("bad key file field");
}

/* Parse key file text into kf; SR_EINVAL naming the line and field. */
static int
keyfile_parse(const char *text, size_t len, struct keyfile *kf,
              struct sr_err *err)
{
    if (len > KEYFILE_MAX) {
        return sr_err_set(err, SR_EINVAL, "key file larger than %zu bytes",
                          KEYFILE_MAX);
    }
    if (len > 0 && memchr(text, '\0', len) != NULL) {
        return sr_err_set(err, SR_EINVAL, "key file contains a NUL byte");
    }
    enum kf_field next = KF_FORMAT;
    int line_no = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += line_len + (nl != NULL);
        line_no++;
        if (line_len > 0 && line[line_len - 1] == '\r') {
            line_len--;
        }
        if (line_len == 0 || line[0] == '#') {
            continue;
        }
        if (next == KF__COUNT) {
            return sr_err_set(err, SR_EINVAL,
                              "key file line %d: unexpected text after '%s'",
                              line_no, kf_names[KF_WRAPPED]);
        }
        const char *name = kf_names[next];
        size_t name_len = strlen(name);
        if (line_len < name_len + 2 || memcmp(line, name, name_len) != 0 ||
            line[name_len] != ':' || line[name_len + 1] != ' ') {
            return sr_err_set(err, SR_EINVAL,
                              "key file line %d: expected field '%s'", line_no,
                              name);
        }
        struct sr_str val = { line + name_len + 2, line_len - name_len - 2 };
        int rc = keyfile_field(kf, next, val, line_no, err);
        if (rc != SR_OK) {
            return rc;
        }
        next++;
    }
    if (next != KF__COUNT) {
        return sr_err_set(err, SR_EINVAL,
                          "key file: field '%s' missing (file ends at line "
                          "%d)",
                          kf_names[next], line_no);
    }
    return SR_OK;
}

/* Parse keyfile into kf after starting libsodium; as vault_open(). */
static int
keyfile_load(const char *keyfile, size_t keyfile_len, struct keyfile *kf,
             struct sr_err *err)
{
    assert(keyfile != NULL || keyfile_len == 0);
    if (vault_init() != SR_OK) {
        return sr_err_set(err, SR_EIO, "libsodium failed to start");
    }
    memset(kf, 0, sizeof *kf);
    return keyfile_parse(keyfile, keyfile_len, kf, err);
}

/* Unwrap kf's data key with kek into a new vault *out; wrong_key is the
 * message of the SR_ECRYPTO a failing unwrap returns. */
static int
keyfile_unwrap(const struct keyfile *kf, const unsigned char *kek,
               const char *wrong_key, struct vault **out, struct sr_err *err)
{
    struct vault *v = vault_new(kf->key_version);
    if (v == NULL) {
        return sr_err_set(err, SR_ENOMEM, "out of memory for keys");
    }
    struct sr_buf ad;
    sr_buf_init(&ad, 1024);
    keyfile_header(&ad, kf->key_version, &kf->kdf, kf->salt);
    /* vault_new() made the pages no-access; open them for writing */
    struct vault_keys *k = v->keys;
    if (sodium_mprotect_readwrite(k) != 0) {
        SR_BUG("cannot unprotect vault keys");
    }
    unsigned long long dlen = 0;
    int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
        k->data, &dlen, NULL, kf->wrapped, sizeof kf->wrapped,
        (const unsigned char *)ad.data, ad.len, kf->nonce, kek);
    sr_buf_release(&ad);
    if (bad != 0 || dlen != VAULT_KEY_BYTES) {
        sodium_mprotect_noaccess(k);
        vault_free(v);
        return sr_err_set(err, SR_ECRYPTO, "%s", wrong_key);
    }
    keys_derive(k);
    *out = v;
    return SR_OK;
}

int
vault_derive_kek(const char *keyfile, size_t keyfile_len,
                 const char *passphrase, size_t pass_len,
                 unsigned char out_kek[VAULT_KEY_BYTES], struct sr_err *err)
{
    assert(passphrase != NULL || pass_len == 0);
    assert(out_kek != NULL);
    struct keyfile kf;
    int rc = keyfile_load(keyfile, keyfile_len, &kf, err);
    if (rc == SR_OK) {
        rc = check_pass(pass_len, err);
    }
    if (rc == SR_OK) {
        rc = derive_kek(out_kek, passphrase, pass_len, kf.salt, &kf.kdf, err);
    }
    return rc;
}

int
vault_open_kek(const char *keyfile, size_t keyfile_len,
               const unsigned char kek[VAULT_KEY_BYTES], struct vault **out,
               struct sr_err *err)
{
    assert(kek != NULL && out != NULL);
    struct keyfile kf;
    int rc = keyfile_load(keyfile, keyfile_len, &kf, err);
    if (rc != SR_OK) {
        return rc;
    }
    return keyfile_unwrap(&kf, kek,
                          "the key-encryption key does not open the key file",
                          out, err);
}

int
vault_open(const char *keyfile, size_t keyfile_len, const char *passphrase,
           size_t pass_len, struct vault **out, struct sr_err *err)
{
    assert(passphrase != NULL || pass_len == 0);
    assert(out != NULL);
    struct keyfile kf;
    int rc = keyfile_load(keyfile, keyfile_len, &kf, err);
    if (rc == SR_OK) {
        rc = check_pass(pass_len, err);
    }
    if (rc != SR_OK) {
        return rc;
    }
    unsigned char kek[VAULT_KEY_BYTES];
    rc = derive_kek(kek, passphrase, pass_len, kf.salt, &kf.kdf, err);
    if (rc == SR_OK) {
        rc = keyfile_unwrap(&kf, kek, "wrong passphrase", out, err);
    }
    sodium_memzero(kek, sizeof kek);
    return rc;
}

/* ---- field encryption -------------------------------------------------- */

static void
put_be32(unsigned char *p, uint32_t x)
{
    p[0] = (unsigned char)(x >> 24);
    p[1] = (unsigned char)(x >> 16);
    p[2] = (unsigned char)(x >> 8);
    p[3] = (unsigned char)x;
}

static uint32_t
get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

#define AD_MAX (1 + 4 + 8 + 2 * (1 + NAME_MAX_BYTES))

/*
 * The associated data of a field blob: version | key version (BE32) |
 * row id (BE64, two's complement) | table length | table | column length
 * | column. Length prefixes keep ("ab", "c") apart from ("a", "bc").
 * Returns its length, or 0 with err set for a bad name.
 */
static size_t
field_ad(unsigned char ad[AD_MAX], uint32_t key_version, const char *table,
         const char *column, int64_t row_id, struct sr_err *err)
{
    size_t t_len = strlen(table), c_len = strlen(column);
    if (t_len == 0 || t_len > NAME_MAX_BYTES) {
        sr_err_set(err, SR_EINVAL, "table name must be 1 to %u bytes",
                   NAME_MAX_BYTES);
        return 0;
    }
    if (c_len == 0 || c_len > NAME_MAX_BYTES) {
        sr_err_set(err, SR_EINVAL, "column name must be 1 to %u bytes",
                   NAME_MAX_BYTES);
        return 0;
    }
    size_t n = 0;
    ad[n++] = BLOB_VERSION;
    put_be32(ad + n, key_version);
    n += 4;
    uint64_t r = (uint64_t)row_id;
    put_be32(ad + n, (uint32_t)(r >> 32));
    put_be32(ad + n + 4, (uint32_t)r);
    n += 8;
    ad[n++] = (unsigned char)t_len;
    memcpy(ad + n, table, t_len);
    n += t_len;
    ad[n++] = (unsigned char)c_len;
    memcpy(ad + n, column, c_len);
    n += c_len;
    return n;
}

int
vault_encrypt(const struct vault *v, const char *table, const char *column,
              int64_t row_id, const void *plain, size_t len, struct sr_buf *out,
              struct sr_err *err)
{
    assert(v != NULL && table != NULL && column != NULL && out != NULL);
    assert(plain != NULL || len == 0);
    unsigned char ad[AD_MAX];
    size_t ad_len = field_ad(ad, v->key_version, table, column, row_id, err);
    if (ad_len == 0) {
        return SR_EINVAL;
    }
    size_t overhead = VAULT_BLOB_HEADER + VAULT_BLOB_TAG;
    if (len > SIZE_MAX - overhead - 1 || buf_prepare(out, len + overhead)) {
        return sr_err_set(err, SR_ETOOBIG,
                          "encrypted %s.%s does not fit its buffer", table,
                          column);
    }
    unsigned char *blob = (unsigned char *)out->data;
    blob[0] = BLOB_VERSION;
    put_be32(blob + 1, v->key_version);
    unsigned char *nonce = blob + 5;
    randombytes_buf(nonce, NONCE_BYTES);
    const struct vault_keys *k = keys_open(v);
    unsigned long long c_len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(blob + VAULT_BLOB_HEADER, &c_len,
                                               plain, len, ad, ad_len, NULL,
                                               nonce, k->field);
    keys_close(v);
    assert(c_len == len + VAULT_BLOB_TAG);
    return SR_OK;
}

int
vault_decrypt(const struct vault *v, const char *table, const char *column,
              int64_t row_id, const void *blob, size_t len, struct sr_buf *out,
              struct sr_err *err)
{
    assert(v != NULL && table != NULL && column != NULL && out != NULL);
    assert(blob != NULL || len == 0);
    const unsigned char *b = blob;
    unsigned char ad[AD_MAX];
    size_t ad_len = field_ad(ad, v->key_version, table, column, row_id, err);
    if (ad_len == 0) {
        return SR_EINVAL;
    }
    if (len < VAULT_BLOB_HEADER + VAULT_BLOB_TAG) {
        return sr_err_set(err, SR_ECRYPTO,
                          "cannot decrypt %s.%s of row %lld: blob too short",
                          table, column, (long long)row_id);
    }
    if (b[0] != BLOB_VERSION) {
        return sr_err_set(err, SR_ECRYPTO,
                          "cannot decrypt %s.%s of row %lld: unknown blob "
                          "version %u",
                          table, column, (long long)row_id, (unsigned)b[0]);
    }
    uint32_t kv = get_be32(b + 1);
    if (kv != v->key_version) {
        return sr_err_set(err, SR_ECRYPTO,
                          "cannot decrypt %s.%s of row %lld: encrypted under "
                          "key version %u, the vault holds key version %u",
                          table, column, (long long)row_id, (unsigned)kv,
                          (unsigned)v->key_version);
    }
    size_t m_len = len - VAULT_BLOB_HEADER - VAULT_BLOB_TAG;
    if (buf_prepare(out, m_len) != SR_OK) {
        return sr_err_set(err, SR_ETOOBIG,
                          "decrypted %s.%s does not fit its buffer", table,
                          column);
    }
    const struct vault_keys *k = keys_open(v);
    unsigned long long got = 0;
    int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(
        (unsigned char *)out->data, &got, NULL, b + VAULT_BLOB_HEADER,
        len - VAULT_BLOB_HEADER, ad, ad_len, b + 5, k->field);
    keys_close(v);
    if (bad != 0 || got != m_len) {
        sodium_memzero(out->data, out->cap);
        out->len = 0;
        return sr_err_set(err, SR_ECRYPTO,
                          "cannot decrypt %s.%s of row %lld: damaged, or "
                          "made for another row, column or table",
                          table, column, (long long)row_id);
    }
    out->data[m_len] = '\0';
    return SR_OK;
}

/* ---- normalisation and blind index ------------------------------------- */

enum norm_mode {
    NORM_FOLD, /* NFC + case fold only */
    NORM_TEXT, /* and white space trimmed and collapsed */
    NORM_PHONE /* and then only a leading '+' and digits */
};

/*
 * The value 0-9 of a decimal digit of any script, or -1. Unicode assigns
 * Nd characters in contiguous runs of ten from 0 to 9, so the value is
 * the distance from the start of the Nd stretch, modulo 10.
 */
static int
digit_value(utf8proc_int32_t c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (utf8proc_category(c) != UTF8PROC_CATEGORY_ND) {
        return -1;
    }
    utf8proc_int32_t start = c;
    while (start > 0 && utf8proc_category(start - 1) == UTF8PROC_CATEGORY_ND) {
        start--;
    }
    return (int)((c - start) % 10);
}

static void
wipe_free(void *p, size_t len)
{
    if (p != NULL) {
        sodium_memzero(p, len);
        free(p);
    }
}

/*
 * normalise() of a string of ASCII bytes 1-127 only: NFC changes no ASCII
 * character and full case folding maps exactly A-Z to a-z, so one loop
 * gives what utf8proc would (the white space and digit rules below keep
 * their ASCII cases). Same contract as normalise().
 */
static int
normalise_ascii(const char *s, size_t len, enum norm_mode mode, char **out,
                size_t *out_len, size_t *out_cap)
{
    size_t cap = len + 2;
    char *o = sr_xmalloc(cap);
    size_t o_len = 0;
    int pending_space = 0, seen_digit = 0, has_plus = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (mode == NORM_PHONE) {
            if (c >= '0' && c <= '9') {
                o[o_len++] = c;
                seen_digit = 1;
            } else if (c == '+' && !seen_digit) {
                has_plus = 1;
            }
            continue;
        }
        if (mode == NORM_TEXT && ((c >= 9 && c <= 13) || c == ' ')) {
            pending_space = o_len > 0;
            continue;
        }
        if (pending_space) {
            o[o_len++] = ' ';
            pending_space = 0;
        }
        o[o_len++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    if (mode == NORM_PHONE && has_plus && o_len > 0) {
        memmove(o + 1, o, o_len);
        o[0] = '+';
        o_len++;
    }
    o[o_len] = '\0';
    *out = o;
    *out_len = o_len;
    *out_cap = cap;
    return SR_OK;
}

/* 1 if s (len bytes) holds only ASCII bytes 1-127. */
static int
is_plain_ascii(const char *s, size_t len)
{
    unsigned char any = 0, has_nul = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        any |= c;
        has_nul |= c == 0;
    }
    return (any & 0x80) == 0 && !has_nul;
}

/*
 * The utf8proc path of normalise(), for any valid UTF-8 (also used by
 * vault_normalise() to check the ASCII path against it).
 */
static int
normalise_unicode(const char *s, size_t len, enum norm_mode mode, char **out,
                  size_t *out_len, size_t *out_cap)
{
    if (!sr_utf8_valid(s, len)) {
        return SR_EINVAL;
    }
    const utf8proc_option_t opts =
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
    size_t cp_cap = 2 * len + 4;
    utf8proc_int32_t *cps = sr_xcalloc(cp_cap, sizeof *cps);
    utf8proc_ssize_t n =
        utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                           cps, (utf8proc_ssize_t)cp_cap, opts);
    if (n > (utf8proc_ssize_t)cp_cap) {
        wipe_free(cps, cp_cap * sizeof *cps);
        cp_cap = (size_t)n;
        cps = sr_xcalloc(cp_cap, sizeof *cps);
        n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                               (utf8proc_ssize_t)len, cps,
                               (utf8proc_ssize_t)cp_cap, opts);
    }
    if (n >= 0) {
        n = utf8proc_normalize_utf32(cps, n, opts);
    }
    if (n < 0 || n > (utf8proc_ssize_t)cp_cap) {
        wipe_free(cps, cp_cap * sizeof *cps);
        return SR_EINVAL;
    }
    size_t cap = 4 * (size_t)n + 2;
    char *o = sr_xmalloc(cap);
    size_t o_len = 0;
    int pending_space = 0, seen_digit = 0, has_plus = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = cps[i];
        if (mode == NORM_PHONE) {
            int d = digit_value(c);
            if (d >= 0) {
                o[o_len++] = (char)('0' + d);
                seen_digit = 1;
            } else if ((c == '+' || c == 0xFF0B) && !seen_digit) {
                has_plus = 1;
            }
            continue;
        }
        if (mode == NORM_TEXT && sr_is_space_cp(c)) {
            pending_space = o_len > 0;
            continue;
        }
        if (pending_space) {
            o[o_len++] = ' ';
            pending_space = 0;
        }
        o_len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)o + o_len);
    }
    if (mode == NORM_PHONE && has_plus && o_len > 0) {
        memmove(o + 1, o, o_len);
        o[0] = '+';
        o_len++;
    }
    o[o_len] = '\0';
    wipe_free(cps, cp_cap * sizeof *cps);
    *out = o;
    *out_len = o_len;
    *out_cap = cap;
    return SR_OK;
}

/*
 * Normalise s (len bytes) per mode into a malloc'd buffer *out of *out_len
 * bytes (NUL-terminated; *out_cap bytes to wipe). The caller frees it with
 * wipe_free(*out, *out_cap). Returns SR_OK or SR_EINVAL (invalid UTF-8, a
 * NUL byte); an empty result is not an error here. Plain ASCII takes the
 * fast path (same output).
 */
static int
normalise(const char *s, size_t len, enum norm_mode mode, char **out,
          size_t *out_len, size_t *out_cap)
{
    if (is_plain_ascii(s, len)) {
        return normalise_ascii(s, len, mode, out, out_len, out_cap);
    }
    return normalise_unicode(s, len, mode, out, out_len, out_cap);
}

int
vault_normalise(const char *s, size_t len, int mode, int is_fast_ok,
                struct sr_buf *out)
{
    assert(s != NULL || len == 0);
    assert(out != NULL && mode >= 0 && mode <= 2);
    char *n = NULL;
    size_t n_len = 0, n_cap = 0;
    enum norm_mode m =
        mode == 0 ? NORM_FOLD : (mode == 1 ? NORM_TEXT : NORM_PHONE);
    int rc =
        is_fast_ok
            ? normalise(s != NULL ? s : "", len, m, &n, &n_len, &n_cap)
            : normalise_unicode(s != NULL ? s : "", len, m, &n, &n_len, &n_cap);
    if (rc != SR_OK) {
        return rc;
    }
    sr_buf_reset(out);
    rc = sr_buf_add(out, n, n_len);
    wipe_free(n, n_cap);
    return rc;
}

static int
domain_context(const char *domain, char ctx[crypto_kdf_CONTEXTBYTES])
{
    size_t n = strlen(domain);
    if (n == 0 || n > crypto_kdf_CONTEXTBYTES) {
        return SR_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        char c = domain[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return SR_EINVAL;
        }
    }
    memset(ctx, '.', crypto_kdf_CONTEXTBYTES);
    memcpy(ctx, domain, n);
    return SR_OK;
}

int
vault_blind_index(const struct vault *v, const char *domain, const char *value,
                  size_t len, unsigned char out[32], struct sr_err *err)
{
    assert(v != NULL && domain != NULL && out != NULL);
    assert(value != NULL || len == 0);
    char ctx[crypto_kdf_CONTEXTBYTES];
    if (domain_context(domain, ctx) != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "blind index domain must be 1 to 8 characters "
                          "a-z 0-9");
    }
    if (len > BLIND_VALUE_MAX) {
        return sr_err_set(err, SR_EINVAL,
                          "blind index '%s': value longer than %u bytes",
                          domain, BLIND_VALUE_MAX);
    }
    int is_phone = strcmp(domain, "phone") == 0;
    char *norm = NULL;
    size_t norm_len = 0, norm_cap = 0;
    if (normalise(value != NULL ? value : "", len,
                  is_phone ? NORM_PHONE : NORM_TEXT, &norm, &norm_len,
                  &norm_cap) != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "blind index '%s': value is not valid UTF-8 or "
                          "holds a NUL byte",
                          domain);
    }
    if (norm_len == 0 || (is_phone && norm_len == 1 && norm[0] == '+')) {
        wipe_free(norm, norm_cap);
        return sr_err_set(err, SR_EINVAL, "blind index '%s': %s", domain,
                          is_phone ? "phone number has no digits"
                                   : "value is empty");
    }
    unsigned char sub[VAULT_KEY_BYTES];
    const struct vault_keys *k = keys_open(v);
    int bad = crypto_kdf_derive_from_key(sub, sizeof sub, 1, ctx, k->data);
    keys_close(v);
    if (bad == 0) {
        bad = crypto_generichash(out, 32, (const unsigned char *)norm, norm_len,
                                 sub, sizeof sub);
    }
    sodium_memzero(sub, sizeof sub);
    wipe_free(norm, norm_cap);
    if (bad != 0) {
        SR_BUG("blind index hash failed");
    }
    return SR_OK;
}

int
vault_audit_mac(const struct vault *v, const void *msg, size_t len,
                unsigned char out[32])
{
    assert(v != NULL && out != NULL && (msg != NULL || len == 0));
    const struct vault_keys *k = keys_open(v);
    int bad = crypto_generichash(out, 32, msg, len, k->audit, sizeof k->audit);
    keys_close(v);
    return bad == 0 ? SR_OK : SR_ECRYPTO;
}

/* ---- codes and tokens -------------------------------------------------- */

void
vault_code(const char *prefix, char *out, size_t out_size)
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    assert(prefix != NULL && out != NULL);
    init_or_die();
    size_t p_len = strlen(prefix);
    if (out_size < p_len + 2 + VAULT_CODE_CHARS) {
        SR_BUG("vault_code: output buffer too small");
    }
    memcpy(out, prefix, p_len);
    size_t n = p_len;
    out[n++] = '-';
    for (int i = 0; i < 8; i++) {
        if (i == 4) {
            out[n++] = '-';
        }
        out[n++] = crockford[randombytes_uniform(32)];
    }
    out[n] = '\0';
}

void
vault_random_token(unsigned char *out, size_t len)
{
    assert(out != NULL || len == 0);
    init_or_die();
    randombytes_buf(out, len);
}

int
vault_unhex(const char *s, unsigned char *out, size_t len)
{
    size_t bin_len = 0;
    if (strlen(s) != 2 * len ||
        sodium_hex2bin(out, len, s, 2 * len, NULL, &bin_len, NULL) != 0 ||
        bin_len != len) {
        return -1;
    }
    return 0;
}

void
vault_hex(const unsigned char *in, size_t len, char *out)
{
    assert(out != NULL && (in != NULL || len == 0));
    sodium_bin2hex(out, 2 * len + 1, in, len);
}

void
vault_token_hash(const char *token, size_t len, unsigned char out[32])
{
    assert(out != NULL && (token != NULL || len == 0));
    init_or_die();
    if (crypto_generichash(out, 32, (const unsigned char *)token, len, NULL,
                           0) != 0) {
        SR_BUG("token hash failed");
    }
}

int
vault_equal(const void *a, const void *b, size_t len)
{
    assert((a != NULL && b != NULL) || len == 0);
    return len == 0 || sodium_memcmp(a, b, len) == 0;
}

/* ---- passwords --------------------------------------------------------- */

/*
 * A counting semaphore on Argon2id runs: each takes 64 MiB and one core,
 * so more at once than cores would only queue inside the kernel and
 * multiply memory.
 */
static pthread_mutex_t pw_lock = PTHREAD_MUTEX_INITIALIZER; /* guards below */
static pthread_cond_t pw_cond = PTHREAD_COND_INITIALIZER;
static long pw_free_slots = -1; /* hashing slots left; -1 until first use */

static void
pw_slot_take(void)
{
    pthread_mutex_lock(&pw_lock);
    if (pw_free_slots < 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        pw_free_slots = n > 0 ? n : 1;
    }
    while (pw_free_slots == 0) {
        pthread_cond_wait(&pw_cond, &pw_lock);
    }
    pw_free_slots--;
    pthread_mutex_unlock(&pw_lock);
}

static void
pw_slot_give(void)
{
    pthread_mutex_lock(&pw_lock);
    pw_free_slots++;
    pthread_cond_signal(&pw_cond);
    pthread_mutex_unlock(&pw_lock);
}

int
vault_password_hash(const char *password, size_t len, char out[128],
                    struct sr_err *err)
{
    assert(out != NULL && (password != NULL || len == 0));
    if (vault_init() != SR_OK) {
        return sr_err_set(err, SR_EIO, "libsodium failed to start");
    }
    if (len > PASS_MAX) {
        return sr_err_set(err, SR_EINVAL, "password longer than %u bytes",
                          PASS_MAX);
    }
    char tmp[crypto_pwhash_STRBYTES];
    pw_slot_take();
    struct kdf_params p;
    (void)kdf_params_of(VAULT_KDF_INTERACTIVE, &p);
    int bad = crypto_pwhash_str_alg(tmp, password, len, p.ops, p.mem,
                                    crypto_pwhash_ALG_ARGON2ID13);
    pw_slot_give();
    if (bad != 0) {
        return sr_err_set(err, SR_ENOMEM,
                          "cannot hash password: out of memory");
    }
    memcpy(out, tmp, sizeof tmp);
    return SR_OK;
}

int
vault_password_verify(const char *hash, const char *password, size_t len)
{
    assert(hash != NULL && (password != NULL || len == 0));
    if (vault_init() != SR_OK || len > PASS_MAX ||
        memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL) {
        return 0;
    }
    pw_slot_take();
    int bad = crypto_pwhash_str_verify(hash, password, len);
    pw_slot_give();
    return bad == 0;
}

int
vault_password_needs_rehash(const char *hash)
{
    assert(hash != NULL);
    if (vault_init() != SR_OK ||
        memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL) {
        return 1;
    }
    struct kdf_params p;
    (void)kdf_params_of(VAULT_KDF_INTERACTIVE, &p);
    return crypto_pwhash_str_needs_rehash(hash, p.ops, p.mem) != 0;
}

/*
 * The form a password's strength is judged on: NFKC (compatibility forms
 * folded, so full-width digits count as digits), default-ignorable code
 * points (zero-width spaces, joiners, fillers) removed. *n_visible gets the
 * number of code points of a letter, mark, number, punctuation or symbol
 * category; white space, controls and format characters do not count.
 * Returns the malloc'd form (NUL-terminated; wipe it with sodium_memzero
 * before free) or NULL for invalid UTF-8.
 */
static char *
strength_form(const char *s, size_t len, size_t *n_visible)
{
    utf8proc_uint8_t *o = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &o,
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_IGNORE);
    if (n < 0) {
        return NULL;
    }
    size_t visible = 0;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t step = utf8proc_iterate(o + i, n - i, &c);
        if (step <= 0) {
            break;
        }
        switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
        case UTF8PROC_CATEGORY_CC:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_CS:
        case UTF8PROC_CATEGORY_CO:
        case UTF8PROC_CATEGORY_CN:
            break;
        default:
            visible++;
        }
        i += step;
    }
    *n_visible = visible;
    return (char *)o;
}

static size_t
count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

int
vault_password_check(const char *password, size_t len, const char *username,
                     struct sr_err *err)
{
    assert(password != NULL || len == 0);
    if (password == NULL) {
        password = "";
    }
    if (!sr_utf8_valid(password, len)) {
        return sr_err_set(err, SR_EINVAL,
                          "password is not valid UTF-8 or holds a NUL byte");
    }
    if (count_code_points(password, len) > PW_CHARS_MAX) {
        return sr_err_set(err, SR_EINVAL,
                          "password too long: at most %u characters",
                          PW_CHARS_MAX);
    }
    size_t n_visible = 0;
    char *form = strength_form(password, len, &n_visible);
    if (form == NULL) {
        return sr_err_set(err, SR_EINVAL, "password is not valid UTF-8");
    }
    size_t form_len = strlen(form);
    int rc = SR_OK;
    if (n_visible < PW_CHARS_MIN) {
        rc = sr_err_set(err, SR_EINVAL,
                        "password too short: at least %u visible characters "
                        "(spaces and invisible characters do not count)",
                        PW_CHARS_MIN);
    }
    if (rc == SR_OK && username != NULL) {
        char *u = NULL, *f = NULL;
        size_t u_len = 0, u_cap = 0, f_len = 0, f_cap = 0;
        size_t raw_len = strlen(username);
        int same;
        if (normalise(username, raw_len, NORM_FOLD, &u, &u_len, &u_cap) ==
                SR_OK &&
            normalise(password, len, NORM_FOLD, &f, &f_len, &f_cap) == SR_OK) {
            same = u_len == f_len && memcmp(u, f, f_len) == 0;
        } else {
            same = raw_len == len && memcmp(username, password, len) == 0;
        }
        wipe_free(u, u_cap);
        wipe_free(f, f_cap);
        if (same) {
            rc = sr_err_set(err, SR_EINVAL,
                            "password must not be the user name");
        }
    }
    if (rc == SR_OK) {
        /* the estimator knows common passwords, words, keyboard patterns,
         * repeats, sequences and dates; the user name and the product's
         * name are added to its dictionary */
        const char *user_dict[] = { username != NULL ? username : "siren",
                                    "siren", NULL };
        double bits = ZxcvbnMatch(form, user_dict, NULL);
        if (bits < PW_GUESS_BITS_MIN) {
            rc = sr_err_set(err, SR_EINVAL,
                            "password too easy to guess (a common password, "
                            "a word, a repeat, a sequence or the user name); "
                            "try several unrelated words");
        }
    }
    wipe_free(form, form_len);
    return rc;
}
