/*
 * signin.c - the second step of signing in: joins the authenticator
 * (totp.c) to the account's lockout and sessions (auth.c).
 *
 * Owns no table and no SQL. A wrong code costs the account what a wrong
 * password costs (auth_second_factor_failed()); a reset ends the user's
 * sessions in the transaction that removes the factor. Must not log
 * usernames, codes or secrets.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/signin.h"

#include <assert.h>
#include <stdio.h>

#include "base/audit.h"
#include "base/totp.h"
#include "core/clock.h"
#include "core/banned.h"

/* The account a code is typed for. */
struct who_row {
    int64_t id, locked_until;
    char username[64];
};

static int
keep_who(const struct user_row *u, void *ctx)
{
    struct who_row *w = ctx;
    *w = (struct who_row){ .id = u->id, .locked_until = u->locked_until };
    snprintf(w->username, sizeof w->username, "%s", u->username);
    return 1;
}

int
signin_check(struct db *db, const struct vault *v, int64_t user_id,
             const char *code, int is_recovery_ok, int *used_recovery,
             struct sr_err *err)
{
    assert(db != NULL && v != NULL);
    struct who_row w = { 0 };
    int rc = user_get(db, user_id, NULL, keep_who, &w, err);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND
                   ? sr_err_set(err, SR_EPERM, "code: wrong code")
                   : rc;
    }
    if (w.locked_until > sr_now()) {
        (void)auth_second_factor_failed(db, v, w.username);
        return sr_err_set(err, SR_ELOCKED, "account locked");
    }
    rc = totp_verify(db, v, user_id, code ? code : "", is_recovery_ok,
                     used_recovery, err);
    if (rc == SR_EPERM &&
        auth_second_factor_failed(db, v, w.username) == SR_ELOCKED) {
        return sr_err_set(err, SR_ELOCKED, "account locked");
    }
    return rc;
}

int
signin_login(struct db *db, const struct vault *v, int64_t user_id,
             const char *code, char token_out[SESSION_TOKEN_HEX + 1],
             struct principal *out, int *used_recovery, struct sr_err *err)
{
    int rc = signin_check(db, v, user_id, code, 1, used_recovery, err);
    struct who_row w = { 0 };
    if (rc == SR_OK) {
        rc = user_get(db, user_id, NULL, keep_who, &w, err);
    }
    if (rc != SR_OK) {
        return rc;
    }
    return auth_session_open(db, v, w.username, token_out, out, err);
}

int
signin_reset(struct db *db, const struct vault *v, int64_t actor_id,
             int64_t user_id, const char *act, struct sr_err *err)
{
    assert(db != NULL && v != NULL && act != NULL);
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = totp_delete(db, user_id, err);
    if (rc == SR_OK) {
        rc = auth_sessions_end_user(db, user_id, err);
    }
    char idtxt[32];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)user_id);
    struct audit_entry e = { actor_id, act, "user", idtxt, "" };
    return audit_finish(db, v, &e, rc, err);
}

int
signin_reset_user(struct db *db, const struct vault *v, int64_t actor_id,
                  const char *username, struct sr_err *err)
{
    struct who_row w = { 0 };
    int rc = user_get(db, 0, username ? username : "", keep_who, &w, err);
    if (rc != SR_OK) {
        return rc;
    }
    return signin_reset(db, v, actor_id, w.id, "user.totp_reset", err);
}
