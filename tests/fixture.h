/*
 * fixture.h - shared set-up for SIREN's unit tests: a database with every
 * migration and an open vault (fast Argon2id profile).
 *
 * The store: with SIREN_TEST_STORE unset, fixture_db() opens an in-memory
 * SQLite database; with it holding a PostgreSQL server's address
 * (tests/pg/cluster server DIR, as tools/run-tests sets it for the "pg"
 * unit jobs) it makes a new database of its own on that server, named
 * from the pid and a counter, and opens it. Before handing it out it
 * checks, over a connection of its own, that the migrations made their
 * tables there; a test run so that made no database on the server exits
 * 1, and the databases it made are dropped at its exit.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FIXTURE_H
#define SR_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pgtest.h"

#include "core/buf.h"
#include "core/err.h"
#include "base/store.h"
#include "base/vault.h"

static inline struct vault *
fixture_vault(void)
{
    struct sr_buf kf;
    struct vault *v = NULL;
    struct sr_err err = { 0 };
    sr_buf_init(&kf, 0);
    if (vault_init() != SR_OK ||
        vault_create("fixture passphrase", 18, VAULT_KDF_INTERACTIVE, &kf, &v,
                     &err) != SR_OK) {
        fprintf(stderr, "fixture: no vault: %s\n", sr_err_msg(&err));
        exit(2);
    }
    sr_buf_release(&kf);
    return v;
}

/* The databases fixture_db() made on SIREN_TEST_STORE's server. */
struct fixture_pg {
    unsigned n_made;
    char names[64][48];
};

static inline struct fixture_pg *
fixture_pg_state(void)
{
    static struct fixture_pg state;
    return &state;
}

/* At exit: no database made on the server is a failure (the test did not
 * run on the store it was asked to); the databases made are dropped. */
static inline void
fixture_pg_at_exit(void)
{
    struct fixture_pg *st = fixture_pg_state();
    for (unsigned i = 0; i < st->n_made; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE \"%s\" WITH (FORCE)",
                 st->names[i]);
        pgtest_run("postgres", sql, NULL, 0);
    }
    if (st->n_made == 0) {
        fprintf(stderr, "fixture: SIREN_TEST_STORE is set but no database was "
                        "made on PostgreSQL\n");
        fflush(NULL);
        _exit(1);
    }
}

/* Before main: on PostgreSQL, fixture_pg_at_exit() at the exit. */
static void fixture_pg_start(void) __attribute__((constructor));
static void
fixture_pg_start(void)
{
    if (pgtest_server() != NULL) {
        atexit(fixture_pg_at_exit);
    }
}

/* A new database on SIREN_TEST_STORE's server with every migration, its
 * tables seen there from outside SIREN's store. Stops the test when it
 * cannot. */
static inline struct db *
fixture_pg_db(const char *server)
{
    struct fixture_pg *st = fixture_pg_state();
    if (st->n_made == sizeof st->names / sizeof st->names[0]) {
        fprintf(stderr, "fixture: more than %zu databases\n",
                sizeof st->names / sizeof st->names[0]);
        exit(2);
    }
    char *name = st->names[st->n_made];
    snprintf(name, sizeof st->names[0], "siren_u%ld_%u", (long)getpid(),
             st->n_made + 1);
    if (pgtest_create(name, NULL) != 0) {
        exit(2);
    }
    st->n_made++;
    char url[512];
    int is_fit = pgtest_url(server, name, url, sizeof url);
    struct db *db = NULL;
    struct sr_err err = { 0 };
    char tables[32] = "0";
    if (!is_fit) {
        fprintf(stderr, "fixture: SIREN_TEST_STORE is too long\n");
        exit(2);
    }
    if (db_open(url, DB_CREATE | DB_MIGRATE, &db, &err) != SR_OK) {
        fprintf(stderr, "fixture: no database: %s\n", sr_err_msg(&err));
        exit(2);
    }
    if (!db_is_postgresql(db) ||
        pgtest_run(name,
                   "SELECT count(*) FROM pg_tables"
                   " WHERE schemaname = 'public'"
                   "   AND tablename IN ('audit', 'contact', 'meta')",
                   tables, sizeof tables) != 0 ||
        strcmp(tables, "3") != 0) {
        fprintf(stderr,
                "fixture: database %s is not on PostgreSQL as "
                "SIREN_TEST_STORE asks\n",
                name);
        exit(2);
    }
    return db;
}

static inline struct db *
fixture_db(void)
{
    const char *server = pgtest_server();
    if (server != NULL) {
        return fixture_pg_db(server);
    }
    struct db *db = NULL;
    struct sr_err err = { 0 };
    if (db_open(NULL, DB_MEMORY, &db, &err) != SR_OK) {
        fprintf(stderr, "fixture: no database: %s\n", sr_err_msg(&err));
        exit(2);
    }
    return db;
}

#endif
