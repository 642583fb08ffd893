/*
 * test_funnel.c - the funnel report on a small hand-computed set of
 * cases: counts per stage and period, the legal-aid and exploitation
 * splits, the consent rule, medians, rescues without arrests, and which
 * perpetrator roles were arrested.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "cases/case.h"
#include "justice/entity.h"
#include "fixture.h"
#include "justice/funnel.h"
#include "harness.h"
#include "tally.h"
#include "jfix.h"
#include "justice/justice.h"
#include "base/org.h"
#include "cases/person.h"
#include "base/store.h"
#include "core/banned.h"

/* person.h's two forms of the research rule: the cases where they
 * agree that a case is left out, and the cases where they agree at all */
static const char *const test_sql[] = {
    "SELECT count(*), sum(c.id) FROM case_file AS c"
    " WHERE (c.id IN (" PERSON_RESEARCH_DECLINED_CASES_SQL "))"
    " = (NOT " PERSON_RESEARCH_OK_SQL ")"
    " AND c.id IN (" PERSON_RESEARCH_DECLINED_CASES_SQL ")",
    "SELECT count(*) FROM case_file AS c"
    " WHERE (c.id IN (" PERSON_RESEARCH_DECLINED_CASES_SQL "))"
    " = (NOT " PERSON_RESEARCH_OK_SQL ")",
};
enum { Q_RULES_DECLINED, Q_RULES_AGREE };

static struct db *db;
static struct vault *v;
/* the command line: every organisation, or the one it records for */
static struct principal cl, cl_org, cl_other;
static int64_t org;

static void
event(int64_t case_id, const char *kind, const char *day,
      const char *perpetrator)
{
    struct sr_err err = { 0 };
    struct justice_event_input in = { kind, day, "", "police", "", NULL, 0 };
    const char *list[1] = { perpetrator };
    if (perpetrator != NULL) {
        in.perpetrators = list;
        in.n_perpetrators = 1;
    }
    int64_t id;
    int rc = justice_add_event(db, v, &cl, case_id, &in, &id, &err);
    if (rc != SR_OK) {
        fprintf(stderr, "event %s: %s\n", kind, sr_err_msg(&err));
    }
    CHECK(rc == SR_OK);
    sr_err_release(&err);
}

static void
entity(const char *name, const char *role, int64_t case_a, int64_t case_b,
       char code[32])
{
    struct sr_err err = { 0 };
    struct entity_input in;
    memset(&in, 0, sizeof in);
    in.kind = "person";
    in.name = name;
    in.country = "TH";
    in.roles = entity_role_bit(role);
    int64_t id;
    CHECK(entity_add(db, v, &cl_org, &in, code, &id, NULL, &err) == SR_OK);
    CHECK(entity_link_case(db, v, &cl, id, case_a, role, "investigation",
                           "high", &err) == SR_OK);
    if (case_b) {
        CHECK(entity_link_case(db, v, &cl, id, case_b, role, "ngo_report",
                               "medium", &err) == SR_OK);
    }
    sr_err_release(&err);
}

static const struct funnel_row *
find(const struct funnel_row *rows, size_t n, const char *period,
     const char *group)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].period, period) == 0 &&
            strcmp(rows[i].group, group) == 0) {
            return &rows[i];
        }
    }
    return NULL;
}

/* Check a row's stage counts: cases, reported, investigated, rescued,
 * arrested, charged, trial, verdict, convicted. */
static void
check_row(const struct funnel_row *r, const int64_t *want, int64_t no_arrest)
{
    CHECK(r != NULL);
    if (r == NULL) {
        return;
    }
    int loop_bad1 = 0;
    for (int s = 0; s <= JS_CONVICTED; s++) {
        if (r->n[s] != want[s]) {
            fprintf(stderr, "%s %s stage %d: %lld, want %lld\n", r->period,
                    r->group, s, (long long)r->n[s], (long long)want[s]);
        }
        TALLY(loop_bad1, r->n[s] == want[s]);
    }
    CHECK(loop_bad1 == 0);
    CHECK(r->n_rescue_no_arrest == no_arrest);
}

int
main(void)
{
    struct sr_err err = { 0 };
    db = fixture_db();
    v = fixture_vault();
    char org_code[32];
    CHECK(org_add(db, v, 0, "Org", "ngo", "TH", org_code, &org, &err) == SR_OK);
    cl = principal_local();
    cl_org = cl;
    cl_org.org_id = org;
    cl_other = cl;
    cl_other.org_id = org + 1;

    /*
     * The hand-computed set (dates UTC; H1 = Jan-Jun, H2 = Jul-Dec):
     * C1 2025-01-10 legal aid, bit 0, industry C: reported 01-20,
     *    investigation 02-09, rescue 02-19, arrest 03-01 (broker B1),
     *    charged 04-01.
     * C2 2025-02-01 no legal aid, bit 1, industry A: reported 02-05,
     *    rescue 03-01, never an arrest.
     * C3 2025-03-01 legal aid, bits 0 and 1, industry C: reported 03-03,
     *    investigation 03-13, arrest 04-12 (broker B2).
     * C4 2025-08-01 no legal aid: no events.
     * C5 2025-09-01 no legal aid, its only victim declined research use
     *    (given, then declined): reported 09-11, rescue 10-01.
     * C6 2025-07-15 legal aid, industry C: reported 07-21 and again
     *    07-25 (the first counts), convicted 2026-01-10.
     * C7 2025-12-01 no legal aid: no events; one of its two victims
     *    declined research use, so the case is counted in the totals
     *    only (were it kept, H2 not_supported would count 2 cases).
     * Business owner O1 is in C1 and C3, never arrested.
     */
    jfix_case(db, 1, org, "2025-01-10", 1, 1, "C", "TH-10");
    jfix_case(db, 2, org, "2025-02-01", 0, 2, "A", "TH-50");
    jfix_case(db, 3, org, "2025-03-01", 1, 3, "C", "TH-10");
    jfix_case(db, 4, org, "2025-08-01", 0, 0, "", "");
    jfix_case(db, 5, org, "2025-09-01", 0, 1, "C", "TH-10");
    jfix_case(db, 6, org, "2025-07-15", 1, 0, "C", "TH-10");
    jfix_case(db, 7, org, "2025-12-01", 0, 0, "", "");
    jfix_victim(db, 1, 1, org, "declined,given"); /* newest: given */
    jfix_victim(db, 2, 2, org, "declined,given"); /* newest: given */
    jfix_victim(db, 3, 2, org, "");               /* never asked */
    jfix_victim(db, 7, 7, org, "given");
    jfix_victim(db, 8, 7, org, "declined"); /* one of two: left out */
    jfix_victim(db, 5, 5, org, "given,declined");
    char b1[32], b2[32], o1[32];
    entity("Synthetic Broker One", "broker", 1, 0, b1);
    entity("Synthetic Broker Two", "broker", 3, 0, b2);
    entity("Synthetic Owner", "business_owner", 1, 3, o1);

    event(1, "reported", "2025-01-20", NULL);
    event(1, "investigation_opened", "2025-02-09", NULL);
    event(1, "rescue", "2025-02-19", NULL);
    event(1, "arrest", "2025-03-01", b1);
    event(1, "charged", "2025-04-01", NULL);
    event(2, "reported", "2025-02-05", NULL);
    event(2, "rescue", "2025-03-01", NULL);
    event(3, "reported", "2025-03-03", NULL);
    event(3, "investigation_opened", "2025-03-13", NULL);
    event(3, "arrest", "2025-04-12", b2);
    event(5, "reported", "2025-09-11", NULL);
    event(5, "rescue", "2025-10-01", NULL);
    event(6, "reported", "2025-07-25", NULL);
    event(6, "reported", "2025-07-21", NULL);
    event(6, "verdict_convicted", "2026-01-10", NULL);

    /* person.h's two forms of the research rule agree on every case:
     * C5 and C7 out, the others in */
    struct db_stmt *q = db_stmt(db, &test_sql[Q_RULES_DECLINED]);
    CHECK(db_step(q) == DB_ROW);
    CHECK(db_col_int(q, 0) == 2 && db_col_int(q, 1) == 12);
    db_done(q);
    q = db_stmt(db, &test_sql[Q_RULES_AGREE]);
    CHECK(db_step(q) == DB_ROW);
    CHECK(db_col_int(q, 0) == 7);
    db_done(q);

    struct funnel_report r;
    CHECK(funnel_compute(db, &cl, 0, 0, FUNNEL_HALF, FUNNEL_BY_LEGAL_AID, &r,
                         &err) == SR_OK);
    CHECK(r.n_cases == 7);
    CHECK(r.n_excluded == 2);
    CHECK(r.n_totals == 2);
    /* totals: every case, the excluded one too */
    static const int64_t h1[] = { 3, 3, 2, 2, 2, 1, 0, 0, 0 };
    static const int64_t h2[] = { 4, 2, 0, 1, 0, 0, 0, 1, 1 };
    check_row(find(r.totals, r.n_totals, "2025-H1", ""), h1, 1);
    check_row(find(r.totals, r.n_totals, "2025-H2", ""), h2, 1);
    CHECK(find(r.totals, r.n_totals, "2025-H1", "")->n_excluded == 0);
    CHECK(find(r.totals, r.n_totals, "2025-H2", "")->n_excluded == 2);
    /* legal aid: C1 C3 / C2 in H1; C6 / C4 in H2 (C5, C7 left out) */
    static const int64_t h1_sup[] = { 2, 2, 2, 1, 2, 1, 0, 0, 0 };
    static const int64_t h1_not[] = { 1, 1, 0, 1, 0, 0, 0, 0, 0 };
    static const int64_t h2_sup[] = { 1, 1, 0, 0, 0, 0, 0, 1, 1 };
    static const int64_t h2_not[] = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
    check_row(find(r.groups, r.n_groups, "2025-H1", "supported"), h1_sup, 0);
    check_row(find(r.groups, r.n_groups, "2025-H1", "not_supported"), h1_not,
              1);
    check_row(find(r.groups, r.n_groups, "2025-H2", "supported"), h2_sup, 0);
    check_row(find(r.groups, r.n_groups, "2025-H2", "not_supported"), h2_not,
              0);
    CHECK(r.n_groups == 4);
    /*
     * Medians over C1 C2 C3 C6 (C5 left out):
     * identified -> reported: 10, 4, 2, 6 days -> (4 + 6) / 2 = 5
     * reported -> investigated: C1 20, C3 10 -> 15
     * investigated -> rescued: C1 10; rescued -> arrested: C1 10
     * (February 2025 has 28 days); arrested -> charged: C1 31
     * verdict -> convicted: C6 0 days (the same event); trial -> verdict:
     * nobody had a trial event.
     */
    CHECK(r.medians[JS_IDENTIFIED].n_cases == 4);
    CHECK(r.medians[JS_IDENTIFIED].median_days == 5.0);
    CHECK(r.medians[JS_REPORTED].n_cases == 2);
    CHECK(r.medians[JS_REPORTED].median_days == 15.0);
    CHECK(r.medians[JS_INVESTIGATED].n_cases == 1);
    CHECK(r.medians[JS_INVESTIGATED].median_days == 10.0);
    CHECK(r.medians[JS_RESCUED].n_cases == 1);
    CHECK(r.medians[JS_RESCUED].median_days == 10.0);
    CHECK(r.medians[JS_ARRESTED].n_cases == 1);
    CHECK(r.medians[JS_ARRESTED].median_days == 31.0);
    CHECK(r.medians[JS_TRIAL].n_cases == 0);
    CHECK(r.medians[JS_VERDICT].n_cases == 1);
    CHECK(r.medians[JS_VERDICT].median_days == 0.0);
    /* roles: brokers 2 linked, 2 arrested; the owner 2 linked, 0 */
    CHECK(r.n_roles == 2);
    CHECK(strcmp(r.roles[0].role, "broker") == 0);
    CHECK(r.roles[0].n_linked == 2 && r.roles[0].n_arrested == 2);
    CHECK(strcmp(r.roles[1].role, "business_owner") == 0);
    CHECK(r.roles[1].n_linked == 2 && r.roles[1].n_arrested == 0);
    funnel_release(&r);
    funnel_release(&r);

    /* exploitation: a case counts in each of its types, named by case.c's
     * list (bit 0 forced_labour, bit 1 sexual) */
    CHECK(funnel_exploitation_vocab == case_exploitation);
    CHECK(funnel_compute(db, &cl, 0, 0, FUNNEL_HALF, FUNNEL_BY_EXPLOITATION, &r,
                         &err) == SR_OK);
    static const int64_t t0[] = { 2, 2, 2, 1, 2, 1, 0, 0, 0 };
    static const int64_t t1[] = { 2, 2, 1, 1, 1, 0, 0, 0, 0 };
    static const int64_t unk[] = { 2, 1, 0, 0, 0, 0, 0, 1, 1 };
    check_row(find(r.groups, r.n_groups, "2025-H1", "forced_labour"), t0, 0);
    check_row(find(r.groups, r.n_groups, "2025-H1", "sexual"), t1, 1);
    check_row(find(r.groups, r.n_groups, "2025-H2", "unknown"), unk, 0);
    CHECK(find(r.groups, r.n_groups, "2025-H2", "forced_labour") == NULL);
    funnel_release(&r);

    /* years, a date range and an organisation filter */
    CHECK(funnel_compute(db, &cl, 0, 0, FUNNEL_YEAR, FUNNEL_BY_NONE, &r,
                         &err) == SR_OK);
    CHECK(r.n_totals == 1 && strcmp(r.totals[0].period, "2025") == 0);
    CHECK(r.totals[0].n[JS_IDENTIFIED] == 7 && r.n_groups == 0);
    funnel_release(&r);
    int64_t from, to;
    CHECK(justice_parse_day("2025-02-01", "from", &from, &err) == SR_OK);
    CHECK(justice_parse_day("2025-07-01", "to", &to, &err) == SR_OK);
    CHECK(funnel_compute(db, &cl, from, to, FUNNEL_QUARTER, FUNNEL_BY_INDUSTRY,
                         &r, &err) == SR_OK);
    CHECK(r.n_cases == 2 && r.n_totals == 1);
    CHECK(strcmp(r.totals[0].period, "2025-Q1") == 0);
    CHECK(find(r.groups, r.n_groups, "2025-Q1", "A") != NULL);
    CHECK(find(r.groups, r.n_groups, "2025-Q1", "C") != NULL);
    funnel_release(&r);
    CHECK(funnel_compute(db, &cl_other, 0, 0, FUNNEL_HALF, FUNNEL_BY_NONE, &r,
                         &err) == SR_OK);
    CHECK(r.n_cases == 0 && r.n_totals == 0);
    funnel_release(&r);

    /* parsing options */
    enum funnel_period p;
    enum funnel_split by;
    CHECK(funnel_parse_period("quarter", &p, &err) == SR_OK &&
          p == FUNNEL_QUARTER);
    CHECK(funnel_parse_period("month", &p, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "period") != NULL);
    CHECK(funnel_parse_split("province", &by, &err) == SR_OK &&
          by == FUNNEL_BY_PROVINCE);
    CHECK(funnel_parse_split("colour", &by, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "by:") != NULL);
    double odd[] = { 9, 1, 5 };
    CHECK(funnel_median_of(odd, 3) == 5.0);
    CHECK(funnel_median_of(NULL, 0) == 0.0);

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_funnel");
}
