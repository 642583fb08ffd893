/*
 * vault.h - SIREN's keys, field encryption, blind index, codes and
 * passwords.
 *
 * A workspace has one random 32-byte data key, kept on disk only wrapped
 * under a passphrase (Argon2id + XChaCha20-Poly1305) in a small text key
 * file. An open struct vault holds the data key and the subkeys derived
 * from it in sodium_malloc'd memory that is mprotect'ed no-access except
 * while a call is using it. Identity fields are encrypted with a key bound
 * to table, column, row id and key version; exact-match search goes
 * through a keyed blind index of the normalised value.
 *
 * Thread-safety: every function may be called from any thread; one open
 * struct vault may be shared by all threads (calls take a short internal
 * lock to switch the key memory's protection).
 *
 * Secrets (keys, passphrases, passwords, plaintexts) never appear in an
 * error message or a log line.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_VAULT_H
#define SR_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

struct vault; /* opaque; key material in sodium_malloc'd, mprotect'ed memory */

/*
 * Argon2id cost profiles (libsodium's crypto_pwhash_*_INTERACTIVE,
 * _MODERATE and _SENSITIVE: 2 passes over 64 MiB, 3 over 256 MiB, 4 over
 * 1 GiB).
 */
enum vault_kdf {
    VAULT_KDF_INTERACTIVE,
    VAULT_KDF_MODERATE,
    VAULT_KDF_SENSITIVE
};

#define VAULT_KEY_BYTES   32u  /* data key and subkeys */
#define VAULT_BLOB_HEADER 29u  /* version 1 + key version 4 + nonce 24 */
#define VAULT_BLOB_TAG    16u  /* Poly1305 tag after the ciphertext */
#define VAULT_CODE_CHARS  9u   /* "XXXX-XXXX" after the prefix and '-' */
#define VAULT_HASH_BYTES  128u /* crypto_pwhash_STRBYTES */

/*
 * Call sodium_init() once. Idempotent and thread-safe; the other vault_*
 * functions call it themselves, so calling it at startup only makes a
 * failure show early. Returns SR_OK, or SR_EIO if libsodium cannot start.
 */
int vault_init(void);

/*
 * Make a new random data key (key version 1) wrapped under a key derived
 * from passphrase with Argon2id (crypto_pwhash, the profile's limits, a
 * random 16-byte salt). The wrap is XChaCha20-Poly1305 IETF with a random
 * nonce, its associated data being every header line of the key file, so
 * an edited version or parameter fails as a wrong passphrase would.
 * out_keyfile (initialised with sr_buf_init, or zeroed) is emptied and gets
 * the key file text:
 *
 *     # SIREN key file ... (comment lines)
 *     siren-keyfile: 1
 *     key-version: 1
 *     kdf: argon2id13
 *     opslimit: 2
 *     memlimit: 67108864
 *     salt: <32 hex digits>
 *     nonce: <48 hex digits>
 *     wrapped-key: <96 hex digits>
 *
 * Nothing secret is in clear. On success *out is the open vault (free with
 * vault_free()). passphrase is pass_len bytes, any bytes, 1 to 4096 of
 * them. Returns SR_OK, SR_EINVAL (empty or too long passphrase),
 * SR_ENOMEM (Argon2id could not get its memory), SR_ETOOBIG (out_keyfile's
 * cap), SR_EIO (libsodium would not start).
 */
int vault_create(const char *passphrase, size_t pass_len, enum vault_kdf kdf,
                 struct sr_buf *out_keyfile, struct vault **out,
                 struct sr_err *err);

/*
 * Parse keyfile (keyfile_len bytes, at most 64 KiB) and unwrap its data
 * key with passphrase. Lines starting with '#' and blank lines are
 * skipped; the eight fields must come once each in the order shown at
 * vault_create(); a trailing '\r' on a line is ignored. Accepted costs:
 * opslimit 1 to 10, memlimit 8 KiB to 1 GiB (so a hostile file cannot ask
 * for more than the sensitive profile's memory).
 * Returns SR_OK (*out set; free with vault_free()), SR_EINVAL for a
 * malformed file (the message names the line and field), SR_ECRYPTO
 * "wrong passphrase" when the unwrap fails (a wrong passphrase or an edited
 * file), SR_ENOMEM, SR_EIO.
 */
int vault_open(const char *keyfile, size_t keyfile_len, const char *passphrase,
               size_t pass_len, struct vault **out, struct sr_err *err);

/*
 * The key-encryption key of keyfile for passphrase: Argon2id with the
 * file's salt and limits, the step of vault_open() that costs its time and
 * memory, so that a caller may keep it (siren unlock) and open the file
 * later with vault_open_kek() alone. out_kek is written only on SR_OK;
 * the caller wipes it (sodium_memzero) when done. Says nothing of whether
 * passphrase is right: vault_open_kek() does. Returns SR_OK, or as
 * vault_open() for a malformed file, a bad passphrase length, SR_ENOMEM,
 * SR_EIO.
 */
int vault_derive_kek(const char *keyfile, size_t keyfile_len,
                     const char *passphrase, size_t pass_len,
                     unsigned char out_kek[VAULT_KEY_BYTES],
                     struct sr_err *err);

/*
 * vault_open() with the key-encryption key kek (from vault_derive_kek()
 * on this key file) instead of the passphrase: parses keyfile and unwraps
 * its data key, no Argon2id. kek is only read. Returns SR_OK (*out set;
 * vault_free()), SR_EINVAL for a malformed file, SR_ECRYPTO "the
 * key-encryption key does not open the key file" (a key of another key
 * file: another workspace, a changed passphrase or a key rotation since
 * it was derived, or an edited file), SR_ENOMEM, SR_EIO.
 */
int vault_open_kek(const char *keyfile, size_t keyfile_len,
                   const unsigned char kek[VAULT_KEY_BYTES], struct vault **out,
                   struct sr_err *err);

/*
 * Write a key file for v's data key and key version wrapped under
 * new_pass with a fresh salt and nonce (same format as vault_create();
 * out_keyfile is emptied first). Data encrypted before decrypts after.
 * Returns as vault_create().
 */
int vault_rewrap(const struct vault *v, const char *new_pass, size_t new_len,
                 enum vault_kdf kdf, struct sr_buf *out_keyfile,
                 struct sr_err *err);

/*
 * Key rotation: make a new random data key with key version
 * vault_key_version(v) + 1, write its key file (wrapped under passphrase)
 * into out_keyfile and return it open in *out. The caller re-encrypts each
 * field (decrypt with v, encrypt with *out) and recomputes blind indexes
 * and audit MACs as its rotation procedure requires. Returns as
 * vault_create(), plus SR_EINVAL when the key version would overflow.
 */
int vault_rekey(const struct vault *v, const char *passphrase, size_t pass_len,
                enum vault_kdf kdf, struct sr_buf *out_keyfile,
                struct vault **out, struct sr_err *err);

/* Wipe and free v's keys and v. NULL is a no-op. */
void vault_free(struct vault *v);

/*
 * Keep v's keys readable until vault_release_keys() (a server, for as
 * long as it serves). Between uses the keys' pages are otherwise made
 * no-access, and each switch is an mprotect() that stops every thread of
 * the process: under web writes the switching took about 14% of the
 * server's CPU (perf). Held, the pages stay locked in memory, out of
 * core dumps and between guard pages. Calls pair up.
 */
void vault_hold_keys(const struct vault *v);
void vault_release_keys(const struct vault *v);

/*
 * Keep v's key pages readable from now until the matching vault_unpin(),
 * so a bulk job (export, re-encryption, report over many rows) does not
 * pay two mprotect() calls per vault call (about 3 us). Pins nest and may
 * come from several threads; each vault_pin() needs one vault_unpin()
 * before vault_free().
 */
void vault_pin(const struct vault *v);
void vault_unpin(const struct vault *v);

/* The key version of v's data key (1 for a key from vault_create()). */
int vault_key_version(const struct vault *v);

/*
 * Encrypt the field value plain (len bytes; NULL if len is 0) of column
 * in table for the row row_id. XChaCha20-Poly1305 IETF with a random
 * nonce; the associated data binds blob version, key version, table,
 * column and row id, so a blob moved to another row, column or table does
 * not decrypt. out (initialised with sr_buf_init, or zeroed) is emptied
 * and gets the blob: version byte 1 | key version (4 bytes, big-endian) |
 * nonce (24) | ciphertext (len) | tag (16), i.e. len + 45 bytes.
 * table and column are non-empty NUL-terminated names (at most 255 bytes).
 * Returns SR_OK, SR_EINVAL (bad name), SR_ETOOBIG (out's cap).
 */
int vault_encrypt(const struct vault *v, const char *table, const char *column,
                  int64_t row_id, const void *plain, size_t len,
                  struct sr_buf *out, struct sr_err *err);

/*
 * Decrypt a blob made by vault_encrypt() for the same table, column and
 * row id. out (initialised or zeroed) is emptied and gets the plaintext
 * (NUL-terminated after out->len bytes); the old contents are wiped if its
 * storage has to be replaced, and the plaintext is written in place, so
 * no copy is left behind. Release it with vault_buf_wipe(). On failure
 * out is left unchanged (bad name, cap) or empty (a blob that fails).
 * Returns SR_OK; SR_ECRYPTO for a blob that is too short, of an unknown
 * version, of another key version, tampered with, or made for another
 * table, column or row; SR_EINVAL (bad name); SR_ETOOBIG (out's cap).
 */
int vault_decrypt(const struct vault *v, const char *table, const char *column,
                  int64_t row_id, const void *blob, size_t len,
                  struct sr_buf *out, struct sr_err *err);

/* sodium_memzero b's whole storage, then sr_buf_release() it. NULL ok. */
void vault_buf_wipe(struct sr_buf *b);

/*
 * Blind index of value (len bytes of UTF-8, at most 4096) in domain: a
 * keyed BLAKE2b-256 with a subkey derived from the data key by crypto_kdf
 * with the domain as context, over the normalised value:
 * - NFC and full Unicode case folding (utf8proc);
 * - white space (Unicode Zs, Zl, Zp and the C0 spaces, tab to CR, NEL)
 *   trimmed at both ends and each run collapsed to one ' ';
 * - for domain "phone" only decimal digits are kept (any script's digits,
 *   as ASCII 0-9), and a '+' (or fullwidth '＋') before the first digit
 *   becomes a leading '+': "+66 81-234 5678" and "+66812345678" match.
 * domain is 1 to 8 characters of [a-z0-9] (e.g. "phone", "name",
 * "idnum"); different domains give unrelated indexes.
 * Returns SR_OK (out written), SR_EINVAL (bad domain, invalid UTF-8 or a
 * NUL byte, nothing left after normalising, too long).
 */
int vault_blind_index(const struct vault *v, const char *domain,
                      const char *value, size_t len, unsigned char out[32],
                      struct sr_err *err);

/*
 * The normalised form of s (len bytes) into out (reset first): mode 0
 * NFC + case fold, 1 also white space as vault_blind_index() treats it, 2
 * a phone as domain "phone" keeps it. With is_fast_ok, plain ASCII takes
 * the fast path vault_blind_index() uses; without it, always utf8proc
 * (tests compare the two). Returns SR_OK, SR_EINVAL (invalid UTF-8, a
 * NUL byte) or SR_ETOOBIG (out's cap).
 */
int vault_normalise(const char *s, size_t len, int mode, int is_fast_ok,
                    struct sr_buf *out);

/*
 * Keyed MAC for the audit hash chain: BLAKE2b-256 of msg (len bytes) keyed
 * with the data key's "audit" subkey. Returns SR_OK (out written) or
 * SR_ECRYPTO if libsodium fails.
 */
int vault_audit_mac(const struct vault *v, const void *msg, size_t len,
                    unsigned char out[32]);

/*
 * Write a random code: prefix, '-', then 8 characters of Crockford base32
 * (0-9 A-Z without I L O U) in two groups of four, e.g. "P-7KQ4-M2XD"
 * (40 bits of randomness, randombytes_uniform). prefix is NUL-terminated
 * ASCII; out_size must be at least strlen(prefix) + 11 (SR_BUG otherwise).
 */
void vault_code(const char *prefix, char *out, size_t out_size);

/*
 * Hash a user's password (len bytes) with crypto_pwhash_str: Argon2id with
 * the interactive limits, a random salt, the result an ASCII string in
 * out (NUL-terminated, under 128 bytes). At most as many hashes or
 * verifications run at once as the machine has online cores; the others
 * wait. Does not check the policy (see vault_password_check()).
 * Returns SR_OK, SR_EINVAL (longer than 4096 bytes), SR_ENOMEM.
 */
int vault_password_hash(const char *password, size_t len, char out[128],
                        struct sr_err *err);

/*
 * 1 if password (len bytes) matches hash (a NUL-terminated string from
 * vault_password_hash()), else 0, also for a malformed hash. Constant time
 * in the password (crypto_pwhash_str_verify); shares the hashing limit.
 */
int vault_password_verify(const char *hash, const char *password, size_t len);

/*
 * 1 if hash was made with other limits than vault_password_hash() uses
 * now, so the caller should re-hash the password after a good login.
 */
int vault_password_needs_rehash(const char *hash);

/*
 * Tests only: from now on password hashes and new key files use
 * libsodium's minimum Argon2id cost at every level, so that the suites
 * that sign in thousands of times (webfix.h) spend seconds, not minutes,
 * in Argon2id. Hashes and key files made at any cost still verify and
 * open. tools/lint refuses a call outside tests/.
 */
void vault_test_minimum_cost(void);

/*
 * Password policy for user accounts: valid UTF-8 without NUL; at most 128
 * characters (Unicode code points); at least 12 visible ones once
 * compatibility forms are folded and invisible characters removed (white
 * space, controls, zero-width and other format characters do not count);
 * not equal to username after NFC and case folding (username may be NULL);
 * and at least 10^8 guesses by the zxcvbn estimate (its score 3 of 4),
 * with username in its dictionary. Returns SR_OK or SR_EINVAL with the
 * reason (never the password).
 */
int vault_password_check(const char *password, size_t len, const char *username,
                         struct sr_err *err);

/* Fill out with len random bytes (randombytes_buf). */
void vault_random_token(unsigned char *out, size_t len);

/* Lower-case hex of in (len bytes) into out, which holds 2 * len + 1. */
void vault_hex(const unsigned char *in, size_t len, char *out);

/* The len bytes whose hex (either case) is exactly s, into out: 0, or -1
 * when s is not 2 * len hex digits. */
int vault_unhex(const char *s, unsigned char *out, size_t len);

/*
 * Unkeyed BLAKE2b-256 of token (len bytes), for storing session tokens
 * hashed.
 */
void vault_token_hash(const char *token, size_t len, unsigned char out[32]);

/*
 * 1 if the len bytes at a and b are equal, else 0, in time that depends
 * only on len (sodium_memcmp): for CSRF tokens and token hashes.
 */
int vault_equal(const void *a, const void *b, size_t len);

#endif
