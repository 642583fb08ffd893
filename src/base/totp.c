/*
 * totp.c - the second sign-in factor: TOTP codes (liboath), enrolment,
 * recovery codes, and the signed token between a sign-in's two steps.
 *
 * Owns tables user_totp and user_recovery and their SQL. The TOTP key is
 * stored only encrypted (vault_encrypt(), bound to user_totp.secret and
 * the user's id) and lives decrypted only in a wiped buffer while a code
 * is checked; recovery codes are stored only as keyed hashes (they carry
 * 80 random bits, so a keyed BLAKE2b is enough: no slow hash). Every
 * change is audited in its own transaction; no secret, code or recovery
 * code reaches the audit, a log or an error message. Knows nothing of
 * accounts, lockouts or sessions (signin.c joins this to auth.c). Must
 * not log usernames.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/totp.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "base/audit.h"
#include "base/vault.h"
#include "core/clock.h"
#include "core/banned.h"

/* the statements: the authenticator's row, then the recovery codes' */
enum totp_stmt {
    TO_GET,
    TO_BEGIN,
    TO_CONFIRM,
    TO_STEP,
    TO_DELETE,
    TO_REC_CLEAR,
    TO_REC_INSERT,
    TO_REC_USE,
    TO_REC_COUNT,
    TO__COUNT
};

static const char *const totp_sql[TO__COUNT] = {
    [TO_BEGIN] = "INSERT INTO user_totp(user_id, secret, created_at)"
                 " VALUES (?1, ?2, ?3)"
                 " ON CONFLICT(user_id) DO UPDATE"
                 "   SET secret = ?2, created_at = ?3, last_step = 0"
                 " WHERE user_totp.confirmed_at = 0",
    [TO_CONFIRM] = "UPDATE user_totp"
                   "   SET confirmed_at = ?2, last_step = ?3"
                   " WHERE user_id = ?1 AND confirmed_at = 0",
    [TO_STEP] = "UPDATE user_totp"
                "   SET last_step = ?2"
                " WHERE user_id = ?1 AND confirmed_at > 0 AND last_step < ?2",
    [TO_GET] = "SELECT secret, confirmed_at, last_step"
               "  FROM user_totp"
               " WHERE user_id = ?1",
    [TO_DELETE] = "DELETE FROM user_totp"
                  " WHERE user_id = ?1",
    [TO_REC_CLEAR] = "DELETE FROM user_recovery"
                     " WHERE user_id = ?1",
    [TO_REC_INSERT] = "INSERT INTO user_recovery(user_id, code_hash)"
                      " VALUES (?1, ?2)",
    [TO_REC_USE] = "DELETE FROM user_recovery"
                   " WHERE user_id = ?1 AND code_hash = ?2",
    [TO_REC_COUNT] = "SELECT count(*)"
                     "  FROM user_recovery"
                     " WHERE user_id = ?1",
};

/* Crockford's base32 symbols: no i, l, o or u to misread. */
static const char recovery_symbols[] = "0123456789abcdefghjkmnpqrstvwxyz";

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready; /* written once, by oath_start() */

static void
oath_start(void)
{
    oath_ready = oath_init() == OATH_OK;
}

int
totp_role_requires(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COORDINATOR;
}

int
totp_code_at(const unsigned char *secret, size_t len, int64_t t_s,
             char out[TOTP_DIGITS + 1])
{
    assert(secret != NULL && out != NULL);
    pthread_once(&oath_once, oath_start);
    if (!oath_ready || t_s < 0 ||
        oath_totp_generate((const char *)secret, len, (time_t)t_s, TOTP_STEP_S,
                           0, TOTP_DIGITS, out) != OATH_OK) {
        out[0] = '\0';
        return SR_ECRYPTO;
    }
    return SR_OK;
}

/* The id of user_id as audit record text. */
static void
id_text(int64_t user_id, char out[32])
{
    snprintf(out, 32, "%lld", (long long)user_id);
}

/* A user's authenticator row as read inside a transaction. */
struct totp_row {
    int is_found;
    int64_t confirmed_at, last_step;
    struct sr_buf secret; /* decrypted key; vault_buf_wipe() */
};

/* Read and decrypt user_id's row into r (r->secret initialised by the
 * caller). SR_OK (r->is_found 0 when there is none), SR_EDB, SR_ECRYPTO. */
static int
row_load(struct db *db, const struct vault *v, int64_t user_id,
         struct totp_row *r, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &totp_sql[TO_GET]);
    db_bind_i64(s, 1, user_id);
    int rc = db_step(s);
    r->is_found = rc == DB_ROW;
    if (rc == DB_ROW) {
        r->confirmed_at = db_col_i64(s, 1);
        r->last_step = db_col_i64(s, 2);
        rc = vault_decrypt(v, "user_totp", "secret", user_id, db_col_blob(s, 0),
                           db_col_bytes(s, 0), &r->secret, err);
        db_done(s);
        if (rc == SR_OK && r->secret.len != TOTP_SECRET_BYTES) {
            rc = sr_err_set(err, SR_ECRYPTO, "second factor: bad key");
        }
        return rc;
    }
    db_done(s);
    return rc == DB_DONE ? SR_OK : db_error(db, err, "cannot read factor");
}

int
totp_need(struct db *db, int64_t user_id, enum role role, enum totp_need *out,
          struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &totp_sql[TO_GET]);
    db_bind_i64(s, 1, user_id);
    int rc = db_step(s);
    int is_confirmed = rc == DB_ROW && db_col_i64(s, 1) > 0;
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot read factor");
    }
    *out = is_confirmed               ? TOTP_CODE
           : totp_role_requires(role) ? TOTP_ENROL
                                      : TOTP_NONE;
    return SR_OK;
}

/* The digits of code with spaces dropped into out; 1 when they are
 * exactly TOTP_DIGITS decimal digits. */
static int
digits_of(const char *code, char out[TOTP_DIGITS + 1])
{
    size_t n = 0;
    for (const char *p = code; *p; p++) {
        if (*p == ' ') {
            continue;
        }
        if (*p < '0' || *p > '9' || n == TOTP_DIGITS) {
            return 0;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
    return n == TOTP_DIGITS;
}

/*
 * The step (> after_step) whose code secret makes equal to digits, among
 * the current step at now_s and one either side; 0 when none. Each
 * candidate is compared in constant time, and all three are tried.
 */
static int64_t
step_matching(const struct sr_buf *secret, const char *digits, int64_t now_s,
              int64_t after_step)
{
    int64_t now_step = now_s / TOTP_STEP_S, found = 0;
    for (int64_t st = now_step - 1; st <= now_step + 1; st++) {
        char want[TOTP_DIGITS + 1];
        if (st <= 0 ||
            totp_code_at((const unsigned char *)secret->data, secret->len,
                         st * TOTP_STEP_S, want) != SR_OK) {
            continue;
        }
        if (sodium_memcmp(want, digits, TOTP_DIGITS) == 0 && st > after_step &&
            found == 0) {
            found = st;
        }
        sodium_memzero(want, sizeof want);
    }
    return found;
}

int
totp_enrol_begin(struct db *db, const struct vault *v, int64_t user_id,
                 char secret_b32[TOTP_SECRET_B32 + 1], struct sr_err *err)
{
    assert(db != NULL && v != NULL && secret_b32 != NULL);
    unsigned char key[TOTP_SECRET_BYTES];
    randombytes_buf(key, sizeof key);
    char *b32 = NULL;
    size_t b32_len = 0;
    pthread_once(&oath_once, oath_start);
    if (!oath_ready ||
        oath_base32_encode((const char *)key, sizeof key, &b32, &b32_len) !=
            OATH_OK ||
        b32_len != TOTP_SECRET_B32) {
        sodium_memzero(key, sizeof key);
        free(b32);
        return sr_err_set(err, SR_ECRYPTO, "cannot make a second factor");
    }
    struct sr_buf blob;
    sr_buf_init(&blob, 0);
    int rc = vault_encrypt(v, "user_totp", "secret", user_id, key, sizeof key,
                           &blob, err);
    sodium_memzero(key, sizeof key);
    if (rc == SR_OK) {
        rc = db_begin_write(db, err);
    }
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &totp_sql[TO_BEGIN]);
        db_bind_i64(s, 1, user_id);
        db_bind_blob(s, 2, blob.data, blob.len);
        db_bind_i64(s, 3, sr_now());
        rc = db_exec_stmt(db, s, err);
        if (rc == SR_OK && db_changes(db) != 1) {
            rc = sr_err_set(err, SR_ECONFLICT,
                            "second factor: already enrolled");
        }
        rc = db_finish(db, rc, err);
    }
    sr_buf_release(&blob);
    if (rc == SR_OK) {
        memcpy(secret_b32, b32, TOTP_SECRET_B32 + 1);
    }
    sodium_memzero(b32, b32_len);
    free(b32);
    return rc;
}

/* The keyed hash of user_id's recovery code (normalised: lower case,
 * dashes and spaces dropped) into out. SR_OK, SR_EINVAL (not 16 symbols),
 * SR_ECRYPTO. */
static int
recovery_hash(const struct vault *v, int64_t user_id, const char *code,
              unsigned char out[32])
{
    char norm[64];
    int n = snprintf(norm, sizeof norm, "%lld:", (long long)user_id);
    size_t k = 0;
    for (const char *p = code; *p; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (c == '-' || c == ' ') {
            continue;
        }
        if (strchr(recovery_symbols, c) == NULL || k == 16) {
            return SR_EINVAL;
        }
        norm[n + (int)k++] = c;
    }
    if (k != 16) {
        return SR_EINVAL;
    }
    int rc = vault_blind_index(v, "recovery", norm, (size_t)n + k, out, NULL);
    sodium_memzero(norm, sizeof norm);
    return rc == SR_OK ? SR_OK : SR_ECRYPTO;
}

/* Make TOTP_RECOVERY_CODES new codes for user_id in the open transaction,
 * replacing any earlier ones. */
static int
recovery_make(struct db *db, const struct vault *v, int64_t user_id,
              char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1],
              struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &totp_sql[TO_REC_CLEAR]);
    db_bind_i64(s, 1, user_id);
    int rc = db_exec_stmt(db, s, err);
    for (int i = 0; rc == SR_OK && i < TOTP_RECOVERY_CODES; i++) {
        unsigned char raw[16], h[32];
        randombytes_buf(raw, sizeof raw);
        char *c = codes[i];
        for (int j = 0, o = 0; j < 16; j++) {
            if (j > 0 && j % 4 == 0) {
                c[o++] = '-';
            }
            c[o++] = recovery_symbols[raw[j] & 31];
        }
        c[TOTP_RECOVERY_CHARS] = '\0';
        sodium_memzero(raw, sizeof raw);
        if (recovery_hash(v, user_id, c, h) != SR_OK) {
            return sr_err_set(err, SR_ECRYPTO, "cannot make recovery codes");
        }
        s = db_stmt(db, &totp_sql[TO_REC_INSERT]);
        db_bind_i64(s, 1, user_id);
        db_bind_blob(s, 2, h, sizeof h);
        rc = db_exec_stmt(db, s, err);
    }
    return rc;
}

/* 1 when shown (base32, spaces ignored) is the base32 of key. */
static int
is_shown_secret(const struct sr_buf *key, const char *shown)
{
    char want[TOTP_SECRET_B32 + 1], got[TOTP_SECRET_B32 + 1];
    char *b32 = NULL;
    size_t b32_len = 0, n = 0;
    for (const char *p = shown ? shown : ""; *p && n < TOTP_SECRET_B32; p++) {
        if (*p != ' ') {
            got[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        }
    }
    got[n] = '\0';
    pthread_once(&oath_once, oath_start);
    int ok =
        n == TOTP_SECRET_B32 && oath_ready &&
        oath_base32_encode(key->data, key->len, &b32, &b32_len) == OATH_OK &&
        b32_len == TOTP_SECRET_B32;
    if (ok) {
        memcpy(want, b32, sizeof want);
        ok = sodium_memcmp(want, got, TOTP_SECRET_B32) == 0;
    }
    if (b32 != NULL) {
        sodium_memzero(b32, b32_len);
    }
    free(b32);
    sodium_memzero(want, sizeof want);
    sodium_memzero(got, sizeof got);
    return ok;
}

int
totp_enrol_confirm(struct db *db, const struct vault *v, int64_t user_id,
                   const char *secret_b32, const char *code,
                   char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1],
                   struct sr_err *err)
{
    assert(db != NULL && v != NULL && codes != NULL);
    char digits[TOTP_DIGITS + 1];
    if (code == NULL || !digits_of(code, digits)) {
        return sr_err_set(err, SR_EPERM, "code: wrong code");
    }
    struct totp_row r = { 0 };
    sr_buf_init(&r.secret, 64);
    int rc = db_begin_write(db, err);
    if (rc == SR_OK) {
        rc = row_load(db, v, user_id, &r, err);
    }
    if (rc == SR_OK && (!r.is_found || r.confirmed_at > 0)) {
        rc = sr_err_set(err, SR_ENOTFOUND, "second factor: no enrolment");
    }
    if (rc == SR_OK && !is_shown_secret(&r.secret, secret_b32)) {
        rc = sr_err_set(err, SR_EPERM,
                        "second factor: enrolment started again elsewhere");
    }
    int64_t step = 0;
    if (rc == SR_OK) {
        step = step_matching(&r.secret, digits, sr_now(), 0);
        if (step == 0) {
            rc = sr_err_set(err, SR_EPERM, "code: wrong code");
        }
    }
    vault_buf_wipe(&r.secret);
    char tmp[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &totp_sql[TO_CONFIRM]);
        db_bind_i64(s, 1, user_id);
        db_bind_i64(s, 2, sr_now());
        db_bind_i64(s, 3, step);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        rc = recovery_make(db, v, user_id, tmp, err);
    }
    char idtxt[32];
    id_text(user_id, idtxt);
    struct audit_entry e = { user_id, "auth.totp_enrol", "user", idtxt, "" };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc == SR_OK) {
        memcpy(codes, tmp, sizeof tmp);
    }
    sodium_memzero(tmp, sizeof tmp);
    return rc;
}

/* Use user_id's recovery code in the open transaction: SR_OK (deleted,
 * *left the number still unused) or SR_EPERM. */
static int
recovery_use(struct db *db, const struct vault *v, int64_t user_id,
             const char *code, int64_t *left, struct sr_err *err)
{
    unsigned char h[32];
    if (recovery_hash(v, user_id, code, h) != SR_OK) {
        return sr_err_set(err, SR_EPERM, "code: wrong code");
    }
    struct db_stmt *s = db_stmt(db, &totp_sql[TO_REC_USE]);
    db_bind_i64(s, 1, user_id);
    db_bind_blob(s, 2, h, sizeof h);
    int rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK && db_changes(db) != 1) {
        return sr_err_set(err, SR_EPERM, "code: wrong code");
    }
    s = db_stmt(db, &totp_sql[TO_REC_COUNT]);
    db_bind_i64(s, 1, user_id);
    int st = db_step(s);
    *left = db_col_i64(s, 0);
    db_done(s);
    return rc != SR_OK    ? rc
           : st == DB_ROW ? SR_OK
                          : db_error(db, err, "cannot count recovery codes");
}

int
totp_verify(struct db *db, const struct vault *v, int64_t user_id,
            const char *code, int is_recovery_ok, int *used_recovery,
            struct sr_err *err)
{
    assert(db != NULL && v != NULL && code != NULL);
    if (used_recovery != NULL) {
        *used_recovery = 0;
    }
    char digits[TOTP_DIGITS + 1];
    int is_digits = digits_of(code, digits);
    struct totp_row r = { 0 };
    sr_buf_init(&r.secret, 64);
    int rc = db_begin_write(db, err);
    if (rc == SR_OK) {
        rc = row_load(db, v, user_id, &r, err);
    }
    if (rc == SR_OK && (!r.is_found || r.confirmed_at == 0)) {
        rc = sr_err_set(err, SR_EPERM, "code: wrong code");
    }
    int64_t left = -1;
    if (rc == SR_OK && is_digits) {
        int64_t step = step_matching(&r.secret, digits, sr_now(), r.last_step);
        struct db_stmt *s = db_stmt(db, &totp_sql[TO_STEP]);
        db_bind_i64(s, 1, user_id);
        db_bind_i64(s, 2, step);
        rc = step == 0 ? sr_err_set(err, SR_EPERM, "code: wrong code")
                       : db_exec_stmt(db, s, err);
        if (step == 0) {
            db_done(s);
        } else if (rc == SR_OK && db_changes(db) != 1) {
            rc = sr_err_set(err, SR_EPERM, "code: wrong code");
        }
    } else if (rc == SR_OK && is_recovery_ok) {
        rc = recovery_use(db, v, user_id, code, &left, err);
    } else if (rc == SR_OK) {
        rc = sr_err_set(err, SR_EPERM, "code: wrong code");
    }
    vault_buf_wipe(&r.secret);
    if (left < 0) {
        return db_finish(db, rc, err);
    }
    char idtxt[32], detail[32];
    id_text(user_id, idtxt);
    snprintf(detail, sizeof detail, "%lld left", (long long)left);
    struct audit_entry e = { user_id, "auth.totp_recovery_used", "user", idtxt,
                             detail };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc == SR_OK && used_recovery != NULL) {
        *used_recovery = 1;
    }
    return rc;
}

int
totp_delete(struct db *db, int64_t user_id, struct sr_err *err)
{
    assert(db_in_transaction(db));
    struct db_stmt *s = db_stmt(db, &totp_sql[TO_DELETE]);
    db_bind_i64(s, 1, user_id);
    int rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK && db_changes(db) != 1) {
        return sr_err_set(err, SR_ENOTFOUND, "second factor: none to remove");
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &totp_sql[TO_REC_CLEAR]);
        db_bind_i64(s, 1, user_id);
        rc = db_exec_stmt(db, s, err);
    }
    return rc;
}

/* ---- the token between the two steps ----------------------------------- */

#define PENDING_BODY_HEX 64  /* user id, issue time, random part */
#define PENDING_BIND_MAX 256 /* bytes of the bound cookie value */

static int
pending_mac(const struct vault *v, const char *body, const char *bind,
            char out[65])
{
    char msg[PENDING_BODY_HEX + 1 + PENDING_BIND_MAX];
    size_t bl = bind ? strlen(bind) : 0;
    if (bl == 0 || bl > PENDING_BIND_MAX) {
        return SR_ECRYPTO;
    }
    memcpy(msg, body, PENDING_BODY_HEX);
    msg[PENDING_BODY_HEX] = ':';
    memcpy(msg + PENDING_BODY_HEX + 1, bind, bl);
    unsigned char mac[32];
    if (vault_blind_index(v, "totppend", msg, PENDING_BODY_HEX + 1 + bl, mac,
                          NULL) != SR_OK) {
        return SR_ECRYPTO;
    }
    vault_hex(mac, sizeof mac, out);
    sodium_memzero(mac, sizeof mac);
    return SR_OK;
}

int
totp_pending_new(const struct vault *v, int64_t user_id, const char *bind,
                 int64_t now_s, char out[TOTP_PENDING_HEX + 1])
{
    assert(v != NULL && out != NULL && user_id > 0 && now_s >= 0);
    unsigned char raw[32];
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)((uint64_t)user_id >> (56 - 8 * i));
        raw[8 + i] = (unsigned char)((uint64_t)now_s >> (56 - 8 * i));
    }
    vault_random_token(raw + 16, 16);
    vault_hex(raw, sizeof raw, out);
    if (pending_mac(v, out, bind, out + PENDING_BODY_HEX) != SR_OK) {
        out[0] = '\0';
        return SR_ECRYPTO;
    }
    return SR_OK;
}

int64_t
totp_pending_check(const struct vault *v, const char *token, const char *bind,
                   int64_t now_s)
{
    assert(v != NULL);
    unsigned char raw[32];
    char mac[65];
    if (token == NULL || strlen(token) != TOTP_PENDING_HEX ||
        strspn(token, "0123456789abcdef") != TOTP_PENDING_HEX ||
        pending_mac(v, token, bind, mac) != SR_OK ||
        sodium_memcmp(mac, token + PENDING_BODY_HEX, 64) != 0) {
        return 0;
    }
    char body[PENDING_BODY_HEX + 1];
    memcpy(body, token, PENDING_BODY_HEX);
    body[PENDING_BODY_HEX] = '\0';
    if (vault_unhex(body, raw, sizeof raw) != 0) {
        return 0;
    }
    uint64_t id = 0, issued = 0;
    for (int i = 0; i < 8; i++) {
        id = id << 8 | raw[i];
        issued = issued << 8 | raw[8 + i];
    }
    /* a few seconds of leeway for a clock stepped back */
    if (issued > (uint64_t)now_s + 5 ||
        (int64_t)issued < now_s - TOTP_PENDING_TTL_S || id > INT64_MAX) {
        return 0;
    }
    return (int64_t)id;
}

int
totp_uri(const char *username, const char *secret_b32, struct sr_buf *out)
{
    assert(username != NULL && secret_b32 != NULL && out != NULL);
    /* usernames are [a-z0-9._-]: nothing in them needs escaping */
    return sr_buf_printf(out,
                         "otpauth://totp/" TOTP_ISSUER ":%s?secret=%s"
                         "&issuer=" TOTP_ISSUER "&algorithm=SHA1&digits=%d"
                         "&period=%d",
                         username, secret_b32, TOTP_DIGITS, TOTP_STEP_S);
}
