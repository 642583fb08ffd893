/*
 * webfix.h - a workspace on disk with one user per role for tests that
 * run requests through the dispatcher in-process (no socket).
 *
 * Users (password WEBFIX_PW): t.admin, t.coordinator, t.hotline,
 * t.caseworker, t.investigator, t.analyst, t.partner in organisation A;
 * t.coordb (coordinator) and t.hotlineb (hotline) in organisation B;
 * t.disabled (hotline, disabled) in A. webfix_login() signs in
 * administrators and coordinators with their second factor.
 *
 * The store: with SIREN_TEST_STORE holding a PostgreSQL server's address
 * (tests/pg/cluster's, with or without a database name), webfix_open()
 * makes the tables in a new database of their own on that server, named
 * from the pid and a counter, and webfix_close() drops it; unset, they
 * are in siren.db in the directory (SQLite).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WEBFIX_H
#define SR_WEBFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pgtest.h"

#include "core/arena.h"
#include "base/auth.h"
#include "web/http.h"
#include "core/i18n.h"
#include "base/org.h"
#include "base/signin.h"
#include "base/totp.h"
#include "base/workspace.h"
#include "core/clock.h"
#include "totpfix.h"

#define WEBFIX_PW "quiet-river-lantern-88"

struct webfix {
    char dir[64];
    char pg_db[64]; /* the database made on SIREN_TEST_STORE's server; "" */
    struct ws *ws;
    struct db *req_db; /* the requests' connection: writes with group commit */
    struct app app;
    char org_a[32], org_b[32];
    int64_t org_a_id, org_b_id;
};

/* A new database on SIREN_TEST_STORE's server, named from the pid and a
 * counter into f->pg_db, copied from template (NULL: an empty one, UTF-8
 * sorted by bytes, as SIREN wants); its address into url. Stops the test
 * when it cannot. */
static inline void
webfix_pg_create(struct webfix *f, const char *template, char *url, size_t size)
{
    static unsigned n_made;
    snprintf(f->pg_db, sizeof f->pg_db, "siren_t%ld_%u", (long)getpid(),
             ++n_made);
    if (pgtest_create(f->pg_db, template) != 0 ||
        !pgtest_url(pgtest_server(), f->pg_db, url, size)) {
        exit(2);
    }
}

/* As 'siren serve' does: the requests' connection writes through the
 * workspace's write group (group commit, store.h). */
static inline void
webfix_group(struct webfix *f)
{
    struct sr_err err = { 0 };
    if (ws_write_group(f->ws, &err) != SR_OK ||
        ws_connect(f->ws, &f->req_db, &err) != SR_OK) {
        fprintf(stderr, "webfix: %s\n", sr_err_msg(&err));
        exit(2);
    }
}

/* Close f's workspace and the requests' connection. */
static inline void
webfix_ws_close(struct webfix *f)
{
    db_close(f->req_db);
    f->req_db = NULL;
    ws_close(f->ws);
    f->ws = NULL;
}

static inline void
webfix_open(struct webfix *f)
{
    struct sr_err err = { 0 };
    char url[512] = "";
    f->pg_db[0] = '\0';
    if (pgtest_server() != NULL) {
        webfix_pg_create(f, NULL, url, sizeof url);
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/siren-web-XXXXXX");
    /* Argon2id at its minimum cost: the suites on this fixture sign in
     * thousands of times; the cost itself is tested by test_vault */
    vault_test_minimum_cost();
    if (mkdtemp(f->dir) == NULL || vault_init() != SR_OK ||
        i18n_load_all(&err) != SR_OK ||
        ws_create(f->dir, url[0] != '\0' ? url : NULL, "webfix pass", 11,
                  VAULT_KDF_INTERACTIVE, &f->ws, &err) != SR_OK ||
        org_add(f->ws->db, f->ws->vault, 0, "Org A", "hotline", "TH", f->org_a,
                &f->org_a_id, &err) != SR_OK ||
        org_add(f->ws->db, f->ws->vault, 0, "Org B", "ngo", "TH", f->org_b,
                &f->org_b_id, &err) != SR_OK) {
        fprintf(stderr, "webfix: %s\n", sr_err_msg(&err));
        exit(2);
    }
    static const char *const users[][3] = {
        { "t.admin", "admin", "a" },
        { "t.coordinator", "coordinator", "a" },
        { "t.hotline", "hotline", "a" },
        { "t.caseworker", "caseworker", "a" },
        { "t.investigator", "investigator", "a" },
        { "t.analyst", "analyst", "a" },
        { "t.partner", "partner", "a" },
        { "t.coordb", "coordinator", "b" },
        { "t.hotlineb", "hotline", "b" },
        { "t.disabled", "hotline", "a" },
    };
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        int64_t id;
        if (user_add(f->ws->db, f->ws->vault, 0, users[i][0],
                     users[i][2][0] == 'a' ? f->org_a : f->org_b, users[i][1],
                     WEBFIX_PW, &id, &err) != SR_OK) {
            fprintf(stderr, "webfix: %s\n", sr_err_msg(&err));
            exit(2);
        }
    }
    user_set_disabled(f->ws->db, f->ws->vault, 0, "t.disabled", 1, &err);
    webfix_group(f);
    f->app.ws = f->ws;
    f->app.body_timeout_ms = 30000;
    f->app.n_threads = 2;
}

static inline void
webfix_close(struct webfix *f)
{
    char cmd[128];
    webfix_ws_close(f);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "webfix: cannot remove %s\n", f->dir);
    }
    if (f->pg_db[0] != '\0') {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE \"%s\" WITH (FORCE)",
                 f->pg_db);
        pgtest_run(NULL, sql, NULL, 0);
        f->pg_db[0] = '\0';
    }
}

/*
 * Whether f's tables are on the store SIREN_TEST_STORE asks for, seen
 * from outside SIREN's store: on PostgreSQL the server's database
 * f->pg_db holds n_users users (counted over a connection of our own),
 * siren.conf names that database and the directory holds no siren.db;
 * unset, siren.db is there and no store is named. What is wrong goes to
 * stderr.
 */
static inline int
webfix_on_right_store(const struct webfix *f, long long n_users)
{
    char path[128];
    snprintf(path, sizeof path, "%s/siren.db", f->dir);
    int has_file = access(path, F_OK) == 0;
    const char *server = getenv("SIREN_TEST_STORE");
    if (server == NULL || server[0] == '\0') {
        if (!has_file || f->ws->cfg.store[0] != '\0' ||
            db_is_postgresql(f->ws->db)) {
            fprintf(stderr, "webfix: not on SQLite as asked\n");
            return 0;
        }
        return 1;
    }
    char count[32] = "-1";
    long long n = -1;
    if (f->pg_db[0] == '\0' || has_file || !db_is_postgresql(f->ws->db) ||
        strstr(f->ws->cfg.store, f->pg_db) == NULL ||
        pgtest_run(f->pg_db, "SELECT count(*) FROM \"user\"", count,
                   sizeof count) != 0 ||
        (n = strtoll(count, NULL, 10)) != n_users) {
        fprintf(stderr,
                "webfix: not on PostgreSQL as SIREN_TEST_STORE asks "
                "(database '%s', %lld users there, siren.db %s)\n",
                f->pg_db, n, has_file ? "present" : "absent");
        return 0;
    }
    return 1;
}

/*
 * The clock tests run on when they keep none of their own: the real one
 * plus a skew the harness moves forward (sr_clock_set(webfix_clock) at
 * the start of main).
 */
static int64_t webfix_skew_ms;

static inline int64_t
webfix_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + webfix_skew_ms;
}

static inline void
webfix_skew(int64_t ms)
{
    webfix_skew_ms += ms;
}

/* Move the tests' clock forward by ms; a test with a clock of its own
 * points this at a function moving that one. */
static void (*webfix_clock_forward)(int64_t ms) = webfix_skew;

/*
 * The authenticator app of each administrator and coordinator the
 * harness signed in: the secret the enrolment showed and the last
 * 30-second step whose code it typed. A code of a step is accepted once,
 * so a step is never typed twice; when the steps the server accepts now
 * (one either side of the current) are used up, the clock moves on 30 s.
 */
struct webfix_app {
    char dir[64], user[33], b32[TOTP_SECRET_B32 + 1];
    int64_t last_step;
    char recovery[TOTP_RECOVERY_CODES][TOTP_RECOVERY_CHARS + 1];
    int n_recovery_used; /* recovery codes handed out, in order */
};
static struct webfix_app webfix_apps[512];

static inline struct webfix_app *
webfix_app_of(const struct webfix *f, const char *user)
{
    size_t i = 0;
    while (i < 512 && webfix_apps[i].dir[0] != '\0' &&
           (strcmp(webfix_apps[i].dir, f->dir) != 0 ||
            strcmp(webfix_apps[i].user, user) != 0)) {
        i++;
    }
    struct webfix_app *a = &webfix_apps[i < 512 ? i : 0];
    snprintf(a->dir, sizeof a->dir, "%s", f->dir);
    snprintf(a->user, sizeof a->user, "%s", user);
    return a;
}

/* A code of a's secret for a step not typed before, as a phone shows it
 * (totpfix.h: liboath, not totp.c). 0 on success. */
static inline int
webfix_next_code(struct webfix_app *a, char code[7])
{
    int64_t step = sr_now() / 30 - 1;
    for (int i = 0; i < 4 && a->last_step >= sr_now() / 30 + 1; i++) {
        webfix_clock_forward(30000);
    }
    if (step <= a->last_step) {
        step = a->last_step + 1;
    }
    a->last_step = step;
    return totpfix_code(a->b32, step * 30, code);
}

/* Enrol user_id with a new authenticator kept in a, as the enrolment
 * page does: the secret it shows, confirmed with a code of it. */
static inline int
webfix_enrol(struct webfix *f, int64_t user_id, struct webfix_app *a,
             struct sr_err *err)
{
    char code[7];
    a->last_step = 0;
    a->n_recovery_used = 0;
    int rc = totp_enrol_begin(f->ws->db, f->ws->vault, user_id, a->b32, err);
    if (rc == SR_OK && webfix_next_code(a, code) != 0) {
        rc = SR_EINVAL;
    }
    if (rc == SR_OK) {
        rc = totp_enrol_confirm(f->ws->db, f->ws->vault, user_id, a->b32, code,
                                a->recovery, err);
    }
    return rc;
}

/*
 * Sign user in; token and csrf out. 0 on success. An administrator or
 * coordinator enrols an authenticator at the first sign-in, as the
 * sign-in page makes them, and types its code at every sign-in.
 */
static inline int
webfix_login(struct webfix *f, const char *user, char token[33], char csrf[65])
{
    struct principal p;
    struct sr_err err = { 0 };
    const struct vault *v = f->ws->vault;
    int rc = auth_login(f->ws->db, v, user, WEBFIX_PW, token, &p, &err);
    enum totp_need need = TOTP_NONE;
    if (rc == SR_OK && token[0] == '\0') {
        rc = totp_need(f->ws->db, p.user_id, p.role, &need, &err);
    }
    char code[7];
    struct webfix_app *a = need != TOTP_NONE ? webfix_app_of(f, user) : NULL;
    if (rc == SR_OK && need == TOTP_ENROL) {
        rc = webfix_enrol(f, p.user_id, a, &err);
        if (rc == SR_OK) {
            rc = auth_session_open(f->ws->db, v, user, token, &p, &err);
        }
    } else if (rc == SR_OK && need == TOTP_CODE) {
        rc = webfix_next_code(a, code) == 0
                 ? signin_login(f->ws->db, v, p.user_id, code, token, &p, NULL,
                                &err)
                 : SR_EINVAL;
    }
    if (rc != SR_OK) {
        fprintf(stderr, "webfix: cannot sign in %s: %s\n", user,
                sr_err_msg(&err));
    }
    sr_err_release(&err);
    if (rc == SR_OK) {
        memcpy(csrf, p.csrf, 65);
    }
    return rc;
}

/*
 * Run one request through the dispatcher. method/path/query/body as given
 * (query without '?'), cookie values for the session and pre-session
 * tokens, content type. resp must be sr_buf-initialised by the caller and
 * released after; the arena holds what resp points to.
 */
static inline void
webfix_request(struct webfix *f, struct arena *a, int method, const char *path,
               const char *query, const char *body, const char *content_type,
               const char *session, const char *pre, const char *csrf_header,
               const char *accept_language, struct resp *resp)
{
    struct req req;
    memset(&req, 0, sizeof req);
    req.arena = a;
    req.app = &f->app;
    req.db = f->req_db;
    req.method = method;
    req.path = arena_strdup(a, path);
    req.body = arena_strdup(a, body ? body : "");
    req.body_len = body ? strlen(body) : 0;
    req.content_type = content_type ? content_type : "";
    req.accept_language = accept_language ? accept_language : "";
    req.csrf_header = csrf_header ? csrf_header : "";
    req.cookie_session = session ? session : "";
    req.cookie_pre = pre ? pre : "";
    req.cookie_lang = "";
    snprintf(req.request_id, sizeof req.request_id, "test");
    if (query != NULL && query[0] != '\0' &&
        http_parse_urlencoded(a, query, strlen(query), HTTP_MAX_PARAMS,
                              &req.query, &req.n_query) != SR_OK) {
        resp->status = 400;
        return;
    }
    if (body != NULL && content_type != NULL &&
        strncmp(content_type, "application/x-www-form-urlencoded", 33) == 0 &&
        http_parse_urlencoded(a, body, strlen(body), HTTP_MAX_PARAMS, &req.form,
                              &req.n_form) != SR_OK) {
        resp->status = 400;
        return;
    }
    http_dispatch(&req, resp);
}

#endif
