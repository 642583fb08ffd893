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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/store_pg.h"
#include "core/buf.h"
#include "embedded.h"
#include "core/banned.h"

#define STMT_SLOTS 512 /* open addressing; far above the statements we have */

/* A prepared statement: SQLite's, or PostgreSQL's on such a store. */
struct db_stmt {
    sqlite3_stmt *lite;
    struct pg_stmt *pg;
    struct db *db; /* the connection it was prepared on */
};

struct stmt_slot {
    const char *const *key; /* the module's sql slot */
    struct db_stmt stmt;
};

struct db {
    sqlite3 *h;    /* NULL on a PostgreSQL store */
    struct pg *pg; /* NULL on a SQLite store */
    struct stmt_slot slots[STMT_SLOTS];
    db_commit_fn *on_commit; /* db_on_commit(); NULL if none */
    void *on_commit_ctx;
    int is_commit_noted; /* db_commit_note() in the open transaction */
    unsigned char memo[DB_MEMO_BYTES]; /* db_memo_put() */
    size_t memo_len;                   /* 0: none kept */
    db_last_write_fn *last_write;      /* db_before_commit(); NULL if none */
    const void *last_write_ctx;
    struct db_group *group;  /* db_group_join(): writes go to its writer */
    struct db *active;       /* the group's writer during a write; else NULL */
    struct db_group *writer; /* the group this connection writes for */
};

/*
 * A section of the open group transaction that ended well and waits for
 * the transaction's commit (on its thread's stack).
 */
struct group_wait {
    struct group_wait *next;
    int is_done; /* the batch ended: rc (and msg) say how */
    int rc;
    char msg[256];
};

struct db_group {
    struct db *w;             /* the one writing connection */
    pthread_mutex_t write_mu; /* held through one write section */
    pthread_mutex_t mu;       /* guards the fields below */
    pthread_cond_t ended;     /* a batch ended */
    int n_queued;             /* threads waiting for write_mu */
    struct group_wait *batch; /* sections released into the transaction */
    int n_batch;
    int is_batch_noted; /* a section of the batch called db_commit_note() */
    int is_first;       /* the section now running began the transaction:
                           it runs without a savepoint (its rollback is
                           the transaction's) */
    int is_release_due; /* the last section ended well under a savepoint
                           not yet released: the next section's begin
                           releases it (or the commit does) */
    /* figures for tests and benchmarks */
    int64_t n_commits;
    int64_t n_sections;
};

/* The group whose write_mu this thread holds; NULL when none. */
static _Thread_local struct db_group *held_group;

/* The connection statements run on: the group's writer during a write
 * section, else db itself. */
static struct db *
live(struct db *db)
{
    return db->active != NULL ? db->active : db;
}

enum store_stmt {
    ST_BEGIN_IMM,
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_NEXT_SECTION,
    ST_USER_VERSION,
    ST_JOURNAL_MODE,
    ST_SYNCHRONOUS,
    ST_INTEGRITY,
    ST_QUICK_CHECK,
    ST_META_PUT,
    ST_META_GET,
    ST_TABLES,
    ST_TABLE_REFS,
    ST_IDENTITIES,
    ST_COLUMNS,
    ST_ANY_TABLE,
    ST__COUNT
};

static const char *const store_sql[ST__COUNT] = {
    [ST_BEGIN_IMM] = "BEGIN IMMEDIATE",
    [ST_BEGIN] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT sr_section",
    [ST_RELEASE] = "RELEASE SAVEPOINT sr_section",
    [ST_ROLLBACK_TO] = "ROLLBACK TO SAVEPOINT sr_section",
    /* ST_NEXT_SECTION: ST_RELEASE, then ST_SAVEPOINT (run_fixed()) */
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
    /* the schema's tables, and which refers to which (db_tables) */
    [ST_TABLES] =
        "SELECT name FROM sqlite_schema"
        " WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        " ORDER BY name" DB_PG "SELECT tablename FROM pg_catalog.pg_tables"
        " WHERE schemaname = current_schema()"
        "   AND tablename <> 'siren_schema'"
        " ORDER BY tablename",
    [ST_TABLE_REFS] =
        "SELECT m.name, f.\"table\""
        "  FROM sqlite_schema AS m,"
        "       pragma_foreign_key_list(m.name) AS f"
        " WHERE m.type = 'table'" DB_PG "SELECT a.relname, b.relname"
        "  FROM pg_catalog.pg_constraint AS c"
        "  JOIN pg_catalog.pg_class AS a ON a.oid = c.conrelid"
        "  JOIN pg_catalog.pg_class AS b ON b.oid = c.confrelid"
        "  JOIN pg_catalog.pg_namespace AS n"
        "    ON n.oid = a.relnamespace"
        " WHERE c.contype = 'f' AND n.nspname = current_schema()",
    /* a table's columns in their order (db_columns) */
    [ST_COLUMNS] = "SELECT name FROM pragma_table_info(?1) ORDER BY cid" DB_PG
                   "SELECT column_name FROM information_schema.columns"
                   " WHERE table_schema = current_schema()"
                   "   AND table_name = ?1"
                   " ORDER BY ordinal_position",
    /* whether the database holds any table (DB_CREATE on PostgreSQL) */
    [ST_ANY_TABLE] = "SELECT count(*) FROM sqlite_schema" DB_PG
                     "SELECT count(*) FROM pg_catalog.pg_tables"
                     " WHERE schemaname = current_schema()",
    /* columns whose values a counter gives (none on SQLite) */
    [ST_IDENTITIES] =
        "SELECT '', '' WHERE 0" DB_PG "SELECT table_name, column_name"
        "  FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
        "   AND is_identity = 'YES'"
        " ORDER BY table_name",
};

/* Connection settings; fixed text, no input. The memory map (address
 * space, not memory) lets scans such as the monthly report read pages
 * without a system call and a copy each; a server's connections go
 * without it (db_tune_server). */
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

/* The embedded migrations whose names start with dir, in order; *n_out
 * set. Static storage per dir (two lists). */
static const struct sr_asset **
migrations_in(const char *dir, const struct sr_asset **list, int *n, int *n_out)
{
    if (*n < 0) {
        int k = 0;
        for (size_t i = 0; i < sr_n_assets && k < 256; i++) {
            if (strncmp(sr_assets[i].name, dir, strlen(dir)) == 0) {
                list[k++] = &sr_assets[i];
            }
        }
        qsort(list, (size_t)k, sizeof list[0], migration_cmp);
        *n = k;
    }
    *n_out = *n;
    return list;
}

/* SQLite's migrations: db/migrations/NNNN_name.sql, one per version. */
static const struct sr_asset **
migrations(int *n_out)
{
    static const struct sr_asset *list[256];
    static int n = -1;
    return migrations_in("db/migrations/", list, &n, n_out);
}

/*
 * PostgreSQL's: db/pg/NNNN_name.sql brings the schema to version NNNN
 * (the first, a baseline, to the version SQLite had reached when the
 * PostgreSQL store came; each later one beside SQLite's of that number).
 */
static const struct sr_asset **
pg_migrations(int *n_out)
{
    static const struct sr_asset *list[256];
    static int n = -1;
    return migrations_in("db/pg/", list, &n, n_out);
}

/* The version a PostgreSQL migration brings: its number. */
static int
pg_migration_version(const struct sr_asset *a)
{
    long long v = 0;
    char digits[8];
    snprintf(digits, sizeof digits, "%.4s", a->name + strlen("db/pg/"));
    if (sr_parse_i64(digits, 1, 9999, &v) != SR_OK) {
        SR_BUG("PostgreSQL migration without a number");
    }
    return (int)v;
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
    db = live(db);
    return sr_err_set(err, SR_EDB, "%s: %s", what,
                      db->pg != NULL ? pg_message(db->pg)
                                     : sqlite3_errmsg(db->h));
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
    db = live(db);
    return db->h;
}

int
db_is_server_address(const char *target)
{
    return pg_is_url(target);
}

int
db_is_postgresql(const struct db *db)
{
    return db->pg != NULL;
}

/* The text of one store's form of an entry: the whole entry, or the part
 * before DB_PG on SQLite and the part after it on PostgreSQL. *len is
 * the length of the part. */
static const char *
dialect_form(const struct db *db, const char *sql, size_t *len)
{
    const char *mark = strstr(sql, DB_PG);
    if (mark == NULL) {
        *len = strlen(sql);
        return sql;
    }
    if (db->pg != NULL) {
        sql = mark + strlen(DB_PG);
        *len = strlen(sql);
        return sql;
    }
    *len = (size_t)(mark - sql);
    return sql;
}

/* Prepare sql's form for db's store into out. SR_OK, or SR_EDB with the
 * store's message. */
static int
prepare(struct db *db, const char *sql, struct db_stmt *out, struct sr_err *err)
{
    size_t len;
    const char *form = dialect_form(db, sql, &len);
    out->db = db;
    if (db->pg != NULL) {
        char *text = sr_xmalloc(len + 1);
        memcpy(text, form, len);
        text[len] = '\0';
        out->pg = pg_prepare(db->pg, text);
        free(text);
        if (out->pg != NULL) {
            return SR_OK;
        }
    } else if (sqlite3_prepare_v3(db->h, form, (int)len,
                                  SQLITE_PREPARE_PERSISTENT, &out->lite,
                                  NULL) == SQLITE_OK) {
        return SR_OK;
    }
    return db_error(db, err, "cannot prepare");
}

/* Free what prepare() made in s (an empty slot is left as it is). */
static void
finalize(struct db_stmt *s)
{
    sqlite3_finalize(s->lite); /* a no-op on NULL */
    pg_stmt_free(s->pg);
    s->lite = NULL;
    s->pg = NULL;
}

struct db_stmt *
db_stmt(struct db *db, const char *const *sqlp)
{
    assert(db != NULL && sqlp != NULL && *sqlp != NULL);
    db = live(db);
    size_t i = ((uintptr_t)sqlp >> 3) % STMT_SLOTS;
    for (size_t probe = 0; probe < STMT_SLOTS; probe++) {
        struct stmt_slot *s = &db->slots[(i + probe) % STMT_SLOTS];
        if (s->key == sqlp) {
            return &s->stmt;
        }
        if (s->key == NULL) {
            struct sr_err err = { 0 };
            if (prepare(db, *sqlp, &s->stmt, &err) != SR_OK) {
                fprintf(stderr, "siren: %s\n  %s\n", err.msg, *sqlp);
                SR_BUG("statement does not compile");
            }
            s->key = sqlp;
            return &s->stmt;
        }
    }
    SR_BUG("statement cache full");
}

void
db_stream(struct db_stmt *stmt)
{
    if (stmt->pg != NULL) {
        pg_stream(stmt->pg);
    }
}

void
db_done(struct db_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    if (stmt->pg != NULL) {
        pg_reset(stmt->pg);
        return;
    }
    sqlite3_reset(stmt->lite);
    sqlite3_clear_bindings(stmt->lite);
}

/* One step: DB_ROW, DB_DONE or DB_FAIL; *is_constraint set on a failed
 * constraint. */
static int
step(struct db_stmt *stmt, int *is_constraint)
{
    /* a statement of a grouped connection fetched before its write
     * began would run outside the group's transaction; one of the
     * writer's must run only on the thread whose write holds it */
    if (stmt->db->active != NULL) {
        SR_BUG("a reading statement used inside a group write");
    }
    if (stmt->db->writer != NULL && held_group != stmt->db->writer) {
        SR_BUG("the group writer's statement used outside its write");
    }
    if (stmt->pg != NULL) {
        int rc = pg_step(stmt->pg, is_constraint);
        return rc > 0 ? DB_ROW : rc == 0 ? DB_DONE : DB_FAIL;
    }
    int rc = sqlite3_step(stmt->lite);
    *is_constraint = (rc & 0xff) == SQLITE_CONSTRAINT;
    return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_FAIL;
}

int
db_step(struct db_stmt *stmt)
{
    int is_constraint;
    return step(stmt, &is_constraint);
}

int64_t
db_changes(struct db *db)
{
    db = live(db);
    return db->pg != NULL ? pg_changes(db->pg) : sqlite3_changes64(db->h);
}

int64_t
db_last_id(struct db *db)
{
    db = live(db);
    return db->pg != NULL ? pg_last_id(db->pg)
                          : sqlite3_last_insert_rowid(db->h);
}

int
db_in_transaction(struct db *db)
{
    db = live(db);
    return db->pg != NULL ? pg_in_transaction(db->pg)
                          : !sqlite3_get_autocommit(db->h);
}

int
db_exec_stmt(struct db *db, struct db_stmt *stmt, struct sr_err *err)
{
    db = live(db);
    int is_constraint = 0;
    int rc = step(stmt, &is_constraint);
    while (rc == DB_ROW) {
        rc = step(stmt, &is_constraint);
    }
    int out = SR_OK;
    if (rc != DB_DONE) {
        if (is_constraint) {
            out = sr_err_set(err, SR_ECONFLICT, "conflict: %s",
                             db->pg != NULL ? pg_message(db->pg)
                                            : sqlite3_errmsg(db->h));
        } else {
            out = db_error(db, err, "database error");
        }
    }
    db_done(stmt);
    return out;
}

/* The transaction statements of a PostgreSQL store. A write transaction
 * takes one lock for the whole database, as SQLite's BEGIN IMMEDIATE
 * does: writers run one at a time, so the audit chain's rows follow each
 * other, and reads inside it see every commit before it. A read
 * transaction sees one snapshot. */
static const char *const pg_tx_sql[ST__COUNT] = {
    /* one entry in two statements (parenthesised for clang) */
    [ST_BEGIN_IMM] = ("BEGIN ISOLATION LEVEL READ COMMITTED;"
                      "SELECT pg_advisory_xact_lock(5117475)"),
    [ST_BEGIN] = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT sr_section",
    [ST_RELEASE] = "RELEASE SAVEPOINT sr_section",
    [ST_ROLLBACK_TO] = "ROLLBACK TO SAVEPOINT sr_section",
    /* the last section's release and the next one's savepoint: one
     * round trip */
    [ST_NEXT_SECTION] = ("RELEASE SAVEPOINT sr_section;"
                         "SAVEPOINT sr_section"),
};

static int
run_fixed(struct db *db, enum store_stmt which, struct sr_err *err)
{
    int is_begin = which == ST_BEGIN_IMM || which == ST_BEGIN;
    if (is_begin || which == ST_ROLLBACK || which == ST_ROLLBACK_TO) {
        /* what the memo says may be gone */
        db->memo_len = 0;
    }
    if (is_begin || which == ST_ROLLBACK) {
        db->last_write = NULL;
    }
    if (db->pg != NULL) {
        if (which == ST_COMMIT && pg_tx_failed(db->pg)) {
            return sr_err_set(err, SR_EDB,
                              "database error: the transaction failed: %s",
                              pg_message(db->pg));
        }
        return pg_exec(db->pg, pg_tx_sql[which], err);
    }
    if (which == ST_NEXT_SECTION) {
        int rc = run_fixed(db, ST_RELEASE, err);
        return rc == SR_OK ? run_fixed(db, ST_SAVEPOINT, err) : rc;
    }
    return db_exec_stmt(db, db_stmt(db, &store_sql[which]), err);
}

/* ---- group commit -------------------------------------------------------
 *
 * The connections of a server's threads join one group. A write section
 * (db_begin_write() to db_commit() or db_rollback() on a joined
 * connection) takes write_mu, runs on the group's writer inside its one
 * open transaction under a savepoint, and at its end releases or rolls
 * back the savepoint. The section that ends when no other thread waits
 * for write_mu (or when the batch is full) commits the transaction: one
 * commit, one fsync for every section released into it. A released
 * section's db_commit() returns only when that commit has ended, with
 * its result: a write is never acknowledged before it is durable, and a
 * commit that fails fails every section of its batch. Sections run one
 * at a time, so the audit chain stays one chain; readers use their own
 * connections and never wait.
 */

#define GROUP_MAX 64 /* sections in one transaction at most */

int
db_group_new(struct db *writer, struct db_group **out, struct sr_err *err)
{
    assert(writer != NULL && out != NULL && writer->group == NULL);
    struct db_group *g = sr_xcalloc(1, sizeof *g);
    if (pthread_mutex_init(&g->write_mu, NULL) != 0 ||
        pthread_mutex_init(&g->mu, NULL) != 0 ||
        pthread_cond_init(&g->ended, NULL) != 0) {
        free(g);
        return sr_err_set(err, SR_ENOMEM, "cannot make the writers' lock");
    }
    g->w = writer;
    writer->writer = g;
    *out = g;
    return SR_OK;
}

void
db_group_join(struct db *db, struct db_group *g)
{
    assert(db != NULL && db->writer == NULL && !db_in_transaction(db));
    db->group = g;
}

void
db_group_free(struct db_group *g)
{
    if (g == NULL) {
        return;
    }
    assert(g->batch == NULL);
    db_close(g->w);
    pthread_cond_destroy(&g->ended);
    pthread_mutex_destroy(&g->mu);
    pthread_mutex_destroy(&g->write_mu);
    free(g);
}

void
db_group_figures(struct db_group *g, struct db_group_figures *out)
{
    pthread_mutex_lock(&g->mu);
    out->n_writes = g->n_sections;
    out->n_commits = g->n_commits;
    out->n_queued = g->n_queued;
    pthread_mutex_unlock(&g->mu);
}

/* Whether the writer's transaction is open and can still commit. */
static int
tx_alive(struct db *w)
{
    return db_in_transaction(w) && !(w->pg != NULL && pg_tx_failed(w->pg));
}

/* Commit the open batch (or, its transaction lost, fail it) and tell
 * every waiting section how it ended. Under write_mu. */
static void
batch_end(struct db_group *g)
{
    struct db *w = g->w;
    struct sr_err e = { 0 };
    int rc = SR_OK;
    int is_open = db_in_transaction(w);
    if (tx_alive(w)) {
        w->is_commit_noted = g->is_batch_noted;
        if (db_commit(w, &e) != SR_OK) {
            /* a failed commit is the store's error for every section,
             * whatever refused it */
            rc = SR_EDB;
        }
    } else if (g->batch != NULL) {
        rc = sr_err_set(&e, SR_EDB,
                        "database error: the transaction was rolled back");
    }
    if (rc != SR_OK || (is_open && !tx_alive(w))) {
        db_rollback(w);
    }
    pthread_mutex_lock(&g->mu);
    for (struct group_wait *q = g->batch; q != NULL; q = q->next) {
        q->rc = rc;
        snprintf(q->msg, sizeof q->msg, "%s", rc == SR_OK ? "" : e.msg);
        q->is_done = 1;
    }
    if (is_open) {
        g->n_commits++;
    }
    g->batch = NULL;
    g->n_batch = 0;
    g->is_batch_noted = 0;
    g->is_release_due = 0;
    pthread_cond_broadcast(&g->ended);
    pthread_mutex_unlock(&g->mu);
    sr_err_release(&e);
}

/* The end of db's write section: commit the batch when no other section
 * waits to join it (or it is full, or its transaction was lost), then
 * let the next section in. */
static void
section_end(struct db *db)
{
    struct db_group *g = db->group;
    db->active = NULL;
    pthread_mutex_lock(&g->mu);
    int is_last = g->n_queued == 0 || g->n_batch >= GROUP_MAX;
    pthread_mutex_unlock(&g->mu);
    if (is_last || !tx_alive(g->w)) {
        batch_end(g);
    }
    held_group = NULL;
    pthread_mutex_unlock(&g->write_mu);
}

/* Take back what the running section wrote: to its savepoint, or, when
 * it began the transaction, the whole transaction (nothing else is in
 * it). Under write_mu. */
static void
section_undo(struct db_group *g)
{
    if (g->is_first) {
        db_rollback(g->w);
    } else if (tx_alive(g->w)) {
        (void)run_fixed(g->w, ST_ROLLBACK_TO, NULL);
        (void)run_fixed(g->w, ST_RELEASE, NULL);
    }
}

static int
section_begin(struct db *db, struct sr_err *err)
{
    struct db_group *g = db->group;
    if (db->active != NULL || db_in_transaction(db)) {
        return sr_err_set(err, SR_EDB,
                          "database error: cannot start a "
                          "transaction within a transaction");
    }
    pthread_mutex_lock(&g->mu);
    g->n_queued++;
    pthread_mutex_unlock(&g->mu);
    pthread_mutex_lock(&g->write_mu);
    pthread_mutex_lock(&g->mu);
    g->n_queued--;
    pthread_mutex_unlock(&g->mu);
    held_group = g;
    db->active = g->w;
    db->is_commit_noted = 0;
    int rc;
    g->is_first = !db_in_transaction(g->w);
    if (g->is_first) {
        g->w->is_commit_noted = 0;
        g->is_release_due = 0;
        rc = run_fixed(g->w, ST_BEGIN_IMM, err);
    } else {
        rc = run_fixed(g->w, g->is_release_due ? ST_NEXT_SECTION : ST_SAVEPOINT,
                       err);
        g->is_release_due = 0;
    }
    if (rc != SR_OK) {
        section_end(db);
    }
    return rc;
}

/* db_commit() of a section: release its savepoint into the batch and
 * wait until the batch's commit has ended. */
static int
section_commit(struct db *db, struct sr_err *err)
{
    struct db_group *g = db->group;
    /* a section's savepoint is released by the next section's begin, in
     * the same round trip as its own, or by the commit */
    int rc = !tx_alive(g->w) ? sr_err_set(err, SR_EDB,
                                          "database error: the transaction "
                                          "was rolled back")
                             : SR_OK;
    if (rc == SR_OK && !g->is_first) {
        g->is_release_due = 1;
    }
    if (rc != SR_OK) {
        section_undo(g);
        section_end(db);
        return rc;
    }
    struct group_wait me = { 0 };
    pthread_mutex_lock(&g->mu);
    me.next = g->batch;
    g->batch = &me;
    g->n_batch++;
    g->n_sections++;
    g->is_batch_noted |= db->is_commit_noted;
    pthread_mutex_unlock(&g->mu);
    db->is_commit_noted = 0;
    section_end(db);
    pthread_mutex_lock(&g->mu);
    while (!me.is_done) {
        pthread_cond_wait(&g->ended, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
    if (me.rc != SR_OK) {
        return sr_err_set(err, me.rc, "%s", me.msg);
    }
    return SR_OK;
}

static void
section_rollback(struct db *db)
{
    section_undo(db->group);
    db->is_commit_noted = 0;
    section_end(db);
}

int
db_begin_write(struct db *db, struct sr_err *err)
{
    if (db->group != NULL) {
        return section_begin(db, err);
    }
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
    if (db->active != NULL) {
        return section_commit(db, err);
    }
    int rc = SR_OK;
    if (db->last_write != NULL) {
        db_last_write_fn *fn = db->last_write;
        db->last_write = NULL;
        rc = fn(db, db->last_write_ctx, err);
    }
    if (rc == SR_OK) {
        rc = run_fixed(db, ST_COMMIT, err);
    }
    if (rc == SR_OK && db->is_commit_noted) {
        db->is_commit_noted = 0;
        if (db->on_commit != NULL) {
            db->on_commit(db, db->on_commit_ctx);
        }
    }
    db->memo_len = 0;
    return rc;
}

void
db_rollback(struct db *db)
{
    if (db->active != NULL) {
        section_rollback(db);
        return;
    }
    db->is_commit_noted = 0;
    if (db_in_transaction(db)) {
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

void
db_memo_put(struct db *db, const void *p, size_t len)
{
    assert(db != NULL && len <= DB_MEMO_BYTES && (len == 0 || p != NULL));
    struct db *w = live(db);
    if (len > 0) {
        memcpy(w->memo, p, len);
    }
    w->memo_len = len;
}

int
db_memo_get(struct db *db, void *out, size_t len)
{
    assert(db != NULL && out != NULL);
    const struct db *w = live(db);
    if (len == 0 || w->memo_len != len) {
        return 0;
    }
    memcpy(out, w->memo, len);
    return 1;
}

void
db_before_commit(struct db *db, db_last_write_fn *fn, const void *ctx)
{
    assert(db != NULL);
    struct db *w = live(db);
    w->last_write = fn;
    w->last_write_ctx = ctx;
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

/* A number bound as text on PostgreSQL (its type comes from the column). */
static void pg_bind_number(struct db_stmt *s, int i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pg_bind_number(struct db_stmt *s, int i, const char *fmt, ...)
{
    char text[40];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    pg_bind(s->pg, i, text, (size_t)n, 0);
}

void
db_bind_i64(struct db_stmt *s, int i, int64_t v)
{
    if (s->pg != NULL) {
        pg_bind_number(s, i, "%lld", (long long)v);
        return;
    }
    sqlite3_bind_int64(s->lite, i, v);
}

void
db_bind_int(struct db_stmt *s, int i, int v)
{
    db_bind_i64(s, i, v);
}

void
db_bind_double(struct db_stmt *s, int i, double v)
{
    if (s->pg != NULL) {
        pg_bind_number(s, i, "%.17g", v);
        return;
    }
    sqlite3_bind_double(s->lite, i, v);
}

void
db_bind_null(struct db_stmt *s, int i)
{
    if (s->pg != NULL) {
        pg_bind(s->pg, i, NULL, 0, 0);
        return;
    }
    sqlite3_bind_null(s->lite, i);
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
    db_bind_textn(s, i, text, text != NULL ? strlen(text) : 0);
}

void
db_bind_textn(struct db_stmt *s, int i, const char *text, size_t len)
{
    if (s->pg != NULL) {
        pg_bind(s->pg, i, text, len, 0);
        return;
    }
    sqlite3_bind_text64(s->lite, i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void
db_bind_blob(struct db_stmt *s, int i, const void *p, size_t len)
{
    if (s->pg != NULL) {
        pg_bind(s->pg, i, p, len, 1);
        return;
    }
    sqlite3_bind_blob64(s->lite, i, p, len, SQLITE_TRANSIENT);
}

void
db_bind_text_static(struct db_stmt *s, int i, const char *text)
{
    if (s->pg != NULL) {
        db_bind_text(s, i, text);
        return;
    }
    sqlite3_bind_text(s->lite, i, text, -1, SQLITE_STATIC);
}

void
db_bind_blob_static(struct db_stmt *s, int i, const void *p, size_t len)
{
    if (s->pg != NULL) {
        db_bind_blob(s, i, p, len);
        return;
    }
    sqlite3_bind_blob64(s->lite, i, p, len, SQLITE_STATIC);
}

int64_t
db_col_i64(struct db_stmt *s, int i)
{
    return s->pg != NULL ? pg_col_i64(s->pg, i)
                         : sqlite3_column_int64(s->lite, i);
}

int
db_col_int(struct db_stmt *s, int i)
{
    return s->pg != NULL ? (int)pg_col_i64(s->pg, i)
                         : sqlite3_column_int(s->lite, i);
}

double
db_col_double(struct db_stmt *s, int i)
{
    return s->pg != NULL ? pg_col_double(s->pg, i)
                         : sqlite3_column_double(s->lite, i);
}

int
db_col_is_null(struct db_stmt *s, int i)
{
    return s->pg != NULL ? pg_col_is_null(s->pg, i)
                         : sqlite3_column_type(s->lite, i) == SQLITE_NULL;
}

const char *
db_col_text(struct db_stmt *s, int i)
{
    const char *t = db_col_text_or_null(s, i);
    return t ? t : "";
}

const char *
db_col_text_or_null(struct db_stmt *s, int i)
{
    return s->pg != NULL ? pg_col_text(s->pg, i)
                         : (const char *)sqlite3_column_text(s->lite, i);
}

const void *
db_col_blob(struct db_stmt *s, int i)
{
    size_t len;
    return s->pg != NULL ? pg_col_blob(s->pg, i, &len)
                         : sqlite3_column_blob(s->lite, i);
}

size_t
db_col_bytes(struct db_stmt *s, int i)
{
    size_t len = 0;
    if (s->pg != NULL) {
        (void)pg_col_blob(s->pg, i, &len);
        return len;
    }
    return (size_t)sqlite3_column_bytes(s->lite, i);
}

/* Read a one-row, one-column pragma as text into out. */
static int
pragma_text(struct db *db, enum store_stmt which, char *out, size_t size)
{
    struct db_stmt *s = db_stmt(db, &store_sql[which]);
    int rc = sqlite3_step(s->lite);
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

/* The schema version of a PostgreSQL store: 0 when it has no SIREN
 * tables, -1 when it cannot be read. */
static int
pg_version(struct db *db)
{
    /* fixed text */
    long long has =
        pg_query_number(db->pg, "SELECT count(*) FROM pg_catalog.pg_tables"
                                " WHERE schemaname = current_schema()"
                                " AND tablename = 'siren_schema'");
    if (has <= 0) {
        return (int)has;
    }
    return (int)pg_query_number(
        db->pg, "SELECT coalesce(max(version), 0) FROM siren_schema");
}

/* Apply the PostgreSQL migrations above version from, each in its own
 * transaction under the write lock. */
static int
pg_migrate(struct db *db, int from, struct sr_err *err)
{
    int n;
    const struct sr_asset **list = pg_migrations(&n);
    int reached = from;
    for (int i = 0; i < n; i++) {
        int ver = pg_migration_version(list[i]);
        if (ver <= from) {
            continue;
        }
        reached = ver;
        char mark[96];
        snprintf(mark, sizeof mark,
                 "INSERT INTO siren_schema(version) VALUES (%d)", ver);
        /* migration text and the version number are ours, not input */
        int rc = run_fixed(db, ST_BEGIN_IMM, err);
        if (rc == SR_OK) {
            rc = pg_exec(db->pg, (const char *)list[i]->data, err);
        }
        if (rc == SR_OK) {
            /* mark: fixed text and the migration's own number */
            rc = pg_exec(db->pg, mark, err);
        }
        if (rc == SR_OK) {
            rc = run_fixed(db, ST_COMMIT, err);
        }
        if (rc != SR_OK) {
            db_rollback(db);
            return sr_err_set(err, SR_EDB, "migration '%s' failed: %s",
                              list[i]->name, pg_message(db->pg));
        }
    }
    if (reached != db_schema_version()) {
        /* each SQLite migration needs its db/pg/ form */
        return sr_err_set(err, SR_EDB,
                          "this siren has no PostgreSQL migration to "
                          "schema version %d",
                          db_schema_version());
    }
    return SR_OK;
}

/*
 * The end of db_open() on either store, at schema version ver: refuse a
 * schema newer than this binary's; bring an older one up with DB_MIGRATE,
 * DB_CREATE or DB_MEMORY, or refuse it; then hand db over (rc SR_OK) or
 * close it.
 */
static int
open_at_version(struct db *db, int rc, int ver, int flags, struct db **out,
                struct sr_err *err)
{
    if (rc == SR_OK && ver > db_schema_version()) {
        rc = sr_err_set(err, SR_EINVAL,
                        "database schema version %d is newer than this "
                        "siren (%d); upgrade siren",
                        ver, db_schema_version());
    }
    if (rc == SR_OK && ver < db_schema_version()) {
        if (flags & (DB_MIGRATE | DB_CREATE | DB_MEMORY)) {
            rc = db->pg != NULL ? pg_migrate(db, ver, err)
                                : migrate(db, ver, err);
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

/* db_open() for a PostgreSQL address. */
static int
pg_open(const char *url, int flags, struct db **out, struct sr_err *err)
{
    if (flags & DB_MEMORY) {
        return sr_err_set(err, SR_EINVAL,
                          "store: no memory database on PostgreSQL");
    }
    struct db *db = sr_xcalloc(1, sizeof *db);
    int rc = pg_connect(url, &db->pg, err);
    /* text sorts by its bytes and is UTF-8, as in SQLite, so both stores
     * list and compare alike (fixed text) */
    if (rc == SR_OK &&
        pg_query_number(db->pg,
                        "SELECT count(*) FROM pg_catalog.pg_database"
                        " WHERE datname = current_database()"
                        "   AND datcollate IN ('C', 'POSIX')"
                        "   AND pg_encoding_to_char(encoding) = 'UTF8'") != 1) {
        rc = sr_err_set(err, SR_EINVAL,
                        "store: the database must sort text by bytes and "
                        "hold UTF-8: make it with CREATE DATABASE name "
                        "TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'");
    }
    int ver = rc == SR_OK ? pg_version(db) : 0;
    if (rc == SR_OK && ver < 0) {
        rc = db_error(db, err, "cannot read schema version");
    }
    if (rc == SR_OK && (flags & DB_CREATE) && ver > 0) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "store: the database already holds a SIREN workspace");
    }
    if (rc == SR_OK && (flags & DB_CREATE) && ver == 0) {
        struct db_stmt *s = db_stmt(db, &store_sql[ST_ANY_TABLE]);
        int is_empty = db_step(s) == DB_ROW && db_col_i64(s, 0) == 0;
        db_done(s);
        if (!is_empty) {
            rc = sr_err_set(err, SR_ECONFLICT,
                            "store: the database is not empty; SIREN "
                            "makes its tables in an empty one");
        }
    }
    if (rc == SR_OK && !(flags & DB_CREATE) && ver == 0) {
        rc = sr_err_set(err, SR_ENOTFOUND,
                        "store: the database holds no SIREN workspace");
    }
    return open_at_version(db, rc, ver, flags, out, err);
}

int
db_open(const char *path, int flags, struct db **out, struct sr_err *err)
{
    assert(out != NULL);
    if (pg_is_url(path)) {
        return pg_open(path, flags, out, err);
    }
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
    return open_at_version(db, rc, ver, flags, out, err);
}

int
db_tune_bulk(struct db *db, struct sr_err *err)
{
    db = live(db);
    assert(db != NULL);
    if (db->pg != NULL) {
        return SR_OK; /* the server's own settings serve a bulk load */
    }
    /* constant text (bulk_pragmas above) */
    if (sqlite3_exec(db->h, bulk_pragmas, NULL, NULL, NULL) != SQLITE_OK) {
        return db_error(db, err, "cannot configure database for a bulk load");
    }
    return SR_OK;
}

int
db_tune_server(struct db *db, struct sr_err *err)
{
    assert(db != NULL);
    if (db->pg != NULL) {
        return SR_OK;
    }
    /* constant text */
    if (sqlite3_exec(db->h, "PRAGMA mmap_size=0", NULL, NULL, NULL) !=
        SQLITE_OK) {
        return db_error(db, err, "cannot configure database");
    }
    return SR_OK;
}

int
db_indexes_set_aside(struct db *db, const char *table, struct sr_buf *saved,
                     struct sr_err *err)
{
    db = live(db);
    assert(db != NULL && table != NULL && saved != NULL);
    if (db->pg != NULL) {
        return SR_OK; /* indexes stay: saved remains empty */
    }
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
    db = live(db);
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
        finalize(&db->slots[i].stmt);
    }
    if (db->h != NULL) {
        sqlite3_close(db->h);
    }
    pg_disconnect(db->pg);
    free(db);
}

int
db_backup_to(struct db *db, const char *path, struct sr_err *err)
{
    assert(db != NULL && path != NULL);
    if (db->pg != NULL) {
        return sr_err_set(err, SR_EINVAL,
                          "backup: a PostgreSQL store is backed up by the "
                          "database server (pg_dump or its replicas)");
    }
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
    if (db->pg != NULL) {
        return pg_query_number(db->pg, "SELECT 1") == 1
                   ? SR_OK
                   : db_error(db, err, "cannot reach the database");
    }
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
    if (db->pg != NULL) {
        *out_is_done = 1; /* the server keeps its own log */
        return SR_OK;
    }
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
    if (db->pg != NULL) {
        return pg_query_number(db->pg, "SELECT 1") == 1
                   ? SR_OK
                   : db_error(db, err, "cannot reach the database");
    }
    char res[256];
    if (pragma_text(db, ST_INTEGRITY, res, sizeof res) != SR_OK) {
        return db_error(db, err, "integrity check failed");
    }
    if (strcmp(res, "ok") != 0) {
        return sr_err_set(err, SR_EDB, "integrity check: %s", res);
    }
    return SR_OK;
}

int
db_col_count(struct db_stmt *s)
{
    return s->pg != NULL ? pg_col_count(s->pg) : sqlite3_column_count(s->lite);
}

enum db_type
db_col_type(struct db_stmt *s, int i)
{
    if (s->pg != NULL) {
        static const enum db_type as_db[] = {
            [PG_T_NULL] = DB_T_NULL,   [PG_T_INT] = DB_T_INT,
            [PG_T_FLOAT] = DB_T_FLOAT, [PG_T_TEXT] = DB_T_TEXT,
            [PG_T_BLOB] = DB_T_BLOB,
        };
        return as_db[pg_col_type(s->pg, i)];
    }
    switch (sqlite3_column_type(s->lite, i)) {
    case SQLITE_INTEGER:
        return DB_T_INT;
    case SQLITE_FLOAT:
        return DB_T_FLOAT;
    case SQLITE_TEXT:
        return DB_T_TEXT;
    case SQLITE_BLOB:
        return DB_T_BLOB;
    default:
        return DB_T_NULL;
    }
}

struct db_stmt *
db_prepare(struct db *db, const char *sql, struct sr_err *err)
{
    db = live(db);
    struct db_stmt *s = sr_xcalloc(1, sizeof *s);
    if (prepare(db, sql, s, err) != SR_OK) {
        free(s);
        return NULL;
    }
    return s;
}

void
db_stmt_free(struct db_stmt *s)
{
    if (s != NULL) {
        finalize(s);
    }
    free(s);
}

void
db_quote_name(struct sr_buf *b, const char *name)
{
    sr_buf_adds(b, "\"");
    for (const char *p = name; *p != '\0'; p++) {
        sr_buf_add(b, p, 1);
        if (*p == '"') {
            sr_buf_add(b, p, 1);
        }
    }
    sr_buf_adds(b, "\"");
}

/* A table and the tables it refers to, for db_tables(). */
struct table_node {
    char *name;
    char **refs;
    size_t n_refs, refs_cap;
    int is_placed;
};

static int
table_index(const struct table_node *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Whether every table t[i] refers to (itself aside) is placed. */
static int
refs_placed(const struct table_node *t, size_t n, size_t i)
{
    for (size_t r = 0; r < t[i].n_refs; r++) {
        int k = table_index(t, n, t[i].refs[r]);
        if (k >= 0 && (size_t)k != i && !t[k].is_placed) {
            return 0;
        }
    }
    return 1;
}

int
db_tables(struct db *db, char ***out_names, size_t *n_out, struct sr_err *err)
{
    db = live(db);
    struct table_node *t = NULL;
    size_t n = 0, cap = 0;
    struct db_stmt *s = db_stmt(db, &store_sql[ST_TABLES]);
    int step;
    while ((step = db_step(s)) == DB_ROW) {
        t = sr_xgrow(t, n, &cap, sizeof *t);
        t[n++] = (struct table_node){ .name = sr_xstrdup(db_col_text(s, 0)) };
    }
    int rc = db_end(db, s, step, "cannot list the tables", err);
    s = db_stmt(db, &store_sql[ST_TABLE_REFS]);
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        int i = table_index(t, n, db_col_text(s, 0));
        if (i >= 0) {
            t[i].refs = sr_xgrow(t[i].refs, t[i].n_refs, &t[i].refs_cap,
                                 sizeof *t[i].refs);
            t[i].refs[t[i].n_refs++] = sr_xstrdup(db_col_text(s, 1));
        }
    }
    if (rc == SR_OK) {
        rc = db_end(db, s, step, "cannot read the tables' references", err);
    }
    char **names = sr_xcalloc(n + 1, sizeof *names);
    size_t n_placed = 0;
    /* each pass places the tables whose references are placed, by name */
    for (int moved = 1; rc == SR_OK && moved && n_placed < n;) {
        moved = 0;
        for (size_t i = 0; i < n; i++) {
            if (!t[i].is_placed && refs_placed(t, n, i)) {
                t[i].is_placed = 1;
                names[n_placed++] = sr_xstrdup(t[i].name);
                moved = 1;
            }
        }
    }
    if (rc == SR_OK && n_placed < n) {
        rc = sr_err_set(err, SR_EDB,
                        "the tables refer to each other in a "
                        "circle");
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t r = 0; r < t[i].n_refs; r++) {
            free(t[i].refs[r]);
        }
        free(t[i].refs);
        free(t[i].name);
    }
    free(t);
    if (rc != SR_OK) {
        for (size_t i = 0; i < n_placed; i++) {
            free(names[i]);
        }
        free(names);
        return rc;
    }
    *out_names = names;
    *n_out = n_placed;
    return SR_OK;
}

int
db_ids_resume(struct db *db, struct sr_err *err)
{
    db = live(db);
    struct db_stmt *s = db_stmt(db, &store_sql[ST_IDENTITIES]);
    struct sr_buf sql, table;
    sr_buf_init(&sql, 0);
    sr_buf_init(&table, 0);
    int rc = SR_OK, step;
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        /* names from the catalog, quoted; the sequence found by name */
        sr_buf_reset(&table);
        db_quote_name(&table, db_col_text(s, 0));
        sr_buf_reset(&sql);
        sr_buf_adds(&sql, "SELECT setval(pg_get_serial_sequence(?1, ?2),"
                          " (SELECT coalesce(max(");
        db_quote_name(&sql, db_col_text(s, 1));
        sr_buf_printf(&sql, "), 0) + 1 FROM %s), false)", table.data);
        struct db_stmt *set = db_prepare(db, sql.data, err);
        if (set == NULL) {
            rc = SR_EDB;
            break;
        }
        db_bind_text(set, 1, table.data);
        db_bind_text(set, 2, db_col_text(s, 1));
        rc = db_exec_stmt(db, set, err);
        db_stmt_free(set);
    }
    if (rc == SR_OK) {
        rc = db_end(db, s, step, "cannot resume the id counters", err);
    } else {
        db_done(s);
    }
    sr_buf_release(&sql);
    sr_buf_release(&table);
    return rc;
}

int
db_columns(struct db *db, const char *table, char ***out_names, size_t *n_out,
           struct sr_err *err)
{
    db = live(db);
    struct db_stmt *s = db_stmt(db, &store_sql[ST_COLUMNS]);
    db_bind_text(s, 1, table);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = db_step(s)) == DB_ROW) {
        names = sr_xgrow(names, n, &cap, sizeof *names);
        names[n++] = sr_xstrdup(db_col_text(s, 0));
    }
    int rc = db_end(db, s, step, "cannot list a table's columns", err);
    if (rc == SR_OK && n == 0) {
        rc = sr_err_set(err, SR_EDB, "no table '%s'", table);
    }
    if (rc != SR_OK) {
        db_names_free(names, n);
        return rc;
    }
    *out_names = names;
    *n_out = n;
    return SR_OK;
}

void
db_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}
