/*
 * report.c - the hotline's monthly report: aggregate SQL over contact
 * and event.
 *
 * Owns the report queries (report_sql[]) and the month arithmetic. Each
 * month's boundaries are computed here from the workspace zone's fixed
 * offset. The contacts' figures come from the counts contact_count.c
 * keeps per organisation, local month and counted value, tallied here by
 * month and category and for each breakdown; for a zone whose offset it
 * does not keep, they are recounted by one range scan of the covering
 * index contact_report (db/migrations/0011_contact_speed.sql), which
 * gives the same figures.
 * Reads only non-identifying columns; no contact code or identity field
 * is ever selected. No HTML, JSON or CSV here: report_web.c and
 * report_cli.c render.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/org.h"
#include "core/clock.h"
#include "core/suppress.h"
#include "hotline/contact.h"
#include "hotline/contact_count.h"
#include "hotline/event.h"
#include "referral/referral.h"
#include "core/banned.h"

enum report_stmt { REPORT_SCAN_ORG, REPORT_SCAN_ALL, REPORT__COUNT };

/*
 * ?1 organisation, ?2 start (inclusive), ?3 end (exclusive), unix seconds.
 * The columns the report counts, in the index's order: within one
 * organisation by received_at, so the month of a row only moves forward.
 * Every organisation's rows are those whose org_id is an organisation's
 * (all of them: a foreign key), read organisation by organisation.
 */
static const char *const report_sql[REPORT__COUNT] = {
    [REPORT_SCAN_ORG] = "SELECT received_at, category, problem_province,"
                        "       channel, language, sector, n_affected,"
                        "       is_danger"
                        "  FROM contact INDEXED BY contact_report"
                        " WHERE org_id = ?1"
                        "   AND received_at >= ?2 AND received_at < ?3"
                        "   AND deleted_at IS NULL",
    [REPORT_SCAN_ALL] = "SELECT received_at, category, problem_province,"
                        "       channel, language, sector, n_affected,"
                        "       is_danger"
                        "  FROM contact INDEXED BY contact_report"
                        " WHERE org_id IN (SELECT id FROM org)"
                        "   AND received_at >= ?2 AND received_at < ?3"
                        "   AND deleted_at IS NULL",
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

int
report_tz_offset(const char *tz, int *offset_s, struct sr_err *err)
{
    if (sr_tz_offset(tz, offset_s) == SR_OK) {
        return SR_OK;
    }
    return sr_err_set(err, SR_EINVAL,
                      "timezone: '%s' is not a supported zone without "
                      "daylight saving time (see docs/reports.md)",
                      tz ? tz : "");
}

int64_t
report_month_start(struct report_ym ym, int offset_s)
{
    return sr_days_from_civil(ym.year, ym.month, 1) * 86400 - offset_s;
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
share_cmp(const void *a, const void *b)
{
    const struct report_share *x = a;
    const struct report_share *y = b;
    if (x->n != y->n) {
        return x->n > y->n ? -1 : 1;
    }
    return strcmp(x->code, y->code);
}

/*
 * A breakdown being counted: its items (a report_share each, the code cut
 * to its 31 bytes as the report keeps it) and an open-addressing hash of
 * them, so a row finds its item without comparing against every code.
 */
struct tally {
    struct report_breakdown *b;
    size_t cap;     /* of b->items and lens */
    size_t *lens;   /* strlen of each item's code */
    size_t *slots;  /* item index + 1; 0 = empty */
    size_t n_slots; /* a power of two */
};

static uint64_t
code_hash(const char *p, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)p[i]) * 1099511628211u;
    }
    return h;
}

static void
tally_init(struct tally *t, struct report_breakdown *b)
{
    t->b = b;
    t->cap = 0;
    t->lens = NULL;
    t->n_slots = 64;
    t->slots = sr_xcalloc(t->n_slots, sizeof t->slots[0]);
}

static void
tally_rehash(struct tally *t)
{
    free(t->slots);
    t->n_slots *= 2;
    t->slots = sr_xcalloc(t->n_slots, sizeof t->slots[0]);
    for (size_t i = 0; i < t->b->n_items; i++) {
        size_t k =
            code_hash(t->b->items[i].code, t->lens[i]) & (t->n_slots - 1);
        while (t->slots[k] != 0) {
            k = (k + 1) & (t->n_slots - 1);
        }
        t->slots[k] = i + 1;
    }
}

/* Add n to the item of code (len bytes, not NUL-terminated). */
static void
tally_add(struct tally *t, const char *code, size_t len, int64_t n)
{
    struct report_breakdown *b = t->b;
    if (len >= sizeof b->items[0].code) {
        len = sizeof b->items[0].code - 1;
    }
    size_t k = code_hash(code, len) & (t->n_slots - 1);
    for (; t->slots[k] != 0; k = (k + 1) & (t->n_slots - 1)) {
        size_t i = t->slots[k] - 1;
        if (t->lens[i] == len && memcmp(b->items[i].code, code, len) == 0) {
            b->items[i].n += n;
            return;
        }
    }
    size_t lens_cap = t->cap; /* the two arrays grow together */
    b->items = sr_xgrow(b->items, b->n_items, &t->cap, sizeof b->items[0]);
    t->lens = sr_xgrow(t->lens, b->n_items, &lens_cap, sizeof t->lens[0]);
    t->lens[b->n_items] = len;
    struct report_share *it = &b->items[b->n_items++];
    memset(it, 0, sizeof *it);
    memcpy(it->code, code, len);
    it->n = n;
    t->slots[k] = b->n_items;
    if (b->n_items * 2 > t->n_slots) {
        tally_rehash(t);
    }
}

/* Sort the items, largest first, and free the hash. */
static void
tally_finish(struct tally *t)
{
    free(t->slots);
    free(t->lens);
    t->slots = NULL;
    t->lens = NULL;
    if (t->b->n_items > 1) {
        qsort(t->b->items, t->b->n_items, sizeof t->b->items[0], share_cmp);
    }
}

/* The category's index in contact_categories, or -1; cat_len[] holds
 * their lengths (the codes differ in length, so most rows compare one). */
static int
category_index(const char *code, size_t len,
               const size_t cat_len[REPORT_N_CATEGORIES])
{
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        if (cat_len[c] == len &&
            memcmp(contact_categories[c].code, code, len) == 0) {
            return c;
        }
    }
    return -1;
}

/*
 * One pass over the live contacts of org_id (0 = all) received in
 * [start[0], start[n_months]): months (start[i] is month i's first
 * second) by category, and the four breakdowns (t[], in
 * CC_DIM_PROVINCE..CC_DIM_SECTOR order). The recount, for a zone whose
 * months contact_count does not keep.
 */
static int
scan_contacts(struct db *db, int64_t org_id, const int64_t *start,
              size_t n_months, struct report *out, struct tally t[4],
              const size_t cat_len[REPORT_N_CATEGORIES], struct sr_err *err)
{
    struct db_stmt *s =
        db_stmt(db, &report_sql[org_id ? REPORT_SCAN_ORG : REPORT_SCAN_ALL]);
    if (org_id) {
        db_bind_i64(s, 1, org_id);
    }
    db_bind_i64(s, 2, start[0]);
    db_bind_i64(s, 3, start[n_months]);
    size_t m = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t at = db_col_i64(s, 0);
        if (at < start[m]) {
            m = 0; /* the next organisation's rows start again */
        }
        while (at >= start[m + 1]) {
            m++;
        }
        for (int i = 0; i < 4; i++) {
            const char *code = db_col_text_or_null(s, 2 + i);
            size_t len = (size_t)db_col_bytes(s, 2 + i);
            tally_add(&t[i], code ? code : "", code ? len : 0, 1);
        }
        const char *cat = db_col_text_or_null(s, 1);
        int c =
            cat ? category_index(cat, (size_t)db_col_bytes(s, 1), cat_len) : -1;
        if (c >= 0) {
            struct report_month *rm = &out->months[m];
            rm->by_category[c]++;
            rm->total++;
            rm->n_affected += db_col_i64(s, 6);
            rm->n_danger += db_col_i64(s, 7);
        }
    }
    db_done(s);
    if (rc != DB_DONE) {
        return db_error(db, err, "cannot count contacts");
    }
    return SR_OK;
}

/* What read_counts() adds its rows to. */
struct counts_in {
    struct report *out;
    const int64_t *start;
    size_t n_months, m;
    struct tally *t;
    const size_t *cat_len;
};

static int
add_count(const struct contact_count_row *r, void *ctx)
{
    struct counts_in *c = ctx;
    /* rows come in (organisation, month) order: as scan_contacts() */
    if (r->month_at < c->start[c->m]) {
        c->m = 0;
    }
    while (c->m < c->n_months && r->month_at >= c->start[c->m + 1]) {
        c->m++;
    }
    if (c->m >= c->n_months || r->month_at != c->start[c->m]) {
        SR_BUG("report: a kept month does not start a month of the range");
    }
    if (r->dim != CC_DIM_CATEGORY) {
        tally_add(&c->t[r->dim - CC_DIM_PROVINCE], r->code, r->code_len, r->n);
        return 0;
    }
    int k = category_index(r->code, r->code_len, c->cat_len);
    if (k >= 0) {
        struct report_month *rm = &c->out->months[c->m];
        rm->by_category[k] += r->n;
        rm->total += r->n;
        rm->n_affected += r->n_affected;
        rm->n_danger += r->n_danger;
    }
    return 0;
}

/*
 * The live contacts of org_id (0 = all) in the months of start[] from the
 * counts kept at offset_s (contact_count.c): the same figures as
 * scan_contacts(), from a few rows per organisation and month.
 */
static int
read_counts(struct db *db, int offset_s, int64_t org_id, const int64_t *start,
            size_t n_months, struct report *out, struct tally t[4],
            const size_t cat_len[REPORT_N_CATEGORIES], struct sr_err *err)
{
    struct counts_in c = { out, start, n_months, 0, t, cat_len };
    return contact_count_each(db, offset_s, org_id, start[0], start[n_months],
                              add_count, &c, err);
}

/*
 * Months by category and the four breakdowns of org_id's live contacts
 * (0 = all) in [start[0], start[n_months]), months at offset_s. From the
 * kept counts when contact_count keeps months at offset_s; otherwise
 * (a zone whose offset is not in contact_count.c's list) recounted from
 * the contact table, which gives the same figures more slowly.
 */
static int
count_contacts(struct db *db, int offset_s, int64_t org_id,
               const int64_t *start, size_t n_months, struct report *out,
               struct sr_err *err)
{
    struct tally t[4];
    tally_init(&t[0], &out->province);
    tally_init(&t[1], &out->channel);
    tally_init(&t[2], &out->language);
    tally_init(&t[3], &out->sector);
    size_t cat_len[REPORT_N_CATEGORIES];
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        cat_len[c] = strlen(contact_categories[c].code);
    }
    int rc =
        contact_count_has_offset(offset_s)
            ? read_counts(db, offset_s, org_id, start, n_months, out, t,
                          cat_len, err)
            : scan_contacts(db, org_id, start, n_months, out, t, cat_len, err);
    for (int i = 0; i < 4; i++) {
        tally_finish(&t[i]);
    }
    return rc;
}

/*
 * The report a row callback appends to, and the capacity of the array it
 * grows (events or referral rows: one array per walk).
 */
struct collect {
    struct report *r;
    size_t cap;
};

static int
keep_event(const struct event_row *e, void *ctx)
{
    struct collect *c = ctx;
    struct report *r = c->r;
    struct report_ym ym;
    char ymtext[8];
    memcpy(ymtext, e->day, 7);
    ymtext[7] = '\0';
    if (report_parse_ym(ymtext, "day", &ym, NULL) != SR_OK) {
        return 0;
    }
    r->events = sr_xgrow(r->events, r->n_events, &c->cap, sizeof *r->events);
    struct report_event *ev = &r->events[r->n_events++];
    snprintf(ev->day, sizeof ev->day, "%s", e->day);
    snprintf(ev->kind, sizeof ev->kind, "%s", e->kind);
    snprintf(ev->title, sizeof ev->title, "%s", e->title);
    ev->month_index = ym_months(r->from, ym) - 1;
    return 0;
}

/* One partner's row, or (org_id 0) the totals row. */
static int
collect_outcome(const struct referral_outcome *o, void *ctx)
{
    struct collect *c = ctx;
    struct report_referrals *out = &c->r->referrals;
    if (o->org_id == 0) {
        out->n_trafficking_referred = o->n_trafficking;
        out->n_trafficking_actioned = o->n_trafficking_action;
        return 0;
    }
    out->rows = sr_xgrow(out->rows, out->n_rows, &c->cap, sizeof *out->rows);
    struct report_referral_row *r = &out->rows[out->n_rows++];
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

/* Into r->referrals, the referral outcomes of contacts referred in
 * [lo, hi) by org_id's organisation (0 = all), from the referral module. */
static int
load_referrals(struct db *db, int64_t org_id, int64_t lo, int64_t hi,
               struct report *r, struct sr_err *err)
{
    struct report_referrals *out = &r->referrals;
    struct collect c = { r, 0 };
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
sum_into(struct report_month *sum, const struct report_month *m)
{
    sum->total += m->total;
    sum->n_danger += m->n_danger;
    sum->n_affected += m->n_affected;
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        sum->by_category[c] += m->by_category[c];
    }
}

/* The report of q as counted, nothing hidden. */
static int
compute(struct db *db, const struct report_query *q, struct report *out,
        struct sr_err *err)
{
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

    /* start[i]: month i's first second; start[n]: the end of the range */
    int64_t *start = sr_xcalloc((size_t)n + 1, sizeof start[0]);
    struct report_ym ym = q->from;
    for (int i = 0; i <= n; i++) {
        if (i < n) {
            out->months[i].ym = ym;
        }
        start[i] = report_month_start(ym, offset_s);
        ym = ym_next(ym);
    }
    rc = db_begin_read(db, err);
    if (rc == SR_OK) {
        rc =
            count_contacts(db, offset_s, q->org_id, start, (size_t)n, out, err);
    }
    free(start);
    for (int i = 0; i < n; i++) {
        sum_into(&out->sum, &out->months[i]);
    }
    if (rc == SR_OK) {
        char from_day[16], to_day[16];
        snprintf(from_day, sizeof from_day, "%04d-%02d-01", q->from.year,
                 q->from.month);
        snprintf(to_day, sizeof to_day, "%04d-%02d-31", q->to.year,
                 q->to.month);
        struct collect ec = { out, 0 };
        rc = event_list(db, q->org_id, from_day, to_day, keep_event, &ec, err);
    }
    if (rc == SR_OK) {
        rc = load_referrals(db, q->org_id, lo, hi, out, err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    return SR_OK;
}

/* ---- suppression across organisations ----------------------------------
 *
 * The report across organisations hides small counts, and every way of
 * working one out again is closed:
 *   - fixed periods: one calendar year a report, so no two reports
 *     overlap and months cannot be had by subtracting ranges;
 *   - secondary suppression (core/suppress.c) over every organisation's
 *     report of that year and the one of all of them together: in each
 *     month's row (contacts = the sum of the categories), in each column
 *     (the year's figure = the sum of the months), in each breakdown (the
 *     year's contacts = the sum of its values) and between the
 *     organisations (all = the sum of each), no line keeps exactly one
 *     hidden count. The hidden cells depend only on the year's counts, so
 *     the report of all organisations and each organisation's agree.
 * A count hidden for itself is REPORT_SUPPRESSED ("<5"); one hidden so
 * that another cannot be worked out is REPORT_WITHHELD ("x").
 */

enum { N_MONTH_FIELDS = REPORT_N_CATEGORIES + 3, N_REF_FIELDS = 6 };

/* Field f of a month: contacts, the categories, danger, people. */
static int64_t *
month_field(struct report_month *m, int f)
{
    if (f == 0) {
        return &m->total;
    }
    if (f <= REPORT_N_CATEGORIES) {
        return &m->by_category[f - 1];
    }
    return f == REPORT_N_CATEGORIES + 1 ? &m->n_danger : &m->n_affected;
}

/* Month i of r, the year's row for i == n_months. */
static struct report_month *
month_at(struct report *r, size_t i)
{
    return i < r->n_months ? &r->months[i] : &r->sum;
}

static struct report_breakdown *
breakdown_at(struct report *r, int b)
{
    struct report_breakdown *all[4] = { &r->province, &r->channel, &r->language,
                                        &r->sector };
    return all[b];
}

static int64_t *
referral_field(struct report_referral_row *x, int f)
{
    int64_t *all[N_REF_FIELDS] = { &x->n_sent,     &x->n_acknowledged,
                                   &x->n_accepted, &x->n_declined,
                                   &x->n_action,   &x->n_no_action };
    return all[f];
}

/* Where one report's cells begin in the grid. */
struct slice {
    struct report *r;
    size_t months, bd[4], refs, trafficking;
};

/* Every count of r as a cell of g, in a fixed order; ptrs[cell] is where
 * it lives. */
static void
add_cells(struct sup_grid *g, struct slice *sl, int64_t ***ptrs, size_t *cap)
{
    struct report *r = sl->r;
    size_t need = g->n_cells + (r->n_months + 1) * N_MONTH_FIELDS + 2 +
                  r->referrals.n_rows * N_REF_FIELDS;
    for (int b = 0; b < 4; b++) {
        need += breakdown_at(r, b)->n_items;
    }
    if (need > *cap) {
        *cap = 2 * need;
        *ptrs = sr_xrealloc(*ptrs, *cap * sizeof **ptrs);
    }
    sl->months = g->n_cells;
    for (size_t i = 0; i <= r->n_months; i++) {
        for (int f = 0; f < N_MONTH_FIELDS; f++) {
            int64_t *p = month_field(month_at(r, i), f);
            (*ptrs)[sup_cell(g, *p)] = p;
        }
    }
    for (int b = 0; b < 4; b++) {
        struct report_breakdown *bd = breakdown_at(r, b);
        sl->bd[b] = g->n_cells;
        for (size_t j = 0; j < bd->n_items; j++) {
            (*ptrs)[sup_cell(g, bd->items[j].n)] = &bd->items[j].n;
        }
    }
    sl->refs = g->n_cells;
    for (size_t j = 0; j < r->referrals.n_rows; j++) {
        for (int f = 0; f < N_REF_FIELDS; f++) {
            int64_t *p = referral_field(&r->referrals.rows[j], f);
            (*ptrs)[sup_cell(g, *p)] = p;
        }
    }
    sl->trafficking = g->n_cells;
    (*ptrs)[sup_cell(g, r->referrals.n_trafficking_referred)] =
        &r->referrals.n_trafficking_referred;
    (*ptrs)[sup_cell(g, r->referrals.n_trafficking_actioned)] =
        &r->referrals.n_trafficking_actioned;
}

static size_t
month_cell(const struct slice *sl, size_t i, int f)
{
    return sl->months + i * N_MONTH_FIELDS + (size_t)f;
}

/* The lines inside one report: each month's categories against its
 * contacts, each column against the year, each breakdown against the
 * year's contacts. */
static void
lines_within(struct sup_grid *g, const struct slice *sl)
{
    size_t n = sl->r->n_months;
    for (size_t i = 0; i <= n; i++) {
        for (int f = 0; f <= REPORT_N_CATEGORIES; f++) {
            sup_member(g, month_cell(sl, i, f));
        }
        sup_line_end(g);
    }
    for (int f = 0; f < N_MONTH_FIELDS; f++) {
        for (size_t i = 0; i <= n; i++) {
            sup_member(g, month_cell(sl, i, f));
        }
        sup_line_end(g);
    }
    for (int b = 0; b < 4; b++) {
        sup_member(g, month_cell(sl, n, 0));
        for (size_t j = 0; j < breakdown_at(sl->r, b)->n_items; j++) {
            sup_member(g, sl->bd[b] + j);
        }
        sup_line_end(g);
    }
}

/* The lines between the report of all organisations (all) and each
 * one's (each[0..n)): the same cell in every one of them. */
static void
lines_between(struct sup_grid *g, const struct slice *all,
              const struct slice *each, size_t n)
{
    for (size_t i = 0; i <= all->r->n_months; i++) {
        for (int f = 0; f < N_MONTH_FIELDS; f++) {
            sup_member(g, month_cell(all, i, f));
            for (size_t s = 0; s < n; s++) {
                sup_member(g, month_cell(&each[s], i, f));
            }
            sup_line_end(g);
        }
    }
    for (int b = 0; b < 4; b++) {
        const struct report_breakdown *ab = breakdown_at(all->r, b);
        for (size_t j = 0; j < ab->n_items; j++) {
            sup_member(g, all->bd[b] + j);
            for (size_t s = 0; s < n; s++) {
                const struct report_breakdown *eb = breakdown_at(each[s].r, b);
                for (size_t k = 0; k < eb->n_items; k++) {
                    if (strcmp(eb->items[k].code, ab->items[j].code) == 0) {
                        sup_member(g, each[s].bd[b] + k);
                    }
                }
            }
            sup_line_end(g);
        }
    }
    const struct report_referrals *ar = &all->r->referrals;
    for (size_t j = 0; j < ar->n_rows; j++) {
        for (int f = 0; f < N_REF_FIELDS; f++) {
            sup_member(g, all->refs + j * N_REF_FIELDS + (size_t)f);
            for (size_t s = 0; s < n; s++) {
                const struct report_referrals *er = &each[s].r->referrals;
                for (size_t k = 0; k < er->n_rows; k++) {
                    if (strcmp(er->rows[k].partner_code,
                               ar->rows[j].partner_code) == 0) {
                        sup_member(g,
                                   each[s].refs + k * N_REF_FIELDS + (size_t)f);
                    }
                }
            }
            sup_line_end(g);
        }
    }
    for (size_t t = 0; t < 2; t++) {
        sup_member(g, all->trafficking + t);
        for (size_t s = 0; s < n; s++) {
            sup_member(g, each[s].trafficking + t);
        }
        sup_line_end(g);
    }
}

struct org_ids {
    int64_t *ids;
    size_t n, cap;
};

static int
collect_org(const struct org_row *o, void *ctx)
{
    struct org_ids *c = ctx;
    c->ids = sr_xgrow(c->ids, c->n, &c->cap, sizeof *c->ids);
    c->ids[c->n++] = o->id;
    return 0;
}

/* A median over fewer than REPORT_MIN_CELL referrals is one partner's
 * answer to one or two contacts: dropped with the count it runs over. */
static void
drop_small_medians(struct report_referrals *r)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        struct report_referral_row *x = &r->rows[i];
        if (x->n_acknowledged < REPORT_MIN_CELL) {
            x->median_ack_h = -1;
        }
        if (x->n_action < REPORT_MIN_CELL) {
            x->median_action_h = -1;
        }
    }
}

/* Hide out's small counts and those that would give them away, over
 * q's year for every organisation and all of them together. */
static int
suppress_report(struct db *db, const struct report_query *q, struct report *out,
                struct sr_err *err)
{
    struct org_ids orgs = { 0 };
    int rc = org_list(db, collect_org, &orgs, err);
    size_t n_slices = orgs.n + 1;
    struct report *own = sr_xcalloc(n_slices, sizeof *own);
    struct slice *sl = sr_xcalloc(n_slices, sizeof *sl);
    /* slice 0: all organisations; then each; out stands for the asked */
    for (size_t s = 0; s < n_slices && rc == SR_OK; s++) {
        struct report_query sq = *q;
        sq.org_id = s == 0 ? 0 : orgs.ids[s - 1];
        sl[s].r = sq.org_id == q->org_id ? out : &own[s];
        if (sl[s].r != out) {
            rc = compute(db, &sq, &own[s], err);
        }
    }
    if (rc == SR_OK) {
        struct sup_grid g;
        sup_init(&g);
        int64_t **ptrs = NULL;
        size_t cap = 0;
        for (size_t s = 0; s < n_slices; s++) {
            add_cells(&g, &sl[s], &ptrs, &cap);
        }
        for (size_t s = 0; s < n_slices; s++) {
            lines_within(&g, &sl[s]);
        }
        lines_between(&g, &sl[0], sl + 1, orgs.n);
        drop_small_medians(&out->referrals);
        sup_run(&g, REPORT_MIN_CELL);
        for (size_t c = 0; c < g.n_cells; c++) {
            if (g.state[c] != SUP_SHOWN) {
                *ptrs[c] = g.state[c] == SUP_PRIMARY ? REPORT_SUPPRESSED
                                                     : REPORT_WITHHELD;
            }
        }
        free(ptrs);
        sup_release(&g);
    }
    for (size_t s = 0; s < n_slices; s++) {
        report_release(&own[s]);
    }
    free(own);
    free(sl);
    free(orgs.ids);
    return rc;
}

int
report_hotline(struct db *db, const struct report_query *q, struct report *out,
               struct sr_err *err)
{
    if (db == NULL || q == NULL || out == NULL) {
        SR_BUG("report_hotline: missing argument");
    }
    memset(out, 0, sizeof *out);
    if (q->is_suppressed && (q->from.month != 1 || q->to.month != 12 ||
                             q->from.year != q->to.year)) {
        return sr_err_set(err, SR_EINVAL,
                          "from, to: a report across organisations covers one "
                          "calendar year, from January to December");
    }
    int rc = compute(db, q, out, err);
    out->is_suppressed = q->is_suppressed;
    if (rc == SR_OK && q->is_suppressed) {
        rc = suppress_report(db, q, out, err);
    }
    return rc;
}

void
report_release(struct report *r)
{
    SR_RELEASE(r, r->months, r->province.items, r->channel.items,
               r->language.items, r->sector.items, r->events,
               r->referrals.rows);
}
