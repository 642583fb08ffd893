/*
 * test_access.c - the access-control matrix: every route and method in
 * the hand-written table (access_table.h), as every role, as nobody, and
 * as a disabled user with a session made before the account was
 * disabled, against records inside and outside the caller's scope.
 *
 * The expected answer comes from access_table.h only; the route table is
 * read just to check that every route has its row there, and the reverse.
 * A caller the table refuses must get exactly 401, 403, 404 or a redirect
 * to the sign-in page (a 500 or any other error fails); one it allows must
 * not be refused and must not get a 500. Every state-changing request is
 * also sent with no CSRF token and with a wrong one: it must be refused
 * (403 for a caller the table allows) and leave no audit row (every write
 * is audited in its own transaction, so a write would have left one).
 *
 * Caught on purpose: opening /audit to every signed-in user (GET /audit
 * as hotline, case worker, investigator, analyst, partner: 200, where the
 * table says refused).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/clock.h"
#include "harness.h"
#include "webfix.h"
#include "access_table.h"
#include "core/banned.h"

/* the pre-session token of anonymous requests: signed by the fixture's
 * workspace in main(), as the sign-in page would make it */
static char pre[AUTH_PRE_TOKEN_HEX + 1];
#define WRONG_CSRF \
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

#define N_ACCESS_ROWS (sizeof access_table / sizeof access_table[0])

struct who {
    char letter;      /* as in access_table.h */
    const char *user; /* account, or NULL for nobody */
    int is_disabled;  /* signed in, then the account disabled */
    char token[33], csrf[65];
};

static struct who whos[] = {
    { 'A', "t.admin", 0, "", "" },        { 'C', "t.coordinator", 0, "", "" },
    { 'H', "t.hotline", 0, "", "" },      { 'W', "t.caseworker", 0, "", "" },
    { 'I', "t.investigator", 0, "", "" }, { 'N', "t.analyst", 0, "", "" },
    { 'P', "t.partner", 0, "", "" },      { 'a', NULL, 0, "", "" },
    { 'd', "t.disabled", 1, "", "" },
};

#define N_WHOS (sizeof whos / sizeof whos[0])

static int64_t found;

static int
keep(const struct user_row *u, void *ctx)
{
    (void)ctx;
    found = u->id;
    return 1;
}

static int64_t
user_id(struct webfix *f, const char *name)
{
    struct sr_err err = { 0 };
    found = 0;
    user_get(f->ws->db, 0, name, keep, NULL, &err);
    sr_err_release(&err);
    return found;
}

static const char *const q_audit_end = "SELECT coalesce(max(id), 0) FROM audit";

/* The id of the last audit row. */
static int64_t
audit_end(struct webfix *f)
{
    struct db_stmt *s = db_stmt(f->ws->db, &q_audit_end);
    int64_t id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return id;
}

static int
sign_in(struct webfix *f, struct who *w)
{
    w->token[0] = w->csrf[0] = '\0';
    if (w->user == NULL) {
        return 1;
    }
    struct sr_err err = { 0 };
    if (w->is_disabled) {
        user_set_disabled(f->ws->db, f->ws->vault, 0, w->user, 0, &err);
    }
    int ok = webfix_login(f, w->user, w->token, w->csrf) == SR_OK;
    if (w->is_disabled) {
        user_set_disabled(f->ws->db, f->ws->vault, 0, w->user, 1, &err);
        w->csrf[0] = '\0'; /* the session died: its forms died with it */
    }
    sr_err_release(&err);
    return ok;
}

static const char *
method_name(int m)
{
    return m == HTTP_GET    ? "GET"
           : m == HTTP_POST ? "POST"
           : m == HTTP_PUT  ? "PUT"
                            : "DELETE";
}

/* Fill pattern's parameters: {id} with id, {code} with a code no record
 * has, {name} with a static file. */
static void
fill(const char *pattern, int64_t id, char *path, size_t size)
{
    struct sr_buf b;
    sr_buf_init(&b, size - 1);
    for (const char *p = pattern; *p != '\0';) {
        if (strncmp(p, "{id}", 4) == 0) {
            sr_buf_printf(&b, "%lld", (long long)id);
            p += 4;
        } else if (strncmp(p, "{code}", 6) == 0) {
            sr_buf_adds(&b, "X-0000-0000");
            p += 6;
        } else if (strncmp(p, "{name}", 6) == 0) {
            sr_buf_adds(&b, "app.css");
            p += 6;
        } else {
            sr_buf_addc(&b, *p++);
        }
    }
    snprintf(path, size, "%s", b.data);
    sr_buf_release(&b);
}

/* Send one request as w; csrf is the form's token (NULL: no token). */
static void
send_as(struct webfix *f, struct arena *a, struct resp *resp, int m,
        const char *path, const struct who *w, const char *csrf)
{
    char form[128] = "";
    arena_init(a);
    memset(resp, 0, sizeof *resp);
    sr_buf_init(&resp->body, 0);
    if (csrf != NULL) {
        snprintf(form, sizeof form, "csrf=%s", csrf);
    }
    webfix_request(f, a, m, path, "", m == HTTP_GET ? NULL : form,
                   m == HTTP_GET ? NULL : "application/x-www-form-urlencoded",
                   w->token, pre, "", "", resp);
}

static void
done(struct arena *a, struct resp *resp)
{
    arena_release(a);
    sr_buf_release(&resp->body);
}

/* A refusal as the brief of the dispatcher has it: 401, 403, 404, or a
 * redirect to the sign-in page. */
static int
is_refusal(const struct resp *r)
{
    return r->status == 401 || r->status == 403 || r->status == 404 ||
           ((r->status == 303 || r->status == 302) && r->location != NULL &&
            strcmp(r->location, "/login") == 0);
}

/* Whether a request to path with method m names a row of the table. */
static int
has_row(const char *pattern, int m)
{
    for (size_t i = 0; i < N_ACCESS_ROWS; i++) {
        if (access_table[i].method == m &&
            strcmp(access_table[i].pattern, pattern) == 0) {
            return 1;
        }
    }
    return 0;
}

int
main(void)
{
    sr_clock_set(webfix_clock); /* the harness may move it on */
    struct webfix f;
    webfix_open(&f);
    /* on the store SIREN_TEST_STORE asks for: the 10 users of webfix.h */
    CHECK(webfix_on_right_store(&f, 10));
    CHECK(auth_pre_token_new(f.ws->vault, sr_now_ms() / 1000, pre) == SR_OK);
    int n_bad_sign_in = 0;
    for (size_t wi = 0; wi < N_WHOS; wi++) {
        n_bad_sign_in += !sign_in(&f, &whos[wi]);
    }
    CHECK(n_bad_sign_in == 0);

    /* every route in routes.c has its row, and every row its route */
    const int methods[] = { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE };
    int n_missing = 0, n_stale = 0;
    for (const struct route *rt = http_routes; rt->pattern != NULL; rt++) {
        for (size_t mi = 0; mi < 4; mi++) {
            if ((rt->methods & methods[mi]) &&
                !has_row(rt->pattern, methods[mi])) {
                fprintf(stderr, "no row in access_table.h for %s %s\n",
                        method_name(methods[mi]), rt->pattern);
                n_missing++;
            }
        }
    }
    for (size_t i = 0; i < N_ACCESS_ROWS; i++) {
        int is_routed = 0;
        for (const struct route *rt = http_routes; rt->pattern != NULL; rt++) {
            is_routed |= strcmp(rt->pattern, access_table[i].pattern) == 0 &&
                         (rt->methods & access_table[i].method);
        }
        if (!is_routed) {
            fprintf(stderr, "access_table.h row without a route: %s %s\n",
                    method_name(access_table[i].method),
                    access_table[i].pattern);
            n_stale++;
        }
    }
    CHECK(n_missing == 0);
    CHECK(n_stale == 0);

    /* records: a user in organisation A (everyone's home) and one in B */
    int64_t in_id = user_id(&f, "t.caseworker");
    int64_t out_id = user_id(&f, "t.hotlineb");
    int n_cases = 0, n_wrong_refusal = 0, n_refused = 0, n_server_error = 0;
    int n_csrf_passed = 0, n_csrf_wrote = 0, n_wrong_method = 0;
    for (size_t i = 0; i < N_ACCESS_ROWS; i++) {
        const struct access_row *row = &access_table[i];
        int has_record = strstr(row->pattern, "{id}") != NULL;
        int has_code = strstr(row->pattern, "{code}") != NULL;
        int is_change = row->method != HTTP_GET;
        for (int scope = 0; scope < (has_record ? 2 : 1); scope++) {
            char path[256];
            fill(row->pattern, scope == 0 ? in_id : out_id, path, sizeof path);
            const char *allowed = (scope == 1 || has_code) && row->out != NULL
                                      ? row->out
                                      : row->allowed;
            for (size_t wi = 0; wi < N_WHOS; wi++) {
                struct who *w = &whos[wi];
                int is_allowed = strchr(allowed, w->letter) != NULL;
                struct arena a;
                struct resp resp;
                /* a state change without a token, or with a wrong one,
                 * is refused and writes nothing */
                for (int k = 0; is_change && k < 2; k++) {
                    int64_t before = audit_end(&f);
                    send_as(&f, &a, &resp, row->method, path, w,
                            k == 0 ? NULL : WRONG_CSRF);
                    int ok =
                        is_allowed ? resp.status == 403 : is_refusal(&resp);
                    if (!ok) {
                        fprintf(stderr, "%s token: %s %s as %c -> %d\n",
                                k == 0 ? "no" : "wrong",
                                method_name(row->method), path, w->letter,
                                resp.status);
                        n_csrf_passed++;
                    }
                    if (audit_end(&f) != before) {
                        fprintf(stderr, "%s token wrote: %s %s as %c\n",
                                k == 0 ? "no" : "wrong",
                                method_name(row->method), path, w->letter);
                        n_csrf_wrote++;
                    }
                    done(&a, &resp);
                }
                /* the request itself, with this session's token */
                send_as(&f, &a, &resp, row->method, path, w,
                        w->csrf[0] != '\0' ? w->csrf : pre);
                n_cases++;
                if (resp.status >= 500) {
                    fprintf(stderr, "server error: %s %s as %c -> %d\n",
                            method_name(row->method), path, w->letter,
                            resp.status);
                    n_server_error++;
                } else if (is_allowed) {
                    /* these send people to the sign-in page by design;
                     * the code steps answer 401 without a step token */
                    int is_redirecting =
                        strcmp(row->pattern, "/") == 0 ||
                        strcmp(row->pattern, "/logout") == 0 ||
                        strncmp(row->pattern, "/login", 6) == 0;
                    int is_refused = resp.status == 401 || resp.status == 403 ||
                                     (resp.location != NULL &&
                                      strcmp(resp.location, "/login") == 0);
                    if (is_refused && !is_redirecting) {
                        fprintf(stderr, "refused: %s %s as %c -> %d\n",
                                method_name(row->method), path, w->letter,
                                resp.status);
                        n_wrong_refusal++;
                    }
                } else if (!is_refusal(&resp)) {
                    fprintf(stderr, "not refused: %s %s as %c -> %d\n",
                            method_name(row->method), path, w->letter,
                            resp.status);
                    n_refused++;
                }
                done(&a, &resp);
                /* these end the session: sign in again */
                if (row->method == HTTP_POST &&
                    (strcmp(row->pattern, "/logout") == 0 ||
                     strcmp(row->pattern, "/account/password") == 0)) {
                    n_bad_sign_in += !sign_in(&f, w);
                }
                /* a reset of the second factor ends its user's sessions:
                 * the case worker's, the record in organisation A */
                for (size_t k = 0;
                     k < N_WHOS && row->method == HTTP_POST &&
                     resp.status == 303 &&
                     strcmp(row->pattern, "/users/{id}/totp-reset") == 0;
                     k++) {
                    if (whos[k].user != NULL &&
                        strcmp(whos[k].user, "t.caseworker") == 0) {
                        n_bad_sign_in += !sign_in(&f, &whos[k]);
                    }
                }
            }
        }
    }
    /* a method no row gives a path is refused (405; 404 or a refusal
     * where another route's {code} takes the word) */
    for (size_t i = 0; i < N_ACCESS_ROWS; i++) {
        for (size_t mi = 0; mi < 4; mi++) {
            int m = methods[mi];
            if (has_row(access_table[i].pattern, m)) {
                continue;
            }
            char path[256];
            fill(access_table[i].pattern, in_id, path, sizeof path);
            for (size_t wi = 0; wi < N_WHOS; wi++) {
                struct arena a;
                struct resp resp;
                int64_t before = audit_end(&f);
                send_as(&f, &a, &resp, m, path, &whos[wi],
                        whos[wi].csrf[0] != '\0' ? whos[wi].csrf : pre);
                if ((resp.status != 405 && !is_refusal(&resp)) ||
                    audit_end(&f) != before) {
                    fprintf(stderr, "wrong method: %s %s as %c -> %d\n",
                            method_name(m), path, whos[wi].letter, resp.status);
                    n_wrong_method++;
                }
                done(&a, &resp);
            }
        }
    }
    printf("test_access: %d requests\n", n_cases);
    CHECK(n_refused == 0); /* broke: /audit opened to everyone */
    CHECK(n_wrong_refusal == 0);
    CHECK(n_server_error == 0);
    CHECK(n_csrf_passed == 0);
    CHECK(n_csrf_wrote == 0);
    CHECK(n_wrong_method == 0);
    CHECK(n_bad_sign_in == 0);
    webfix_close(&f);
    return TEST_DONE("test_access");
}
