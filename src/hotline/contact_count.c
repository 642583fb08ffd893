/*
 * contact_count.c - the monthly report's counts, kept as contacts change
 * (see contact_count.h).
 *
 * Owns table contact_count (db/migrations/0016_contact_count.sql) and its
 * SQL. contact.c calls contact_count_apply() in the transaction of every
 * write that adds, removes or changes a live contact's counted columns;
 * report.c reads the counts through contact_count_each(). No identity
 * column is ever read here: only the columns a report counts.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/contact_count.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/banned.h"

/*
 * The zone offsets whose months are kept: every offset of core/clock.c's
 * zones (UTC; Kolkata; Dhaka; Yangon; Bangkok and its neighbours;
 * Singapore, Shanghai, Manila...; Tokyo, Seoul, Jayapura). The migration
 * and CC_REBUILD fill the same list, and rely on each being a multiple of
 * 30 minutes from 0 to 9 hours; a zone of another offset is counted from
 * the contact table (report.c) until a migration adds its offset here and
 * fills it.
 */
static const int contact_count_offsets[] = { 0,     19800, 21600, 23400,
                                             25200, 28800, 32400 };
#define N_OFFSETS \
    ((int)(sizeof contact_count_offsets / sizeof contact_count_offsets[0]))

enum cc_stmt {
    CC_ADD,
    CC_DROP_ZERO,
    CC_EACH_ORG,
    CC_EACH_ALL,
    CC_CLEAR,
    CC_REBUILD,
    CC__COUNT
};

/*
 * Count every live contact again (the migration's statement). Each
 * contact's month at 7 offsets and 5 columns would be 35 records to sort
 * a contact; instead the contacts are first summed into buckets that lie
 * in one month at every kept offset (all multiples of 30 minutes from 0
 * to 9 hours): a UTC month up to 9 hours before its end, then the half
 * hours of those last 9 hours. Then each bucket goes to its month at each
 * offset: 5 records a contact, and the buckets are few.
 * MONTH(x): the first second of x's UTC month; NEXT(x): of the next one.
 */
#define MONTH_SQLITE(x) \
    "CAST(strftime('%s', " x ", 'unixepoch', 'start of month') AS INTEGER)"
#define NEXT_SQLITE(x)                                          \
    "CAST(strftime('%s', " x ", 'unixepoch', 'start of month'," \
    " '+1 month') AS INTEGER)"
#define MONTH_PG(x)                                               \
    "CAST(extract(epoch FROM date_trunc('month', to_timestamp(" x \
    ") AT TIME ZONE 'UTC')) AS BIGINT)"
#define NEXT_PG(x)                                                \
    "CAST(extract(epoch FROM date_trunc('month', to_timestamp(" x \
    ") AT TIME ZONE 'UTC') + interval '1 month') AS BIGINT)"
#define REBUILD_HEAD_SQL                                                  \
    "INSERT INTO contact_count(offset_s, org_id, month_at, dim, code, n," \
    " n_danger, n_affected)"                                              \
    " SELECT z.offset_s, s.org_id, "
#define REBUILD_MID_SQL                                                  \
    " - z.offset_s, s.dim, s.code, sum(s.n), sum(s.n_danger),"           \
    " sum(s.n_affected)"                                                 \
    " FROM (SELECT k.org_id, k.b, d.dim,"                                \
    " CASE d.dim WHEN 0 THEN k.category WHEN 1 THEN k.problem_province"  \
    " WHEN 2 THEN k.channel WHEN 3 THEN k.language"                      \
    " ELSE k.sector END AS code,"                                        \
    " count(*) AS n,"                                                    \
    " CASE WHEN d.dim = 0 THEN sum(k.is_danger) ELSE 0 END AS n_danger," \
    " CASE WHEN d.dim = 0 THEN sum(k.n_affected) ELSE 0 END"             \
    " AS n_affected"                                                     \
    " FROM (SELECT c.org_id, c.category, c.problem_province, c.channel," \
    " c.language, c.sector, c.is_danger, c.n_affected,"                  \
    " CASE WHEN c.t < c.v - 32400 THEN c.u"                              \
    " ELSE c.t - (c.t - c.v + 32400) % 1800 END AS b"                    \
    " FROM (SELECT org_id, category, problem_province, channel,"         \
    " language, sector, is_danger, n_affected, received_at AS t, "
#define REBUILD_TAIL_SQL                                       \
    " AS v FROM contact WHERE deleted_at IS NULL) AS c) AS k," \
    " (SELECT 0 AS dim UNION ALL SELECT 1 UNION ALL SELECT 2"  \
    " UNION ALL SELECT 3 UNION ALL SELECT 4) AS d"             \
    " GROUP BY 1, 2, 3, 4) AS s,"                              \
    " (SELECT 0 AS offset_s UNION ALL SELECT 19800"            \
    " UNION ALL SELECT 21600 UNION ALL SELECT 23400"           \
    " UNION ALL SELECT 25200 UNION ALL SELECT 28800"           \
    " UNION ALL SELECT 32400) AS z"                            \
    " GROUP BY 1, 2, 3, 4, 5"
#define BUCKET_MONTH_SQLITE MONTH_SQLITE("s.b + z.offset_s")
#define BUCKET_MONTH_PG     MONTH_PG("s.b + z.offset_s")
#define ROW_MONTHS_SQLITE \
    MONTH_SQLITE("received_at") " AS u, " NEXT_SQLITE("received_at")
#define ROW_MONTHS_PG MONTH_PG("received_at") " AS u, " NEXT_PG("received_at")

static const char *const contact_count_sql[CC__COUNT] = {
    [CC_ADD] = "INSERT INTO contact_count(offset_s, org_id, month_at, dim,"
               "                          code, n, n_danger, n_affected)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
               " ON CONFLICT(offset_s, org_id, month_at, dim, code)"
               " DO UPDATE SET n = contact_count.n + excluded.n,"
               "     n_danger = contact_count.n_danger + excluded.n_danger,"
               "     n_affected = contact_count.n_affected"
               "                  + excluded.n_affected",
    [CC_DROP_ZERO] = "DELETE FROM contact_count"
                     " WHERE offset_s = ?1 AND org_id = ?2 AND month_at = ?3"
                     "   AND dim = ?4 AND code = ?5 AND n = 0",
    [CC_EACH_ORG] = "SELECT org_id, month_at, dim, code, n, n_danger,"
                    "       n_affected"
                    "  FROM contact_count"
                    " WHERE offset_s = ?1 AND org_id = ?2"
                    "   AND month_at >= ?3 AND month_at < ?4 AND n <> 0",
    [CC_EACH_ALL] = "SELECT org_id, month_at, dim, code, n, n_danger,"
                    "       n_affected"
                    "  FROM contact_count"
                    " WHERE offset_s = ?1 AND ?2 = 0"
                    "   AND month_at >= ?3 AND month_at < ?4 AND n <> 0",
    [CC_CLEAR] = "DELETE FROM contact_count",
    [CC_REBUILD] = REBUILD_HEAD_SQL BUCKET_MONTH_SQLITE REBUILD_MID_SQL
        ROW_MONTHS_SQLITE REBUILD_TAIL_SQL DB_PG REBUILD_HEAD_SQL
            BUCKET_MONTH_PG REBUILD_MID_SQL ROW_MONTHS_PG REBUILD_TAIL_SQL,
};

/* The first second of the local month of t at offset_s seconds east of
 * UTC (as report.c's report_month_start(report_ym_at())). */
static int64_t
month_at_of(int64_t t, int offset_s)
{
    struct tm tm;
    time_t local = (time_t)(t + offset_s);
    if (gmtime_r(&local, &tm) == NULL) {
        SR_BUG("contact_count: time out of range");
    }
    return sr_days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, 1) *
               86400 -
           offset_s;
}

int
contact_count_has_offset(int offset_s)
{
    for (int i = 0; i < N_OFFSETS; i++) {
        if (contact_count_offsets[i] == offset_s) {
            return 1;
        }
    }
    return 0;
}

/* One key of the counts and what a batch adds to it. */
struct delta {
    int64_t org_id, month_at;
    int offset_s, dim;
    const char *code;
    size_t len;
    int64_t n, n_danger, n_affected;
};

static uint64_t
delta_hash(const struct delta *d)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    int64_t nums[4] = { d->org_id, d->month_at, d->offset_s, d->dim };
    const unsigned char *p = (const unsigned char *)nums;
    for (size_t i = 0; i < sizeof nums; i++) {
        h = (h ^ p[i]) * 1099511628211u;
    }
    for (size_t i = 0; i < d->len; i++) {
        h = (h ^ (unsigned char)d->code[i]) * 1099511628211u;
    }
    return h;
}

static int
delta_same(const struct delta *a, const struct delta *b)
{
    return a->org_id == b->org_id && a->month_at == b->month_at &&
           a->offset_s == b->offset_s && a->dim == b->dim && a->len == b->len &&
           memcmp(a->code, b->code, a->len) == 0;
}

/* The order of contact_count's primary key (offset_s, org_id, month_at,
 * dim, code); codes by their bytes. */
static int
delta_cmp(const void *pa, const void *pb)
{
    const struct delta *a = pa;
    const struct delta *b = pb;
    if (a->offset_s != b->offset_s) {
        return a->offset_s < b->offset_s ? -1 : 1;
    }
    if (a->org_id != b->org_id) {
        return a->org_id < b->org_id ? -1 : 1;
    }
    if (a->month_at != b->month_at) {
        return a->month_at < b->month_at ? -1 : 1;
    }
    if (a->dim != b->dim) {
        return a->dim < b->dim ? -1 : 1;
    }
    return strcmp(a->code, b->code);
}

/* Write one summed key: upsert, then drop the row if it fell to 0. */
static int
write_delta(struct db *db, const struct delta *d, struct sr_err *err)
{
    if (d->n == 0 && d->n_danger == 0 && d->n_affected == 0) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &contact_count_sql[CC_ADD]);
    db_bind_int(s, 1, d->offset_s);
    db_bind_i64(s, 2, d->org_id);
    db_bind_i64(s, 3, d->month_at);
    db_bind_int(s, 4, d->dim);
    db_bind_text_static(s, 5, d->code);
    db_bind_i64(s, 6, d->n);
    db_bind_i64(s, 7, d->n_danger);
    db_bind_i64(s, 8, d->n_affected);
    int rc = db_exec_stmt(db, s, err);
    if (rc != SR_OK || d->n >= 0) {
        return rc;
    }
    s = db_stmt(db, &contact_count_sql[CC_DROP_ZERO]);
    db_bind_int(s, 1, d->offset_s);
    db_bind_i64(s, 2, d->org_id);
    db_bind_i64(s, 3, d->month_at);
    db_bind_int(s, 4, d->dim);
    db_bind_text_static(s, 5, d->code);
    return db_exec_stmt(db, s, err);
}

/* The keys of a batch and their sums, with an open-addressing hash of
 * them that doubles as they come (a batch of 20,000 contacts in a few
 * months has a few thousand keys, not 35 a contact). */
struct sums {
    struct delta *keys; /* n_keys of cap */
    size_t n_keys, cap;
    size_t *slots;  /* index into keys + 1; 0 = empty */
    size_t n_slots; /* a power of two, more than twice n_keys */
};

static void
sums_rehash(struct sums *m)
{
    free(m->slots);
    m->n_slots *= 2;
    m->slots = sr_xcalloc(m->n_slots, sizeof m->slots[0]);
    for (size_t i = 0; i < m->n_keys; i++) {
        size_t k = delta_hash(&m->keys[i]) & (m->n_slots - 1);
        while (m->slots[k] != 0) {
            k = (k + 1) & (m->n_slots - 1);
        }
        m->slots[k] = i + 1;
    }
}

/* The sums of d's key, made (zero) when new. */
static struct delta *
sums_find(struct sums *m, const struct delta *d)
{
    size_t k = delta_hash(d) & (m->n_slots - 1);
    for (; m->slots[k] != 0; k = (k + 1) & (m->n_slots - 1)) {
        if (delta_same(&m->keys[m->slots[k] - 1], d)) {
            return &m->keys[m->slots[k] - 1];
        }
    }
    m->keys = sr_xgrow(m->keys, m->n_keys, &m->cap, sizeof m->keys[0]);
    m->keys[m->n_keys] = *d;
    m->slots[k] = ++m->n_keys;
    struct delta *t = &m->keys[m->n_keys - 1];
    if (m->n_keys * 2 > m->n_slots) {
        sums_rehash(m); /* t stays: keys did not move */
    }
    return t;
}

int
contact_count_apply(struct db *db, const struct contact_counted *rows, size_t n,
                    struct sr_err *err)
{
    assert(db != NULL && (rows != NULL || n == 0));
    if (!db_in_transaction(db)) {
        SR_BUG("contact_count_apply: outside a transaction");
    }
    struct sums m = { NULL, 0, 0, NULL, 256 };
    m.slots = sr_xcalloc(m.n_slots, sizeof m.slots[0]);
    for (size_t i = 0; i < n; i++) {
        const struct contact_counted *r = &rows[i];
        for (int o = 0; o < N_OFFSETS; o++) {
            int off = contact_count_offsets[o];
            int64_t month_at = month_at_of(r->received_at, off);
            for (int dim = 0; dim < CC_N_DIMS; dim++) {
                const char *code = r->code[dim] ? r->code[dim] : "";
                struct delta d = { r->org_id,    month_at, off, dim, code,
                                   strlen(code), 0,        0,   0 };
                struct delta *t = sums_find(&m, &d);
                t->n += r->sign;
                if (dim == CC_DIM_CATEGORY) {
                    t->n_danger += r->sign * (r->is_danger != 0);
                    t->n_affected += (int64_t)r->sign * r->n_affected;
                }
            }
        }
    }
    /* in the table's key order: neighbouring rows share pages, and two
     * writers on PostgreSQL take their row locks in the same order */
    free(m.slots);
    if (m.n_keys > 1) {
        qsort(m.keys, m.n_keys, sizeof m.keys[0], delta_cmp);
    }
    int rc = SR_OK;
    for (size_t k = 0; k < m.n_keys && rc == SR_OK; k++) {
        rc = write_delta(db, &m.keys[k], err);
    }
    free(m.keys);
    return rc;
}

/* contact_count_each()'s callback and its context. */
struct each {
    int (*fn)(const struct contact_count_row *r, void *ctx);
    void *ctx;
};

static int
each_row(struct db_stmt *s, void *ctx)
{
    struct each *e = ctx;
    const char *code = db_col_text_or_null(s, 3);
    struct contact_count_row r = {
        .org_id = db_col_i64(s, 0),
        .month_at = db_col_i64(s, 1),
        .dim = (int)db_col_i64(s, 2),
        .code = code ? code : "",
        .code_len = code ? db_col_bytes(s, 3) : 0,
        .n = db_col_i64(s, 4),
        .n_danger = db_col_i64(s, 5),
        .n_affected = db_col_i64(s, 6),
    };
    return e->fn(&r, e->ctx);
}

int
contact_count_each(struct db *db, int offset_s, int64_t org_id, int64_t lo,
                   int64_t hi,
                   int (*fn)(const struct contact_count_row *r, void *ctx),
                   void *ctx, struct sr_err *err)
{
    assert(db != NULL && fn != NULL);
    struct db_stmt *s =
        db_stmt(db, &contact_count_sql[org_id ? CC_EACH_ORG : CC_EACH_ALL]);
    db_bind_int(s, 1, offset_s);
    db_bind_i64(s, 2, org_id);
    db_bind_i64(s, 3, lo);
    db_bind_i64(s, 4, hi);
    struct each e = { fn, ctx };
    return db_each(db, s, each_row, &e, "cannot read the report's counts", err);
}

int
contact_count_rebuild(struct db *db, struct sr_err *err)
{
    assert(db != NULL);
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = db_exec_stmt(db, db_stmt(db, &contact_count_sql[CC_CLEAR]), err);
    if (rc == SR_OK) {
        rc = db_exec_stmt(db, db_stmt(db, &contact_count_sql[CC_REBUILD]), err);
    }
    return db_finish(db, rc, err);
}
