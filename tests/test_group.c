/*
 * test_group.c - group commit (store.h): writes of several threads through
 * one writing connection, committed together, each acknowledged only when
 * its commit has ended; what a write transaction keeps for its end (the
 * audit chain's end in db_memo_put(), its seal in db_before_commit()); and
 * db_last_id() after an INSERT (on PostgreSQL, returned by the INSERT).
 *
 * On SQLite (a workspace file) or, with SIREN_TEST_STORE, on PostgreSQL
 * (webfix.h). The order of sections is forced with the group's own count
 * of waiting threads, so what shares a commit is known, not hoped for.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/store.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"
#include "core/banned.h"

static const char *const test_sql[] = {
    "SELECT count(*) FROM meta WHERE key LIKE 'group.%'",
    "SELECT pg_backend_pid()" DB_PG "SELECT pg_backend_pid()",
    "SELECT key FROM meta WHERE key LIKE 'group.many.%' ORDER BY key",
    "INSERT INTO org(code, name, created_at) VALUES (?1, 'Group test', 0)",
    "INSERT INTO org(code, name, created_at) VALUES (?1, 'Group test', 0)"
    " ON CONFLICT(code) DO NOTHING",
    "SELECT id FROM org WHERE code = ?1",
    "SELECT count(*), coalesce(max(id), 0) FROM audit",
    "SELECT ''" DB_PG "SELECT current_setting('plan_cache_mode') || ','"
    "       || current_setting('jit')",
};
enum {
    Q_COUNT,
    Q_PID,
    Q_KEYS,
    Q_ORG_ADD,
    Q_ORG_ADD_NEW,
    Q_ORG_ID,
    Q_AUDIT,
    Q_PLAN_MODE
};

static struct webfix fx;

/* Rows the test wrote, counted on the workspace's own connection (not in
 * the group): what is durable. */
static int64_t
count_rows(void)
{
    struct db_stmt *s = db_stmt(fx.ws->db, &test_sql[Q_COUNT]);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

static int
put(struct db *db, const char *key)
{
    struct sr_err err = { 0 };
    int rc = db_meta_put(db, key, "1", 1, &err);
    sr_err_release(&err);
    return rc;
}

static struct db_group_figures
figures(void)
{
    struct db_group_figures f;
    db_group_figures(fx.ws->group, &f);
    return f;
}

/* Wait (up to 10 s) until n threads wait for the group's turn. */
static int
wait_queued(int n)
{
    for (int i = 0; i < 10000; i++) {
        if (figures().n_queued >= n) {
            return 1;
        }
        usleep(1000);
    }
    return 0;
}

/* A second thread's write: begin, put key, then commit or roll back. */
static void doom_commit(struct db *in_write);

struct writer {
    struct db *db;
    const char *key;
    int is_rollback;
    int is_doomed; /* make the transaction's commit fail (doom_commit) */
    int rc;
    atomic_int is_returned; /* its db_commit() has returned */
    int is_audit;           /* append an audit row instead of key */
};

/* Append a row to the audit chain in db's open write. */
static int
append_row(struct db *db)
{
    struct sr_err err = { 0 };
    struct audit_entry e = { 0, "test.group", "org", "", "" };
    int rc = audit_append(db, fx.ws->vault, &e, &err);
    sr_err_release(&err);
    return rc;
}

static void *
write_thread(void *p)
{
    struct writer *w = p;
    struct sr_err err = { 0 };
    w->rc = db_begin_write(w->db, &err);
    if (w->rc == SR_OK) {
        w->rc = w->is_audit ? append_row(w->db) : put(w->db, w->key);
        if (w->is_doomed) {
            doom_commit(w->db);
        }
        if (w->is_rollback) {
            db_rollback(w->db);
        } else {
            w->rc = db_finish(w->db, w->rc, &err);
        }
    }
    sr_err_release(&err);
    atomic_store(&w->is_returned, 1);
    return NULL;
}

static struct db *
joined_db(void)
{
    struct db *db = NULL;
    struct sr_err err = { 0 };
    REQUIRE(ws_connect(fx.ws, &db, &err) == SR_OK);
    return db;
}

/* a's write is open: start b's on its own thread and wait until it waits
 * for its turn, so that a's commit leaves the transaction open for it. */
static pthread_t
start_second(struct db *a, const char *a_key, struct writer *b)
{
    struct sr_err err = { 0 };
    REQUIRE(db_begin_write(a, &err) == SR_OK);
    CHECK(put(a, a_key) == SR_OK);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, write_thread, b) == 0);
    CHECK(wait_queued(1));
    return t;
}

/* Two writes that overlap share one commit, and the first is answered
 * only after the second has ended. */
static void
test_two_share_a_commit(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), "group.b", 0, 0, -1, 0, 0 };
    struct sr_err err = { 0 };
    struct db_group_figures before = figures();
    int64_t rows = count_rows();
    pthread_t t = start_second(a, "group.a", &b);
    /* b waits for its turn: a's commit must leave the batch open for it */
    CHECK(db_commit(a, &err) == SR_OK);
    /* a is answered only after b's end, which committed both */
    CHECK(count_rows() == rows + 2);
    pthread_join(t, NULL);
    CHECK(b.rc == SR_OK && atomic_load(&b.is_returned));
    struct db_group_figures after = figures();
    CHECK(after.n_writes - before.n_writes == 2);
    CHECK(after.n_commits - before.n_commits == 1);
    db_close(a);
    db_close(b.db);
}

/* A write that rolls back takes back its own rows, not its batch's. */
static void
test_rollback_alone(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), "group.rolled-back", 1, 0, -1, 0, 0 };
    struct sr_err err = { 0 };
    int64_t rows = count_rows();
    pthread_t t = start_second(a, "group.kept", &b);
    CHECK(db_commit(a, &err) == SR_OK);
    pthread_join(t, NULL);
    CHECK(count_rows() == rows + 1);
    struct sr_buf v;
    sr_buf_init(&v, 16);
    CHECK(db_meta_get(fx.ws->db, "group.kept", &v, &err) == SR_OK);
    CHECK(db_meta_get(fx.ws->db, "group.rolled-back", &v, &err) ==
          SR_ENOTFOUND);
    sr_err_release(&err);
    sr_buf_release(&v);
    db_close(a);
    db_close(b.db);
}

/* The write that began the transaction rolls back while another waits:
 * its rows go (with the transaction), the other's are committed. */
static void
test_first_rolls_back(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), "group.second", 0, 0, -1, 0, 0 };
    struct sr_err err = { 0 };
    int64_t rows = count_rows();
    pthread_t t = start_second(a, "group.first-gone", &b);
    db_rollback(a);
    pthread_join(t, NULL);
    CHECK(b.rc == SR_OK);
    CHECK(count_rows() == rows + 1);
    struct sr_buf v;
    sr_buf_init(&v, 16);
    CHECK(db_meta_get(fx.ws->db, "group.second", &v, &err) == SR_OK);
    CHECK(db_meta_get(fx.ws->db, "group.first-gone", &v, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
    sr_buf_release(&v);
    db_close(a);
    db_close(b.db);
}

/* Make the open transaction fail at its commit: on SQLite a foreign key
 * broken under defer_foreign_keys (checked only at COMMIT); on
 * PostgreSQL the writer's server process ended. */
static void
doom_commit(struct db *in_write)
{
    if (!db_is_postgresql(in_write)) {
        /* db_handle() inside a write is the writer's */
        sqlite3 *h = db_handle(in_write);
        REQUIRE(sqlite3_exec(h, "PRAGMA defer_foreign_keys=ON", NULL, NULL,
                             NULL) == SQLITE_OK);
        REQUIRE(
            sqlite3_exec(h,
                         "INSERT INTO user_totp(user_id, secret, created_at)"
                         " VALUES (987654, x'00', 0)",
                         NULL, NULL, NULL) == SQLITE_OK);
        return;
    }
    struct db_stmt *s = db_stmt(in_write, &test_sql[Q_PID]);
    REQUIRE(db_step(s) == DB_ROW);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)",
             (long long)db_col_i64(s, 0));
    db_done(s);
    REQUIRE(pgtest_run(fx.pg_db, sql, NULL, 0) == 0);
}

/* A commit that fails fails every write of its batch, and none of their
 * rows is there; the next write goes on. a's write ends well and waits;
 * b's, the last of the batch, dooms the commit. */
static void
test_failed_commit_fails_all(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), "group.doomed-b", 0, 1, -1, 0, 0 };
    struct sr_err err = { 0 };
    int64_t rows = count_rows();
    pthread_t t = start_second(a, "group.doomed-a", &b);
    int rc = db_commit(a, &err);
    pthread_join(t, NULL);
    CHECK(rc == SR_EDB);
    CHECK(b.rc == SR_EDB);
    sr_err_release(&err);
    CHECK(count_rows() == rows);
    /* the group writes again afterwards */
    struct writer c = { a, "group.after", 0, 0, -1, 0, 0 };
    write_thread(&c);
    CHECK(c.rc == SR_OK);
    CHECK(count_rows() == rows + 1);
    db_close(a);
    db_close(b.db);
}

/* Many threads writing at once: every acknowledged write is there, and
 * they took fewer commits than writes. */
#define N_THREADS 8
#define N_EACH    50

static void *
many_thread(void *p)
{
    int *i = p;
    struct db *db = joined_db();
    int n_ok = 0;
    for (int k = 0; k < N_EACH; k++) {
        char key[64];
        snprintf(key, sizeof key, "group.many.%d.%d", *i, k);
        struct writer w = { db, key, 0, 0, -1, 0, 0 };
        write_thread(&w);
        n_ok += w.rc == SR_OK;
    }
    db_close(db);
    *i = n_ok;
    return NULL;
}

static void
test_many(void)
{
    pthread_t t[N_THREADS];
    int arg[N_THREADS];
    int64_t rows = count_rows();
    struct db_group_figures before = figures();
    for (int i = 0; i < N_THREADS; i++) {
        arg[i] = i;
        REQUIRE(pthread_create(&t[i], NULL, many_thread, &arg[i]) == 0);
    }
    int n_ok = 0;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
        n_ok += arg[i];
    }
    struct db_group_figures after = figures();
    CHECK(n_ok == N_THREADS * N_EACH);
    CHECK(count_rows() == rows + N_THREADS * N_EACH);
    CHECK(after.n_writes - before.n_writes == N_THREADS * N_EACH);
    CHECK(after.n_commits - before.n_commits < N_THREADS * N_EACH);
    fprintf(stderr, "test_group: %d writes in %lld commits\n",
            N_THREADS * N_EACH,
            (long long)(after.n_commits - before.n_commits));
}

/* The audit rows and the largest id, counted with the test's own SQL on
 * the workspace's connection (not in the group): what was committed. */
static void
audit_rows(int64_t *n, int64_t *last)
{
    struct db_stmt *s = db_stmt(fx.ws->db, &test_sql[Q_AUDIT]);
    REQUIRE(db_step(s) == DB_ROW);
    *n = db_col_i64(s, 0);
    *last = db_col_i64(s, 1);
    db_done(s);
}

/* The whole chain and its seals check out (the full walk, the seal in
 * meta and the anchor file), and it has n_rows rows. */
static int
chain_whole(int64_t n_rows)
{
    int64_t bad_id = -1, n = -1;
    struct sr_err err = { 0 };
    int rc = ws_audit_verify(fx.ws, fx.ws->db, &bad_id, &n, &err);
    if (rc != SR_OK) {
        fprintf(stderr, "test_group: audit verify: %s\n", sr_err_msg(&err));
    }
    sr_err_release(&err);
    return rc == SR_OK && bad_id == 0 && n == n_rows;
}

/* One batch: a's write appends a row; b's write (an audit row, kept or
 * rolled back as b says) waits for its turn and joins a's transaction. */
static void
audit_batch(struct db *a, struct writer *b)
{
    struct sr_err err = { 0 };
    REQUIRE(db_begin_write(a, &err) == SR_OK);
    CHECK(append_row(a) == SR_OK);
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, write_thread, b) == 0);
    CHECK(wait_queued(1));
    CHECK(db_commit(a, &err) == SR_OK);
    pthread_join(t, NULL);
    sr_err_release(&err);
}

/*
 * Two writes in one batch append to the audit chain: the second follows
 * the first (its end kept with the transaction, not read again), and the
 * chain and its seal, written once at the commit, check out.
 */
static void
test_audit_two_in_a_batch(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), NULL, 0, 0, -1, 0, 1 };
    int64_t n0, last0, n1, last1;
    audit_rows(&n0, &last0);
    struct db_group_figures before = figures();
    audit_batch(a, &b);
    CHECK(b.rc == SR_OK);
    CHECK(figures().n_commits - before.n_commits == 1);
    audit_rows(&n1, &last1);
    CHECK(n1 == n0 + 2 && last1 == last0 + 2);
    CHECK(chain_whole(n1));
    db_close(a);
    db_close(b.db);
}

/*
 * In one batch a's write appends a row, then b's appends one and rolls
 * back: the row b took back is neither the end the seal names at the
 * commit nor the row the next append follows (the kept end is forgotten
 * at the rollback).
 */
static void
test_audit_rolled_back_end(void)
{
    struct db *a = joined_db();
    struct writer b = { joined_db(), NULL, 1, 0, -1, 0, 1 };
    int64_t n0, last0, n1, last1;
    audit_rows(&n0, &last0);
    audit_batch(a, &b);
    audit_rows(&n1, &last1);
    CHECK(n1 == n0 + 1 && last1 == last0 + 1);
    CHECK(chain_whole(n1));
    /* the next write, in a batch of its own, follows a's row */
    struct writer c = { a, NULL, 0, 0, -1, 0, 1 };
    write_thread(&c);
    CHECK(c.rc == SR_OK);
    audit_rows(&n1, &last1);
    CHECK(n1 == n0 + 2 && last1 == last0 + 2);
    CHECK(chain_whole(n1));
    db_close(a);
    db_close(b.db);
}

/* The id of the org row with code, read back with the test's own SQL. */
static int64_t
org_id(struct db *db, const char *code)
{
    struct db_stmt *s = db_stmt(db, &test_sql[Q_ORG_ID]);
    db_bind_text(s, 1, code);
    int64_t id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return id;
}

static int
test_org_add(struct db *db, int which, const char *code)
{
    struct sr_err err = { 0 };
    struct db_stmt *s = db_stmt(db, &test_sql[which]);
    db_bind_text(s, 1, code);
    int rc = db_exec_stmt(db, s, &err);
    sr_err_release(&err);
    return rc;
}

/*
 * db_last_id() after an INSERT, inside a write and outside: the id the
 * row got. An INSERT that adds nothing (ON CONFLICT DO NOTHING) leaves it
 * as it was, and the INSERT itself still reports done, not a row.
 */
static void
test_last_id(void)
{
    struct db *db = joined_db();
    struct sr_err err = { 0 };
    REQUIRE(db_begin_write(db, &err) == SR_OK);
    CHECK(test_org_add(db, Q_ORG_ADD, "O-LAST-1") == SR_OK);
    int64_t first = db_last_id(db);
    CHECK(first > 0 && first == org_id(db, "O-LAST-1"));
    CHECK(test_org_add(db, Q_ORG_ADD, "O-LAST-2") == SR_OK);
    int64_t second = db_last_id(db);
    CHECK(second > first && second == org_id(db, "O-LAST-2"));
    CHECK(test_org_add(db, Q_ORG_ADD_NEW, "O-LAST-1") == SR_OK);
    CHECK(db_changes(db) == 0 && db_last_id(db) == second);
    CHECK(db_finish(db, SR_OK, &err) == SR_OK);
    /* outside a transaction, on the connection's own */
    CHECK(test_org_add(fx.ws->db, Q_ORG_ADD_NEW, "O-LAST-3") == SR_OK);
    CHECK(db_changes(fx.ws->db) == 1);
    CHECK(db_last_id(fx.ws->db) == org_id(fx.ws->db, "O-LAST-3"));
    sr_err_release(&err);
    db_close(db);
}

/* PRAGMA mmap_size of db, or -1 (SQLite only). */
static int64_t
map_size(struct db *db)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db_handle(db), "PRAGMA mmap_size", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

/* A server's connections go without SQLite's memory map (each commit of
 * another connection would make them drop and remake it); the
 * workspace's own connection, which the command line scans with, keeps
 * it. */
static void
test_server_connections_unmapped(void)
{
    struct db *a = joined_db();
    struct sr_err err = { 0 };
    /* on PostgreSQL the setting is a no-op that must not fail */
    CHECK(db_tune_server(a, &err) == SR_OK);
    if (!db_is_postgresql(a)) {
        CHECK(map_size(a) == 0);
        CHECK(map_size(fx.ws->db) > 0);
    } else {
        /* every connection plans each run with its values and compiles
         * nothing (store_pg.c) */
        struct db *both[2] = { a, fx.ws->db };
        int n_custom = 0;
        for (int i = 0; i < 2; i++) {
            struct db_stmt *s = db_stmt(both[i], &test_sql[Q_PLAN_MODE]);
            n_custom += db_step(s) == DB_ROW &&
                        strcmp(db_col_text(s, 0), "force_custom_plan,off") == 0;
            db_done(s);
        }
        CHECK(n_custom == 2);
    }
    db_close(a);
}

/*
 * A streamed read's rows (db_stream), stepped one by one while other
 * statements run on the same connection between its steps (on
 * PostgreSQL the read streams its rows until another statement needs the
 * connection, then the rest is taken in): every row comes once and in
 * order, and a read stopped early leaves the connection usable.
 */
static void
test_read_between(void)
{
    struct db *db = joined_db();
    struct sr_err err = { 0 };
    struct db_stmt *s = db_stmt(db, &test_sql[Q_KEYS]);
    db_stream(s); /* PostgreSQL: its rows come one by one */
    int n = 0, n_out_of_order = 0;
    char last[64] = "";
    int step;
    while ((step = db_step(s)) == DB_ROW) {
        const char *k = db_col_text(s, 0);
        n_out_of_order += strcmp(k, last) <= 0;
        snprintf(last, sizeof last, "%s", k);
        n++;
        if (n == 10) {
            /* a write and a read of the same connection meanwhile */
            CHECK(put(db, "group.between") == SR_OK);
            CHECK(count_rows() > 0);
            struct db_stmt *c = db_stmt(db, &test_sql[Q_COUNT]);
            CHECK(db_step(c) == DB_ROW && db_col_i64(c, 0) > N_THREADS);
            db_done(c);
        }
    }
    CHECK(step == DB_DONE);
    CHECK(n == N_THREADS * N_EACH);
    CHECK(n_out_of_order == 0);
    db_done(s);
    /* stopped after its first row, then the connection goes on */
    s = db_stmt(db, &test_sql[Q_KEYS]);
    CHECK(db_step(s) == DB_ROW);
    db_done(s);
    struct db_stmt *c = db_stmt(db, &test_sql[Q_COUNT]);
    CHECK(db_step(c) == DB_ROW && db_col_i64(c, 0) == count_rows());
    db_done(c);
    sr_err_release(&err);
    db_close(db);
}

int
main(void)
{
    webfix_open(&fx);
    CHECK(webfix_on_right_store(&fx, 10));
    test_two_share_a_commit();
    test_rollback_alone();
    test_first_rolls_back();
    test_failed_commit_fails_all();
    test_many();
    test_read_between();
    test_server_connections_unmapped();
    test_audit_two_in_a_batch();
    test_audit_rolled_back_end();
    test_last_id();
    webfix_close(&fx);
    return TEST_DONE("test_group");
}
