/*
 * referral.c - the referral network: sending a contact or a case to a partner
 * organisation for a service, the partner's answer as a state machine,
 * overdue referrals, the encrypted note, outcome statistics for the
 * monthly report, and the demo referrals.
 *
 * Owns tables referral and referral_event and all their SQL. Reads the
 * non-identifying columns of contact (the subject) with its own query,
 * and a case subject through case.h and person.h (attributes, victims and
 * their consent); never reads a contact's or person's identity fields. Every write and every read of
 * a note is audited in its transaction. Must not include html.h, json.h
 * or microhttpd.h, nor put notes in logs or error messages.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "referral/referral.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "cases/case.h"
#include "core/clock.h"
#include "core/dvec.h"
#include "hotline/contact.h"
#include "base/org.h"
#include "base/principal.h"
#include "cases/person.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/banned.h"

/* Hours to answer, in referral_urgencies' order. */
static const int answer_hours[] = { 2, 24, 72, 168 };

enum referral_stmt {
    RF_SUBJECT_CONTACT,
    RF_DEMO_CANDIDATES,
    RF_INSERT,
    RF_SET_NOTE,
    RF_EVENT,
    RF_STATE,
    RF_UPDATE,
    RF_LIST,
    RF_LIST_COUNT,
    RF_BY_CODE,
    RF_HISTORY,
    RF_NOTE,
    RF_AWAITING,
    RF_OUTCOMES,
    RF__COUNT
};

#define SUBJECT_COLS                                                \
    "id, org_id, coalesce(operator_id, 0), code, problem_province," \
    " problem_country, language, category, consent, received_at"

#define REFERRAL_COLS                                                    \
    "r.id, r.subject_id, r.from_org_id, r.to_org_id, r.code,"            \
    " r.subject_type, r.subject_code, f.code, f.name, t.code, t.name,"   \
    " t.kind, r.province, r.category, r.language, r.service, r.urgency," \
    " r.status, r.decline_reason, r.outcome, r.outcome_reason,"          \
    " coalesce(u.username, ''), r.sent_at, r.due_at,"                    \
    " coalesce(r.acknowledged_at, 0), coalesce(r.accepted_at, 0),"       \
    " coalesce(r.declined_at, 0), coalesce(r.outcome_at, 0),"            \
    " coalesce(r.closed_at, 0), r.consent_basis, r.note IS NOT NULL,"    \
    " r.status = 'sent' AND r.due_at < ?1"

#define REFERRAL_FROM                         \
    "  FROM referral AS r"                    \
    "  JOIN org AS f ON f.id = r.from_org_id" \
    "  JOIN org AS t ON t.id = r.to_org_id"   \
    "  LEFT JOIN \"user\" AS u ON u.id = r.sent_by"

/* A listing's filter: scope ?2, then referral_filter's fields; ?1 is now. */
#define LIST_WHERE                                              \
    " WHERE (?2 = 0 OR r.from_org_id = ?2 OR r.to_org_id = ?2)" \
    "   AND (?3 = 0 OR r.from_org_id = ?3)"                     \
    "   AND (?4 = 0 OR r.to_org_id = ?4)"                       \
    "   AND (?5 = 0 OR r.from_org_id = ?5 OR r.to_org_id = ?5)" \
    "   AND (?6 = '' OR r.status = ?6)"                         \
    "   AND (?7 = 0 OR (r.status = 'sent' AND r.due_at < ?1))"  \
    "   AND (?8 = 0 OR r.id < ?8)"

static const char *const referral_sql[RF__COUNT] = {
    [RF_SUBJECT_CONTACT] = "SELECT " SUBJECT_COLS "  FROM contact"
                           " WHERE code = ?1 AND deleted_at IS NULL",
    [RF_DEMO_CANDIDATES] = "SELECT " SUBJECT_COLS "  FROM contact"
                           " WHERE org_id = ?1 AND deleted_at IS NULL"
                           "   AND category IN ('trafficking',"
                           "                    'labour_rights')"
                           " ORDER BY received_at, id"
                           " LIMIT ?2",
    [RF_INSERT] =
        "INSERT INTO referral(code, subject_type, subject_id, subject_code,"
        "                     province, category, language, from_org_id,"
        "                     to_org_id, service, urgency, consent_basis,"
        "                     sent_by, sent_at, due_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        "         ?14, ?15, ?14)",
    [RF_SET_NOTE] = "UPDATE referral"
                    "   SET note = ?2"
                    " WHERE id = ?1",
    [RF_EVENT] = "INSERT INTO referral_event(referral_id, status, reason, at,"
                 "                           user_id, org_id)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [RF_STATE] = "SELECT id, status, from_org_id, to_org_id, updated_at,"
                 "       coalesce(acknowledged_at, 0),"
                 "       coalesce(accepted_at, 0), coalesce(declined_at, 0),"
                 "       decline_reason, outcome, coalesce(outcome_at, 0),"
                 "       outcome_reason, coalesce(closed_at, 0)"
                 "  FROM referral"
                 " WHERE code = ?1",
    [RF_UPDATE] = "UPDATE referral"
                  "   SET status = ?2, acknowledged_at = nullif(?3, 0),"
                  "       accepted_at = nullif(?4, 0),"
                  "       declined_at = nullif(?5, 0), decline_reason = ?6,"
                  "       outcome = ?7, outcome_at = nullif(?8, 0),"
                  "       outcome_reason = ?9, closed_at = nullif(?10, 0),"
                  "       updated_at = ?11"
                  " WHERE id = ?1",
    [RF_LIST] =
        "SELECT " REFERRAL_COLS REFERRAL_FROM LIST_WHERE " ORDER BY r.id DESC"
        " LIMIT ?9",
    /* the list's rows over all its pages (?8 bound 0), up to ?9 */
    [RF_LIST_COUNT] =
        "SELECT count(*)"
        "  FROM (SELECT 1" REFERRAL_FROM LIST_WHERE "         LIMIT ?9) AS m",
    [RF_BY_CODE] = "SELECT " REFERRAL_COLS REFERRAL_FROM " WHERE r.code = ?2"
                   "   AND (?3 = 0 OR r.from_org_id = ?3"
                   "        OR r.to_org_id = ?3)",
    [RF_HISTORY] = "SELECT e.status, e.reason, coalesce(u.username, ''),"
                   "       coalesce(o.name, ''), e.at"
                   "  FROM referral_event AS e"
                   "  LEFT JOIN \"user\" AS u ON u.id = e.user_id"
                   "  LEFT JOIN org AS o ON o.id = e.org_id"
                   " WHERE e.referral_id = ?1"
                   " ORDER BY e.id",
    [RF_NOTE] = "SELECT note, code, from_org_id, to_org_id"
                "  FROM referral"
                " WHERE id = ?1",
    [RF_AWAITING] =
        "SELECT count(*),"
        "       coalesce(sum(CASE WHEN due_at < ?2 THEN 1 ELSE 0 END), 0)"
        "  FROM referral"
        " WHERE status = 'sent'"
        "   AND (?1 = 0 OR from_org_id = ?1 OR to_org_id = ?1)",
    [RF_OUTCOMES] = "SELECT r.to_org_id, o.code, o.name, r.sent_at,"
                    "       coalesce(r.acknowledged_at, 0),"
                    "       r.accepted_at IS NOT NULL,"
                    "       r.declined_at IS NOT NULL, r.outcome,"
                    "       coalesce(r.outcome_at, 0), r.category,"
                    "       r.subject_type = 'contact', r.subject_id"
                    "  FROM referral AS r"
                    "  JOIN org AS o ON o.id = r.to_org_id"
                    " WHERE r.sent_at >= ?1 AND r.sent_at < ?2"
                    "   AND (?3 = 0 OR r.from_org_id = ?3)"
                    " ORDER BY o.name, o.id, r.id",
};

static int
is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int
referral_answer_hours(const char *urgency)
{
    int i = vocab_find(referral_urgencies, urgency);
    return i < 0 ? -1 : answer_hours[i];
}

int
referral_consent_needed(const char *org_kind)
{
    static const char *const authorities[] = { "police", "prosecutor",
                                               "labour_inspection", "embassy" };
    if (org_kind == NULL || vocab_find(org_kinds, org_kind) < 0) {
        return 0;
    }
    for (size_t i = 0; i < sizeof authorities / sizeof authorities[0]; i++) {
        if (strcmp(org_kind, authorities[i]) == 0) {
            return CONTACT_CONSENT_POLICE;
        }
    }
    return CONTACT_CONSENT_NGO;
}

/* ---- subjects ----------------------------------------------------------- */

static void
subject_from(struct db_stmt *s, struct referral_subject *out, int64_t *owner)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_i64(s, 0);
    out->org_id = db_col_i64(s, 1);
    *owner = db_col_i64(s, 2);
    snprintf(out->type, sizeof out->type, "contact");
    snprintf(out->code, sizeof out->code, "%s", db_col_text(s, 3));
    snprintf(out->province, sizeof out->province, "%s", db_col_text(s, 4));
    snprintf(out->country, sizeof out->country, "%s", db_col_text(s, 5));
    snprintf(out->language, sizeof out->language, "%s", db_col_text(s, 6));
    snprintf(out->category, sizeof out->category, "%s", db_col_text(s, 7));
    out->consent = db_col_int(s, 8);
    out->received_at = db_col_i64(s, 9);
}

/* What a case subject needs from case_get(). */
struct case_pick {
    struct referral_subject *out;
    int64_t owner;
};

static int
keep_case(const struct case_row *r, void *ctx)
{
    struct case_pick *c = ctx;
    struct referral_subject *out = c->out;
    out->id = r->id;
    out->org_id = r->org_id;
    c->owner = r->assigned_to ? r->assigned_to : r->created_by;
    snprintf(out->type, sizeof out->type, "case");
    snprintf(out->code, sizeof out->code, "%s", r->code);
    snprintf(out->province, sizeof out->province, "%s", r->exploit_province);
    snprintf(out->country, sizeof out->country, "%s", r->exploit_country);
    snprintf(out->category, sizeof out->category, "trafficking");
    out->received_at = r->identified_at;
    return 0;
}

struct victim_scan {
    struct db *db;
    struct referral_subject *out;
};

/* Each live victim: count, note the first language and who lacks which
 * consent. */
static int
scan_victim(const struct person_row *r, void *ctx)
{
    struct victim_scan *c = ctx;
    struct referral_subject *out = c->out;
    if (strcmp(r->role, "victim") != 0 || r->merged_into[0] != '\0') {
        return 0;
    }
    out->n_victims++;
    if (out->language[0] == '\0' && r->languages[0] != '\0') {
        size_t len = strcspn(r->languages, ",");
        if (len < sizeof out->language) {
            snprintf(out->language, sizeof out->language, "%.*s", (int)len,
                     r->languages);
        }
    }
    if (out->no_ngo[0] == '\0' && !person_consent(c->db, r->id, "share_ngo")) {
        snprintf(out->no_ngo, sizeof out->no_ngo, "%s", r->code);
    }
    if (out->no_police[0] == '\0' &&
        !person_consent(c->db, r->id, "share_police")) {
        snprintf(out->no_police, sizeof out->no_police, "%s", r->code);
    }
    return 0;
}

/* 1 if who may send a referral about a record of org_id owned by owner. */
static int
may_send(const struct principal *who, int64_t org_id, int64_t owner)
{
    struct scope_filter sf;
    return principal_scope(who, ACT_REFERRAL_SEND, &sf) == SR_OK &&
           scope_filter_admits(&sf, org_id, owner);
}

static int
case_subject(struct db *db, const struct principal *who, const char *code,
             struct referral_subject *out, struct sr_err *err)
{
    struct referral_subject got;
    memset(&got, 0, sizeof got);
    struct case_pick pick = { &got, 0 };
    /* the sender must be able to read the case, and send for its
     * organisation */
    int rc = case_get(db, who, code, keep_case, &pick, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!may_send(who, got.org_id, pick.owner)) {
        return sr_err_set(err, SR_ENOTFOUND, "case: not found");
    }
    struct victim_scan scan = { db, &got };
    rc = person_list_for_case(db, got.id, scan_victim, &scan, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (got.n_victims > 0) {
        got.consent |= got.no_ngo[0] ? 0 : CONTACT_CONSENT_NGO;
        got.consent |= got.no_police[0] ? 0 : CONTACT_CONSENT_POLICE;
    }
    *out = got;
    return SR_OK;
}

int
referral_subject_get(struct db *db, const struct principal *who,
                     const char *type, const char *code,
                     struct referral_subject *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    if (type != NULL && strcmp(type, "case") == 0) {
        return case_subject(db, who, code, out, err);
    }
    if (type == NULL || strcmp(type, "contact") != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "subject_type: must be 'contact' or 'case'");
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_SUBJECT_CONTACT]);
    db_bind_text(s, 1, code ? code : "");
    int step = db_step(s);
    struct referral_subject got;
    int64_t owner = 0;
    if (step == DB_ROW) {
        subject_from(s, &got, &owner);
    }
    db_done(s);
    if (step != DB_ROW && step != DB_DONE) {
        return db_error(db, err, "cannot read contact");
    }
    if (step == DB_DONE || !may_send(who, got.org_id, owner)) {
        return sr_err_set(err, SR_ENOTFOUND, "contact: not found");
    }
    *out = got;
    return SR_OK;
}

int
referral_demo_candidates(struct db *db, int64_t org_id, size_t max,
                         struct referral_subject *out, size_t *n_out,
                         struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_DEMO_CANDIDATES]);
    db_bind_i64(s, 1, org_id);
    db_bind_i64(s, 2, (int64_t)max);
    size_t n = 0;
    int step;
    while ((step = db_step(s)) == DB_ROW && n < max) {
        int64_t owner;
        subject_from(s, &out[n++], &owner);
    }
    int rc = db_end(db, s, step, "cannot read contacts", err);
    if (rc == SR_OK) {
        *n_out = n;
    }
    return rc;
}

/* ---- sending ------------------------------------------------------------ */

struct org_pick {
    int64_t id;
    char kind[32];
    int is_active;
};

static int
keep_org(const struct org_entry *e, void *ctx)
{
    struct org_pick *p = ctx;
    p->id = e->id;
    snprintf(p->kind, sizeof p->kind, "%s", e->kind);
    p->is_active = e->is_active;
    return 1;
}

static int
add_event(struct db *db, int64_t referral_id, const char *status,
          const char *reason, int64_t at, const struct principal *who,
          struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_EVENT]);
    db_bind_i64(s, 1, referral_id);
    db_bind_text(s, 2, status);
    db_bind_text(s, 3, reason ? reason : "");
    db_bind_i64(s, 4, at);
    if (who->user_id > 0) {
        db_bind_i64(s, 5, who->user_id);
        db_bind_i64(s, 6, who->org_id);
    } else {
        db_bind_null(s, 5);
        db_bind_null(s, 6);
    }
    return db_exec_stmt(db, s, err);
}

static int
consent_refusal(const struct referral_subject *subj, int needed,
                struct sr_err *err)
{
    int is_police = needed == CONTACT_CONSENT_POLICE;
    if (strcmp(subj->type, "case") != 0) {
        return sr_err_set(err, SR_EPERM,
                          is_police
                              ? "consent: the caller did not consent to "
                                "sharing with police and authorities, which "
                                "this organisation needs"
                              : "consent: the caller did not consent to "
                                "sharing with NGOs and services, which this "
                                "organisation needs");
    }
    if (subj->n_victims == 0) {
        return sr_err_set(err, SR_EPERM,
                          "consent: case %s has no victim; sharing with %s "
                          "needs every victim's consent",
                          subj->code,
                          is_police ? "police (share_police)"
                                    : "NGOs (share_ngo)");
    }
    return sr_err_set(err, SR_EPERM,
                      "consent: person %s has not given consent to sharing "
                      "with %s, which this organisation needs",
                      is_police ? subj->no_police : subj->no_ngo,
                      is_police ? "police (share_police)" : "NGOs (share_ngo)");
}

int
referral_send(struct db *db, const struct vault *v, const struct principal *who,
              const struct referral_input *in, char code_out[32],
              struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    struct referral_subject subj;
    int rc = referral_subject_get(
        db, who, in->subject_type ? in->subject_type : "contact",
        in->subject_code, &subj, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t from_org = !who->is_local        ? who->org_id
                       : in->from_org_id > 0 ? in->from_org_id
                                             : subj.org_id;
    struct org_pick to = { 0 };
    int64_t to_id = 0;
    if (is_blank(in->to_org) ||
        org_id_by_code(db, in->to_org, &to_id, NULL) != SR_OK ||
        org_get_entry(db, to_id, keep_org, &to, NULL) != SR_OK) {
        return sr_err_set(err, SR_EINVAL, "to: no such organisation");
    }
    if (!to.is_active) {
        return sr_err_set(err, SR_EINVAL, "to: the organisation is inactive");
    }
    if (to.id == from_org) {
        return sr_err_set(err, SR_EINVAL,
                          "to: cannot refer to the sending organisation");
    }
    if (vocab_find(org_services, in->service) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "service: not one of the allowed values");
    }
    int hours = referral_answer_hours(in->urgency);
    if (hours < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "urgency: must be emergency, high, normal or low");
    }
    size_t note_len = in->note ? strlen(in->note) : 0;
    if (note_len > REFERRAL_MAX_NOTE) {
        return sr_err_set(err, SR_EINVAL, "note: longer than %d bytes",
                          REFERRAL_MAX_NOTE);
    }
    if (!sr_utf8_valid(in->note ? in->note : "", note_len)) {
        return sr_err_set(err, SR_EINVAL, "note: not valid UTF-8 text");
    }
    int64_t now = sr_now();
    int64_t sent_at = in->sent_at ? in->sent_at : now;
    if (sent_at < 946684800 || sent_at > now + 300) {
        return sr_err_set(err, SR_EINVAL,
                          "sent_at: must be between 2000 and now");
    }
    int needed = referral_consent_needed(to.kind);
    if (needed == 0 || (subj.consent & needed) == 0) {
        return consent_refusal(&subj, needed, err);
    }
    char code[32];
    vault_code("R", code, sizeof code);
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, subj.type);
    db_bind_i64(s, 3, subj.id);
    db_bind_text(s, 4, subj.code);
    db_bind_text(s, 5, subj.province);
    db_bind_text(s, 6, subj.category);
    db_bind_text(s, 7, subj.language);
    db_bind_i64(s, 8, from_org);
    db_bind_i64(s, 9, to.id);
    db_bind_text(s, 10, in->service);
    db_bind_text(s, 11, in->urgency);
    db_bind_int(s, 12, needed);
    db_bind_id(s, 13, who->user_id);
    db_bind_i64(s, 14, sent_at);
    db_bind_i64(s, 15, sent_at + (int64_t)hours * 3600);
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    if (rc == SR_OK && note_len > 0) {
        struct sr_buf enc;
        sr_buf_init(&enc, 0);
        rc = vault_encrypt(v, "referral", "note", id, in->note, note_len, &enc,
                           err);
        if (rc == SR_OK) {
            s = db_stmt(db, &referral_sql[RF_SET_NOTE]);
            db_bind_i64(s, 1, id);
            db_bind_blob(s, 2, enc.data, enc.len);
            rc = db_exec_stmt(db, s, err);
        }
        sr_buf_release(&enc);
    }
    if (rc == SR_OK) {
        rc = add_event(db, id, "sent", "", sent_at, who, err);
    }
    if (rc == SR_OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "to=%s service=%s urgency=%s",
                 in->to_org, in->service, in->urgency);
        struct audit_entry e = { who->user_id, "referral.send", "referral",
                                 code, detail };
        rc = audit_append(db, v, &e, err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    memcpy(code_out, code, sizeof code);
    return SR_OK;
}

/* ---- answering ---------------------------------------------------------- */

static const struct {
    const char *from, *to;
} transitions[] = {
    { "sent", "acknowledged" },     { "sent", "accepted" },
    { "sent", "declined" },         { "acknowledged", "accepted" },
    { "acknowledged", "declined" }, { "accepted", "action_taken" },
    { "accepted", "no_action" },    { "declined", "closed" },
    { "action_taken", "closed" },   { "no_action", "closed" },
};

int
referral_transition_ok(const char *from, const char *to)
{
    for (size_t i = 0;
         from && to && i < sizeof transitions / sizeof transitions[0]; i++) {
        if (strcmp(transitions[i].from, from) == 0 &&
            strcmp(transitions[i].to, to) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The answerable state of one referral. */
struct state {
    int64_t id, from_org, to_org, updated_at;
    int64_t acknowledged_at, accepted_at, declined_at, outcome_at, closed_at;
    char status[16], decline_reason[32], outcome[16], outcome_reason[32];
};

/* The row of RF_STATE into the struct state p. */
static int
read_state(struct db_stmt *s, void *p)
{
    struct state *st = p;
    memset(st, 0, sizeof *st);
    st->id = db_col_i64(s, 0);
    snprintf(st->status, sizeof st->status, "%s", db_col_text(s, 1));
    st->from_org = db_col_i64(s, 2);
    st->to_org = db_col_i64(s, 3);
    st->updated_at = db_col_i64(s, 4);
    st->acknowledged_at = db_col_i64(s, 5);
    st->accepted_at = db_col_i64(s, 6);
    st->declined_at = db_col_i64(s, 7);
    snprintf(st->decline_reason, sizeof st->decline_reason, "%s",
             db_col_text(s, 8));
    snprintf(st->outcome, sizeof st->outcome, "%s", db_col_text(s, 9));
    st->outcome_at = db_col_i64(s, 10);
    snprintf(st->outcome_reason, sizeof st->outcome_reason, "%s",
             db_col_text(s, 11));
    st->closed_at = db_col_i64(s, 12);
    return 0;
}

static int
load_state(struct db *db, const char *code, struct state *st,
           struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_STATE]);
    db_bind_text(s, 1, code ? code : "");
    return db_one(db, s, read_state, st, "referral: not found",
                  "cannot read referral", err);
}

/* The organisation filter for who's referral.read scope (a referral
 * is in it when sent by or to the organisation): 0 = all, -1 = none. */
static int64_t
read_scope(const struct principal *who)
{
    struct scope_filter f;
    (void)principal_scope(who, ACT_REFERRAL_READ, &f);
    return f.org_id;
}

static int
may_answer(const struct principal *who, const struct state *st,
           const char *status)
{
    if (who->is_local) {
        return 1;
    }
    int is_partner = who->org_id == st->to_org &&
                     policy_allows(who, ACT_REFERRAL_ANSWER, st->to_org, 0);
    if (is_partner) {
        return 1;
    }
    return strcmp(status, "closed") == 0 && who->org_id == st->from_org &&
           policy_allows(who, ACT_REFERRAL_SEND, st->from_org, 0);
}

static int
check_reason(const char *status, const char *reason, struct sr_err *err)
{
    const struct vocab_item *list =
        strcmp(status, "declined") == 0    ? referral_decline_reasons
        : strcmp(status, "no_action") == 0 ? referral_no_action_reasons
                                           : NULL;
    if (list == NULL) {
        return is_blank(reason)
                   ? SR_OK
                   : sr_err_set(err, SR_EINVAL,
                                "reason: only for declined and no_action");
    }
    if (is_blank(reason)) {
        return sr_err_set(err, SR_EINVAL, "reason: required for %s", status);
    }
    if (vocab_find(list, reason) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "reason: not one of the allowed values for %s",
                          status);
    }
    return SR_OK;
}

int
referral_answer(struct db *db, const struct vault *v,
                const struct principal *who, const char *code,
                const char *status, const char *reason, int64_t at,
                struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    if (status == NULL || vocab_find(referral_statuses, status) < 0 ||
        strcmp(status, "sent") == 0) {
        return sr_err_set(err, SR_EINVAL,
                          "status: must be acknowledged, accepted, declined, "
                          "action_taken, no_action or closed");
    }
    int rc = check_reason(status, reason, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t now = sr_now();
    if (at == 0) {
        at = now;
    }
    if (at > now + 300) {
        return sr_err_set(err, SR_EINVAL, "at: in the future");
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct state st;
    rc = load_state(db, code, &st, err);
    int64_t scope = read_scope(who);
    if (rc == SR_OK && (scope < 0 || (scope != 0 && st.from_org != scope &&
                                      st.to_org != scope))) {
        rc = sr_err_set(err, SR_ENOTFOUND, "referral: not found");
    }
    if (rc == SR_OK && !may_answer(who, &st, status)) {
        rc = sr_err_set(err, SR_EPERM,
                        "status: your organisation cannot make this step");
    }
    if (rc == SR_OK && !referral_transition_ok(st.status, status)) {
        rc = sr_err_set(err, SR_ECONFLICT, "status: cannot go from %s to %s",
                        st.status, status);
    }
    if (rc == SR_OK && at < st.updated_at) {
        rc = sr_err_set(err, SR_EINVAL, "at: before the previous step");
    }
    if (rc == SR_OK) {
        if (st.acknowledged_at == 0) {
            st.acknowledged_at = at; /* every first answer acknowledges */
        }
        if (strcmp(status, "accepted") == 0) {
            st.accepted_at = at;
        } else if (strcmp(status, "declined") == 0) {
            st.declined_at = at;
            snprintf(st.decline_reason, sizeof st.decline_reason, "%s", reason);
        } else if (strcmp(status, "action_taken") == 0 ||
                   strcmp(status, "no_action") == 0) {
            snprintf(st.outcome, sizeof st.outcome, "%s", status);
            st.outcome_at = at;
            snprintf(st.outcome_reason, sizeof st.outcome_reason, "%s",
                     reason ? reason : "");
        } else if (strcmp(status, "closed") == 0) {
            st.closed_at = at;
        }
        struct db_stmt *s = db_stmt(db, &referral_sql[RF_UPDATE]);
        db_bind_i64(s, 1, st.id);
        db_bind_text(s, 2, status);
        db_bind_i64(s, 3, st.acknowledged_at);
        db_bind_i64(s, 4, st.accepted_at);
        db_bind_i64(s, 5, st.declined_at);
        db_bind_text(s, 6, st.decline_reason);
        db_bind_text(s, 7, st.outcome);
        db_bind_i64(s, 8, st.outcome_at);
        db_bind_text(s, 9, st.outcome_reason);
        db_bind_i64(s, 10, st.closed_at);
        db_bind_i64(s, 11, at);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        rc = add_event(db, st.id, status, reason, at, who, err);
    }
    if (rc == SR_OK) {
        char detail[96];
        snprintf(detail, sizeof detail, "status=%s%s%s", status,
                 is_blank(reason) ? "" : " reason=", reason ? reason : "");
        struct audit_entry e = { who->user_id, "referral.answer", "referral",
                                 code, detail };
        rc = audit_append(db, v, &e, err);
    }
    return db_finish(db, rc, err);
}

/* ---- reading ------------------------------------------------------------ */

static void
row_from(struct db_stmt *s, const struct principal *who, struct referral_row *r)
{
    r->id = db_col_i64(s, 0);
    r->subject_id = db_col_i64(s, 1);
    r->from_org_id = db_col_i64(s, 2);
    r->to_org_id = db_col_i64(s, 3);
    r->code = db_col_text(s, 4);
    r->subject_type = db_col_text(s, 5);
    r->subject_code =
        who->is_local || who->org_id == r->from_org_id ? db_col_text(s, 6) : "";
    r->from_org_code = db_col_text(s, 7);
    r->from_org_name = db_col_text(s, 8);
    r->to_org_code = db_col_text(s, 9);
    r->to_org_name = db_col_text(s, 10);
    r->to_org_kind = db_col_text(s, 11);
    r->province = db_col_text(s, 12);
    r->category = db_col_text(s, 13);
    r->language = db_col_text(s, 14);
    r->service = db_col_text(s, 15);
    r->urgency = db_col_text(s, 16);
    r->status = db_col_text(s, 17);
    r->decline_reason = db_col_text(s, 18);
    r->outcome = db_col_text(s, 19);
    r->outcome_reason = db_col_text(s, 20);
    r->sent_by = db_col_text(s, 21);
    r->sent_at = db_col_i64(s, 22);
    r->due_at = db_col_i64(s, 23);
    r->acknowledged_at = db_col_i64(s, 24);
    r->accepted_at = db_col_i64(s, 25);
    r->declined_at = db_col_i64(s, 26);
    r->outcome_at = db_col_i64(s, 27);
    r->closed_at = db_col_i64(s, 28);
    r->consent_basis = db_col_int(s, 29);
    r->has_note = db_col_int(s, 30);
    r->is_overdue = db_col_int(s, 31);
}

/* A listing's caller, as db_each() hands it to visit_referral() or
 * visit_event(). */
struct referral_visit {
    const struct principal *who; /* whose view row_from() gives */
    int (*row_fn)(const struct referral_row *r, void *ctx);
    int (*event_fn)(const struct referral_event_row *e, void *ctx);
    void *ctx;
};

static int
visit_referral(struct db_stmt *s, void *p)
{
    const struct referral_visit *v = p;
    struct referral_row r;
    row_from(s, v->who, &r);
    return v->row_fn(&r, v->ctx);
}

static int
visit_event(struct db_stmt *s, void *p)
{
    const struct referral_visit *v = p;
    struct referral_event_row e = {
        .status = db_col_text(s, 0),
        .reason = db_col_text(s, 1),
        .username = db_col_text(s, 2),
        .org_name = db_col_text(s, 3),
        .at = db_col_i64(s, 4),
    };
    return v->event_fn(&e, v->ctx);
}

int
referral_get(struct db *db, const struct principal *who, const char *code,
             int (*fn)(const struct referral_row *r, void *ctx), void *ctx,
             struct sr_err *err)
{
    assert(db != NULL && who != NULL);
    int64_t scope = read_scope(who);
    if (scope < 0) {
        return sr_err_set(err, SR_ENOTFOUND, "referral: not found");
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_BY_CODE]);
    db_bind_i64(s, 1, sr_now());
    db_bind_text(s, 2, code ? code : "");
    db_bind_i64(s, 3, scope);
    struct referral_visit v = { .who = who, .row_fn = fn, .ctx = ctx };
    return db_one(db, s, visit_referral, &v, "referral: not found",
                  "cannot read referral", err);
}

/* SR_EINVAL naming "status" when f's is not one of referral_statuses. */
static int
check_list_filter(const struct referral_filter *f, struct sr_err *err)
{
    if (!is_blank(f->status) && vocab_find(referral_statuses, f->status) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "status: not one of the allowed "
                          "values");
    }
    return SR_OK;
}

/* Bind a listing's statement (LIST_WHERE): scope, f, the cursor before_id
 * (0 = none) and LIMIT limit. */
static void
bind_filter(struct db_stmt *s, int64_t scope, const struct referral_filter *f,
            int64_t before_id, int64_t limit)
{
    db_bind_i64(s, 1, sr_now());
    db_bind_i64(s, 2, scope);
    db_bind_i64(s, 3, f->from_org_id);
    db_bind_i64(s, 4, f->to_org_id);
    db_bind_i64(s, 5, f->org_id);
    db_bind_text(s, 6, f->status ? f->status : "");
    db_bind_int(s, 7, f->is_overdue ? 1 : 0);
    db_bind_i64(s, 8, before_id);
    db_bind_i64(s, 9, limit);
}

int
referral_list(struct db *db, const struct principal *who,
              const struct referral_filter *f,
              int (*fn)(const struct referral_row *r, void *ctx), void *ctx,
              struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && fn != NULL);
    int64_t scope = read_scope(who);
    if (scope < 0) {
        return SR_OK;
    }
    int rc = check_list_filter(f, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_LIST]);
    bind_filter(s, scope, f, f->before_id,
                f->limit > 0 && f->limit <= 1000 ? f->limit : 100);
    struct referral_visit v = { .who = who, .row_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_referral, &v, "cannot list referrals", err);
}

int
referral_list_count(struct db *db, const struct principal *who,
                    const struct referral_filter *f, int64_t cap,
                    int64_t *n_matches, struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && n_matches != NULL);
    assert(cap >= 0 && cap < INT64_MAX);
    int64_t scope = read_scope(who);
    if (scope < 0) {
        *n_matches = 0;
        return SR_OK;
    }
    int rc = check_list_filter(f, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_LIST_COUNT]);
    bind_filter(s, scope, f, 0, cap + 1);
    int step = db_step(s);
    int64_t n = step == DB_ROW ? db_col_i64(s, 0) : 0;
    rc = db_end(db, s, step, "cannot count referrals", err);
    if (rc == SR_OK) {
        *n_matches = n;
    }
    return rc;
}

int
referral_history(struct db *db, int64_t referral_id,
                 int (*fn)(const struct referral_event_row *e, void *ctx),
                 void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_HISTORY]);
    db_bind_i64(s, 1, referral_id);
    struct referral_visit v = { .event_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_event, &v, "cannot read referral history", err);
}

static int
note_allowed(const struct principal *who, int64_t from_org, int64_t to_org)
{
    if (who->is_local) {
        return 1;
    }
    if (who->org_id == to_org &&
        policy_allows(who, ACT_REFERRAL_ANSWER, to_org, 0)) {
        return 1;
    }
    return who->org_id == from_org && principal_can_see_identity(who) &&
           policy_allows(who, ACT_REFERRAL_READ, from_org, 0);
}

int
referral_may_read_note(const struct principal *who,
                       const struct referral_row *r)
{
    return note_allowed(who, r->from_org_id, r->to_org_id);
}

int
referral_note_read(struct db *db, const struct vault *v,
                   const struct principal *who, int64_t referral_id,
                   struct sr_buf *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL);
    int64_t scope = read_scope(who);
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_NOTE]);
    db_bind_i64(s, 1, referral_id);
    int step = db_step(s);
    char code[32] = "";
    if (step != DB_ROW) {
        rc = step == DB_DONE
                 ? sr_err_set(err, SR_ENOTFOUND, "referral: not found")
                 : db_error(db, err, "cannot read referral");
    } else {
        int64_t from = db_col_i64(s, 2);
        int64_t to = db_col_i64(s, 3);
        snprintf(code, sizeof code, "%s", db_col_text(s, 1));
        if (scope < 0 || (scope != 0 && from != scope && to != scope)) {
            rc = sr_err_set(err, SR_ENOTFOUND, "referral: not found");
        } else if (!note_allowed(who, from, to)) {
            rc = sr_err_set(err, SR_EPERM, "note: hidden for this role");
        } else {
            int n = db_col_bytes(s, 0);
            if (n > 0) {
                rc = vault_decrypt(v, "referral", "note", referral_id,
                                   db_col_blob(s, 0), (size_t)n, out, err);
            }
        }
    }
    db_done(s);
    struct audit_entry e = { who->user_id, "referral.view_note", "referral",
                             code, "" };
    return audit_finish(db, v, &e, rc, err);
}

int
referral_count_awaiting(struct db *db, const struct principal *who,
                        int64_t *n_awaiting, int64_t *n_overdue,
                        struct sr_err *err)
{
    assert(db != NULL && who != NULL);
    int64_t scope = read_scope(who);
    if (scope < 0) {
        *n_awaiting = *n_overdue = 0;
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_AWAITING]);
    db_bind_i64(s, 1, scope);
    db_bind_i64(s, 2, sr_now());
    int step = db_step(s);
    if (step == DB_ROW) {
        *n_awaiting = db_col_i64(s, 0);
        *n_overdue = db_col_i64(s, 1);
    }
    db_done(s);
    return step == DB_ROW ? SR_OK : db_error(db, err, "cannot count referrals");
}

/* ---- outcome statistics ------------------------------------------------- */

/* The median of d, or -1 when it holds nothing. */
static double
median(struct sr_dvec *d)
{
    return d->n > 0 ? sr_median(d->v, d->n) : -1;
}

/* A trafficking subject referred, and whether that referral saw action. */
struct tsubj {
    int64_t id;
    int has_action;
};

struct tvec {
    struct tsubj *v;
    size_t n, cap;
};

static void
tvec_push(struct tvec *t, int64_t id, int has_action)
{
    t->v = sr_xgrow(t->v, t->n, &t->cap, sizeof t->v[0]);
    t->v[t->n].id = id;
    t->v[t->n].has_action = has_action;
    t->n++;
}

static int
cmp_tsubj(const void *a, const void *b)
{
    int64_t x = ((const struct tsubj *)a)->id;
    int64_t y = ((const struct tsubj *)b)->id;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Distinct subjects, and those with action in any of their referrals. */
static void
tvec_count(struct tvec *t, int64_t *n_subj, int64_t *n_action)
{
    *n_subj = *n_action = 0;
    if (t->n == 0) {
        return;
    }
    qsort(t->v, t->n, sizeof t->v[0], cmp_tsubj);
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        int any = 0;
        while (j < t->n && t->v[j].id == t->v[i].id) {
            any |= t->v[j].has_action;
            j++;
        }
        (*n_subj)++;
        *n_action += any;
        i = j;
    }
}

struct agg {
    struct referral_outcome o;
    struct sr_dvec ack, action;
    struct tvec traf;
    char code[32], name[256];
};

static void
agg_reset(struct agg *a, int64_t org_id, const char *code, const char *name)
{
    struct sr_dvec ack = a->ack, action = a->action;
    struct tvec traf = a->traf;
    memset(&a->o, 0, sizeof a->o);
    a->ack = ack;
    a->action = action;
    a->traf = traf;
    a->ack.n = a->action.n = a->traf.n = 0;
    a->o.org_id = org_id;
    snprintf(a->code, sizeof a->code, "%s", code);
    snprintf(a->name, sizeof a->name, "%s", name);
}

static int
agg_emit(struct agg *a, int (*fn)(const struct referral_outcome *o, void *ctx),
         void *ctx)
{
    a->o.org_code = a->code;
    a->o.org_name = a->name;
    a->o.median_hours_ack = median(&a->ack);
    a->o.median_hours_action = median(&a->action);
    tvec_count(&a->traf, &a->o.n_trafficking, &a->o.n_trafficking_action);
    return fn(&a->o, ctx);
}

static void
agg_release(struct agg *a)
{
    sr_dvec_release(&a->ack);
    sr_dvec_release(&a->action);
    free(a->traf.v);
}

static void
agg_add(struct agg *a, struct db_stmt *s)
{
    int64_t sent = db_col_i64(s, 3);
    int64_t ack = db_col_i64(s, 4);
    const char *outcome = db_col_text(s, 7);
    int64_t outcome_at = db_col_i64(s, 8);
    int is_action = strcmp(outcome, "action_taken") == 0;
    a->o.n_sent++;
    if (ack > 0) {
        a->o.n_acknowledged++;
        sr_dvec_push(&a->ack, (double)(ack - sent) / 3600.0);
    }
    a->o.n_accepted += db_col_int(s, 5);
    a->o.n_declined += db_col_int(s, 6);
    if (is_action) {
        a->o.n_action_taken++;
        sr_dvec_push(&a->action, (double)(outcome_at - sent) / 3600.0);
    } else if (strcmp(outcome, "no_action") == 0) {
        a->o.n_no_action++;
    }
    if (strcmp(db_col_text(s, 9), "trafficking") == 0 && db_col_int(s, 10)) {
        tvec_push(&a->traf, db_col_i64(s, 11), is_action);
    }
}

int
referral_outcomes(struct db *db, int64_t org_scope, int64_t from, int64_t to,
                  int (*fn)(const struct referral_outcome *o, void *ctx),
                  void *ctx, struct sr_err *err)
{
    assert(db != NULL && fn != NULL);
    if (from > to) {
        return sr_err_set(err, SR_EINVAL, "from: after to");
    }
    struct agg one, all;
    memset(&one, 0, sizeof one);
    memset(&all, 0, sizeof all);
    agg_reset(&all, 0, "", "");
    /* inside a caller's read transaction (the monthly report) the outcomes
     * share its snapshot; otherwise they get their own */
    int is_own_txn = !db_in_transaction(db);
    int rc = is_own_txn ? db_begin_read(db, err) : SR_OK;
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &referral_sql[RF_OUTCOMES]);
    db_bind_i64(s, 1, from);
    db_bind_i64(s, 2, to);
    db_bind_i64(s, 3, org_scope);
    int step, is_stopped = 0;
    int64_t cur = 0;
    while ((step = db_step(s)) == DB_ROW) {
        int64_t org = db_col_i64(s, 0);
        if (org != cur) {
            if (cur != 0 && agg_emit(&one, fn, ctx) != 0) {
                is_stopped = 1;
                break;
            }
            agg_reset(&one, org, db_col_text(s, 1), db_col_text(s, 2));
            cur = org;
        }
        agg_add(&one, s);
        agg_add(&all, s);
    }
    rc = db_end(db, s, step, "cannot read referral outcomes", err);
    if (is_own_txn) {
        db_rollback(db); /* read-only: ends the read transaction */
    }
    if (rc == SR_OK && !is_stopped && cur != 0 &&
        agg_emit(&one, fn, ctx) != 0) {
        is_stopped = 1;
    }
    if (rc == SR_OK && !is_stopped) {
        agg_emit(&all, fn, ctx);
    }
    agg_release(&one);
    agg_release(&all);
    return rc;
}
