/*
 * funnel.c - the criminal-justice funnel report.
 *
 * Owns no table. Reads case_file (identification date, organisation,
 * exploitation, industry, province of exploitation, legal aid),
 * case_person and consent (research use: person.h's rule, in its set
 * form PERSON_RESEARCH_DECLINED_CASES_SQL), justice_event, justice_event_entity and case_entity,
 * all in funnel_sql[]. Counts only the cases in the principal's
 * funnel.read scope (principal_scope()). Produces counts and medians
 * only: never a code, name or any other identity.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "justice/funnel.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/case.h"
#include "cases/person.h"
#include "core/dvec.h"
#include "core/banned.h"

/* case.c owns the exploitation value list; its bit i is entry i. */
const struct vocab_item *funnel_exploitation_vocab = case_exploitation;

enum funnel_stmt { F_CASES, F_EVENTS, F_ROLES, F_ROLES_ARRESTED, F__COUNT };

#define F_CASE_FILTER                                                \
    " c.deleted_at IS NULL AND (?1 = 0 OR c.org_id = ?1)"            \
    " AND (?4 = 0 OR coalesce(c.assigned_to, c.created_by, 0) = ?4)" \
    " AND c.identified_at >= ?2 AND (?3 = 0 OR c.identified_at < ?3)"

static const char *const funnel_sql[F__COUNT] = {
    [F_CASES] = "SELECT c.id, c.identified_at, c.legal_aid_org_id IS NOT NULL,"
                "       c.exploitation, c.industry, c.exploit_province,"
                "       c.id IN (" PERSON_RESEARCH_DECLINED_CASES_SQL ")"
                "  FROM case_file AS c"
                " WHERE" F_CASE_FILTER " ORDER BY c.id",
    /* every event of a stage, in case order; the first per stage is
     * taken while reading (funnel_compute): no sort or grouping of all
     * events by the store, each case's events read in index order
     * (justice_event_case_stage, migration 0017) */
    [F_EVENTS] = "SELECT j.case_id, j.stage, j.occurred_at"
                 "  FROM case_file AS c"
                 "  JOIN justice_event AS j ON j.case_id = c.id"
                 " WHERE" F_CASE_FILTER " AND j.stage > 0"
                 " ORDER BY c.id",
    [F_ROLES] = "SELECT ce.role, count(*)"
                "  FROM case_entity AS ce"
                "  JOIN case_file AS c ON c.id = ce.case_id"
                " WHERE" F_CASE_FILTER " GROUP BY ce.role"
                " ORDER BY ce.role",
    /* driven by the few (case, perpetrator) pairs named in an arrest
     * rather than a search per linked pair (bench/cases) */
    [F_ROLES_ARRESTED] = "SELECT ce.role, count(*)"
                         "  FROM (SELECT DISTINCT j.case_id AS case_id,"
                         "               je.entity_id AS entity_id"
                         "          FROM justice_event AS j"
                         "          JOIN justice_event_entity AS je"
                         "            ON je.event_id = j.id"
                         "         WHERE j.kind = 'arrest') AS a"
                         "  JOIN case_entity AS ce"
                         "    ON ce.case_id = a.case_id"
                         "   AND ce.entity_id = a.entity_id"
                         "  JOIN case_file AS c ON c.id = a.case_id"
                         " WHERE" F_CASE_FILTER " GROUP BY ce.role"
                         " ORDER BY ce.role",
};

static const char *const period_names[] = { "half", "quarter", "year" };
static const char *const split_names[] = { "", "legal_aid", "exploitation",
                                           "industry", "province" };

int
funnel_parse_period(const char *s, enum funnel_period *out, struct sr_err *err)
{
    for (int i = 0; i < 3; i++) {
        if (s != NULL && strcmp(s, period_names[i]) == 0) {
            *out = (enum funnel_period)i;
            return SR_OK;
        }
    }
    return sr_err_set(err, SR_EINVAL, "period: must be half, quarter or year");
}

int
funnel_parse_split(const char *s, enum funnel_split *out, struct sr_err *err)
{
    for (int i = 0; i < 5; i++) {
        if (strcmp(s ? s : "", split_names[i]) == 0) {
            *out = (enum funnel_split)i;
            return SR_OK;
        }
    }
    return sr_err_set(err, SR_EINVAL,
                      "by: must be legal_aid, exploitation, industry or "
                      "province");
}

const char *
funnel_split_name(enum funnel_split by)
{
    return by >= 0 && by <= FUNNEL_BY_PROVINCE ? split_names[by] : "";
}

const char *
funnel_period_name(enum funnel_period p)
{
    return p >= 0 && p <= FUNNEL_YEAR ? period_names[p] : "";
}

double
funnel_median_of(double *v, size_t n)
{
    return n > 0 ? sr_median(v, n) : 0.0;
}

/* Period label of unix time t. */
static void
period_of(int64_t t, enum funnel_period p, char out[12])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL) {
        memset(&tm, 0, sizeof tm);
    }
    int y = tm.tm_year + 1900;
    if (y < 0 || y > 9999) {
        y = 0;
    }
    int part =
        p == FUNNEL_HALF ? (tm.tm_mon < 6 ? 1 : 2) : (tm.tm_mon / 3 + 1) % 10;
    char tmp[32];
    if (p == FUNNEL_HALF) {
        snprintf(tmp, sizeof tmp, "%04d-H%d", y, part);
    } else if (p == FUNNEL_QUARTER) {
        snprintf(tmp, sizeof tmp, "%04d-Q%d", y, part);
    } else {
        snprintf(tmp, sizeof tmp, "%04d", y);
    }
    memcpy(out, tmp, 11);
    out[11] = '\0';
}

struct rows {
    struct funnel_row *v;
    size_t n, cap;
};

/* The row for (period, group), added if missing. Linear search from the
 * end: cases come in id order, which is mostly date order. */
static struct funnel_row *
row_for(struct rows *r, const char *period, const char *group)
{
    for (size_t i = r->n; i-- > 0;) {
        if (strcmp(r->v[i].period, period) == 0 &&
            strcmp(r->v[i].group, group) == 0) {
            return &r->v[i];
        }
    }
    r->v = sr_xgrow(r->v, r->n, &r->cap, sizeof r->v[0]);
    struct funnel_row *row = &r->v[r->n++];
    memset(row, 0, sizeof *row);
    snprintf(row->period, sizeof row->period, "%s", period);
    snprintf(row->group, sizeof row->group, "%s", group);
    return row;
}

static int
cmp_row(const void *a, const void *b)
{
    const struct funnel_row *x = a, *y = b;
    int c = strcmp(x->period, y->period);
    return c != 0 ? c : strcmp(x->group, y->group);
}

/* What one case contributes. */
struct one_case {
    int64_t id, identified_at;
    int has_legal_aid, is_excluded;
    int64_t exploitation;
    char industry[8], province[16];
    int64_t first[JS__COUNT]; /* first event time per stage; -1 none */
};

static void
add_to(struct funnel_row *row, const struct one_case *c)
{
    for (int s = 0; s < JS__COUNT; s++) {
        row->n[s] += c->first[s] >= 0;
    }
    row->n_rescue_no_arrest +=
        c->first[JS_RESCUED] >= 0 && c->first[JS_ARRESTED] < 0;
}

static void
account(struct funnel_report *out, struct rows *totals, struct rows *groups,
        struct sr_dvec *gaps, struct one_case *c)
{
    /* a conviction is also a verdict */
    if (c->first[JS_CONVICTED] >= 0 &&
        (c->first[JS_VERDICT] < 0 ||
         c->first[JS_CONVICTED] < c->first[JS_VERDICT])) {
        c->first[JS_VERDICT] = c->first[JS_CONVICTED];
    }
    c->first[JS_IDENTIFIED] = c->identified_at;
    char period[12];
    period_of(c->identified_at, out->period, period);
    struct funnel_row *t = row_for(totals, period, "");
    add_to(t, c);
    out->n_cases++;
    if (c->is_excluded) {
        t->n_excluded++;
        out->n_excluded++;
        return;
    }
    for (int s = 0; s + 1 < JS__COUNT; s++) {
        if (c->first[s] >= 0 && c->first[s + 1] >= 0) {
            sr_dvec_push(&gaps[s],
                         (double)(c->first[s + 1] - c->first[s]) / 86400.0);
        }
    }
    char group[48];
    switch (out->by) {
    case FUNNEL_BY_NONE:
        return;
    case FUNNEL_BY_LEGAL_AID:
        add_to(row_for(groups, period,
                       c->has_legal_aid ? "supported" : "not_supported"),
               c);
        return;
    case FUNNEL_BY_INDUSTRY:
        add_to(
            row_for(groups, period, c->industry[0] ? c->industry : "unknown"),
            c);
        return;
    case FUNNEL_BY_PROVINCE:
        add_to(
            row_for(groups, period, c->province[0] ? c->province : "unknown"),
            c);
        return;
    case FUNNEL_BY_EXPLOITATION:
        if (c->exploitation == 0) {
            add_to(row_for(groups, period, "unknown"), c);
        }
        for (int b = 0; b < 62; b++) {
            if ((c->exploitation >> b) & 1) {
                const struct vocab_item *voc = funnel_exploitation_vocab;
                if (voc != NULL && b < vocab_count(voc)) {
                    snprintf(group, sizeof group, "%s", voc[b].code);
                } else {
                    snprintf(group, sizeof group, "type_%d", b);
                }
                add_to(row_for(groups, period, group), c);
            }
        }
        return;
    }
}

static void
bind_filter(struct db_stmt *s, const struct scope_filter *f, int64_t from,
            int64_t to)
{
    db_bind_i64(s, 1, f->org_id);
    db_bind_i64(s, 2, from);
    db_bind_i64(s, 3, to);
    db_bind_i64(s, 4, f->owner_id);
}

int
funnel_compute(struct db *db, const struct principal *who, int64_t from,
               int64_t to, enum funnel_period period, enum funnel_split by,
               struct funnel_report *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    struct scope_filter f;
    if (principal_scope(who, ACT_FUNNEL_READ, &f) != SR_OK) {
        return sr_err_set(err, SR_EPERM, "funnel: not allowed");
    }
    struct funnel_report r;
    memset(&r, 0, sizeof r);
    r.period = period;
    r.by = by;
    struct rows totals = { 0 }, groups = { 0 };
    struct sr_dvec gaps[JS__COUNT - 1];
    memset(gaps, 0, sizeof gaps);
    int rc = db_begin_read(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *cs = db_stmt(db, &funnel_sql[F_CASES]);
    struct db_stmt *es = db_stmt(db, &funnel_sql[F_EVENTS]);
    bind_filter(cs, &f, from, to);
    bind_filter(es, &f, from, to);
    int erc = db_step(es);
    int crc;
    while ((crc = db_step(cs)) == DB_ROW) {
        struct one_case c;
        memset(&c, 0, sizeof c);
        c.id = db_col_i64(cs, 0);
        c.identified_at = db_col_i64(cs, 1);
        c.has_legal_aid = db_col_int(cs, 2);
        c.exploitation = db_col_i64(cs, 3);
        snprintf(c.industry, sizeof c.industry, "%s", db_col_text(cs, 4));
        snprintf(c.province, sizeof c.province, "%s", db_col_text(cs, 5));
        c.is_excluded = db_col_int(cs, 6);
        for (int s = 0; s < JS__COUNT; s++) {
            c.first[s] = -1;
        }
        /* events come ordered by case id, like the cases */
        while (erc == DB_ROW && db_col_i64(es, 0) < c.id) {
            erc = db_step(es);
        }
        int is_seen[JS__COUNT] = { 0 };
        while (erc == DB_ROW && db_col_i64(es, 0) == c.id) {
            int s = db_col_int(es, 1);
            int64_t at = db_col_i64(es, 2);
            if (s > 0 && s < JS__COUNT && (!is_seen[s] || at < c.first[s])) {
                c.first[s] = at; /* the stage's first event */
                is_seen[s] = 1;
            }
            erc = db_step(es);
        }
        account(&r, &totals, &groups, gaps, &c);
    }
    if (crc != DB_DONE || (erc != DB_ROW && erc != DB_DONE)) {
        rc = db_error(db, err, "funnel");
    }
    db_done(cs);
    db_done(es);
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &funnel_sql[F_ROLES]);
        bind_filter(s, &f, from, to);
        size_t roles_cap = 0;
        while ((crc = db_step(s)) == DB_ROW) {
            r.roles =
                sr_xgrow(r.roles, r.n_roles, &roles_cap, sizeof r.roles[0]);
            struct funnel_role *fr = &r.roles[r.n_roles++];
            snprintf(fr->role, sizeof fr->role, "%s", db_col_text(s, 0));
            fr->n_linked = db_col_i64(s, 1);
            fr->n_arrested = 0;
        }
        if (crc != DB_DONE) {
            rc = db_error(db, err, "funnel roles");
        }
        db_done(s);
    }
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &funnel_sql[F_ROLES_ARRESTED]);
        bind_filter(s, &f, from, to);
        while ((crc = db_step(s)) == DB_ROW) {
            const char *role = db_col_text(s, 0);
            for (size_t i = 0; i < r.n_roles; i++) {
                if (strcmp(r.roles[i].role, role) == 0) {
                    r.roles[i].n_arrested = db_col_i64(s, 1);
                }
            }
        }
        if (crc != DB_DONE) {
            rc = db_error(db, err, "funnel arrests");
        }
        db_done(s);
    }
    db_rollback(db); /* ends the read transaction */
    for (int i = 0; i < JS__COUNT - 1; i++) {
        r.medians[i].n_cases = (int64_t)gaps[i].n;
        r.medians[i].median_days = funnel_median_of(gaps[i].v, gaps[i].n);
        sr_dvec_release(&gaps[i]);
    }
    if (totals.n > 1) {
        qsort(totals.v, totals.n, sizeof totals.v[0], cmp_row);
    }
    if (groups.n > 1) {
        qsort(groups.v, groups.n, sizeof groups.v[0], cmp_row);
    }
    r.totals = totals.v;
    r.n_totals = totals.n;
    r.groups = groups.v;
    r.n_groups = groups.n;
    if (rc != SR_OK) {
        funnel_release(&r);
        return rc;
    }
    *out = r;
    return SR_OK;
}

void
funnel_release(struct funnel_report *r)
{
    SR_RELEASE(r, r->totals, r->groups, r->roles);
}
