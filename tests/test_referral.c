/*
 * test_referral.c - referrals: consent refusals name the consent missing,
 * bad input names the field and writes nothing, every allowed and refused
 * transition of the state machine, who may answer and close, scope (a
 * partner sees only referrals sent to it, never the contact's code), the
 * note encrypted and its reading audited, overdue under the test clock,
 * the outcome statistics on a hand-computed set, the demo referrals,
 * and the pages through the dispatcher (with contacts, which the .t files
 * cannot make): a partner sees only referrals sent to it and never a
 * phone, summary or contact code; a refusal for consent shows its
 * message; answers need CSRF; GET never changes state. Cases as
 * subjects: every victim's consent is needed (a police-sharing decline
 * blocks a referral to a police unit and an embassy, naming the person's
 * code and never a name), a case without victims is refused, scope, the
 * partner never sees the case's code.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <string.h>
#include <time.h>

#include "base/audit.h"
#include "base/auth.h"
#include "cases/case.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "fixture.h"
#include "harness.h"
#include "pagefix.h"
#include "tally.h"
#include "base/org.h"
#include "cases/person.h"
#include "referral/referral.h"
#include "demo/demo_network.h"
#include "hotline/report.h"
#include "webfix.h"
#include "demo/demo.h"

#include "core/banned.h"

#define T0 1800000000LL /* the test clock starts here (2027-01-15) */
#define H  3600LL

static int64_t now_s = T0;

static int64_t
test_clock(void)
{
    return now_s * 1000;
}

/* the harness's sign-ins move this clock on when they must */
static void
clock_forward(int64_t ms)
{
    now_s += ms / 1000;
}

/* the test's own read: a referral's stored note, as its bytes */
enum test_stmt { Q_NOTE, Q__COUNT };
static const char *const test_sql[Q__COUNT] = {
    [Q_NOTE] = "SELECT note FROM referral WHERE code = ?1",
};

static struct db *db;
static struct vault *v;

/* The command line's principal: every referral. */
static const struct principal *
cli(void)
{
    static struct principal p;
    p = principal_local();
    return &p;
}

struct world {
    int64_t org_a, org_b, org_c, org_d, org_e;
    char code_a[32], code_b[32], code_c[32], code_d[32], code_e[32];
    struct principal hotline_a, partner_b, partner_d, analyst_a;
};

static void
add_user(const char *name, const char *org_code, const char *role,
         int64_t org_id, enum role r, struct principal *p)
{
    struct sr_err err = { 0 };
    int64_t id = 0;
    CHECK(user_add(db, v, 0, name, org_code, role, "quiet-river-lantern-88",
                   &id, &err) == SR_OK);
    memset(p, 0, sizeof *p);
    p->user_id = id;
    p->org_id = org_id;
    p->role = r;
    snprintf(p->username, sizeof p->username, "%s", name);
}

static void
make_world(struct world *w)
{
    struct sr_err err = { 0 };
    CHECK(org_add(db, v, 0, "A Hotline", "hotline", "TH", w->code_a, &w->org_a,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "B Legal", "legal_aid", "TH", w->code_b, &w->org_b,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "C Police", "police", "TH", w->code_c, &w->org_c,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "D Shelter", "shelter", "TH", w->code_d, &w->org_d,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "E Embassy", "embassy", "MM", w->code_e, &w->org_e,
                  &err) == SR_OK);
    add_user("op.a", w->code_a, "hotline", w->org_a, ROLE_HOTLINE,
             &w->hotline_a);
    add_user("partner.b", w->code_b, "partner", w->org_b, ROLE_PARTNER,
             &w->partner_b);
    add_user("partner.d", w->code_d, "partner", w->org_d, ROLE_PARTNER,
             &w->partner_d);
    add_user("analyst.a", w->code_a, "analyst", w->org_a, ROLE_ANALYST,
             &w->analyst_a);
}

static void
make_contact(const struct principal *who, const char *category, int consent,
             char code[32])
{
    struct sr_err err = { 0 };
    struct contact_input in = {
        .channel = "phone",
        .language = "my",
        .caller_type = "self",
        .caller_phone = "+66 81 234 5678",
        .problem_province = "TH-90",
        .category = category,
        .n_affected = 1,
        .summary = "Secret summary words",
        .consent = consent,
    };
    int64_t id;
    CHECK(contact_create(db, v, who, &in, NULL, code, &id, &err) == SR_OK);
}

static int
send(const struct principal *who, const char *contact, const char *to,
     const char *service, const char *urgency, const char *note,
     int64_t sent_at, char code[32], struct sr_err *err)
{
    struct referral_input in = {
        .subject_type = "contact",
        .subject_code = contact,
        .to_org = to,
        .service = service,
        .urgency = urgency,
        .note = note,
        .sent_at = sent_at,
    };
    return referral_send(db, v, who, &in, code, err);
}

static int n_rows;
static char last_subject[32], last_status[32];
static int last_overdue;

static int
count_rows(const struct referral_row *r, void *ctx)
{
    (void)ctx;
    n_rows++;
    snprintf(last_subject, sizeof last_subject, "%s", r->subject_code);
    snprintf(last_status, sizeof last_status, "%s", r->status);
    last_overdue = r->is_overdue;
    return 0;
}

static int
list_count(const struct principal *who, const struct referral_filter *f)
{
    struct sr_err err = { 0 };
    n_rows = 0;
    CHECK(referral_list(db, who, f, count_rows, NULL, &err) == SR_OK);
    return n_rows;
}

static int
get_status(const char *code)
{
    struct sr_err err = { 0 };
    n_rows = 0;
    int rc = referral_get(db, cli(), code, count_rows, NULL, &err);
    sr_err_release(&err);
    return rc;
}

/* ---- consent and validation -------------------------------------------- */

static void
test_consent_and_input(struct world *w)
{
    struct sr_err err = { 0 };
    char none[32], ngo[32], both[32], r[32];
    make_contact(&w->hotline_a, "trafficking", 0, none);
    make_contact(&w->hotline_a, "trafficking", CONTACT_CONSENT_NGO, ngo);
    make_contact(&w->hotline_a, "trafficking",
                 CONTACT_CONSENT_NGO | CONTACT_CONSENT_POLICE, both);
    struct referral_filter all = { 0 };
    int before = list_count(cli(), &all);

    /* no consent at all: refused naming the NGO consent */
    CHECK(send(&w->hotline_a, none, w->code_b, "legal_aid", "normal", NULL, 0,
               r, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "NGOs and services") != NULL);
    /* NGO consent does not cover the police nor an embassy */
    CHECK(send(&w->hotline_a, ngo, w->code_c, "rescue", "high", NULL, 0, r,
               &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "police and authorities") != NULL);
    CHECK(send(&w->hotline_a, ngo, w->code_e, "repatriation", "high", NULL, 0,
               r, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "police and authorities") != NULL);
    CHECK(list_count(cli(), &all) == before);

    /* bad fields are named and change nothing */
    CHECK(send(&w->hotline_a, ngo, "O-0000-0000", "legal_aid", "normal", NULL,
               0, r, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "to:", 3) == 0);
    CHECK(send(&w->hotline_a, ngo, w->code_a, "legal_aid", "normal", NULL, 0, r,
               &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "to:", 3) == 0);
    CHECK(send(&w->hotline_a, ngo, w->code_b, "massage", "normal", NULL, 0, r,
               &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "service:", 8) == 0);
    CHECK(send(&w->hotline_a, ngo, w->code_b, "legal_aid", "soon", NULL, 0, r,
               &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "urgency:", 8) == 0);
    char big[REFERRAL_MAX_NOTE + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(send(&w->hotline_a, ngo, w->code_b, "legal_aid", "low", big, 0, r,
               &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "note:", 5) == 0);
    CHECK(send(&w->hotline_a, "C-0000-0000", w->code_b, "legal_aid", "low",
               NULL, 0, r, &err) == SR_ENOTFOUND);
    /* a partner or an analyst cannot send */
    CHECK(send(&w->partner_b, ngo, w->code_d, "shelter", "low", NULL, 0, r,
               &err) == SR_ENOTFOUND);
    CHECK(send(&w->analyst_a, ngo, w->code_d, "shelter", "low", NULL, 0, r,
               &err) == SR_ENOTFOUND);
    CHECK(list_count(cli(), &all) == before);

    /* with the right consent it goes, to NGOs, police and the embassy */
    CHECK(send(&w->hotline_a, ngo, w->code_b, "legal_aid", "normal", NULL, 0, r,
               &err) == SR_OK);
    CHECK(send(&w->hotline_a, both, w->code_c, "rescue", "emergency", NULL, 0,
               r, &err) == SR_OK);
    CHECK(send(&w->hotline_a, both, w->code_e, "repatriation", "low", NULL, 0,
               r, &err) == SR_OK);
    CHECK(list_count(cli(), &all) == before + 3);
    CHECK(referral_consent_needed("un") == CONTACT_CONSENT_NGO);
    CHECK(referral_consent_needed("hotline") == CONTACT_CONSENT_NGO);
    CHECK(referral_consent_needed("labour_inspection") ==
          CONTACT_CONSENT_POLICE);
    CHECK(referral_consent_needed("castle") == 0);
    CHECK(referral_answer_hours("emergency") == 2);
    CHECK(referral_answer_hours("high") == 24);
    CHECK(referral_answer_hours("normal") == 72);
    CHECK(referral_answer_hours("low") == 168);
    CHECK(referral_answer_hours("later") == -1);
    sr_err_release(&err);
}

/* ---- the state machine -------------------------------------------------- */

static int n_audit_rows;

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (void)ctx;
    n_audit_rows++;
    return 0;
}

static const char *const states[] = { "sent",     "acknowledged", "accepted",
                                      "declined", "action_taken", "no_action",
                                      "closed" };

/* The allowed moves, written out from the issue (not from the code):
 * sent -> acknowledged | accepted | declined (a first answer also
 * acknowledges); acknowledged -> accepted | declined; accepted ->
 * action_taken | no_action; declined, action_taken, no_action -> closed. */
static int
allowed(const char *from, const char *to)
{
    static const char *const ok[][2] = {
        { "sent", "acknowledged" },     { "sent", "accepted" },
        { "sent", "declined" },         { "acknowledged", "accepted" },
        { "acknowledged", "declined" }, { "accepted", "action_taken" },
        { "accepted", "no_action" },    { "declined", "closed" },
        { "action_taken", "closed" },   { "no_action", "closed" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (strcmp(ok[i][0], from) == 0 && strcmp(ok[i][1], to) == 0) {
            return 1;
        }
    }
    return 0;
}

static const char *
reason_for(const char *status)
{
    return strcmp(status, "declined") == 0    ? "no_capacity"
           : strcmp(status, "no_action") == 0 ? "victim_declined"
                                              : NULL;
}

/* The path from sent to each state. */
static const char *const paths[][3] = {
    { NULL },
    { "acknowledged", NULL },
    { "accepted", NULL },
    { "declined", NULL },
    { "accepted", "action_taken", NULL },
    { "accepted", "no_action", NULL },
    { "declined", "closed", NULL },
};

static void
test_state_machine(struct world *w)
{
    struct sr_err err = { 0 };
    char c[32];
    make_contact(&w->hotline_a, "labour_rights", CONTACT_CONSENT_NGO, c);
    int n_ok = 0, n_refused = 0, bad = 0;
    for (size_t i = 0; i < 7; i++) {
        for (size_t j = 0; j < 7; j++) {
            char r[32];
            REQUIRE(send(&w->hotline_a, c, w->code_b, "legal_aid", "normal",
                         NULL, 0, r, &err) == SR_OK);
            for (size_t k = 0; paths[i][k] != NULL; k++) {
                REQUIRE(referral_answer(db, v, cli(), r, paths[i][k],
                                        reason_for(paths[i][k]), 0,
                                        &err) == SR_OK);
            }
            REQUIRE(get_status(r) == SR_OK &&
                    strcmp(last_status, states[i]) == 0);
            int rc = referral_answer(db, v, cli(), r, states[j],
                                     reason_for(states[j]), 0, &err);
            int want = allowed(states[i], states[j]);
            TALLY(bad, referral_transition_ok(states[i], states[j]) == want);
            if (want) {
                TALLY(bad, rc == SR_OK);
                get_status(r);
                TALLY(bad, strcmp(last_status, states[j]) == 0);
                n_ok++;
            } else {
                /* "sent" is never a target: an input error, not a move */
                TALLY(bad,
                      rc == (strcmp(states[j], "sent") == 0 ? SR_EINVAL
                                                            : SR_ECONFLICT));
                TALLY(bad, strncmp(sr_err_msg(&err), "status:", 7) == 0);
                get_status(r);
                TALLY(bad, strcmp(last_status, states[i]) == 0);
                n_refused++;
            }
        }
    }
    /* every move from each state: allowed ones made, others refused with
     * the state kept (one check for the 49 moves) */
    CHECK(bad == 0);
    CHECK(n_ok == 10 && n_refused == 39);

    /* reasons: required for declined and no_action, from their lists */
    char r[32];
    CHECK(send(&w->hotline_a, c, w->code_b, "legal_aid", "normal", NULL, 0, r,
               &err) == SR_OK);
    CHECK(referral_answer(db, v, cli(), r, "declined", NULL, 0, &err) ==
          SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "reason:", 7) == 0);
    CHECK(referral_answer(db, v, cli(), r, "declined", "victim_declined", 0,
                          &err) == SR_EINVAL);
    CHECK(referral_answer(db, v, cli(), r, "accepted", "no_capacity", 0,
                          &err) == SR_EINVAL);
    CHECK(referral_answer(db, v, cli(), r, "maybe", NULL, 0, &err) ==
          SR_EINVAL);
    CHECK(referral_answer(db, v, cli(), r, "accepted", NULL, now_s + 3600,
                          &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "at:", 3) == 0);
    CHECK(referral_answer(db, v, cli(), r, "accepted", NULL, now_s - 86400,
                          &err) == SR_EINVAL);
    get_status(r);
    CHECK(strcmp(last_status, "sent") == 0);
    CHECK(referral_answer(db, v, cli(), "R-0000-0000", "accepted", NULL, 0,
                          &err) == SR_ENOTFOUND);

    /* who may answer: the receiving partner; the sender only closes */
    CHECK(referral_answer(db, v, &w->partner_d, r, "accepted", NULL, 0, &err) ==
          SR_ENOTFOUND);
    CHECK(referral_answer(db, v, &w->analyst_a, r, "accepted", NULL, 0, &err) ==
          SR_ENOTFOUND);
    CHECK(referral_answer(db, v, &w->hotline_a, r, "accepted", NULL, 0, &err) ==
          SR_EPERM);
    CHECK(referral_answer(db, v, &w->partner_b, r, "declined", "outside_area",
                          0, &err) == SR_OK);
    CHECK(referral_answer(db, v, &w->hotline_a, r, "closed", NULL, 0, &err) ==
          SR_OK);
    get_status(r);
    CHECK(strcmp(last_status, "closed") == 0);

    /* every step is audited: sent, declined, closed */
    struct audit_filter af = { .action = "referral.", .record_code = r };
    n_audit_rows = 0;
    CHECK(audit_list(db, &af, count_audit, NULL, &err) == SR_OK);
    CHECK(n_audit_rows == 3);
    sr_err_release(&err);
}

/* ---- scope, note, overdue ----------------------------------------------- */

static int n_events;
static char event_trail[256];

static int
trail(const struct referral_event_row *e, void *ctx)
{
    (void)ctx;
    size_t n = strlen(event_trail);
    snprintf(event_trail + n, sizeof event_trail - n, "%s%s/%s", n ? "," : "",
             e->status, e->username[0] ? e->username : "-");
    n_events++;
    return 0;
}

static int64_t got_id;

static int
keep_id(const struct referral_row *r, void *ctx)
{
    (void)ctx;
    got_id = r->id;
    snprintf(last_subject, sizeof last_subject, "%s", r->subject_code);
    last_overdue = r->is_overdue;
    return 0;
}

static void
test_scope_note_overdue(struct world *w)
{
    struct sr_err err = { 0 };
    char c[32], r[32], r2[32];
    make_contact(&w->hotline_a, "trafficking", CONTACT_CONSENT_NGO, c);
    const char *note = "Call back after 6pm, ask for Ko Aung";
    CHECK(send(&w->hotline_a, c, w->code_b, "legal_aid", "normal", note, 0, r,
               &err) == SR_OK);
    CHECK(send(&w->hotline_a, c, w->code_d, "shelter", "emergency", NULL, 0, r2,
               &err) == SR_OK);

    /* the note is not stored in clear */
    struct db_stmt *s = db_stmt(db, &test_sql[Q_NOTE]);
    db_bind_text(s, 1, r);
    CHECK(db_step(s) == DB_ROW);
    const void *stored = db_col_blob(s, 0);
    size_t n_stored = db_col_bytes(s, 0);
    CHECK(n_stored > strlen(note) &&
          memmem(stored, n_stored, "Ko Aung", 7) == NULL);
    db_done(s);

    /* the partner sees its referral, not the contact's code; the other
     * partner and an analyst see nothing */
    CHECK(referral_get(db, &w->partner_b, r, keep_id, NULL, &err) == SR_OK);
    CHECK(last_subject[0] == '\0');
    CHECK(referral_get(db, &w->hotline_a, r, keep_id, NULL, &err) == SR_OK);
    CHECK(strcmp(last_subject, c) == 0);
    CHECK(referral_get(db, &w->partner_d, r, keep_id, NULL, &err) ==
          SR_ENOTFOUND);
    CHECK(referral_get(db, &w->analyst_a, r, keep_id, NULL, &err) ==
          SR_ENOTFOUND);
    struct referral_filter all = { 0 };
    struct referral_filter inbox_d = { .to_org_id = w->org_d };
    int n_d = list_count(&w->partner_d, &all);
    CHECK(n_d >= 1);
    CHECK(list_count(&w->partner_d, &inbox_d) == n_d);
    CHECK(list_count(&w->analyst_a, &all) == 0);

    /* the note: the receiving partner and the sender's identity roles,
     * each read audited; nobody else */
    struct sr_buf out;
    sr_buf_init(&out, 0);
    struct audit_filter af = { .action = "referral.view_note" };
    n_audit_rows = 0;
    audit_list(db, &af, count_audit, NULL, &err);
    int audit_before = n_audit_rows;
    CHECK(referral_note_read(db, v, &w->partner_b, got_id, &out, &err) ==
          SR_OK);
    CHECK(strcmp(out.data, note) == 0);
    sr_buf_reset(&out);
    CHECK(referral_note_read(db, v, &w->hotline_a, got_id, &out, &err) ==
          SR_OK);
    CHECK(strcmp(out.data, note) == 0);
    sr_buf_reset(&out);
    CHECK(referral_note_read(db, v, &w->partner_d, got_id, &out, &err) ==
          SR_ENOTFOUND);
    CHECK(referral_note_read(db, v, &w->analyst_a, got_id, &out, &err) ==
          SR_ENOTFOUND);
    CHECK(out.len == 0);
    n_audit_rows = 0;
    audit_list(db, &af, count_audit, NULL, &err);
    CHECK(n_audit_rows == audit_before + 2);
    sr_buf_release(&out);

    /* overdue: normal has 72 h, emergency 2 h, by the test clock */
    struct referral_filter overdue = { .is_overdue = 1, .to_org_id = w->org_d };
    int64_t n_await = 0, n_over = 0;
    CHECK(list_count(cli(), &overdue) == 0);
    now_s += 1 * H + 59 * 60; /* 1:59 after sending */
    CHECK(list_count(cli(), &overdue) == 0);
    now_s += 2 * 60; /* 2:01: the emergency one is overdue */
    CHECK(list_count(cli(), &overdue) == 1);
    CHECK(referral_get(db, cli(), r2, keep_id, NULL, &err) == SR_OK &&
          last_overdue == 1);
    CHECK(referral_get(db, cli(), r, keep_id, NULL, &err) == SR_OK &&
          last_overdue == 0);
    CHECK(referral_count_awaiting(db, &w->partner_d, &n_await, &n_over, &err) ==
          SR_OK);
    CHECK(n_over >= 1 && n_await >= n_over);
    now_s += 70 * H; /* 72:01: the normal one too */
    CHECK(referral_get(db, cli(), r, keep_id, NULL, &err) == SR_OK &&
          last_overdue == 1);
    /* an answer, however late, ends being overdue */
    CHECK(referral_answer(db, v, &w->partner_b, r, "acknowledged", NULL, 0,
                          &err) == SR_OK);
    CHECK(referral_get(db, cli(), r, keep_id, NULL, &err) == SR_OK &&
          last_overdue == 0);
    event_trail[0] = '\0';
    n_events = 0;
    CHECK(referral_history(db, got_id, trail, NULL, &err) == SR_OK);
    CHECK(strcmp(event_trail, "sent/op.a,acknowledged/partner.b") == 0);
    sr_err_release(&err);
}

/* ---- outcome statistics ------------------------------------------------- */

struct outcome_seen {
    int n;
    struct referral_outcome o[4];
    char names[4][64];
};

static int
keep_outcome(const struct referral_outcome *o, void *ctx)
{
    struct outcome_seen *s = ctx;
    if (s->n < 4) {
        s->o[s->n] = *o;
        snprintf(s->names[s->n], sizeof s->names[0], "%s", o->org_name);
        s->n++;
    }
    return 0;
}

static void
answer_at(const char *r, const char *status, const char *reason, int64_t at)
{
    struct sr_err err = { 0 };
    CHECK(referral_answer(db, v, cli(), r, status, reason, at, &err) == SR_OK);
    sr_err_release(&err);
}

static struct report_ym
ym_of(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    return (struct report_ym){ tm.tm_year + 1900, tm.tm_mon + 1 };
}

/*
 * The report across organisations (the analyst's, suppressed) over T's
 * year, which holds r1-r7: B Legal sent 5 (r1-r4, r7), so its
 * count stays; acknowledged 4 (r1 r2 r3 r7 after 2, 5, 10, 1 h: median
 * 3.5 unsuppressed), so the count shows as suppressed and the median
 * goes; C Police sent 2, acknowledged 2, action 1: all suppressed, both
 * medians gone; trafficking contacts referred 3, with action 2.
 */
static void
report_suppression(int64_t T)
{
    struct report_query q = { .timezone = "UTC", .org_id = 0 };
    /* a report across organisations is one calendar year: T's, which
     * holds r1-r7 (sent from T - 1 day to T + 5 hours, in December) */
    q.from = ym_of(T);
    q.from.month = 1;
    q.to = q.from;
    q.to.month = 12;
    struct report open, hid;
    struct sr_err err = { 0 };
    CHECK(report_hotline(db, &q, &open, &err) == SR_OK);
    q.is_suppressed = 1;
    CHECK(report_hotline(db, &q, &hid, &err) == SR_OK);
    CHECK(open.referrals.n_rows == 2 && hid.referrals.n_rows == 2);
    if (open.referrals.n_rows == 2 && hid.referrals.n_rows == 2) {
        const struct report_referral_row *b = &open.referrals.rows[0];
        const struct report_referral_row *bh = &hid.referrals.rows[0];
        const struct report_referral_row *ch = &hid.referrals.rows[1];
        CHECK(strcmp(b->partner_name, "B Legal") == 0);
        CHECK(b->n_sent == 5 && b->n_acknowledged == 4);
        CHECK(b->median_ack_h == 3.5);
        CHECK(bh->n_sent == 5);
        CHECK(bh->n_acknowledged == REPORT_SUPPRESSED);
        CHECK(bh->median_ack_h < 0 && bh->median_action_h < 0);
        CHECK(open.referrals.rows[1].median_ack_h == 6.0);
        CHECK(ch->n_sent == REPORT_SUPPRESSED &&
              ch->n_acknowledged == REPORT_SUPPRESSED &&
              ch->n_accepted == REPORT_SUPPRESSED &&
              ch->n_action == REPORT_SUPPRESSED &&
              ch->n_no_action == REPORT_SUPPRESSED);
        CHECK(ch->n_declined == 0); /* zeros are shown */
        CHECK(ch->median_ack_h < 0 && ch->median_action_h < 0);
    }
    CHECK(open.referrals.n_trafficking_referred == 3);
    CHECK(hid.referrals.n_trafficking_referred == REPORT_SUPPRESSED);
    CHECK(hid.referrals.n_trafficking_actioned == REPORT_SUPPRESSED);
    report_release(&open);
    report_release(&hid);
    sr_err_release(&err);
}

static void
test_outcomes(void)
{
    /* a fresh database, so the hand-computed set is the only data */
    struct db *main_db = db;
    db = fixture_db();
    struct world w;
    memset(&w, 0, sizeof w);
    make_world(&w);
    struct sr_err err = { 0 };
    int both = CONTACT_CONSENT_NGO | CONTACT_CONSENT_POLICE;
    char c1[32], c2[32], c3[32], c4[32];
    make_contact(&w.hotline_a, "trafficking", both, c1);
    make_contact(&w.hotline_a, "labour_rights", both, c2);
    make_contact(&w.hotline_a, "trafficking", both, c3);
    make_contact(&w.hotline_a, "trafficking", both, c4);
    int64_t T = now_s - 40 * 24 * H; /* the period [T, T + 30 days) */
    char r1[32], r2[32], r3[32], r4[32], r5[32], r6[32], r7[32];
    /* B Legal */
    CHECK(send(cli(), c1, w.code_b, "legal_aid", "normal", NULL, T, r1, &err) ==
          SR_OK);
    answer_at(r1, "accepted", NULL, T + 2 * H);      /* ack 2 h */
    answer_at(r1, "action_taken", NULL, T + 50 * H); /* action 50 h */
    CHECK(send(cli(), c2, w.code_b, "legal_aid", "normal", NULL, T + 1 * H, r2,
               &err) == SR_OK);
    answer_at(r2, "declined", "no_capacity", T + 6 * H); /* ack 5 h */
    CHECK(send(cli(), c3, w.code_b, "legal_aid", "high", NULL, T + 2 * H, r3,
               &err) == SR_OK);
    answer_at(r3, "acknowledged", NULL, T + 12 * H); /* ack 10 h */
    answer_at(r3, "accepted", NULL, T + 14 * H);
    answer_at(r3, "no_action", "victim_declined", T + 32 * H);
    CHECK(send(cli(), c1, w.code_b, "legal_aid", "low", NULL, T + 3 * H, r4,
               &err) == SR_OK); /* never answered */
    /* C Police */
    CHECK(send(cli(), c4, w.code_c, "rescue", "high", NULL, T, r5, &err) ==
          SR_OK);
    answer_at(r5, "accepted", NULL, T + 4 * H); /* ack 4 h */
    answer_at(r5, "no_action", "insufficient_information", T + 100 * H);
    CHECK(send(cli(), c3, w.code_c, "rescue", "high", NULL, T + 5 * H, r6,
               &err) == SR_OK);
    answer_at(r6, "accepted", NULL, T + 13 * H);     /* ack 8 h */
    answer_at(r6, "action_taken", NULL, T + 25 * H); /* action 20 h */
    /* before the period: not counted */
    CHECK(send(cli(), c2, w.code_b, "legal_aid", "low", NULL, T - 24 * H, r7,
               &err) == SR_OK);
    answer_at(r7, "accepted", NULL, T - 23 * H);

    struct outcome_seen s;
    memset(&s, 0, sizeof s);
    CHECK(referral_outcomes(db, w.org_a, T, T + 30 * 24 * H, keep_outcome, &s,
                            &err) == SR_OK);
    CHECK(s.n == 3);
    /*
     * By hand. B Legal: r1-r4 sent (4); acknowledged r1 r2 r3 (3) after
     * 2, 5, 10 h: median 5; accepted r1 r3 (2); declined r2 (1); action
     * r1 (1) after 50 h: median 50; no action r3 (1); trafficking
     * contacts c1 (r1, r4) and c3 (r3): 2, with action c1: 1.
     */
    CHECK(strcmp(s.names[0], "B Legal") == 0);
    CHECK(s.o[0].org_id == w.org_b);
    CHECK(s.o[0].n_sent == 4 && s.o[0].n_acknowledged == 3);
    CHECK(s.o[0].n_accepted == 2 && s.o[0].n_declined == 1);
    CHECK(s.o[0].n_action_taken == 1 && s.o[0].n_no_action == 1);
    CHECK(s.o[0].median_hours_ack == 5.0);
    CHECK(s.o[0].median_hours_action == 50.0);
    CHECK(s.o[0].n_trafficking == 2 && s.o[0].n_trafficking_action == 1);
    /*
     * C Police: r5 r6 (2); acknowledged both after 4 and 8 h: median 6;
     * accepted 2; action r6 after 20 h: median 20; no action r5;
     * trafficking c4 and c3: 2, with action c3: 1.
     */
    CHECK(strcmp(s.names[1], "C Police") == 0);
    CHECK(s.o[1].n_sent == 2 && s.o[1].n_acknowledged == 2);
    CHECK(s.o[1].n_accepted == 2 && s.o[1].n_declined == 0);
    CHECK(s.o[1].n_action_taken == 1 && s.o[1].n_no_action == 1);
    CHECK(s.o[1].median_hours_ack == 6.0);
    CHECK(s.o[1].median_hours_action == 20.0);
    CHECK(s.o[1].n_trafficking == 2 && s.o[1].n_trafficking_action == 1);
    /*
     * Totals: 6 sent; acknowledged 5 after 2, 4, 5, 8, 10 h: median 5;
     * accepted 4; declined 1; action r1 (50 h) and r6 (20 h): median 35;
     * no action 2; trafficking contacts c1 c3 c4: 3; with action c1 (r1)
     * and c3 (r6 at the police, though r3 at B saw none): 2.
     */
    CHECK(s.o[2].org_id == 0 && s.o[2].org_name[0] == '\0');
    CHECK(s.o[2].n_sent == 6 && s.o[2].n_acknowledged == 5);
    CHECK(s.o[2].n_accepted == 4 && s.o[2].n_declined == 1);
    CHECK(s.o[2].n_action_taken == 2 && s.o[2].n_no_action == 2);
    CHECK(s.o[2].median_hours_ack == 5.0);
    CHECK(s.o[2].median_hours_action == 35.0);
    CHECK(s.o[2].n_trafficking == 3 && s.o[2].n_trafficking_action == 2);

    /* another sender's scope: only an empty totals row */
    memset(&s, 0, sizeof s);
    CHECK(referral_outcomes(db, w.org_b, T, T + 30 * 24 * H, keep_outcome, &s,
                            &err) == SR_OK);
    CHECK(s.n == 1 && s.o[0].n_sent == 0);
    CHECK(s.o[0].median_hours_ack == -1 && s.o[0].median_hours_action == -1);
    /* every organisation (scope 0) includes r7 when the period does */
    memset(&s, 0, sizeof s);
    CHECK(referral_outcomes(db, 0, T - 24 * H, T + 30 * 24 * H, keep_outcome,
                            &s, &err) == SR_OK);
    CHECK(s.n == 3 && s.o[0].n_sent == 5 && s.o[2].n_sent == 7);
    CHECK(referral_outcomes(db, 0, T + 1, T, keep_outcome, &s, &err) ==
          SR_EINVAL);
    report_suppression(T);
    sr_err_release(&err);
    db_close(db);
    db = main_db;
}

static int names_found;

static int
count_org(const struct org_entry *e, void *ctx)
{
    (void)e;
    (void)ctx;
    names_found++;
    return 0;
}

static int
find_hotline(const struct org_row *o, void *ctx)
{
    if (strcmp(o->kind, "hotline") == 0) {
        *(int64_t *)ctx = o->id;
    }
    return 0;
}

struct demo_stats {
    int n, n_sent, n_action, n_declined_or_none, n_police;
};

static int
demo_row(const struct referral_row *r, void *ctx)
{
    struct demo_stats *s = ctx;
    s->n++;
    s->n_sent += strcmp(r->status, "sent") == 0;
    s->n_action += strcmp(r->outcome, "action_taken") == 0;
    s->n_declined_or_none +=
        r->declined_at > 0 || strcmp(r->outcome, "no_action") == 0;
    s->n_police += strcmp(r->to_org_kind, "police") == 0;
    return 0;
}

/* ---- pages through the dispatcher --------------------------------------- */

struct page {
    struct arena arena;
    struct resp resp;
};

static struct webfix wf;

static void
page_get(struct page *pg, const char *path, const char *query,
         const char *session)
{
    arena_init(&pg->arena);
    memset(&pg->resp, 0, sizeof pg->resp);
    sr_buf_init(&pg->resp.body, 0);
    webfix_request(&wf, &pg->arena, HTTP_GET, path, query, NULL, NULL, session,
                   "", "", "", &pg->resp);
}

static void
page_post(struct page *pg, const char *path, const char *form,
          const char *session)
{
    arena_init(&pg->arena);
    memset(&pg->resp, 0, sizeof pg->resp);
    sr_buf_init(&pg->resp.body, 0);
    webfix_request(&wf, &pg->arena, HTTP_POST, path, NULL, form,
                   "application/x-www-form-urlencoded", session, "", "", "",
                   &pg->resp);
}

static void
page_done(struct page *pg)
{
    arena_release(&pg->arena);
    sr_buf_release(&pg->resp.body);
}

static int
has(const struct page *pg, const char *text)
{
    int ok = strstr(pg->resp.body.data, text) != NULL;
    return ok;
}

struct session {
    char token[33], csrf[65];
    struct principal p;
};

static void
sign_in(const char *user, struct session *s)
{
    struct sr_err err = { 0 };
    CHECK(webfix_login(&wf, user, s->token, s->csrf) == SR_OK);
    CHECK(session_load(wf.ws->db, s->token, &s->p, &err) == SR_OK);
    sr_err_release(&err);
}

static void
status_of(const char *code, char out[32])
{
    struct sr_err err = { 0 };
    out[0] = '\0';
    struct db *keep = db;
    db = wf.ws->db;
    if (get_status(code) == SR_OK) {
        snprintf(out, 32, "%s", last_status);
    }
    db = keep;
    sr_err_release(&err);
}

static void
test_pages(void)
{
    webfix_open(&wf);
    struct sr_err err = { 0 };
    struct db *wdb = wf.ws->db;
    const struct vault *wv = wf.ws->vault;
    char org_c[32];
    int64_t org_c_id;
    CHECK(org_add(wdb, wv, 0, "Org C", "shelter", "TH", org_c, &org_c_id,
                  &err) == SR_OK);
    int64_t uid;
    CHECK(user_add(wdb, wv, 0, "p.b", wf.org_b, "partner", WEBFIX_PW, &uid,
                   &err) == SR_OK);
    CHECK(user_add(wdb, wv, 0, "p.c", org_c, "partner", WEBFIX_PW, &uid,
                   &err) == SR_OK);
    const char *p90[] = { "TH-90" }, *p50[] = { "TH-50" };
    const char *lmy[] = { "my", "th" };
    const char *slegal[] = { "legal_aid" }, *sshelter[] = { "shelter" };
    struct org_profile pb = { p90, 1, lmy, 2, slegal, 1, 0, NULL, NULL, NULL };
    struct org_profile pc = {
        p50, 1, lmy, 2, sshelter, 1, 1, NULL, NULL, NULL
    };
    CHECK(org_set_profile(wdb, wv, 0, wf.org_b_id, &pb, &err) == SR_OK);
    CHECK(org_set_profile(wdb, wv, 0, org_c_id, &pc, &err) == SR_OK);

    struct session op, pbs, pcs, an;
    sign_in("t.hotline", &op);
    sign_in("p.b", &pbs);
    sign_in("p.c", &pcs);
    sign_in("t.analyst", &an);
    char c_ok[32], c_none[32];
    struct db *keep = db;
    const struct vault *keep_v = v;
    db = wdb;
    v = (struct vault *)wv;
    make_contact(&op.p, "trafficking", CONTACT_CONSENT_NGO, c_ok);
    make_contact(&op.p, "trafficking", 0, c_none);
    db = keep;
    v = (struct vault *)keep_v;

    struct page pg;
    char path[128], form[1024];
    /* the refer form lists who serves the contact's province in its
     * language */
    snprintf(path, sizeof path, "/contacts/%s/refer", c_ok);
    page_get(&pg, path, NULL, op.token);
    CHECK(pg.resp.status == 200 && has(&pg, "Org B") && !has(&pg, "Org C"));
    page_done(&pg);
    page_get(&pg, "/directory", "province=TH-90&language=my&service=legal_aid",
             op.token);
    CHECK(pg.resp.status == 200 && has(&pg, "Org B") && !has(&pg, "Org C"));
    page_done(&pg);

    /* without consent: refused with the message, nothing written */
    snprintf(path, sizeof path, "/contacts/%s/refer", c_none);
    snprintf(form, sizeof form,
             "csrf=%s&to=%s&service=legal_aid&urgency=normal&note=x", op.csrf,
             wf.org_b);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 400);
    CHECK(has(&pg, "has not consented to sharing with NGOs and services"));
    page_done(&pg);
    /* without CSRF: refused */
    snprintf(path, sizeof path, "/contacts/%s/refer", c_ok);
    snprintf(form, sizeof form, "to=%s&service=legal_aid&urgency=normal",
             wf.org_b);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 403);
    page_done(&pg);
    struct referral_filter all = { 0 };
    keep = db;
    db = wdb;
    CHECK(list_count(cli(), &all) == 0);
    db = keep;
    /* bad input names the field */
    snprintf(form, sizeof form,
             "csrf=%s&to=%s&service=legal_aid&urgency=someday", op.csrf,
             wf.org_b);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 400 && has(&pg, "urgency"));
    page_done(&pg);
    /* sent */
    snprintf(form, sizeof form,
             "csrf=%s&to=%s&service=legal_aid&urgency=high&note=Ask+for+"
             "the+night+shift+supervisor",
             op.csrf, wf.org_b);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 303 && pg.resp.location != NULL &&
          strncmp(pg.resp.location, "/referrals/R-", 13) == 0);
    char code[32] = "";
    if (pg.resp.location != NULL) {
        snprintf(code, sizeof code, "%.11s", pg.resp.location + 11);
    }
    page_done(&pg);

    /* the other partner sees nothing of it */
    snprintf(path, sizeof path, "/referrals/%s", code);
    page_get(&pg, path, NULL, pcs.token);
    CHECK(pg.resp.status == 404);
    page_done(&pg);
    page_get(&pg, "/referrals/inbox", NULL, pcs.token);
    CHECK(pg.resp.status == 200 && !has(&pg, code));
    page_done(&pg);
    page_get(&pg, "/api/v1/referrals", NULL, pcs.token);
    CHECK(pg.resp.status == 200 && !has(&pg, code));
    page_done(&pg);
    snprintf(path, sizeof path, "/referrals/%s/answer", code);
    snprintf(form, sizeof form, "csrf=%s&status=accepted", pcs.csrf);
    page_post(&pg, path, form, pcs.token);
    CHECK(pg.resp.status == 404);
    page_done(&pg);

    /* the receiving partner sees it, and the note, but never the phone,
     * the summary or the contact's code */
    const char *pages[][2] = { { "/referrals/inbox", NULL },
                               { path, NULL },
                               { "/api/v1/referrals", NULL },
                               { "/referrals", NULL } };
    snprintf(path, sizeof path, "/referrals/%s", code);
    int loop_bad1 = 0;
    for (size_t i = 0; i < 4; i++) {
        page_get(&pg, pages[i][0], NULL, pbs.token);
        /* a partner's /referrals is its inbox */
        TALLY(loop_bad1, i == 3 ? pg.resp.status == 303
                                : pg.resp.status == 200 && has(&pg, code));
        TALLY(loop_bad1, !has(&pg, "234 5678") && !has(&pg, "Secret summary"));
        TALLY(loop_bad1, !has(&pg, c_ok));
        if (i == 1) {
            TALLY(loop_bad1, has(&pg, "Ask for the night shift supervisor"));
        }
        page_done(&pg);
    }
    CHECK(loop_bad1 == 0);
    /* the analyst may not see referrals at all */
    page_get(&pg, "/referrals", NULL, an.token);
    CHECK(pg.resp.status == 403);
    page_done(&pg);

    /* GET cannot change state; POST needs the CSRF token */
    char st[32];
    snprintf(path, sizeof path, "/referrals/%s/answer", code);
    page_get(&pg, path, "status=accepted", pbs.token);
    CHECK(pg.resp.status == 405);
    page_done(&pg);
    page_post(&pg, path, "status=accepted", pbs.token);
    CHECK(pg.resp.status == 403);
    page_done(&pg);
    status_of(code, st);
    CHECK(strcmp(st, "sent") == 0);
    /* the sender cannot accept for the partner */
    snprintf(form, sizeof form, "csrf=%s&status=accepted", op.csrf);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 403);
    page_done(&pg);
    /* a refused step answers 409 and changes nothing */
    snprintf(form, sizeof form, "csrf=%s&status=closed", pbs.csrf);
    page_post(&pg, path, form, pbs.token);
    CHECK(pg.resp.status == 409 && has(&pg, "cannot go from sent to closed"));
    page_done(&pg);
    snprintf(form, sizeof form, "csrf=%s&status=accepted&back=inbox", pbs.csrf);
    page_post(&pg, path, form, pbs.token);
    CHECK(pg.resp.status == 303 && pg.resp.location != NULL &&
          strcmp(pg.resp.location, "/referrals/inbox") == 0);
    page_done(&pg);
    status_of(code, st);
    CHECK(strcmp(st, "accepted") == 0);

    /* the sender sees the contact's code and the history */
    snprintf(path, sizeof path, "/referrals/%s", code);
    page_get(&pg, path, NULL, op.token);
    CHECK(pg.resp.status == 200 && has(&pg, c_ok) && has(&pg, "p.b") &&
          has(&pg, "t.hotline"));
    page_done(&pg);

    /* overdue is highlighted for the sender's coordinator, and counted
     * on the dashboard */
    snprintf(path, sizeof path, "/contacts/%s/refer", c_ok);
    snprintf(form, sizeof form,
             "csrf=%s&to=%s&service=shelter&urgency=emergency", op.csrf, org_c);
    page_post(&pg, path, form, op.token);
    CHECK(pg.resp.status == 303);
    page_done(&pg);
    now_s += 3 * H;
    struct session co;
    sign_in("t.coordinator", &co);
    page_get(&pg, "/referrals", NULL, co.token);
    CHECK(pg.resp.status == 200 && has(&pg, "badge danger overdue"));
    page_done(&pg);
    page_get(&pg, "/dashboard", NULL, co.token);
    CHECK(has(&pg, "Referrals awaiting answer") && has(&pg, "1 overdue"));
    page_done(&pg);
    sign_in("p.c", &pcs);
    page_get(&pg, "/referrals/inbox", NULL, pcs.token);
    CHECK(has(&pg, "badge danger overdue") && !has(&pg, code));
    page_done(&pg);
    sr_err_release(&err);
    webfix_close(&wf);
}

/* ---- demo --------------------------------------------------------------- */

static void
test_demo(void)
{
    struct webfix d = { 0 };
    struct sr_err err = { 0 };
    snprintf(d.dir, sizeof d.dir, "/tmp/siren-demo-XXXXXX");
    CHECK(mkdtemp(d.dir) != NULL);
    CHECK(ws_create(d.dir, NULL, "demo pass", 9, VAULT_KDF_INTERACTIVE, &d.ws,
                    &err) == SR_OK);
    FILE *devnull = fopen("/dev/null", "w");
    CHECK(demo_fill(d.ws, 7, devnull, &err) == SR_OK);
    fclose(devnull);
    /* the demo's own hotline traffic has been referred already */
    struct db *keep = db;
    struct vault *keep_v = v;
    db = d.ws->db;
    v = (struct vault *)d.ws->vault;
    struct referral_filter all = { 0 };
    CHECK(list_count(cli(), &all) > 0);
    names_found = 0;
    CHECK(org_search(db, "TH-90", "my", "legal_aid", 0, count_org, NULL,
                     &err) == SR_OK);
    CHECK(names_found >= 2);
    /* contacts of the hotline over the past year, then the referrals */
    int64_t hotline = 0;
    struct principal op = { .user_id = 0, .role = ROLE_HOTLINE };
    CHECK(org_list(db, find_hotline, &hotline, &err) == SR_OK);
    op.org_id = hotline;
    int64_t start = now_s - 365 * 24 * H;
    for (int i = 0; i < 300; i++) {
        char code[32];
        int64_t id;
        struct contact_input in = {
            .received_at = start + i * 24 * H,
            .channel = "phone",
            .language = "my",
            .caller_type = "self",
            .problem_province = "TH-90",
            .category = i % 3 == 0 ? "trafficking" : "labour_rights",
            .n_affected = 1,
            .consent = i % 4 == 0 ? 0
                       : i % 2    ? 3
                                  : 1,
        };
        REQUIRE(contact_create(db, v, &op, &in, NULL, code, &id, &err) ==
                SR_OK);
    }
    CHECK(demo_referrals(d.ws, 7, &err) == SR_OK);
    struct demo_stats ds = { 0 };
    n_rows = 0;
    CHECK(referral_list(db, cli(), &(struct referral_filter){ .limit = 1000 },
                        demo_row, &ds, &err) == SR_OK);
    /* partners at different speeds: answered, never answered, action */
    CHECK(ds.n > 20 && ds.n_sent > 0 && ds.n_action > 0 &&
          ds.n_declined_or_none > 0);
    CHECK(ds.n_police > 0);
    int64_t bad = 0, n = 0;
    CHECK(audit_verify(db, v, &bad, &n, &err) == SR_OK);
    db = keep;
    v = keep_v;
    sr_err_release(&err);
    webfix_close(&d);
}

/* ---- cases as subjects --------------------------------------------------- */

static char got_type[16], got_category[32], got_province[16];
static char got_language[8];

static int
keep_referral(const struct referral_row *r, void *ctx)
{
    (void)ctx;
    snprintf(got_type, sizeof got_type, "%s", r->subject_type);
    snprintf(last_subject, sizeof last_subject, "%s", r->subject_code);
    snprintf(got_category, sizeof got_category, "%s", r->category);
    snprintf(got_province, sizeof got_province, "%s", r->province);
    snprintf(got_language, sizeof got_language, "%s", r->language);
    return 1;
}

static int
send_case(const struct principal *who, const char *kase, const char *to,
          const char *service, char code[32], struct sr_err *err)
{
    struct referral_input in = {
        .subject_type = "case",
        .subject_code = kase,
        .to_org = to,
        .service = service,
        .urgency = "high",
    };
    return referral_send(db, v, who, &in, code, err);
}

static void
add_victim(const struct principal *who, const char *kase, const char *role,
           const char *name, const char *languages, char code[32])
{
    struct sr_err err = { 0 };
    struct person_input in;
    memset(&in, 0, sizeof in);
    in.name = name;
    in.languages = languages;
    in.age_trafficked = -1;
    int64_t id = 0;
    int n_dups = 0;
    CHECK(person_add(db, v, who, kase, role, &in, code, &id, &n_dups, &err) ==
          SR_OK);
    sr_err_release(&err);
}

static void
consent(const struct principal *who, const char *person, const char *purpose,
        const char *state)
{
    struct sr_err err = { 0 };
    CHECK(person_consent_set(db, v, who, person, purpose, state, &err) ==
          SR_OK);
    sr_err_release(&err);
}

static void
test_case_subject(struct world *w)
{
    struct sr_err err = { 0 };
    struct principal cw_a, cw_b, cw_c;
    add_user("cw.a", w->code_a, "caseworker", w->org_a, ROLE_CASEWORKER, &cw_a);
    add_user("cw.a2", w->code_a, "caseworker", w->org_a, ROLE_CASEWORKER,
             &cw_c);
    add_user("cw.b", w->code_b, "caseworker", w->org_b, ROLE_CASEWORKER, &cw_b);
    struct case_input ci;
    memset(&ci, 0, sizeof ci);
    ci.traf_status = "actual";
    ci.exploit_province = "TH-74";
    char kase[32], r[32];
    int64_t case_id = 0;
    CHECK(case_open(db, v, &cw_a, &ci, NULL, 0, kase, &case_id, &err) == SR_OK);
    struct referral_filter all = { 0 };
    int before = list_count(cli(), &all);

    /* no victim yet: nobody's consent covers a referral */
    CHECK(send_case(&cw_a, kase, w->code_b, "legal_aid", r, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "no victim") != NULL);
    CHECK(strstr(sr_err_msg(&err), kase) != NULL);

    char p1[32], p2[32], p3[32];
    add_victim(&cw_a, kase, "victim", "Aye Aye Secretname", "my,th", p1);
    add_victim(&cw_a, kase, "victim", "Mya Mya Hiddenname", "my", p2);
    add_victim(&cw_a, kase, "witness", "Witness Quietname", "th", p3);
    /* the first victim consents to both; the second declines police
     * sharing; the witness gives nothing (witnesses are not asked) */
    consent(&cw_a, p1, "share_ngo", "given");
    consent(&cw_a, p1, "share_police", "given");
    consent(&cw_a, p2, "share_ngo", "given");
    consent(&cw_a, p2, "share_police", "declined");

    /* the test: consent declined for police sharing blocks a
     * referral to a police unit (and to an embassy, also an authority);
     * the message names the consent and the person's code, not a name */
    CHECK(send_case(&cw_a, kase, w->code_c, "rescue", r, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "share_police") != NULL);
    CHECK(strstr(sr_err_msg(&err), p2) != NULL);
    CHECK(strstr(sr_err_msg(&err), p1) == NULL);
    CHECK(strstr(sr_err_msg(&err), "Mya") == NULL);
    CHECK(send_case(&cw_a, kase, w->code_e, "repatriation", r, &err) ==
          SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), p2) != NULL);
    /* the command line is held to the same rule */
    CHECK(send_case(cli(), kase, w->code_c, "rescue", r, &err) == SR_EPERM);
    CHECK(list_count(cli(), &all) == before);

    /* every victim consents to NGO sharing: the legal-aid NGO gets it */
    CHECK(send_case(&cw_a, kase, w->code_b, "legal_aid", r, &err) == SR_OK);
    CHECK(list_count(cli(), &all) == before + 1);
    CHECK(referral_get(db, cli(), r, keep_referral, NULL, &err) == SR_OK);
    CHECK(strcmp(got_type, "case") == 0);
    CHECK(strcmp(last_subject, kase) == 0);
    CHECK(strcmp(got_category, "trafficking") == 0);
    CHECK(strcmp(got_province, "TH-74") == 0);
    CHECK(strcmp(got_language, "my") == 0);
    /* the receiving partner never sees the case's code */
    CHECK(referral_get(db, &w->partner_b, r, keep_referral, NULL, &err) ==
          SR_OK);
    CHECK(last_subject[0] == '\0');

    /* the second victim changes her mind: the police may now have it */
    consent(&cw_a, p2, "share_police", "given");
    CHECK(send_case(&cw_a, kase, w->code_c, "rescue", r, &err) == SR_OK);
    /* a withdrawal holds from then on, naming who withdrew */
    consent(&cw_a, p1, "share_ngo", "withdrawn");
    CHECK(send_case(&cw_a, kase, w->code_d, "shelter", r, &err) == SR_EPERM);
    CHECK(strstr(sr_err_msg(&err), "share_ngo") != NULL);
    CHECK(strstr(sr_err_msg(&err), p1) != NULL);
    CHECK(list_count(cli(), &all) == before + 2);

    /* scope: another organisation's case worker, a hotline operator (no
     * case.read), a partner and an unknown code find no case; a colleague
     * of the same organisation may refer it */
    consent(&cw_a, p1, "share_ngo", "given");
    CHECK(send_case(&cw_b, kase, w->code_d, "shelter", r, &err) ==
          SR_ENOTFOUND);
    CHECK(send_case(&w->hotline_a, kase, w->code_d, "shelter", r, &err) ==
          SR_ENOTFOUND);
    CHECK(send_case(&w->partner_b, kase, w->code_d, "shelter", r, &err) ==
          SR_ENOTFOUND);
    CHECK(send_case(&cw_a, "K-0000-0000", w->code_d, "shelter", r, &err) ==
          SR_ENOTFOUND);
    CHECK(list_count(cli(), &all) == before + 2);
    CHECK(send_case(&cw_c, kase, w->code_d, "shelter", r, &err) == SR_OK);
    CHECK(list_count(cli(), &all) == before + 3);
    /* an unknown subject type is named */
    struct referral_input bad = { .subject_type = "person",
                                  .subject_code = p1,
                                  .to_org = w->code_d,
                                  .service = "shelter",
                                  .urgency = "low" };
    CHECK(referral_send(db, v, &cw_a, &bad, r, &err) == SR_EINVAL);
    CHECK(strncmp(sr_err_msg(&err), "subject_type:", 13) == 0);
    sr_err_release(&err);
}

/* ---- a listing's count and its keyset pages ---------------------------- */

static int64_t
count_of(const struct principal *who, const struct referral_filter *f,
         int64_t cap)
{
    struct sr_err err = { 0 };
    int64_t n = -1;
    CHECK(referral_list_count(db, who, f, cap, &n, &err) == SR_OK);
    sr_err_release(&err);
    return n;
}

static int
keep_page_row(const struct referral_row *r, void *ctx)
{
    page_rows_add(ctx, r->code, r->id);
    return 0;
}

static void
test_list_count(struct world *w)
{
    struct sr_err err = { 0 };
    int64_t f_id, g_id, h_id;
    char f_code[32], g_code[32], h_code[32];
    REQUIRE(org_add(db, v, 0, "F Hotline", "hotline", "TH", f_code, &f_id,
                    &err) == SR_OK);
    REQUIRE(org_add(db, v, 0, "G Legal", "legal_aid", "TH", g_code, &g_id,
                    &err) == SR_OK);
    REQUIRE(org_add(db, v, 0, "H Shelter", "shelter", "TH", h_code, &h_id,
                    &err) == SR_OK);
    struct principal hot_f, partner_g, partner_h;
    add_user("count.f", f_code, "hotline", f_id, ROLE_HOTLINE, &hot_f);
    add_user("count.g", g_code, "partner", g_id, ROLE_PARTNER, &partner_g);
    add_user("count.h", h_code, "partner", h_id, ROLE_PARTNER, &partner_h);

    /* five referrals from F to G, sent in this order; G accepts the
     * second */
    char c[32], r[5][32];
    for (int i = 0; i < 5; i++) {
        make_contact(&hot_f, "trafficking", CONTACT_CONSENT_NGO, c);
        REQUIRE(send(&hot_f, c, g_code, "legal_aid", "normal", NULL, 0, r[i],
                     &err) == SR_OK);
    }
    REQUIRE(referral_answer(db, v, &partner_g, r[1], "accepted", NULL, 0,
                            &err) == SR_OK);

    struct referral_filter all = { 0 };
    CHECK(count_of(&hot_f, &all, 100) == 5);
    CHECK(count_of(&partner_g, &all, 100) == 5);
    CHECK(count_of(&partner_g, &(struct referral_filter){ .status = "sent" },
                   100) == 4);
    CHECK(count_of(&hot_f, &(struct referral_filter){ .status = "accepted" },
                   100) == 1);
    CHECK(count_of(&hot_f, &(struct referral_filter){ .to_org_id = h_id },
                   100) == 0);
    /* outside the scope: another partner, another organisation's
     * hotline asking for F's referrals, a role without referral.read */
    CHECK(count_of(&partner_h, &all, 100) == 0);
    CHECK(count_of(&w->hotline_a,
                   &(struct referral_filter){ .from_org_id = f_id }, 100) == 0);
    CHECK(count_of(&w->analyst_a, &all, 100) == 0);
    /* the cap: the count stops at cap + 1 */
    CHECK(count_of(&hot_f, &all, 2) == 3);
    CHECK(count_of(&hot_f, &all, 4) == 5);
    CHECK(count_of(&hot_f, &all, 5) == 5);
    CHECK(count_of(&hot_f, &all, 0) == 1);
    int64_t n = -1;
    CHECK(referral_list_count(db, &hot_f,
                              &(struct referral_filter){ .status = "lost" },
                              100, &n, &err) == SR_EINVAL &&
          n == -1);
    sr_err_release(&err);

    /* keyset pages of two: 5 4 | 3 2 | 1, each once; the count is of
     * every page, not of the one asked for */
    const int want[5] = { 4, 3, 2, 1, 0 };
    struct page_rows p[3];
    int64_t before = 0;
    for (int k = 0; k < 3; k++) {
        memset(&p[k], 0, sizeof p[k]);
        struct referral_filter f = { .before_id = before, .limit = 2 };
        CHECK(referral_list(db, &hot_f, &f, keep_page_row, &p[k], &err) ==
              SR_OK);
        CHECK(count_of(&hot_f, &f, 100) == 5);
        before = p[k].last_id;
    }
    CHECK(p[0].n == 2 && p[1].n == 2 && p[2].n == 1);
    int bad = 0;
    for (int i = 0; i < 5; i++) {
        TALLY(bad, strcmp(p[i / 2].codes[i % 2], r[want[i]]) == 0);
    }
    CHECK(bad == 0);
    sr_err_release(&err);
}

int
main(void)
{
    sr_clock_set(test_clock);
    webfix_clock_forward = clock_forward;
    v = fixture_vault();
    db = fixture_db();
    struct world w;
    memset(&w, 0, sizeof w);
    make_world(&w);
    test_consent_and_input(&w);
    test_state_machine(&w);
    test_scope_note_overdue(&w);
    test_case_subject(&w);
    test_list_count(&w);
    test_outcomes();
    test_pages();
    test_demo();
    struct sr_err err = { 0 };
    int64_t bad = 0, n = 0;
    CHECK(audit_verify(db, v, &bad, &n, &err) == SR_OK);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_referral");
}
