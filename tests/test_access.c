/*
 * test_access.c - the access-control matrix, generated from the route and
 * policy tables: every route and method, as every role, as nobody, and as
 * a disabled user with a session made before the account was disabled,
 * against records inside and outside the caller's scope.
 *
 * A request the policy denies must be answered with a refusal (401, 403,
 * a redirect to the sign-in page, or 404 for a record out of scope); one
 * it allows must not be refused. Any other outcome is counted as a
 * failure; the closing line reports how many unexpected successes there
 * were (the goal is 0).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "webfix.h"
#include "core/banned.h"

static const char *const role_users[ROLE__COUNT] = {
    [ROLE_ADMIN] = "t.admin",
    [ROLE_COORDINATOR] = "t.coordinator",
    [ROLE_HOTLINE] = "t.hotline",
    [ROLE_CASEWORKER] = "t.caseworker",
    [ROLE_INVESTIGATOR] = "t.investigator",
    [ROLE_ANALYST] = "t.analyst",
    [ROLE_PARTNER] = "t.partner",
};

struct who {
    const char *label;
    enum role role;
    int is_disabled;
    char token[33], csrf[65];
    struct principal p;
};

static int n_unexpected_success;

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

static void
sign_in(struct webfix *f, struct who *w)
{
    w->token[0] = w->csrf[0] = '\0';
    if (w->role == ROLE_NONE && !w->is_disabled) {
        return;
    }
    const char *name = w->is_disabled ? "t.disabled" : role_users[w->role];
    struct sr_err err = { 0 };
    if (w->is_disabled) {
        user_set_disabled(f->ws->db, f->ws->vault, 0, name, 0, &err);
    }
    if (webfix_login(f, name, w->token, w->csrf) != SR_OK) {
        fprintf(stderr, "cannot sign in %s\n", name);
        n_fail++;
    }
    if (w->is_disabled) {
        user_set_disabled(f->ws->db, f->ws->vault, 0, name, 1, &err);
        w->csrf[0] = '\0'; /* the session died: its forms died with it */
    }
    sr_err_release(&err);
}

/* Whether another route with the same pattern answers method m. */
static int
pattern_has_method(const char *pattern, int m)
{
    for (const struct route *rt = http_routes; rt->pattern != NULL; rt++) {
        if (strcmp(rt->pattern, pattern) == 0 && (rt->methods & m)) {
            return 1;
        }
    }
    return 0;
}

static int
is_refusal(const struct resp *r)
{
    return r->status == 401 || r->status == 403 ||
           (r->status == 303 && r->location != NULL &&
            strcmp(r->location, "/login") == 0);
}

int
main(void)
{
    struct webfix f;
    webfix_open(&f);
    struct who whos[ROLE__COUNT + 2];
    int n_whos = 0;
    for (int r = 0; r < ROLE__COUNT; r++) {
        whos[n_whos].label = role_users[r];
        whos[n_whos].role = (enum role)r;
        whos[n_whos].is_disabled = 0;
        n_whos++;
    }
    whos[n_whos].label = "anonymous";
    whos[n_whos].role = ROLE_NONE;
    whos[n_whos].is_disabled = 0;
    n_whos++;
    whos[n_whos].label = "disabled user";
    whos[n_whos].role = ROLE_NONE; /* a disabled user holds no role */
    whos[n_whos].is_disabled = 1;
    n_whos++;
    for (int i = 0; i < n_whos; i++) {
        sign_in(&f, &whos[i]);
    }
    /* records: one in organisation A (everyone's home but t.coordb), one
     * in organisation B */
    int64_t in_id = user_id(&f, "t.caseworker");
    int64_t out_id = user_id(&f, "t.hotlineb");
    const int methods[] = { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE };
    int n_cases = 0;
    for (const struct route *rt = http_routes; rt->pattern != NULL; rt++) {
        for (size_t mi = 0; mi < sizeof methods / sizeof methods[0]; mi++) {
            int m = methods[mi];
            if (!(rt->methods & m) && pattern_has_method(rt->pattern, m)) {
                continue; /* that route's own turn covers it */
            }
            /* any {param} but a static file's {name} names a record */
            int has_id = strchr(rt->pattern, '{') != NULL &&
                         strstr(rt->pattern, "{name}") == NULL;
            for (int scope = 0; scope < (has_id ? 2 : 1); scope++) {
                for (int wi = 0; wi < n_whos; wi++) {
                    struct who *w = &whos[wi];
                    struct arena a;
                    struct resp resp;
                    char path[256];
                    arena_init(&a);
                    memset(&resp, 0, sizeof resp);
                    sr_buf_init(&resp.body, 0);
                    /* fill the pattern's parameters */
                    const char *p = rt->pattern;
                    size_t k = 0;
                    while (*p && k + 32 < sizeof path) {
                        if (strncmp(p, "{id}", 4) == 0) {
                            k += (size_t)snprintf(
                                path + k, sizeof path - k, "%lld",
                                (long long)(scope == 0 ? in_id : out_id));
                            p += 4;
                        } else if (strncmp(p, "{code}", 6) == 0) {
                            /* no record has this code: in scope or not,
                             * the answer must not be a success */
                            k += (size_t)snprintf(path + k, sizeof path - k,
                                                  "X-0000-0000");
                            p += 6;
                        } else if (strncmp(p, "{name}", 6) == 0) {
                            k += (size_t)snprintf(path + k, sizeof path - k,
                                                  "app.css");
                            p += 6;
                        } else {
                            path[k++] = *p++;
                        }
                    }
                    path[k] = '\0';
                    char form[128];
                    snprintf(form, sizeof form, "csrf=%s",
                             w->csrf[0] ? w->csrf
                                        : "5f0e1d2c3b4a59687766554433221100"
                                          "ffeeddccbbaa99887766554433221100");
                    webfix_request(
                        &f, &a, m, path, "", m == HTTP_GET ? NULL : form,
                        m == HTTP_GET ? NULL
                                      : "application/x-www-form-urlencoded",
                        w->token,
                        "5f0e1d2c3b4a59687766554433221100"
                        "ffeeddccbbaa99887766554433221100",
                        "", "", &resp);
                    n_cases++;
                    struct principal pr = { 0 };
                    pr.role = w->is_disabled ? ROLE_NONE : w->role;
                    pr.user_id = pr.role == ROLE_NONE ? 0 : 1;
                    pr.org_id = f.org_a_id;
                    int is_method_ok = (rt->methods & m) != 0;
                    int64_t obj_org =
                        has_id ? (scope == 0 ? f.org_a_id : f.org_b_id) : 0;
                    int allowed = is_method_ok &&
                                  policy_allows(&pr, rt->action, obj_org, -1);
                    if (!is_method_ok) {
                        /* the path exists under another method */
                        /* 404: another route's {code} took the word */
                        int ok = resp.status == 405 || resp.status == 404 ||
                                 is_refusal(&resp);
                        if (!ok) {
                            fprintf(stderr, "wrong method: %d %s as %s -> %d\n",
                                    m, path, w->label, resp.status);
                        }
                        CHECK(ok);
                    } else if (allowed) {
                        /* these send people to the sign-in page by design */
                        int is_redirecting_route =
                            strcmp(rt->pattern, "/") == 0 ||
                            strcmp(rt->pattern, "/logout") == 0 ||
                            strcmp(rt->pattern, "/login") == 0;
                        int ok = !is_refusal(&resp) || is_redirecting_route;
                        if (!ok) {
                            fprintf(stderr, "refused: %s %s as %s -> %d\n",
                                    m == HTTP_GET ? "GET" : "POST", path,
                                    w->label, resp.status);
                        }
                        CHECK(ok);
                    } else {
                        /* a success is a 2xx or a redirect other than to
                         * the sign-in page; a refusal or any client error
                         * (the record is unknown, the form empty) did
                         * nothing */
                        int ok = is_refusal(&resp) || resp.status >= 400;
                        if (!ok) {
                            n_unexpected_success++;
                            fprintf(stderr,
                                    "UNEXPECTED SUCCESS: %s %s as %s -> %d\n",
                                    m == HTTP_GET ? "GET" : "POST", path,
                                    w->label, resp.status);
                        }
                        CHECK(ok);
                    }
                    arena_release(&a);
                    sr_buf_release(&resp.body);
                    /* these end the session: sign in again */
                    if (m == HTTP_POST &&
                        (strcmp(rt->pattern, "/logout") == 0 ||
                         strcmp(rt->pattern, "/account/password") == 0)) {
                        sign_in(&f, w);
                    }
                }
            }
        }
    }
    printf("test_access: %d cases, %d unexpected successes\n", n_cases,
           n_unexpected_success);
    CHECK(n_cases > 100);
    webfix_close(&f);
    return TEST_DONE("test_access");
}
