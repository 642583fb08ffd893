/*
 * web.c - the page layout, error pages, sign-in and sign-out, language
 * switch, dashboard, health and static assets.
 *
 * Owns the look of every page's frame. Must not run SQL, log identities
 * or put anything but codes and ids into URLs.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/web.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "base/auth.h"
#include "embedded.h"
#include "web/json.h"
#include "base/org.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/clock.h"
#include "core/gazetteer.h"
#include "core/banned.h"

int
web_tz_offset(const struct req *req)
{
    int offset_s = 0;
    (void)sr_tz_offset(req->app->ws->cfg.timezone, &offset_s);
    return offset_s;
}

const char *
web_time_text(const struct req *req, int64_t t)
{
    int offset_s = web_tz_offset(req);
    char when[32], label[16];
    sr_time_text(t, offset_s, SR_TIME_MINUTE, when, sizeof when);
    if (strcmp(when, "-") == 0) {
        return "-"; /* none, or out of range */
    }
    sr_tz_label(offset_s, label, sizeof label);
    return arena_printf(req->arena, "%s %s", when, label);
}

void
web_time(struct html *h, const struct req *req, int64_t t)
{
    const char *text = web_time_text(req, t);
    char utc[32];
    sr_time_text(t, 0, SR_TIME_ISO, utc, sizeof utc);
    if (strcmp(text, "-") == 0 || strcmp(utc, "-") == 0) {
        HTML_LIT(h, "-");
        return;
    }
    HTML_LIT(h, "<time datetime=\"");
    html_attr(h, utc);
    HTML_LIT(h, "Z\">");
    html_text(h, text);
    HTML_LIT(h, "</time>");
}

void
web_td_time(struct html *h, const struct req *req, int64_t t)
{
    HTML_LIT(h, "<td>");
    web_time(h, req, t);
    HTML_LIT(h, "</td>");
}

void
web_dt_dd_time(struct html *h, const struct req *req, const char *msgid,
               int64_t t)
{
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</dt><dd>");
    web_time(h, req, t);
    HTML_LIT(h, "</dd>");
}

const char *
web_day_text(const struct req *req, int64_t t)
{
    char day[32];
    sr_time_text(t, web_tz_offset(req), SR_TIME_DAY, day, sizeof day);
    return arena_strdup(req->arena, day);
}

const char *
web_province_name(struct req *req, const char *code)
{
    const struct gaz_division *d = gaz_find(code);
    return d != NULL ? gaz_name(d, req->lang) : code;
}

/*
 * The pre-session CSRF token of an anonymous visitor: the one its cookie
 * holds while that is signed by us and in the first half of its life,
 * else a new one, set in the cookie (__Host- behind TLS). "" if none can
 * be made (the form is then refused, which is safe).
 */
static const char *
pre_token(struct req *req, struct resp *resp)
{
    int64_t now_s = sr_now_ms() / 1000;
    const struct vault *v = req->app->ws->vault;
    if (auth_pre_token_check(v, req->cookie_pre, now_s,
                             AUTH_PRE_TOKEN_TTL_S / 2)) {
        return req->cookie_pre;
    }
    char *tok = arena_alloc(req->arena, AUTH_PRE_TOKEN_HEX + 1);
    if (auth_pre_token_new(v, now_s, tok) != SR_OK) {
        return "";
    }
    req->cookie_pre = tok;
    resp_cookie(
        resp,
        arena_printf(req->arena,
                     "%s=%s; Path=/; Max-Age=%d; HttpOnly; "
                     "SameSite=Strict%s",
                     http_pre_cookie_name(req->app), tok, AUTH_PRE_TOKEN_TTL_S,
                     req->app->ws->cfg.is_tls_proxied ? "; Secure" : ""));
    return tok;
}

void
web_printf_tr(struct html *h, const struct req *req, const char *msgid, ...)
{
    const char *fmt = i18n_tr(req->lang, msgid);
    char text[1024];
    va_list ap;
    va_start(ap, msgid);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(text, sizeof text, fmt, ap);
#pragma GCC diagnostic pop
    va_end(ap);
    html_text(h, text);
}

void
web_csrf_field(struct req *req, struct resp *resp, struct html *h)
{
    const char *tok =
        req->who.user_id > 0 ? req->who.csrf : pre_token(req, resp);
    HTML_LIT(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_attr(h, tok);
    HTML_LIT(h, "\">");
}

void
web_post_form(struct html *h, struct req *req, struct resp *resp,
              const char *prefix, const char *code, const char *suffix)
{
    HTML_LIT(h, "<form class=\"stack\" method=\"post\" action=\"");
    html_attr(h, prefix);
    html_url(h, code);
    html_attr(h, suffix);
    HTML_LIT(h, "\">");
    web_csrf_field(req, resp, h);
}

struct nav_item {
    const char *href;
    const char *msgid;
    enum action action;
};

static const struct nav_item nav[] = {
    { "/dashboard", N_("Dashboard"), ACT_SIGNED_IN },
    { "/users", N_("Users"), ACT_USER_READ },
    { "/orgs", N_("Organisations"), ACT_ORG_READ },
    { "/contacts", N_("Contacts"), ACT_CONTACT_READ },
    { "/audit", N_("Audit log"), ACT_AUDIT_READ },
    { "/directory", N_("Directory"), ACT_ORG_READ },
    { "/referrals", N_("Referrals"), ACT_REFERRAL_READ },
    /* justice and offenders */
    { "/reports/funnel", N_("Justice funnel"), ACT_FUNNEL_READ },
    { "/entities", N_("Offenders"), ACT_ENTITY_READ },
    { "/reports/network", N_("Network statistics"), ACT_NETWORK_STATS },
    { "/reports/hotline", N_("Hotline report"), ACT_REPORT_READ },
    /* cases and people */
    { "/cases", N_("Cases"), ACT_CASE_READ },
    { "/duplicates", N_("Possible duplicates"), ACT_DEDUP_DECIDE },
    { "/glass", N_("Emergency views"), ACT_GLASS_REVIEW },
    { "/stats", N_("Statistics"), ACT_STATS_RUN },
};

static void
lang_switch(struct req *req, struct resp *resp, struct html *h)
{
    HTML_LIT(h, "<form class=\"lang-switch\" method=\"post\" "
                "action=\"/lang\"><label class=\"visually-hidden\" "
                "for=\"lang-select\">");
    html_text(h, T(req, "Language"));
    HTML_LIT(h, "</label><select id=\"lang-select\" name=\"lang\">");
    for (size_t i = 0; i < i18n_n_langs(); i++) {
        const struct i18n_lang *l = &i18n_langs[i];
        HTML_LIT(h, "<option value=\"");
        html_attr(h, l->code);
        HTML_LIT(h, "\" lang=\"");
        html_attr(h, l->code);
        HTML_LIT(h, "\"");
        if (strcmp(l->code, req->lang) == 0) {
            HTML_LIT(h, " selected");
        }
        HTML_LIT(h, ">");
        html_text(h, l->native_name);
        HTML_LIT(h, "</option>");
    }
    HTML_LIT(h, "</select><input type=\"hidden\" name=\"next\" value=\"");
    html_attr(h, req->path);
    HTML_LIT(h, "\">");
    web_csrf_field(req, resp, h);
    HTML_LIT(h, "<button class=\"btn\" type=\"submit\">");
    html_text(h, T(req, "Language"));
    HTML_LIT(h, "</button></form>");
}

void
web_page_begin(struct req *req, struct resp *resp, struct html *h,
               const char *title_msgid)
{
    html_init(h, 0);
    HTML_LIT(h, "<!doctype html>\n<html lang=\"");
    html_attr(h, req->lang);
    HTML_LIT(h, "\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, "
                "initial-scale=1\"><title>");
    html_text(h, T(req, title_msgid));
    HTML_LIT(h, " - SIREN</title>"
                "<link rel=\"stylesheet\" href=\"/static/app.css\">"
                "<link rel=\"icon\" href=\"/static/logo.svg\">"
                "</head><body>");
    HTML_LIT(h, "<a class=\"skip-link\" href=\"#main\">");
    html_text(h, T(req, "Skip to main content"));
    HTML_LIT(h, "</a><header class=\"topbar\"><a class=\"brand\" "
                "href=\"/\"><img src=\"/static/logo.svg\" alt=\"\" "
                "width=\"28\" height=\"28\"><span>");
    html_text(h, req->app->ws->cfg.name);
    HTML_LIT(h, "</span></a>");
    if (req->who.user_id > 0) {
        HTML_LIT(h, "<nav aria-label=\"");
        html_attr(h, T(req, "Menu"));
        HTML_LIT(h, "\"><ul>");
        for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
            if (!policy_allows(&req->who, nav[i].action, 0, 0)) {
                continue;
            }
            HTML_LIT(h, "<li><a href=\"");
            html_attr(h, nav[i].href);
            HTML_LIT(h, "\"");
            if (strcmp(req->path, nav[i].href) == 0) {
                HTML_LIT(h, " aria-current=\"page\"");
            }
            HTML_LIT(h, ">");
            html_text(h, T(req, nav[i].msgid));
            HTML_LIT(h, "</a></li>");
        }
        HTML_LIT(h, "</ul></nav>");
    }
    HTML_LIT(h, "<div class=\"topbar-end\">");
    lang_switch(req, resp, h);
    if (req->who.user_id > 0) {
        HTML_LIT(h, "<div class=\"user-menu\"><a class=\"user-name\" "
                    "href=\"/account\">");
        web_printf_tr(h, req, N_("Signed in as %s"), req->who.username);
        HTML_LIT(h, "</a><form method=\"post\" action=\"/logout\">");
        web_csrf_field(req, resp, h);
        HTML_LIT(h, "<button class=\"btn\" type=\"submit\" "
                    "id=\"sign-out\">");
        html_text(h, T(req, "Sign out"));
        HTML_LIT(h, "</button></form></div>");
    }
    HTML_LIT(h, "</div></header>");
    if (req->app->ws->cfg.is_synthetic) {
        HTML_LIT(h, "<div class=\"banner-synthetic\" role=\"note\">");
        html_text(h, T(req, "Synthetic demo data - not real people"));
        HTML_LIT(h, "</div>");
    }
    HTML_LIT(h, "<main id=\"main\" class=\"container\"><h1>");
    html_text(h, T(req, title_msgid));
    HTML_LIT(h, "</h1>");
}

void
web_page_end(struct req *req, struct resp *resp, struct html *h)
{
    (void)req;
    HTML_LIT(h, "</main></body></html>\n");
    sr_buf_reset(&resp->body);
    if (sr_buf_add(&resp->body, h->buf.data, h->buf.len) != SR_OK) {
        resp->status = 500;
        sr_buf_reset(&resp->body);
    }
    resp->content_type = "text/html; charset=utf-8";
    html_release(h);
}

int
web_page_finish(struct req *req, struct resp *resp, struct html *h, int rc,
                int status)
{
    if (rc != SR_OK) {
        html_release(h);
        return rc;
    }
    web_page_end(req, resp, h);
    if (status != 0) {
        resp->status = status;
    }
    return SR_OK;
}

void
web_error(struct req *req, struct resp *resp, int status, const char *msgid)
{
    int is_api = req->path != NULL && strncmp(req->path, "/api/", 5) == 0;
    if (is_api) {
        json_error(resp, status, msgid);
        return;
    }
    struct html h;
    resp->status = status;
    const char *title = status == 404   ? N_("Page not found.")
                        : status == 403 ? N_("You do not have permission to "
                                             "see this page.")
                        : status == 413 ? N_("Request too large.")
                        : status >= 500 ? N_("Something went wrong. The "
                                             "error has been recorded.")
                                        : N_("Bad request.");
    web_page_begin(req, resp, &h, title);
    HTML_LIT(&h, "<p class=\"flash error\" role=\"alert\">");
    html_text(&h, T(req, msgid));
    HTML_LIT(&h, "</p><p><a class=\"btn\" href=\"/\">");
    html_text(&h, T(req, "Home"));
    HTML_LIT(&h, "</a></p>");
    web_page_end(req, resp, &h);
    resp->status = status;
}

void
http_error(struct req *req, struct resp *resp, int status, const char *msgid)
{
    web_error(req, resp, status, msgid);
}

int
web_root(struct req *req, struct resp *resp)
{
    resp_redirect(resp, req->who.user_id > 0 ? "/dashboard" : "/login");
    return SR_OK;
}

int
web_health(struct req *req, struct resp *resp)
{
    (void)req;
    json_respond(resp, 200, json_pack("{s:s}", "status", "ok"));
    return SR_OK;
}

int
web_static(struct req *req, struct resp *resp)
{
    const char *name = req_route_param(req, "name");
    static const struct {
        const char *name, *asset, *type;
    } files[] = {
        { "app.css", "web/app.css", "text/css; charset=utf-8" },
        { "logo.svg", "web/logo.svg", "image/svg+xml" },
        { "contact.js", "web/contact.js", "text/javascript; charset=utf-8" },
    };
    for (size_t i = 0; name && i < sizeof files / sizeof files[0]; i++) {
        if (strcmp(name, files[i].name) != 0) {
            continue;
        }
        const struct sr_asset *a = sr_asset_find(files[i].asset);
        if (a == NULL) {
            break;
        }
        sr_buf_add(&resp->body, a->data, a->len);
        resp->content_type = files[i].type;
        resp->is_cacheable = 1;
        return SR_OK;
    }
    web_error(req, resp, 404, N_("Page not found."));
    return SR_OK;
}

void
web_login_form(struct req *req, struct resp *resp, const char *error_msgid)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Sign in"));
    HTML_LIT(&h, "<div class=\"login-page\"><div class=\"card\"><p>");
    html_text(&h, T(req, "Strategic Information Response Network"));
    HTML_LIT(&h, "</p>");
    if (error_msgid != NULL) {
        HTML_LIT(&h, "<div class=\"form-error\" role=\"alert\" "
                     "id=\"login-error\">");
        html_text(&h, T(req, error_msgid));
        HTML_LIT(&h, "</div>");
    }
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" action=\"/login\">");
    web_csrf_field(req, resp, &h);
    HTML_LIT(&h, "<label for=\"username\">");
    html_text(&h, T(req, "Username"));
    HTML_LIT(&h, "</label><input id=\"username\" name=\"username\" "
                 "autocomplete=\"username\" required maxlength=\"32\" "
                 "autocapitalize=\"none\" value=\"");
    const char *u = req_param(req, "username");
    html_attr(&h, u && strlen(u) <= 32 ? u : "");
    HTML_LIT(&h, "\"><label for=\"password\">");
    html_text(&h, T(req, "Password"));
    HTML_LIT(&h, "</label><input id=\"password\" name=\"password\" "
                 "type=\"password\" autocomplete=\"current-password\" "
                 "required maxlength=\"128\">"
                 "<button class=\"btn primary\" type=\"submit\">");
    html_text(&h, T(req, "Sign in"));
    HTML_LIT(&h, "</button></form></div></div>");
    web_page_end(req, resp, &h);
}

int
web_login_page(struct req *req, struct resp *resp)
{
    if (req->who.user_id > 0) {
        resp_redirect(resp, "/dashboard");
        return SR_OK;
    }
    web_login_form(req, resp, NULL);
    return SR_OK;
}

void
web_session_start(struct req *req, struct resp *resp, const char *token)
{
    int tls = req->app->ws->cfg.is_tls_proxied;
    resp_cookie(resp, arena_printf(req->arena,
                                   "%s=%s; Path=/; HttpOnly; "
                                   "SameSite=Strict%s",
                                   http_session_cookie_name(req->app), token,
                                   tls ? "; Secure" : ""));
    resp_cookie(resp, arena_printf(req->arena,
                                   "%s=; Path=/; Max-Age=0; "
                                   "HttpOnly; SameSite=Strict%s",
                                   http_pre_cookie_name(req->app),
                                   tls ? "; Secure" : ""));
}

int
web_logout(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int rc =
        session_end(req->db, req->app->ws->vault, req->cookie_session, &err);
    sr_err_release(&err);
    resp_cookie(
        resp, arena_printf(req->arena,
                           "%s=; Path=/; Max-Age=0; HttpOnly; "
                           "SameSite=Strict%s",
                           http_session_cookie_name(req->app),
                           req->app->ws->cfg.is_tls_proxied ? "; Secure" : ""));
    resp_redirect(resp, "/login");
    return rc;
}

/* A safe local redirect target: "/x..." but not "//host". */
static const char *
local_next(const char *next)
{
    if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
        strlen(next) > 200) {
        return "/";
    }
    for (const char *p = next; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == '"' || *p == '<') {
            return "/";
        }
    }
    return next;
}

int
web_lang(struct req *req, struct resp *resp)
{
    const char *lang = req_param(req, "lang");
    if (lang == NULL || !i18n_lang_valid(lang)) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    if (req->who.user_id > 0) {
        struct sr_err err = { 0 };
        int rc = user_set_lang(req->db, req->who.user_id, lang, &err);
        sr_err_release(&err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    resp_cookie(
        resp,
        arena_printf(req->arena,
                     "siren_lang=%s; Path=/; Max-Age=31536000;"
                     " SameSite=Strict%s",
                     lang, req->app->ws->cfg.is_tls_proxied ? "; Secure" : ""));
    resp_redirect(resp, local_next(req_param(req, "next")));
    return SR_OK;
}

/* ---- small page pieces shared by every module's pages ------------------ */

void
web_check(struct html *h, const char *name, const char *value,
          const char *label, int is_checked)
{
    HTML_LIT(h, "<input type=\"checkbox\" name=\"");
    html_attr(h, name);
    HTML_LIT(h, "\" value=\"");
    html_attr(h, value);
    HTML_LIT(h, "\"");
    if (is_checked) {
        HTML_LIT(h, " checked");
    }
    HTML_LIT(h, "> ");
    html_text(h, label);
}

void
web_option_open(struct html *h, const char *value, int is_selected)
{
    HTML_LIT(h, "<option value=\"");
    html_attr(h, value);
    HTML_LIT(h, "\"");
    if (is_selected) {
        HTML_LIT(h, " selected");
    }
    HTML_LIT(h, ">");
}

void
web_option(struct html *h, const char *value, const char *label,
           int is_selected)
{
    web_option_open(h, value, is_selected);
    html_text(h, label);
    HTML_LIT(h, "</option>");
}

void
web_vocab_options(struct html *h, struct req *req,
                  const struct vocab_item *list, const char *selected,
                  const char *blank_msgid)
{
    if (blank_msgid != NULL) {
        HTML_LIT(h, "<option value=\"\">");
        html_text(h, T(req, blank_msgid));
        HTML_LIT(h, "</option>");
    }
    for (int i = 0; list[i].code != NULL; i++) {
        web_option(h, list[i].code, T(req, list[i].label),
                   selected != NULL && strcmp(selected, list[i].code) == 0);
    }
}

void
web_field_summary(struct html *h, struct req *req, const struct field_errs *fe,
                  web_field_name_fn *label_of, web_field_name_fn *id_of)
{
    if (fe == NULL || fe->n == 0) {
        return;
    }
    HTML_LIT(h, "<div class=\"form-error\" role=\"alert\" "
                "id=\"form-errors\" tabindex=\"-1\"><p>");
    html_text(h, T(req, "Check these fields:"));
    HTML_LIT(h, "</p><ul>");
    for (size_t i = 0; i < fe->n; i++) {
        HTML_LIT(h, "<li><a href=\"#");
        html_attr(h, id_of(fe->e[i].field));
        HTML_LIT(h, "\">");
        html_text(h, T(req, label_of(fe->e[i].field)));
        HTML_LIT(h, "</a>: ");
        html_text(h, T(req, fe->e[i].msgid));
        HTML_LIT(h, "</li>");
    }
    HTML_LIT(h, "</ul></div>");
}

void
web_field_invalid(struct html *h, const struct field_errs *fe,
                  const char *field)
{
    if (field_errs_msgid(fe, field) == NULL) {
        return;
    }
    HTML_LIT(h, " aria-invalid=\"true\" aria-describedby=\"err-");
    html_attr(h, field);
    HTML_LIT(h, "\"");
}

void
web_field_error(struct html *h, struct req *req, const struct field_errs *fe,
                const char *field)
{
    const char *msgid = field_errs_msgid(fe, field);
    if (msgid == NULL) {
        return;
    }
    HTML_LIT(h, "<p class=\"field-error\" id=\"err-");
    html_attr(h, field);
    HTML_LIT(h, "\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</p>");
}

void
web_select_open(struct html *h, const char *name, int is_invalid)
{
    HTML_LIT(h, "<select ");
    web_id_name(h, name, name);
    if (is_invalid) {
        HTML_LIT(h, " aria-invalid=\"true\"");
    }
    HTML_LIT(h, ">");
}

void
web_vocab_select(struct html *h, struct req *req, const char *name,
                 const struct vocab_item *list, const char *selected,
                 const char *blank_msgid, int is_invalid)
{
    web_select_open(h, name, is_invalid);
    web_vocab_options(h, req, list, selected, blank_msgid);
    HTML_LIT(h, "</select>");
}

void
web_dt_dd(struct html *h, struct req *req, const char *msgid, const char *value)
{
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</dt><dd>");
    html_text(h, value != NULL && value[0] != '\0' ? value : "-");
    HTML_LIT(h, "</dd>");
}

void
web_th(struct html *h, struct req *req, const char *msgid)
{
    HTML_LIT(h, "<th scope=\"col\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</th>");
}

void
web_td(struct html *h, const char *text)
{
    HTML_LIT(h, "<td>");
    html_text(h, text);
    HTML_LIT(h, "</td>");
}

void
web_link(struct html *h, const char *prefix, const char *code, const char *text)
{
    HTML_LIT(h, "<a href=\"");
    html_attr(h, prefix);
    html_url(h, code);
    HTML_LIT(h, "\">");
    html_text(h, text);
    HTML_LIT(h, "</a>");
}

void
web_td_label(struct html *h, struct req *req, const struct vocab_item *list,
             const char *code)
{
    web_td(h, T(req, vocab_label(list, code)));
}

void
web_button_link(struct html *h, struct req *req, const char *prefix,
                const char *code, const char *suffix, const char *msgid)
{
    HTML_LIT(h, "<a class=\"btn\" href=\"");
    html_attr(h, prefix);
    html_url(h, code);
    html_attr(h, suffix);
    HTML_LIT(h, "\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</a>");
}

void
web_td_num(struct html *h, int64_t n)
{
    HTML_LIT(h, "<td class=\"num\">");
    html_printf_text(h, "%lld", (long long)n);
    HTML_LIT(h, "</td>");
}

void
web_id_name(struct html *h, const char *id, const char *name)
{
    HTML_LIT(h, "id=\"");
    html_attr(h, id);
    HTML_LIT(h, "\" name=\"");
    html_attr(h, name);
    HTML_LIT(h, "\"");
}

void
web_input(struct html *h, const char *id, const char *name, int maxlength,
          int is_required)
{
    HTML_LIT(h, "<input ");
    web_id_name(h, id, name);
    if (is_required) {
        HTML_LIT(h, " required");
    }
    HTML_LIT(h, " maxlength=\"");
    html_printf_text(h, "%d", maxlength);
    HTML_LIT(h, "\">");
}

void
web_textarea(struct html *h, struct req *req, const char *id, const char *name,
             int maxlength, const char *label_msgid, const char *hint_msgid)
{
    web_label(h, req, id, label_msgid);
    HTML_LIT(h, "<textarea ");
    web_id_name(h, id, name);
    HTML_LIT(h, " maxlength=\"");
    html_printf_text(h, "%d", maxlength);
    HTML_LIT(h, "\"></textarea><span class=\"hint\">");
    html_text(h, T(req, hint_msgid));
    HTML_LIT(h, "</span>");
}

void
web_label(struct html *h, struct req *req, const char *id, const char *msgid)
{
    HTML_LIT(h, "<label for=\"");
    html_attr(h, id);
    HTML_LIT(h, "\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</label>");
}

/* " id=\"ID\"" inside a start tag, or nothing when id is NULL */
static void
id_attr(struct html *h, const char *id)
{
    if (id != NULL) {
        HTML_LIT(h, " id=\"");
        html_attr(h, id);
        HTML_LIT(h, "\"");
    }
}

/* <button class="cls" type="submit" [id]>msgid translated</button> */
static void
submit_button(struct html *h, struct req *req, const char *cls, const char *id,
              const char *msgid)
{
    HTML_LIT(h, "<button class=\"");
    html_attr(h, cls);
    HTML_LIT(h, "\" type=\"submit\"");
    id_attr(h, id);
    HTML_LIT(h, ">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</button>");
}

void
web_submit(struct html *h, struct req *req, const char *msgid, const char *id)
{
    submit_button(h, req, "btn primary", id, msgid);
}

void
web_submit_danger(struct html *h, struct req *req, const char *msgid)
{
    submit_button(h, req, "btn danger", NULL, msgid);
}

void
web_form_actions(struct html *h, struct req *req, const char *msgid,
                 const char *id)
{
    HTML_LIT(h, "<div class=\"form-actions\">");
    web_submit(h, req, msgid, id);
    HTML_LIT(h, "</div>");
}

void
web_card_begin(struct html *h, struct req *req, const char *title_msgid)
{
    HTML_LIT(h, "<section class=\"card\"><h2>");
    html_text(h, T(req, title_msgid));
    HTML_LIT(h, "</h2>");
}

void
web_form_error(struct html *h, const char *msg)
{
    if (msg != NULL) {
        HTML_LIT(h, "<div class=\"form-error\" role=\"alert\">");
        html_text(h, msg);
        HTML_LIT(h, "</div>");
    }
}

/* <p class="cls" [role="role"] [id]>msgid translated</p> */
static void
paragraph(struct html *h, struct req *req, const char *cls, const char *role,
          const char *id, const char *msgid)
{
    HTML_LIT(h, "<p class=\"");
    html_attr(h, cls);
    HTML_LIT(h, "\"");
    if (role != NULL) {
        HTML_LIT(h, " role=\"");
        html_attr(h, role);
        HTML_LIT(h, "\"");
    }
    id_attr(h, id);
    HTML_LIT(h, ">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</p>");
}

void
web_hint(struct html *h, struct req *req, const char *msgid)
{
    if (msgid != NULL) {
        paragraph(h, req, "hint", NULL, NULL, msgid);
    }
}

void
web_muted(struct html *h, struct req *req, const char *id, const char *msgid)
{
    paragraph(h, req, "muted", NULL, id, msgid);
}

void
web_flash(struct html *h, struct req *req, const char *msgid)
{
    paragraph(h, req, "flash ok", "status", NULL, msgid);
}

void
web_flash_done(struct html *h, struct req *req, const char *done,
               const char *msgid)
{
    const char *value = req_param(req, "done");
    if (value != NULL && strcmp(value, done) == 0) {
        web_flash(h, req, msgid);
    }
}

int
web_not_found(struct req *req, struct resp *resp, int rc)
{
    if (rc == SR_ENOTFOUND) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    return rc;
}

void
web_table_open(struct html *h, const char *id_prefix, const char *name)
{
    HTML_LIT(h,
             "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\"");
    if (name != NULL) {
        HTML_LIT(h, " id=\"");
        html_attr(h, id_prefix);
        html_attr(h, name);
        HTML_LIT(h, "\"");
    }
    HTML_LIT(h, "><thead><tr>");
}

void
web_table_begin(struct html *h, struct req *req, const char *id,
                const char *const *cols)
{
    web_table_open(h, "", id);
    web_table_head(h, req, cols);
}

void
web_table_cells(struct html *h, struct req *req, const char *const *cols)
{
    for (; *cols != NULL; cols++) {
        if ((*cols)[0] == '\0') {
            HTML_LIT(h, "<th></th>");
            continue;
        }
        HTML_LIT(h, "<th scope=\"col\">");
        html_text(h, strcmp(*cols, "#") == 0 ? "#" : T(req, *cols));
        HTML_LIT(h, "</th>");
    }
}

void
web_table_head(struct html *h, struct req *req, const char *const *cols)
{
    web_table_cells(h, req, cols);
    HTML_LIT(h, "</tr></thead><tbody>");
}

void
web_table_end(struct html *h, struct req *req, int n_rows,
              const char *empty_msgid)
{
    HTML_LIT(h, "</tbody></table></div>");
    if (n_rows == 0) {
        web_muted(h, req, NULL, empty_msgid);
    }
}

int
web_page_rows(const struct req *req, int *n_rows)
{
    assert(req != NULL && n_rows != NULL);
    const char *per = req_param(req, "per");
    long long v = WEB_PAGE_ROWS;
    if (per != NULL && per[0] != '\0' &&
        sr_parse_i64(per, 1, WEB_PAGE_MAX, &v) != SR_OK) {
        return SR_EINVAL;
    }
    *n_rows = (int)v;
    return SR_OK;
}

void
web_match_count(struct html *h, struct req *req, int64_t n_matches)
{
    assert(h != NULL && req != NULL && n_matches >= 0);
    int is_capped = n_matches > WEB_COUNT_CAP;
    long long n = is_capped ? WEB_COUNT_CAP : (long long)n_matches;
    /* the msgid's conversion is checked against the translation's by
     * tools/po-check, so the translated format is safe */
    const char *fmt = is_capped ? T(req, "More than %lld matches")
                                : TP(req, "%lld match", "%lld matches", n);
    char text[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(text, sizeof text, fmt, n);
#pragma GCC diagnostic pop
    HTML_LIT(h, "<p class=\"muted\" id=\"match-count\">");
    html_text(h, text);
    HTML_LIT(h, "</p>");
}

/* "&name=value" for "per" and each kept parameter the request has. */
static void
keep_params(struct html *h, struct req *req, const char *const *keep)
{
    const char *per = req_param(req, "per");
    if (per != NULL && per[0] != '\0') {
        HTML_LIT(h, "&amp;per=");
        html_url(h, per);
    }
    for (size_t i = 0; keep != NULL && keep[i] != NULL; i++) {
        const char *v = req_param(req, keep[i]);
        if (v != NULL && v[0] != '\0') {
            HTML_LIT(h, "&amp;");
            html_url(h, keep[i]);
            HTML_LIT(h, "=");
            html_url(h, v);
        }
    }
}

void
web_pager(struct html *h, struct req *req, const char *path, const char *next,
          int is_first, const char *const *keep)
{
    assert(h != NULL && req != NULL && path != NULL);
    if (is_first && next == NULL) {
        return;
    }
    HTML_LIT(h, "<nav class=\"pager\" aria-label=\"");
    html_attr(h, T(req, "Pages"));
    HTML_LIT(h, "\"><div class=\"pages\">");
    if (!is_first) {
        HTML_LIT(h, "<a href=\"");
        html_attr(h, path);
        HTML_LIT(h, "?page=1");
        keep_params(h, req, keep);
        HTML_LIT(h, "\">");
        html_text(h, T(req, "First page"));
        HTML_LIT(h, "</a>");
    }
    if (next != NULL) {
        HTML_LIT(h, "<a rel=\"next\" id=\"next-page\" href=\"");
        html_attr(h, path);
        HTML_LIT(h, "?after=");
        html_url(h, next);
        keep_params(h, req, keep);
        HTML_LIT(h, "\">");
        html_text(h, T(req, "Next page"));
        HTML_LIT(h, "</a>");
    }
    HTML_LIT(h, "</div></nav>");
}

const char *
web_err_text(struct req *req, struct sr_err *err)
{
    const char *msg = arena_strdup(req->arena, sr_err_msg(err));
    sr_err_release(err);
    return msg;
}

int
web_form_again(struct req *req, struct resp *resp, int rc, struct sr_err *err,
               web_form_fn *page)
{
    if (rc == SR_EDB) {
        sr_err_release(err);
        return rc;
    }
    rc = page(req, resp, web_err_text(req, err));
    if (rc == SR_OK) {
        resp->status = 400;
    }
    return rc;
}

int
web_write_done(struct req *req, struct resp *resp, int rc, struct sr_err *err,
               const char *next)
{
    if (rc == SR_OK) {
        resp_redirect(resp, next);
    } else if (rc == SR_ENOTFOUND) {
        web_error(req, resp, 404, N_("Page not found."));
    } else if (rc != SR_EDB) {
        return rc;
    }
    sr_err_release(err);
    return rc == SR_EDB ? rc : SR_OK;
}

static int
has_ending(const char *path, const char *ending)
{
    size_t len = strlen(path), n = strlen(ending);
    return len > n && strcmp(path + len - n, ending) == 0;
}

enum web_format
web_format_of(const struct req *req)
{
    return req->path == NULL                ? WEB_PAGE
           : has_ending(req->path, ".csv")  ? WEB_CSV
           : has_ending(req->path, ".json") ? WEB_JSON
                                            : WEB_PAGE;
}

void
web_params_read(struct req *req, void *out, const struct web_param *params,
                size_t n_params)
{
    assert(out != NULL && params != NULL);
    for (size_t i = 0; i < n_params; i++) {
        const char *value = req_param(req, params[i].name);
        memcpy((char *)out + params[i].offset, &value, sizeof value);
    }
}
