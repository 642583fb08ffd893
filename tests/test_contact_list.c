/*
 * test_contact_list.c - the contact list (every filter, keyset paging in
 * scope) and its capped count, the batch create (one transaction, one audit row per contact,
 * import keys skipped the second time, nothing written on a bad item),
 * soft delete, and the time zone arithmetic.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "base/audit.h"
#include "hotline/contact.h"
#include "fixture.h"
#include "harness.h"
#include "base/principal.h"
#include "tally.h"
#include "base/org.h"

#include "core/banned.h"

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
audit_count(struct db *db, const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    struct sr_err err = { 0 };
    int n = 0;
    audit_list(db, &f, count_audit, &n, &err);
    return n;
}

/*
 * The test's reads. The contact table's indexes come from SQLite's schema
 * table or PostgreSQL's pg_indexes (name and definition). A count through
 * the phone index alone and one through the table alone: SQLite says so
 * with INDEXED BY and NOT INDEXED; on PostgreSQL the plan is steered by
 * the transaction's settings (Q_BY_INDEX, Q_BY_TABLE; nothing to set on
 * SQLite) and Q_PLAN shows the index the count reads.
 */
enum test_stmt {
    Q_INDEXES,
    Q_CONTACTS,
    Q_AUDIT_ROWS,
    Q_MAX_CONTACT,
    Q_IMPORTED,
    Q_BY_INDEX,
    Q_PHONES_INDEXED,
    Q_PLAN,
    Q_BY_TABLE,
    Q_PHONES_NOT_INDEXED,
    Q_LAST_HAS_PHONE,
    Q__COUNT
};
static const char *const test_sql[Q__COUNT] = {
    [Q_INDEXES] =
        "SELECT name || ':' || coalesce(sql, '') || ';'"
        "  FROM sqlite_schema"
        " WHERE type = 'index' AND tbl_name = 'contact'"
        " ORDER BY name" DB_PG "SELECT indexname || ':' || indexdef || ';'"
        "  FROM pg_catalog.pg_indexes"
        " WHERE schemaname = current_schema()"
        "   AND tablename = 'contact'"
        " ORDER BY indexname",
    [Q_CONTACTS] = "SELECT count(*) FROM contact",
    [Q_AUDIT_ROWS] = "SELECT count(*) FROM audit",
    [Q_MAX_CONTACT] = "SELECT max(id) FROM contact",
    [Q_IMPORTED] = "SELECT count(*) FROM contact"
                   " WHERE import_audit_id = (SELECT max(id) FROM audit)",
    [Q_BY_INDEX] = "SELECT 0" DB_PG
                   "SELECT length(set_config('enable_seqscan', 'off', true))",
    [Q_PHONES_INDEXED] = "SELECT count(*) FROM contact INDEXED BY contact_phone"
                         " WHERE caller_phone_idx IS NOT NULL" DB_PG
                         "SELECT count(*) FROM contact"
                         " WHERE caller_phone_idx IS NOT NULL",
    [Q_PLAN] = "EXPLAIN QUERY PLAN"
               " SELECT count(*) FROM contact INDEXED BY contact_phone"
               " WHERE caller_phone_idx IS NOT NULL" DB_PG
               "EXPLAIN SELECT count(*) FROM contact"
               " WHERE caller_phone_idx IS NOT NULL",
    [Q_BY_TABLE] =
        "SELECT 0" DB_PG
        "SELECT length(set_config('enable_indexscan', 'off', true)"
        "           || set_config('enable_indexonlyscan', 'off', true)"
        "           || set_config('enable_bitmapscan', 'off', true))",
    [Q_PHONES_NOT_INDEXED] = "SELECT count(*) FROM contact NOT INDEXED"
                             " WHERE caller_phone_idx IS NOT NULL" DB_PG
                             "SELECT count(*) FROM contact"
                             " WHERE caller_phone_idx IS NOT NULL",
    [Q_LAST_HAS_PHONE] = "SELECT count(*) FROM contact NOT INDEXED"
                         " WHERE id = (SELECT max(id) FROM contact)"
                         "   AND caller_phone_idx IS NOT NULL" DB_PG
                         "SELECT count(*) FROM contact"
                         " WHERE id = (SELECT max(id) FROM contact)"
                         "   AND caller_phone_idx IS NOT NULL",
};

/* One text of the contact table's index names and definitions, sorted. */
static void
index_schema(struct db *db, struct sr_buf *out)
{
    sr_buf_reset(out);
    struct db_stmt *s = db_stmt(db, &test_sql[Q_INDEXES]);
    while (db_step(s) == DB_ROW) {
        sr_buf_adds(out, db_col_text(s, 0));
    }
    db_done(s);
}

/* The single number a query reads, or -1. */
static int64_t
count_rows(struct db *db, enum test_stmt q)
{
    struct db_stmt *s = db_stmt(db, &test_sql[q]);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

/* Whether the plan of Q_PHONES_INDEXED reads the index contact_phone:
 * a line of Q_PLAN (its last column) names it. Inside the transaction
 * Q_BY_INDEX steered. */
static int
plan_reads_phone_index(struct db *db)
{
    int is_named = 0;
    struct db_stmt *s = db_stmt(db, &test_sql[Q_PLAN]);
    while (db_step(s) == DB_ROW) {
        const char *line = db_col_text(s, db_col_count(s) - 1);
        is_named |= strstr(line, "contact_phone") != NULL;
    }
    db_done(s);
    return is_named;
}

/*
 * The bulk load: rolled back, it leaves rows, audit and indexes as they
 * were; committed over two batches, it stores the new rows (ids and audit
 * rows going on across batches), skips known import keys, and puts every
 * index back as it was. keys[0..2] are already stored.
 */
struct import_row_seen {
    int n;
    char detail[200];
};

/* Count the contact.import rows listed; keep the last one's detail. */
static int
see_import_row(const struct audit_row *r, void *ctx)
{
    struct import_row_seen *s = ctx;
    if (strcmp(r->action, "contact.import") == 0) {
        s->n++;
        snprintf(s->detail, sizeof s->detail, "%s", r->detail);
    }
    return 0;
}

static void
test_bulk(struct db *db, const struct vault *v, const struct principal *op,
          const struct contact_input *in, unsigned char keys[3][32],
          const char *k3_code)
{
    struct sr_err err = { 0 };
    struct sr_buf before, after;
    sr_buf_init(&before, 0);
    sr_buf_init(&after, 0);
    index_schema(db, &before);
    CHECK(strstr(before.data, "contact_phone:CREATE INDEX") != NULL);
    int64_t n0 = count_rows(db, Q_CONTACTS);
    int64_t a0 = count_rows(db, Q_AUDIT_ROWS);
    CHECK(n0 > 0 && a0 > 0);
    int64_t max0 = count_rows(db, Q_MAX_CONTACT);
    CHECK(contact_count_hint(db, &max0, &err) == SR_OK);
    CHECK(max0 == count_rows(db, Q_MAX_CONTACT));

    unsigned char nk[4][32];
    memset(nk, 0, sizeof nk);
    for (int i = 0; i < 4; i++) {
        nk[i][0] = (unsigned char)(10 + i);
    }
    struct contact_bulk b;
    size_t n_created = 0;
    struct contact_batch_item one[2] = {
        { .in = &in[3], .import_key = nk[0] },
        { .in = &in[4], .import_key = nk[1] },
    };
    CHECK(contact_bulk_begin(db, &b, &err) == SR_OK);
    CHECK(contact_bulk_add(&b, v, op, one, 2, &n_created, &err) == SR_OK);
    CHECK(n_created == 2);
    /* inside the transaction the indexes are set aside on SQLite; on
     * PostgreSQL db_indexes_set_aside() leaves them where they are */
    index_schema(db, &after);
    if (db_is_postgresql(db)) {
        CHECK_STR(after.data, before.data);
    } else {
        CHECK(strstr(after.data, "contact_phone") == NULL);
    }
    contact_bulk_abort(&b);
    index_schema(db, &after);
    CHECK_STR(after.data, before.data);
    CHECK(count_rows(db, Q_CONTACTS) == n0);
    CHECK(count_rows(db, Q_AUDIT_ROWS) == a0);

    /* a bad item rolls the whole load back */
    struct contact_input bad = in[5];
    bad.channel = "pigeon";
    struct contact_batch_item wrong[1] = { { .in = &bad } };
    CHECK(contact_bulk_begin(db, &b, &err) == SR_OK);
    CHECK(contact_bulk_add(&b, v, op, one, 2, &n_created, &err) == SR_OK);
    CHECK(contact_bulk_add(&b, v, op, wrong, 1, &n_created, &err) == SR_EINVAL);
    CHECK(!b.is_open);
    contact_bulk_abort(&b); /* closed: nothing to do */
    index_schema(db, &after);
    CHECK_STR(after.data, before.data);
    CHECK(count_rows(db, Q_CONTACTS) == n0);

    /* committed: batch 1 = two new rows and one known key, batch 2 = two
     * new rows and one row whose key batch 1 stored */
    struct contact_batch_item first[3] = {
        { .in = &in[3], .import_key = nk[0] },
        { .in = &in[0], .import_key = keys[0] },
        { .in = &in[4], .import_key = nk[1] },
    };
    struct contact_batch_item second[3] = {
        { .in = &in[5], .import_key = nk[2] },
        { .in = &in[6], .import_key = nk[0] },
        { .in = &in[10], .import_key = nk[3] },
    };
    size_t c1 = 0, c2 = 0;
    CHECK(contact_bulk_begin(db, &b, &err) == SR_OK);
    CHECK(contact_bulk_add(&b, v, op, first, 3, &c1, &err) == SR_OK);
    CHECK(contact_bulk_add(&b, v, op, second, 3, &c2, &err) == SR_OK);
    CHECK(contact_bulk_commit(&b, v, op, "ab12", &err) == SR_OK);
    CHECK(c1 == 2 && c2 == 2);
    CHECK(first[1].is_dup && second[1].is_dup && first[1].id == 0);
    /* ids go on from the largest in time order (received_at = base + i/2
     * hours): batch 1 is in[0] (known: max0+1 unused), in[3], in[4];
     * batch 2 is in[5], in[6] (known: max0+5 unused), in[10] */
    CHECK(first[0].id == max0 + 2 && first[2].id == max0 + 3);
    CHECK(second[0].id == max0 + 4 && second[2].id == max0 + 6);
    index_schema(db, &after);
    CHECK_STR(after.data, before.data);
    CHECK(count_rows(db, Q_CONTACTS) == n0 + 4);
    /* one contact.import row for the four, named by each of them */
    CHECK(count_rows(db, Q_AUDIT_ROWS) == a0 + 1);
    CHECK(count_rows(db, Q_IMPORTED) == 4);
    struct audit_filter af = { 0 };
    struct import_row_seen seen = { 0 };
    af.record_code = second[2].code;
    CHECK(audit_list(db, &af, see_import_row, &seen, &err) == SR_OK);
    CHECK(seen.n == 1);
    char want[200];
    snprintf(want, sizeof want,
             "rows=4 first=%s first_id=%lld last=%s last_id=%lld file=ab12",
             first[0].code, (long long)(max0 + 2), second[2].code,
             (long long)(max0 + 6));
    CHECK_STR(seen.detail, want);
    af.record_type = "org";
    seen.n = 0;
    CHECK(audit_list(db, &af, see_import_row, &seen, &err) == SR_OK);
    CHECK(seen.n == 0);
    /* a contact of the batched path still has only its own rows */
    af.record_type = NULL;
    af.record_code = k3_code;
    seen.n = 0;
    CHECK(audit_list(db, &af, see_import_row, &seen, &err) == SR_OK);
    CHECK(seen.n == 0);
    /* the rebuilt indexes hold the new rows: the phone index finds in[10]'s
     * phone (every 10th input has one) and the integrity check agrees */
    CHECK(db_begin_read(db, &err) == SR_OK);
    CHECK(count_rows(db, Q_BY_INDEX) >= 0);
    CHECK(plan_reads_phone_index(db));
    int64_t n_by_index = count_rows(db, Q_PHONES_INDEXED);
    CHECK(db_commit(db, &err) == SR_OK);
    CHECK(db_begin_read(db, &err) == SR_OK);
    CHECK(count_rows(db, Q_BY_TABLE) >= 0);
    CHECK(n_by_index == count_rows(db, Q_PHONES_NOT_INDEXED));
    CHECK(count_rows(db, Q_LAST_HAS_PHONE) == 1);
    CHECK(db_commit(db, &err) == SR_OK);
    CHECK(db_integrity_check(db, &err) == SR_OK);
    int64_t bad_id = -1;
    CHECK(audit_verify(db, v, &bad_id, NULL, &err) == SR_OK);
    sr_buf_release(&before);
    sr_buf_release(&after);
    sr_err_release(&err);
}

struct seen {
    int n;
    int64_t last_at, last_id;
    int is_ordered;
    int64_t ids[400];
};

static int
collect(const struct contact_row *r, void *ctx)
{
    struct seen *s = ctx;
    if (s->n > 0 && (r->received_at > s->last_at ||
                     (r->received_at == s->last_at && r->id >= s->last_id))) {
        s->is_ordered = 0;
    }
    s->last_at = r->received_at;
    s->last_id = r->id;
    if (s->n < 400) {
        s->ids[s->n] = r->id;
    }
    s->n++;
    return 0;
}

/* Number of rows f gives when paged through 7 at a time; checks order and
 * that no row comes twice. */
static int
count_paged(struct db *db, const struct principal *who, struct contact_filter f,
            int *is_ok)
{
    struct seen s;
    memset(&s, 0, sizeof s);
    s.is_ordered = 1;
    struct contact_cursor next;
    struct sr_err err = { 0 };
    f.limit = 7;
    for (int pages = 0; pages < 100; pages++) {
        if (contact_list(db, who, &f, collect, &s, &next, &err) != SR_OK) {
            *is_ok = 0;
            return -1;
        }
        if (!next.has_more) {
            break;
        }
        f.before_at = next.at;
        f.before_id = next.id;
    }
    for (int i = 0; i < s.n && i < 400; i++) {
        for (int j = i + 1; j < s.n && j < 400; j++) {
            if (s.ids[i] == s.ids[j]) {
                *is_ok = 0;
            }
        }
    }
    if (!s.is_ordered) {
        *is_ok = 0;
    }
    return s.n;
}

/* contact_list_count() of f for who under cap, or -1 when it fails. */
static int64_t
count_of(struct db *db, const struct principal *who,
         const struct contact_filter *f, int64_t cap)
{
    struct sr_err err = { 0 };
    int64_t n = -1;
    if (contact_list_count(db, who, f, cap, &n, &err) != SR_OK) {
        n = -1;
    }
    sr_err_release(&err);
    return n;
}

static const char *const channels[] = { "phone", "line", "sms" };
static const char *const categories[] = { "labour_rights", "trafficking",
                                          "documents" };
static const char *const provinces[] = { "TH-90", "TH-11", "TH-74", "" };

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org_code[32], org2_code[32];
    int64_t org_id, org2;
    CHECK(org_add(db, v, 0, "Hotline", "hotline", "TH", org_code, &org_id,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "Other", "ngo", "TH", org2_code, &org2, &err) ==
          SR_OK);
    struct principal op = { .user_id = 0,
                            .org_id = org_id,
                            .role = ROLE_HOTLINE };
    struct principal other = { .user_id = 0,
                               .org_id = org2,
                               .role = ROLE_HOTLINE };
    struct principal analyst = { .user_id = 0,
                                 .org_id = org_id,
                                 .role = ROLE_ANALYST };
    struct principal cli_all = principal_local();

    /* 120 contacts in one batch: item i has channel i%3, category i%3
     * (offset by i/3 so they are not aligned), province i%4, danger every
     * 5th, issue bit (i%12), received one hour apart with ties every 10 */
    enum { N = 120 };
    struct contact_input in[N];
    struct contact_batch_item items[N];
    memset(in, 0, sizeof in);
    memset(items, 0, sizeof items);
    int64_t base = 1767225600; /* 2026-01-01T00:00Z */
    for (int i = 0; i < N; i++) {
        in[i].received_at = base + (i / 2) * 3600; /* pairs share a time */
        in[i].channel = channels[i % 3];
        in[i].language = "my";
        in[i].caller_type = "self";
        in[i].category = categories[(i + i / 3) % 3];
        in[i].problem_province = provinces[i % 4];
        in[i].is_danger = i % 5 == 0;
        in[i].issues = 1u << (i % 12);
        in[i].n_affected = 1;
        in[i].caller_phone = i % 10 == 0 ? "+66 81 000 0001" : NULL;
        items[i].in = &in[i];
    }
    size_t n_created = 0;
    CHECK(contact_create_batch(db, v, &op, items, N, &n_created, &err) ==
          SR_OK);
    CHECK(n_created == N);
    CHECK(audit_count(db, "contact.create") == N);
    CHECK(items[0].id > 0 && strncmp(items[0].code, "C-", 2) == 0);
    CHECK(items[N - 1].id == items[0].id + N - 1);

    /* every row once, newest first, across pages of 7 */
    struct contact_filter f;
    memset(&f, 0, sizeof f);
    int is_ok = 1;
    CHECK(count_paged(db, &op, f, &is_ok) == N);
    CHECK(is_ok);
    /* each filter, counted by hand from the pattern above */
    int want_cat = 0, want_prov = 0, want_danger = 0, want_ch = 0;
    int want_combo = 0, want_range = 0, want_issue = 0;
    for (int i = 0; i < N; i++) {
        int is_traff = (i + i / 3) % 3 == 1;
        want_cat += is_traff;
        want_prov += i % 4 == 0;
        want_danger += i % 5 == 0;
        want_ch += i % 3 == 1;
        want_combo += is_traff && i % 4 == 0 && i % 5 == 0;
        want_range += in[i].received_at >= base + 10 * 3600 &&
                      in[i].received_at <= base + 20 * 3600;
        want_issue += i % 12 == 4;
    }
    f.category = "trafficking";
    is_ok = 1;
    CHECK(count_paged(db, &op, f, &is_ok) == want_cat && is_ok);
    memset(&f, 0, sizeof f);
    f.province = "TH-90";
    CHECK(count_paged(db, &op, f, &is_ok) == want_prov && is_ok);
    memset(&f, 0, sizeof f);
    f.danger = 1;
    CHECK(count_paged(db, &op, f, &is_ok) == want_danger && is_ok);
    f.danger = 2;
    CHECK(count_paged(db, &op, f, &is_ok) == N - want_danger && is_ok);
    memset(&f, 0, sizeof f);
    f.channel = "line";
    CHECK(count_paged(db, &op, f, &is_ok) == want_ch && is_ok);
    memset(&f, 0, sizeof f);
    f.category = "trafficking";
    f.province = "TH-90";
    f.danger = 1;
    CHECK(count_paged(db, &op, f, &is_ok) == want_combo && is_ok);
    memset(&f, 0, sizeof f);
    f.from = base + 10 * 3600;
    f.to = base + 20 * 3600;
    CHECK(count_paged(db, &op, f, &is_ok) == want_range && is_ok);
    CHECK(want_range == 22); /* hours 10..20 inclusive, two rows each */
    memset(&f, 0, sizeof f);
    f.issues = 1u << 4;
    CHECK(count_paged(db, &op, f, &is_ok) == want_issue && is_ok);
    CHECK(want_issue == 10);
    memset(&f, 0, sizeof f);
    f.language = "km";
    CHECK(count_paged(db, &op, f, &is_ok) == 0 && is_ok);
    f.language = NULL;
    f.operator_id = 99;
    CHECK(count_paged(db, &op, f, &is_ok) == 0 && is_ok);

    /* scope: another organisation sees none; the command line all */
    memset(&f, 0, sizeof f);
    CHECK(count_paged(db, &other, f, &is_ok) == 0 && is_ok);
    CHECK(count_paged(db, &cli_all, f, &is_ok) == N && is_ok);
    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK(contact_list(db, &analyst, &f, collect, &s, NULL, &err) == SR_EPERM);

    /* the count of every page, through each of the list's statements
     * (one organisation or all; no leading filter, category, province,
     * danger), the same numbers counted by hand; the cursor and limit do
     * not narrow it, the cap stops it at cap + 1 */
    memset(&f, 0, sizeof f);
    CHECK(count_of(db, &op, &f, 1000) == N);
    CHECK(count_of(db, &cli_all, &f, 1000) == N);
    CHECK(count_of(db, &other, &f, 1000) == 0);
    f.before_at = base + 10 * 3600;
    f.before_id = items[20].id;
    f.limit = 3;
    CHECK(count_of(db, &op, &f, 1000) == N);
    memset(&f, 0, sizeof f);
    CHECK(count_of(db, &op, &f, 50) == 51);
    CHECK(count_of(db, &op, &f, N) == N);
    CHECK(count_of(db, &op, &f, N - 1) == N);
    f.category = "trafficking";
    CHECK(count_of(db, &op, &f, 1000) == want_cat);
    CHECK(count_of(db, &cli_all, &f, 1000) == want_cat);
    CHECK(count_of(db, &other, &f, 1000) == 0);
    memset(&f, 0, sizeof f);
    f.province = "TH-90";
    CHECK(count_of(db, &op, &f, 1000) == want_prov);
    CHECK(count_of(db, &cli_all, &f, 1000) == want_prov);
    memset(&f, 0, sizeof f);
    f.danger = 1;
    CHECK(count_of(db, &op, &f, 1000) == want_danger);
    f.category = "trafficking";
    f.province = "TH-90";
    CHECK(count_of(db, &op, &f, 1000) == want_combo);
    memset(&f, 0, sizeof f);
    f.from = base + 10 * 3600;
    f.to = base + 20 * 3600;
    CHECK(count_of(db, &op, &f, 1000) == 22);
    memset(&f, 0, sizeof f);
    f.issues = 1u << 4;
    CHECK(count_of(db, &op, &f, 1000) == 10);
    int64_t n_count = -1;
    memset(&f, 0, sizeof f);
    CHECK(contact_list_count(db, &analyst, &f, 1000, &n_count, &err) ==
              SR_EPERM &&
          n_count == -1);
    sr_err_release(&err);
    f.channel = "pigeon";
    CHECK(contact_list_count(db, &op, &f, 1000, &n_count, &err) == SR_EINVAL &&
          strstr(sr_err_msg(&err), "channel") != NULL);
    sr_err_release(&err);

    /* bad filters name the field */
    const char *bad_fields[] = { "category", "sector", "language", "channel",
                                 "province", "danger", "from" };
    int loop_bad1 = 0;
    for (int k = 0; k < 7; k++) {
        memset(&f, 0, sizeof f);
        switch (k) {
        case 0:
            f.category = "gossip";
            break;
        case 1:
            f.sector = "mars";
            break;
        case 2:
            f.language = "xx";
            break;
        case 3:
            f.channel = "pigeon";
            break;
        case 4:
            f.province = "TH-99";
            break;
        case 5:
            f.danger = 7;
            break;
        default:
            f.from = 10;
            f.to = 5;
            break;
        }
        TALLY(loop_bad1,
              contact_list(db, &op, &f, collect, &s, NULL, &err) == SR_EINVAL);
        TALLY(loop_bad1, strstr(sr_err_msg(&err), bad_fields[k]) != NULL);
    }
    CHECK(loop_bad1 == 0);

    /* a bad item anywhere: nothing written, the item named */
    struct contact_input bad = in[0];
    bad.category = "gossip";
    struct contact_batch_item two[2] = { { .in = &in[1] }, { .in = &bad } };
    CHECK(contact_create_batch(db, v, &op, two, 2, &n_created, &err) ==
          SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "item 2") != NULL);
    CHECK(strstr(sr_err_msg(&err), "category") != NULL);
    CHECK(audit_count(db, "contact.create") == N);

    /* import keys: the second batch with the same keys adds nothing */
    unsigned char keys[3][32];
    memset(keys, 0, sizeof keys);
    keys[0][0] = 1, keys[1][0] = 2, keys[2][0] = 3;
    struct contact_batch_item k3[3] = { { .in = &in[0], .import_key = keys[0] },
                                        { .in = &in[1], .import_key = keys[1] },
                                        { .in = &in[2],
                                          .import_key = keys[2] } };
    CHECK(contact_create_batch(db, v, &op, k3, 3, &n_created, &err) == SR_OK);
    CHECK(n_created == 3);
    char k3_code[32];
    memcpy(k3_code, k3[0].code, sizeof k3_code);
    CHECK(contact_create_batch(db, v, &op, k3, 3, &n_created, &err) == SR_OK);
    CHECK(n_created == 0 && k3[0].is_dup && k3[2].is_dup);
    CHECK(k3[1].code[0] == '\0');
    char code[32];
    CHECK(contact_create(db, v, &op, &in[0], keys[0], code, NULL, &err) ==
          SR_ECONFLICT);
    CHECK(audit_count(db, "contact.create") == N + 3);

    /* soft delete: coordinator of the organisation, with a reason */
    struct principal coord = { .user_id = 0,
                               .org_id = org_id,
                               .role = ROLE_COORDINATOR };
    struct principal coord2 = { .user_id = 5,
                                .org_id = org2,
                                .role = ROLE_COORDINATOR };
    struct principal hot = { .user_id = 5,
                             .org_id = org_id,
                             .role = ROLE_HOTLINE };
    CHECK(contact_delete(db, v, &coord, items[0].code, "", &err) == SR_EINVAL);
    CHECK(contact_delete(db, v, &hot, items[0].code, "duplicate", &err) ==
          SR_EPERM);
    CHECK(contact_delete(db, v, &coord2, items[0].code, "duplicate", &err) ==
          SR_ENOTFOUND);
    CHECK(contact_delete(db, v, &coord, items[0].code, "duplicate", &err) ==
          SR_OK);
    CHECK(contact_delete(db, v, &coord, items[0].code, "duplicate", &err) ==
          SR_ENOTFOUND);
    CHECK(audit_count(db, "contact.delete") == 1);
    memset(&f, 0, sizeof f);
    CHECK(count_paged(db, &op, f, &is_ok) == N + 2 && is_ok);
    test_bulk(db, v, &op, in, keys, k3_code);
    CHECK(audit_count(db, "contact.create") == N + 3);
    CHECK(audit_count(db, "contact.import") == 1);
    CHECK(count_paged(db, &op, f, &is_ok) == N + 2 + 4 && is_ok);

    /* time zones: Bangkok is UTC+7, Yangon UTC+6:30 */
    int off = -1;
    int64_t t = 0;
    CHECK(contact_tz_offset("Asia/Bangkok", &off) == SR_OK && off == 25200);
    CHECK(contact_tz_offset("Asia/Yangon", &off) == SR_OK && off == 23400);
    CHECK(contact_tz_offset("Mars/Olympus", &off) == SR_ENOTFOUND && off == 0);
    /* the same table of zones as the reports' (Tokyo is UTC+9) */
    CHECK(contact_tz_offset("Asia/Tokyo", &off) == SR_OK && off == 32400);
    /* 2026-01-01 07:00 in Bangkok is 2026-01-01T00:00Z = 1767225600 */
    CHECK(contact_parse_time("2026-01-01T07:00", 25200, &t) == SR_OK);
    CHECK(t == 1767225600);
    CHECK(contact_parse_time("2026-01-01 00:00Z", 25200, &t) == SR_OK);
    CHECK(t == 1767225600);
    CHECK(contact_parse_time("2026-01-01T06:30:00+06:30", 0, &t) == SR_OK);
    CHECK(t == 1767225600);
    CHECK(contact_parse_time("2024-02-29", 0, &t) == SR_OK);
    CHECK(t == 1709164800); /* 2024-02-29T00:00Z */
    CHECK(contact_parse_time("2026-02-29", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-13-01", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-01-01T25:00", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("yesterday", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-01-01x", 0, &t) == SR_EINVAL);
    /* digits the fast path does not take still go through sscanf's rules:
     * a one-digit month is not a date; 2026-01-01T07:00:30+07:00 is
     * 1767225630 (30 s after midnight UTC) */
    CHECK(contact_parse_time("2026-1-01", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-01-01T7:00", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-01-01T07:00:30+07:00", 0, &t) == SR_OK);
    CHECK(t == 1767225630);
    CHECK(contact_parse_time("2026-01-01T07:00+7:00", 0, &t) == SR_EINVAL);
    CHECK(contact_parse_time("2026-01-01T07:00:3", 0, &t) == SR_EINVAL);
    char when[32];
    contact_format_time(1767225600, 23400, when, sizeof when);
    CHECK_STR(when, "2026-01-01 06:30");

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_contact_list");
}
