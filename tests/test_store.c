/*
 * test_store.c - connection settings, migrations and the golden schema,
 * refusal of non-WAL and newer databases, statement cache, transactions,
 * the row loop (db_each, db_end), the one-row read (db_one), db_bind_id,
 * db_begin_after, table meta (db_meta_put, db_meta_get).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "fixture.h"
#include "harness.h"
#include "base/store.h"
#include "core/banned.h"

static const char *const q_master =
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name";
static const char *const q_fk = "PRAGMA foreign_keys";
static const char *const q_secure = "PRAGMA secure_delete";
static const char *const q_trusted = "PRAGMA trusted_schema";
static const char *const q_meta_put =
    "INSERT INTO meta(key, value) VALUES (?1, ?2)";
static const char *const q_meta_count = "SELECT count(*) FROM meta";
static const char *const q_five =
    "WITH RECURSIVE n(x) AS (VALUES (1) UNION ALL"
    " SELECT x + 1 FROM n WHERE x < 5) SELECT x FROM n";
static const char *const q_none = "SELECT x FROM (SELECT 7 AS x) WHERE x = ?1";
static const char *const q_is_null = "SELECT ?1 IS NULL, coalesce(?1, -1)";
/* fails at its first step: the absolute value overflows */
static const char *const q_fails = "SELECT abs(-9223372036854775807 - ?1)";

static int
pragma_int(struct db *db, const char *const *sql)
{
    struct db_stmt *s = db_stmt(db, sql);
    int v = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_done(s);
    return v;
}

static void
test_golden_schema(void)
{
    struct db *db = fixture_db();
    struct sr_buf got, want;
    struct sr_err err = { 0 };
    sr_buf_init(&got, 0);
    struct db_stmt *s = db_stmt(db, &q_master);
    while (db_step(s) == DB_ROW) {
        sr_buf_printf(&got, "%s;\n", db_col_text(s, 0));
    }
    db_done(s);
    FILE *f = fopen("tests/golden/schema.sql", "r");
    CHECK(f != NULL);
    sr_buf_init(&want, 0);
    char chunk[4096];
    size_t n;
    while (f != NULL && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sr_buf_add(&want, chunk, n);
    }
    if (f != NULL) {
        fclose(f);
    }
    CHECK_STR(got.data, want.data);
    if (getenv("SIREN_WRITE_GOLDEN") != NULL) {
        FILE *o = fopen("tests/golden/schema.sql", "w");
        fputs(got.data, o);
        fclose(o);
    }
    CHECK(pragma_int(db, &q_fk) == 1);
    CHECK(pragma_int(db, &q_secure) == 1);
    CHECK(pragma_int(db, &q_trusted) == 0);
    CHECK(db_integrity_check(db, &err) == SR_OK);
    sr_buf_release(&got);
    sr_buf_release(&want);
    db_close(db);
}

/* The permission bits of path+suffix, or -1 when it is missing. */
static int
file_mode(const char *path, const char *suffix)
{
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void
test_files(void)
{
    umask(022);
    char dir[] = "/tmp/siren-store-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    struct db *db = NULL;
    struct sr_err err = { 0 };

    CHECK(db_open(path, 0, &db, &err) == SR_ENOTFOUND);
    sr_err_release(&err);
    CHECK(db_open(path, DB_CREATE, &db, &err) == SR_OK);
    /* transactions: a rolled-back write leaves nothing */
    CHECK(db_begin_write(db, &err) == SR_OK);
    struct db_stmt *s = db_stmt(db, &q_meta_put);
    db_bind_text(s, 1, "k");
    db_bind_blob(s, 2, "v", 1);
    CHECK(db_exec_stmt(db, s, &err) == SR_OK);
    db_rollback(db);
    CHECK(pragma_int(db, &q_meta_count) == 0);
    CHECK(db_begin_write(db, &err) == SR_OK);
    s = db_stmt(db, &q_meta_put);
    db_bind_text(s, 1, "k");
    db_bind_blob(s, 2, "v", 1);
    CHECK(db_exec_stmt(db, s, &err) == SR_OK);
    CHECK(db_commit(db, &err) == SR_OK);
    /* a duplicate key is a conflict, not a crash */
    s = db_stmt(db, &q_meta_put);
    db_bind_text(s, 1, "k");
    db_bind_blob(s, 2, "w", 1);
    CHECK(db_exec_stmt(db, s, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    CHECK(pragma_int(db, &q_meta_count) == 1);
    /* the database, its WAL and shared-memory index are the owner's only,
     * whatever the umask (022 here gives 0644 to SQLite's own files) */
    CHECK(file_mode(path, "") == 0600);
    CHECK(file_mode(path, "-wal") == 0600);
    CHECK(file_mode(path, "-shm") == 0600);
    db_close(db);
    /* a database left 0644 by an older SIREN is made private at open */
    char p2[300];
    snprintf(p2, sizeof p2, "%s", path);
    CHECK(chmod(p2, 0644) == 0);
    CHECK(file_mode(path, "") == 0644);
    CHECK(db_open(path, 0, &db, &err) == SR_OK);
    CHECK(file_mode(path, "") == 0600);
    CHECK(file_mode(path, "-wal") == 0600);
    CHECK(file_mode(path, "-shm") == 0600);
    db_close(db);

    /* creating over an existing file is refused */
    CHECK(db_open(path, DB_CREATE, &db, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    /* reopen: fine */
    CHECK(db_open(path, 0, &db, &err) == SR_OK);
    db_close(db);

    /* a database from a newer SIREN is refused, unchanged */
    sqlite3 *raw;
    char ver[64];
    snprintf(ver, sizeof ver, "PRAGMA user_version=%d",
             db_schema_version() + 1);
    sqlite3_open(path, &raw);
    sqlite3_exec(raw, ver, NULL, NULL, NULL);
    sqlite3_close(raw);
    CHECK(db_open(path, DB_MIGRATE, &db, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "newer") != NULL);
    sr_err_release(&err);
    snprintf(ver, sizeof ver, "PRAGMA user_version=%d", db_schema_version());
    sqlite3_open(path, &raw);
    sqlite3_exec(raw, ver, NULL, NULL, NULL);
    /* a database taken out of WAL mode is refused */
    sqlite3_exec(raw, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(raw);
    CHECK(db_open(path, 0, &db, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "WAL") != NULL);
    sr_err_release(&err);

    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* What test_each() hands db_each(): the rows seen, their sum, and the
 * value at which to stop (0: never). */
struct tally_rows {
    int n_rows;
    int64_t sum;
    int64_t stop_at;
};

static int
add_row(struct db_stmt *s, void *ctx)
{
    struct tally_rows *t = ctx;
    int64_t x = db_col_i64(s, 0);
    t->n_rows++;
    t->sum += x;
    return x == t->stop_at;
}

static void
test_each(void)
{
    struct db *db = NULL;
    struct sr_err err = { 0 };
    CHECK(db_open(NULL, DB_MEMORY | DB_MIGRATE, &db, &err) == SR_OK);
    /* every row, in order, then the end */
    struct tally_rows t = { 0, 0, 0 };
    CHECK(db_each(db, db_stmt(db, &q_five), add_row, &t, "five", &err) ==
          SR_OK);
    CHECK(t.n_rows == 5 && t.sum == 15);
    /* a non-zero answer stops it there, and that is no error */
    struct tally_rows u = { 0, 0, 2 };
    CHECK(db_each(db, db_stmt(db, &q_five), add_row, &u, "five", &err) ==
          SR_OK);
    CHECK(u.n_rows == 2 && u.sum == 3);
    CHECK(err.code == SR_OK);
    /* the statement was reset: the next run starts at the first row */
    struct tally_rows w = { 0, 0, 0 };
    CHECK(db_each(db, db_stmt(db, &q_five), add_row, &w, "five", &err) ==
          SR_OK);
    CHECK(w.n_rows == 5 && w.sum == 15);
    /* a failing step is SR_EDB, named by what, and no row is handed on */
    struct db_stmt *s = db_stmt(db, &q_fails);
    db_bind_i64(s, 1, 1);
    struct tally_rows z = { 0, 0, 0 };
    CHECK(db_each(db, s, add_row, &z, "cannot add up", &err) == SR_EDB);
    CHECK(z.n_rows == 0);
    CHECK(strstr(sr_err_msg(&err), "cannot add up: ") == sr_err_msg(&err));
    CHECK(strstr(sr_err_msg(&err), "overflow") != NULL);
    sr_err_release(&err);
    /* db_end() after stepping by hand: a row or the end is SR_OK */
    s = db_stmt(db, &q_five);
    CHECK(db_end(db, s, db_step(s), "five", &err) == SR_OK);
    s = db_stmt(db, &q_fails);
    db_bind_i64(s, 1, 1);
    CHECK(db_end(db, s, db_step(s), "by hand", &err) == SR_EDB);
    CHECK(strstr(sr_err_msg(&err), "by hand: ") == sr_err_msg(&err));
    sr_err_release(&err);
    /* and it reset the statement: with the binding cleared it succeeds */
    s = db_stmt(db, &q_fails);
    CHECK(db_step(s) == DB_ROW);
    db_done(s);
    db_close(db);
}

/* db_one() with a row, without one, and with a failing step; db_bind_id() */
static void
test_one(void)
{
    struct db *db = NULL;
    struct sr_err err = { 0 };
    CHECK(db_open(NULL, DB_MEMORY | DB_MIGRATE, &db, &err) == SR_OK);
    /* a row: on_row sees it once, SR_OK */
    struct tally_rows t = { 0, 0, 0 };
    struct db_stmt *s = db_stmt(db, &q_none);
    db_bind_i64(s, 1, 7);
    CHECK(db_one(db, s, add_row, &t, "x: not found", "one", &err) == SR_OK);
    CHECK(t.n_rows == 1 && t.sum == 7);
    CHECK(err.code == SR_OK);
    /* only the first row, though the statement has five */
    struct tally_rows f = { 0, 0, 0 };
    CHECK(db_one(db, db_stmt(db, &q_five), add_row, &f, "none", "five", &err) ==
          SR_OK);
    CHECK(f.n_rows == 1 && f.sum == 1);
    /* no row: SR_ENOTFOUND with the message given, on_row not called */
    struct tally_rows u = { 0, 0, 0 };
    s = db_stmt(db, &q_none);
    db_bind_i64(s, 1, 8);
    CHECK(db_one(db, s, add_row, &u, "x: not found", "one", &err) ==
          SR_ENOTFOUND);
    CHECK(u.n_rows == 0);
    CHECK_STR(sr_err_msg(&err), "x: not found");
    sr_err_release(&err);
    /* a failing step: SR_EDB named by what */
    s = db_stmt(db, &q_fails);
    db_bind_i64(s, 1, 1);
    CHECK(db_one(db, s, add_row, &u, "x: not found", "cannot add up", &err) ==
          SR_EDB);
    CHECK(u.n_rows == 0);
    CHECK(strstr(sr_err_msg(&err), "cannot add up: ") == sr_err_msg(&err));
    sr_err_release(&err);
    /* the statement was reset: binding 7 again finds the row */
    s = db_stmt(db, &q_none);
    db_bind_i64(s, 1, 7);
    CHECK(db_step(s) == DB_ROW && db_col_i64(s, 0) == 7);
    db_done(s);
    /* db_begin_after(): a failed check begins nothing and is returned */
    CHECK(db_begin_after(db, SR_EINVAL, &err) == SR_EINVAL);
    CHECK(!db_in_transaction(db));
    CHECK(db_begin_after(db, SR_OK, &err) == SR_OK);
    CHECK(db_in_transaction(db));
    db_rollback(db);
    CHECK(!db_in_transaction(db));
    /* db_meta_put() / db_meta_get(): set, read back, replace, absent */
    struct sr_buf m;
    sr_buf_init(&m, 8);
    CHECK(db_meta_put(db, "colour", "blue", 4, &err) == SR_OK);
    CHECK(db_meta_get(db, "colour", &m, &err) == SR_OK);
    CHECK(m.len == 4 && memcmp(m.data, "blue", 4) == 0);
    CHECK(db_meta_put(db, "colour", "red", 3, &err) == SR_OK);
    CHECK(db_meta_get(db, "colour", &m, &err) == SR_OK);
    CHECK_STR(m.data, "red");
    CHECK(db_meta_get(db, "shape", &m, &err) == SR_ENOTFOUND);
    CHECK(m.len == 0);
    sr_err_release(&err);
    /* a value longer than out's cap of 8 bytes */
    CHECK(db_meta_put(db, "long", "0123456789", 10, &err) == SR_OK);
    CHECK(db_meta_get(db, "long", &m, &err) == SR_ETOOBIG);
    sr_err_release(&err);
    sr_buf_release(&m);
    /* db_bind_id(): an id above 0 as itself, 0 and below as NULL */
    int64_t ids[3] = { 42, 0, -5 };
    int want_null[3] = { 0, 1, 1 };
    int64_t want_value[3] = { 42, -1, -1 };
    for (int i = 0; i < 3; i++) {
        s = db_stmt(db, &q_is_null);
        db_bind_id(s, 1, ids[i]);
        CHECK(db_step(s) == DB_ROW);
        CHECK(db_col_int(s, 0) == want_null[i]);
        CHECK(db_col_i64(s, 1) == want_value[i]);
        db_done(s);
    }
    db_close(db);
}

int
main(void)
{
    test_golden_schema();
    test_each();
    test_one();
    test_files();
    return TEST_DONE("test_store");
}
