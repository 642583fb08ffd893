/*
 * test_case.c - cases and people end to end on a fresh database: a
 * case opened from two contacts with two victims, validation naming the
 * field and changing nothing, status and closing reasons, consent per
 * purpose (a police-sharing decline reported by person_consent, research
 * declines by person_research_ok and case_research_ok), duplicates found
 * by phone and by similar names in Burmese and Latin script, confirmed
 * and merged with audit rows, the re-trafficking count, break the glass
 * recorded and listed for review, scope, and no identity in clear in the
 * database.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "base/auth.h"
#include "cases/case.h"
#include "hotline/contact.h"
#include "fixture.h"
#include "harness.h"
#include "pagefix.h"
#include "tally.h"
#include "base/org.h"
#include "cases/name_match.h"
#include "cases/person.h"

#include "core/banned.h"

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
audit_count(struct db *db, const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    struct sr_err err = { 0 };
    int n = 0;
    audit_list(db, &f, count_audit, &n, &err);
    sr_err_release(&err);
    return n;
}

static struct principal
make_user(struct db *db, struct vault *v, const char *name, const char *org,
          int64_t org_id, enum role role)
{
    struct principal p = { 0 };
    struct sr_err err = { 0 };
    int64_t id = 0;
    CHECK(user_add(db, v, 0, name, org, role_name(role),
                   "a long enough test password 1", &id, &err) == SR_OK);
    sr_err_release(&err);
    p.user_id = id;
    p.org_id = org_id;
    p.role = role;
    snprintf(p.username, sizeof p.username, "%s", name);
    return p;
}

static char exploit_country[8];

static int
keep_case(const struct case_row *r, void *ctx)
{
    struct case_row *out = ctx;
    *out = *r;
    snprintf(exploit_country, sizeof exploit_country, "%s", r->exploit_country);
    out->exploit_country = exploit_country;
    out->code = out->status = NULL; /* borrowed: gone after the callback */
    return 0;
}

static char merged_into[32];

static int
keep_person(const struct person_row *r, void *ctx)
{
    struct person_row *out = ctx;
    *out = *r;
    /* borrowed strings end with the callback */
    snprintf(merged_into, sizeof merged_into, "%s", r->merged_into);
    out->merged_into = merged_into;
    out->code = out->gender = out->citizenship = NULL;
    return 0;
}

static int
count_person(const struct person_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
count_code(const char *code, void *ctx)
{
    (void)code;
    (*(int *)ctx)++;
    return 0;
}

struct dups {
    int n;
    int64_t ids[16];
    char basis[16][16];
    double score[16];
};

static int
keep_dup(const struct dup_row *r, void *ctx)
{
    struct dups *d = ctx;
    if (d->n < 16) {
        d->ids[d->n] = r->id;
        snprintf(d->basis[d->n], sizeof d->basis[0], "%s", r->basis);
        d->score[d->n] = r->score;
        d->n++;
    }
    return 0;
}

static int
count_glass(const struct glass_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

/*
 * Every table of the database, as (schema, name): SQLite's from its
 * schema table, PostgreSQL's from information_schema, in every schema but
 * the server's own catalogs. Read from the catalog here, not through the
 * store's db_tables(), so that a table the store leaves out is scanned
 * too. And a row planted to show that the scan finds what it looks for.
 */
enum test_stmt { Q_TABLES, Q_PLANT, Q__COUNT };
static const char *const test_sql[Q__COUNT] = {
    [Q_TABLES] =
        "SELECT 'main', name FROM sqlite_schema"
        " WHERE type = 'table'"
        " ORDER BY name" DB_PG "SELECT table_schema, table_name"
        "  FROM information_schema.tables"
        " WHERE table_type = 'BASE TABLE'"
        "   AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY 1, 2",
    [Q_PLANT] = "INSERT INTO meta(key, value) VALUES (?1, ?2)",
};

/* Whether the n bytes at p hold needle. */
static int
cell_has(const void *p, size_t n, const char *needle)
{
    return p != NULL && memmem(p, n, needle, strlen(needle)) != NULL;
}

/*
 * 1 if needle (NUL-terminated) occurs in any cell of any table of the
 * database, 0 if not, -1 if a table could not be read. A cell is read as
 * its bytes: a blob (bytea) as stored, any other value in its text form.
 */
static int
db_contains(struct db *db, const char *needle)
{
    struct sr_err err = { 0 };
    char *names[256][2];
    size_t n_tables = 0;
    int found = 0, is_bad = 0;
    struct db_stmt *s = db_stmt(db, &test_sql[Q_TABLES]);
    int step;
    while ((step = db_step(s)) == DB_ROW && n_tables < 256) {
        names[n_tables][0] = sr_xstrdup(db_col_text(s, 0));
        names[n_tables][1] = sr_xstrdup(db_col_text(s, 1));
        n_tables++;
    }
    is_bad = step != DB_DONE || n_tables == 0;
    db_done(s);
    for (size_t t = 0; t < n_tables; t++) {
        struct sr_buf q;
        sr_buf_init(&q, 0);
        sr_buf_adds(&q, "SELECT * FROM ");
        db_quote_name(&q, names[t][0]);
        sr_buf_adds(&q, ".");
        db_quote_name(&q, names[t][1]);
        struct db_stmt *all = db_prepare(db, q.data, &err);
        sr_buf_release(&q);
        if (all == NULL) {
            is_bad = 1;
            sr_err_release(&err);
        }
        while (all != NULL && (step = db_step(all)) == DB_ROW) {
            for (int c = 0; c < db_col_count(all); c++) {
                const void *p = db_col_blob(all, c);
                found |= cell_has(p, db_col_bytes(all, c), needle);
            }
        }
        is_bad |= all != NULL && step != DB_DONE;
        db_stmt_free(all);
        free(names[t][0]);
        free(names[t][1]);
    }
    return is_bad ? -1 : found;
}

static void
add_contact(struct db *db, struct vault *v, const struct principal *who,
            char code[32])
{
    struct contact_input in = { 0 };
    in.channel = "phone";
    in.language = "my";
    in.caller_type = "self";
    in.category = "trafficking";
    in.caller_phone = "+66 81 555 0101";
    in.summary = "synthetic summary";
    struct sr_err err = { 0 };
    int64_t id;
    CHECK(contact_create(db, v, who, &in, NULL, code, &id, &err) == SR_OK);
    sr_err_release(&err);
}

/* ---- a listing's count and its keyset pages ---------------------------- */

static int64_t
case_count_of(struct db *db, const struct principal *who,
              const struct case_filter *f, int64_t cap)
{
    struct sr_err err = { 0 };
    int64_t n = -1;
    CHECK(case_list_count(db, who, f, cap, &n, &err) == SR_OK);
    sr_err_release(&err);
    return n;
}

static int
keep_page_case(const struct case_row *r, void *ctx)
{
    page_rows_add(ctx, r->code, r->id);
    return 0;
}

static void
test_list_count(struct db *db, struct vault *v)
{
    struct sr_err err = { 0 };
    char org_c[32], org_d[32];
    int64_t org_c_id, org_d_id;
    REQUIRE(org_add(db, v, 0, "Org C", "ngo", "TH", org_c, &org_c_id, &err) ==
            SR_OK);
    REQUIRE(org_add(db, v, 0, "Org D", "ngo", "TH", org_d, &org_d_id, &err) ==
            SR_OK);
    struct principal cwc =
        make_user(db, v, "count.cwc", org_c, org_c_id, ROLE_CASEWORKER);
    struct principal cwd =
        make_user(db, v, "count.cwd", org_d, org_d_id, ROLE_CASEWORKER);
    struct principal anc =
        make_user(db, v, "count.anc", org_c, org_c_id, ROLE_ANALYST);
    /* five cases in C, in this order: actual, possible, actual, ... */
    char k[5][32];
    for (int i = 0; i < 5; i++) {
        struct case_input in = { 0 };
        in.traf_status = i % 2 == 0 ? "actual" : "possible";
        in.exploit_province = "TH-90";
        REQUIRE(case_open(db, v, &cwc, &in, NULL, 0, k[i], NULL, &err) ==
                SR_OK);
    }
    struct case_filter all = { .exploitation = -1 };
    struct case_filter actual = { .traf_status = "actual", .exploitation = -1 };
    CHECK(case_count_of(db, &cwc, &all, 100) == 5);
    CHECK(case_count_of(db, &cwc, &actual, 100) == 3);
    /* outside the scope: another organisation's caseworker, and a role
     * that lists no cases */
    CHECK(case_count_of(db, &cwd, &all, 100) == 0);
    int64_t n_analyst = case_count_of(db, &anc, &all, 100);
    CHECK(n_analyst == 0);
    /* the cap: the count stops at cap + 1 */
    CHECK(case_count_of(db, &cwc, &all, 3) == 4);
    CHECK(case_count_of(db, &cwc, &all, 5) == 5);
    CHECK(case_count_of(db, &cwc, &actual, 0) == 1);

    /* keyset pages of two: 5 4 | 3 2 | 1, each once; the count is of
     * every page */
    struct page_rows p[3];
    int64_t before = 0;
    for (int j = 0; j < 3; j++) {
        memset(&p[j], 0, sizeof p[j]);
        struct case_filter f = { .exploitation = -1,
                                 .before_id = before,
                                 .limit = 2 };
        CHECK(case_list(db, &cwc, &f, keep_page_case, &p[j], &err) == SR_OK);
        CHECK(case_count_of(db, &cwc, &f, 100) == 5);
        before = p[j].last_id;
    }
    CHECK(p[0].n == 2 && p[1].n == 2 && p[2].n == 1);
    int bad = 0;
    for (int i = 0; i < 5; i++) {
        TALLY(bad, strcmp(p[i / 2].codes[i % 2], k[4 - i]) == 0);
    }
    CHECK(bad == 0);
    sr_err_release(&err);
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org_a[32], org_b[32], org_legal[32];
    int64_t org_a_id, org_b_id, org_legal_id;
    CHECK(org_add(db, v, 0, "Org A", "hotline", "TH", org_a, &org_a_id, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "Org B", "ngo", "TH", org_b, &org_b_id, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "Legal Aid", "legal_aid", "TH", org_legal,
                  &org_legal_id, &err) == SR_OK);
    struct principal cw =
        make_user(db, v, "t.cw", org_a, org_a_id, ROLE_CASEWORKER);
    struct principal cw2 =
        make_user(db, v, "cw2", org_a, org_a_id, ROLE_CASEWORKER);
    struct principal coord =
        make_user(db, v, "coord", org_a, org_a_id, ROLE_COORDINATOR);
    struct principal hot =
        make_user(db, v, "hot", org_a, org_a_id, ROLE_HOTLINE);
    struct principal cwb =
        make_user(db, v, "cwb", org_b, org_b_id, ROLE_CASEWORKER);
    struct principal analyst =
        make_user(db, v, "t.an", org_a, org_a_id, ROLE_ANALYST);

    /* a case opened from two contacts, with two victims */
    char c1[32], c2[32];
    add_contact(db, v, &hot, c1);
    add_contact(db, v, &hot, c2);
    struct case_input in = { 0 };
    in.traf_status = "actual";
    in.decided_by = "police";
    CHECK(case_parse_bits(case_exploitation, "forced_labour,forced_criminality",
                          "exploitation", &in.exploitation, &err) == SR_OK);
    CHECK(in.exploitation == (1u | 64u)); /* items 0 and 6 */
    in.industry = "A";
    in.exploit_province = "TH-90";
    in.recruit_date = "2025-03";
    in.legal_aid_org = org_legal;
    in.recruit_sites = "facebook,telegram";
    const char *contacts[2] = { c1, c2 };
    char kcode[32];
    int64_t kid = 0;
    CHECK(case_open(db, v, &cw, &in, contacts, 2, kcode, &kid, &err) == SR_OK);
    CHECK(kcode[0] == 'K' && strlen(kcode) == 11);
    int n_contacts = 0;
    case_contacts(db, kid, count_code, &n_contacts, &err);
    CHECK(n_contacts == 2);
    struct case_row cr;
    CHECK(case_get(db, &cw, kcode, keep_case, &cr, &err) == SR_OK);
    CHECK(strcmp(cr.exploit_country, "TH") == 0); /* from the province */
    CHECK(cr.legal_aid_from > 0);
    CHECK(audit_count(db, "case.create") == 1);

    /* bad input names the field and changes nothing */
    struct case_input bad = in;
    bad.industry = "Z";
    char other[32];
    CHECK(case_open(db, v, &cw, &bad, NULL, 0, other, NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "industry") != NULL);
    sr_err_release(&err);
    bad = in;
    bad.exploit_province = "MM-01";
    bad.exploit_country = "TH";
    CHECK(case_open(db, v, &cw, &bad, NULL, 0, other, NULL, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "exploit_province") != NULL);
    sr_err_release(&err);
    const char *foreign[1] = { "C-0000-0000" };
    CHECK(case_open(db, v, &cw, &in, foreign, 1, other, NULL, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "contacts") != NULL);
    sr_err_release(&err);
    /* a contact of organisation A cannot open a case of B */
    CHECK(case_open(db, v, &cwb, &in, contacts, 1, other, NULL, &err) ==
          SR_EINVAL);
    sr_err_release(&err);
    CHECK(audit_count(db, "case.create") == 1);

    /* status: closing needs a reason */
    CHECK(case_set_status(db, v, &cw, kcode, "closed", "", &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "close_reason") != NULL);
    sr_err_release(&err);
    CHECK(case_set_status(db, v, &cw, kcode, "follow_up", NULL, &err) == SR_OK);
    /* another case worker of the organisation may read but not change */
    CHECK(case_get(db, &cw2, kcode, keep_case, &cr, &err) == SR_OK);
    CHECK(case_set_status(db, v, &cw2, kcode, "active", NULL, &err) ==
          SR_EPERM);
    sr_err_release(&err);
    /* out of scope: another organisation and the analyst see nothing */
    CHECK(case_get(db, &cwb, kcode, keep_case, &cr, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
    CHECK(case_get(db, &analyst, kcode, keep_case, &cr, &err) == SR_ENOTFOUND);
    sr_err_release(&err);

    /* two victims */
    struct person_input v1 = { 0 }, v2 = { 0 };
    v1.name = "Aung Aung Synthetic";
    v1.phone = "+95 9 555 0001";
    v1.birth_date = "1995-04-30";
    v1.citizenship = "MM";
    v1.gender = "male";
    v1.age_trafficked = 27;
    v2.name = "Mya Mya Synthetic";
    v2.passport = "MA123456";
    v2.citizenship = "MM";
    v2.age_trafficked = -1;
    char p1[32], p2[32];
    int64_t p1_id, p2_id;
    int n_dups = -1;
    CHECK(person_add(db, v, &cw, kcode, "victim", &v1, p1, &p1_id, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 0);
    CHECK(person_add(db, v, &cw, kcode, "victim", &v2, p2, &p2_id, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 0);
    int n_people = 0;
    person_list_for_case(db, kid, count_person, &n_people, &err);
    CHECK(n_people == 2);
    CHECK(audit_count(db, "person.add") == 2);
    /* validation names the field */
    struct person_input pb = v1;
    pb.birth_date = "1995-13-01";
    char px[32];
    CHECK(person_add(db, v, &cw, kcode, "victim", &pb, px, NULL, NULL, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "birth_date") != NULL);
    sr_err_release(&err);
    CHECK(person_add(db, v, &cw, kcode, "boss", &v1, px, NULL, NULL, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "role") != NULL);
    sr_err_release(&err);
    CHECK(audit_count(db, "person.add") == 2);

    /* identities: encrypted at rest, read only with permission, audited */
    CHECK(db_contains(db, "Aung Aung") == 0);
    CHECK(db_contains(db, "MA123456") == 0);
    CHECK(db_contains(db, "555 0001") == 0);
    struct person_identity id;
    CHECK(person_identity_read(db, v, &cw, p1, &id, &err) == SR_OK);
    CHECK_STR(id.name.data, "Aung Aung Synthetic");
    CHECK_STR(id.birth_date.data, "1995-04-30");
    person_identity_release(&id);
    CHECK(audit_count(db, "person.view_identity") == 1);
    CHECK(person_identity_read(db, v, &analyst, p1, &id, &err) == SR_EPERM);
    sr_err_release(&err);
    CHECK(person_identity_read(db, v, &cwb, p1, &id, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
    CHECK(audit_count(db, "person.view_identity") == 1);

    /* a person's id by code, only within the reader's scope */
    int64_t got_id = 0;
    CHECK(person_id(db, &cw, p1, &got_id, &err) == SR_OK && got_id == p1_id);
    got_id = -1;
    CHECK(person_id(db, &cwb, p1, &got_id, &err) == SR_ENOTFOUND);
    CHECK(got_id == -1);
    sr_err_release(&err);

    /* consent: the newest row per purpose holds */
    CHECK(person_consent(db, p1_id, "share_police") == 0); /* never asked */
    CHECK(person_consent_set(db, v, &cw, p1, "share_police", "given", &err) ==
          SR_OK);
    CHECK(person_consent(db, p1_id, "share_police") == 1);
    CHECK(person_consent_set(db, v, &cw, p1, "share_police", "declined",
                             &err) == SR_OK);
    CHECK(person_consent(db, p1_id, "share_police") == 0);
    CHECK(person_consent_set(db, v, &cw, p1, "share_police", "maybe", &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "state") != NULL);
    sr_err_release(&err);
    CHECK(person_research_ok(db, p1_id) == 1);
    CHECK(case_research_ok(db, kid) == 1);
    CHECK(person_consent_set(db, v, &cw, p2, "research", "declined", &err) ==
          SR_OK);
    CHECK(person_research_ok(db, p2_id) == 0);
    CHECK(person_research_ok(db, p1_id) == 1);
    CHECK(case_research_ok(db, kid) == 0);
    CHECK(audit_count(db, "person.consent") == 3);

    /* a second case; the same phone in another format is a duplicate */
    char k2[32];
    int64_t k2_id;
    struct case_input in2 = { 0 };
    CHECK(case_open(db, v, &cw, &in2, NULL, 0, k2, &k2_id, &err) == SR_OK);
    struct person_input d1 = { 0 };
    d1.name = "Kyaw Synthetic";
    d1.phone = "+9595550001";
    d1.age_trafficked = -1;
    char pd1[32];
    int64_t pd1_id;
    CHECK(person_add(db, v, &cw, k2, "victim", &d1, pd1, &pd1_id, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 1);

    /* similar names: Latin (a letter dropped, honorific added) */
    struct person_input d2 = { 0 };
    d2.name = "Daw Mya Mia Synthetic";
    d2.citizenship = "MM";
    d2.age_trafficked = -1;
    char pd2[32];
    CHECK(person_add(db, v, &cw, k2, "victim", &d2, pd2, NULL, &n_dups, &err) ==
          SR_OK);
    CHECK(n_dups == 1);
    /* a different citizenship rules the pair out */
    struct person_input d3 = d2;
    d3.citizenship = "KH";
    char pd3[32];
    CHECK(person_add(db, v, &cw, k2, "witness", &d3, pd3, NULL, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 0);

    /* Burmese script: the same name with a vowel sign changed */
    struct person_input b1 = { 0 }, b2 = { 0 };
    b1.name = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
              "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd\xe1\x80\x94"
              "\xe1\x80\xba\xe1\x80\xb8"; /* သီရိလ်ထွန်း */
    b1.birth_date = "2001-01-02";
    b1.age_trafficked = -1;
    b2.name = "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad"
              "\xe1\x80\x9c\xe1\x80\xba\xe1\x80\x91\xe1\x80\xbd\xe1\x80\x94"
              "\xe1\x80\xba"; /* the same without the visarga */
    b2.birth_date = "2001-01-02";
    b2.age_trafficked = -1;
    char pb1[32], pb2[32];
    CHECK(person_add(db, v, &cw, kcode, "victim", &b1, pb1, NULL, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 0);
    CHECK(person_add(db, v, &cw, k2, "victim", &b2, pb2, NULL, &n_dups, &err) ==
          SR_OK);
    CHECK(n_dups == 1);
    /* a different date of birth rules it out */
    struct person_input b3 = b2;
    b3.birth_date = "1980-05-05";
    char pb3[32];
    CHECK(person_add(db, v, &cw, k2, "caller", &b3, pb3, NULL, &n_dups, &err) ==
          SR_OK);
    CHECK(n_dups == 0);
    CHECK(db_contains(db, b1.name) == 0);

    /* names are not compared for a role without identity permission: the
     * hotline adds people but only exact matches are looked for */
    struct dups d = { 0 };
    CHECK(person_dup_list(db, &cw, "suggested", keep_dup, &d, &err) == SR_OK);
    CHECK(d.n == 3);
    int n_phone = 0, n_name = 0;
    int loop_bad1 = 0;
    for (int i = 0; i < d.n; i++) {
        n_phone += strcmp(d.basis[i], "phone") == 0;
        n_name += strcmp(d.basis[i], "name") == 0;
        TALLY(loop_bad1, d.score[i] >= NAME_THRESHOLD && d.score[i] <= 1.0);
    }
    CHECK(loop_bad1 == 0);
    CHECK(n_phone == 1 && n_name == 2);
    struct dups none = { 0 };
    CHECK(person_dup_list(db, &cwb, "", keep_dup, &none, &err) == SR_OK);
    CHECK(none.n == 0);

    /* confirm all three: merged into the earlier records */
    int loop_bad2 = 0;
    for (int i = 0; i < d.n; i++) {
        TALLY(loop_bad2,
              person_dup_decide(db, v, &cw, d.ids[i], 1, &err) == SR_OK);
    }
    CHECK(loop_bad2 == 0);
    CHECK(person_dup_decide(db, v, &cw, d.ids[0], 0, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    CHECK(audit_count(db, "person.dedup") == 3);
    CHECK(audit_count(db, "person.merge") == 3);
    struct person_row pr;
    CHECK(person_get(db, &cw, pd1, keep_person, &pr, &err) == SR_OK);
    CHECK(strcmp(pr.merged_into, p1) == 0);
    CHECK(pr.n_cases == 0);
    /* re-trafficking: the kept victim is now in two cases */
    CHECK(person_get(db, &cw, p1, keep_person, &pr, &err) == SR_OK);
    CHECK(pr.n_cases == 2);
    CHECK(case_get(db, &cw, kcode, keep_case, &cr, &err) == SR_OK);
    CHECK(cr.n_retraf == 3); /* p1, p2 (Mya Mya) and the Burmese name */
    CHECK(cr.n_people == 3);

    /* a rejected suggestion merges nothing */
    struct person_input r1 = { 0 };
    r1.name = "Kyaw Other";
    r1.phone = "+95 9 555 0001";
    r1.age_trafficked = -1;
    char pr1[32];
    CHECK(person_add(db, v, &cw, k2, "witness", &r1, pr1, NULL, &n_dups,
                     &err) == SR_OK);
    CHECK(n_dups == 1);
    struct dups d2s = { 0 };
    person_dup_list(db, &cw, "suggested", keep_dup, &d2s, &err);
    CHECK(d2s.n == 1);
    CHECK(person_dup_decide(db, v, &cw, d2s.ids[0], 0, &err) == SR_OK);
    CHECK(person_get(db, &cw, pr1, keep_person, &pr, &err) == SR_OK);
    CHECK(pr.merged_into[0] == '\0');

    /* break the glass: a case worker of B views a person of A */
    CHECK(person_break_glass(db, v, &cwb, p2, "short", &id, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "reason") != NULL);
    sr_err_release(&err);
    CHECK(person_break_glass(db, v, &analyst, p2,
                             "medical emergency at the shelter", &id,
                             &err) == SR_EPERM);
    sr_err_release(&err);
    CHECK(person_break_glass(db, v, &cwb, p2,
                             "medical emergency at the shelter", &id,
                             &err) == SR_OK);
    CHECK_STR(id.name.data, "Mya Mya Synthetic");
    person_identity_release(&id);
    CHECK(audit_count(db, "case.break_glass") == 1);
    /* both organisations' coordinators see it: B's (its worker broke the
     * glass) and A's (A recorded the person); A's reviews it, after which
     * it awaits neither and B's review finds nothing left to review */
    struct principal coordb =
        make_user(db, v, "coordb", org_b, org_b_id, ROLE_COORDINATOR);
    int n_glass = 0;
    glass_list(db, &coordb, 1, count_glass, &n_glass, &err);
    CHECK(n_glass == 1);
    int n_glass_a = 0;
    glass_list(db, &coord, 1, count_glass, &n_glass_a, &err);
    CHECK(n_glass_a == 1);
    CHECK(glass_review(db, v, &coord, 1, &err) == SR_OK);
    CHECK(glass_review(db, v, &coordb, 1, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
    n_glass = 0;
    glass_list(db, &coordb, 1, count_glass, &n_glass, &err);
    CHECK(n_glass == 0);
    CHECK(audit_count(db, "case.review_glass") == 1);

    /* notes are encrypted and their reads audited */
    CHECK(case_note_add(db, v, &cw, kcode, "synthetic note about the shelter",
                        &err) == SR_OK);
    CHECK(db_contains(db, "note about the shelter") == 0);
    CHECK(case_note_add(db, v, &cw, kcode, "", &err) == SR_EINVAL);
    sr_err_release(&err);
    struct support_input si = { 0 };
    si.service = "shelter";
    si.person_code = p1;
    si.planned_date = "2026-01-15";
    CHECK(case_support_add(db, v, &cw, kcode, &si, &err) == SR_OK);
    si.planned_date = "2026-02-30";
    CHECK(case_support_add(db, v, &cw, kcode, &si, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "planned_date") != NULL);
    sr_err_release(&err);

    test_list_count(db, v);

    /* the audit chain holds */
    int64_t bad_row = -1, n_rows = 0;
    CHECK(audit_verify(db, v, &bad_row, &n_rows, &err) == SR_OK);
    CHECK(bad_row == 0 && n_rows > 20);

    /* the scan finds an identity where one is: planted in clear in a
     * table none of the checks above names, once as text and once inside
     * a blob (PostgreSQL's bytea read as its bytes) */
    CHECK(db_contains(db, "Planted Text Name") == 0);
    CHECK(db_contains(db, "Planted Blob Name") == 0);
    struct db_stmt *ps = db_stmt(db, &test_sql[Q_PLANT]);
    db_bind_text(ps, 1, "key of Planted Text Name");
    db_bind_blob(ps, 2, "x", 1);
    CHECK(db_exec_stmt(db, ps, &err) == SR_OK);
    CHECK(db_contains(db, "Planted Text Name") == 1);
    CHECK(db_contains(db, "Planted Blob Name") == 0);
    static const char blob[] = "\x01\x02 Planted Blob Name \x00\xff";
    ps = db_stmt(db, &test_sql[Q_PLANT]);
    db_bind_text(ps, 1, "test.planted");
    db_bind_blob(ps, 2, blob, sizeof blob);
    CHECK(db_exec_stmt(db, ps, &err) == SR_OK);
    CHECK(db_contains(db, "Planted Blob Name") == 1);

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_case");
}
