/*
 * test_report_counts.c - the monthly report's kept counts
 * (hotline/contact_count.c) against a recount done here: random contacts
 * stored one by one and in batches, a bulk import into the empty
 * workspace and a batched import into a full one, deletions, and edits
 * that move a contact to another month, organisation, category, province
 * or channel (through contact_count_apply(), the one function an edit
 * calls); after each round every figure of the report (months by
 * category, people affected, danger, the four breakdowns) over random
 * ranges, for every organisation and all of them, in five zones, is
 * compared with the figures counted here from the rows this test wrote
 * (the test keeps its own list of them), and the list itself is checked
 * against the contact table by this test's own SQL; counting them all
 * again (contact_count_rebuild(), the migration's statement) must give
 * the very rows kept. Then an upgrade: a
 * workspace of schema 15 (no contact_count) with live, deleted and
 * directly written contacts is opened by this binary, whose migration
 * fills the counts from the rows it finds, and the report must agree
 * with the recount again.
 *
 * On SQLite or, with SIREN_TEST_STORE, on PostgreSQL (fixture.h), the
 * upgrade too: its workspace is a file, or a database of its own on
 * that server going through PostgreSQL's migration 0016.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/org.h"
#include "base/principal.h"
#include "base/store.h"
#include "core/clock.h"
#include "core/vocab.h"
#include "hotline/contact.h"
#include "hotline/contact_count.h"
#include "hotline/contact_import.h"
#include "hotline/report.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"

#include "core/banned.h"

/* This test's own SQL: the recount's reads of the contact table, the
 * comparison of the kept counts with those counted again, the edit
 * written past the module, and the old schema the upgrade starts from
 * (on either store: fixture.h). */
static const char *const test_sql[] = {
    "SELECT count(*), coalesce(sum(n_affected), 0)"
    "  FROM contact WHERE deleted_at IS NULL",
    "SELECT code FROM contact WHERE org_id = ?1"
    " AND received_at = ?2 AND category = ?3"
    " AND channel = ?4 AND import_key IS NOT NULL"
    " ORDER BY id",
    "UPDATE contact SET org_id = ?2, received_at = ?3,"
    " category = ?4, problem_province = ?5, channel = ?6,"
    " language = ?7, sector = ?8, n_affected = ?9, is_danger = ?10"
    " WHERE code = ?1",
    "SELECT count(*) FROM contact_count WHERE n = 0",
    "SELECT count(DISTINCT offset_s) FROM contact_count",
    "SELECT count(*) FROM (SELECT offset_s, sum(n) AS s"
    " FROM contact_count WHERE dim = 0 GROUP BY offset_s) AS per_zone"
    " WHERE s <> (SELECT count(*) FROM contact"
    "             WHERE deleted_at IS NULL)",
    "CREATE TEMP TABLE kept AS"
    " SELECT offset_s, org_id, month_at, dim, code, n,"
    "        n_danger, n_affected FROM contact_count",
    "SELECT count(*) FROM contact_count",
    "SELECT count(*) FROM kept",
    "SELECT count(*) FROM (SELECT * FROM kept EXCEPT"
    " SELECT offset_s, org_id, month_at, dim, code, n,"
    "        n_danger, n_affected FROM contact_count) AS lost",
    "UPDATE contact SET received_at = received_at + 86400"
    " WHERE id % 5 = 0",
    "SELECT received_at FROM contact WHERE code = ?1",
    "DROP TABLE contact_count",
    /* migration 0019 runs again too: an older SIREN had no such column */
    "ALTER TABLE org DROP COLUMN emergency_phone",
    "PRAGMA user_version = 15" DB_PG
    "DELETE FROM siren_schema WHERE version > 15",
    "PRAGMA user_version" DB_PG "SELECT max(version) FROM siren_schema",
};
enum {
    Q_LIVE,
    Q_IMPORTED_CODES,
    Q_EDIT,
    Q_COUNTS_ZERO,
    Q_COUNTS_OFFSETS,
    Q_COUNTS_ZONES_OFF,
    Q_KEEP,
    Q_COUNTS,
    Q_KEPT,
    Q_KEPT_LOST,
    Q_OLD_MOVE,
    Q_RECEIVED_AT,
    Q_OLD_DROP,
    Q_OLD_PHONE,
    Q_OLD_VERSION,
    Q_VERSION
};

/* ---- a seeded generator (xorshift64*), so a failure can be replayed */

static uint64_t seed = 20261207;

static uint64_t
next_u64(void)
{
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 2685821657736338717u;
}

static int
pick(int n)
{
    return (int)(next_u64() % (uint64_t)n);
}

/* ---- the rows this test wrote ---------------------------------------- */

#define MAX_ROWS 4000
#define N_ORGS   3

struct row {
    char code[32];
    int64_t org_id, t;
    const char *cat, *prov, *chan, *lang, *sector;
    int n_affected, is_danger;
    int is_live;
};

static struct row rows[MAX_ROWS];
static size_t n_rows;
static int64_t org_ids[N_ORGS];

static const char *const provinces[] = { "TH-10", "TH-90", "KH-12",
                                         "MM-06", "LA-VT", "" };
static const char *const langs[] = { "my", "km", "th", "lo", "en" };
static const int offsets[] = { 25200, 23400, 0, 32400, 19800 };
static const char *const zones[] = { "Asia/Bangkok", "Asia/Yangon", "UTC",
                                     "Asia/Tokyo", "Asia/Kolkata" };

/* A time in 2023-2025 near a month boundary of one of the zones, or
 * anywhere in a month. */
static int64_t
random_time(void)
{
    struct report_ym ym = { 2023 + pick(3), 1 + pick(12) };
    int off = offsets[pick(5)];
    int64_t start = report_month_start(ym, off);
    switch (pick(4)) {
    case 0:
        return start - 1 - pick(2);
    case 1:
        return start + pick(2);
    default:
        return start + pick(28 * 86400);
    }
}

static void
random_row(struct row *r)
{
    r->org_id = org_ids[pick(N_ORGS)];
    /* import rows are read to the minute: keep every time to a minute */
    r->t = random_time() / 60 * 60;
    r->cat = contact_categories[pick(vocab_count(contact_categories))].code;
    r->prov = provinces[pick(6)];
    r->chan = contact_channels[pick(vocab_count(contact_channels))].code;
    r->lang = langs[pick(5)];
    r->sector = pick(4) == 0
                    ? ""
                    : contact_sectors[pick(vocab_count(contact_sectors))].code;
    r->n_affected = pick(6);
    r->is_danger = pick(7) == 0;
    r->is_live = 1;
}

static struct contact_input
input_of(const struct row *r)
{
    struct contact_input in = { .received_at = r->t,
                                .channel = r->chan,
                                .language = r->lang,
                                .caller_type = "self",
                                .problem_province = r->prov,
                                .category = r->cat,
                                .sector = r->sector,
                                .n_affected = r->n_affected,
                                .is_danger = r->is_danger };
    return in;
}

static struct principal
who_of(int64_t org_id, enum role role)
{
    struct principal p = { .user_id = 0, .org_id = org_id, .role = role };
    return p;
}

/* ---- the recount ------------------------------------------------------ */

struct expect {
    int64_t total[REPORT_MAX_MONTHS], cat[REPORT_MAX_MONTHS][8];
    int64_t danger[REPORT_MAX_MONTHS], affected[REPORT_MAX_MONTHS];
};

static int
category_at(const char *code)
{
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        if (strcmp(contact_categories[c].code, code) == 0) {
            return c;
        }
    }
    return -1;
}

/* How many live rows of org (0 = all) in [lo, hi) have value code in the
 * column of breakdown b (0 province, 1 channel, 2 language, 3 sector). */
static int64_t
recount_share(int64_t org, int64_t lo, int64_t hi, int b, const char *code)
{
    int64_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        const char *v[4] = { r->prov, r->chan, r->lang, r->sector };
        if (r->is_live && (org == 0 || r->org_id == org) && r->t >= lo &&
            r->t < hi && strcmp(v[b], code) == 0) {
            n++;
        }
    }
    return n;
}

/* How many distinct values breakdown b has among those rows. */
static size_t
recount_values(int64_t org, int64_t lo, int64_t hi, int b)
{
    const char *seen[64];
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        const char *v[4] = { r->prov, r->chan, r->lang, r->sector };
        if (!r->is_live || (org != 0 && r->org_id != org) || r->t < lo ||
            r->t >= hi) {
            continue;
        }
        size_t k = 0;
        while (k < n && strcmp(seen[k], v[b]) != 0) {
            k++;
        }
        if (k == n && n < 64) {
            seen[n++] = v[b];
        }
    }
    return n;
}

static int n_reports;

/* The report of org (0 = all) for [from, to] in zone z, every figure
 * against the recount; returns the number of figures that differ. */
static int
compare_one(struct db *db, int64_t org, struct report_ym from,
            struct report_ym to, int z)
{
    struct report_query q = {
        .from = from, .to = to, .timezone = zones[z], .org_id = org
    };
    struct report r;
    struct sr_err err = { 0 };
    if (report_hotline(db, &q, &r, &err) != SR_OK) {
        fprintf(stderr, "report: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        report_release(&r);
        return 1;
    }
    n_reports++;
    int off = offsets[z];
    static struct expect e;
    memset(&e, 0, sizeof e);
    int64_t lo = report_month_start(from, off);
    int64_t hi = report_month_start(report_ym_add(to, 1), off);
    for (size_t i = 0; i < n_rows; i++) {
        const struct row *x = &rows[i];
        if (!x->is_live || (org != 0 && x->org_id != org) || x->t < lo ||
            x->t >= hi) {
            continue;
        }
        /* the month by walking the month starts, not report_ym_at() */
        size_t m = 0;
        while (x->t >=
               report_month_start(report_ym_add(from, (int)m + 1), off)) {
            m++;
        }
        int c = category_at(x->cat);
        e.total[m]++;
        e.cat[m][c]++;
        e.danger[m] += x->is_danger;
        e.affected[m] += x->n_affected;
    }
    int bad = 0;
    int64_t sum_total = 0, sum_affected = 0;
    for (size_t m = 0; m < r.n_months; m++) {
        const struct report_month *rm = &r.months[m];
        TALLY(bad, rm->total == e.total[m]);
        TALLY(bad, rm->n_danger == e.danger[m]);
        TALLY(bad, rm->n_affected == e.affected[m]);
        for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
            TALLY(bad, rm->by_category[c] == e.cat[m][c]);
        }
        sum_total += e.total[m];
        sum_affected += e.affected[m];
    }
    TALLY(bad, r.sum.total == sum_total);
    TALLY(bad, r.sum.n_affected == sum_affected);
    const struct report_breakdown *bd[4] = { &r.province, &r.channel,
                                             &r.language, &r.sector };
    for (int b = 0; b < 4; b++) {
        TALLY(bad, bd[b]->n_items == recount_values(org, lo, hi, b));
        for (size_t j = 0; j < bd[b]->n_items; j++) {
            TALLY(bad, bd[b]->items[j].n ==
                           recount_share(org, lo, hi, b, bd[b]->items[j].code));
        }
    }
    report_release(&r);
    return bad;
}

/* Reports over random ranges (and the whole of 2022-2026) for every
 * organisation and all, in every zone: the number of reports that
 * differ from the recount. */
static int
compare_all(struct db *db)
{
    int n_bad = 0;
    for (int z = 0; z < 5; z++) {
        for (int o = 0; o <= N_ORGS; o++) {
            int64_t org = o == 0 ? 0 : org_ids[o - 1];
            struct report_ym from = { 2022, 12 }, to = { 2026, 1 };
            n_bad += compare_one(db, org, from, to, z) != 0;
            struct report_ym f2 = { 2023 + pick(3), 1 + pick(12) };
            struct report_ym t2 = report_ym_add(f2, pick(14));
            n_bad += compare_one(db, org, f2, t2, z) != 0;
        }
    }
    return n_bad;
}

/* The live rows of the contact table by this test's own SQL, against its
 * list: 1 when they agree. */
static int
table_agrees(struct db *db)
{
    struct db_stmt *s = db_stmt(db, &test_sql[Q_LIVE]);
    int64_t n = -1, aff = -1;
    if (db_step(s) == DB_ROW) {
        n = db_col_i64(s, 0);
        aff = db_col_i64(s, 1);
    }
    db_done(s);
    int64_t want_n = 0, want_aff = 0;
    for (size_t i = 0; i < n_rows; i++) {
        want_n += rows[i].is_live;
        want_aff += rows[i].is_live ? rows[i].n_affected : 0;
    }
    return n == want_n && aff == want_aff;
}

/* The first column of test_sql[q]'s first row; -1 when it gives none. */
static int64_t
sql_count(struct db *db, int q)
{
    struct db_stmt *s = db_stmt(db, &test_sql[q]);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

/* Run test_sql[q], which returns no row: SR_OK, or the store's error
 * (on stderr). */
static int
sql_run(struct db *db, int q)
{
    struct sr_err err = { 0 };
    int rc = db_exec_stmt(db, db_stmt(db, &test_sql[q]), &err);
    if (rc != SR_OK) {
        fprintf(stderr, "sql_run %d: %s\n", q, sr_err_msg(&err));
    }
    sr_err_release(&err);
    return rc;
}

/* ---- the writes ------------------------------------------------------- */

static void
add_one(struct db *db, const struct vault *v)
{
    REQUIRE(n_rows < MAX_ROWS);
    struct row *r = &rows[n_rows];
    random_row(r);
    struct contact_input in = input_of(r);
    struct principal who = who_of(r->org_id, ROLE_HOTLINE);
    struct sr_err err = { 0 };
    int64_t id;
    if (contact_create(db, v, &who, &in, NULL, r->code, &id, &err) == SR_OK) {
        n_rows++;
    } else {
        fprintf(stderr, "add: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
    }
}

/* A batch of up to 20 for one organisation (contact_create_batch). */
static void
add_batch(struct db *db, const struct vault *v)
{
    size_t n = 1 + (size_t)pick(20);
    REQUIRE(n_rows + n < MAX_ROWS);
    int64_t org = org_ids[pick(N_ORGS)];
    struct contact_input in[20];
    struct contact_batch_item items[20];
    memset(items, 0, sizeof items);
    for (size_t i = 0; i < n; i++) {
        random_row(&rows[n_rows + i]);
        rows[n_rows + i].org_id = org;
        in[i] = input_of(&rows[n_rows + i]);
        items[i].in = &in[i];
    }
    struct principal who = who_of(org, ROLE_HOTLINE);
    struct sr_err err = { 0 };
    size_t created = 0;
    if (contact_create_batch(db, v, &who, items, n, &created, &err) != SR_OK) {
        fprintf(stderr, "batch: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(rows[n_rows + i].code, items[i].code, sizeof items[i].code);
    }
    n_rows += n;
}

/* A live row at random, or NULL. */
static struct row *
some_live(void)
{
    for (int tries = 0; tries < 50 && n_rows > 0; tries++) {
        struct row *r = &rows[pick((int)n_rows)];
        if (r->is_live) {
            return r;
        }
    }
    return NULL;
}

static void
delete_one(struct db *db, const struct vault *v)
{
    struct row *r = some_live();
    if (r == NULL) {
        return;
    }
    struct principal who = who_of(r->org_id, ROLE_COORDINATOR);
    struct sr_err err = { 0 };
    if (contact_delete(db, v, &who, r->code, "test", &err) == SR_OK) {
        r->is_live = 0;
    } else {
        fprintf(stderr, "delete: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
    }
}

static struct contact_counted
counted_of(const struct row *r, int sign)
{
    struct contact_counted c = { .org_id = r->org_id,
                                 .received_at = r->t,
                                 .n_affected = r->n_affected,
                                 .is_danger = r->is_danger,
                                 .sign = sign };
    c.code[CC_DIM_CATEGORY] = r->cat;
    c.code[CC_DIM_PROVINCE] = r->prov;
    c.code[CC_DIM_CHANNEL] = r->chan;
    c.code[CC_DIM_LANGUAGE] = r->lang;
    c.code[CC_DIM_SECTOR] = r->sector;
    return c;
}

/*
 * An edit of a live row's counted columns: the row is changed with this
 * test's SQL and its old and new values go to contact_count_apply() in
 * the same transaction, as an edit does. Moves it to another month,
 * organisation, category, province, channel, language, sector, danger
 * or people affected, or several at once.
 */
static void
edit_one(struct db *db)
{
    struct row *r = some_live();
    if (r == NULL) {
        return;
    }
    struct row old = *r, now;
    random_row(&now);
    struct row nu = old;
    int what = pick(5);
    if (what == 0 || what == 4) {
        nu.t = now.t; /* another month, often */
    }
    if (what == 1 || what == 4) {
        nu.org_id = now.org_id;
    }
    if (what == 2 || what == 4) {
        nu.cat = now.cat;
        nu.is_danger = now.is_danger;
        nu.n_affected = now.n_affected;
    }
    if (what == 3 || what == 4) {
        nu.prov = now.prov;
        nu.chan = now.chan;
        nu.lang = now.lang;
        nu.sector = now.sector;
    }
    struct sr_err err = { 0 };
    REQUIRE(db_begin_write(db, &err) == SR_OK);
    struct db_stmt *s = db_stmt(db, &test_sql[Q_EDIT]);
    db_bind_text(s, 1, r->code);
    db_bind_i64(s, 2, nu.org_id);
    db_bind_i64(s, 3, nu.t);
    db_bind_text(s, 4, nu.cat);
    db_bind_text(s, 5, nu.prov);
    db_bind_text(s, 6, nu.chan);
    db_bind_text(s, 7, nu.lang);
    db_bind_text(s, 8, nu.sector);
    db_bind_int(s, 9, nu.n_affected);
    db_bind_int(s, 10, nu.is_danger);
    int rc = db_exec_stmt(db, s, &err);
    struct contact_counted change[2] = { counted_of(&old, -1),
                                         counted_of(&nu, 1) };
    if (rc == SR_OK) {
        rc = contact_count_apply(db, change, 2, &err);
    }
    REQUIRE(db_finish(db, rc, &err) == SR_OK);
    *r = nu;
}

/* received_at as the import reads it: local time at offset_s. */
static void
local_text(int64_t t, int offset_s, char *out, size_t size)
{
    sr_time_text(t, offset_s, SR_TIME_MINUTE, out, size);
}

/* Import n random rows for organisation org as a CSV (the bulk load when
 * the workspace holds no contact, batches of 7 rows otherwise). */
static void
import_rows(struct db *db, const struct vault *v, int64_t org, size_t n)
{
    REQUIRE(n_rows + n < MAX_ROWS);
    struct sr_buf csv;
    sr_buf_init(&csv, 0);
    sr_buf_adds(&csv, "received_at,channel,language,caller_type,"
                      "problem_province,category,sector,danger,n_affected,"
                      "summary\n");
    int off = 25200;
    for (size_t i = 0; i < n; i++) {
        struct row *r = &rows[n_rows + i];
        random_row(r);
        r->org_id = org;
        char when[32];
        local_text(r->t, off, when, sizeof when);
        /* a distinct summary: no two rows are the same import */
        sr_buf_printf(&csv, "%s,%s,%s,self,%s,%s,%s,%s,%d,row %zu\n", when,
                      r->chan, r->lang, r->prov, r->cat, r->sector,
                      r->is_danger ? "yes" : "no", r->n_affected, n_rows + i);
    }
    FILE *f = fmemopen(csv.data, csv.len, "r");
    REQUIRE(f != NULL);
    struct principal who = who_of(org, ROLE_COORDINATOR);
    struct import_opts o = { 0, off, 7, "TH" };
    struct import_report rep;
    struct sr_err err = { 0 };
    int rc = contact_import(db, v, &who, f, &o, NULL, &rep, &err);
    fclose(f);
    sr_buf_release(&csv);
    if (rc != SR_OK || rep.n_created != (int64_t)n) {
        fprintf(stderr, "import: %s (%lld of %zu)\n", sr_err_msg(&err),
                (long long)rep.n_created, n);
        sr_err_release(&err);
        return;
    }
    /* the codes, by this test's SQL: the rows' summaries are encrypted,
     * so find each by its time, organisation and columns */
    for (size_t i = 0; i < n; i++) {
        struct row *r = &rows[n_rows + i];
        struct db_stmt *s = db_stmt(db, &test_sql[Q_IMPORTED_CODES]);
        db_bind_i64(s, 1, r->org_id);
        db_bind_i64(s, 2, r->t);
        db_bind_text(s, 3, r->cat);
        db_bind_text(s, 4, r->chan);
        /* a code no earlier row of this list holds */
        while (db_step(s) == DB_ROW) {
            const char *code = db_col_text(s, 0);
            size_t k = 0;
            while (k < n_rows + i && strcmp(rows[k].code, code) != 0) {
                k++;
            }
            if (k == n_rows + i) {
                snprintf(r->code, sizeof r->code, "%s", code);
                break;
            }
        }
        db_done(s);
    }
    n_rows += n;
}

/* ---- the tests -------------------------------------------------------- */

static void
make_orgs(struct db *db, const struct vault *v)
{
    struct sr_err err = { 0 };
    char code[32];
    static const char *const names[N_ORGS] = { "Hotline A", "NGO B",
                                               "Shelter C" };
    for (int i = 0; i < N_ORGS; i++) {
        REQUIRE(org_add(db, v, 0, names[i], "hotline", "TH", code, &org_ids[i],
                        &err) == SR_OK);
    }
}

static void
test_random_writes(struct db *db, const struct vault *v)
{
    make_orgs(db, v);
    /* into the empty workspace: the bulk load */
    import_rows(db, v, org_ids[0], 150);
    CHECK(n_rows == 150);
    CHECK(table_agrees(db));
    CHECK(compare_all(db) == 0);
    int bad_rounds = 0, bad_tables = 0;
    for (int round = 0; round < 8; round++) {
        for (int k = 0; k < 60; k++) {
            int op = pick(10);
            if (op < 3) {
                add_one(db, v);
            } else if (op < 5) {
                add_batch(db, v);
            } else if (op < 7) {
                delete_one(db, v);
            } else {
                edit_one(db);
            }
        }
        if (round % 3 == 1) { /* batches into a workspace with contacts */
            import_rows(db, v, org_ids[pick(N_ORGS)], 20);
        }
        TALLY(bad_tables, table_agrees(db));
        TALLY(bad_rounds, compare_all(db) == 0);
    }
    CHECK(bad_tables == 0);
    CHECK(bad_rounds == 0);
    /* a count that fell to 0 leaves no row behind */
    CHECK(sql_count(db, Q_COUNTS_ZERO) == 0);
    /* every zone offset is kept, each with all the live contacts */
    CHECK(sql_count(db, Q_COUNTS_OFFSETS) == 7);
    CHECK(sql_count(db, Q_COUNTS_ZONES_OFF) == 0);
    /* counting every contact again (as the migration does) gives the
     * very rows that were kept as they changed */
    struct sr_err err = { 0 };
    REQUIRE(sql_run(db, Q_KEEP) == SR_OK);
    CHECK(contact_count_rebuild(db, &err) == SR_OK);
    CHECK(sql_count(db, Q_COUNTS) == sql_count(db, Q_KEPT));
    CHECK(sql_count(db, Q_KEPT_LOST) == 0);
    CHECK(compare_all(db) == 0);
    int n_live = 0, n_deleted = 0;
    for (size_t i = 0; i < n_rows; i++) {
        n_live += rows[i].is_live;
        n_deleted += !rows[i].is_live;
    }
    /* the random walk did each kind of write */
    CHECK(n_live > 300 && n_deleted > 30);
    printf("test_report_counts: %zu contacts written, %d deleted, %d reports "
           "compared\n",
           n_rows, n_deleted, n_reports);
}

/*
 * Where test_upgrade() makes its workspace: a new SQLite file in a
 * directory of its own, or, with SIREN_TEST_STORE (fixture.h), a new
 * database of its own on that PostgreSQL server, dropped at exit.
 */
static char up_dir[] = "/tmp/siren-test-counts-XXXXXX";
static char up_pg_name[48];
static char up_target[512];

static void
upgrade_pg_drop(void)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE \"%s\" WITH (FORCE)", up_pg_name);
    pgtest_run(NULL, sql, NULL, 0);
}

static void
upgrade_target(void)
{
    const char *server = pgtest_server();
    if (server == NULL) {
        REQUIRE(mkdtemp(up_dir) != NULL);
        snprintf(up_target, sizeof up_target, "%s/siren.db", up_dir);
        return;
    }
    snprintf(up_pg_name, sizeof up_pg_name, "siren_u%ld_upgrade",
             (long)getpid());
    REQUIRE(pgtest_create(up_pg_name, NULL) == 0);
    atexit(upgrade_pg_drop);
    REQUIRE(pgtest_url(server, up_pg_name, up_target, sizeof up_target));
}

static void
upgrade_target_remove(void)
{
    if (pgtest_server() != NULL) {
        return; /* upgrade_pg_drop() at exit */
    }
    char wal[600];
    unlink(up_target);
    snprintf(wal, sizeof wal, "%s-wal", up_target);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", up_target);
    unlink(wal);
    rmdir(up_dir);
}

/*
 * A workspace made before migration 0016: the same database with
 * contact_count dropped and its schema version set back to 15 (SQLite's
 * user_version, PostgreSQL's siren_schema rows), holding live and
 * deleted contacts and rows written straight into the table. Opened
 * again, the migration of its store fills the counts from those rows.
 */
static void
test_upgrade(const struct vault *v)
{
    upgrade_target();
    struct db *db = NULL;
    struct sr_err err = { 0 };
    REQUIRE(db_open(up_target, DB_CREATE, &db, &err) == SR_OK);
    n_rows = 0;
    make_orgs(db, v);
    for (int k = 0; k < 200; k++) {
        int op = pick(10);
        if (op < 5) {
            add_one(db, v);
        } else if (op < 7) {
            add_batch(db, v);
        } else {
            delete_one(db, v);
        }
    }
    /* written past the module, as an older SIREN never kept counts */
    REQUIRE(sql_run(db, Q_OLD_MOVE) == SR_OK);
    for (size_t i = 0; i < n_rows; i++) {
        struct db_stmt *s = db_stmt(db, &test_sql[Q_RECEIVED_AT]);
        db_bind_text(s, 1, rows[i].code);
        if (db_step(s) == DB_ROW) {
            rows[i].t = db_col_i64(s, 0);
        }
        db_done(s);
    }
    REQUIRE(sql_run(db, Q_OLD_DROP) == SR_OK);
    REQUIRE(sql_run(db, Q_OLD_PHONE) == SR_OK);
    REQUIRE(sql_run(db, Q_OLD_VERSION) == SR_OK);
    db_close(db);
    db = NULL;
    /* this binary refuses the old schema until it is migrated */
    CHECK(db_open(up_target, 0, &db, &err) != SR_OK);
    sr_err_release(&err);
    db = NULL;
    CHECK(db_open(up_target, DB_MIGRATE, &db, &err) == SR_OK);
    REQUIRE(db != NULL);
    CHECK(sql_count(db, Q_VERSION) >= 16);
    CHECK(table_agrees(db));
    CHECK(sql_count(db, Q_COUNTS) > 0);
    CHECK(compare_all(db) == 0);
    /* and the counts go on from there */
    for (int k = 0; k < 40; k++) {
        if (pick(2)) {
            add_one(db, v);
        } else {
            delete_one(db, v);
        }
    }
    CHECK(compare_all(db) == 0);
    db_close(db);
    upgrade_target_remove();
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    test_random_writes(db, v);
    db_close(db);
    test_upgrade(v);
    vault_free(v);
    return TEST_DONE("test_report_counts");
}
