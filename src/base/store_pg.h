/*
 * store_pg.h - the PostgreSQL side of the store (libpq), used by store.c
 * only: a connection, its prepared statements, bound parameters and the
 * rows of a result. Module code never sees it; it goes through store.h.
 *
 * Statements are written for SQLite with ? and ?NNN parameters; they are
 * rewritten to $N once, when prepared. Parameters are sent as text (blobs
 * as binary) with their types left to the server, which takes them from
 * the columns they meet. Results are read as text and converted the way
 * SQLite's column functions convert (NULL reads as 0 or "").
 *
 * Inside a transaction every statement runs under a savepoint, so that a
 * failed statement (a constraint the caller handles, such as a code
 * already taken) leaves the transaction usable, as it does on SQLite.
 *
 * A connection found broken (the server stopped or crashed, SQLSTATE
 * class 08 or 57P0x) fails what was in flight with SR_EDB / -1 and is
 * opened again with the same address at its next use outside a
 * transaction; with a multi-host address and target_session_attrs=
 * read-write that is whichever server is the primary then. A transaction
 * it cut short fails every statement and COMMIT until its ROLLBACK:
 * nothing is sent again on its own (a COMMIT in flight may or may not
 * have been applied). Statements are prepared again on the new
 * connection when they next run.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STORE_PG_H
#define SR_STORE_PG_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct pg;
struct pg_stmt;

/*
 * Whether target names a PostgreSQL database (postgresql:// or
 * postgres://) rather than a file.
 */
int pg_is_url(const char *target);

/*
 * Connect to url. A password written in the url is refused (SR_EINVAL):
 * it comes from PGPASSWORD, PGPASSFILE or ~/.pgpass, which libpq reads.
 * SR_OK, SR_EINVAL or SR_EDB (the server's message, without the url).
 */
int pg_connect(const char *url, struct pg **out, struct sr_err *err);

/* Close the connection and free its statements; NULL is a no-op. */
void pg_disconnect(struct pg *c);

/* The last error's primary message: no detail (details carry values),
 * and for a value the server could not take (SQLSTATE class 22, whose
 * messages quote it) only the SQLSTATE. */
const char *pg_message(const struct pg *c);

/* Run fixed SQL (a migration, BEGIN, COMMIT) that returns no rows we read.
 * sql is text written in the code or an embedded migration, never built
 * from input (it is not a prepared statement: no parameters). SR_OK or
 * SR_EDB with the message. */
int pg_exec(struct pg *c, const char *sql, struct sr_err *err);

/* Prepare sql (SQLite parameter style) on c. NULL if it does not
 * compile (the message in pg_message()); while no server can be reached
 * it is prepared at its first run instead. */
struct pg_stmt *pg_prepare(struct pg *c, const char *sql);
void pg_stmt_free(struct pg_stmt *s);

/* Forget the result and the bindings of s (not NULL). */
void pg_reset(struct pg_stmt *s);

/* Bind parameter i (from 1): a copy of len bytes; is_binary for a blob;
 * p NULL binds SQL NULL. */
void pg_bind(struct pg_stmt *s, int i, const void *p, size_t len,
             int is_binary);

/* Run the statement on the first call, then move to the next row:
 * 1 a row, 0 done, -1 failed (pg_message(); *is_constraint set when the
 * server refused a constraint, SQLSTATE class 23). */
int pg_step(struct pg_stmt *s, int *is_constraint);

/* Let read s stream its rows from its next run on (store.h, db_stream);
 * a statement that writes is not changed. */
void pg_stream(struct pg_stmt *s);

/* What a column's value is, as the store tells its callers. */
enum pg_type { PG_T_NULL, PG_T_INT, PG_T_FLOAT, PG_T_TEXT, PG_T_BLOB };

/* The number of columns of the result, and the type of column i's value
 * in the current row. */
int pg_col_count(struct pg_stmt *s);
enum pg_type pg_col_type(struct pg_stmt *s, int i);

/* Columns of the current row (from 0). */
int pg_col_is_null(struct pg_stmt *s, int i);
const char *pg_col_text(struct pg_stmt *s, int i);
int64_t pg_col_i64(struct pg_stmt *s, int i);
double pg_col_double(struct pg_stmt *s, int i);
const void *pg_col_blob(struct pg_stmt *s, int i, size_t *len);

/* Rows changed by the last statement of c; the id its last INSERT made
 * (the session's last sequence value; 0 when none). */
int64_t pg_changes(struct pg *c);
int64_t pg_last_id(struct pg *c);

/* Whether a transaction is open on c; whether it has failed (only a
 * rollback is left), a transaction the connection's loss cut short
 * included. */
int pg_in_transaction(struct pg *c);
int pg_tx_failed(struct pg *c);

/* The first column of fixed SQL's first row as a number (schema
 * version, a count), or -1 when the statement fails. sql is text written
 * in the code, never built from input. */
long long pg_query_number(struct pg *c, const char *sql);

#endif
