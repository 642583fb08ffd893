/*
 * auth.h - user accounts, sign-in with lockout, and sessions.
 *
 * Passwords are Argon2id hashes (vault). Session tokens are 128-bit random
 * values given to the browser; only their BLAKE2b hash is stored. Sessions
 * end after 30 minutes idle or 12 hours in all. Sign-in attempts are
 * limited by token buckets per client address and per account name.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_AUTH_H
#define SR_AUTH_H

#include <stdint.h>

#include "core/err.h"
#include "base/policy.h"
#include "base/store.h"

struct vault;

#define AUTH_MAX_FAILURES    6
#define AUTH_LOCK_SECONDS    (30 * 60)
#define SESSION_IDLE_SECONDS (30 * 60)
#define SESSION_MAX_SECONDS  (12 * 60 * 60)
#define SESSION_TOKEN_HEX    32 /* 16 random bytes */
#define SESSION_ID_HEX       16 /* a session's public id (session_list()) */

/* A listed user; strings borrowed until the callback returns. */
struct user_row {
    int64_t id, org_id, created_at, last_login_at, locked_until;
    const char *username, *org_code, *org_name, *role, *lang;
    int is_disabled;
};

/*
 * Add a user. username: 3-32 of [a-z0-9._-], starting with a letter;
 * role a policy role; org_code an existing organisation; password per
 * vault_password_check(). actor_id 0 = command line. Audited.
 * SR_EINVAL names the field; SR_ECONFLICT if the username is taken.
 */
int user_add(struct db *db, const struct vault *v, int64_t actor_id,
             const char *username, const char *org_code, const char *role,
             const char *password, int64_t *out_id, struct sr_err *err);

/* Disable (or with is_disabled 0, enable) a user; ends their sessions. */
int user_set_disabled(struct db *db, const struct vault *v, int64_t actor_id,
                      const char *username, int is_disabled,
                      struct sr_err *err);

/* Change a user's role; ends their sessions. */
int user_set_role(struct db *db, const struct vault *v, int64_t actor_id,
                  const char *username, const char *role, struct sr_err *err);

/* Set a new password (policy checked); clears lockout, ends sessions. */
int user_set_password(struct db *db, const struct vault *v, int64_t actor_id,
                      const char *username, const char *password,
                      struct sr_err *err);

/* Clear a user's lockout and failure count (sessions stay). Audited
 * (user.unlock). SR_ENOTFOUND for an unknown user. */
int user_unlock(struct db *db, const struct vault *v, int64_t actor_id,
                const char *username, struct sr_err *err);

/* Set the user's interface language (a valid code). Not audited. */
int user_set_lang(struct db *db, int64_t user_id, const char *lang,
                  struct sr_err *err);

/* Look one user up by id or username (one of them). SR_ENOTFOUND. */
int user_get(struct db *db, int64_t id, const char *username,
             int (*fn)(const struct user_row *u, void *ctx), void *ctx,
             struct sr_err *err);

/* Call fn for each user (org_id 0 = all organisations), by username. */
int user_list(struct db *db, int64_t org_id,
              int (*fn)(const struct user_row *u, void *ctx), void *ctx,
              struct sr_err *err);

/* Number of users (all organisations). */
int user_count(struct db *db, int64_t *out, struct sr_err *err);

/*
 * Sign in. On success writes a new session token (hex, NUL-terminated)
 * into token_out and the principal into *out. Failures: SR_EPERM "wrong
 * username or password" (also for an unknown name), SR_ELOCKED "account
 * locked" (whatever the password), SR_EPERM "account disabled" (only
 * after the right password). Every failure costs one password hash (an
 * unknown name is checked against a dummy hash) and one audited write
 * (auth.login_unknown, auth.login_locked, auth.login_failed or
 * auth.locked), so the paths take the same time; a wrong password for an
 * existing user counts toward the lockout (6 failures: locked 30
 * minutes, logged at warn as event=account_locked). Slow (Argon2id):
 * the server runs it off its request threads. Thread-safe with one db
 * per thread.
 */
int auth_login(struct db *db, const struct vault *v, const char *username,
               const char *password, char token_out[SESSION_TOKEN_HEX + 1],
               struct principal *out, struct sr_err *err);

/*
 * A sign-in whose password passed but whose account needs its second
 * factor (totp_need()) makes no session: auth_login() then returns SR_OK
 * with token_out "" and *out the user (csrf ""), and the caller asks for
 * the code (totp_login()).
 */

/*
 * Make a session for username after its second sign-in step passed, as
 * auth_login() does after a right password (purges expired sessions,
 * clears the failure count, audited auth.login). SR_OK, SR_ENOTFOUND,
 * SR_EPERM "account disabled", SR_EDB.
 */
int auth_session_open(struct db *db, const struct vault *v,
                      const char *username,
                      char token_out[SESSION_TOKEN_HEX + 1],
                      struct principal *out, struct sr_err *err);

/*
 * Count a wrong second-factor code for username toward the lockout like
 * a wrong password (audited auth.totp_failed, or auth.locked when it
 * locks); on an account already locked only audited (auth.login_locked).
 * Returns SR_ELOCKED when the account was locked, SR_ENOTFOUND, or SR_OK.
 */
int auth_second_factor_failed(struct db *db, const struct vault *v,
                              const char *username);

/* Delete every session of user_id (inside the caller's transaction). */
int auth_sessions_end_user(struct db *db, int64_t user_id, struct sr_err *err);

/* Limits on sign-in attempts (siren.conf); a per_minute of 0: no limit. */
struct auth_limits {
    int addr_burst;         /* attempts a client address may make at once */
    int addr_per_minute;    /* ... and then per minute */
    int account_burst;      /* attempts at one account name at once */
    int account_per_minute; /* ... and then per minute */
};

/* Token buckets for sign-in attempts; auth_throttle_free(). */
struct auth_throttle;

/* A throttle with lim's rates; it keeps at most 4096 buckets of each kind. */
struct auth_throttle *auth_throttle_new(const struct auth_limits *lim);

/* Free t; NULL is a no-op. */
void auth_throttle_free(struct auth_throttle *t);

/*
 * Take one attempt from the buckets of client address addr and account
 * name username (names need not exist; "" is a key like any other), at
 * sr_now_ms(). Returns 0 when the attempt may go on (one token taken from
 * each), else the whole seconds (>= 1) until it may, having taken
 * nothing. Thread-safe.
 */
int64_t auth_throttle_take(struct auth_throttle *t, const char *addr,
                           const char *username);

/*
 * The principal of a live session token. SR_ENOTFOUND for an unknown,
 * expired (idle or absolute) or disabled user's session (expired ones are
 * deleted). Touches seen_at at most once a minute.
 */
int session_load(struct db *db, const char *token, struct principal *out,
                 struct sr_err *err);

/*
 * The pre-sign-in CSRF token: what a visitor without a session sends back
 * with the sign-in form, in a cookie and in the form. It is signed, so an
 * attacker who can plant a cookie cannot invent a pair that passes: 112
 * hex characters, the issue time (unix seconds, 8 bytes big-endian) and
 * 16 random bytes, then a keyed BLAKE2b-256 of those 48 characters under
 * the vault's "csrfpre" subkey (vault_blind_index()), so it holds across
 * restarts and differs between workspaces.
 */
#define AUTH_PRE_TOKEN_HEX   112
#define AUTH_PRE_TOKEN_TTL_S (12 * 3600) /* a token is good this long */

/* Make a pre-sign-in token issued at now_s into out (NUL-terminated).
 * Returns SR_OK, or SR_ECRYPTO if the MAC cannot be made. */
int auth_pre_token_new(const struct vault *v, int64_t now_s,
                       char out[AUTH_PRE_TOKEN_HEX + 1]);

/* 1 when token is one auth_pre_token_new() made with v's keys, issued at
 * most max_age_s seconds before now_s (and not after it), else 0 (NULL,
 * a wrong length, non-hex, a bad MAC: compared in constant time). */
int auth_pre_token_check(const struct vault *v, const char *token,
                         int64_t now_s, int64_t max_age_s);

/* One open session as session_list() shows it: never its token or the
 * token's hash. Strings are borrowed for the callback's duration. */
struct session_row {
    char id[SESSION_ID_HEX + 1]; /* public id: a keyed hash of the token
                                    hash (vault "sessid"), 16 hex */
    int64_t user_id;
    int64_t created_at; /* unix seconds: sign-in */
    int64_t seen_at;    /* unix seconds: last request (a minute's grain) */
    const char *username, *role, *org_code, *org_name;
};

/*
 * Call fn for every live session (not idle past SESSION_IDLE_SECONDS nor
 * older than SESSION_MAX_SECONDS at sr_now_ms()), most recently seen
 * first, until fn returns nonzero. For administrators: the caller checks
 * the policy. Returns SR_OK, SR_EDB or SR_ECRYPTO.
 */
int session_list(struct db *db, const struct vault *v,
                 int (*fn)(const struct session_row *r, void *ctx), void *ctx,
                 struct sr_err *err);

/*
 * End the live session whose public id (session_row.id) is id, on behalf
 * of actor_id (0: command line): its user's next request goes to the
 * sign-in page. Audited as auth.session_end on the user. Returns SR_OK,
 * SR_ENOTFOUND (no such live session), SR_EDB or SR_ECRYPTO.
 */
int session_end_id(struct db *db, const struct vault *v, int64_t actor_id,
                   const char *id, struct sr_err *err);

/* End the session of token (sign out). Audited when it existed. */
int session_end(struct db *db, const struct vault *v, const char *token,
                struct sr_err *err);

#endif
