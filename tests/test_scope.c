/*
 * test_scope.c - the out-of-scope test: records of organisation A, then
 * every domain read and write that takes a principal, called by (a) a
 * principal of organisation B and (b) a principal without identity
 * permission (an analyst of A). Neither may get a record of A or an
 * identity field, and a refused write changes nothing (no audit row).
 * The expected outcomes are written in the table below, not computed
 * from the policy table. A third column checks that the command line's
 * principal does see each read's record, so that a hidden record means
 * the scope, not an empty workspace.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "base/auth.h"
#include "base/org.h"
#include "base/principal.h"
#include "cases/case.h"
#include "cases/person.h"
#include "fixture.h"
#include "harness.h"
#include "hotline/contact.h"
#include "justice/entity.h"
#include "justice/funnel.h"
#include "justice/justice.h"
#include "justice/network.h"
#include "referral/referral.h"
#include "stats/analysis.h"
#include "stats/survey_store.h"

#include "core/banned.h"

/* ---- the workspace: records of organisation A ---------------------------- */

static struct db *db;
static struct vault *v;
static char case_a[32], person_a[32], contact_a[32], referral_a[32];
static int64_t contact_a_id, referral_a_id, dataset_a, analysis_a;
static int64_t org_a, org_b, org_c;
static char code_a[32], code_b[32], code_c[32];
/* justice: a second case of A without events, two offenders recorded by
 * A (the first linked to case_a and named in its event), a suggestion */
static char case_a2[32], entity_a[32], entity_a2[32];
static int64_t case_a_id, entity_a_id, entity_a2_id, suggestion_a;

#define PHONE    "+66 81 555 0101"
#define NAME     "Mya Synthetic"
#define NOTE     "synthetic note about the victim"
#define ID_PHONE "0812223344" /* a value of the survey's phone column */
#define E_NAME   "Zaw Synthetic Broker"
#define E_PHONE  "+66 82 777 0202"

static struct principal
make_user(const char *name, const char *org_code, int64_t org_id,
          enum role role)
{
    struct principal p = { 0 };
    struct sr_err err = { 0 };
    int64_t id = 0;
    CHECK(user_add(db, v, 0, name, org_code, role_name(role),
                   "a long enough test password 1", &id, &err) == SR_OK);
    sr_err_release(&err);
    p.user_id = id;
    p.org_id = org_id;
    p.role = role;
    snprintf(p.username, sizeof p.username, "%s", name);
    return p;
}

static const char *const q_audit = "SELECT count(*) FROM audit";

static int64_t
n_audit(void)
{
    struct db_stmt *s = db_stmt(db, &q_audit);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

static const char *const q_case_id = "SELECT id FROM case_file"
                                     " WHERE code = ?1";
static const char *const q_suggested = "SELECT id FROM entity_link"
                                       " WHERE state = 'suggested'";

static int64_t
one_id(const char *const *q, const char *code)
{
    struct db_stmt *s = db_stmt(db, q);
    if (code != NULL) {
        db_bind_text(s, 1, code);
    }
    int64_t id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : 0;
    db_done(s);
    return id;
}

/* Offenders of A, linked to case_a, an event naming one, a suggestion. */
static void
build_justice(const struct principal *coord)
{
    struct sr_err err = { 0 };
    struct principal inv = make_user("inv.a", code_a, org_a, ROLE_INVESTIGATOR);
    struct case_input in = { 0 };
    in.traf_status = "possible";
    CHECK(case_open(db, v, coord, &in, NULL, 0, case_a2, NULL, &err) == SR_OK);
    case_a_id = one_id(&q_case_id, case_a);
    struct entity_input ei;
    memset(&ei, 0, sizeof ei);
    ei.kind = "person";
    ei.name = E_NAME;
    ei.roles = entity_role_bit("broker");
    ei.aliases[ei.n_aliases++] = "Zaw the Broker";
    ei.id_kinds[0] = "phone";
    ei.id_values[0] = E_PHONE;
    ei.n_identifiers = 1;
    CHECK(entity_add(db, v, &inv, &ei, entity_a, &entity_a_id, NULL, &err) ==
          SR_OK);
    ei.name = "Zaw Synthetic Employer";
    ei.kind = "employer";
    ei.n_aliases = 0;
    CHECK(entity_add(db, v, &inv, &ei, entity_a2, &entity_a2_id, NULL, &err) ==
          SR_OK);
    suggestion_a = one_id(&q_suggested, NULL); /* the shared phone */
    CHECK(entity_link_case(db, v, &inv, entity_a_id, case_a_id, "broker",
                           "investigation", "high", &err) == SR_OK);
    CHECK(entity_link(db, v, &inv, entity_a_id, entity_a2_id, "recruits_for",
                      "investigation", "high", NULL, &err) == SR_OK);
    const char *perps[1] = { entity_a };
    struct justice_event_input ev = { "arrest", "2025-03-01", "", "police",
                                      "",       perps,        1 };
    int64_t id = 0;
    int rc = justice_add_event(db, v, &inv, case_a_id, &ev, &id, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "justice: %s\n", sr_err_msg(&err));
    }
    CHECK(suggestion_a > 0 && case_a_id > 0);
    sr_err_release(&err);
}

static void
build(void)
{
    struct sr_err err = { 0 };
    CHECK(org_add(db, v, 0, "Org A", "hotline", "TH", code_a, &org_a, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "Org B", "ngo", "TH", code_b, &org_b, &err) ==
          SR_OK);
    CHECK(org_add(db, v, 0, "Shelter C", "shelter", "TH", code_c, &org_c,
                  &err) == SR_OK);
    static const char *const services[] = { "shelter" };
    struct org_profile prof = { 0 };
    prof.services = services;
    prof.n_services = 1;
    (void)org_set_profile(db, v, 0, org_c, &prof, &err);
    sr_err_release(&err);
    struct principal coord =
        make_user("coord.a", code_a, org_a, ROLE_COORDINATOR);
    /* a contact, a case from it, a victim with consent, a note */
    struct contact_input ci = { 0 };
    ci.channel = "phone";
    ci.language = "my";
    ci.caller_type = "self";
    ci.category = "trafficking";
    ci.caller_phone = PHONE;
    ci.summary = "synthetic summary";
    ci.consent = CONTACT_CONSENT_NGO;
    CHECK(contact_create(db, v, &coord, &ci, NULL, contact_a, &contact_a_id,
                         &err) == SR_OK);
    struct case_input in = { 0 };
    in.traf_status = "actual";
    const char *contacts[1] = { contact_a };
    CHECK(case_open(db, v, &coord, &in, contacts, 1, case_a, NULL, &err) ==
          SR_OK);
    struct person_input pi = { 0 };
    pi.name = NAME;
    pi.phone = PHONE;
    pi.age_trafficked = -1;
    CHECK(person_add(db, v, &coord, case_a, "victim", &pi, person_a, NULL, NULL,
                     &err) == SR_OK);
    CHECK(case_note_add(db, v, &coord, case_a, NOTE, &err) == SR_OK);
    /* a referral of the contact from A to C, with a note */
    struct referral_input ri = { 0 };
    ri.subject_type = "contact";
    ri.subject_code = contact_a;
    ri.to_org = code_c;
    ri.service = "shelter";
    ri.urgency = "normal";
    ri.note = NOTE;
    int rc = referral_send(db, v, &coord, &ri, referral_a, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "referral: %s\n", sr_err_msg(&err));
    }
    sr_err_release(&err);
    /* a survey data set with a kept identifying column, and an analysis */
    static const char csv[] = "sex,trafficked,phone\n"
                              "f,1," ID_PHONE "\n"
                              "m,0,0812223345\n"
                              "f,1,0812223346\n"
                              "m,1,0812223347\n"
                              "f,0,0812223348\n";
    struct survey_import si = { 0 };
    si.name = "survey A";
    si.csv = csv;
    si.csv_len = strlen(csv);
    si.keep_identifying = true;
    struct survey_imported so;
    rc = survey_dataset_import(db, v, &coord, &si, &so, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "survey: %s\n", sr_err_msg(&err));
    }
    sr_err_release(&err);
    dataset_a = so.id;
    json_t *o = json_pack("{s:s}", "outcome", "trafficked");
    rc = analysis_run(db, v, &coord, "prevalence", dataset_a, o, 0, &analysis_a,
                      NULL, &err);
    CHECK(rc == SR_OK);
    if (rc != SR_OK) {
        fprintf(stderr, "analysis: %s\n", sr_err_msg(&err));
    }
    sr_err_release(&err);
    json_decref(o);
    build_justice(&coord);
}

/* ---- probes: what a call returned ----------------------------------------- */

struct probe {
    int n_rows;  /* records of A returned */
    int n_ident; /* identity fields returned */
};

static int
has_ident(const char *s)
{
    return s != NULL &&
           (strstr(s, "555 0101") != NULL || strstr(s, "Mya") != NULL ||
            strstr(s, "synthetic note") != NULL ||
            strstr(s, ID_PHONE) != NULL || strstr(s, "Zaw") != NULL ||
            strstr(s, "777 0202") != NULL);
}

static int
on_case(const struct case_row *r, void *ctx)
{
    ((struct probe *)ctx)->n_rows += r->org_id == org_a;
    return 0;
}

static int
on_note(const struct note_row *r, void *ctx)
{
    ((struct probe *)ctx)->n_ident += 1 + has_ident(r->text);
    return 0;
}

static int
on_person(const struct person_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_contact(const struct contact_row *r, void *ctx)
{
    ((struct probe *)ctx)->n_rows += r->org_id == org_a;
    return 0;
}

static int
on_export(const struct contact_row *r, const struct contact_identity *idn,
          void *ctx)
{
    struct probe *p = ctx;
    p->n_rows += r->org_id == org_a;
    p->n_ident += idn != NULL && idn->phone.len > 0;
    return 0;
}

static int
on_referral(const struct referral_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_dataset(const struct survey_dataset_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_column(const struct survey_column *c, void *ctx)
{
    (void)c;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_label(size_t pos, const char *value, const char *label, void *ctx)
{
    (void)pos;
    (void)label;
    ((struct probe *)ctx)->n_ident += has_ident(value);
    return 0;
}

static int
on_analysis(const struct survey_analysis_row *r, void *ctx)
{
    struct probe *p = ctx;
    p->n_rows++;
    p->n_ident += has_ident(r->result) || has_ident(r->options);
    return 0;
}

/* ---- one wrapper per domain function -------------------------------------- */

typedef int (*probe_fn)(const struct principal *who, struct probe *p,
                        struct sr_err *err);

static int
w_case_get(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return case_get(db, who, case_a, on_case, p, err);
}

static int
w_case_list(const struct principal *who, struct probe *p, struct sr_err *err)
{
    struct case_filter f = { .exploitation = -1 };
    return case_list(db, who, &f, on_case, p, err);
}

/* a list's count: every record it counts is one returned (the workspace
 * holds records of A only, so any count outside A's scope is a leak) */
static int
w_case_list_count(const struct principal *who, struct probe *p,
                  struct sr_err *err)
{
    struct case_filter f = { .exploitation = -1 };
    int64_t n = 0;
    int rc = case_list_count(db, who, &f, 1000, &n, err);
    p->n_rows += (int)n;
    return rc;
}

static int
w_case_find(const struct principal *who, struct probe *p, struct sr_err *err)
{
    int64_t id = 0;
    int rc = case_find(db, who, case_a, ACT_CASE_READ, &id, NULL, err);
    p->n_rows += rc == SR_OK && id > 0;
    return rc;
}

static int
w_case_update(const struct principal *who, struct probe *p, struct sr_err *err)
{
    (void)p;
    struct case_input in = { 0 };
    in.traf_status = "possible";
    return case_update(db, v, who, case_a, &in, err);
}

static int
w_case_set_status(const struct principal *who, struct probe *p,
                  struct sr_err *err)
{
    (void)p;
    return case_set_status(db, v, who, case_a, "closed", "victim_declined",
                           err);
}

static int
w_case_note_add(const struct principal *who, struct probe *p,
                struct sr_err *err)
{
    (void)p;
    return case_note_add(db, v, who, case_a, "another synthetic note", err);
}

static int
w_case_notes_read(const struct principal *who, struct probe *p,
                  struct sr_err *err)
{
    return case_notes_read(db, v, who, case_a, on_note, p, err);
}

static int
w_person_get(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return person_get(db, who, person_a, on_person, p, err);
}

static int
w_person_identity_read(const struct principal *who, struct probe *p,
                       struct sr_err *err)
{
    struct person_identity id;
    memset(&id, 0, sizeof id);
    int rc = person_identity_read(db, v, who, person_a, &id, err);
    if (rc == SR_OK) {
        p->n_ident += 1 + has_ident(id.name.data);
        person_identity_release(&id);
    }
    return rc;
}

static int
w_person_add(const struct principal *who, struct probe *p, struct sr_err *err)
{
    (void)p;
    struct person_input pi = { 0 };
    pi.name = "Another Synthetic";
    pi.age_trafficked = -1;
    char code[32];
    return person_add(db, v, who, case_a, "witness", &pi, code, NULL, NULL,
                      err);
}

static int
w_person_consent_set(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    (void)p;
    return person_consent_set(db, v, who, person_a, "share_police", "given",
                              err);
}

static int
w_contact_get(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return contact_get(db, who, contact_a, on_contact, p, err);
}

static int
w_contact_list(const struct principal *who, struct probe *p, struct sr_err *err)
{
    struct contact_filter f;
    memset(&f, 0, sizeof f);
    return contact_list(db, who, &f, on_contact, p, NULL, err);
}

static int
w_contact_list_count(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    struct contact_filter f;
    memset(&f, 0, sizeof f);
    int64_t n = 0;
    int rc = contact_list_count(db, who, &f, 1000, &n, err);
    p->n_rows += (int)n;
    return rc;
}

static int
w_contact_identity_read(const struct principal *who, struct probe *p,
                        struct sr_err *err)
{
    struct contact_identity id;
    memset(&id, 0, sizeof id);
    int rc = contact_identity_read(db, v, who, contact_a_id, &id, err);
    if (rc == SR_OK) {
        p->n_ident += 1 + has_ident(id.phone.data);
        contact_identity_release(&id);
    }
    return rc;
}

static int
w_contact_find_by_phone(const struct principal *who, struct probe *p,
                        struct sr_err *err)
{
    const struct contact_input q = { .caller_phone = PHONE };
    return contact_find_by_phone(db, v, who, &q, 10, on_contact, p, err);
}

static int
w_contact_export_rows(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    struct contact_filter f;
    memset(&f, 0, sizeof f);
    return contact_export_rows(db, v, who, &f, 1, on_export, p, NULL, err);
}

static int
w_contact_delete(const struct principal *who, struct probe *p,
                 struct sr_err *err)
{
    (void)p;
    return contact_delete(db, v, who, contact_a, "synthetic reason", err);
}

static int
w_referral_get(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return referral_get(db, who, referral_a, on_referral, p, err);
}

static int
w_referral_list(const struct principal *who, struct probe *p,
                struct sr_err *err)
{
    struct referral_filter f = { 0 };
    return referral_list(db, who, &f, on_referral, p, err);
}

static int
w_referral_list_count(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    struct referral_filter f = { 0 };
    int64_t n = 0;
    int rc = referral_list_count(db, who, &f, 1000, &n, err);
    p->n_rows += (int)n;
    return rc;
}

static int
w_referral_count_awaiting(const struct principal *who, struct probe *p,
                          struct sr_err *err)
{
    int64_t n_await = 0, n_over = 0;
    int rc = referral_count_awaiting(db, who, &n_await, &n_over, err);
    p->n_rows += (int)(n_await + n_over);
    return rc;
}

static int
w_referral_note_read(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    struct sr_buf b;
    sr_buf_init(&b, 0);
    int rc = referral_note_read(db, v, who, referral_a_id, &b, err);
    if (rc == SR_OK) {
        p->n_ident += 1 + has_ident(b.data);
    }
    vault_buf_wipe(&b);
    return rc;
}

static int
w_referral_answer(const struct principal *who, struct probe *p,
                  struct sr_err *err)
{
    (void)p;
    return referral_answer(db, v, who, referral_a, "closed", NULL, 0, err);
}

static int
w_referral_send(const struct principal *who, struct probe *p,
                struct sr_err *err)
{
    (void)p;
    struct referral_input ri = { 0 };
    ri.subject_type = "case";
    ri.subject_code = case_a;
    ri.to_org = code_c;
    ri.service = "shelter";
    ri.urgency = "normal";
    char code[32];
    return referral_send(db, v, who, &ri, code, err);
}

static int
w_survey_dataset_list(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    return survey_dataset_list(db, who, on_dataset, p, err);
}

static int
w_survey_dataset_get(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    return survey_dataset_get(db, who, dataset_a, on_dataset, p, err);
}

static int
w_survey_dataset_find(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    int64_t id = 0;
    int rc = survey_dataset_find(db, who, "survey A", &id, err);
    p->n_rows += rc == SR_OK && id == dataset_a;
    return rc;
}

static int
w_survey_dataset_columns(const struct principal *who, struct probe *p,
                         struct sr_err *err)
{
    return survey_dataset_columns(db, who, dataset_a, on_column, p, err);
}

static int
w_survey_value_labels(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    int rc = survey_value_labels(db, who, dataset_a, on_label, p, err);
    /* a data set without labels: count the call's success as a row */
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
w_survey_dataset_load(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    struct sr_buf b;
    char sha[65];
    sr_buf_init(&b, 0);
    int rc = survey_dataset_load(db, v, who, dataset_a, &b, sha, err);
    if (rc == SR_OK) {
        p->n_rows++;
        p->n_ident += has_ident(b.data) || strstr(b.data, "phone") != NULL;
    }
    vault_buf_wipe(&b);
    return rc;
}

static int
w_survey_column_update(const struct principal *who, struct probe *p,
                       struct sr_err *err)
{
    (void)p;
    /* unmark the identifying phone column (position 2) */
    return survey_column_update(db, v, who, dataset_a, 2, NULL, NULL, 0, err);
}

static int
w_survey_dataset_delete(const struct principal *who, struct probe *p,
                        struct sr_err *err)
{
    (void)p;
    return survey_dataset_delete(db, v, who, dataset_a, "synthetic reason",
                                 err);
}

static int
w_survey_analysis_list(const struct principal *who, struct probe *p,
                       struct sr_err *err)
{
    return survey_analysis_list(db, who, 0, 100, on_analysis, p, err);
}

static int
w_survey_analysis_get(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    return survey_analysis_get(db, who, analysis_a, on_analysis, p, err);
}

static int
w_analysis_run(const struct principal *who, struct probe *p, struct sr_err *err)
{
    (void)p;
    /* the identifying column as the outcome */
    json_t *o = json_pack("{s:s}", "outcome", "phone");
    int64_t id = 0;
    int rc =
        analysis_run(db, v, who, "prevalence", dataset_a, o, 0, &id, NULL, err);
    json_decref(o);
    return rc;
}

static int
w_analysis_rerun(const struct principal *who, struct probe *p,
                 struct sr_err *err)
{
    bool is_same = false;
    int rc = analysis_rerun(db, v, who, analysis_a, &is_same, err);
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
on_event(const struct justice_event_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_demo_case(const struct justice_demo_case *c, void *ctx)
{
    ((struct probe *)ctx)->n_rows += c->org_id == org_a;
    return 0;
}

static int
on_entity(const struct entity_row *r, void *ctx)
{
    ((struct probe *)ctx)->n_rows += r->org_id == org_a;
    return 0;
}

static int
on_entity_case(const struct entity_case_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
on_entity_link(const struct entity_link_row *r, void *ctx)
{
    (void)r;
    ((struct probe *)ctx)->n_rows++;
    return 0;
}

static int
w_justice_case_by_code(const struct principal *who, struct probe *p,
                       struct sr_err *err)
{
    struct justice_case c;
    int rc = justice_case_by_code(db, who, ACT_CASE_READ, case_a, &c, err);
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
w_justice_case_by_id(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    struct justice_case c;
    int rc =
        justice_case_by_id(db, who, ACT_JUSTICE_RECORD, case_a_id, &c, err);
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
w_justice_list_events(const struct principal *who, struct probe *p,
                      struct sr_err *err)
{
    return justice_list_events(db, who, case_a_id, on_event, p, err);
}

static int
w_justice_demo_cases(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    return justice_demo_cases(db, who, on_demo_case, p, err);
}

static int
w_justice_add_event(const struct principal *who, struct probe *p,
                    struct sr_err *err)
{
    (void)p;
    struct justice_event_input ev = { "reported", "2025-02-01", "", "police",
                                      "",         NULL,         0 };
    int64_t id = 0;
    return justice_add_event(db, v, who, case_a_id, &ev, &id, err);
}

static int
w_entity_by_code(const struct principal *who, struct probe *p,
                 struct sr_err *err)
{
    struct entity_row r;
    int rc = entity_by_code(db, who, entity_a, &r, err);
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
w_entity_by_id(const struct principal *who, struct probe *p, struct sr_err *err)
{
    struct entity_row r;
    int rc = entity_by_id(db, who, entity_a_id, &r, err);
    p->n_rows += rc == SR_OK;
    return rc;
}

static int
w_entity_list(const struct principal *who, struct probe *p, struct sr_err *err)
{
    int rc = entity_list(db, who, ENTITY_BY_CODE, 0, 100, on_entity, p, err);
    if (rc == SR_OK) {
        rc = entity_list(db, who, ENTITY_BY_RANK, 0, 100, on_entity, p, err);
    }
    return rc;
}

static int
w_entity_list_after(const struct principal *who, struct probe *p,
                    struct sr_err *err)
{
    return entity_list_after(db, who, "", 100, on_entity, p, err);
}

static int
w_entity_list_count(const struct principal *who, struct probe *p,
                    struct sr_err *err)
{
    int64_t n = 0;
    int rc = entity_list_count(db, who, 1000, &n, err);
    p->n_rows += (int)n;
    return rc;
}

static int
w_entity_identity(const struct principal *who, struct probe *p,
                  struct sr_err *err)
{
    struct sr_buf name, details;
    sr_buf_init(&name, 0);
    sr_buf_init(&details, 0);
    int rc = entity_identity(db, v, who, entity_a_id, &name, &details, err);
    p->n_ident += has_ident(name.data) + has_ident(details.data);
    p->n_ident += rc == SR_OK;
    vault_buf_wipe(&name);
    vault_buf_wipe(&details);
    return rc;
}

static int
w_entity_names(const struct principal *who, struct probe *p, struct sr_err *err)
{
    int64_t ids[2] = { entity_a_id, entity_a2_id };
    char *names[2] = { NULL, NULL };
    int rc = entity_names(db, v, who, ids, 2, names, err);
    for (int i = 0; i < 2; i++) {
        p->n_ident += names[i] != NULL && has_ident(names[i]);
        free(names[i]);
    }
    return rc;
}

static int
w_entity_cases(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return entity_cases(db, who, entity_a_id, on_entity_case, p, err);
}

static int
w_entity_links(const struct principal *who, struct probe *p, struct sr_err *err)
{
    return entity_links(db, who, entity_a_id, on_entity_link, p, err);
}

static int
w_entity_of_case(const struct principal *who, struct probe *p,
                 struct sr_err *err)
{
    return entity_of_case(db, who, case_a_id, on_entity_case, p, err);
}

static int
w_network_build(const struct principal *who, struct probe *p,
                struct sr_err *err)
{
    struct network g;
    int rc = network_build(db, who, entity_a_id, NETWORK_MAX_NODES, &g, err);
    if (rc == SR_OK) {
        p->n_rows += (int)g.n_nodes;
        network_release(&g);
    }
    return rc;
}

static int
w_network_stats(const struct principal *who, struct probe *p,
                struct sr_err *err)
{
    struct network_stats st;
    int rc = network_stats(db, who, &st, err);
    if (rc == SR_OK) {
        p->n_rows += (int)(st.n_entities + st.n_case_links);
    }
    return rc;
}

static int
w_funnel_compute(const struct principal *who, struct probe *p,
                 struct sr_err *err)
{
    struct funnel_report r;
    int rc =
        funnel_compute(db, who, 0, 0, FUNNEL_HALF, FUNNEL_BY_NONE, &r, err);
    if (rc == SR_OK) {
        p->n_rows += (int)r.n_cases;
        funnel_release(&r);
    }
    return rc;
}

static int
w_entity_add(const struct principal *who, struct probe *p, struct sr_err *err)
{
    (void)p;
    struct entity_input ei;
    memset(&ei, 0, sizeof ei);
    ei.kind = "person";
    ei.name = "Another Synthetic Offender";
    char code[32];
    int64_t id = 0;
    return entity_add(db, v, who, &ei, code, &id, NULL, err);
}

static int
w_entity_add_identifier(const struct principal *who, struct probe *p,
                        struct sr_err *err)
{
    (void)p;
    return entity_add_identifier(db, v, who, entity_a_id, "licence", "LIC-1",
                                 "TH", NULL, err);
}

static int
w_entity_link(const struct principal *who, struct probe *p, struct sr_err *err)
{
    (void)p;
    return entity_link(db, v, who, entity_a2_id, entity_a_id, "owns", "media",
                       "low", NULL, err);
}

static int
w_entity_link_case(const struct principal *who, struct probe *p,
                   struct sr_err *err)
{
    (void)p;
    return entity_link_case(db, v, who, entity_a2_id, case_a_id, "employer",
                            "media", "low", err);
}

static int
w_entity_decide_link(const struct principal *who, struct probe *p,
                     struct sr_err *err)
{
    (void)p;
    return entity_decide_link(db, v, who, suggestion_a, 0, err);
}

/* ---- the table ------------------------------------------------------------ */

enum expect {
    SKIP = 0, /* not checked for this principal */
    HIDDEN,   /* a read: no record of A, no identity field */
    NOIDENT,  /* a read the role may make: records, but no identity field */
    REFUSED,  /* a write: an error, and no audit row (nothing changed) */
    SEEN      /* the command line: the record is returned */
};

/* who (a) is: the coordinator of B, or for survey records (no role has
 * an organisation scope for them) the hotline of B, without the action */
enum who_a { COORD_B, HOTLINE_B };

struct row {
    const char *name;
    probe_fn fn;
    enum who_a a_is;
    enum expect a, b, local;
};

static const struct row table[] = {
    { "case_get", w_case_get, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "case_list", w_case_list, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "case_list_count", w_case_list_count, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "case_find", w_case_find, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "case_notes_read", w_case_notes_read, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "case_update", w_case_update, COORD_B, REFUSED, REFUSED, SKIP },
    { "case_set_status", w_case_set_status, COORD_B, REFUSED, REFUSED, SKIP },
    { "case_note_add", w_case_note_add, COORD_B, REFUSED, REFUSED, SKIP },
    { "person_get", w_person_get, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "person_identity_read", w_person_identity_read, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "person_add", w_person_add, COORD_B, REFUSED, REFUSED, SKIP },
    { "person_consent_set", w_person_consent_set, COORD_B, REFUSED, REFUSED,
      SKIP },
    { "contact_get", w_contact_get, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "contact_list", w_contact_list, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "contact_list_count", w_contact_list_count, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "contact_identity_read", w_contact_identity_read, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "contact_find_by_phone", w_contact_find_by_phone, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "contact_export_rows", w_contact_export_rows, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "referral_get", w_referral_get, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "referral_list", w_referral_list, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "referral_list_count", w_referral_list_count, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "referral_count_awaiting", w_referral_count_awaiting, COORD_B, HIDDEN,
      HIDDEN, SEEN },
    { "referral_note_read", w_referral_note_read, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "referral_send", w_referral_send, COORD_B, REFUSED, REFUSED, SKIP },
    { "referral_answer", w_referral_answer, COORD_B, REFUSED, REFUSED, SKIP },
    { "contact_delete", w_contact_delete, COORD_B, REFUSED, REFUSED, SKIP },
    { "survey_dataset_list", w_survey_dataset_list, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "survey_dataset_get", w_survey_dataset_get, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "survey_dataset_find", w_survey_dataset_find, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "survey_dataset_columns", w_survey_dataset_columns, HOTLINE_B, HIDDEN,
      NOIDENT, SEEN },
    { "survey_value_labels", w_survey_value_labels, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "survey_dataset_load", w_survey_dataset_load, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "survey_analysis_list", w_survey_analysis_list, HOTLINE_B, HIDDEN,
      NOIDENT, SEEN },
    { "survey_analysis_get", w_survey_analysis_get, HOTLINE_B, HIDDEN, NOIDENT,
      SEEN },
    { "analysis_rerun", w_analysis_rerun, HOTLINE_B, HIDDEN, NOIDENT, SEEN },
    { "analysis_run", w_analysis_run, HOTLINE_B, REFUSED, REFUSED, REFUSED },
    { "survey_column_update", w_survey_column_update, HOTLINE_B, REFUSED,
      REFUSED, SKIP },
    { "survey_dataset_delete", w_survey_dataset_delete, HOTLINE_B, REFUSED,
      SKIP, SKIP },
    /* justice events (the case's scope), offenders, networks, funnel */
    { "justice_case_by_code", w_justice_case_by_code, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "justice_case_by_id", w_justice_case_by_id, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "justice_list_events", w_justice_list_events, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "justice_demo_cases", w_justice_demo_cases, COORD_B, HIDDEN, HIDDEN,
      SEEN },
    { "justice_add_event", w_justice_add_event, COORD_B, REFUSED, REFUSED,
      SKIP },
    { "entity_by_code", w_entity_by_code, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_by_id", w_entity_by_id, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_list", w_entity_list, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_list_after", w_entity_list_after, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_list_count", w_entity_list_count, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_identity", w_entity_identity, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_names", w_entity_names, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_cases", w_entity_cases, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_links", w_entity_links, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "entity_of_case", w_entity_of_case, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "network_build", w_network_build, COORD_B, HIDDEN, HIDDEN, SEEN },
    { "network_stats", w_network_stats, COORD_B, HIDDEN, NOIDENT, SEEN },
    { "funnel_compute", w_funnel_compute, COORD_B, HIDDEN, NOIDENT, SEEN },
    { "entity_add", w_entity_add, COORD_B, REFUSED, REFUSED, SKIP },
    { "entity_add_identifier", w_entity_add_identifier, COORD_B, REFUSED,
      REFUSED, SKIP },
    { "entity_link", w_entity_link, COORD_B, REFUSED, REFUSED, SKIP },
    { "entity_link_case", w_entity_link_case, COORD_B, REFUSED, REFUSED, SKIP },
    { "entity_decide_link", w_entity_decide_link, COORD_B, REFUSED, REFUSED,
      SKIP },
};

#define N_ROWS (sizeof table / sizeof table[0])

/* Run row r as who; 1 if the outcome is what e says. */
static int
outcome_ok(const struct row *r, const struct principal *who, enum expect e,
           const char *label)
{
    if (e == SKIP) {
        return 1;
    }
    struct probe p = { 0, 0 };
    struct sr_err err = { 0 };
    int64_t before = n_audit();
    int rc = r->fn(who, &p, &err);
    int is_ok = 1;
    switch (e) {
    case HIDDEN:
        is_ok = (rc != SR_OK || p.n_rows == 0) && p.n_ident == 0;
        break;
    case NOIDENT:
        is_ok = p.n_ident == 0;
        break;
    case REFUSED:
        is_ok = rc != SR_OK && n_audit() == before && p.n_ident == 0;
        break;
    case SEEN:
        is_ok = rc == SR_OK && p.n_rows + p.n_ident > 0;
        break;
    case SKIP:
        break;
    }
    if (!is_ok) {
        fprintf(stderr, "  %s as %s: rc=%d rows=%d identity=%d (%s)\n", r->name,
                label, rc, p.n_rows, p.n_ident, sr_err_msg(&err));
    }
    sr_err_release(&err);
    return is_ok;
}

int
main(void)
{
    v = fixture_vault();
    db = fixture_db();
    build();
    struct principal coord_b =
        make_user("coord.b", code_b, org_b, ROLE_COORDINATOR);
    struct principal hotline_b =
        make_user("hot.b", code_b, org_b, ROLE_HOTLINE);
    struct principal analyst = make_user("an.a", code_a, org_a, ROLE_ANALYST);
    struct principal local = principal_local();
    referral_a_id = 0;
    {
        struct db_stmt *s = NULL;
        static const char *const q_ref = "SELECT id FROM referral"
                                         " WHERE code = ?1";
        s = db_stmt(db, &q_ref);
        db_bind_text(s, 1, referral_a);
        referral_a_id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : 0;
        db_done(s);
    }
    CHECK(referral_a_id > 0 && dataset_a > 0 && analysis_a > 0);

    /* (a) organisation B, (b) no identity permission, then the command
     * line's reads: one check each over the whole table */
    int n_fail_a = 0, n_fail_b = 0, n_fail_local = 0;
    for (size_t i = 0; i < N_ROWS; i++) {
        const struct principal *a =
            table[i].a_is == COORD_B ? &coord_b : &hotline_b;
        n_fail_a += !outcome_ok(&table[i], a, table[i].a,
                                table[i].a_is == COORD_B ? "coordinator of B"
                                                         : "hotline of B");
    }
    for (size_t i = 0; i < N_ROWS; i++) {
        n_fail_b +=
            !outcome_ok(&table[i], &analyst, table[i].b, "analyst of A");
    }
    for (size_t i = 0; i < N_ROWS; i++) {
        n_fail_local +=
            !outcome_ok(&table[i], &local, table[i].local, "command line");
    }
    fprintf(stderr,
            "test_scope: %zu functions; failed: %d org B, %d no "
            "identity, %d command line\n",
            N_ROWS, n_fail_a, n_fail_b, n_fail_local);
    CHECK(n_fail_a == 0);
    CHECK(n_fail_b == 0);
    CHECK(n_fail_local == 0);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_scope");
}
