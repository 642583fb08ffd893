/*
 * test_totp.c - the second sign-in factor: RFC 6238 Appendix B codes,
 * enrolment, the drift window, replay, recovery codes used once, wrong
 * codes toward the lockout, reset, the token between the two steps, and
 * the stored secret never in plain text. Expected codes are the RFC's
 * literals, or computed by liboath directly (totpfix.h) from the secret
 * the enrolment shows.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"
#include "base/auth.h"
#include "base/org.h"
#include "base/signin.h"
#include "base/totp.h"
#include "core/clock.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "totpfix.h"
#include "core/banned.h"

/* the test clock: a step boundary (60000000 steps of 30 s) */
static int64_t now_ms = 1800000000000LL;

static int64_t
test_clock(void)
{
    return now_ms;
}

static const char *const PW = "violet-harbour-kettle-47";
static const char *const count_sql = "SELECT count(*) FROM audit"
                                     " WHERE action = ?1";

/* Audit rows of action. */
static int
n_audit(struct db *db, const char *action)
{
    struct db_stmt *s = db_stmt(db, &count_sql);
    db_bind_text(s, 1, action);
    int n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_done(s);
    return n;
}

/* RFC 6238 Appendix B, SHA-1, key "12345678901234567890": the last six of
 * the eight digits given there. */
static void
test_rfc_vectors(void)
{
    static const struct {
        int64_t t;
        const char *code;
    } vec[] = {
        { 59, "287082" },         { 1111111109, "081804" },
        { 1111111111, "050471" }, { 1234567890, "005924" },
        { 2000000000, "279037" }, { 20000000000LL, "353130" },
    };
    const unsigned char *key = (const unsigned char *)"12345678901234567890";
    int n_bad = 0;
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        char got[TOTP_DIGITS + 1];
        TALLY(n_bad, totp_code_at(key, 20, vec[i].t, got) == SR_OK &&
                         strcmp(got, vec[i].code) == 0);
    }
    CHECK(n_bad == 0);
    CHECK(totp_role_requires(ROLE_ADMIN) &&
          totp_role_requires(ROLE_COORDINATOR));
    CHECK(!totp_role_requires(ROLE_HOTLINE) &&
          !totp_role_requires(ROLE_CASEWORKER));
}

/* The code of b32 at the test clock plus offset_s. */
static const char *
code_at(const char *b32, int64_t offset_s)
{
    static char out[7];
    REQUIRE(totpfix_code(b32, now_ms / 1000 + offset_s, out) == 0);
    return out;
}

static void
test_flow(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org[32];
    int64_t org_id, admin_id, hot_id;
    REQUIRE(org_add(db, v, 0, "Org", "hotline", "TH", org, &org_id, &err) ==
            SR_OK);
    REQUIRE(user_add(db, v, 0, "a.admin", org, "admin", PW, &admin_id, &err) ==
            SR_OK);
    REQUIRE(user_add(db, v, 0, "h.user", org, "hotline", PW, &hot_id, &err) ==
            SR_OK);

    /* a required role without a factor: right password, no session */
    char tok[SESSION_TOKEN_HEX + 1];
    struct principal p;
    CHECK(auth_login(db, v, "a.admin", PW, tok, &p, &err) == SR_OK);
    CHECK(tok[0] == '\0' && p.user_id == admin_id && p.csrf[0] == '\0');
    enum totp_need need;
    CHECK(totp_need(db, admin_id, ROLE_ADMIN, &need, &err) == SR_OK &&
          need == TOTP_ENROL);
    /* an optional role without one signs in at once */
    CHECK(auth_login(db, v, "h.user", PW, tok, &p, &err) == SR_OK &&
          strlen(tok) == SESSION_TOKEN_HEX);
    CHECK(totp_need(db, hot_id, ROLE_HOTLINE, &need, &err) == SR_OK &&
          need == TOTP_NONE);

    /* enrolment: the secret is stored encrypted, never as it is */
    char b32[TOTP_SECRET_B32 + 1], b32_again[TOTP_SECRET_B32 + 1];
    CHECK(totp_enrol_begin(db, v, admin_id, b32_again, &err) == SR_OK);
    CHECK(totp_enrol_begin(db, v, admin_id, b32, &err) == SR_OK);
    CHECK(strlen(b32) == TOTP_SECRET_B32 && strcmp(b32, b32_again) != 0);
    char *key = NULL;
    size_t key_len = 0;
    REQUIRE(oath_base32_decode(b32, strlen(b32), &key, &key_len) == OATH_OK);
    CHECK(key_len == TOTP_SECRET_BYTES);
    int n_plain = 0;
    static const char *const dump_sql = "SELECT secret FROM user_totp";
    struct db_stmt *s = db_stmt(db, &dump_sql);
    while (db_step(s) == DB_ROW) {
        const unsigned char *blob = db_col_blob(s, 0);
        size_t n = db_col_bytes(s, 0);
        for (size_t i = 0; i + key_len <= n; i++) {
            n_plain += memcmp(blob + i, key, key_len) == 0;
        }
        n_plain += n != key_len + VAULT_BLOB_HEADER + VAULT_BLOB_TAG;
    }
    db_done(s);
    CHECK(n_plain == 0);
    free(key);
    /* the URI names the account by its username only */
    struct sr_buf uri;
    sr_buf_init(&uri, 1024);
    CHECK(totp_uri("a.admin", b32, &uri) == SR_OK);
    CHECK(strncmp(uri.data, "otpauth://totp/SIREN:a.admin?secret=", 36) == 0);
    CHECK(strstr(uri.data, "&issuer=SIREN&algorithm=SHA1&digits=6&period=30") !=
          NULL);
    CHECK(strstr(uri.data, "Org") == NULL);
    sr_buf_release(&uri);

    /* a wrong code confirms nothing, an old secret's code neither */
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    char wrong[7];
    memcpy(wrong, code_at(b32, 0), sizeof wrong);
    wrong[5] = wrong[5] == '9' ? '0' : (char)(wrong[5] + 1);
    CHECK(totp_enrol_confirm(db, v, admin_id, b32, wrong, codes, &err) ==
          SR_EPERM);
    CHECK(totp_enrol_confirm(db, v, admin_id, b32_again, code_at(b32_again, 0),
                             codes, &err) == SR_EPERM);
    CHECK(totp_enrol_confirm(db, v, admin_id, b32_again, code_at(b32, 0), codes,
                             &err) == SR_EPERM);
    CHECK(totp_need(db, admin_id, ROLE_ADMIN, &need, &err) == SR_OK &&
          need == TOTP_ENROL);
    /* the step before now confirms (drift), and is then used */
    char spaced[TOTP_SECRET_B32 * 2];
    for (int i = 0, o = 0; i <= TOTP_SECRET_B32; i++) {
        if (i > 0 && i % 4 == 0 && i < TOTP_SECRET_B32) {
            spaced[o++] = ' ';
        }
        char c = b32[i];
        spaced[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    CHECK(totp_enrol_confirm(db, v, admin_id, spaced, code_at(b32, -30), codes,
                             &err) == SR_OK);
    CHECK(n_audit(db, "auth.totp_enrol") == 1);
    CHECK(strlen(codes[0]) == TOTP_RECOVERY_CHARS && codes[0][4] == '-' &&
          strcmp(codes[0], codes[1]) != 0);
    CHECK(totp_need(db, admin_id, ROLE_ADMIN, &need, &err) == SR_OK &&
          need == TOTP_CODE);
    CHECK(totp_enrol_begin(db, v, admin_id, b32_again, &err) == SR_ECONFLICT);

    /* sign-in: a used step is refused (replay), as is a code two steps
     * off; the current one passes once */
    int used = -1;
    CHECK(signin_login(db, v, admin_id, code_at(b32, -30), tok, &p, &used,
                       &err) == SR_EPERM);
    CHECK(signin_login(db, v, admin_id, code_at(b32, 60), tok, &p, &used,
                       &err) == SR_EPERM);
    CHECK(signin_login(db, v, admin_id, code_at(b32, -60), tok, &p, &used,
                       &err) == SR_EPERM);
    CHECK(n_audit(db, "auth.totp_failed") == 3);
    CHECK(signin_login(db, v, admin_id, code_at(b32, 0), tok, &p, &used,
                       &err) == SR_OK);
    CHECK(strlen(tok) == SESSION_TOKEN_HEX && p.user_id == admin_id &&
          used == 0 && strlen(p.csrf) == 64);
    struct principal sp;
    CHECK(session_load(db, tok, &sp, &err) == SR_OK && sp.user_id == admin_id);
    CHECK(signin_login(db, v, admin_id, code_at(b32, 0), tok, &p, &used,
                       &err) == SR_EPERM);
    /* the next step (drift forward) passes; then the current is older */
    CHECK(signin_login(db, v, admin_id, code_at(b32, 30), tok, &p, &used,
                       &err) == SR_OK);
    CHECK(signin_check(db, v, admin_id, code_at(b32, 0), 0, NULL, &err) ==
          SR_EPERM);
    now_ms += 60000;
    CHECK(signin_check(db, v, admin_id, code_at(b32, 0), 0, NULL, &err) ==
          SR_OK);

    /* a recovery code works once, in any case and with its dashes */
    char upper[TOTP_RECOVERY_CHARS + 1];
    for (int i = 0; i <= TOTP_RECOVERY_CHARS; i++) {
        char c = codes[2][i];
        upper[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    CHECK(signin_check(db, v, admin_id, codes[2], 0, &used, &err) == SR_EPERM);
    CHECK(signin_login(db, v, admin_id, upper, tok, &p, &used, &err) == SR_OK &&
          used == 1);
    CHECK(n_audit(db, "auth.totp_recovery_used") == 1);
    CHECK(signin_login(db, v, admin_id, codes[2], tok, &p, &used, &err) ==
          SR_EPERM);
    /* the password step cleared nothing: wrong codes add to the count */
    CHECK(auth_login(db, v, "a.admin", PW, tok, &p, &err) == SR_OK &&
          tok[0] == '\0');

    /* six wrong codes lock the account like six wrong passwords; then even
     * a right code is refused */
    int n_bad = 0;
    for (int i = 0; i < AUTH_MAX_FAILURES; i++) {
        TALLY(n_bad, signin_login(db, v, admin_id, "000000", tok, &p, &used,
                                  &err) != SR_OK);
    }
    CHECK(n_bad == 0);
    CHECK(n_audit(db, "auth.locked") == 1);
    now_ms += 30000;
    CHECK(signin_login(db, v, admin_id, code_at(b32, 0), tok, &p, &used,
                       &err) == SR_ELOCKED);
    CHECK(user_unlock(db, v, 0, "a.admin", &err) == SR_OK);
    CHECK(signin_login(db, v, admin_id, code_at(b32, 0), tok, &p, &used,
                       &err) == SR_OK);

    /* reset: the factor and the sessions go; enrol again */
    CHECK(signin_reset(db, v, 0, admin_id, "user.totp_reset", &err) == SR_OK);
    CHECK(session_load(db, tok, &sp, &err) == SR_ENOTFOUND);
    CHECK(n_audit(db, "user.totp_reset") == 1);
    CHECK(totp_need(db, admin_id, ROLE_ADMIN, &need, &err) == SR_OK &&
          need == TOTP_ENROL);
    CHECK(signin_reset(db, v, 0, admin_id, "user.totp_reset", &err) ==
          SR_ENOTFOUND);
    CHECK(signin_check(db, v, admin_id, codes[3], 1, &used, &err) == SR_EPERM);

    /* no secret, code or recovery code reached the audit */
    int n_leak = 0;
    static const char *const audit_sql = "SELECT coalesce(detail, '')"
                                         "  FROM audit";
    s = db_stmt(db, &audit_sql);
    while (db_step(s) == DB_ROW) {
        const char *d = db_col_text(s, 0);
        n_leak += strstr(d, b32) != NULL || strstr(d, codes[0]) != NULL;
    }
    db_done(s);
    CHECK(n_leak == 0);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
}

static void
test_pending(void)
{
    struct vault *v = fixture_vault(), *other = fixture_vault();
    char pre[AUTH_PRE_TOKEN_HEX + 1], pre2[AUTH_PRE_TOKEN_HEX + 1];
    char tok[TOTP_PENDING_HEX + 1], forged[TOTP_PENDING_HEX + 1];
    int64_t now = now_ms / 1000;
    REQUIRE(auth_pre_token_new(v, now, pre) == SR_OK);
    REQUIRE(auth_pre_token_new(v, now, pre2) == SR_OK);
    CHECK(totp_pending_new(v, 42, pre, now, tok) == SR_OK);
    CHECK(strlen(tok) == TOTP_PENDING_HEX);
    CHECK(totp_pending_check(v, tok, pre, now) == 42);
    CHECK(totp_pending_check(v, tok, pre, now + TOTP_PENDING_TTL_S) == 42);
    CHECK(totp_pending_check(v, tok, pre, now + TOTP_PENDING_TTL_S + 1) == 0);
    CHECK(totp_pending_check(v, tok, pre, now - 60) == 0);
    /* another browser's cookie, another workspace, a changed character */
    CHECK(totp_pending_check(v, tok, pre2, now) == 0);
    CHECK(totp_pending_check(other, tok, pre, now) == 0);
    CHECK(totp_pending_check(v, tok, "", now) == 0);
    memcpy(forged, tok, sizeof forged);
    forged[15] = forged[15] == '1' ? '2' : '1'; /* another user id */
    CHECK(totp_pending_check(v, forged, pre, now) == 0);
    memcpy(forged, tok, sizeof forged);
    forged[TOTP_PENDING_HEX - 1] =
        forged[TOTP_PENDING_HEX - 1] == '0' ? '1' : '0';
    CHECK(totp_pending_check(v, forged, pre, now) == 0);
    CHECK(totp_pending_check(v, NULL, pre, now) == 0);
    CHECK(totp_pending_check(v, "00", pre, now) == 0);
    vault_free(v);
    vault_free(other);
}

int
main(void)
{
    sr_clock_set(test_clock);
    test_rfc_vectors();
    test_flow();
    test_pending();
    return TEST_DONE("test_totp");
}
