/*
 * store.h - SIREN's database layer: connections with the required pragmas,
 * migrations compiled into the binary, a per-connection statement cache,
 * write transactions, and the one statement API through which every module
 * binds, steps and reads its statements.
 *
 * Only store.c talks to the database library (make lint checks it): a
 * module prepares a statement by the address of its slot in the module's
 * *_sql[] array (db_stmt), binds with db_bind_*(), steps with db_step()
 * and reads columns with db_col_*(), then hands it back with db_done().
 * Column and parameter numbers are as in the SQL (parameters from 1,
 * columns from 0). A second backend fits beneath this header without a
 * module changing.
 *
 * A struct db is one connection. It is not thread-safe: each thread (each
 * HTTP worker) uses its own; a statement belongs to its connection.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

struct db;

/*
 * Where an entry of a module's *_sql[] array must differ between the two
 * stores, both forms stand in the entry, SQLite's first:
 *     "SELECT group_concat(code, ',') ..." DB_PG "SELECT string_agg(...)"
 * Each store prepares its own form.
 */
#define DB_PG "\n--postgresql\n"

/*
 * The two forms of a common difference: the values of col over the rows
 * of rest ("FROM ... WHERE ..."), sorted and joined by commas, or '' when
 * there are none. SQLite's group_concat() over a sorted subquery, and
 * PostgreSQL's string_agg() with its own ORDER BY.
 */
#define DB_SORTED_LIST(col, rest)                                           \
    "coalesce((SELECT group_concat(v, ',') FROM (SELECT " col " AS v " rest \
    " ORDER BY 1) AS sorted), '')"
#define DB_SORTED_LIST_PG(col, rest) \
    "coalesce((SELECT string_agg(" col ", ',' ORDER BY " col ") " rest "), '')"

/*
 * The two forms of a list given in one parameter: col is one of the ids
 * in ?1, the ids joined by commas ("4,9,12"), which SQLite reads as a
 * JSON array and PostgreSQL as an array of bigint. One statement for a
 * list instead of one for each id (a round trip each on PostgreSQL).
 */
#define DB_IN_ID_LIST(col) \
    col " IN (SELECT value FROM json_each('[' || ?1 || ']'))"
#define DB_IN_ID_LIST_PG(col) \
    col " = ANY(CAST(string_to_array(?1, ',') AS bigint[]))"

/* A prepared statement of a connection; opaque. */
struct db_stmt;

/* What db_step() returns. */
enum db_step_result {
    DB_FAIL = -1, /* an error: the connection's message via db_error() */
    DB_DONE = 0,  /* the statement has finished */
    DB_ROW = 1    /* a row is ready for db_col_*() */
};

enum db_open_flags {
    DB_CREATE = 1,  /* make a new database file (refuse if it exists) */
    DB_MIGRATE = 2, /* apply pending migrations */
    DB_MEMORY = 4   /* path is ignored; an in-memory database (tests) */
};

/*
 * Open the database at path. Every connection gets foreign_keys=ON,
 * synchronous=FULL, busy_timeout, trusted_schema=OFF, secure_delete=ON.
 * With DB_CREATE the file must not exist and is put in WAL mode; without
 * it the file must exist and already be in WAL mode, or SR_EINVAL. A
 * database whose schema is newer than this binary's is refused (SR_EINVAL)
 * before anything is written. Migrations are applied only with DB_MIGRATE
 * (or DB_CREATE); without it, pending migrations are an error.
 * On success *out is the caller's; close with db_close().
 */
int db_open(const char *path, int flags, struct db **out, struct sr_err *err);

/*
 * Settings for a connection about to write many rows (a bulk import): a
 * page cache large enough for the indexes it updates at random places
 * (cache_size), reads of the file through a memory map (mmap_size), and
 * fewer, larger WAL checkpoints (wal_autocheckpoint). synchronous=FULL
 * and WAL are kept. For this connection only; harmless on a memory
 * database. SR_OK or SR_EDB.
 */
int db_tune_bulk(struct db *db, struct sr_err *err);

/*
 * Settings for a connection of a server's threads, which read while
 * other connections commit: no memory map (mmap_size=0). SQLite drops a
 * connection's map at each read transaction after another connection's
 * commit and maps the file again, and each unmap stops every thread of
 * the process; with writes going on that cost more than the map saves
 * (bench/http-write). For this connection only; harmless on PostgreSQL.
 * SR_OK or SR_EDB.
 */
int db_tune_server(struct db *db, struct sr_err *err);

/*
 * Inside a write transaction (SR_BUG otherwise): drop table's own indexes
 * (CREATE INDEX ones; those of its UNIQUE and PRIMARY KEY constraints
 * stay) and append their stored CREATE statements to saved, for
 * db_indexes_restore() before the commit. A rollback puts them back.
 * On PostgreSQL it does nothing (the indexes stay and saved stays empty).
 * SR_OK, SR_EDB, SR_ENOMEM or SR_ETOOBIG (saved's cap).
 */
int db_indexes_set_aside(struct db *db, const char *table, struct sr_buf *saved,
                         struct sr_err *err);

/* Run the statements db_indexes_set_aside() saved. SR_OK or SR_EDB. */
int db_indexes_restore(struct db *db, const struct sr_buf *saved,
                       struct sr_err *err);

/* Close the connection and free its cached statements; NULL is a no-op. */
void db_close(struct db *db);

/*
 * The library's own handle, for tests that inspect or tamper with the
 * file (make lint refuses it anywhere in src/ but store.c). Borrowed.
 */
struct sqlite3;
struct sqlite3 *db_handle(struct db *db);

/* Whether target is a database server's address (postgresql://...)
 * rather than a file's path. */
int db_is_server_address(const char *target);

/* Whether db is a PostgreSQL store (else SQLite). */
int db_is_postgresql(const struct db *db);

/* Schema version of this binary (number of embedded migrations). */
int db_schema_version(void);

/*
 * The prepared statement for *sqlp, preparing it on first use (the pointer
 * to the module's sql-array slot is the cache key). Borrowed: return it with
 * db_done(). SR_BUG on a statement that does not compile.
 */
struct db_stmt *db_stmt(struct db *db, const char *const *sqlp);

/* Reset stmt and clear its bindings; NULL is a no-op. */
void db_done(struct db_stmt *stmt);

/*
 * Mark stmt, a read over many rows (a whole table, the audit chain), to
 * hold one row at a time: on PostgreSQL its rows then come from the
 * server one by one (libpq's single-row mode) rather than as one result
 * in memory; SQLite always steps row by row. Costs more per row (about
 * 8 us on PostgreSQL), so pages' reads are not marked. Stays marked.
 */
void db_stream(struct db_stmt *stmt);

/* Run stmt to its next row: DB_ROW, DB_DONE or DB_FAIL. */
int db_step(struct db_stmt *stmt);

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);

/* The id of the row the connection's last INSERT made. */
int64_t db_last_id(struct db *db);

/* Whether a transaction is open on the connection. */
int db_in_transaction(struct db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return SR_OK or SR_EDB. */
int db_begin_write(struct db *db, struct sr_err *err);
/* After the checks of a write that gave rc: db_begin_write() when rc is
 * SR_OK, else rc with nothing begun (db_finish() is the other end). */
int db_begin_after(struct db *db, int rc, struct sr_err *err);
int db_begin_read(struct db *db, struct sr_err *err);
int db_commit(struct db *db, struct sr_err *err);
void db_rollback(struct db *db);

/*
 * Group commit, for a server's threads: each thread keeps its own
 * connection for reading, and the connections that joined a group write
 * through its one writing connection. A write (db_begin_write() to
 * db_commit() or db_rollback()) waits its turn, runs under a savepoint of
 * the writer's open transaction, and the write that ends with no other
 * waiting commits them all at once; db_commit() of each returns only
 * after that commit, with its result. Statements fetched with db_stmt()
 * inside a write belong to the writer: use them only until the write
 * ends (make check would stop at SR_BUG otherwise).
 */
struct db_group;

/* A group writing through writer (an open connection; the group owns it
 * from now and closes it in db_group_free()). SR_OK or SR_ENOMEM. */
int db_group_new(struct db *writer, struct db_group **out, struct sr_err *err);

/* db's writes go through g from now (outside a transaction). */
void db_group_join(struct db *db, struct db_group *g);

/* Free g and close its writer, once no thread uses it; NULL is a no-op. */
void db_group_free(struct db_group *g);

/* What a group has done: writes that ended well, the commits they took,
 * and the threads waiting for their turn now. */
struct db_group_figures {
    int64_t n_writes;
    int64_t n_commits;
    int n_queued;
};
void db_group_figures(struct db_group *g, struct db_group_figures *out);

/*
 * What to do after a commit that carried something noted with
 * db_commit_note(): fn(db, ctx) runs on the committing thread right after
 * db_commit() succeeded, outside any transaction (it may read and write
 * through db). One per connection; NULL fn removes it. The audit log
 * uses it to write its anchor file once per commit that appended rows.
 */
typedef void db_commit_fn(struct db *db, void *ctx);
void db_on_commit(struct db *db, db_commit_fn *fn, void *ctx);

/* Mark the open transaction: its commit runs the db_on_commit() function.
 * A rollback, or the next begin, clears the mark. */
void db_commit_note(struct db *db);

/*
 * A memo of the open write transaction, kept on the connection its
 * statements run on (the group's writer during a section): up to
 * DB_MEMO_BYTES bytes a module keeps there to spare itself a read. It is
 * forgotten when any of the transaction is rolled back (a section's
 * savepoint included), at the next begin, and after the commit once the
 * db_on_commit() function has run. The audit log keeps its chain's end
 * there. db_memo_get() copies a memo of len bytes into out and returns 1,
 * or returns 0 when none is kept; db_memo_put() with len 0 forgets it.
 */
#define DB_MEMO_BYTES 64
void db_memo_put(struct db *db, const void *p, size_t len);
int db_memo_get(struct db *db, void *out, size_t len);

/*
 * The open write transaction's last write: fn(db, ctx, err) runs once,
 * just before its commit (in a group, before the batch's commit), and its
 * failure fails the commit. Set again, it replaces the one set; the
 * transaction's rollback clears it. The audit log seals its chain's end
 * with it: once a commit, not once a row.
 */
typedef int db_last_write_fn(struct db *db, const void *ctx,
                             struct sr_err *err);
void db_before_commit(struct db *db, db_last_write_fn *fn, const void *ctx);

/*
 * End the write transaction a function began: commit when rc is SR_OK,
 * roll back otherwise (also when the commit fails). Returns rc, or the
 * commit's SR_EDB.
 */
int db_finish(struct db *db, int rc, struct sr_err *err);

/* Run a step that must finish the statement (DB_DONE); SR_EDB (with
 * SQLite's message, which carries no bound values) or SR_ECONFLICT on a
 * constraint violation otherwise. Resets stmt. */
int db_exec_stmt(struct db *db, struct db_stmt *stmt, struct sr_err *err);

/* Record the SQLite error of db in err and return SR_EDB. */
int db_error(struct db *db, struct sr_err *err, const char *what);

/*
 * What db_each() calls at each row of its statement: read the row's
 * columns (borrowed until the next step) and return 0 for the next row,
 * or non-zero to stop there (not an error).
 */
typedef int db_row_fn(struct db_stmt *s, void *ctx);

/*
 * The one row loop: step s (bound by the caller) and call on_row(s, ctx)
 * at each row until the statement finishes or on_row stops it, then
 * reset s (db_done). SR_OK, or SR_EDB as db_error(db, err, what) when a
 * step fails.
 */
int db_each(struct db *db, struct db_stmt *s, db_row_fn *on_row, void *ctx,
            const char *what, struct sr_err *err);

/*
 * End a statement stepped by hand: reset s (db_done) and return SR_OK
 * when the last step gave DB_ROW or DB_DONE, SR_EDB as db_error(db, err,
 * what) when it gave DB_FAIL.
 */
int db_end(struct db *db, struct db_stmt *s, int step, const char *what,
           struct sr_err *err);

/*
 * The one-row read: step s (bound by the caller) once and, when it gives
 * a row, call on_row(s, ctx) (its return value is not used), then reset
 * s (db_done). SR_OK when there was a row; SR_ENOTFOUND with the message
 * missing when there was none; SR_EDB as db_error(db, err, what) when the
 * step failed.
 */
int db_one(struct db *db, struct db_stmt *s, db_row_fn *on_row, void *ctx,
           const char *missing, const char *what, struct sr_err *err);

/*
 * Table meta, the database's own settings (workspace id, key check):
 * db_meta_put() sets key to the len bytes at p (SR_OK or SR_EDB);
 * db_meta_get() puts the value of key in out, replacing what out held:
 * SR_OK, SR_ENOTFOUND when key is not set, SR_ETOOBIG (out's cap) or
 * SR_EDB.
 */
int db_meta_put(struct db *db, const char *key, const void *p, size_t len,
                struct sr_err *err);
int db_meta_get(struct db *db, const char *key, struct sr_buf *out,
                struct sr_err *err);

/*
 * Copy the database of db, as one moment left it, into a new file at path
 * (made 0600; refused with SR_ECONFLICT if it exists) with SQLite's online
 * backup API: one read transaction, so writers on other connections go on
 * and none of their commits is half in the copy. The copy keeps WAL mode
 * and is closed when this returns. On failure path is removed. SR_OK,
 * SR_ECONFLICT, SR_EIO or SR_EDB.
 */
int db_backup_to(struct db *db, const char *path, struct sr_err *err);

/* PRAGMA quick_check (the integrity check without the index contents,
 * O(N) rather than O(N log N)): SR_OK if "ok", else SR_EDB with its first
 * line. */
int db_quick_check(struct db *db, struct sr_err *err);

/*
 * Checkpoint the WAL into the database and truncate it to zero bytes
 * (SQLITE_CHECKPOINT_TRUNCATE), waiting at most wait_ms for readers and
 * the writer to let go. *out_is_done is 1 when it ran to the end, 0 when
 * others kept it from finishing (not an error: try later). Outside a
 * transaction. SR_OK or SR_EDB.
 */
int db_checkpoint_truncate(struct db *db, int wait_ms, int *out_is_done,
                           struct sr_err *err);

/* PRAGMA integrity_check: SR_OK if "ok". */
int db_integrity_check(struct db *db, struct sr_err *err);

/* Bind parameter i (from 1). Text and blobs are copied; a NULL text or
 * blob pointer binds SQL NULL. */
void db_bind_i64(struct db_stmt *s, int i, int64_t v);
void db_bind_int(struct db_stmt *s, int i, int v);
void db_bind_double(struct db_stmt *s, int i, double v);
void db_bind_null(struct db_stmt *s, int i);
void db_bind_text(struct db_stmt *s, int i, const char *text);
/* len bytes of text (no terminator needed). */
void db_bind_textn(struct db_stmt *s, int i, const char *text, size_t len);
void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t len);
/* An id (a user, an organisation...) when id > 0, else SQL NULL ("none"). */
void db_bind_id(struct db_stmt *s, int i, int64_t id);

/* The same without a copy, for hot loops: text or p must stay unchanged
 * until the statement is reset (db_done(), db_exec_stmt()). */
void db_bind_text_static(struct db_stmt *s, int i, const char *text);
void db_bind_blob_static(struct db_stmt *s, int i, const void *p, size_t len);

/* Column i (from 0) of the current row. NULL reads as 0. */
int64_t db_col_i64(struct db_stmt *s, int i);
int db_col_int(struct db_stmt *s, int i);
double db_col_double(struct db_stmt *s, int i);
/* Whether column i is SQL NULL. */
int db_col_is_null(struct db_stmt *s, int i);
/* Column text as a non-NULL C string (borrowed until the next step). */
const char *db_col_text(struct db_stmt *s, int i);
/* Column text, or NULL for SQL NULL (borrowed until the next step). */
const char *db_col_text_or_null(struct db_stmt *s, int i);
/* Column blob (NULL when empty or SQL NULL) and its size in bytes; call
 * db_col_blob() before db_col_bytes() for the same column. */
const void *db_col_blob(struct db_stmt *s, int i);
size_t db_col_bytes(struct db_stmt *s, int i);

/* ---- whole tables, for moving a workspace between stores ---------------- */

/* What a column of the current row holds. */
enum db_type { DB_T_NULL, DB_T_INT, DB_T_FLOAT, DB_T_TEXT, DB_T_BLOB };

/* The number of columns of s's rows, and the type of column i's value in
 * the current row. */
int db_col_count(struct db_stmt *s);
enum db_type db_col_type(struct db_stmt *s, int i);

/*
 * The schema's tables (not the store's own bookkeeping), each after every
 * table it refers to: *out_names (n_out strings, free each and the array).
 * SR_OK or SR_EDB.
 */
int db_tables(struct db *db, char ***out_names, size_t *n_out,
              struct sr_err *err);

/* The columns of table in their order, as db_tables() gives names. */
int db_columns(struct db *db, const char *table, char ***out_names,
               size_t *n_out, struct sr_err *err);

/* Free n names of db_tables() or db_columns(). */
void db_names_free(char **names, size_t n);

/*
 * A statement built at run time from names the schema holds (never from
 * input), outside the cache: free it with db_stmt_free(). NULL with
 * SR_EDB in err when it does not compile.
 */
struct db_stmt *db_prepare(struct db *db, const char *sql, struct sr_err *err);
void db_stmt_free(struct db_stmt *s);

/* name quoted as an SQL identifier, appended to b. */
void db_quote_name(struct sr_buf *b, const char *name);

/*
 * After rows were written with their ids: each table's id counter
 * continues after its largest id (PostgreSQL's identity columns; SQLite
 * needs nothing). SR_OK or SR_EDB.
 */
int db_ids_resume(struct db *db, struct sr_err *err);

#endif
