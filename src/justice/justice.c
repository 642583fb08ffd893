/*
 * justice.c - justice events on cases: validation, storage, listing.
 *
 * Owns tables justice_event and justice_event_entity, and reads
 * case_file (code, org, owner, identification date) so it needs nothing
 * from case.c. Every read and write takes the principal and applies its
 * scope (the case's organisation and owner, principal_scope()) itself.
 * Every write is audited in its transaction. Must not hold identities:
 * events carry codes, dates, agencies and reason codes only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "justice/justice.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "base/vault.h"
#include "core/banned.h"

/* The kinds above that reach a stage of the funnel, and that stage; the
 * others reach none (JS_IDENTIFIED). */
static const struct {
    const char *kind;
    enum justice_stage stage;
} kind_stages[] = {
    { "reported", JS_REPORTED },
    { "investigation_opened", JS_INVESTIGATED },
    { "rescue", JS_RESCUED },
    { "arrest", JS_ARRESTED },
    { "charged", JS_CHARGED },
    { "trial_opened", JS_TRIAL },
    { "verdict_acquitted", JS_VERDICT },
    { "verdict_convicted", JS_CONVICTED },
    { "sentence", JS_SENTENCED },
    { "compensation_paid", JS_COMPENSATED },
};

enum justice_stmt {
    J_CASE_BY_CODE,
    J_CASE_BY_ID,
    J_ORG_BY_CODE,
    J_ENTITY_IN_CASE,
    J_INSERT,
    J_INSERT_ENTITY,
    J_LIST,
    J_DEMO_CASES,
    J__COUNT
};

#define J_CASE_OWNER "coalesce(c.assigned_to, c.created_by, 0)"
#define J_CASE_COLS                                   \
    "c.id, c.code, c.org_id, " J_CASE_OWNER ","       \
    " c.identified_at,"                               \
    " coalesce((SELECT max(stage) FROM justice_event" \
    "            WHERE case_id = c.id), 0)"

/* The events of a case with the codes of their perpetrators; list is
 * DB_SORTED_LIST or its PostgreSQL form. */
#define J_LIST_SQL(list)                                                              \
    "SELECT j.id, j.kind, j.stage, j.occurred_at,"                                    \
    "       coalesce(o.code, ''), coalesce(o.name, ''),"                              \
    "       j.agency_kind, j.reason, " list(                                          \
        "e.code",                                                                     \
        "FROM justice_event_entity AS je"                                             \
        " JOIN entity AS e ON e.id = je.entity_id"                                    \
        " WHERE je.event_id = j.id") "  FROM justice_event AS j"                      \
                                     "  LEFT JOIN org AS o ON o.id = j.agency_org_id" \
                                     " WHERE j.case_id = ?1"                          \
                                     " ORDER BY j.occurred_at, j.id"

static const char *const justice_sql[J__COUNT] = {
    [J_CASE_BY_CODE] = "SELECT " J_CASE_COLS "  FROM case_file AS c"
                       " WHERE c.code = ?1 AND c.deleted_at IS NULL"
                       "   AND (?2 = 0 OR c.org_id = ?2)",
    [J_CASE_BY_ID] = "SELECT " J_CASE_COLS "  FROM case_file AS c"
                     " WHERE c.id = ?1 AND c.deleted_at IS NULL"
                     "   AND (?2 = 0 OR c.org_id = ?2)",
    [J_ORG_BY_CODE] = "SELECT id"
                      "  FROM org"
                      " WHERE code = ?1",
    [J_ENTITY_IN_CASE] = "SELECT e.id"
                         "  FROM entity AS e"
                         "  JOIN case_entity AS ce ON ce.entity_id = e.id"
                         " WHERE e.code = ?1 AND ce.case_id = ?2"
                         "   AND e.deleted_at IS NULL",
    [J_INSERT] = "INSERT INTO justice_event(case_id, kind, stage,"
                 "       occurred_at, agency_org_id, agency_kind, reason,"
                 "       created_by, created_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [J_INSERT_ENTITY] = "INSERT INTO justice_event_entity("
                        "       event_id, entity_id)"
                        " VALUES (?1, ?2)"
                        " ON CONFLICT DO NOTHING",
    [J_LIST] = J_LIST_SQL(DB_SORTED_LIST) DB_PG J_LIST_SQL(DB_SORTED_LIST_PG),
    [J_DEMO_CASES] = "SELECT c.id, c.org_id, c.identified_at,"
                     "       c.legal_aid_org_id IS NOT NULL"
                     "  FROM case_file AS c"
                     " WHERE c.deleted_at IS NULL"
                     "   AND (?1 = 0 OR c.org_id = ?1)"
                     "   AND (?2 = 0 OR " J_CASE_OWNER " = ?2)"
                     "   AND NOT EXISTS (SELECT 1 FROM justice_event"
                     "                    WHERE case_id = c.id)"
                     " ORDER BY c.id",
};

int
justice_kind_stage(const char *kind)
{
    if (kind == NULL || vocab_find(justice_event_kinds, kind) < 0) {
        return -1;
    }
    for (size_t i = 0; i < sizeof kind_stages / sizeof kind_stages[0]; i++) {
        if (strcmp(kind_stages[i].kind, kind) == 0) {
            return (int)kind_stages[i].stage;
        }
    }
    return JS_IDENTIFIED;
}

int
justice_parse_day(const char *s, const char *field, int64_t *out,
                  struct sr_err *err)
{
    static const int mdays[] = {
        31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    int ok = s != NULL && strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            ok = 0;
        }
    }
    int y = 0, m = 0, d = 0;
    if (ok) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
        m = (s[5] - '0') * 10 + (s[6] - '0');
        d = (s[8] - '0') * 10 + (s[9] - '0');
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] &&
             !(m == 2 && d == 29 && !leap);
    }
    if (!ok) {
        return sr_err_set(err, SR_EINVAL, "%s: must be a date YYYY-MM-DD",
                          field);
    }
    *out = sr_days_from_civil(y, m, d) * 86400;
    return SR_OK;
}

void
justice_format_day(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || tm.tm_year < -1900 || tm.tm_year > 8099) {
        memcpy(out, "0000-00-00", 11);
        return;
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* The scope of action a on a case's justice process: reading it is
 * granted by case.read or justice.record, whichever reaches further. */
static int
case_scope(const struct principal *who, enum action a, struct scope_filter *f)
{
    if (a == ACT_CASE_READ) {
        return principal_scope_either(who, ACT_CASE_READ, ACT_JUSTICE_RECORD,
                                      f);
    }
    return principal_scope(who, a, f);
}

/* The live case by code when code is not NULL, else by id, in who's
 * scope of action a; what names it in errors. */
static int
read_case(struct db *db, const struct principal *who, enum action a,
          const char *code, int64_t id, struct justice_case *out,
          const char *what, struct sr_err *err)
{
    struct scope_filter f;
    if (case_scope(who, a, &f) != SR_OK) {
        return sr_err_set(err, SR_ENOTFOUND, "case: no case '%s'", what);
    }
    struct db_stmt *s =
        db_stmt(db, &justice_sql[code != NULL ? J_CASE_BY_CODE : J_CASE_BY_ID]);
    if (code != NULL) {
        db_bind_text(s, 1, code);
    } else {
        db_bind_i64(s, 1, id);
    }
    db_bind_i64(s, 2, f.org_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        struct justice_case c;
        memset(&c, 0, sizeof c);
        c.id = db_col_i64(s, 0);
        snprintf(c.code, sizeof c.code, "%s", db_col_text(s, 1));
        c.org_id = db_col_i64(s, 2);
        c.owner_id = db_col_i64(s, 3);
        c.identified_at = db_col_i64(s, 4);
        c.stage = db_col_int(s, 5);
        db_done(s);
        if (!scope_filter_admits(&f, c.org_id, c.owner_id)) {
            return sr_err_set(err, SR_EPERM, "case: not yours");
        }
        *out = c;
        return SR_OK;
    }
    db_done(s);
    if (rc == DB_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "case: no case '%s'", what);
    }
    return db_error(db, err, "case lookup");
}

int
justice_case_by_code(struct db *db, const struct principal *who, enum action a,
                     const char *code, struct justice_case *out,
                     struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    if (code == NULL || strlen(code) > 20) {
        return sr_err_set(err, SR_ENOTFOUND, "case: no such case");
    }
    return read_case(db, who, a, code, 0, out, code, err);
}

int
justice_case_by_id(struct db *db, const struct principal *who, enum action a,
                   int64_t id, struct justice_case *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    char what[24];
    snprintf(what, sizeof what, "#%lld", (long long)id);
    return read_case(db, who, a, NULL, id, out, what, err);
}

int
justice_can_record(const struct principal *who, const struct justice_case *c)
{
    assert(who != NULL && c != NULL);
    struct scope_filter f;
    return principal_scope(who, ACT_JUSTICE_RECORD, &f) == SR_OK &&
           scope_filter_admits(&f, c->org_id, c->owner_id);
}

/* The id found by a one-column lookup, or 0. */
static int64_t
lookup_id(struct db_stmt *s)
{
    int64_t id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : 0;
    db_done(s);
    return id;
}

static int
is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

#define MAX_PERPETRATORS 32

int
justice_add_event(struct db *db, const struct vault *v,
                  const struct principal *who, int64_t case_id,
                  const struct justice_event_input *in, int64_t *out_id,
                  struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL &&
           out_id != NULL);
    int64_t actor_id = who->user_id;
    struct justice_case c;
    int rc = justice_case_by_id(db, who, ACT_JUSTICE_RECORD, case_id, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    int stage = justice_kind_stage(in->kind);
    if (stage < 0) {
        return sr_err_set(err, SR_EINVAL, "kind: unknown justice event kind");
    }
    int64_t at;
    rc = justice_parse_day(in->date, "date", &at, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (at > sr_now() + 86400) {
        return sr_err_set(err, SR_EINVAL, "date: must not be in the future");
    }
    int64_t agency_id = 0;
    if (is_blank(in->agency_org) == is_blank(in->agency_kind)) {
        return sr_err_set(err, SR_EINVAL,
                          "agency: give an organisation or a kind of agency "
                          "(one of them)");
    }
    if (!is_blank(in->agency_org)) {
        struct db_stmt *s = db_stmt(db, &justice_sql[J_ORG_BY_CODE]);
        db_bind_text(s, 1, in->agency_org);
        agency_id = lookup_id(s);
        if (agency_id == 0) {
            return sr_err_set(err, SR_EINVAL,
                              "agency: no organisation with that code");
        }
    } else if (vocab_find(justice_agency_kinds, in->agency_kind) < 0) {
        return sr_err_set(err, SR_EINVAL, "agency: unknown kind of agency");
    }
    const struct vocab_item *reasons = NULL;
    if (strcmp(in->kind, "case_dropped") == 0) {
        reasons = justice_drop_reasons;
    } else if (strcmp(in->kind, "victim_declined") == 0) {
        reasons = justice_decline_reasons;
    }
    if (reasons != NULL &&
        (is_blank(in->reason) || vocab_find(reasons, in->reason) < 0)) {
        return sr_err_set(err, SR_EINVAL,
                          "reason: choose a reason from the list");
    }
    if (reasons == NULL && !is_blank(in->reason)) {
        return sr_err_set(err, SR_EINVAL,
                          "reason: only for a dropped case or a victim who "
                          "declined");
    }
    if (in->n_perpetrators > MAX_PERPETRATORS) {
        return sr_err_set(err, SR_EINVAL, "perpetrators: at most %d",
                          MAX_PERPETRATORS);
    }
    int64_t ents[MAX_PERPETRATORS];
    for (size_t i = 0; i < in->n_perpetrators; i++) {
        struct db_stmt *s = db_stmt(db, &justice_sql[J_ENTITY_IN_CASE]);
        db_bind_text(s, 1, in->perpetrators[i] ? in->perpetrators[i] : "");
        db_bind_i64(s, 2, case_id);
        ents[i] = lookup_id(s);
        if (ents[i] == 0) {
            return sr_err_set(err, SR_EINVAL,
                              "perpetrators: '%s' is not an entity linked "
                              "to this case",
                              in->perpetrators[i] ? in->perpetrators[i] : "");
        }
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &justice_sql[J_INSERT]);
    db_bind_i64(s, 1, case_id);
    db_bind_text(s, 2, in->kind);
    db_bind_int(s, 3, stage);
    db_bind_i64(s, 4, at);
    if (agency_id != 0) {
        db_bind_i64(s, 5, agency_id);
    }
    db_bind_text(s, 6, agency_id != 0 ? "" : in->agency_kind);
    db_bind_text(s, 7, reasons != NULL ? in->reason : "");
    if (actor_id > 0) {
        db_bind_i64(s, 8, actor_id);
    }
    db_bind_i64(s, 9, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    for (size_t i = 0; rc == SR_OK && i < in->n_perpetrators; i++) {
        s = db_stmt(db, &justice_sql[J_INSERT_ENTITY]);
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, ents[i]);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "%s event=%lld", in->kind,
                 (long long)id);
        struct audit_entry e = { actor_id, "justice.record", "case", c.code,
                                 detail };
        rc = audit_append(db, v, &e, err);
    }
    rc = db_finish(db, rc, err);
    if (rc == SR_OK) {
        *out_id = id;
    }
    return rc;
}

/* justice_list_events()'s caller, as db_each() hands it to visit_event(). */
struct event_visit {
    int (*fn)(const struct justice_event_row *r, void *ctx);
    void *ctx;
};

static int
visit_event(struct db_stmt *s, void *p)
{
    const struct event_visit *v = p;
    struct justice_event_row r = {
        db_col_i64(s, 0),  db_col_text(s, 1), db_col_int(s, 2),
        db_col_i64(s, 3),  db_col_text(s, 4), db_col_text(s, 5),
        db_col_text(s, 6), db_col_text(s, 7), db_col_text(s, 8),
    };
    return v->fn(&r, v->ctx);
}

int
justice_list_events(struct db *db, const struct principal *who, int64_t case_id,
                    int (*fn)(const struct justice_event_row *r, void *ctx),
                    void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct justice_case c;
    int rc = justice_case_by_id(db, who, ACT_CASE_READ, case_id, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &justice_sql[J_LIST]);
    db_bind_i64(s, 1, case_id);
    struct event_visit v = { fn, ctx };
    return db_each(db, s, visit_event, &v, "justice events", err);
}

int
justice_demo_cases(struct db *db, const struct principal *who,
                   int (*fn)(const struct justice_demo_case *c, void *ctx),
                   void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter f;
    if (principal_scope(who, ACT_JUSTICE_RECORD, &f) != SR_OK) {
        return SR_OK;
    }
    /* collect first: fn writes, which must not happen under an open read */
    struct db_stmt *s = db_stmt(db, &justice_sql[J_DEMO_CASES]);
    db_bind_i64(s, 1, f.org_id);
    db_bind_i64(s, 2, f.owner_id);
    struct justice_demo_case *list = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        list = sr_xgrow(list, n, &cap, sizeof *list);
        list[n].id = db_col_i64(s, 0);
        list[n].org_id = db_col_i64(s, 1);
        list[n].identified_at = db_col_i64(s, 2);
        list[n].has_legal_aid = db_col_int(s, 3);
        n++;
    }
    db_done(s);
    if (rc != DB_DONE) {
        free(list);
        return db_error(db, err, "demo cases");
    }
    for (size_t i = 0; i < n; i++) {
        if (fn(&list[i], ctx) != 0) {
            break;
        }
    }
    free(list);
    return SR_OK;
}
