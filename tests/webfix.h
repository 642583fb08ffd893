/*
 * webfix.h - a workspace on disk with one user per role for tests that
 * run requests through the dispatcher in-process (no socket).
 *
 * Users (password WEBFIX_PW): t.admin, t.coordinator, t.hotline,
 * t.caseworker, t.investigator, t.analyst, t.partner in organisation A;
 * t.coordb (coordinator) and t.hotlineb (hotline) in organisation B;
 * t.disabled (hotline, disabled) in A.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_WEBFIX_H
#define SR_WEBFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "base/auth.h"
#include "web/http.h"
#include "core/i18n.h"
#include "base/org.h"
#include "base/workspace.h"

#define WEBFIX_PW "quiet-river-lantern-88"

struct webfix {
    char dir[64];
    struct ws *ws;
    struct app app;
    char org_a[32], org_b[32];
    int64_t org_a_id, org_b_id;
};

static inline void
webfix_open(struct webfix *f)
{
    struct sr_err err = { 0 };
    snprintf(f->dir, sizeof f->dir, "/tmp/siren-web-XXXXXX");
    if (mkdtemp(f->dir) == NULL || vault_init() != SR_OK ||
        i18n_load_all(&err) != SR_OK ||
        ws_create(f->dir, NULL, "webfix pass", 11, VAULT_KDF_INTERACTIVE,
                  &f->ws, &err) != SR_OK ||
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
    f->app.ws = f->ws;
    f->app.body_timeout_ms = 30000;
    f->app.n_threads = 2;
}

static inline void
webfix_close(struct webfix *f)
{
    char cmd[128];
    ws_close(f->ws);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "webfix: cannot remove %s\n", f->dir);
    }
}

/* Sign user in; token and csrf out. 0 on success. */
static inline int
webfix_login(struct webfix *f, const char *user, char token[33], char csrf[65])
{
    struct principal p;
    struct sr_err err = { 0 };
    int rc =
        auth_login(f->ws->db, f->ws->vault, user, WEBFIX_PW, token, &p, &err);
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
    req.db = f->ws->db;
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
