/*
 * test_org.c - the referral directory: profiles are checked code by code,
 * the search answers "who serves this province in this language with
 * this service", emergency partners, and contact details are encrypted
 * and their reading audited.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <sqlite3.h>
#include <string.h>

#include "base/audit.h"
#include "fixture.h"
#include "harness.h"
#include "base/org.h"
#include "core/phone.h"

#include "core/banned.h"

static const char *const q_raw =
    "SELECT contact_details FROM org WHERE id = ?1";

static char names[512];

static int
collect(const struct org_entry *e, void *ctx)
{
    (void)ctx;
    size_t n = strlen(names);
    snprintf(names + n, sizeof names - n, "%s%s", n ? "," : "", e->name);
    return 0;
}

static char phone_seen[64];

static int
keep_phone(const struct org_entry *e, void *ctx)
{
    (void)ctx;
    snprintf(phone_seen, sizeof phone_seen, "%s", e->emergency_phone);
    return 0;
}

/* The stored emergency phone of org id, through the directory entry. */
static const char *
phone_of(struct db *db, int64_t id)
{
    struct sr_err err = { 0 };
    snprintf(phone_seen, sizeof phone_seen, "%s", "(unread)");
    CHECK(org_get_entry(db, id, keep_phone, NULL, &err) == SR_OK);
    sr_err_release(&err);
    return phone_seen;
}

static const char *
search(struct db *db, const char *prov, const char *lang, const char *svc,
       int emergency)
{
    struct sr_err err = { 0 };
    names[0] = '\0';
    CHECK(org_search(db, prov, lang, svc, emergency, collect, NULL, &err) ==
          SR_OK);
    return names;
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char c1[32], c2[32], c3[32];
    int64_t legal, shelter, police;
    CHECK(org_add(db, v, 0, "Legal Aid South", "legal_aid", "TH", c1, &legal,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "Safe House", "shelter", "TH", c2, &shelter,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "ATD Unit", "police", "TH", c3, &police, &err) ==
          SR_OK);

    const char *p_south[] = { "TH-90", "TH-91" };
    const char *p_bkk[] = { "TH-10" };
    const char *l_my[] = { "my", "th" };
    const char *l_th[] = { "th" };
    const char *s_legal[] = { "legal_aid", "information" };
    const char *s_shelter[] = { "shelter", "psychosocial" };
    const char *s_rescue[] = { "rescue" };
    struct org_profile p = { p_south, 2,
                             l_my,    2,
                             s_legal, 2,
                             0,       "Focal person: K. Naing, +66 74 555 0101",
                             NULL,    NULL };
    CHECK(org_set_profile(db, v, 0, legal, &p, &err) == SR_OK);
    struct org_profile q = { p_south, 2, l_th, 1,    s_shelter,
                             2,       0, NULL, NULL, NULL };
    CHECK(org_set_profile(db, v, 0, shelter, &q, &err) == SR_OK);
    struct org_profile r = { p_south, 1, l_th, 1,    s_rescue,
                             1,       1, NULL, NULL, NULL };
    CHECK(org_set_profile(db, v, 0, police, &r, &err) == SR_OK);

    /* bad codes name their field and change nothing */
    const char *bad_prov[] = { "TH-99" };
    struct org_profile b = { bad_prov, 1, l_th, 1,    s_rescue,
                             1,        1, NULL, NULL, NULL };
    CHECK(org_set_profile(db, v, 0, police, &b, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "provinces") != NULL);
    const char *bad_lang[] = { "xx" };
    b.provinces = p_bkk;
    b.languages = bad_lang;
    CHECK(org_set_profile(db, v, 0, police, &b, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "languages") != NULL);
    const char *bad_svc[] = { "massage" };
    b.languages = l_th;
    b.services = bad_svc;
    CHECK(org_set_profile(db, v, 0, police, &b, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "services") != NULL);
    CHECK(org_set_profile(db, v, 0, 9999, &r, &err) == SR_ENOTFOUND);

    /* who serves Songkhla in Burmese with legal aid */
    CHECK_STR(search(db, "TH-90", "my", "legal_aid", 0), "Legal Aid South");
    CHECK_STR(search(db, "TH-90", "th", NULL, 0),
              "ATD Unit,Legal Aid South,Safe House");
    CHECK_STR(search(db, "TH-91", NULL, NULL, 0), "Legal Aid South,Safe House");
    CHECK_STR(search(db, "TH-10", NULL, NULL, 0), "");
    CHECK_STR(search(db, "TH-90", NULL, NULL, 1), "ATD Unit");
    CHECK_STR(search(db, NULL, NULL, "shelter", 0), "Safe House");

    /* emergency phone: none until given, then E.164 read in the
     * organisation's country (TH) whatever the workspace's region */
    CHECK_STR(phone_of(db, police), "");
    r.emergency_phone = "074 123 4567";
    r.phone_region = "MM";
    CHECK(org_set_profile(db, v, 0, police, &r, &err) == SR_OK);
    CHECK_STR(phone_of(db, police), "+66741234567");
    char shown[PHONE_MAX];
    phone_display(phone_of(db, police), shown, sizeof shown);
    CHECK_STR(shown, "+66 74 123 4567");
    /* an organisation without a country: the workspace's region */
    char c4[32];
    int64_t desk;
    CHECK(org_add(db, v, 0, "Border Desk", "ngo", "", c4, &desk, &err) ==
          SR_OK);
    struct org_profile d = { p_bkk, 1,    l_th,          1,   s_rescue, 1,
                             1,     NULL, "02 000 0191", "TH" };
    CHECK(org_set_profile(db, v, 0, desk, &d, &err) == SR_OK);
    CHECK_STR(phone_of(db, desk), "+6620000191");
    /* a bad phone is refused by name and nothing changes, provinces
     * included */
    struct org_profile bp = {
        p_bkk, 1, l_th, 1, s_rescue, 1, 1, NULL, "call the police", "TH"
    };
    CHECK(org_set_profile(db, v, 0, police, &bp, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "emergency_phone") != NULL);
    CHECK(strstr(sr_err_msg(&err), "police") == NULL);
    CHECK_STR(phone_of(db, police), "+66741234567");
    CHECK_STR(search(db, "TH-90", NULL, NULL, 1), "ATD Unit");
    /* NULL keeps the phone, "" removes it */
    r.emergency_phone = NULL;
    CHECK(org_set_profile(db, v, 0, police, &r, &err) == SR_OK);
    CHECK_STR(phone_of(db, police), "+66741234567");
    d.emergency_phone = "";
    CHECK(org_set_profile(db, v, 0, desk, &d, &err) == SR_OK);
    CHECK_STR(phone_of(db, desk), "");
    /* stored plain: the public line, not an identity */
    static const char *const q_phone =
        "SELECT emergency_phone FROM org WHERE id = ?1";
    struct db_stmt *sp = db_stmt(db, &q_phone);
    db_bind_i64(sp, 1, police);
    CHECK(db_step(sp) == DB_ROW);
    CHECK_STR(db_col_text(sp, 0), "+66741234567");
    db_done(sp);
    /* who is shown it: the roles that take calls and coordinate */
    CHECK(org_shows_emergency_phone(ROLE_HOTLINE) == 1);
    CHECK(org_shows_emergency_phone(ROLE_COORDINATOR) == 1);
    CHECK(org_shows_emergency_phone(ROLE_CASEWORKER) == 1);
    CHECK(org_shows_emergency_phone(ROLE_ANALYST) == 0);
    CHECK(org_shows_emergency_phone(ROLE_PARTNER) == 0);
    CHECK(org_shows_emergency_phone(ROLE_NONE) == 0);

    /* contact details: encrypted at rest, read back with an audit row */
    struct db_stmt *s = db_stmt(db, &q_raw);
    db_bind_i64(s, 1, legal);
    CHECK(db_step(s) == DB_ROW);
    CHECK(memmem(db_col_blob(s, 0), (size_t)db_col_bytes(s, 0), "Naing", 5) ==
          NULL);
    db_done(s);
    struct sr_buf out;
    sr_buf_init(&out, 0);
    CHECK(org_contact_details(db, v, 0, legal, &out, &err) == SR_OK);
    CHECK_STR(out.data, "Focal person: K. Naing, +66 74 555 0101");
    sr_buf_release(&out);
    int64_t bad = 0, n = 0;
    CHECK(audit_verify(db, v, &bad, &n, &err) == SR_OK);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_org");
}
