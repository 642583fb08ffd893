/*
 * totp.h - the second sign-in factor: time-based one-time codes (TOTP,
 * RFC 6238, through liboath), their enrolment, single-use recovery codes,
 * and the signed token that carries a sign-in from its password step to
 * its code step.
 *
 * Codes are the ones every common authenticator app makes: HMAC-SHA-1, 30
 * second steps from the Unix epoch, 6 digits, a 20-byte key. A code of
 * the step before or after the current one is accepted too (a phone's
 * clock a little off), and each step is accepted at most once per user:
 * once a step's code has signed in, that code and every earlier one are
 * refused (no replay). Required for administrators and coordinators
 * (totp_role_requires()), optional for the other roles; breaking the
 * glass asks every role for a fresh code. signin.h joins these to the
 * accounts' lockout and sessions.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_TOTP_H
#define SR_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/policy.h"
#include "base/store.h"
#include "core/buf.h"
#include "core/err.h"

struct vault;

#define TOTP_DIGITS         6
#define TOTP_STEP_S         30
#define TOTP_SECRET_BYTES   20 /* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_B32     32 /* base32 characters of the secret */
#define TOTP_RECOVERY_CODES 10 /* made at each enrolment */
#define TOTP_RECOVERY_CHARS 19 /* "xxxx-xxxx-xxxx-xxxx": 16 of 32 symbols */
#define TOTP_PENDING_HEX    128
#define TOTP_PENDING_TTL_S  300 /* the code step must follow within this */
#define TOTP_ISSUER         "SIREN"

/* What a sign-in needs after its password. */
enum totp_need {
    TOTP_NONE = 0, /* nothing: the session may be made */
    TOTP_CODE,     /* a code of the user's authenticator, or a recovery code */
    TOTP_ENROL     /* a required role without an authenticator: enrol now */
};

/* 1 when role r must have a second factor to sign in (admin, coordinator). */
int totp_role_requires(enum role r);

/*
 * The TOTP code of secret (len bytes) at unix time t_s into out (6
 * digits, NUL-terminated). SR_OK, or SR_ECRYPTO when liboath fails.
 * Thread-safe.
 */
int totp_code_at(const unsigned char *secret, size_t len, int64_t t_s,
                 char out[TOTP_DIGITS + 1]);

/*
 * What user_id, of role role, needs after a right password: TOTP_CODE
 * when an authenticator is confirmed, else TOTP_ENROL for a required
 * role, else TOTP_NONE. SR_OK or SR_EDB.
 */
int totp_need(struct db *db, int64_t user_id, enum role role,
              enum totp_need *out, struct sr_err *err);

/*
 * Start (or start again) the enrolment of user_id: a new random secret,
 * stored encrypted with the workspace's field encryption and not yet in
 * force, written as base32 into secret_b32 for the page that shows it.
 * Not audited (nothing is in force until totp_enrol_confirm()). SR_OK,
 * SR_ECONFLICT when the user already has a confirmed authenticator,
 * SR_EDB, SR_ECRYPTO.
 */
int totp_enrol_begin(struct db *db, const struct vault *v, int64_t user_id,
                     char secret_b32[TOTP_SECRET_B32 + 1], struct sr_err *err);

/*
 * Confirm user_id's started enrolment with a code of its new secret,
 * secret_b32 being the secret the page showed (spaces and case ignored):
 * when it is not the one started last (an enrolment started again in
 * another browser), SR_EPERM and nothing changes, so nobody confirms a
 * secret someone else has seen. Then the
 * authenticator is then in force, the code's step is used, and
 * TOTP_RECOVERY_CODES new recovery codes (any earlier ones are deleted)
 * are written into codes, to be shown once; only their keyed hashes are
 * kept. Audited auth.totp_enrol. SR_OK, SR_EPERM (wrong code: nothing
 * changes), SR_ENOTFOUND (no enrolment started), SR_EDB, SR_ECRYPTO.
 * codes is written only on success; the caller wipes it after use.
 */
int totp_enrol_confirm(struct db *db, const struct vault *v, int64_t user_id,
                       const char *secret_b32, const char *code,
                       char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1],
                       struct sr_err *err);

/*
 * Check code for user_id's confirmed authenticator: six digits (spaces
 * ignored) of the current step or one either side, not of a step already
 * used; or, when is_recovery_ok, one of the user's recovery codes
 * (dashes, spaces and case ignored), which is then deleted (audited
 * auth.totp_recovery_used with the number left). The step is marked used
 * in the same transaction as the check, so one code cannot pass twice,
 * even at once. *used_recovery (may be NULL) is set to 1 when a recovery
 * code passed. Counts nothing toward a lockout: signin_check() does.
 * SR_OK, SR_EPERM (wrong, used or no authenticator), SR_EDB, SR_ECRYPTO.
 */
int totp_verify(struct db *db, const struct vault *v, int64_t user_id,
                const char *code, int is_recovery_ok, int *used_recovery,
                struct sr_err *err);

/* Delete user_id's authenticator (started or confirmed) and recovery
 * codes, inside the caller's write transaction. SR_OK, SR_ENOTFOUND (none),
 * SR_EDB. */
int totp_delete(struct db *db, int64_t user_id, struct sr_err *err);

/*
 * The token that carries a sign-in from its password step to its code
 * step: user id and issue time (8 bytes each, big-endian), 16 random
 * bytes, as 64 hex, then a keyed BLAKE2b-256 (vault "totppend") of those
 * and of bind, the browser's signed pre-sign-in token, so the token is
 * good only with the cookie of the browser that typed the password, and
 * only for TOTP_PENDING_TTL_S. It proves a right password: it never
 * leaves the page's form (no URL, no log). Returns SR_OK or SR_ECRYPTO.
 */
int totp_pending_new(const struct vault *v, int64_t user_id, const char *bind,
                     int64_t now_s, char out[TOTP_PENDING_HEX + 1]);

/* The user id of a token totp_pending_new() made with v and bind at most
 * TOTP_PENDING_TTL_S before now_s, else 0 (compared in constant time). */
int64_t totp_pending_check(const struct vault *v, const char *token,
                           const char *bind, int64_t now_s);

/*
 * The otpauth:// URI an authenticator app reads from the QR code into
 * out: label "SIREN:username" and issuer SIREN only (no name, organisation
 * or other identity), the secret, SHA1, 6 digits, 30 s. SR_OK or
 * SR_ETOOBIG.
 */
int totp_uri(const char *username, const char *secret_b32, struct sr_buf *out);

#endif
