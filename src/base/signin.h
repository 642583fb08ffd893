/*
 * signin.h - the second step of signing in: the authenticator's code
 * (totp.c) joined to the account's lockout and sessions (auth.c). A
 * wrong code counts toward the same lockout as a wrong password, and a
 * reset of the second factor ends the user's sessions.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_SIGNIN_H
#define SR_SIGNIN_H

#include <stdint.h>

#include "base/auth.h"
#include "base/store.h"
#include "core/err.h"

struct vault;

/*
 * Check code for user_id's confirmed authenticator as totp_verify() does
 * (recovery codes when is_recovery_ok). A wrong code is counted toward
 * the account's lockout like a wrong password (audited auth.totp_failed,
 * auth.locked at the limit); a locked account is refused unchecked.
 * SR_OK, SR_EPERM (wrong, used, or no authenticator), SR_ELOCKED, SR_EDB,
 * SR_ECRYPTO. *used_recovery (may be NULL) as totp_verify().
 */
int signin_check(struct db *db, const struct vault *v, int64_t user_id,
                 const char *code, int is_recovery_ok, int *used_recovery,
                 struct sr_err *err);

/*
 * The second step of a sign-in whose password step passed for user_id:
 * signin_check() (recovery codes allowed), then the session as
 * auth_session_open() makes it. SR_OK (token_out and *out written),
 * SR_EPERM (wrong code, or the account was disabled meanwhile),
 * SR_ELOCKED, SR_EDB, SR_ECRYPTO.
 */
int signin_login(struct db *db, const struct vault *v, int64_t user_id,
                 const char *code, char token_out[SESSION_TOKEN_HEX + 1],
                 struct principal *out, int *used_recovery, struct sr_err *err);

/*
 * Remove user_id's authenticator and recovery codes and end the user's
 * sessions in one transaction, on behalf of actor_id (0: command line),
 * audited as act (user.totp_reset by an administrator, auth.totp_disable
 * by the user). A required role enrols again at its next sign-in. SR_OK,
 * SR_ENOTFOUND (no authenticator, started or confirmed), SR_EDB.
 */
int signin_reset(struct db *db, const struct vault *v, int64_t actor_id,
                 int64_t user_id, const char *act, struct sr_err *err);

/* signin_reset() as user.totp_reset of the user named username.
 * SR_ENOTFOUND for an unknown user or one without a second factor. */
int signin_reset_user(struct db *db, const struct vault *v, int64_t actor_id,
                      const char *username, struct sr_err *err);

#endif
