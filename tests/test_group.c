/*
 * test_group.c - group commit (store.h): writes of several threads through
 * one writing connection, committed together, each acknowledged only when
 * its commit has ended.
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

#include "base/store.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"
#include "core/banned.h"

static const char *const test_sql[] = {
    "SELECT count(*) FROM meta WHERE key LIKE 'group.%'",
    "SELECT pg_backend_pid()" DB_PG "SELECT pg_backend_pid()",
    "SELECT key FROM meta WHERE key LIKE 'group.many.%' ORDER BY key",
};
enum { Q_COUNT, Q_PID, Q_KEYS };

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
};

static void *
write_thread(void *p)
{
    struct writer *w = p;
    struct sr_err err = { 0 };
    w->rc = db_begin_write(w->db, &err);
    if (w->rc == SR_OK) {
        w->rc = put(w->db, w->key);
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
    struct writer b = { joined_db(), "group.b", 0, 0, -1, 0 };
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
    struct writer b = { joined_db(), "group.rolled-back", 1, 0, -1, 0 };
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
    struct writer b = { joined_db(), "group.second", 0, 0, -1, 0 };
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
    struct writer b = { joined_db(), "group.doomed-b", 0, 1, -1, 0 };
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
    struct writer c = { a, "group.after", 0, 0, -1, 0 };
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
        struct writer w = { db, key, 0, 0, -1, 0 };
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
    webfix_close(&fx);
    return TEST_DONE("test_group");
}
