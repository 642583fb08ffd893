/*
 * auth.c - user accounts, sign-in with lockout, sessions, and the
 * sign-in throttle (token buckets per client address and per account name).
 *
 * Owns tables user and session and their SQL. Slow password hashing runs
 * outside write transactions. Every account change and every sign-in,
 * failed sign-in and sign-out is audited; session touches are not. Every
 * failed sign-in costs one hash and one audited write, whatever the
 * reason (unknown name, wrong password, locked account), so neither the
 * answer nor its timing tells which names exist. Must not log usernames
 * or tokens.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/auth.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "base/org.h"
#include "base/totp.h"
#include "base/vault.h"
#include "core/banned.h"

enum auth_stmt {
    AU_USER_INSERT,
    AU_USER_BY_NAME,
    AU_USER_SET_DISABLED,
    AU_USER_SET_ROLE,
    AU_USER_SET_PW,
    AU_USER_SET_LANG,
    AU_USER_FAIL,
    AU_USER_OK,
    AU_USER_UNLOCK,
    AU_USER_LIST,
    AU_USER_GET,
    AU_USER_COUNT,
    AU_SESS_INSERT,
    AU_SESS_LOAD,
    AU_SESS_TOUCH,
    AU_SESS_DELETE,
    AU_SESS_DELETE_USER,
    AU_SESS_PURGE,
    AU_SESS_LIST,
    AU__COUNT
};

#define USER_COLS                                                    \
    "u.id, u.org_id, u.created_at, u.last_login_at, u.locked_until," \
    " u.username, o.code, o.name, u.role, u.lang, u.is_disabled"

static const char *const auth_sql[AU__COUNT] = {
    [AU_USER_INSERT] = "INSERT INTO \"user\"(username, org_id, role, pw_hash,"
                       "                 created_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
    [AU_USER_BY_NAME] = "SELECT id, org_id, role, pw_hash, is_disabled,"
                        "       failed_logins, locked_until, lang, username"
                        "  FROM \"user\""
                        " WHERE username = ?1",
    [AU_USER_SET_DISABLED] = "UPDATE \"user\""
                             "   SET is_disabled = ?2"
                             " WHERE id = ?1",
    [AU_USER_SET_ROLE] = "UPDATE \"user\""
                         "   SET role = ?2"
                         " WHERE id = ?1",
    [AU_USER_SET_PW] = "UPDATE \"user\""
                       "   SET pw_hash = ?2, failed_logins = 0,"
                       "       locked_until = 0"
                       " WHERE id = ?1",
    [AU_USER_SET_LANG] = "UPDATE \"user\""
                         "   SET lang = ?2"
                         " WHERE id = ?1",
    [AU_USER_FAIL] = "UPDATE \"user\""
                     "   SET failed_logins = ?2, locked_until = ?3"
                     " WHERE id = ?1",
    [AU_USER_OK] = "UPDATE \"user\""
                   "   SET failed_logins = 0, locked_until = 0,"
                   "       last_login_at = ?2"
                   " WHERE id = ?1",
    [AU_USER_UNLOCK] = "UPDATE \"user\""
                       "   SET failed_logins = 0, locked_until = 0"
                       " WHERE id = ?1",
    [AU_USER_LIST] = "SELECT " USER_COLS "  FROM \"user\" AS u"
                     "  JOIN org AS o ON o.id = u.org_id"
                     " WHERE ?1 = 0 OR u.org_id = ?1"
                     " ORDER BY u.username",
    [AU_USER_GET] = "SELECT " USER_COLS "  FROM \"user\" AS u"
                    "  JOIN org AS o ON o.id = u.org_id"
                    " WHERE u.id = ?1 OR u.username = ?2",
    [AU_USER_COUNT] = "SELECT count(*)"
                      "  FROM \"user\"",
    [AU_SESS_INSERT] = "INSERT INTO session(token_hash, user_id, csrf,"
                       "                    created_at, seen_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?4)",
    [AU_SESS_LOAD] = "SELECT s.user_id, s.csrf, s.created_at, s.seen_at,"
                     "       u.org_id, u.role, u.username, u.lang,"
                     "       u.is_disabled"
                     "  FROM session AS s"
                     "  JOIN \"user\" AS u ON u.id = s.user_id"
                     " WHERE s.token_hash = ?1",
    [AU_SESS_TOUCH] = "UPDATE session"
                      "   SET seen_at = ?2"
                      " WHERE token_hash = ?1",
    [AU_SESS_DELETE] = "DELETE FROM session"
                       " WHERE token_hash = ?1",
    [AU_SESS_DELETE_USER] = "DELETE FROM session"
                            " WHERE user_id = ?1",
    [AU_SESS_PURGE] = "DELETE FROM session"
                      " WHERE created_at < ?1 OR seen_at < ?2",
    [AU_SESS_LIST] = "SELECT s.token_hash, s.user_id, s.created_at,"
                     "       s.seen_at, u.username, u.role, o.code, o.name"
                     "  FROM session AS s"
                     "  JOIN \"user\" AS u ON u.id = s.user_id"
                     "  JOIN org AS o ON o.id = u.org_id"
                     " WHERE s.created_at >= ?1 AND s.seen_at >= ?2"
                     "   AND u.is_disabled = 0"
                     " ORDER BY s.seen_at DESC, s.created_at DESC",
};

/* The account row needed by sign-in and account changes. */
struct account {
    int64_t id, org_id, locked_until;
    int is_disabled, failed_logins;
    char role[32], lang[8], username[64];
    char pw_hash[crypto_pwhash_STRBYTES];
    char idtxt[24]; /* id in decimal, the record code of its audit rows */
};

static int
username_valid(const char *u)
{
    size_t n = u ? strlen(u) : 0;
    if (n < 3 || n > 32 || !(u[0] >= 'a' && u[0] <= 'z')) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* The row of AU_USER_BY_NAME into the struct account p. */
static int
read_account(struct db_stmt *s, void *p)
{
    struct account *a = p;
    memset(a, 0, sizeof *a);
    a->id = db_col_i64(s, 0);
    snprintf(a->idtxt, sizeof a->idtxt, "%lld", (long long)a->id);
    a->org_id = db_col_i64(s, 1);
    snprintf(a->role, sizeof a->role, "%s", db_col_text(s, 2));
    snprintf(a->pw_hash, sizeof a->pw_hash, "%s", db_col_text(s, 3));
    a->is_disabled = db_col_int(s, 4);
    a->failed_logins = db_col_int(s, 5);
    a->locked_until = db_col_i64(s, 6);
    snprintf(a->lang, sizeof a->lang, "%s", db_col_text(s, 7));
    snprintf(a->username, sizeof a->username, "%s", db_col_text(s, 8));
    return 0;
}

/* Load an account by username: SR_OK, SR_ENOTFOUND or SR_EDB. */
static int
account_load(struct db *db, const char *username, struct account *a,
             struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_BY_NAME]);
    db_bind_text(s, 1, username ? username : "");
    return db_one(db, s, read_account, a, "user: no such user",
                  "cannot read user", err);
}

/* What write_audited() runs: auth_sql[which] with parameters 1..n the
 * integers i, or with parameter 1 the blob when it is not NULL. */
struct audited {
    int which;
    int n;
    int64_t i[3];
    const unsigned char *blob;
    size_t blob_len;
};

/* Begin, run w's statement, audit, commit; roll back on any failure. The
 * statement is fetched inside the write (group commit runs it on the
 * group's connection). */
static int
write_audited(struct db *db, const struct vault *v, const struct audited *w,
              const struct audit_entry *e, struct sr_err *err)
{
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &auth_sql[w->which]);
    if (w->blob != NULL) {
        db_bind_blob(s, 1, w->blob, w->blob_len);
    }
    for (int k = 0; k < w->n; k++) {
        db_bind_i64(s, k + 1, w->i[k]);
    }
    return audit_finish(db, v, e, db_exec_stmt(db, s, err), err);
}

static int
end_user_sessions(struct db *db, int64_t user_id, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_SESS_DELETE_USER]);
    db_bind_i64(s, 1, user_id);
    return db_exec_stmt(db, s, err);
}

/* password, refused by vault_password_check() when weak, hashed into
 * hash (128 bytes). */
static int
checked_hash(const char *username, const char *password, char *hash,
             struct sr_err *err)
{
    size_t len = password ? strlen(password) : 0;
    int rc = vault_password_check(password ? password : "", len, username, err);
    return rc != SR_OK ? rc : vault_password_hash(password, len, hash, err);
}

int
user_add(struct db *db, const struct vault *v, int64_t actor_id,
         const char *username, const char *org_code, const char *role,
         const char *password, int64_t *out_id, struct sr_err *err)
{
    if (!username_valid(username)) {
        return sr_err_set(err, SR_EINVAL,
                          "username: 3 to 32 of a-z 0-9 . _ -, starting "
                          "with a letter");
    }
    if (role_parse(role) == ROLE_NONE) {
        return sr_err_set(err, SR_EINVAL, "role: unknown role '%s'",
                          role ? role : "");
    }
    int64_t org_id;
    int rc = org_id_by_code(db, org_code, &org_id, err);
    if (rc != SR_OK) {
        return rc;
    }
    char hash[128];
    if ((rc = checked_hash(username, password, hash, err)) != SR_OK) {
        return rc;
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_INSERT]);
    db_bind_text(s, 1, username);
    db_bind_i64(s, 2, org_id);
    db_bind_text(s, 3, role);
    db_bind_text(s, 4, hash);
    db_bind_i64(s, 5, sr_now());
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_ECONFLICT) {
        sr_err_set(err, SR_ECONFLICT, "username: already taken");
    }
    int64_t id = db_last_id(db);
    char idtxt[32];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
    struct audit_entry e = { actor_id, "user.add", "user", idtxt, role };
    if ((rc = audit_finish(db, v, &e, rc, err)) != SR_OK) {
        return rc;
    }
    if (out_id != NULL) {
        *out_id = id;
    }
    return SR_OK;
}

/* Shared body of the account changes that end the user's sessions. */
static int
account_change(struct db *db, const struct vault *v, int64_t actor_id,
               const char *username, enum auth_stmt which,
               const char *text_value, int64_t int_value, const char *act,
               const char *detail, struct sr_err *err)
{
    struct account a;
    int rc = db_begin_after(db, account_load(db, username, &a, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &auth_sql[which]);
    db_bind_i64(s, 1, a.id);
    if (text_value != NULL) {
        db_bind_text(s, 2, text_value);
    } else {
        db_bind_i64(s, 2, int_value);
    }
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        rc = end_user_sessions(db, a.id, err);
    }
    struct audit_entry e = { actor_id, act, "user", a.idtxt, detail };
    return audit_finish(db, v, &e, rc, err);
}

int
user_set_disabled(struct db *db, const struct vault *v, int64_t actor_id,
                  const char *username, int is_disabled, struct sr_err *err)
{
    return account_change(db, v, actor_id, username, AU_USER_SET_DISABLED, NULL,
                          is_disabled ? 1 : 0,
                          is_disabled ? "user.disable" : "user.enable", "",
                          err);
}

int
user_set_role(struct db *db, const struct vault *v, int64_t actor_id,
              const char *username, const char *role, struct sr_err *err)
{
    if (role_parse(role) == ROLE_NONE) {
        return sr_err_set(err, SR_EINVAL, "role: unknown role '%s'",
                          role ? role : "");
    }
    return account_change(db, v, actor_id, username, AU_USER_SET_ROLE, role, 0,
                          "user.role", role, err);
}

int
user_set_password(struct db *db, const struct vault *v, int64_t actor_id,
                  const char *username, const char *password,
                  struct sr_err *err)
{
    char hash[128];
    int rc = checked_hash(username, password, hash, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = account_change(db, v, actor_id, username, AU_USER_SET_PW, hash, 0,
                        "user.passwd", "", err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int
user_set_lang(struct db *db, int64_t user_id, const char *lang,
              struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_SET_LANG]);
    db_bind_i64(s, 1, user_id);
    db_bind_text(s, 2, lang);
    return db_exec_stmt(db, s, err);
}

static int
each_user(struct db *db, struct db_stmt *s,
          int (*fn)(const struct user_row *u, void *ctx), void *ctx,
          int64_t *n_out, struct sr_err *err)
{
    int rc;
    int64_t n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        struct user_row u = {
            .id = db_col_i64(s, 0),
            .org_id = db_col_i64(s, 1),
            .created_at = db_col_i64(s, 2),
            .last_login_at = db_col_i64(s, 3),
            .locked_until = db_col_i64(s, 4),
            .username = db_col_text(s, 5),
            .org_code = db_col_text(s, 6),
            .org_name = db_col_text(s, 7),
            .role = db_col_text(s, 8),
            .lang = db_col_text(s, 9),
            .is_disabled = db_col_int(s, 10),
        };
        n++;
        if (fn(&u, ctx) != 0) {
            break;
        }
    }
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot list users");
    }
    if (n_out != NULL) {
        *n_out = n;
    }
    return SR_OK;
}

int
user_get(struct db *db, int64_t id, const char *username,
         int (*fn)(const struct user_row *u, void *ctx), void *ctx,
         struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_GET]);
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, username ? username : "");
    int64_t n = 0;
    int rc = each_user(db, s, fn, ctx, &n, err);
    if (rc == SR_OK && n == 0) {
        return sr_err_set(err, SR_ENOTFOUND, "user: no such user");
    }
    return rc;
}

int
user_list(struct db *db, int64_t org_id,
          int (*fn)(const struct user_row *u, void *ctx), void *ctx,
          struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_LIST]);
    db_bind_i64(s, 1, org_id);
    return each_user(db, s, fn, ctx, NULL, err);
}

int
user_count(struct db *db, int64_t *out, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_USER_COUNT]);
    int rc = db_step(s);
    int64_t n = db_col_i64(s, 0);
    db_done(s);
    if (rc != DB_ROW) {
        return db_error(db, err, "cannot count users");
    }
    *out = n;
    return SR_OK;
}

int
user_unlock(struct db *db, const struct vault *v, int64_t actor_id,
            const char *username, struct sr_err *err)
{
    struct account a;
    int rc = account_load(db, username, &a, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct audited w = { AU_USER_UNLOCK, 1, { a.id }, NULL, 0 };
    struct audit_entry e = { actor_id, "user.unlock", "user", a.idtxt, "" };
    return write_audited(db, v, &w, &e, err);
}

/*
 * Record a failed sign-in in its own transaction: for an unknown name
 * (a == NULL) an audit row only; for a locked account an audit row only;
 * otherwise count it toward the lockout, locking at AUTH_MAX_FAILURES
 * (then a warn line tells the operator). Each path writes one audited
 * transaction, so their timing matches.
 */
static void
record_failure(struct db *db, const struct vault *v, const struct account *a,
               int is_locked, int64_t now, const char *fail_act)
{
    if (a == NULL || is_locked) {
        struct audit_entry e = { a ? a->id : 0,
                                 a ? "auth.login_locked" : "auth.login_unknown",
                                 "user", a ? a->idtxt : "", "" };
        /* the same statements as a counted failure, the update matching
         * no row (id 0): on a database server each is a round trip */
        struct audited w = { AU_USER_FAIL, 3, { 0, 0, 0 }, NULL, 0 };
        (void)write_audited(db, v, &w, &e, NULL);
        return;
    }
    int fails = a->failed_logins + 1;
    int64_t until = a->locked_until;
    const char *act = fail_act;
    if (fails >= AUTH_MAX_FAILURES) {
        until = now + AUTH_LOCK_SECONDS;
        fails = 0;
        act = "auth.locked";
    }
    struct audited w = { AU_USER_FAIL, 3, { a->id, fails, until }, NULL, 0 };
    struct audit_entry e = { a->id, act, "user", a->idtxt, "" };
    if (write_audited(db, v, &w, &e, NULL) == SR_OK && until > now &&
        a->locked_until <= now) {
        LOG(LOG_WARN,
            "event=account_locked user_id=%lld until=%lld failures=%d"
            " hint=\"siren user unlock\"",
            (long long)a->id, (long long)until, AUTH_MAX_FAILURES);
    }
}

/* The hash unknown names are verified against, made once. */
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[128]; /* written once, by make_dummy() */

static void
make_dummy(void)
{
    if (vault_password_hash("siren-timing-equaliser", 22, dummy_hash, NULL) !=
        SR_OK) {
        SR_BUG("cannot make the sign-in timing hash");
    }
}

static int session_open(struct db *db, const struct vault *v,
                        const struct account *acc,
                        char token_out[SESSION_TOKEN_HEX + 1],
                        struct principal *out, struct sr_err *err);

int
auth_login(struct db *db, const struct vault *v, const char *username,
           const char *password, char token_out[SESSION_TOKEN_HEX + 1],
           struct principal *out, struct sr_err *err)
{
    pthread_once(&dummy_once, make_dummy);
    struct account a;
    int64_t now = sr_now();
    size_t pw_len = password ? strlen(password) : 0;
    int rc = account_load(db, username, &a, NULL);
    if (rc != SR_OK && rc != SR_ENOTFOUND) {
        return sr_err_set(err, SR_EDB, "cannot sign in now");
    }
    int is_known = rc == SR_OK;
    /* one hash whatever the name: a real one, or the dummy's */
    int is_right = pw_len <= 1024 &&
                   vault_password_verify(is_known ? a.pw_hash : dummy_hash,
                                         password ? password : "", pw_len);
    if (!is_known) {
        record_failure(db, v, NULL, 0, now, NULL);
        return sr_err_set(err, SR_EPERM, "wrong username or password");
    }
    if (a.locked_until > now) {
        record_failure(db, v, &a, 1, now, NULL);
        return sr_err_set(err, SR_ELOCKED, "account locked");
    }
    if (!is_right) {
        record_failure(db, v, &a, 0, now, "auth.login_failed");
        return sr_err_set(err, SR_EPERM, "wrong username or password");
    }
    if (a.is_disabled) {
        return sr_err_set(err, SR_EPERM, "account disabled");
    }
    enum totp_need need;
    if (totp_need(db, a.id, role_parse(a.role), &need, err) != SR_OK) {
        return SR_EDB;
    }
    if (need != TOTP_NONE) {
        /* the password was right; the session waits for the second step */
        memset(out, 0, sizeof *out);
        out->user_id = a.id;
        out->org_id = a.org_id;
        out->role = role_parse(a.role);
        snprintf(out->username, sizeof out->username, "%s", a.username);
        snprintf(out->lang, sizeof out->lang, "%s", a.lang);
        token_out[0] = '\0';
        return SR_OK;
    }
    return session_open(db, v, &a, token_out, out, err);
}

int
auth_session_open(struct db *db, const struct vault *v, const char *username,
                  char token_out[SESSION_TOKEN_HEX + 1], struct principal *out,
                  struct sr_err *err)
{
    struct account a;
    int rc = account_load(db, username, &a, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (a.is_disabled) {
        return sr_err_set(err, SR_EPERM, "account disabled");
    }
    return session_open(db, v, &a, token_out, out, err);
}

int
auth_second_factor_failed(struct db *db, const struct vault *v,
                          const char *username)
{
    struct account a;
    if (account_load(db, username, &a, NULL) != SR_OK) {
        return SR_ENOTFOUND;
    }
    int64_t now = sr_now();
    int is_locked = a.locked_until > now;
    record_failure(db, v, &a, is_locked, now, "auth.totp_failed");
    return is_locked ? SR_ELOCKED : SR_OK;
}

int
auth_sessions_end_user(struct db *db, int64_t user_id, struct sr_err *err)
{
    return end_user_sessions(db, user_id, err);
}

/* Make a session for a, whose sign-in passed; audited auth.login. */
static int
session_open(struct db *db, const struct vault *v, const struct account *acc,
             char token_out[SESSION_TOKEN_HEX + 1], struct principal *out,
             struct sr_err *err)
{
    int64_t now = sr_now();
    int rc;
    unsigned char raw[SESSION_TOKEN_HEX / 2], th[32], csrf_raw[32];
    char token[SESSION_TOKEN_HEX + 1], csrf[65];
    vault_random_token(raw, sizeof raw);
    vault_hex(raw, sizeof raw, token);
    vault_token_hash(token, SESSION_TOKEN_HEX, th);
    vault_random_token(csrf_raw, sizeof csrf_raw);
    vault_hex(csrf_raw, sizeof csrf_raw, csrf);
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_SESS_PURGE]);
    db_bind_i64(s, 1, now - SESSION_MAX_SECONDS);
    db_bind_i64(s, 2, now - SESSION_IDLE_SECONDS);
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        s = db_stmt(db, &auth_sql[AU_SESS_INSERT]);
        db_bind_blob(s, 1, th, sizeof th);
        db_bind_i64(s, 2, acc->id);
        db_bind_text(s, 3, csrf);
        db_bind_i64(s, 4, now);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &auth_sql[AU_USER_OK]);
        db_bind_i64(s, 1, acc->id);
        db_bind_i64(s, 2, now);
        rc = db_exec_stmt(db, s, err);
    }
    struct audit_entry e = { acc->id, "auth.login", "user", acc->idtxt, "" };
    if ((rc = audit_finish(db, v, &e, rc, err)) != SR_OK) {
        return rc;
    }
    memset(out, 0, sizeof *out);
    out->user_id = acc->id;
    out->org_id = acc->org_id;
    out->role = role_parse(acc->role);
    snprintf(out->username, sizeof out->username, "%s", acc->username);
    snprintf(out->lang, sizeof out->lang, "%s", acc->lang);
    memcpy(out->csrf, csrf, sizeof csrf);
    memcpy(token_out, token, sizeof token);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(token, sizeof token);
    return SR_OK;
}

static int
token_shape_ok(const char *token)
{
    if (token == NULL || strlen(token) != SESSION_TOKEN_HEX) {
        return 0;
    }
    for (size_t i = 0; i < SESSION_TOKEN_HEX; i++) {
        char c = token[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

static void
delete_session(struct db *db, const unsigned char th[32])
{
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_SESS_DELETE]);
    db_bind_blob(s, 1, th, 32);
    (void)db_exec_stmt(db, s, NULL);
}

int
session_load(struct db *db, const char *token, struct principal *out,
             struct sr_err *err)
{
    if (!token_shape_ok(token)) {
        return sr_err_set(err, SR_ENOTFOUND, "no session");
    }
    unsigned char th[32];
    vault_token_hash(token, SESSION_TOKEN_HEX, th);
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_SESS_LOAD]);
    db_bind_blob(s, 1, th, sizeof th);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_done(s);
        return rc == DB_DONE ? sr_err_set(err, SR_ENOTFOUND, "no session")
                             : db_error(db, err, "cannot read session");
    }
    struct principal p;
    memset(&p, 0, sizeof p);
    p.user_id = db_col_i64(s, 0);
    snprintf(p.csrf, sizeof p.csrf, "%s", db_col_text(s, 1));
    int64_t created = db_col_i64(s, 2);
    int64_t seen = db_col_i64(s, 3);
    p.org_id = db_col_i64(s, 4);
    p.role = role_parse(db_col_text(s, 5));
    snprintf(p.username, sizeof p.username, "%s", db_col_text(s, 6));
    snprintf(p.lang, sizeof p.lang, "%s", db_col_text(s, 7));
    int is_disabled = db_col_int(s, 8);
    db_done(s);
    int64_t now = sr_now();
    if (is_disabled || p.role == ROLE_NONE ||
        now - created >= SESSION_MAX_SECONDS ||
        now - seen >= SESSION_IDLE_SECONDS) {
        delete_session(db, th);
        return sr_err_set(err, SR_ENOTFOUND, "session expired");
    }
    if (now - seen >= 60) {
        s = db_stmt(db, &auth_sql[AU_SESS_TOUCH]);
        db_bind_blob(s, 1, th, sizeof th);
        db_bind_i64(s, 2, now);
        (void)db_exec_stmt(db, s, NULL);
    }
    *out = p;
    return SR_OK;
}

/* ---- sessions seen by administrators ----------------------------------- */

/* The public id of a session: a keyed hash of its token hash, so that
 * neither can be learnt from it. */
static int
session_public_id(const struct vault *v, const void *th, size_t th_len,
                  char out[SESSION_ID_HEX + 1])
{
    char hex[65];
    unsigned char mac[32];
    if (th == NULL || th_len != 32) {
        return SR_ECRYPTO;
    }
    vault_hex(th, 32, hex);
    if (vault_blind_index(v, "sessid", hex, 64, mac, NULL) != SR_OK) {
        return SR_ECRYPTO;
    }
    vault_hex(mac, SESSION_ID_HEX / 2, out);
    return SR_OK;
}

/* Step through the live sessions; for each, fill r (and th, the token
 * hash) and call fn, until it returns nonzero. */
static int
each_session(struct db *db, const struct vault *v,
             int (*fn)(const struct session_row *r, const unsigned char *th,
                       void *ctx),
             void *ctx, struct sr_err *err)
{
    int64_t now = sr_now_ms() / 1000;
    struct db_stmt *s = db_stmt(db, &auth_sql[AU_SESS_LIST]);
    db_bind_i64(s, 1, now - SESSION_MAX_SECONDS);
    db_bind_i64(s, 2, now - SESSION_IDLE_SECONDS);
    int rc, bad = SR_OK;
    while ((rc = db_step(s)) == DB_ROW) {
        const void *th = db_col_blob(s, 0);
        size_t th_len = db_col_bytes(s, 0);
        struct session_row r = {
            .user_id = db_col_i64(s, 1),
            .created_at = db_col_i64(s, 2),
            .seen_at = db_col_i64(s, 3),
            .username = db_col_text(s, 4),
            .role = db_col_text(s, 5),
            .org_code = db_col_text(s, 6),
            .org_name = db_col_text(s, 7),
        };
        if (session_public_id(v, th, th_len, r.id) != SR_OK) {
            bad = SR_ECRYPTO;
            break;
        }
        if (fn(&r, th, ctx) != 0) {
            break;
        }
    }
    db_done(s);
    if (bad != SR_OK) {
        return sr_err_set(err, bad, "cannot make a session id");
    }
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot list sessions");
    }
    return SR_OK;
}

struct list_ctx {
    int (*fn)(const struct session_row *r, void *ctx);
    void *ctx;
};

static int
list_one(const struct session_row *r, const unsigned char *th, void *ctx)
{
    (void)th;
    struct list_ctx *c = ctx;
    return c->fn(r, c->ctx);
}

int
session_list(struct db *db, const struct vault *v,
             int (*fn)(const struct session_row *r, void *ctx), void *ctx,
             struct sr_err *err)
{
    assert(db != NULL && v != NULL && fn != NULL);
    struct list_ctx c = { fn, ctx };
    return each_session(db, v, list_one, &c, err);
}

struct find_ctx {
    const char *id;
    unsigned char th[32];
    int64_t user_id;
    int is_found;
};

static int
find_one(const struct session_row *r, const unsigned char *th, void *ctx)
{
    struct find_ctx *c = ctx;
    if (sodium_memcmp(r->id, c->id, SESSION_ID_HEX) != 0) {
        return 0;
    }
    memcpy(c->th, th, sizeof c->th);
    c->user_id = r->user_id;
    c->is_found = 1;
    return 1;
}

int
session_end_id(struct db *db, const struct vault *v, int64_t actor_id,
               const char *id, struct sr_err *err)
{
    assert(db != NULL && v != NULL);
    if (id == NULL || strlen(id) != SESSION_ID_HEX ||
        strspn(id, "0123456789abcdef") != SESSION_ID_HEX) {
        return sr_err_set(err, SR_ENOTFOUND, "no such session");
    }
    struct find_ctx c = { .id = id };
    int rc = each_session(db, v, find_one, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!c.is_found) {
        return sr_err_set(err, SR_ENOTFOUND, "no such session");
    }
    char idtxt[32];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)c.user_id);
    struct audited w = { AU_SESS_DELETE, 0, { 0 }, c.th, sizeof c.th };
    struct audit_entry e = { actor_id, "auth.session_end", "user", idtxt, "" };
    return write_audited(db, v, &w, &e, err);
}

/* ---- pre-sign-in CSRF tokens ------------------------------------------ */

#define PRE_BODY_HEX 48 /* issue time and random part, before the MAC */

/* The MAC of a token's first PRE_BODY_HEX characters, as hex. */
static int
pre_token_mac(const struct vault *v, const char *body, char out[65])
{
    unsigned char mac[32];
    if (vault_blind_index(v, "csrfpre", body, PRE_BODY_HEX, mac, NULL) !=
        SR_OK) {
        return SR_ECRYPTO;
    }
    vault_hex(mac, sizeof mac, out);
    sodium_memzero(mac, sizeof mac);
    return SR_OK;
}

int
auth_pre_token_new(const struct vault *v, int64_t now_s,
                   char out[AUTH_PRE_TOKEN_HEX + 1])
{
    assert(v != NULL && out != NULL && now_s >= 0);
    unsigned char raw[24];
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)((uint64_t)now_s >> (56 - 8 * i));
    }
    vault_random_token(raw + 8, 16);
    vault_hex(raw, sizeof raw, out);
    if (pre_token_mac(v, out, out + PRE_BODY_HEX) != SR_OK) {
        out[0] = '\0';
        return SR_ECRYPTO;
    }
    return SR_OK;
}

int
auth_pre_token_check(const struct vault *v, const char *token, int64_t now_s,
                     int64_t max_age_s)
{
    assert(v != NULL);
    if (token == NULL || strlen(token) != AUTH_PRE_TOKEN_HEX ||
        strspn(token, "0123456789abcdef") != AUTH_PRE_TOKEN_HEX) {
        return 0;
    }
    char mac[65];
    if (pre_token_mac(v, token, mac) != SR_OK ||
        sodium_memcmp(mac, token + PRE_BODY_HEX, 64) != 0) {
        return 0;
    }
    uint64_t issued = 0;
    for (int i = 0; i < 16; i++) {
        char c = token[i];
        issued = issued * 16 + (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    /* a minute of leeway for a clock stepped back */
    return issued <= (uint64_t)now_s + 60 &&
           (int64_t)issued >= now_s - max_age_s;
}

int
session_end(struct db *db, const struct vault *v, const char *token,
            struct sr_err *err)
{
    struct principal p;
    if (session_load(db, token, &p, NULL) != SR_OK) {
        return SR_OK; /* nothing to end */
    }
    unsigned char th[32];
    vault_token_hash(token, SESSION_TOKEN_HEX, th);
    char idtxt[32];
    snprintf(idtxt, sizeof idtxt, "%lld", (long long)p.user_id);
    struct audited w = { AU_SESS_DELETE, 0, { 0 }, th, sizeof th };
    struct audit_entry e = { p.user_id, "auth.logout", "user", idtxt, "" };
    return write_audited(db, v, &w, &e, err);
}

/* ---- sign-in throttle --------------------------------------------------- */

#define THROTTLE_SLOTS 4096 /* buckets per table; a power of two */
#define THROTTLE_PROBE 8    /* slots looked at for one key */
#define THROTTLE_KEY   48   /* key bytes kept (longer keys are cut) */

/*
 * One token bucket; an empty key marks a free slot. Amounts are kept in
 * units of 1/60000 token, so a rate of N per minute adds exactly N units
 * a millisecond and all the arithmetic is in whole numbers.
 */
#define TOKEN_UNITS 60000

struct bucket {
    char key[THROTTLE_KEY];
    int64_t units;   /* what the bucket held at last_ms, 0..burst units */
    int64_t last_ms; /* when units was last brought up to date */
};

/* One table of buckets sharing a rate and a burst. */
struct bucket_table {
    int64_t cap_units;    /* burst x TOKEN_UNITS; 0: no limit */
    int64_t per_ms;       /* units added per millisecond (= per minute) */
    struct bucket *slots; /* THROTTLE_SLOTS */
};

struct auth_throttle {
    pthread_mutex_t lock; /* guards both tables */
    struct bucket_table by_addr, by_account;
    uint64_t seed; /* varies the slot of a key between processes */
};

static void
table_init(struct bucket_table *t, int burst, int per_minute)
{
    t->cap_units =
        per_minute > 0 && burst > 0 ? (int64_t)burst * TOKEN_UNITS : 0;
    t->per_ms = per_minute;
    t->slots = sr_xcalloc(THROTTLE_SLOTS, sizeof *t->slots);
}

struct auth_throttle *
auth_throttle_new(const struct auth_limits *lim)
{
    assert(lim != NULL);
    struct auth_throttle *t = sr_xcalloc(1, sizeof *t);
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        SR_BUG("cannot make the throttle lock");
    }
    table_init(&t->by_addr, lim->addr_burst, lim->addr_per_minute);
    table_init(&t->by_account, lim->account_burst, lim->account_per_minute);
    randombytes_buf(&t->seed, sizeof t->seed);
    return t;
}

void
auth_throttle_free(struct auth_throttle *t)
{
    if (t == NULL) {
        return;
    }
    pthread_mutex_destroy(&t->lock);
    free(t->by_addr.slots);
    free(t->by_account.slots);
    free(t);
}

/* What b holds at now (not stored); a clock going back adds nothing. */
static int64_t
bucket_level(const struct bucket_table *t, const struct bucket *b, int64_t now)
{
    if (now <= b->last_ms) {
        return b->units;
    }
    int64_t room = t->cap_units - b->units;
    int64_t elapsed = now - b->last_ms;
    /* past the time to fill up, it is full (and no product overflows) */
    if (elapsed >= room / t->per_ms + 1) {
        return t->cap_units;
    }
    int64_t level = b->units + elapsed * t->per_ms;
    return level > t->cap_units ? t->cap_units : level;
}

/*
 * The bucket of key: its slot, or a new full one in a free slot or in
 * the fullest of the slots probed (a full bucket forgets nothing; under
 * a flood of distinct keys the fullest is the one least in use, and the
 * buckets doing the limiting, the emptiest, stay).
 */
static struct bucket *
bucket_find(const struct auth_throttle *th, const struct bucket_table *t,
            const char *key, int64_t now)
{
    char k[THROTTLE_KEY];
    snprintf(k, sizeof k, "%s", key[0] ? key : "-");
    uint64_t h = 1469598103934665603ull ^ th->seed;
    for (const char *p = k; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    }
    struct bucket *victim = NULL;
    int64_t victim_level = -1;
    for (int i = 0; i < THROTTLE_PROBE; i++) {
        struct bucket *b = &t->slots[(h + (uint64_t)i) & (THROTTLE_SLOTS - 1)];
        if (strcmp(b->key, k) == 0) {
            return b;
        }
        int64_t level = b->key[0] ? bucket_level(t, b, now) : t->cap_units + 1;
        if (level > victim_level) {
            victim = b;
            victim_level = level;
        }
    }
    memcpy(victim->key, k, sizeof k);
    victim->units = t->cap_units;
    victim->last_ms = now;
    return victim;
}

/* Milliseconds until key's bucket holds a token (0: it holds one now),
 * with the bucket brought up to date; *out the bucket, or NULL. */
static int64_t
bucket_wait(const struct auth_throttle *th, struct bucket_table *t,
            const char *key, int64_t now, struct bucket **out)
{
    *out = NULL;
    if (t->cap_units <= 0) {
        return 0;
    }
    struct bucket *b = bucket_find(th, t, key, now);
    b->units = bucket_level(t, b, now);
    b->last_ms = now > b->last_ms ? now : b->last_ms;
    *out = b;
    if (b->units >= TOKEN_UNITS) {
        return 0;
    }
    return (TOKEN_UNITS - b->units + t->per_ms - 1) / t->per_ms;
}

int64_t
auth_throttle_take(struct auth_throttle *t, const char *addr,
                   const char *username)
{
    assert(t != NULL);
    int64_t now = sr_now_ms();
    struct bucket *ba, *bu;
    pthread_mutex_lock(&t->lock);
    int64_t wait_a = bucket_wait(t, &t->by_addr, addr ? addr : "", now, &ba);
    int64_t wait_u =
        bucket_wait(t, &t->by_account, username ? username : "", now, &bu);
    int64_t wait_ms = wait_a > wait_u ? wait_a : wait_u;
    if (wait_ms == 0) {
        if (ba != NULL) {
            ba->units -= TOKEN_UNITS;
        }
        if (bu != NULL) {
            bu->units -= TOKEN_UNITS;
        }
    }
    pthread_mutex_unlock(&t->lock);
    return wait_ms == 0 ? 0 : (wait_ms + 999) / 1000;
}
