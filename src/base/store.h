/*
 * store.h - SIREN's database layer (SQLite): connections with the required
 * pragmas, migrations compiled into the binary, a per-connection statement
 * cache, and write transactions.
 *
 * A struct db is one connection. It is not thread-safe: each thread (each
 * HTTP worker) uses its own.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STORE_H
#define SR_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

struct db;

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
 * Inside a write transaction (SR_BUG otherwise): drop table's own indexes
 * (CREATE INDEX ones; those of its UNIQUE and PRIMARY KEY constraints
 * stay) and append their stored CREATE statements to saved, for
 * db_indexes_restore() before the commit. A rollback puts them back.
 * SR_OK, SR_EDB, SR_ENOMEM or SR_ETOOBIG (saved's cap).
 */
int db_indexes_set_aside(struct db *db, const char *table, struct sr_buf *saved,
                         struct sr_err *err);

/* Run the statements db_indexes_set_aside() saved. SR_OK or SR_EDB. */
int db_indexes_restore(struct db *db, const struct sr_buf *saved,
                       struct sr_err *err);

/* Close the connection and free its cached statements; NULL is a no-op. */
void db_close(struct db *db);

/* The raw handle, for modules' statement execution. Borrowed. */
sqlite3 *db_handle(struct db *db);

/* Schema version of this binary (number of embedded migrations). */
int db_schema_version(void);

/*
 * The prepared statement for *sqlp, preparing it on first use (the pointer
 * to the module's sql-array slot is the cache key). Borrowed: return it with
 * db_done(). SR_BUG on a statement that does not compile.
 */
sqlite3_stmt *db_stmt(struct db *db, const char *const *sqlp);

/* Reset stmt and clear its bindings. */
void db_done(sqlite3_stmt *stmt);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return SR_OK or SR_EDB. */
int db_begin_write(struct db *db, struct sr_err *err);
int db_begin_read(struct db *db, struct sr_err *err);
int db_commit(struct db *db, struct sr_err *err);
void db_rollback(struct db *db);

/* Run a step that must finish the statement (SQLITE_DONE); SR_EDB (with
 * SQLite's message, which carries no bound values) or SR_ECONFLICT on a
 * constraint violation otherwise. Resets stmt. */
int db_exec_stmt(struct db *db, sqlite3_stmt *stmt, struct sr_err *err);

/* Record the SQLite error of db in err and return SR_EDB. */
int db_error(struct db *db, struct sr_err *err, const char *what);

/* PRAGMA integrity_check: SR_OK if "ok". */
int db_integrity_check(struct db *db, struct sr_err *err);

/* Bind helpers: text with SQLITE_TRANSIENT; blob likewise. */
void db_bind_text(sqlite3_stmt *s, int i, const char *text);
void db_bind_blob(sqlite3_stmt *s, int i, const void *p, size_t len);

/* The same without a copy, for hot loops: text or p must stay unchanged
 * until the statement is reset (db_done(), db_exec_stmt()). */
void db_bind_text_static(sqlite3_stmt *s, int i, const char *text);
void db_bind_blob_static(sqlite3_stmt *s, int i, const void *p, size_t len);

/* Column text as a non-NULL C string (borrowed until the next step). */
const char *db_col_text(sqlite3_stmt *s, int i);

#endif
