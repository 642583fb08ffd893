/*
 * web_admin.c - account, users, organisations and audit pages, and their
 * JSON API.
 *
 * Record scope is checked here for each record shown (the dispatcher has
 * checked the action). No SQL: auth.c, org.c and audit.c answer.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/web.h"
#include "web/web_admin.h"

#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "base/auth.h"
#include "core/clock.h"
#include "web/json.h"
#include "base/org.h"
#include "base/workspace.h"
#include "cases/person.h"
#include "web/totp_web.h"
#include "core/banned.h"

/* ---- shared bits -------------------------------------------------------- */

/* The organisation scope of a user listing for this principal. */
static int64_t
user_scope_org(const struct req *req)
{
    return policy_scope(req->who.role, ACT_USER_READ) == SCOPE_ALL
               ? 0
               : req->who.org_id;
}

/* ---- account ------------------------------------------------------------ */

static void
account_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Settings"));
    web_flash_done(&h, req, "password", N_("Password changed."));
    HTML_LIT(&h, "<dl class=\"kv\"><dt>");
    html_text(&h, T(req, "Username"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, req->who.username);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Role"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, role_label(req->who.role)));
    HTML_LIT(&h, "</dd></dl>");
    web_card_begin(&h, req, N_("Change password"));
    web_form_error(&h, error);
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                 "action=\"/account/password\">");
    web_csrf_field(req, resp, &h);
    web_label(&h, req, "current", N_("Current password"));
    HTML_LIT(&h, "<input id=\"current\" name=\"current\" type=\"password\" "
                 "autocomplete=\"current-password\" required>");
    web_label(&h, req, "new", N_("New password"));
    HTML_LIT(&h, "<input id=\"new\" name=\"new\" type=\"password\" "
                 "autocomplete=\"new-password\" required minlength=\"12\" "
                 "maxlength=\"128\"><p class=\"muted\">");
    html_text(&h, T(req, "Passwords must be 12 to 128 characters long."));
    HTML_LIT(&h, "</p>");
    web_submit(&h, req, N_("Save"), NULL);
    HTML_LIT(&h, "</form></section>");
    totp_web_account_card(&h, req, resp);
    web_page_end(req, resp, &h);
}

int
web_account(struct req *req, struct resp *resp)
{
    account_page(req, resp, NULL);
    return SR_OK;
}

int
web_account_password(struct req *req, struct resp *resp)
{
    const char *cur = req_param(req, "current");
    const char *next = req_param(req, "new");
    struct sr_err err = { 0 };
    char token[SESSION_TOKEN_HEX + 1];
    struct principal p;
    /* the current password is checked like a sign-in (and counts toward
     * the lockout), so a stolen session cannot change it */
    int rc = auth_login(req->db, req->app->ws->vault, req->who.username,
                        cur ? cur : "", token, &p, &err);
    if (rc == SR_OK) {
        session_end(req->db, req->app->ws->vault, token, NULL);
        rc = user_set_password(req->db, req->app->ws->vault, req->who.user_id,
                               req->who.username, next ? next : "", &err);
        if (rc == SR_OK) {
            sr_err_release(&err);
            /* every session of the user ended: sign in again */
            resp_redirect(resp, "/login");
            return SR_OK;
        }
    }
    if (rc == SR_EDB) {
        sr_err_release(&err);
        return rc;
    }
    const char *msg = web_err_text(req, &err);
    if (rc == SR_EPERM || rc == SR_ELOCKED) {
        msg = T(req, "Wrong username or password.");
    }
    account_page(req, resp, msg);
    resp->status = 400;
    return SR_OK;
}

/* ---- users -------------------------------------------------------------- */

static int
user_row_html(const struct user_row *u, void *ctx)
{
    struct web_rows *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<tr><td><a href=\"/users/");
    html_printf_text(h, "%lld", (long long)u->id);
    HTML_LIT(h, "\">");
    html_text(h, u->username);
    HTML_LIT(h, "</a></td>");
    web_td(h, u->org_name);
    web_td(h, T(req, role_label(role_parse(u->role))));
    web_td(h, u->is_disabled ? T(req, "Disabled")
                             : TC(req, "account state", "Active"));
    if (u->last_login_at > 0) {
        web_td_time(h, req, u->last_login_at);
    } else {
        web_td(h, T(req, "Never"));
    }
    HTML_LIT(h, "</tr>");
    return 0;
}

static int
org_option(const struct org_row *o, void *ctx)
{
    web_option(ctx, o->code, o->name, 0);
    return 0;
}

static void
role_options(struct html *h, struct req *req, const char *selected)
{
    for (int r = 0; r < ROLE__COUNT; r++) {
        const char *name = role_name((enum role)r);
        web_option(h, name, T(req, role_label((enum role)r)),
                   selected && strcmp(selected, name) == 0);
    }
}

static int
users_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Users"));
    web_form_error(&h, error);
    web_table_open(&h, "", "users");
    static const char *const user_cols[] = {
        N_("Username"), N_("Organisation"), N_("Role"),
        N_("Status"),   N_("Last sign-in"), NULL
    };
    web_table_head(&h, req, user_cols);
    struct web_rows c = { req, resp, &h, 0 };
    int rc = user_list(req->db, user_scope_org(req), user_row_html, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    if (rc == SR_OK && policy_allows(&req->who, ACT_USER_MANAGE, 0, 0)) {
        HTML_LIT(&h, "<p><a href=\"/users/sessions\">");
        html_text(&h, T(req, "Open sessions"));
        HTML_LIT(&h, "</a></p>");
        web_card_begin(&h, req, N_("Add user"));
        HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                     "action=\"/users\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "new-username", N_("Username"));
        HTML_LIT(&h, "<input id=\"new-username\" name=\"username\" required "
                     "maxlength=\"32\" autocomplete=\"off\">");
        web_label(&h, req, "new-org", N_("Organisation"));
        HTML_LIT(&h, "<select id=\"new-org\" name=\"org\">");
        rc = org_list(req->db, org_option, &h, &err);
        HTML_LIT(&h, "</select>");
        web_label(&h, req, "new-role", N_("Role"));
        HTML_LIT(&h, "<select id=\"new-role\" name=\"role\">");
        role_options(&h, req, "hotline");
        HTML_LIT(&h, "</select>");
        web_label(&h, req, "new-password", N_("Password"));
        HTML_LIT(&h, "<input id=\"new-password\" name=\"password\" "
                     "type=\"password\" autocomplete=\"new-password\" "
                     "required minlength=\"12\" maxlength=\"128\">");
        web_submit(&h, req, N_("Add user"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_users(struct req *req, struct resp *resp)
{
    return users_page(req, resp, NULL);
}

int
web_user_add(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int64_t id = 0;
    int rc =
        user_add(req->db, req->app->ws->vault, req->who.user_id,
                 req_param(req, "username"), req_param(req, "org"),
                 req_param(req, "role"), req_param(req, "password"), &id, &err);
    if (rc == SR_OK) {
        resp_redirect(resp,
                      arena_printf(req->arena, "/users/%lld", (long long)id));
        return SR_OK;
    }
    return web_form_again(req, resp, rc, &err, users_page);
}

/* ---- open sessions (administrators) ------------------------------------ */

static int
session_row_html(const struct session_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<tr><td><a href=\"/users/");
    html_printf_text(h, "%lld", (long long)r->user_id);
    HTML_LIT(h, "\">");
    html_text(h, r->username);
    HTML_LIT(h, "</a></td>");
    web_td(h, r->org_name);
    web_td(h, T(req, role_label(role_parse(r->role))));
    web_td_time(h, req, r->created_at);
    web_td_time(h, req, r->seen_at);
    HTML_LIT(h, "<td><form method=\"post\" action=\"/users/sessions\">");
    web_csrf_field(req, c->resp, h);
    HTML_LIT(h, "<input type=\"hidden\" name=\"id\" value=\"");
    html_attr(h, r->id);
    HTML_LIT(h, "\"><button class=\"btn\" type=\"submit\">");
    html_text(h, T(req, "End session"));
    HTML_LIT(h, "</button></form></td></tr>");
    c->n_rows++;
    return 0;
}

int
web_sessions(struct req *req, struct resp *resp)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Open sessions"));
    web_flash_done(&h, req, "ended", N_("Session ended."));
    web_table_open(&h, "", "sessions");
    static const char *const cols[] = {
        N_("Username"),  N_("Organisation"), N_("Role"), N_("Signed in"),
        N_("Last seen"), N_("End session"),  NULL
    };
    web_table_head(&h, req, cols);
    struct web_rows c = { req, resp, &h, 0 };
    int rc =
        session_list(req->db, req->app->ws->vault, session_row_html, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_session_end(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int rc = session_end_id(req->db, req->app->ws->vault, req->who.user_id,
                            req_param(req, "id"), &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND) {
        web_error(req, resp, 404, N_("This session has ended already."));
        return SR_OK;
    }
    if (rc == SR_OK) {
        resp_redirect(resp, "/users/sessions?done=ended");
    }
    return rc;
}

struct user_view {
    struct user_row u;
    char username[64], org_name[256], role[32];
    int is_found;
};

static int
keep_user(const struct user_row *u, void *ctx)
{
    struct user_view *v = ctx;
    v->u = *u;
    snprintf(v->username, sizeof v->username, "%s", u->username);
    snprintf(v->org_name, sizeof v->org_name, "%s", u->org_name);
    snprintf(v->role, sizeof v->role, "%s", u->role);
    v->is_found = 1;
    return 1;
}

/* Load {id} if it exists and is in the principal's scope for action. */
static int
load_scoped_user(struct req *req, struct resp *resp, enum action action,
                 struct user_view *v)
{
    long long id;
    const char *p = req_route_param(req, "id");
    memset(v, 0, sizeof *v);
    if (p == NULL || sr_parse_i64(p, 1, INT64_MAX, &id) != SR_OK) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_ENOTFOUND;
    }
    struct sr_err err = { 0 };
    int rc = user_get(req->db, id, NULL, keep_user, v, &err);
    sr_err_release(&err);
    /* out of scope looks the same as absent: no probing for ids */
    if (rc == SR_ENOTFOUND ||
        (rc == SR_OK &&
         !policy_allows(&req->who, action, v->u.org_id, v->u.id))) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_ENOTFOUND;
    }
    return rc;
}

/* The user page of v, with error (NULL: none) above the new password
 * form it refused. */
static void
user_page(struct req *req, struct resp *resp, const struct user_view *vv,
          const char *error)
{
    const struct user_view v = *vv;
    struct html h;
    web_page_begin(req, resp, &h, N_("User"));
    web_flash_done(&h, req, "password", N_("Password changed."));
    HTML_LIT(&h, "<dl class=\"kv\"><dt>");
    html_text(&h, T(req, "Username"));
    HTML_LIT(&h, "</dt><dd id=\"user-name\">");
    html_text(&h, v.username);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Organisation"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, v.org_name);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Role"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, role_label(role_parse(v.role))));
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Status"));
    HTML_LIT(&h, "</dt><dd id=\"user-status\">");
    html_text(&h, v.u.is_disabled ? T(req, "Disabled")
                                  : TC(req, "account state", "Active"));
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Last sign-in"));
    HTML_LIT(&h, "</dt><dd>");
    if (v.u.last_login_at > 0) {
        web_time(&h, req, v.u.last_login_at);
    } else {
        html_text(&h, T(req, "Never"));
    }
    HTML_LIT(&h, "</dd></dl>");
    if (policy_allows(&req->who, ACT_USER_MANAGE, v.u.org_id, v.u.id)) {
        HTML_LIT(&h, "<section class=\"card\"><form class=\"stack\" "
                     "method=\"post\" action=\"/users/");
        html_printf_text(&h, "%lld", (long long)v.u.id);
        HTML_LIT(&h, "\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "role", N_("Role"));
        HTML_LIT(&h, "<select id=\"role\" name=\"role\">");
        role_options(&h, req, v.role);
        HTML_LIT(&h, "</select>");
        web_label(&h, req, "status", N_("Status"));
        HTML_LIT(&h, "<select id=\"status\" name=\"status\"><option "
                     "value=\"active\"");
        HTML_LIT(&h, ">");
        html_text(&h, TC(req, "account state", "Active"));
        HTML_LIT(&h, "</option><option value=\"disabled\"");
        if (v.u.is_disabled) {
            HTML_LIT(&h, " selected");
        }
        HTML_LIT(&h, ">");
        html_text(&h, T(req, "Disabled"));
        HTML_LIT(&h, "</option></select>");
        web_submit(&h, req, N_("Save"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    if (policy_allows(&req->who, ACT_USER_MANAGE, v.u.org_id, v.u.id) &&
        v.u.id != req->who.user_id) {
        /* a forgotten password: the administrator sets a new one and
         * gives it to the user (their own is changed under Settings,
         * with the current one) */
        web_card_begin(&h, req, N_("Change password"));
        web_form_error(&h, error);
        HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                     "id=\"user-password\" action=\"/users/");
        html_printf_text(&h, "%lld", (long long)v.u.id);
        HTML_LIT(&h, "/password\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "new", N_("New password"));
        HTML_LIT(&h, "<input id=\"new\" name=\"new\" type=\"password\" "
                     "autocomplete=\"new-password\" required minlength=\"12\" "
                     "maxlength=\"128\"><p class=\"muted\">");
        html_text(&h, T(req, "Passwords must be 12 to 128 characters long."));
        HTML_LIT(&h, "</p>");
        web_submit(&h, req, N_("Save"), "set-password");
        HTML_LIT(&h, "</form></section>");
    }
    totp_web_user_card(&h, req, resp, v.u.id, v.u.org_id);
    web_page_end(req, resp, &h);
}

int
web_user_view(struct req *req, struct resp *resp)
{
    struct user_view v;
    int rc = load_scoped_user(req, resp, ACT_USER_READ, &v);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    user_page(req, resp, &v, NULL);
    return SR_OK;
}

int
web_user_password(struct req *req, struct resp *resp)
{
    struct user_view v;
    int rc = load_scoped_user(req, resp, ACT_USER_MANAGE, &v);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    if (v.u.id == req->who.user_id) {
        /* one's own: under Settings, with the current password */
        web_error(req, resp, 403,
                  N_("You do not have permission to see this page."));
        return SR_OK;
    }
    const char *next = req_param(req, "new");
    struct sr_err err = { 0 };
    rc = user_set_password(req->db, req->app->ws->vault, req->who.user_id,
                           v.username, next != NULL ? next : "", &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(resp,
                      arena_printf(req->arena, "/users/%lld?done=password",
                                   (long long)v.u.id));
        return SR_OK;
    }
    if (rc == SR_EDB) {
        sr_err_release(&err);
        return rc;
    }
    user_page(req, resp, &v, web_err_text(req, &err));
    resp->status = 400;
    return SR_OK;
}

int
web_user_update(struct req *req, struct resp *resp)
{
    struct user_view v;
    int rc = load_scoped_user(req, resp, ACT_USER_MANAGE, &v);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    const char *role = req_param(req, "role");
    const char *status = req_param(req, "status");
    struct sr_err err = { 0 };
    if (status != NULL && strcmp(status, "active") != 0 &&
        strcmp(status, "disabled") != 0) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    if (role != NULL && strcmp(role, v.role) != 0) {
        rc = user_set_role(req->db, req->app->ws->vault, req->who.user_id,
                           v.username, role, &err);
    }
    int want_disabled = status != NULL && strcmp(status, "disabled") == 0;
    if (rc == SR_OK && status != NULL && want_disabled != v.u.is_disabled) {
        rc = user_set_disabled(req->db, req->app->ws->vault, req->who.user_id,
                               v.username, want_disabled, &err);
    }
    if (rc == SR_EINVAL) {
        sr_err_release(&err);
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    sr_err_release(&err);
    if (rc != SR_OK) {
        return rc;
    }
    resp_redirect(resp,
                  arena_printf(req->arena, "/users/%lld", (long long)v.u.id));
    return SR_OK;
}

/* ---- organisations ------------------------------------------------------ */

static int
org_row_html(const struct org_row *o, void *ctx)
{
    struct web_rows *c = ctx;
    if (!policy_allows(&c->req->who, ACT_ORG_READ, o->id, 0)) {
        return 0;
    }
    HTML_LIT(c->h, "<tr>");
    web_td(c->h, o->code);
    web_td(c->h, o->name);
    web_td(c->h, T(c->req, vocab_label(org_kinds, o->kind)));
    web_td(c->h, o->country);
    HTML_LIT(c->h, "<td class=\"num\">");
    html_printf_text(c->h, "%lld", (long long)o->n_users);
    HTML_LIT(c->h, "</td></tr>");
    return 0;
}

static int
orgs_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Organisations"));
    web_form_error(&h, error);
    web_table_open(&h, "", "orgs");
    web_th(&h, req, N_("Code"));
    web_th(&h, req, N_("Name"));
    web_th(&h, req, N_("Organisation"));
    HTML_LIT(&h, "<th scope=\"col\">ISO 3166</th>");
    web_th(&h, req, N_("Users"));
    HTML_LIT(&h, "</tr></thead><tbody>");
    struct web_rows c = { req, resp, &h, 0 };
    int rc = org_list(req->db, org_row_html, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    if (policy_allows(&req->who, ACT_ORG_MANAGE, 0, 0)) {
        HTML_LIT(&h, "<section class=\"card\"><form class=\"stack\" "
                     "method=\"post\" action=\"/orgs\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "org-name", N_("Name"));
        HTML_LIT(&h, "<input id=\"org-name\" name=\"name\" required "
                     "maxlength=\"200\">");
        web_label(&h, req, "org-kind", N_("Organisation"));
        HTML_LIT(&h, "<select id=\"org-kind\" name=\"kind\">");
        web_vocab_options(&h, req, org_kinds, NULL, NULL);
        HTML_LIT(&h, "</select><label for=\"org-country\">ISO 3166-1"
                     "</label><input id=\"org-country\" name=\"country\" "
                     "maxlength=\"2\">");
        web_submit(&h, req, N_("Save"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_orgs(struct req *req, struct resp *resp)
{
    return orgs_page(req, resp, NULL);
}

int
web_org_add(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    char code[32];
    int64_t id;
    const char *country = req_param(req, "country");
    int rc = org_add(req->db, req->app->ws->vault, req->who.user_id,
                     req_param(req, "name"), req_param(req, "kind"),
                     country ? country : "", code, &id, &err);
    if (rc == SR_OK) {
        resp_redirect(resp, "/orgs");
        return SR_OK;
    }
    return web_form_again(req, resp, rc, &err, orgs_page);
}

/* ---- audit -------------------------------------------------------------- */

struct audit_ctx {
    struct req *req;
    struct html *h;
    int64_t last_id;
    int n;
    int n_page;   /* rows the page shows */
    int has_more; /* a row past the page was found */
};

static int
audit_row_html(const struct audit_row *r, void *ctx)
{
    struct audit_ctx *c = ctx;
    if (c->n == c->n_page) {
        c->has_more = 1; /* the row past the page: there is a next one */
        return 1;
    }
    HTML_LIT(c->h, "<tr><td class=\"num\">");
    html_printf_text(c->h, "%lld", (long long)r->id);
    HTML_LIT(c->h, "</td>");
    web_td_time(c->h, c->req, r->ts_ms / 1000);
    web_td(c->h, r->user_id ? r->username : "-");
    web_td(c->h, r->action);
    web_td(c->h, r->record_type);
    web_td(c->h, r->record_code);
    web_td(c->h, r->detail);
    HTML_LIT(c->h, "</tr>");
    c->last_id = r->id;
    c->n++;
    return 0;
}

static int64_t
param_i64(struct req *req, const char *name)
{
    long long v = 0;
    const char *p = req_param(req, name);
    if (p == NULL || sr_parse_i64(p, 0, INT64_MAX, &v) != SR_OK) {
        return 0;
    }
    return v;
}

/* "YYYY-MM-DD", a day in the workspace's zone (the day the rows show),
 * to unix ms at its first moment (end_of_day: its last, 23:59:59.999) in
 * *out; 0 (no bound) when absent or empty. SR_EINVAL for anything else
 * that is not such a date (the page names the field). */
static int
param_date_ms(struct req *req, const char *name, int end_of_day, int64_t *out)
{
    const char *p = req_param(req, name);
    int y, m, d;
    char extra;
    *out = 0;
    if (p == NULL || p[0] == '\0') {
        return SR_OK;
    }
    if (sscanf(p, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || y < 1970 ||
        m < 1 || m > 12 || d < 1 || d > 31) {
        return SR_EINVAL;
    }
    int64_t start_s = sr_days_from_civil(y, m, d) * 86400 - web_tz_offset(req);
    *out = start_s * 1000 + (end_of_day ? 86399999 : 0);
    return SR_OK;
}

static void
filter_input(struct html *h, struct req *req, const char *id, const char *msgid,
             const char *type)
{
    const char *v = req_param(req, id);
    HTML_LIT(h, "<div>");
    web_label(h, req, id, msgid);
    HTML_LIT(h, "<input ");
    web_id_name(h, id, id);
    HTML_LIT(h, " type=\"");
    html_attr(h, type);
    HTML_LIT(h, "\" value=\"");
    html_attr(h, v ? v : "");
    HTML_LIT(h, "\"></div>");
}

/* person_get()'s callback when only whether the person is in scope
 * matters */
static int
person_seen(const struct person_row *r, void *ctx)
{
    (void)r;
    (void)ctx;
    return 0;
}

int
web_audit(struct req *req, struct resp *resp)
{
    struct html h;
    struct sr_err err = { 0 };
    struct audit_filter f;
    memset(&f, 0, sizeof f);
    f.user_id = param_i64(req, "user"); /* a link's user id */
    f.action = req_param(req, "action");
    f.record_type = req_param(req, "type");
    f.record_code = req_param(req, "record");
    /* the filters a person types, each refused by its label when bad:
     * a user by name, the days */
    const char *bad = NULL;
    const char *username = req_param(req, "username");
    if (username != NULL && username[0] != '\0') {
        struct user_view named;
        memset(&named, 0, sizeof named);
        if (user_get(req->db, 0, username, keep_user, &named, NULL) == SR_OK) {
            f.user_id = named.u.id;
        } else {
            bad = N_("User");
        }
    }
    if (param_date_ms(req, "from", 0, &f.from_ms) != SR_OK) {
        bad = N_("From");
    }
    if (param_date_ms(req, "to", 1, &f.to_ms) != SR_OK) {
        bad = N_("To");
    }
    /* the next page's cursor; "before" as links of earlier versions */
    f.before_id = param_i64(req, "after");
    if (f.before_id == 0) {
        f.before_id = param_i64(req, "before");
    }
    int n_page = 0;
    if (web_page_rows(req, &n_page) != SR_OK) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    f.limit = n_page + 1; /* one more tells whether a next page exists */
    web_page_begin(req, resp, &h, N_("Audit log"));
    if (policy_allows(&req->who, ACT_AUDIT_VERIFY, 0, 0)) {
        /* the rows since the last verification, and the anchor file; a
         * full walk is the command line's (siren audit verify --full) */
        struct audit_verify_report r;
        int rc = ws_audit_verify_since(req->app->ws, req->db, 0, &r, NULL);
        HTML_LIT(&h, "<p id=\"audit-status\" class=\"flash ");
        if (rc == SR_OK) {
            HTML_LIT(&h, "ok\">");
            html_text(&h, T(req, "Audit chain"));
            HTML_LIT(&h, ": ");
            html_text(&h, T(req, "verified"));
        } else if (r.is_checkpoint_bad) {
            HTML_LIT(&h, "error\">");
            html_text(&h, T(req, "Audit chain"));
            HTML_LIT(&h, ": ");
            html_text(&h, T(req, "verification checkpoint refused"));
        } else {
            HTML_LIT(&h, "error\">");
            html_text(&h, T(req, "Audit chain"));
            HTML_LIT(&h, ": ");
            web_printf_tr(&h, req, N_("broken at row %lld"),
                          (long long)r.bad_id);
        }
        HTML_LIT(&h, "</p>");
    }
    HTML_LIT(&h, "<form class=\"filters\" method=\"get\" action=\"/audit\">");
    filter_input(&h, req, "username", N_("User"), "text");
    filter_input(&h, req, "action", N_("Action"), "text");
    filter_input(&h, req, "type", N_("Record"), "text");
    filter_input(&h, req, "record", N_("Code"), "text");
    filter_input(&h, req, "from", N_("From"), "date");
    filter_input(&h, req, "to", N_("To"), "date");
    HTML_LIT(&h, "<div>");
    web_submit(&h, req, N_("Filter"), NULL);
    HTML_LIT(&h, "</div></form>");
    /* a coordinator sees the entries of their own organisation's users,
     * and every entry about a person their organisation recorded (an
     * emergency view by another organisation's worker included) */
    int is_visible = 0;
    if (bad != NULL) {
        resp->status = 400;
        HTML_LIT(&h, "<div class=\"form-error\" role=\"alert\" "
                     "id=\"filter-error\">");
        web_printf_tr(&h, req, N_("Check the filter field: %s"), T(req, bad));
        HTML_LIT(&h, "</div>");
    } else if (policy_scope(req->who.role, ACT_AUDIT_READ) == SCOPE_ALL) {
        is_visible = 1;
    } else if (f.record_type != NULL && strcmp(f.record_type, "person") == 0 &&
               f.record_code != NULL &&
               person_get(req->db, &req->who, f.record_code, person_seen, NULL,
                          NULL) == SR_OK) {
        is_visible = 1;
    } else {
        if (f.user_id == 0) {
            f.user_id = req->who.user_id;
        }
        struct user_view v;
        memset(&v, 0, sizeof v);
        is_visible =
            user_get(req->db, f.user_id, NULL, keep_user, &v, NULL) == SR_OK &&
            policy_allows(&req->who, ACT_AUDIT_READ, v.u.org_id, 0);
    }
    int rc = SR_OK;
    int64_t n_match = 0;
    if (is_visible) {
        rc = audit_list_count(req->db, &f, WEB_COUNT_CAP, &n_match, &err);
    }
    if (rc == SR_OK) {
        web_match_count(&h, req, n_match);
    }
    web_table_open(&h, "", "audit");
    HTML_LIT(&h, "<th scope=\"col\">#</th>");
    web_th(&h, req, N_("Time"));
    web_th(&h, req, N_("User"));
    web_th(&h, req, N_("Action"));
    web_th(&h, req, N_("Record"));
    web_th(&h, req, N_("Code"));
    HTML_LIT(&h, "<th scope=\"col\"></th></tr></thead><tbody>");
    struct audit_ctx c = { req, &h, 0, 0, n_page, 0 };
    if (rc == SR_OK && is_visible) {
        rc = audit_list(req->db, &f, audit_row_html, &c, &err);
    }
    HTML_LIT(&h, "</tbody></table></div>");
    if (c.n == 0) {
        web_muted(&h, req, NULL, N_("No records."));
    }
    static const char *const kept_filter[] = { "user", "username", "action",
                                               "type", "record",   "from",
                                               "to",   NULL };
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)c.last_id);
    web_pager(&h, req, "/audit", c.has_more ? cursor : NULL, f.before_id == 0,
              kept_filter);
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

/* ---- JSON API ----------------------------------------------------------- */

int
api_me(struct req *req, struct resp *resp)
{
    json_respond(resp, 200,
                 json_pack("{s:I,s:s,s:s,s:I,s:s,s:b}", "id",
                           (json_int_t)req->who.user_id, "username",
                           req->who.username, "role", role_name(req->who.role),
                           "org_id", (json_int_t)req->who.org_id, "lang",
                           req->lang, "can_see_identity",
                           policy_can_see_identity(req->who.role)));
    return SR_OK;
}

static int
user_json(const struct user_row *u, void *ctx)
{
    json_array_append_new(
        ctx, json_pack("{s:I,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)u->id,
                       "username", u->username, "org", u->org_code, "role",
                       u->role, "disabled", u->is_disabled, "last_login_at",
                       (json_int_t)u->last_login_at));
    return 0;
}

int
api_users(struct req *req, struct resp *resp)
{
    json_t *arr = json_array();
    struct sr_err err = { 0 };
    int rc = user_list(req->db, user_scope_org(req), user_json, arr, &err);
    sr_err_release(&err);
    return json_respond_list(resp, rc, "users", arr);
}

/* GET /api/v1/audit/verify: the rows appended since the last verification
 * (page, API or command line) and the anchor file. No full walk here: at a
 * million rows it holds a worker for seconds; `siren audit verify --full`
 * is the operator's. */
int
api_audit_verify(struct req *req, struct resp *resp)
{
    struct audit_verify_report r;
    struct sr_err err = { 0 };
    int rc = ws_audit_verify_since(req->app->ws, req->db, 0, &r, &err);
    if (rc == SR_OK) {
        json_respond(resp, 200,
                     json_pack("{s:b,s:I,s:I,s:I}", "ok", 1, "rows",
                               (json_int_t)r.n_rows, "checked",
                               (json_int_t)r.n_checked, "verified_before",
                               (json_int_t)r.from_id));
    } else if (rc == SR_ECONFLICT || rc == SR_ECRYPTO) {
        json_respond(resp, 200,
                     json_pack("{s:b,s:I,s:b,s:s}", "ok", 0, "broken_at",
                               (json_int_t)r.bad_id, "checkpoint_refused",
                               r.is_checkpoint_bad, "message",
                               sr_err_msg(&err)));
        rc = SR_OK;
    }
    sr_err_release(&err);
    return rc;
}
