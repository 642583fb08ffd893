/*
 * store_pg.c - PostgreSQL connections, statements and results through
 * libpq, for store.c. See store_pg.h.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/store_pg.h"

#include <assert.h>
#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/banned.h"

#define PG_OID_BYTEA  17
#define PG_OID_BOOL   16
#define PG_OID_TEXT   25
#define PG_MAX_PARAMS 256 /* far above the statements we have */

/*
 * A connection that breaks (the server stopped, a network failure, a
 * failover) is opened again, with the same address, at its next use
 * outside a transaction: libpq tries the hosts of a multi-host address in
 * order and, with target_session_attrs=read-write, keeps only a primary.
 * What was in flight fails; a transaction the break cut short fails every
 * statement until its ROLLBACK, and nothing is sent again on its own (a
 * COMMIT may or may not have been applied). Statements are prepared again
 * on the new connection at their next run.
 */
struct pg {
    PGconn *conn;
    char msg[256];    /* the last error's primary message */
    int64_t changes;  /* rows changed by the last statement */
    unsigned n_stmts; /* names s1, s2, ... */
    unsigned gen;     /* the connection's number: 1, +1 at each reopening */
    int is_broken;    /* found broken: opened again at its next use */
    int in_tx;        /* the caller's BEGIN ran; no COMMIT or ROLLBACK yet */
    int is_tx_lost;   /* it broke inside one: all fails until ROLLBACK */
    int is_ending;    /* the server said it ends the session (57P0x) */
    struct pg_stmt *streaming; /* a read whose rows still come one by one */
    int64_t last_id;           /* the id the last INSERT returned ... */
    int has_last_id;           /* ... when it was one that returns it */
};

/* What an INSERT says of the id of the row it adds (pg_last_id()). */
enum pg_id_kind {
    PG_ID_NONE,     /* not an INSERT, or its table has no id column */
    PG_ID_RETURNED, /* "RETURNING id" added: its run keeps the id */
    PG_ID_UNKNOWN,  /* not looked at (no server when it was prepared) */
};

struct pg_stmt {
    struct pg *c;
    char name[16];
    char *text;   /* in PostgreSQL's words, to prepare it again */
    Oid *types;   /* n_params parameter types (0: the server's choice) */
    unsigned gen; /* the connection it is prepared on; 0 none yet */
    int n_types;  /* the types sent (0 past PG_MAX_PARAMS) */
    int n_params;
    int is_read; /* a SELECT, VALUES or WITH ... SELECT */
    enum pg_id_kind id_kind;
    char **values; /* n_params bound values (NULL: SQL NULL) */
    int *lengths;
    int *formats;
    PGresult *res;    /* the result once run (streaming: its current
                         row's); NULL before */
    int row;          /* the current row; -1 before the first */
    int is_stream;    /* pg_stream(): a read that streams its rows */
    int is_streaming; /* c->streaming: rows come from the server */
    int is_ended;     /* a streamed read that has given its last row */
    PGresult **rest;  /* its rows taken in when the connection was
                         needed, one result each */
    size_t n_rest, i_rest;
    int rest_rc;           /* how the taken-in rows ended: 0, or -1 */
    unsigned char **blobs; /* decoded bytea of the current row, per column */
    size_t *blob_lens;
    int n_blobs;
};

int
pg_is_url(const char *target)
{
    return target != NULL && (strncmp(target, "postgresql://", 13) == 0 ||
                              strncmp(target, "postgres://", 11) == 0);
}

const char *
pg_message(const struct pg *c)
{
    return c->msg;
}

/* Keep the primary message of res (or of the connection) in c->msg, on
 * one line. */
static void
keep_message(struct pg *c, const PGresult *res)
{
    const char *m =
        res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (m == NULL) {
        m = PQerrorMessage(c->conn);
    }
    const char *state =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state != NULL && strncmp(state, "22", 2) == 0) {
        /* "invalid input syntax for type ...: \"<the value>\"": a bound
         * value must not reach a message or a log */
        snprintf(c->msg, sizeof c->msg,
                 "a value does not fit its column (SQLSTATE %.5s)", state);
        return;
    }
    snprintf(c->msg, sizeof c->msg, "%.*s", (int)strcspn(m, "\r\n"), m);
}

/* Put what in front of c's last message. */
static void
explain(struct pg *c, const char *what)
{
    char why[sizeof c->msg];
    memcpy(why, c->msg, sizeof why);
    snprintf(c->msg, sizeof c->msg, "%s: %.160s", what, why);
}

/* Whether the server has a transaction open on c (as libpq last saw). */
static int
tx_open(const struct pg *c)
{
    PGTransactionStatusType t = PQtransactionStatus(c->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Whether res (NULL: libpq made none) or c's state says the connection
 * is gone: libpq lost it, or the server ended the session (SQLSTATE class
 * 08, or 57P01-57P04: shut down, crashed, not accepting connections). */
static int
is_connection_error(const struct pg *c, const PGresult *res)
{
    if (PQstatus(c->conn) == CONNECTION_BAD || c->is_ending) {
        return 1;
    }
    const char *state =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL &&
           (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0);
}

/*
 * After each exchange with the server (res its result, kept by the
 * caller): note a connection found broken, and whether the caller's
 * transaction was open when it broke. 1 when c is broken.
 */
static int
after(struct pg *c, const PGresult *res)
{
    if (!c->is_broken && is_connection_error(c, res)) {
        c->is_broken = 1;
        c->is_tx_lost = c->in_tx;
        keep_message(c, res);
        explain(c, "the connection to the database server was lost");
        const char *state =
            res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        LOG(LOG_WARN, "event=db_connection_lost in_transaction=%d sqlstate=%s",
            c->is_tx_lost, state != NULL ? state : "-");
    }
    return c->is_broken;
}

/* Run fixed SQL whose result is not read (a savepoint); note a break. */
static void
exec_quiet(struct pg *c, const char *sql)
{
    PGresult *res = PQexec(c->conn, sql);
    after(c, res);
    PQclear(res);
}

/* The server's notices and warnings, which libpq would print on stderr
 * as they are: logged by their SQLSTATE only, since their text may quote
 * values. One that ends the session ("terminating connection due to
 * administrator command", 57P0x), which libpq reads as a notice when it
 * comes between statements, marks c (arg) broken before its end of file
 * is read. */
static void
on_notice(void *arg, const PGresult *res)
{
    struct pg *c = arg;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state != NULL && strncmp(state, "57P0", 4) == 0) {
        c->is_ending = 1;
    }
    LOG(LOG_WARN, "event=db_notice sqlstate=%s", state != NULL ? state : "-");
}

/*
 * The session settings of a new connection: UTF-8 text, quiet notices of
 * IF NOT EXISTS, and a plan for each run of a prepared statement with its
 * values. The modules' filters are written "(?N = '' OR col = ?N)": with
 * the values known the planner drops the filters not given and uses an
 * index for those given, but after five runs PostgreSQL may keep one
 * generic plan for all values, and for the contact list's filters that
 * plan read every danger row of the organisation (bench/hotline-report:
 * at 10 million contacts, a page of 217 rows p99 0.9-1.6 s, 52 ms
 * without generic plans). No JIT compiling: the planner's cost of the
 * funnel's cases statement passes jit_above_cost, and compiling it took
 * about 400 ms of 1.2 s at 100,000 cases (0.8 s with jit = off).
 * 0, or -1 with the message in c->msg.
 */
static int
settle(struct pg *c)
{
    PGresult *res = PQexec(c->conn, "SET client_encoding = 'UTF8';"
                                    "SET client_min_messages = warning;"
                                    "SET plan_cache_mode = force_custom_plan;"
                                    "SET jit = off;");
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc != 0) {
        keep_message(c, res);
    }
    PQclear(res);
    return rc;
}

/* Open c's connection again with the same address. 0, or -1 with the
 * message in c->msg (c stays broken: the next use tries again). */
static int
reconnect(struct pg *c)
{
    PQreset(c->conn);
    c->gen++; /* every statement is prepared again */
    c->is_ending = 0;
    if (PQstatus(c->conn) != CONNECTION_OK) {
        keep_message(c, NULL);
        explain(c, "cannot reach a primary database server");
        return -1;
    }
    if (settle(c) != 0) {
        return -1;
    }
    c->is_broken = 0;
    LOG(LOG_WARN, "event=db_reconnected");
    return 0;
}

/* Read and free what is left of the exchange in flight: its results up
 * to the end (NULL). */
static void
flush_results(struct pg *c)
{
    PGresult *r;
    while ((r = PQgetResult(c->conn)) != NULL) {
        after(c, r);
        PQclear(r);
    }
}

/*
 * Before anything else goes to the server: the rows of the read still
 * streaming on c are taken into memory (its statement goes on reading
 * them from there), as a nested statement needs. Reads that run alone,
 * the long scans among them, keep one row at a time.
 */
static void
drain(struct pg *c)
{
    struct pg_stmt *s = c->streaming;
    if (s == NULL) {
        return;
    }
    c->streaming = NULL;
    s->is_streaming = 0;
    s->rest_rc = 0;
    size_t cap = 0;
    PGresult *r;
    while ((r = PQgetResult(c->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (s->n_rest == cap) {
                cap = cap ? cap * 2 : 64;
                s->rest = sr_xrealloc(s->rest, cap * sizeof *s->rest);
            }
            s->rest[s->n_rest++] = r;
            continue;
        }
        if (st != PGRES_TUPLES_OK) {
            s->rest_rc = -1;
            after(c, r);
            if (!c->is_broken) {
                keep_message(c, r);
            }
        }
        PQclear(r);
    }
    s->i_rest = 0;
}

/*
 * Before a new exchange: 0 when c can take it, -1 when not (c->msg says
 * why). A transaction cut short by a break fails until its ROLLBACK.
 * Outside a transaction, a connection the server closed while it sat idle
 * (read here, before anything is sent) or found broken before is opened
 * again.
 */
static int
ready(struct pg *c)
{
    drain(c);
    if (c->is_tx_lost) {
        snprintf(c->msg, sizeof c->msg,
                 "the connection to the database server was lost during "
                 "this transaction");
        return -1;
    }
    if (!c->is_broken && PQtransactionStatus(c->conn) == PQTRANS_IDLE) {
        /* reads what came meanwhile and parses it: the server's notice
         * that it ends the session (on_notice()), or an end of file,
         * turns it bad */
        if (PQconsumeInput(c->conn)) {
            (void)PQisBusy(c->conn);
        }
    }
    if (!c->is_broken &&
        (PQstatus(c->conn) == CONNECTION_BAD || c->is_ending)) {
        after(c, NULL);
    }
    return c->is_broken ? reconnect(c) : 0;
}

int
pg_connect(const char *url, struct pg **out, struct sr_err *err)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (opts == NULL) {
        int rc =
            sr_err_set(err, SR_EINVAL, "store: not a PostgreSQL address: %s",
                       perr != NULL ? perr : "out of memory");
        PQfreemem(perr);
        return rc;
    }
    int has_password = 0;
    for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
            o->val[0] != '\0') {
            has_password = 1;
        }
    }
    PQconninfoFree(opts);
    if (has_password) {
        return sr_err_set(err, SR_EINVAL,
                          "store: the address holds a password; give it in "
                          "PGPASSWORD, a PGPASSFILE or ~/.pgpass instead");
    }
    struct pg *c = sr_xcalloc(1, sizeof *c);
    c->gen = 1;
    c->conn = PQconnectdb(url);
    if (c->conn == NULL || PQstatus(c->conn) != CONNECTION_OK) {
        if (c->conn != NULL) {
            keep_message(c, NULL);
        }
        int rc =
            sr_err_set(err, SR_EDB, "store: cannot connect to PostgreSQL: %s",
                       c->conn != NULL ? c->msg : "out of memory");
        pg_disconnect(c);
        return rc;
    }
    PQsetNoticeReceiver(c->conn, on_notice, c); /* kept by PQreset */
    if (settle(c) != 0) {
        int rc = sr_err_set(err, SR_EDB, "database error: %s", c->msg);
        pg_disconnect(c);
        return rc;
    }
    *out = c;
    return SR_OK;
}

void
pg_disconnect(struct pg *c)
{
    if (c != NULL) {
        PQfinish(c->conn);
        free(c);
    }
}

int
pg_exec(struct pg *c, const char *sql, struct sr_err *err)
{
    /* the caller's transaction statements (run_fixed() in store.c) */
    int is_begin = strncmp(sql, "BEGIN", 5) == 0;
    int is_rollback = strcmp(sql, "ROLLBACK") == 0;
    int is_end = is_rollback || strcmp(sql, "COMMIT") == 0;
    if (is_rollback && c->is_broken) {
        /* the server ended the transaction with the connection */
        c->is_tx_lost = 0;
        c->in_tx = 0;
        return SR_OK;
    }
    if (ready(c) != 0) {
        return sr_err_set(err, SR_EDB, "database error: %s", c->msg);
    }
    PGresult *res = PQexec(c->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    int is_ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (is_ok && (is_begin || is_end)) {
        c->in_tx = is_begin; /* before after(): a break now cuts it */
    }
    after(c, res);
    if (is_end) {
        c->in_tx = 0; /* a COMMIT that failed is rolled back next */
    }
    if (is_rollback) {
        c->is_tx_lost = 0; /* nothing is left to roll back */
    }
    int rc = SR_OK;
    if (!is_ok) {
        if (!c->is_broken) {
            keep_message(c, res);
        }
        rc = sr_err_set(err, SR_EDB, "database error: %s", c->msg);
    }
    PQclear(res);
    return rc;
}

long long
pg_query_number(struct pg *c, const char *sql)
{
    if (ready(c) != 0) {
        return -1;
    }
    PGresult *res = PQexec(c->conn, sql);
    long long v = -1;
    if (!after(c, res) && PQresultStatus(res) == PGRES_TUPLES_OK &&
        PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) {
        v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    } else if (!c->is_broken) {
        keep_message(c, res);
    }
    PQclear(res);
    return v;
}

/*
 * sql in PostgreSQL's words: SQLite's parameters (? and ?NNN) as $N,
 * blob literals x'..' as bytea ones, and SQLite's index hints (INDEXED BY
 * name) left out, outside quoted text, quoted names and comments. A bare ? takes the number after the largest so far, as in
 * SQLite. *n_params set to the largest.
 */
static char *
rewrite_sql(const char *sql, int *n_params, unsigned char *is_used,
            size_t max_params)
{
    size_t n = strlen(sql);
    char *out = sr_xmalloc(n * 4 + 16);
    size_t o = 0;
    int largest = 0;
    for (size_t i = 0; i < n;) {
        char ch = sql[i];
        int is_word_before =
            i > 0 && (isalnum((unsigned char)sql[i - 1]) || sql[i - 1] == '_');
        if ((ch == 'x' || ch == 'X') && !is_word_before && i + 1 < n &&
            sql[i + 1] == '\'') {
            /* a blob literal x'0a1b' is bytea's '\x0a1b'::bytea */
            size_t j = i + 2 + strcspn(sql + i + 2, "'");
            o += (size_t)snprintf(out + o, 4, "'\\x");
            memcpy(out + o, sql + i + 2, j - (i + 2));
            o += j - (i + 2);
            o += (size_t)snprintf(out + o, 16, "'::bytea");
            i = j < n ? j + 1 : n;
        } else if (!is_word_before &&
                   strncmp(sql + i, "INDEXED BY ", 11) == 0) {
            /* SQLite's choice of index; PostgreSQL's planner chooses */
            i += 11;
            while (i < n && (isalnum((unsigned char)sql[i]) || sql[i] == '_')) {
                i++;
            }
        } else if (ch == '\'' || ch == '"') {
            size_t j = i + 1;
            while (j < n && sql[j] != ch) {
                j++;
            }
            j = j < n ? j + 1 : n;
            memcpy(out + o, sql + i, j - i);
            o += j - i;
            i = j;
        } else if (ch == '-' && i + 1 < n && sql[i + 1] == '-') {
            size_t j = i + strcspn(sql + i, "\n");
            memcpy(out + o, sql + i, j - i);
            o += j - i;
            i = j;
        } else if (ch == '?') {
            size_t j = i + 1;
            int k = 0;
            while (j < n && sql[j] >= '0' && sql[j] <= '9' && k < 100000) {
                k = k * 10 + (sql[j] - '0');
                j++;
            }
            if (j == i + 1) {
                k = largest + 1;
            }
            largest = k > largest ? k : largest;
            if (k >= 1 && (size_t)k <= max_params) {
                is_used[k - 1] = 1;
            }
            o += (size_t)snprintf(out + o, 16, "$%d", k);
            i = j;
        } else {
            out[o++] = ch;
            i++;
        }
    }
    out[o] = '\0';
    *n_params = largest;
    return out;
}

/* Whether sql only reads: it starts with SELECT, VALUES or WITH and
 * holds no INSERT, UPDATE or DELETE (a WITH before a write). */
static int
is_read_only(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '(') {
        sql++;
    }
    if (strncasecmp(sql, "SELECT", 6) != 0 &&
        strncasecmp(sql, "VALUES", 6) != 0 &&
        strncasecmp(sql, "WITH", 4) != 0) {
        return 0;
    }
    return strstr(sql, "INSERT ") == NULL && strstr(sql, "UPDATE ") == NULL &&
           strstr(sql, "DELETE ") == NULL;
}

/* Whether sql is an INSERT of its own (no RETURNING), and its table's
 * name as written into name (when not NULL). */
static int
insert_table(const char *sql, char *name, size_t size)
{
    while (*sql == ' ' || *sql == '\n') {
        sql++;
    }
    if (strncmp(sql, "INSERT INTO ", 12) != 0 ||
        strstr(sql, "RETURNING") != NULL) {
        return 0;
    }
    const char *t = sql + 12;
    size_t n = t[0] == '"' ? strcspn(t + 1, "\"") + 2
                           : strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_");
    if (n == 0 || n >= 64 || (t[0] == '"' && t[n - 1] != '"')) {
        return 0;
    }
    if (name != NULL) {
        snprintf(name, size, "%.*s", (int)n, t);
    }
    return 1;
}

/*
 * An INSERT into a table with an id column gets "RETURNING id" on a line
 * of its own: its run then keeps the new row's id for pg_last_id(), which
 * needs no round trip of its own (SQLite's last_insert_rowid() is the
 * same figure: the id of the last row added). The catalog is asked once
 * per statement and connection.
 */
static enum pg_id_kind
id_kind(struct pg *c, struct pg_stmt *s)
{
    char name[64];
    if (!insert_table(s->text, name, sizeof name)) {
        return PG_ID_NONE;
    }
    const char *params[1] = { name };
    PGresult *res =
        PQexecParams(c->conn,
                     "SELECT count(*) FROM pg_catalog.pg_attribute"
                     " WHERE attrelid = to_regclass($1) AND attname = 'id'"
                     "   AND attnum > 0 AND NOT attisdropped",
                     1, NULL, params, NULL, NULL, 0);
    int is_known = !after(c, res) && PQresultStatus(res) == PGRES_TUPLES_OK &&
                   PQntuples(res) == 1;
    int has_id = is_known && strcmp(PQgetvalue(res, 0, 0), "1") == 0;
    PQclear(res);
    if (!is_known) {
        return PG_ID_UNKNOWN;
    }
    if (!has_id) {
        return PG_ID_NONE;
    }
    size_t n = strlen(s->text);
    while (n > 0 && (s->text[n - 1] == ' ' || s->text[n - 1] == '\n' ||
                     s->text[n - 1] == ';')) {
        n--;
    }
    char *text = sr_xmalloc(n + 16);
    snprintf(text, n + 16, "%.*s\nRETURNING id", (int)n, s->text);
    free(s->text);
    s->text = text;
    return PG_ID_RETURNED;
}

/* Prepare s on its connection as it is now; the result, for the caller
 * to read and clear. */
static PGresult *
prepare_now(struct pg_stmt *s)
{
    struct pg *c = s->c;
    PGresult *res = PQprepare(c->conn, s->name, s->text, s->n_types, s->types);
    if (!after(c, res) && PQresultStatus(res) == PGRES_COMMAND_OK) {
        s->gen = c->gen;
    }
    return res;
}

struct pg_stmt *
pg_prepare(struct pg *c, const char *sql)
{
    int n_params = 0;
    unsigned char is_used[PG_MAX_PARAMS] = { 0 };
    struct pg_stmt *s = sr_xcalloc(1, sizeof *s);
    s->text = rewrite_sql(sql, &n_params, is_used, PG_MAX_PARAMS);
    s->c = c;
    snprintf(s->name, sizeof s->name, "s%u", ++c->n_stmts);
    s->n_params = n_params;
    s->n_types = n_params <= PG_MAX_PARAMS ? n_params : 0;
    s->is_read = is_read_only(sql);
    s->row = -1;
    if (s->n_types > 0) {
        /* a parameter the statement never reads (SQLite lets a statement
         * skip one) is declared text, since nothing tells its type */
        s->types = sr_xcalloc((size_t)s->n_types, sizeof *s->types);
        for (int i = 0; i < s->n_types; i++) {
            s->types[i] = is_used[i] ? 0 : PG_OID_TEXT;
        }
    }
    if (n_params > 0) {
        s->values = sr_xcalloc((size_t)n_params, sizeof *s->values);
        s->lengths = sr_xcalloc((size_t)n_params, sizeof *s->lengths);
        s->formats = sr_xcalloc((size_t)n_params, sizeof *s->formats);
    }
    if (ready(c) != 0) {
        s->id_kind =
            insert_table(s->text, NULL, 0) ? PG_ID_UNKNOWN : PG_ID_NONE;
        return s; /* no server now: prepared at its first run */
    }
    s->id_kind = id_kind(c, s);
    PGresult *res = prepare_now(s);
    int is_refused = !c->is_broken && PQresultStatus(res) != PGRES_COMMAND_OK;
    if (is_refused) {
        keep_message(c, res); /* the statement does not compile */
    }
    PQclear(res);
    if (is_refused) {
        pg_stmt_free(s);
        return NULL;
    }
    return s;
}

static void
drop_blobs(struct pg_stmt *s)
{
    for (int i = 0; i < s->n_blobs; i++) {
        PQfreemem(s->blobs[i]);
        s->blobs[i] = NULL;
    }
}

void
pg_reset(struct pg_stmt *s)
{
    assert(s != NULL);
    drop_blobs(s);
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    if (s->is_streaming) {
        /* stopped early: the rows left are read and dropped */
        s->c->streaming = NULL;
        s->is_streaming = 0;
        flush_results(s->c);
    }
    for (size_t i = s->i_rest; i < s->n_rest; i++) {
        PQclear(s->rest[i]);
    }
    free(s->rest);
    s->rest = NULL;
    s->n_rest = s->i_rest = 0;
    s->is_ended = 0;
    for (int i = 0; i < s->n_params; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}

void
pg_stmt_free(struct pg_stmt *s)
{
    if (s != NULL) {
        pg_reset(s);
        free(s->values);
        free(s->lengths);
        free(s->formats);
        free(s->blobs);
        free(s->blob_lens);
        free(s->text);
        free(s->types);
        free(s);
    }
}

void
pg_bind(struct pg_stmt *s, int i, const void *p, size_t len, int is_binary)
{
    if (i < 1 || i > s->n_params) {
        return; /* as SQLite: a parameter the statement lacks is ignored */
    }
    free(s->values[i - 1]);
    s->values[i - 1] = NULL;
    s->lengths[i - 1] = 0;
    s->formats[i - 1] = is_binary;
    if (p != NULL) {
        char *copy = sr_xmalloc(len + 1);
        memcpy(copy, p, len);
        copy[len] = '\0';
        s->values[i - 1] = copy;
        s->lengths[i - 1] = (int)len;
    }
}

/* Run s once, under a savepoint when a transaction is open, so that its
 * failure leaves the transaction as it was; prepare it first on a
 * connection it is not prepared on. NULL when the connection broke and
 * the statement did not run (c->msg says why). */
/*
 * The guarded run of a prepared s in one round trip: SAVEPOINT, s and
 * RELEASE sent together in libpq's pipeline mode, then their results
 * read. s's result (NULL when it never ran); the others are checked for
 * a lost connection and freed. When s fails the server skips the
 * RELEASE, and the caller rolls back to the savepoint.
 */
static PGresult *
run_pipelined(struct pg_stmt *s)
{
    struct pg *c = s->c;
    PGconn *k = c->conn;
    int is_sent = PQenterPipelineMode(k) == 1 &&
                  PQsendQueryParams(k, "SAVEPOINT sr_stmt", 0, NULL, NULL, NULL,
                                    NULL, 0) == 1 &&
                  PQsendQueryPrepared(k, s->name, s->n_params,
                                      (const char *const *)s->values,
                                      s->lengths, s->formats, 0) == 1 &&
                  PQsendQueryParams(k, "RELEASE SAVEPOINT sr_stmt", 0, NULL,
                                    NULL, NULL, NULL, 0) == 1 &&
                  PQpipelineSync(k) == 1;
    PGresult *res = NULL;
    if (!is_sent) {
        keep_message(c, NULL);
        after(c, NULL);
    }
    /* each query's results end with NULL; then the sync's */
    for (int q = 0; is_sent && q < 3; q++) {
        PGresult *r;
        while ((r = PQgetResult(k)) != NULL) {
            if (q == 1 && res == NULL) {
                res = r;
                continue;
            }
            after(c, r);
            PQclear(r);
        }
    }
    if (is_sent) {
        PGresult *r = PQgetResult(k);
        while (r != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
            after(c, r);
            PQclear(r);
            r = PQgetResult(k);
        }
        PQclear(r);
    }
    (void)PQexitPipelineMode(k);
    return res;
}

static PGresult *
run(struct pg_stmt *s)
{
    struct pg *c = s->c;
    int is_guarded = !s->is_read && pg_in_transaction(c);
    PGresult *res = NULL;
    if (!c->is_broken && s->gen != c->gen) {
        res = prepare_now(s);
    }
    int is_run = !c->is_broken && s->gen == c->gen;
    if (is_run) {
        PQclear(res);
        res = is_guarded ? run_pipelined(s)
                         : PQexecPrepared(c->conn, s->name, s->n_params,
                                          (const char *const *)s->values,
                                          s->lengths, s->formats, 0);
        after(c, res);
    }
    ExecStatusType st = PQresultStatus(res);
    int is_ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
    if (is_guarded && !c->is_broken && !is_ok) {
        /* s failed: back to before it (its RELEASE was skipped) */
        exec_quiet(c, "ROLLBACK TO SAVEPOINT sr_stmt");
    }
    if (c->is_broken && !(is_run && is_ok)) {
        /* a statement that ran is reported as it ran, even when the
         * connection broke after it (inside a transaction, the loss
         * then fails its COMMIT) */
        PQclear(res);
        return NULL;
    }
    return res;
}

/* Room for the decoded blobs of rows of n_cols columns. */
static void
blob_room(struct pg_stmt *s, int n_cols)
{
    if (n_cols > s->n_blobs) {
        free(s->blobs);
        free(s->blob_lens);
        s->blobs = sr_xcalloc((size_t)n_cols, sizeof *s->blobs);
        s->blob_lens = sr_xcalloc((size_t)n_cols, sizeof *s->blob_lens);
        s->n_blobs = n_cols;
    }
}

/* Send read s with its rows to come one at a time (libpq's single-row
 * mode), preparing it first on a connection it is not prepared on. 0, or
 * -1 with the message in c->msg. */
static int
stream_start(struct pg_stmt *s)
{
    struct pg *c = s->c;
    if (s->gen != c->gen) {
        PGresult *res = prepare_now(s);
        int is_ok = s->gen == c->gen;
        if (!is_ok && !c->is_broken) {
            keep_message(c, res);
        }
        PQclear(res);
        if (!is_ok) {
            return -1;
        }
    }
    if (PQsendQueryPrepared(c->conn, s->name, s->n_params,
                            (const char *const *)s->values, s->lengths,
                            s->formats, 0) != 1) {
        keep_message(c, NULL);
        after(c, NULL);
        return -1;
    }
    (void)PQsetSingleRowMode(c->conn);
    c->streaming = s;
    s->is_streaming = 1;
    return 0;
}

/* A read's next row into s->res (row 0): from the server while it
 * streams, else from the rows taken in (drain). 1, 0 at the end, -1 on
 * failure (c->msg says why). */
static int
next_row(struct pg_stmt *s)
{
    struct pg *c = s->c;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    if (s->is_ended) {
        return 0;
    }
    if (s->is_streaming) {
        PGresult *r = PQgetResult(c->conn);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            s->res = r;
            s->row = 0;
            blob_room(s, PQnfields(r));
            return 1;
        }
        c->streaming = NULL;
        s->is_streaming = 0;
        s->is_ended = 1;
        int rc = st == PGRES_TUPLES_OK ? 0 : -1;
        after(c, r);
        if (rc != 0 && !c->is_broken) {
            keep_message(c, r);
        }
        PQclear(r);
        if (r != NULL) {
            flush_results(c);
        }
        return rc;
    }
    if (s->i_rest < s->n_rest) {
        s->res = s->rest[s->i_rest++];
        s->row = 0;
        blob_room(s, PQnfields(s->res));
        return 1;
    }
    s->is_ended = 1;
    return s->rest_rc;
}

void
pg_stream(struct pg_stmt *s)
{
    s->is_stream = 1;
}

int
pg_step(struct pg_stmt *s, int *is_constraint)
{
    *is_constraint = 0;
    drop_blobs(s);
    if (s->is_read && s->is_stream) {
        int is_started =
            s->res != NULL || s->is_streaming || s->rest != NULL || s->is_ended;
        if (!is_started && (ready(s->c) != 0 || stream_start(s) != 0)) {
            return -1;
        }
        return next_row(s);
    }
    if (s->res == NULL) {
        if (ready(s->c) != 0) {
            return -1;
        }
        s->res = run(s);
        ExecStatusType st = PQresultStatus(s->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            const char *state = PQresultErrorField(s->res, PG_DIAG_SQLSTATE);
            *is_constraint = state != NULL && strncmp(state, "23", 2) == 0;
            if (s->res != NULL) {
                keep_message(s->c, s->res);
            }
            PQclear(s->res);
            s->res = NULL;
            return -1;
        }
        const char *changed = PQcmdTuples(s->res);
        s->c->changes = changed[0] != '\0' ? strtoll(changed, NULL, 10) : 0;
        blob_room(s, PQnfields(s->res));
        int n_rows = PQntuples(s->res);
        if (s->id_kind == PG_ID_RETURNED) {
            /* the id is the store's; the caller sees an INSERT */
            if (n_rows > 0) {
                s->c->last_id =
                    strtoll(PQgetvalue(s->res, n_rows - 1, 0), NULL, 10);
                s->c->has_last_id = 1;
            }
            s->row = n_rows - 1;
        } else if (s->id_kind == PG_ID_UNKNOWN) {
            s->c->has_last_id = 0; /* lastval() knows better */
        }
    }
    s->row++;
    return s->row < PQntuples(s->res) ? 1 : 0;
}

static int
has_value(struct pg_stmt *s, int i)
{
    return s->res != NULL && s->row >= 0 && s->row < PQntuples(s->res) &&
           i >= 0 && i < PQnfields(s->res) && !PQgetisnull(s->res, s->row, i);
}

int
pg_col_is_null(struct pg_stmt *s, int i)
{
    return !has_value(s, i);
}

const char *
pg_col_text(struct pg_stmt *s, int i)
{
    return has_value(s, i) ? PQgetvalue(s->res, s->row, i) : NULL;
}

int64_t
pg_col_i64(struct pg_stmt *s, int i)
{
    const char *v = pg_col_text(s, i);
    if (v == NULL) {
        return 0;
    }
    if (PQftype(s->res, i) == PG_OID_BOOL) {
        return v[0] == 't';
    }
    return strtoll(v, NULL, 10);
}

double
pg_col_double(struct pg_stmt *s, int i)
{
    const char *v = pg_col_text(s, i);
    return v != NULL ? strtod(v, NULL) : 0.0;
}

const void *
pg_col_blob(struct pg_stmt *s, int i, size_t *len)
{
    *len = 0;
    const char *v = pg_col_text(s, i);
    if (v == NULL) {
        return NULL;
    }
    if (PQftype(s->res, i) != PG_OID_BYTEA) {
        *len = (size_t)PQgetlength(s->res, s->row, i);
        return *len > 0 ? v : NULL;
    }
    if (s->blobs[i] == NULL) {
        s->blobs[i] =
            PQunescapeBytea((const unsigned char *)v, &s->blob_lens[i]);
    }
    *len = s->blob_lens[i];
    return *len > 0 ? s->blobs[i] : NULL;
}

int64_t
pg_changes(struct pg *c)
{
    return c->changes;
}

int64_t
pg_last_id(struct pg *c)
{
    if (c->has_last_id) {
        return c->last_id;
    }
    int is_guarded = pg_in_transaction(c) && !c->is_tx_lost;
    if (is_guarded) {
        exec_quiet(c, "SAVEPOINT sr_last"); /* fixed text */
    }
    long long v = pg_query_number(c, "SELECT lastval()");
    if (is_guarded && !c->is_broken) {
        exec_quiet(c, v < 0 ? "ROLLBACK TO SAVEPOINT sr_last"
                            : "RELEASE SAVEPOINT sr_last");
    }
    return v < 0 ? 0 : v;
}

int
pg_in_transaction(struct pg *c)
{
    /* while a read streams libpq says only that a query is active */
    return c->is_tx_lost || (c->streaming != NULL ? c->in_tx : tx_open(c));
}

int
pg_tx_failed(struct pg *c)
{
    return c->is_tx_lost || PQtransactionStatus(c->conn) == PQTRANS_INERROR;
}

int
pg_col_count(struct pg_stmt *s)
{
    return s->res != NULL ? PQnfields(s->res) : 0;
}

enum pg_type
pg_col_type(struct pg_stmt *s, int i)
{
    if (!has_value(s, i)) {
        return PG_T_NULL;
    }
    switch (PQftype(s->res, i)) {
    case PG_OID_BOOL:
    case 20: /* bigint */
    case 21: /* smallint */
    case 23: /* integer */
        return PG_T_INT;
    case 700:  /* real */
    case 701:  /* double precision */
    case 1700: /* numeric */
        return PG_T_FLOAT;
    case PG_OID_BYTEA:
        return PG_T_BLOB;
    default:
        return PG_T_TEXT;
    }
}
