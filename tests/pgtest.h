/*
 * pgtest.h - the tests' own reach into SIREN_TEST_STORE's PostgreSQL
 * server (tests/pg/cluster's), outside SIREN's store: its address, a
 * database's address on it, a statement over a connection of the test's
 * own, and a new empty database as SIREN wants it. Shared by
 * tests/webfix.h and tests/fixture.h.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PGTEST_H
#define SR_PGTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* SIREN_TEST_STORE when it is set: a PostgreSQL server's address (a
 * value that is not one stops the test), else NULL (SQLite). */
static inline const char *
pgtest_server(void)
{
    const char *s = getenv("SIREN_TEST_STORE");
    if (s == NULL || s[0] == '\0') {
        return NULL;
    }
    if (strncmp(s, "postgresql://", 13) != 0 &&
        strncmp(s, "postgres://", 11) != 0) {
        fprintf(stderr, "SIREN_TEST_STORE is not a postgresql:// address\n");
        exit(2);
    }
    return s;
}

/* The server's address with database db in place of the one it names
 * (if any), into out; 0 when it does not fit. */
static inline int
pgtest_url(const char *server, const char *db, char *out, size_t size)
{
    const char *auth = strstr(server, "://") + 3;
    size_t n_auth = strcspn(auth, "/?");
    const char *query = auth + n_auth + strcspn(auth + n_auth, "?");
    int n = snprintf(out, size, "%.*s/%s%s", (int)(auth + n_auth - server),
                     server, db, query);
    return n > 0 && (size_t)n < size;
}

/* Run sql (the test's own text) on database db (NULL: "postgres") of
 * SIREN_TEST_STORE's server over a connection of its own; out (if not
 * NULL) gets the first value of its answer. 0 on success, else -1 with
 * the server's message on stderr. */
static inline int
pgtest_run(const char *db, const char *sql, char *out, size_t size)
{
    const char *const keys[] = { "dbname", "dbname", NULL };
    const char *const values[] = { pgtest_server(),
                                   db != NULL ? db : "postgres", NULL };
    PGconn *c = PQconnectdbParams(keys, values, 1);
    PGresult *res = NULL;
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        res = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COMMAND_OK || (st == PGRES_TUPLES_OK && out == NULL)) {
            rc = 0;
        } else if (st == PGRES_TUPLES_OK && PQntuples(res) > 0) {
            snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
            rc = 0;
        }
    }
    if (rc != 0) {
        fprintf(stderr, "pgtest: %s: %s\n", sql, PQerrorMessage(c));
    }
    PQclear(res);
    PQfinish(c);
    return rc;
}

/* Make database name on the server: a copy of template, or with template
 * NULL an empty one, UTF-8 sorted by bytes as SIREN wants. 0 or -1. */
static inline int
pgtest_create(const char *name, const char *template)
{
    char sql[256];
    if (template != NULL) {
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\" TEMPLATE \"%s\"",
                 name, template);
    } else {
        snprintf(sql, sizeof sql,
                 "CREATE DATABASE \"%s\" TEMPLATE template0 ENCODING 'UTF8' "
                 "LOCALE 'C'",
                 name);
    }
    return pgtest_run(NULL, sql, NULL, 0);
}

#endif
