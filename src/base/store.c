/*
 * store.c - SQLite connections, pragmas, migrations and statement cache.
 *
 * Owns the connection setup and the migrations embedded from
 * db/migrations/NNNN_name.sql (tracked by PRAGMA user_version). Holds no
 * domain SQL: each module keeps its statements in its own *_sql[] array and
 * fetches them with db_stmt(). Must never build SQL from input.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/store.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "embedded.h"
#include "core/banned.h"

#define STMT_SLOTS 512 /* open addressing; far above the statements we have */

struct stmt_slot {
    const char *const *key; /* the module's sql slot */
    sqlite3_stmt *stmt;
};

struct db {
    sqlite3 *h;
    struct stmt_slot slots[STMT_SLOTS];
    db_commit_fn *on_commit; /* db_on_commit(); NULL if none */
    void *on_commit_ctx;
    int is_commit_noted; /* db_commit_note() in the open transaction */
};

enum store_stmt {
    ST_BEGIN_IMM,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_USER_VERSION,
    ST_JOURNAL_MODE,
    ST_SYNCHRONOUS,
    ST_INTEGRITY,
    ST_QUICK_CHECK,
    ST_META_PUT,
    ST_META_GET,
    ST__COUNT
};

static const char *const store_sql[ST__COUNT] = {
    [ST_BEGIN_IMM] = "BEGIN IMMEDIATE",
    [ST_BEGIN] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_USER_VERSION] = "PRAGMA user_version",
    [ST_JOURNAL_MODE] = "PRAGMA journal_mode",
    [ST_SYNCHRONOUS] = "PRAGMA synchronous",
    [ST_INTEGRITY] = "PRAGMA integrity_check",
    [ST_QUICK_CHECK] = "PRAGMA quick_check",
    [ST_META_PUT] = "INSERT INTO meta(key, value)"
                    " VALUES (?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_META_GET] = "SELECT value"
                    "  FROM meta"
                    " WHERE key = ?1",
};

/* Connection settings; fixed text, no input. The memory map (address
 * space, not memory) lets scans such as the monthly report read pages
 * without a system call and a copy each. */
static const char connection_pragmas[] = "PRAGMA foreign_keys=ON;"
                                         "PRAGMA synchronous=FULL;"
                                         "PRAGMA trusted_schema=OFF;"
                                         "PRAGMA secure_delete=ON;"
                                         "PRAGMA temp_store=MEMORY;"
                                         "PRAGMA mmap_size=1073741824;";

/* db_tune_bulk(): 512 MiB of page cache, a 2 GiB map, checkpoints every
 * 8000 pages (measured: docs/contacts.md, Benchmarks). Fixed text. */
static const char bulk_pragmas[] = "PRAGMA cache_size=-524288;"
                                   "PRAGMA mmap_size=2147483648;"
                                   "PRAGMA wal_autocheckpoint=8000;";

static int
migration_cmp(const void *a, const void *b)
{
    const struct sr_asset *const *x = a;
    const struct sr_asset *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* The embedded migrations in order; *n_out set. Static storage. */
static const struct sr_asset **
migrations(int *n_out)
{
    static const struct sr_asset *list[256];
    static int n = -1;
    if (n < 0) {
        int k = 0;
        for (size_t i = 0; i < sr_n_assets && k < 256; i++) {
            if (strncmp(sr_assets[i].name, "db/migrations/", 14) == 0) {
                list[k++] = &sr_assets[i];
            }
        }
        qsort(list, (size_t)k, sizeof list[0], migration_cmp);
        n = k;
    }
    *n_out = n;
    return list;
}

int
db_schema_version(void)
{
    int n;
    (void)migrations(&n);
    return n;
}

int
db_error(struct db *db, struct sr_err *err, const char *what)
{
    return sr_err_set(err, SR_EDB, "%s: %s", what, sqlite3_errmsg(db->h));
}

int
db_end(struct db *db, struct db_stmt *s, int step, const char *what,
       struct sr_err *err)
{
    /* the message first: the reset may replace it */
    int rc = step == DB_FAIL ? db_error(db, err, what) : SR_OK;
    db_done(s);
    return rc;
}

int
db_each(struct db *db, struct db_stmt *s, db_row_fn *on_row, void *ctx,
        const char *what, struct sr_err *err)
{
    assert(db != NULL && s != NULL && on_row != NULL);
    int step;
    while ((step = db_step(s)) == DB_ROW) {
        if (on_row(s, ctx) != 0) {
            break;
        }
    }
    return db_end(db, s, step, what, err);
}

int
db_one(struct db *db, struct db_stmt *s, db_row_fn *on_row, void *ctx,
       const char *missing, const char *what, struct sr_err *err)
{
    assert(db != NULL && s != NULL && on_row != NULL && missing != NULL);
    int step = db_step(s);
    if (step == DB_ROW) {
        (void)on_row(s, ctx);
    }
    int rc = db_end(db, s, step, what, err);
    if (rc == SR_OK && step == DB_DONE) {
        rc = sr_err_set(err, SR_ENOTFOUND, "%s", missing);
    }
    return rc;
}

int
db_meta_put(struct db *db, const char *key, const void *p, size_t len,
            struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &store_sql[ST_META_PUT]);
    db_bind_text(s, 1, key);
    db_bind_blob(s, 2, p, len);
    return db_exec_stmt(db, s, err);
}

/* What db_meta_get() hands db_one(): where the value goes, and how the
 * copy went. */
struct meta_copy {
    struct sr_buf *out;
    int rc;
};

static int
copy_meta(struct db_stmt *s, void *p)
{
    struct meta_copy *c = p;
    c->rc = sr_buf_add(c->out, db_col_blob(s, 0), db_col_bytes(s, 0));
    return 0;
}

int
db_meta_get(struct db *db, const char *key, struct sr_buf *out,
            struct sr_err *err)
{
    assert(db != NULL && key != NULL && out != NULL);
    sr_buf_reset(out);
    struct meta_copy c = { out, SR_OK };
    struct db_stmt *s = db_stmt(db, &store_sql[ST_META_GET]);
    db_bind_text(s, 1, key);
    int rc = db_one(db, s, copy_meta, &c, "meta: no such key",
                    "cannot read meta", err);
    if (rc == SR_OK && c.rc != SR_OK) {
        rc = sr_err_set(err, c.rc, "meta: the value does not fit");
    }
    return rc;
}

struct sqlite3 *
db_handle(struct db *db)
{
    return db->h;
}

/* The library's statement behind s: struct db_stmt is never defined, a
 * pointer to it is the sqlite3_stmt pointer itself. */
static sqlite3_stmt *
raw(struct db_stmt *s)
{
    return (sqlite3_stmt *)(void *)s;
}

struct db_stmt *
db_stmt(struct db *db, const char *const *sqlp)
{
    assert(db != NULL && sqlp != NULL && *sqlp != NULL);
    size_t i = ((uintptr_t)sqlp >> 3) % STMT_SLOTS;
    for (size_t probe = 0; probe < STMT_SLOTS; probe++) {
        struct stmt_slot *s = &db->slots[(i + probe) % STMT_SLOTS];
        if (s->key == sqlp) {
            return (struct db_stmt *)(void *)s->stmt;
        }
        if (s->key == NULL) {
            int rc = sqlite3_prepare_v3(
                db->h, *sqlp, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
            if (rc != SQLITE_OK) {
                fprintf(stderr, "siren: cannot prepare: %s\n  %s\n",
                        sqlite3_errmsg(db->h), *sqlp);
                SR_BUG("statement does not compile");
            }
            s->key = sqlp;
            return (struct db_stmt *)(void *)s->stmt;
        }
    }
    SR_BUG("statement cache full");
}

void
db_done(struct db_stmt *stmt)
{
    if (stmt != NULL) {
        sqlite3_reset(raw(stmt));
        sqlite3_clear_bindings(raw(stmt));
    }
}

int
db_step(struct db_stmt *stmt)
{
    int rc = sqlite3_step(raw(stmt));
    return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_FAIL;
}

int64_t
db_changes(struct db *db)
{
    return sqlite3_changes64(db->h);
}

int64_t
db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int
db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->h);
}

int
db_exec_stmt(struct db *db, struct db_stmt *stmt, struct sr_err *err)
{
    int rc = sqlite3_step(raw(stmt));
    while (rc == SQLITE_ROW) {
        rc = sqlite3_step(raw(stmt));
    }
    int out = SR_OK;
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_CONSTRAINT) {
            out = sr_err_set(err, SR_ECONFLICT, "conflict: %s",
                             sqlite3_errmsg(db->h));
        } else {
            out = db_error(db, err, "database error");
        }
    }
    db_done(stmt);
    return out;
}

static int
run_fixed(struct db *db, enum store_stmt which, struct sr_err *err)
{
    return db_exec_stmt(db, db_stmt(db, &store_sql[which]), err);
}

int
db_begin_write(struct db *db, struct sr_err *err)
{
    db->is_commit_noted = 0;
    return run_fixed(db, ST_BEGIN_IMM, err);
}

int
db_begin_after(struct db *db, int rc, struct sr_err *err)
{
    return rc == SR_OK ? db_begin_write(db, err) : rc;
}

int
db_begin_read(struct db *db, struct sr_err *err)
{
    db->is_commit_noted = 0;
    return run_fixed(db, ST_BEGIN, err);
}

int
db_commit(struct db *db, struct sr_err *err)
{
    int rc = run_fixed(db, ST_COMMIT, err);
    if (rc == SR_OK && db->is_commit_noted) {
        db->is_commit_noted = 0;
        if (db->on_commit != NULL) {
            db->on_commit(db, db->on_commit_ctx);
        }
    }
    return rc;
}

void
db_rollback(struct db *db)
{
    db->is_commit_noted = 0;
    if (!sqlite3_get_autocommit(db->h)) {
        (void)run_fixed(db, ST_ROLLBACK, NULL);
    }
}

void
db_on_commit(struct db *db, db_commit_fn *fn, void *ctx)
{
    assert(db != NULL);
    db->on_commit = fn;
    db->on_commit_ctx = ctx;
}

void
db_commit_note(struct db *db)
{
    assert(db != NULL);
    db->is_commit_noted = 1;
}

int
db_finish(struct db *db, int rc, struct sr_err *err)
{
    if (rc == SR_OK) {
        rc = db_commit(db, err);
    }
    if (rc != SR_OK) {
        db_rollback(db);
    }
    return rc;
}

void
db_bind_i64(struct db_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(raw(s), i, v);
}

void
db_bind_int(struct db_stmt *s, int i, int v)
{
    sqlite3_bind_int(raw(s), i, v);
}

void
db_bind_double(struct db_stmt *s, int i, double v)
{
    sqlite3_bind_double(raw(s), i, v);
}

void
db_bind_null(struct db_stmt *s, int i)
{
    sqlite3_bind_null(raw(s), i);
}

void
db_bind_id(struct db_stmt *s, int i, int64_t id)
{
    if (id > 0) {
        db_bind_i64(s, i, id);
    } else {
        db_bind_null(s, i);
    }
}

void
db_bind_text(struct db_stmt *s, int i, const char *text)
{
    sqlite3_bind_text(raw(s), i, text, -1, SQLITE_TRANSIENT);
}

void
db_bind_textn(struct db_stmt *s, int i, const char *text, size_t len)
{
    sqlite3_bind_text64(raw(s), i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void
db_bind_blob(struct db_stmt *s, int i, const void *p, size_t len)
{
    sqlite3_bind_blob64(raw(s), i, p, len, SQLITE_TRANSIENT);
}

void
db_bind_text_static(struct db_stmt *s, int i, const char *text)
{
    sqlite3_bind_text(raw(s), i, text, -1, SQLITE_STATIC);
}

void
db_bind_blob_static(struct db_stmt *s, int i, const void *p, size_t len)
{
    sqlite3_bind_blob64(raw(s), i, p, len, SQLITE_STATIC);
}

int64_t
db_col_i64(struct db_stmt *s, int i)
{
    return sqlite3_column_int64(raw(s), i);
}

int
db_col_int(struct db_stmt *s, int i)
{
    return sqlite3_column_int(raw(s), i);
}

double
db_col_double(struct db_stmt *s, int i)
{
    return sqlite3_column_double(raw(s), i);
}

int
db_col_is_null(struct db_stmt *s, int i)
{
    return sqlite3_column_type(raw(s), i) == SQLITE_NULL;
}

const char *
db_col_text(struct db_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(raw(s), i);
    return t ? (const char *)t : "";
}

const char *
db_col_text_or_null(struct db_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(raw(s), i);
}

const void *
db_col_blob(struct db_stmt *s, int i)
{
    return sqlite3_column_blob(raw(s), i);
}

size_t
db_col_bytes(struct db_stmt *s, int i)
{
    return (size_t)sqlite3_column_bytes(raw(s), i);
}

/* Read a one-row, one-column pragma as text into out. */
static int
pragma_text(struct db *db, enum store_stmt which, char *out, size_t size)
{
    struct db_stmt *s = db_stmt(db, &store_sql[which]);
    int rc = sqlite3_step(raw(s));
    if (rc == SQLITE_ROW) {
        snprintf(out, size, "%s", db_col_text(s, 0));
    }
    db_done(s);
    return rc == SQLITE_ROW ? SR_OK : SR_EDB;
}

static int
user_version(struct db *db, int *out)
{
    char v[32];
    long long n;
    if (pragma_text(db, ST_USER_VERSION, v, sizeof v) != SR_OK ||
        sr_parse_i64(v, 0, 1000000, &n) != SR_OK) {
        return SR_EDB;
    }
    *out = (int)n;
    return SR_OK;
}

static int
migrate(struct db *db, int from, struct sr_err *err)
{
    int n;
    const struct sr_asset **list = migrations(&n);
    for (int i = from; i < n; i++) {
        char *msg = NULL;
        char ver[64];
        snprintf(ver, sizeof ver, "PRAGMA user_version=%d", i + 1);
        /* migration text and the version number are ours, not input */
        if (sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
                SQLITE_OK ||
            sqlite3_exec(db->h, (const char *)list[i]->data, NULL, NULL,
                         &msg) != SQLITE_OK ||
            sqlite3_exec(db->h, ver, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db->h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            int rc = sr_err_set(err, SR_EDB, "migration '%s' failed: %s",
                                list[i]->name, msg ? msg : "unknown");
            sqlite3_free(msg);
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return SR_OK;
}

/*
 * The database, its WAL and its shared-memory index hold what the key file
 * protects, so they are the owner's only (0600), like the key. A new
 * database file is made here with that mode before SQLite opens it; SQLite
 * gives the -wal and -shm files it creates the mode of the database file.
 * Files of a workspace made before this rule lose their group and other
 * bits at each open. Errors other than a missing file are refused.
 */
static int
make_private_file(const char *path, struct sr_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return sr_err_set(err, errno == EEXIST ? SR_ECONFLICT : SR_EIO,
                          "cannot create database '%s': %s", path,
                          strerror(errno));
    }
    close(fd);
    return SR_OK;
}

static int
keep_private(const char *path, struct sr_err *err)
{
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    char p[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        struct stat st;
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        if (stat(p, &st) != 0) {
            continue;
        }
        if ((st.st_mode & 077) != 0 && chmod(p, st.st_mode & 0700) != 0) {
            return sr_err_set(err, SR_EIO,
                              "cannot make '%s' private (mode 0600): %s", p,
                              strerror(errno));
        }
    }
    return SR_OK;
}

static int
check_mode(struct db *db, struct sr_err *err)
{
    char mode[32], sync[32];
    if (pragma_text(db, ST_JOURNAL_MODE, mode, sizeof mode) != SR_OK ||
        pragma_text(db, ST_SYNCHRONOUS, sync, sizeof sync) != SR_OK) {
        return db_error(db, err, "cannot read database settings");
    }
    if (strcmp(mode, "wal") != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "database is not in WAL mode (journal_mode=%s); "
                          "refusing to open it",
                          mode);
    }
    if (strcmp(sync, "2") != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "database connection is not synchronous=FULL");
    }
    return SR_OK;
}

int
db_open(const char *path, int flags, struct db **out, struct sr_err *err)
{
    assert(out != NULL);
    struct stat st;
    int is_memory = (flags & DB_MEMORY) != 0;
    if (!is_memory) {
        int exists = stat(path, &st) == 0;
        if ((flags & DB_CREATE) && exists) {
            return sr_err_set(err, SR_ECONFLICT, "database '%s' already exists",
                              path);
        }
        if (!(flags & DB_CREATE) && !exists) {
            return sr_err_set(err, SR_ENOTFOUND,
                              "cannot open database '%s': no such file", path);
        }
    }
    if (!is_memory && (flags & DB_CREATE)) {
        int rc = make_private_file(path, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    struct db *db = sr_xcalloc(1, sizeof *db);
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                 SQLITE_OPEN_EXRESCODE |
                 ((flags & DB_CREATE) || is_memory ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(is_memory ? ":memory:" : path, &db->h, oflags, NULL) !=
        SQLITE_OK) {
        int rc = sr_err_set(err, SR_EDB, "cannot open database '%s': %s",
                            is_memory ? ":memory:" : path,
                            db->h ? sqlite3_errmsg(db->h) : "out of memory");
        db_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    /* constant text (connection_pragmas above) */
    if (sqlite3_exec(db->h, connection_pragmas, NULL, NULL, NULL) !=
        SQLITE_OK) {
        int rc = db_error(db, err, "cannot configure database");
        db_close(db);
        return rc;
    }
    if ((flags & DB_CREATE) && !is_memory &&
        sqlite3_exec(db->h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
            SQLITE_OK) {
        int rc = db_error(db, err, "cannot set WAL mode");
        db_close(db);
        return rc;
    }
    int rc = is_memory ? SR_OK : check_mode(db, err);
    if (rc == SR_OK && !is_memory) {
        rc = keep_private(path, err);
    }
    int ver = 0;
    if (rc == SR_OK && user_version(db, &ver) != SR_OK) {
        rc = db_error(db, err, "cannot read schema version");
    }
    if (rc == SR_OK && ver > db_schema_version()) {
        rc = sr_err_set(err, SR_EINVAL,
                        "database schema version %d is newer than this "
                        "siren (%d); upgrade siren",
                        ver, db_schema_version());
    }
    if (rc == SR_OK && ver < db_schema_version()) {
        if (flags & (DB_MIGRATE | DB_CREATE | DB_MEMORY)) {
            rc = migrate(db, ver, err);
        } else {
            rc = sr_err_set(err, SR_EINVAL,
                            "database schema version %d is older than "
                            "this siren (%d); run 'siren migrate'",
                            ver, db_schema_version());
        }
    }
    if (rc != SR_OK) {
        db_close(db);
        return rc;
    }
    *out = db;
    return SR_OK;
}

int
db_tune_bulk(struct db *db, struct sr_err *err)
{
    assert(db != NULL);
    /* constant text (bulk_pragmas above) */
    if (sqlite3_exec(db->h, bulk_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
        return db_error(db, err, "cannot configure database for a bulk load");
    }
    return SR_OK;
}

int
db_indexes_set_aside(struct db *db, const char *table, struct sr_buf *saved,
                     struct sr_err *err)
{
    assert(db != NULL && table != NULL && saved != NULL);
    if (sqlite3_get_autocommit(db->h)) {
        SR_BUG("db_indexes_set_aside outside a transaction");
    }
    /* table is a name written in the code, never input; it is bound, and
     * the DROP statements quote the index names sqlite_schema holds */
    for (const char *p = table; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || *p == '_')) {
            SR_BUG("db_indexes_set_aside: not a table name");
        }
    }
    /* the table's own indexes: those of its UNIQUE and PRIMARY KEY
     * constraints have no SQL and stay */
    static const char *const list_sql =
        "SELECT name, sql FROM sqlite_schema"
        " WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL"
        " ORDER BY name";
    struct sr_buf drops;
    sr_buf_init(&drops, 0);
    int rc = SR_OK;
    struct db_stmt *s = db_stmt(db, &list_sql);
    db_bind_text(s, 1, table);
    while (rc == SR_OK && db_step(s) == DB_ROW) {
        char *q = sqlite3_mprintf("DROP INDEX \"%w\";", db_col_text(s, 0));
        if (q == NULL) {
            rc = sr_err_set(err, SR_ENOMEM, "database: no memory");
            break;
        }
        if (sr_buf_adds(&drops, q) != SR_OK ||
            sr_buf_adds(saved, db_col_text(s, 1)) != SR_OK ||
            sr_buf_adds(saved, ";\n") != SR_OK) {
            rc = sr_err_set(err, SR_ETOOBIG, "database: too many indexes");
        }
        sqlite3_free(q);
    }
    db_done(s);
    /* DROP INDEX "name" for names read from sqlite_schema (%w quoted) */
    if (rc == SR_OK && drops.len > 0 &&
        sqlite3_exec(db->h, drops.data, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_error(db, err, "cannot set indexes aside");
    }
    sr_buf_release(&drops);
    return rc;
}

int
db_indexes_restore(struct db *db, const struct sr_buf *saved,
                   struct sr_err *err)
{
    assert(db != NULL && saved != NULL);
    /* the CREATE INDEX text db_indexes_set_aside() read from
     * sqlite_schema: our migrations' SQL, never input */
    if (saved->len > 0 &&
        sqlite3_exec(db->h, saved->data, NULL, NULL, NULL) != SQLITE_OK) {
        return db_error(db, err, "cannot create the indexes again");
    }
    return SR_OK;
}

void
db_close(struct db *db)
{
    if (db == NULL) {
        return;
    }
    for (size_t i = 0; i < STMT_SLOTS; i++) {
        if (db->slots[i].stmt != NULL) {
            sqlite3_finalize(db->slots[i].stmt);
        }
    }
    sqlite3_close(db->h);
    free(db);
}

int
db_backup_to(struct db *db, const char *path, struct sr_err *err)
{
    assert(db != NULL && path != NULL);
    int rc = make_private_file(path, err);
    if (rc != SR_OK) {
        return rc;
    }
    sqlite3 *dest = NULL;
    if (sqlite3_open_v2(path, &dest,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                            SQLITE_OPEN_EXRESCODE,
                        NULL) != SQLITE_OK) {
        rc = sr_err_set(err, SR_EDB, "cannot open backup copy '%s': %s", path,
                        dest ? sqlite3_errmsg(dest) : "out of memory");
        sqlite3_close(dest);
        unlink(path);
        return rc;
    }
    /* one step of all pages: the copy is read in one read transaction, so
     * it is the database as one commit left it while writers go on */
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->h, "main");
    int step = SQLITE_ERROR;
    if (b != NULL) {
        do {
            step = sqlite3_backup_step(b, -1);
            if (step == SQLITE_BUSY || step == SQLITE_LOCKED) {
                sqlite3_sleep(50);
            }
        } while (step == SQLITE_BUSY || step == SQLITE_LOCKED ||
                 step == SQLITE_OK);
        sqlite3_backup_finish(b);
    }
    if (step != SQLITE_DONE || sqlite3_errcode(dest) != SQLITE_OK) {
        rc = sr_err_set(err, SR_EDB, "cannot copy the database: %s",
                        sqlite3_errmsg(b == NULL ? dest : db->h));
    }
    if (sqlite3_close(dest) != SQLITE_OK && rc == SR_OK) {
        rc = sr_err_set(err, SR_EDB, "cannot close backup copy '%s'", path);
    }
    if (rc != SR_OK) {
        unlink(path);
    }
    return rc;
}

int
db_quick_check(struct db *db, struct sr_err *err)
{
    assert(db != NULL);
    char res[256];
    if (pragma_text(db, ST_QUICK_CHECK, res, sizeof res) != SR_OK) {
        return db_error(db, err, "quick check failed");
    }
    if (strcmp(res, "ok") != 0) {
        /* its first finding, on one line */
        const char *p = res;
        if (strncmp(p, "***", 3) == 0 && strchr(p, '\n') != NULL) {
            p = strchr(p, '\n') + 1; /* "*** in database main ***" */
        }
        return sr_err_set(err, SR_EDB, "quick check: %.*s",
                          (int)strcspn(p, "\r\n"), p);
    }
    return SR_OK;
}

int
db_checkpoint_truncate(struct db *db, int wait_ms, int *out_is_done,
                       struct sr_err *err)
{
    assert(db != NULL && out_is_done != NULL);
    int n_log = 0, n_done = 0;
    sqlite3_busy_timeout(db->h, wait_ms);
    int rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                       &n_log, &n_done);
    sqlite3_busy_timeout(db->h, 10000);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        *out_is_done = 0;
        return SR_OK;
    }
    if (rc != SQLITE_OK) {
        return db_error(db, err, "cannot checkpoint the WAL");
    }
    *out_is_done = 1;
    return SR_OK;
}

int
db_integrity_check(struct db *db, struct sr_err *err)
{
    char res[256];
    if (pragma_text(db, ST_INTEGRITY, res, sizeof res) != SR_OK) {
        return db_error(db, err, "integrity check failed");
    }
    if (strcmp(res, "ok") != 0) {
        return sr_err_set(err, SR_EDB, "integrity check: %s", res);
    }
    return SR_OK;
}
