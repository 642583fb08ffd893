/*
 * report.c - the hotline's monthly report: aggregate SQL over contact
 * and event.
 *
 * Owns the report queries (report_sql[]) and the month arithmetic. Each
 * month's boundaries are computed here from the workspace zone's fixed
 * offset and bound as parameters; each month is one range scan of the
 * covering index contact_report_month, each breakdown one grouped scan of
 * its own index (db/migrations/0005_event.sql), already in group order.
 * Reads only non-identifying columns; no contact code or identity field
 * is ever selected. No HTML, JSON or CSV here: report_web.c and
 * report_cli.c render.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "event.h"
#include "referral.h"
#include "banned.h"

enum report_stmt {
    REPORT_MONTH_ORG,
    REPORT_MONTH_ALL,
    REPORT_PROVINCE_ORG,
    REPORT_PROVINCE_ALL,
    REPORT_CHANNEL_ORG,
    REPORT_CHANNEL_ALL,
    REPORT_LANGUAGE_ORG,
    REPORT_LANGUAGE_ALL,
    REPORT_SECTOR_ORG,
    REPORT_SECTOR_ALL,
    REPORT__COUNT
};

/*
 * ?1 organisation, ?2 start (inclusive), ?3 end (exclusive), unix seconds,
 * ?4 category. A month is counted per category: each count is a range of
 * the index contact_report_month, so nothing is sorted.
 * The _ALL breakdowns group by organisation first so the index order
 * serves the grouping; report_hotline() merges the organisations.
 */
static const char *const report_sql[REPORT__COUNT] = {
    [REPORT_MONTH_ORG] = "SELECT count(*), sum(n_affected), sum(is_danger)"
                         "  FROM contact INDEXED BY contact_report_month"
                         " WHERE org_id = ?1 AND category = ?4"
                         "   AND received_at >= ?2 AND received_at < ?3"
                         "   AND deleted_at IS NULL",
    [REPORT_MONTH_ALL] = "SELECT count(*), sum(n_affected), sum(is_danger)"
                         "  FROM contact INDEXED BY contact_report_month"
                         " WHERE org_id IN (SELECT id FROM org)"
                         "   AND category = ?4"
                         "   AND received_at >= ?2 AND received_at < ?3"
                         "   AND deleted_at IS NULL",
    [REPORT_PROVINCE_ORG] = "SELECT problem_province, count(*)"
                            "  FROM contact INDEXED BY contact_report_province"
                            " WHERE org_id = ?1"
                            "   AND received_at >= ?2 AND received_at < ?3"
                            "   AND deleted_at IS NULL"
                            " GROUP BY problem_province",
    [REPORT_PROVINCE_ALL] = "SELECT problem_province, count(*)"
                            "  FROM contact INDEXED BY contact_report_province"
                            " WHERE received_at >= ?2 AND received_at < ?3"
                            "   AND deleted_at IS NULL"
                            " GROUP BY org_id, problem_province",
    [REPORT_CHANNEL_ORG] = "SELECT channel, count(*)"
                           "  FROM contact INDEXED BY contact_report_channel"
                           " WHERE org_id = ?1"
                           "   AND received_at >= ?2 AND received_at < ?3"
                           "   AND deleted_at IS NULL"
                           " GROUP BY channel",
    [REPORT_CHANNEL_ALL] = "SELECT channel, count(*)"
                           "  FROM contact INDEXED BY contact_report_channel"
                           " WHERE received_at >= ?2 AND received_at < ?3"
                           "   AND deleted_at IS NULL"
                           " GROUP BY org_id, channel",
    [REPORT_LANGUAGE_ORG] = "SELECT language, count(*)"
                            "  FROM contact INDEXED BY contact_report_language"
                            " WHERE org_id = ?1"
                            "   AND received_at >= ?2 AND received_at < ?3"
                            "   AND deleted_at IS NULL"
                            " GROUP BY language",
    [REPORT_LANGUAGE_ALL] = "SELECT language, count(*)"
                            "  FROM contact INDEXED BY contact_report_language"
                            " WHERE received_at >= ?2 AND received_at < ?3"
                            "   AND deleted_at IS NULL"
                            " GROUP BY org_id, language",
    [REPORT_SECTOR_ORG] = "SELECT sector, count(*)"
                          "  FROM contact INDEXED BY contact_report_sector"
                          " WHERE org_id = ?1"
                          "   AND received_at >= ?2 AND received_at < ?3"
                          "   AND deleted_at IS NULL"
                          " GROUP BY sector",
    [REPORT_SECTOR_ALL] = "SELECT sector, count(*)"
                          "  FROM contact INDEXED BY contact_report_sector"
                          " WHERE received_at >= ?2 AND received_at < ?3"
                          "   AND deleted_at IS NULL"
                          " GROUP BY org_id, sector",
};

/* ---- months and zones --------------------------------------------------- */

int
report_parse_ym(const char *s, const char *field, struct report_ym *out,
                struct sr_err *err)
{
    if (s == NULL || strlen(s) != 7 || s[4] != '-') {
        return sr_err_set(err, SR_EINVAL, "%s: must be a month YYYY-MM", field);
    }
    for (int i = 0; i < 7; i++) {
        if (i != 4 && (s[i] < '0' || s[i] > '9')) {
            return sr_err_set(err, SR_EINVAL, "%s: must be a month YYYY-MM",
                              field);
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
            (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y < 2000 || y > 2100 || m < 1 || m > 12) {
        return sr_err_set(err, SR_EINVAL,
                          "%s: month must be 01-12 of a year 2000-2100", field);
    }
    out->year = y;
    out->month = m;
    return SR_OK;
}

/*
 * Zones of the hotline region and neighbours whose offset has not changed
 * since 2000 and that keep no daylight saving time.
 */
static const struct {
    const char *name;
    int offset_s;
} zones[] = {
    { "UTC", 0 },
    { "Etc/UTC", 0 },
    { "Asia/Bangkok", 7 * 3600 },
    { "Asia/Yangon", 6 * 3600 + 1800 },
    { "Asia/Rangoon", 6 * 3600 + 1800 },
    { "Asia/Phnom_Penh", 7 * 3600 },
    { "Asia/Vientiane", 7 * 3600 },
    { "Asia/Ho_Chi_Minh", 7 * 3600 },
    { "Asia/Saigon", 7 * 3600 },
    { "Asia/Jakarta", 7 * 3600 },
    { "Asia/Pontianak", 7 * 3600 },
    { "Asia/Makassar", 8 * 3600 },
    { "Asia/Jayapura", 9 * 3600 },
    { "Asia/Kuala_Lumpur", 8 * 3600 },
    { "Asia/Kuching", 8 * 3600 },
    { "Asia/Singapore", 8 * 3600 },
    { "Asia/Shanghai", 8 * 3600 },
    { "Asia/Hong_Kong", 8 * 3600 },
    { "Asia/Taipei", 8 * 3600 },
    { "Asia/Manila", 8 * 3600 },
    { "Asia/Dhaka", 6 * 3600 },
    { "Asia/Kolkata", 5 * 3600 + 1800 },
    { "Asia/Tokyo", 9 * 3600 },
    { "Asia/Seoul", 9 * 3600 },
};

int
report_tz_offset(const char *tz, int *offset_s, struct sr_err *err)
{
    for (size_t i = 0; tz != NULL && i < sizeof zones / sizeof zones[0]; i++) {
        if (strcmp(zones[i].name, tz) == 0) {
            *offset_s = zones[i].offset_s;
            return SR_OK;
        }
    }
    return sr_err_set(err, SR_EINVAL,
                      "timezone: '%s' is not a supported zone without "
                      "daylight saving time (see docs/reports.md)",
                      tz ? tz : "");
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t
report_month_start(struct report_ym ym, int offset_s)
{
    return days_from_civil(ym.year, ym.month, 1) * 86400 - offset_s;
}

struct report_ym
report_ym_at(int64_t t, int offset_s)
{
    /* civil date from days since 1970-01-01 (proleptic Gregorian) */
    int64_t local = t + offset_s;
    int64_t z = (local >= 0 ? local : local - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    struct report_ym ym = { (int)(yoe + era * 400 + (m <= 2)), m };
    return ym;
}

struct report_ym
report_ym_add(struct report_ym ym, int delta)
{
    int k = ym.year * 12 + (ym.month - 1) + delta;
    struct report_ym out = { k / 12, k % 12 + 1 };
    return out;
}

static struct report_ym
ym_next(struct report_ym ym)
{
    return report_ym_add(ym, 1);
}

static int
ym_months(struct report_ym from, struct report_ym to)
{
    return (to.year - from.year) * 12 + (to.month - from.month) + 1;
}

double
report_pct(int64_t n, int64_t total)
{
    return n > 0 && total > 0 ? 100.0 * (double)n / (double)total : 0.0;
}

/* ---- queries ------------------------------------------------------------ */

static int
month_counts(struct db *db, int64_t org_id, int64_t lo, int64_t hi,
             struct report_month *m, struct sr_err *err)
{
    sqlite3_stmt *s =
        db_stmt(db, &report_sql[org_id ? REPORT_MONTH_ORG : REPORT_MONTH_ALL]);
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        if (org_id) {
            sqlite3_bind_int64(s, 1, org_id);
        }
        sqlite3_bind_int64(s, 2, lo);
        sqlite3_bind_int64(s, 3, hi);
        db_bind_text(s, 4, contact_categories[c].code);
        int rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            db_done(s);
            return db_error(db, err, "cannot count contacts");
        }
        int64_t n = sqlite3_column_int64(s, 0);
        m->by_category[c] = n;
        m->total += n;
        m->n_affected += sqlite3_column_int64(s, 1);
        m->n_danger += sqlite3_column_int64(s, 2);
        db_done(s);
    }
    return SR_OK;
}

static void
share_add(struct report_breakdown *b, size_t *cap, const char *code, int64_t n)
{
    for (size_t i = 0; i < b->n_items; i++) {
        if (strcmp(b->items[i].code, code) == 0) {
            b->items[i].n += n;
            return;
        }
    }
    if (b->n_items == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        b->items = sr_xrealloc(b->items, *cap * sizeof b->items[0]);
    }
    struct report_share *it = &b->items[b->n_items++];
    memset(it, 0, sizeof *it);
    snprintf(it->code, sizeof it->code, "%s", code);
    it->n = n;
}

static int
share_cmp(const void *a, const void *b)
{
    const struct report_share *x = a;
    const struct report_share *y = b;
    if (x->n != y->n) {
        return x->n > y->n ? -1 : 1;
    }
    return strcmp(x->code, y->code);
}

static int
breakdown(struct db *db, enum report_stmt st_org, int64_t org_id, int64_t lo,
          int64_t hi, struct report_breakdown *b, struct sr_err *err)
{
    /* the _ALL statement follows its _ORG one in the enum */
    sqlite3_stmt *s = db_stmt(db, &report_sql[org_id ? st_org : st_org + 1]);
    size_t cap = 0;
    if (org_id) {
        sqlite3_bind_int64(s, 1, org_id);
    }
    sqlite3_bind_int64(s, 2, lo);
    sqlite3_bind_int64(s, 3, hi);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        share_add(b, &cap, db_col_text(s, 0), sqlite3_column_int64(s, 1));
    }
    db_done(s);
    if (rc != SQLITE_DONE) {
        return db_error(db, err, "cannot count contacts");
    }
    if (b->n_items > 1) {
        qsort(b->items, b->n_items, sizeof b->items[0], share_cmp);
    }
    return SR_OK;
}

struct events_ctx {
    struct report *r;
    size_t cap;
};

static int
keep_event(const struct event_row *e, void *ctx)
{
    struct events_ctx *c = ctx;
    struct report *r = c->r;
    struct report_ym ym;
    char ymtext[8];
    memcpy(ymtext, e->day, 7);
    ymtext[7] = '\0';
    if (report_parse_ym(ymtext, "day", &ym, NULL) != SR_OK) {
        return 0;
    }
    if (r->n_events == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        r->events = sr_xrealloc(r->events, c->cap * sizeof r->events[0]);
    }
    struct report_event *ev = &r->events[r->n_events++];
    memset(ev, 0, sizeof *ev);
    snprintf(ev->day, sizeof ev->day, "%s", e->day);
    snprintf(ev->kind, sizeof ev->kind, "%s", e->kind);
    snprintf(ev->title, sizeof ev->title, "%s", e->title);
    ev->month_index = ym_months(r->from, ym) - 1;
    return 0;
}

struct referral_collect {
    struct report_referrals *out;
    size_t cap;
};

/* One partner's row, or (org_id 0) the totals row. */
static int
collect_outcome(const struct referral_outcome *o, void *ctx)
{
    struct referral_collect *c = ctx;
    struct report_referrals *out = c->out;
    if (o->org_id == 0) {
        out->n_trafficking_referred = o->n_trafficking;
        out->n_trafficking_actioned = o->n_trafficking_action;
        return 0;
    }
    if (out->n_rows == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        out->rows = sr_xrealloc(out->rows, c->cap * sizeof *out->rows);
    }
    struct report_referral_row *r = &out->rows[out->n_rows++];
    memset(r, 0, sizeof *r);
    snprintf(r->partner_code, sizeof r->partner_code, "%s", o->org_code);
    snprintf(r->partner_name, sizeof r->partner_name, "%s", o->org_name);
    r->n_sent = o->n_sent;
    r->n_acknowledged = o->n_acknowledged;
    r->n_accepted = o->n_accepted;
    r->n_declined = o->n_declined;
    r->n_action = o->n_action_taken;
    r->n_no_action = o->n_no_action;
    r->median_ack_h = o->median_hours_ack;
    r->median_action_h = o->median_hours_action;
    return 0;
}

/* The referral outcomes of contacts referred in [lo, hi) by org_id's
 * organisation (0 = all), from the referral module. */
static int
load_referrals(struct db *db, int64_t org_id, int64_t lo, int64_t hi,
               struct report_referrals *out, struct sr_err *err)
{
    struct referral_collect c = { out, 0 };
    out->rows = NULL;
    out->n_rows = 0;
    int rc = referral_outcomes(db, org_id, lo, hi, collect_outcome, &c, err);
    if (rc != SR_OK) {
        free(out->rows);
        out->rows = NULL;
        out->n_rows = 0;
        return rc;
    }
    out->is_present = 1;
    return SR_OK;
}

static void
suppress(int64_t *n)
{
    if (*n > 0 && *n < REPORT_MIN_CELL) {
        *n = REPORT_SUPPRESSED;
    }
}

static void
suppress_month(struct report_month *m)
{
    suppress(&m->total);
    suppress(&m->n_danger);
    suppress(&m->n_affected);
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        suppress(&m->by_category[c]);
    }
}

static void
suppress_breakdown(struct report_breakdown *b)
{
    for (size_t i = 0; i < b->n_items; i++) {
        suppress(&b->items[i].n);
    }
}

static void
sum_into(struct report_month *sum, const struct report_month *m)
{
    sum->total += m->total;
    sum->n_danger += m->n_danger;
    sum->n_affected += m->n_affected;
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        sum->by_category[c] += m->by_category[c];
    }
}

int
report_hotline(struct db *db, const struct report_query *q, struct report *out,
               struct sr_err *err)
{
    if (db == NULL || q == NULL || out == NULL) {
        SR_BUG("report_hotline: missing argument");
    }
    memset(out, 0, sizeof *out);
    int n = ym_months(q->from, q->to);
    if (n < 1) {
        return sr_err_set(err, SR_EINVAL, "to: must not be before from");
    }
    if (n > REPORT_MAX_MONTHS) {
        return sr_err_set(err, SR_EINVAL, "to: at most %d months in one report",
                          REPORT_MAX_MONTHS);
    }
    int offset_s;
    int rc = report_tz_offset(q->timezone, &offset_s, err);
    if (rc != SR_OK) {
        return rc;
    }
    out->from = q->from;
    out->to = q->to;
    out->offset_s = offset_s;
    out->org_id = q->org_id;
    out->is_suppressed = q->is_suppressed;
    out->n_months = (size_t)n;
    out->months = sr_xcalloc((size_t)n, sizeof out->months[0]);
    out->sum.ym = q->from;
    int64_t lo = report_month_start(q->from, offset_s);
    int64_t hi = report_month_start(ym_next(q->to), offset_s);

    rc = db_begin_read(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct report_ym ym = q->from;
    for (int i = 0; i < n && rc == SR_OK; i++) {
        struct report_ym next = ym_next(ym);
        out->months[i].ym = ym;
        rc = month_counts(db, q->org_id, report_month_start(ym, offset_s),
                          report_month_start(next, offset_s), &out->months[i],
                          err);
        sum_into(&out->sum, &out->months[i]);
        ym = next;
    }
    if (rc == SR_OK) {
        rc = breakdown(db, REPORT_PROVINCE_ORG, q->org_id, lo, hi,
                       &out->province, err);
    }
    if (rc == SR_OK) {
        rc = breakdown(db, REPORT_CHANNEL_ORG, q->org_id, lo, hi, &out->channel,
                       err);
    }
    if (rc == SR_OK) {
        rc = breakdown(db, REPORT_LANGUAGE_ORG, q->org_id, lo, hi,
                       &out->language, err);
    }
    if (rc == SR_OK) {
        rc = breakdown(db, REPORT_SECTOR_ORG, q->org_id, lo, hi, &out->sector,
                       err);
    }
    if (rc == SR_OK) {
        char from_day[16], to_day[16];
        snprintf(from_day, sizeof from_day, "%04d-%02d-01", q->from.year,
                 q->from.month);
        snprintf(to_day, sizeof to_day, "%04d-%02d-31", q->to.year,
                 q->to.month);
        struct events_ctx ec = { out, 0 };
        rc = event_list(db, q->org_id, from_day, to_day, keep_event, &ec, err);
    }
    if (rc == SR_OK) {
        rc = load_referrals(db, q->org_id, lo, hi, &out->referrals, err);
    }
    if (rc == SR_OK) {
        rc = db_commit(db, err);
    }
    if (rc != SR_OK) {
        db_rollback(db);
        return rc;
    }
    if (q->is_suppressed) {
        for (size_t i = 0; i < out->n_months; i++) {
            suppress_month(&out->months[i]);
        }
        suppress_month(&out->sum);
        suppress_breakdown(&out->province);
        suppress_breakdown(&out->channel);
        suppress_breakdown(&out->language);
        suppress_breakdown(&out->sector);
    }
    return SR_OK;
}

void
report_release(struct report *r)
{
    if (r == NULL) {
        return;
    }
    free(r->months);
    free(r->province.items);
    free(r->channel.items);
    free(r->language.items);
    free(r->sector.items);
    free(r->events);
    free(r->referrals.rows);
    memset(r, 0, sizeof *r);
}
