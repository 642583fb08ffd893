/*
 * test_auth.c - user accounts, sign-in and lockout, sessions and their
 * idle and absolute limits under a test clock, organisations.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"
#include "base/auth.h"
#include "core/clock.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "base/org.h"
#include "core/banned.h"

static int64_t now_ms = 1800000000000LL;

static int64_t
test_clock(void)
{
    return now_ms;
}

static const char *const PW = "violet-harbour-kettle-47";

static int
counter(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
n_audit(struct db *db, const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    int n = 0;
    struct sr_err err = { 0 };
    audit_list(db, &f, counter, &n, &err);
    return n;
}

static int
login(struct db *db, struct vault *v, const char *user, const char *pw,
      char token[SESSION_TOKEN_HEX + 1], struct principal *p)
{
    struct sr_err err = { 0 };
    int rc = auth_login(db, v, user, pw, token, p, &err);
    sr_err_release(&err);
    return rc;
}

int
main(void)
{
    sr_clock_set(test_clock);
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char code[32], code2[32];
    int64_t org_id, org2, uid;

    /* organisations: validation */
    CHECK(org_add(db, v, 0, "", "ngo", "TH", code, &org_id, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "name") != NULL);
    CHECK(org_add(db, v, 0, "X", "castle", "TH", code, &org_id, &err) ==
          SR_EINVAL);
    CHECK(org_add(db, v, 0, "X", "ngo", "th", code, &org_id, &err) ==
          SR_EINVAL);
    CHECK(org_add(db, v, 0, "Org \xff", "ngo", "TH", code, &org_id, &err) ==
          SR_EINVAL);
    CHECK(org_add(db, v, 0, "Home Org", "hotline", "TH", code, &org_id, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "Other Org", "ngo", "", code2, &org2, &err) ==
          SR_OK);
    CHECK(strlen(code) == 11 && code[0] == 'O' && code[1] == '-');
    int64_t found;
    CHECK(org_id_by_code(db, code, &found, &err) == SR_OK && found == org_id);
    CHECK(org_id_by_code(db, "O-NONE-XXXX", &found, &err) == SR_ENOTFOUND);

    /* users: every field is checked and nothing is written on error */
    CHECK(user_add(db, v, 0, "Bad Name", code, "hotline", PW, &uid, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "username") != NULL);
    CHECK(user_add(db, v, 0, "ab", code, "hotline", PW, &uid, &err) ==
          SR_EINVAL);
    CHECK(user_add(db, v, 0, "anna", code, "king", PW, &uid, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "role") != NULL);
    CHECK(user_add(db, v, 0, "anna", "O-NONE-XXXX", "hotline", PW, &uid,
                   &err) == SR_ENOTFOUND);
    CHECK(user_add(db, v, 0, "anna", code, "hotline", "short", &uid, &err) ==
          SR_EINVAL);
    CHECK(user_add(db, v, 0, "anna", code, "hotline", "1q2w3e4r5t6y", &uid,
                   &err) == SR_EINVAL);
    int64_t n_users = -1;
    CHECK(user_count(db, &n_users, &err) == SR_OK && n_users == 0);
    CHECK(user_add(db, v, 0, "anna", code, "hotline", PW, &uid, &err) == SR_OK);
    CHECK(user_add(db, v, 0, "anna", code2, "analyst", PW, &uid, &err) ==
          SR_ECONFLICT);
    CHECK(user_count(db, &n_users, &err) == SR_OK && n_users == 1);
    CHECK(n_audit(db, "user.add") == 1);

    /* sign-in */
    char tok[SESSION_TOKEN_HEX + 1], tok2[SESSION_TOKEN_HEX + 1];
    struct principal p, q;
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK);
    CHECK(strlen(tok) == SESSION_TOKEN_HEX);
    CHECK(p.role == ROLE_HOTLINE && p.org_id == org_id);
    CHECK(strlen(p.csrf) == 64);
    CHECK(login(db, v, "anna", PW, tok2, &q) == SR_OK);
    CHECK(strcmp(tok, tok2) != 0); /* a new token at every sign-in */
    CHECK(strcmp(p.csrf, q.csrf) != 0);
    CHECK(login(db, v, "nobody", PW, tok2, &q) == SR_EPERM);
    CHECK(session_load(db, tok, &q, &err) == SR_OK && q.user_id == p.user_id);
    CHECK(strcmp(q.csrf, p.csrf) == 0);
    CHECK(session_load(db, "zz", &q, &err) == SR_ENOTFOUND);
    CHECK(session_load(db, "0123456789abcdef0123456789abcdef", &q, &err) ==
          SR_ENOTFOUND);

    /* idle limit: 29 minutes fine (and refreshes), 30 idle minutes end it */
    now_ms += 29 * 60 * 1000LL;
    CHECK(session_load(db, tok, &q, &err) == SR_OK);
    now_ms += 29 * 60 * 1000LL;
    CHECK(session_load(db, tok, &q, &err) == SR_OK);
    now_ms += 30 * 60 * 1000LL;
    CHECK(session_load(db, tok, &q, &err) == SR_ENOTFOUND);
    CHECK(session_load(db, tok2, &q, &err) == SR_ENOTFOUND);

    /* absolute limit: 12 hours even when active */
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK);
    int loop_bad1 = 0;
    for (int i = 0; i < 24; i++) {
        now_ms += 25 * 60 * 1000LL;
        int rc = session_load(db, tok, &q, &err);
        if (i < 23) {
            TALLY(loop_bad1, rc == SR_OK);
        } else {
            TALLY(loop_bad1, rc == SR_ENOTFOUND); /* 24 x 25 min = 10 h ... */
        }
        if (i == 22) {
            now_ms += 2 * 3600 * 1000LL - 25 * 60 * 1000LL; /* pass 12 h */
        }
    }
    CHECK(loop_bad1 == 0);

    /* sign-out ends the session and is audited */
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK);
    CHECK(session_end(db, v, tok, &err) == SR_OK);
    CHECK(session_load(db, tok, &q, &err) == SR_ENOTFOUND);
    CHECK(n_audit(db, "auth.logout") == 1);

    /* lockout: 6 failures lock for 30 minutes, even the right password */
    int loop_bad2 = 0;
    for (int i = 0; i < 5; i++) {
        TALLY(loop_bad2,
              login(db, v, "anna", "wrong-password-xx", tok, &p) == SR_EPERM);
    }
    CHECK(loop_bad2 == 0);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK); /* resets count */
    int loop_bad3 = 0;
    for (int i = 0; i < 6; i++) {
        TALLY(loop_bad3,
              login(db, v, "anna", "wrong-password-xx", tok, &p) == SR_EPERM);
    }
    CHECK(loop_bad3 == 0);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_ELOCKED);
    CHECK(n_audit(db, "auth.locked") == 1);
    CHECK(n_audit(db, "auth.login_failed") == 10);
    now_ms += 29 * 60 * 1000LL;
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_ELOCKED);
    now_ms += 61 * 1000LL;
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK);

    /* disabling ends sessions and refuses sign-in */
    CHECK(user_set_disabled(db, v, 0, "anna", 1, &err) == SR_OK);
    CHECK(session_load(db, tok, &q, &err) == SR_ENOTFOUND);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_EPERM);
    CHECK(user_set_disabled(db, v, 0, "anna", 0, &err) == SR_OK);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK);

    /* a role change ends sessions; a bad role changes nothing */
    CHECK(user_set_role(db, v, 0, "anna", "emperor", &err) == SR_EINVAL);
    CHECK(session_load(db, tok, &q, &err) == SR_OK);
    CHECK(user_set_role(db, v, 0, "anna", "caseworker", &err) == SR_OK);
    CHECK(session_load(db, tok, &q, &err) == SR_ENOTFOUND);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_OK &&
          p.role == ROLE_CASEWORKER);

    /* a password change: policy, then sessions end, new password works */
    CHECK(user_set_password(db, v, 0, "anna", "qwerty", &err) == SR_EINVAL);
    CHECK(user_set_password(db, v, 0, "anna", "anna", &err) == SR_EINVAL);
    CHECK(user_set_password(db, v, 0, "anna", "new-lantern-orchid-9", &err) ==
          SR_OK);
    CHECK(session_load(db, tok, &q, &err) == SR_ENOTFOUND);
    CHECK(login(db, v, "anna", PW, tok, &p) == SR_EPERM);
    CHECK(login(db, v, "anna", "new-lantern-orchid-9", tok, &p) == SR_OK);
    CHECK(user_set_password(db, v, 0, "ghost", "new-lantern-orchid-9", &err) ==
          SR_ENOTFOUND);

    /* every change above is in the chain, and the chain holds */
    int64_t bad = 0, n_rows = 0;
    CHECK(audit_verify(db, v, &bad, &n_rows, &err) == SR_OK && n_rows > 20);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_auth");
}
