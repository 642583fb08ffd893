/*
 * test_justice.c - justice events: each field checked with an error
 * naming it and nothing written; events listed in date order with their
 * agency, reason and perpetrators; the furthest stage; the audit row.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "base/audit.h"
#include "justice/entity.h"
#include "fixture.h"
#include "harness.h"
#include "jfix.h"
#include "justice/justice.h"
#include "base/org.h"
#include "core/banned.h"

static struct db *db;
static struct vault *v;
/* the command line: every organisation, or the one it records for */
static struct principal cl, cl_org;

static int n_events;
static char listed[8][160];

static int
keep(const struct justice_event_row *r, void *ctx)
{
    (void)ctx;
    if (n_events < 8) {
        char day[11];
        justice_format_day(r->occurred_at, day);
        snprintf(listed[n_events], sizeof listed[0], "%s %s %d %s|%s|%s|%s",
                 day, r->kind, r->stage, r->agency_code, r->agency_kind,
                 r->reason, r->perpetrators);
    }
    n_events++;
    return 0;
}

static void
expect_field(const struct justice_event_input *in, const char *field)
{
    struct sr_err err = { 0 };
    int64_t id;
    CHECK(justice_add_event(db, v, &cl, 1, in, &id, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), field, strlen(field)) == 0);
    sr_err_release(&err);
}

int
main(void)
{
    struct sr_err err = { 0 };
    db = fixture_db();
    v = fixture_vault();
    char org_code[32], police[32];
    int64_t org, police_id;
    CHECK(org_add(db, v, 0, "Org", "ngo", "TH", org_code, &org, &err) == SR_OK);
    cl = principal_local();
    cl_org = cl;
    cl_org.org_id = org;
    CHECK(org_add(db, v, 0, "Police", "police", "TH", police, &police_id,
                  &err) == SR_OK);
    jfix_case(db, 1, org, "2025-01-10", 0, 1, "C", "TH-10");
    struct entity_input ein;
    memset(&ein, 0, sizeof ein);
    ein.kind = "employer";
    ein.name = "Synthetic Factory Owner";
    ein.roles = entity_role_bit("business_owner");
    char e1[32], e2[32];
    int64_t id1, id2;
    CHECK(entity_add(db, v, &cl_org, &ein, e1, &id1, NULL, &err) == SR_OK);
    CHECK(entity_add(db, v, &cl_org, &ein, e2, &id2, NULL, &err) == SR_OK);
    CHECK(entity_link_case(db, v, &cl, id1, 1, "business_owner",
                           "investigation", "high", &err) == SR_OK);

    /* stage mapping */
    CHECK(justice_kind_stage("arrest") == JS_ARRESTED);
    CHECK(justice_kind_stage("verdict_convicted") == JS_CONVICTED);
    CHECK(justice_kind_stage("compensation_paid") == JS_COMPENSATED);
    CHECK(justice_kind_stage("bail") == 0);
    CHECK(justice_kind_stage("reported") == JS_REPORTED);
    CHECK(justice_kind_stage("verdict_acquitted") == JS_VERDICT);
    CHECK(justice_kind_stage("investigation_opened") == JS_INVESTIGATED);
    CHECK(justice_kind_stage("victim_testified") == 0);
    CHECK(justice_kind_stage(NULL) == -1);
    CHECK(justice_kind_stage("teleport") == -1);
    CHECK(justice_kind_stage("rescue") == JS_RESCUED);
    CHECK(justice_kind_stage("charged") == JS_CHARGED);
    CHECK(justice_kind_stage("trial_opened") == JS_TRIAL);
    CHECK(justice_kind_stage("sentence") == JS_SENTENCED);
    CHECK(justice_kind_stage("appeal") == 0);
    CHECK(justice_kind_stage("compensation_ordered") == 0);
    CHECK(vocab_count(justice_stages) == JS__COUNT);

    /* each bad field is named */
    struct justice_event_input in = { "arrest", "2025-02-01", "", "police",
                                      "",       NULL,         0 };
    in.kind = "teleport";
    expect_field(&in, "kind:");
    in.kind = "arrest";
    in.date = "2025-02-30";
    expect_field(&in, "date:");
    in.date = "01/02/2025";
    expect_field(&in, "date:");
    in.date = "2099-01-01";
    expect_field(&in, "date:");
    in.date = "2025-02-01";
    in.agency_kind = "";
    expect_field(&in, "agency:");
    in.agency_org = police;
    in.agency_kind = "police";
    expect_field(&in, "agency:"); /* both */
    in.agency_org = "O-NONE-NONE";
    in.agency_kind = "";
    expect_field(&in, "agency:");
    in.agency_org = "";
    in.agency_kind = "wizards";
    expect_field(&in, "agency:");
    in.agency_kind = "police";
    in.reason = "fear";
    expect_field(&in, "reason:"); /* no reason for an arrest */
    in.kind = "victim_declined";
    in.reason = "";
    expect_field(&in, "reason:");
    in.reason = "insufficient_evidence"; /* a drop reason, not a decline */
    expect_field(&in, "reason:");
    in.kind = "arrest";
    in.reason = "";
    const char *not_linked[] = { e2 };
    in.perpetrators = not_linked;
    in.n_perpetrators = 1;
    expect_field(&in, "perpetrators:");
    int64_t id;
    CHECK(justice_add_event(db, v, &cl, 77, &in, &id, &err) == SR_ENOTFOUND);
    n_events = 0;
    CHECK(justice_list_events(db, &cl, 1, keep, NULL, &err) == SR_OK);
    CHECK(n_events == 0); /* nothing written */

    /* good events, listed by date */
    const char *linked[] = { e1 };
    in.perpetrators = linked;
    CHECK(justice_add_event(db, v, &cl, 1, &in, &id, &err) == SR_OK);
    struct justice_event_input rep = { "reported", "2025-01-12", police, "",
                                       "",         NULL,         0 };
    CHECK(justice_add_event(db, v, &cl, 1, &rep, &id, &err) == SR_OK);
    struct justice_event_input dec = {
        "victim_declined", "2025-03-01", "", "prosecutor",
        "shelter_stay",    NULL,         0
    };
    CHECK(justice_add_event(db, v, &cl, 1, &dec, &id, &err) == SR_OK);
    struct justice_event_input bail = { "bail", "2025-02-03", "", "court",
                                        "",     linked,       1 };
    CHECK(justice_add_event(db, v, &cl, 1, &bail, &id, &err) == SR_OK);
    n_events = 0;
    CHECK(justice_list_events(db, &cl, 1, keep, NULL, &err) == SR_OK);
    CHECK(n_events == 4);
    char want[160];
    snprintf(want, sizeof want, "2025-01-12 reported 1 %s|||", police);
    CHECK_STR(listed[0], want);
    snprintf(want, sizeof want, "2025-02-01 arrest 4 |police||%s", e1);
    CHECK_STR(listed[1], want);
    snprintf(want, sizeof want, "2025-02-03 bail 0 |court||%s", e1);
    CHECK_STR(listed[2], want);
    CHECK_STR(listed[3],
              "2025-03-01 victim_declined 0 |prosecutor|shelter_stay|");
    struct justice_case c;
    CHECK(justice_case_by_code(db, &cl, ACT_CASE_READ, "K-TEST-0001", &c,
                               &err) == SR_OK);
    CHECK(c.id == 1 && c.stage == JS_ARRESTED && c.org_id == org);
    CHECK(justice_case_by_code(db, &cl, ACT_CASE_READ, "K-NONE", &c, &err) ==
          SR_ENOTFOUND);

    /* every event has its audit row and the chain holds */
    int64_t bad, n_rows;
    CHECK(audit_verify(db, v, &bad, &n_rows, &err) == SR_OK);
    /* 2 orgs + 2 entities + 1 case link + 4 events */
    CHECK(n_rows == 9);

    /* days */
    int64_t t;
    CHECK(justice_parse_day("1970-01-02", "d", &t, &err) == SR_OK &&
          t == 86400);
    CHECK(justice_parse_day("2024-02-29", "d", &t, &err) == SR_OK);
    CHECK(justice_parse_day("2025-02-29", "d", &t, &err) == SR_EINVAL);
    char day[11];
    justice_format_day(t, day);
    CHECK_STR(day, "2024-02-29");

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_justice");
}
