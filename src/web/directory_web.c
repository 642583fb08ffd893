/*
 * directory_web.c - the directory of partner organisations: search by
 * province, language, service and emergency response ("who serves
 * Songkhla in Burmese with legal aid"), an organisation's profile, its
 * edit form for org.manage, and the JSON search.
 *
 * No SQL: org.c answers. Contact details are identity data: shown only
 * to roles that may see identities, each view audited by org.c. Record
 * scope (org.read) is checked for every organisation shown.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/directory_web.h"

#include <stdio.h>
#include <string.h>

#include "hotline/contact.h"
#include "core/gazetteer.h"
#include "web/json.h"
#include "base/org.h"
#include "core/phone.h"
#include "web/web.h"
#include "base/workspace.h"
#include "core/banned.h"

#define MAX_CODES 200

static void
province_options(struct html *h, struct req *req, const char *selected)
{
    HTML_LIT(h, "<option value=\"\">");
    html_text(h, T(req, "Any"));
    HTML_LIT(h, "</option>");
    const struct gaz_division *ds[GAZ_MAX];
    size_t n = gaz_sorted(NULL, req->lang, ds, GAZ_MAX);
    for (size_t i = 0; i < n; i++) {
        const struct gaz_division *d = ds[i];
        web_option_open(h, d->code,
                        selected != NULL && strcmp(selected, d->code) == 0);
        html_text(h, gaz_name(d, req->lang));
        HTML_LIT(h, " (");
        html_text(h, d->code);
        HTML_LIT(h, ")</option>");
    }
}

void
directory_filter_fields(struct req *req, struct html *h, const char *province,
                        const char *language, const char *service,
                        int is_emergency)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, "f-province", N_("Province"));
    HTML_LIT(h, "<select id=\"f-province\" name=\"province\">");
    province_options(h, req, province);
    HTML_LIT(h, "</select></div><div class=\"field\">");
    web_label(h, req, "f-language", N_("Language"));
    HTML_LIT(h, "<select id=\"f-language\" name=\"language\">");
    web_vocab_options(h, req, vocab_languages, language, N_("Any"));
    HTML_LIT(h, "</select></div><div class=\"field\">");
    web_label(h, req, "f-service", N_("Service"));
    HTML_LIT(h, "<select id=\"f-service\" name=\"service\">");
    web_vocab_options(h, req, org_services, service, N_("Any"));
    HTML_LIT(h, "</select></div><label class=\"check\"><input "
                "type=\"checkbox\" name=\"emergency\" value=\"1\"");
    if (is_emergency) {
        HTML_LIT(h, " checked");
    }
    HTML_LIT(h, "> ");
    html_text(h, T(req, "Emergency response only"));
    HTML_LIT(h, "</label>");
}

void
directory_labels(struct req *req, struct html *h, const char *codes,
                 int is_province)
{
    if (codes == NULL || codes[0] == '\0') {
        HTML_LIT(h, "-");
        return;
    }
    const char *p = codes;
    int is_first = 1;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        char code[32];
        snprintf(code, sizeof code, "%.*s", (int)len, p);
        if (!is_first) {
            HTML_LIT(h, ", ");
        }
        is_first = 0;
        if (is_province) {
            html_text(h, web_province_name(req, code));
        } else {
            const char *l = vocab_label(org_services, code);
            if (l[0] == '\0') {
                l = vocab_label(vocab_languages, code);
            }
            html_text(h, l[0] != '\0' ? T(req, l) : code);
        }
        p += len;
        p += *p == ',';
    }
}

/* A query parameter that must be one of list's codes (or absent). */
static const char *
param_in(struct req *req, const char *name, const struct vocab_item *list)
{
    const char *v = req_param(req, name);
    return v != NULL && vocab_find(list, v) >= 0 ? v : "";
}

static const char *
param_province(struct req *req)
{
    const char *v = req_param(req, "province");
    return v != NULL && gaz_find(v) != NULL ? v : "";
}

struct dir_ctx {
    struct req *req;
    struct html *h;
    json_t *arr;
    int n;
};

static int
entry_html(const struct org_entry *e, void *ctx)
{
    struct dir_ctx *c = ctx;
    struct html *h = c->h;
    if (!policy_allows(&c->req->who, ACT_ORG_READ, e->id, 0)) {
        return 0;
    }
    c->n++;
    HTML_LIT(h, "<tr><td>");
    web_link(h, "/directory/", e->code, e->name);
    HTML_LIT(h, "</td><td>");
    html_text(h, T(c->req, vocab_label(org_kinds, e->kind)));
    HTML_LIT(h, "</td><td>");
    directory_labels(c->req, h, e->services, 0);
    HTML_LIT(h, "</td><td>");
    directory_labels(c->req, h, e->provinces, 1);
    HTML_LIT(h, "</td><td>");
    directory_labels(c->req, h, e->languages, 0);
    HTML_LIT(h, "</td><td>");
    if (e->is_emergency) {
        HTML_LIT(h, "<span class=\"badge warn\">");
        html_text(h, T(c->req, "Emergency response"));
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</td></tr>");
    return 0;
}

int
web_directory(struct req *req, struct resp *resp)
{
    const char *province = param_province(req);
    const char *language = param_in(req, "language", vocab_languages);
    const char *service = param_in(req, "service", org_services);
    const char *em = req_param(req, "emergency");
    int is_emergency = em != NULL && strcmp(em, "1") == 0;
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Directory"));
    HTML_LIT(&h,
             "<div class=\"card\"><form class=\"stack filters\" "
             "method=\"get\" action=\"/directory\" id=\"directory-search\">");
    directory_filter_fields(req, &h, province, language, service, is_emergency);
    web_form_actions(&h, req, N_("Search"), NULL);
    HTML_LIT(&h, "</form>");
    static const char *const cols[] = { N_("Name"),
                                        N_("Kind"),
                                        N_("Services"),
                                        N_("Provinces"),
                                        N_("Languages"),
                                        N_("Emergency response"),
                                        NULL };
    web_table_begin(&h, req, "directory", cols);
    struct dir_ctx c = { req, &h, NULL, 0 };
    int rc = org_search(req->db, province, language, service, is_emergency,
                        entry_html, &c, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    if (c.n == 0) {
        web_muted(&h, req, "directory-empty",
                  N_("No organisation matches. Widen the search."));
    }
    HTML_LIT(&h, "</div>");
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

/* A copy of one directory entry, kept past the callback. */
struct entry_copy {
    struct arena *arena; /* of the request: where the texts are copied */
    struct org_entry e;  /* its texts in arena */
    int is_found;
};

static int
copy_entry(const struct org_entry *e, void *ctx)
{
    struct entry_copy *c = ctx;
    const char *const from[] = { e->code,     e->name,           e->kind,
                                 e->country,  e->provinces,      e->languages,
                                 e->services, e->emergency_phone };
    const char **const to[] = { &c->e.code,      &c->e.name,
                                &c->e.kind,      &c->e.country,
                                &c->e.provinces, &c->e.languages,
                                &c->e.services,  &c->e.emergency_phone };
    c->e = *e;
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
        *to[i] = arena_strdup(c->arena, from[i]);
    }
    c->is_found = 1;
    return 1;
}

/* Load the {code} organisation if in scope; 404 page otherwise. */
static int
load_org(struct req *req, struct resp *resp, struct entry_copy *c)
{
    memset(c, 0, sizeof *c);
    c->arena = req->arena;
    int64_t id = 0;
    const char *code = req_route_param(req, "code");
    if (org_id_by_code(req->db, code, &id, NULL) != SR_OK ||
        org_get_entry(req->db, id, copy_entry, c, NULL) != SR_OK ||
        !policy_allows(&req->who, ACT_ORG_READ, id, 0)) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_ENOTFOUND;
    }
    return SR_OK;
}

static int
has_code(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; *p != '\0';) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, code, n) == 0) {
            return 1;
        }
        p += len;
        p += *p == ',';
    }
    return 0;
}

static void
checkboxes(struct html *h, struct req *req, const char *name,
           const struct vocab_item *list, const char *checked)
{
    for (int i = 0; list[i].code != NULL; i++) {
        HTML_LIT(h, "<label class=\"check\">");
        web_check(h, name, list[i].code, T(req, list[i].label),
                  has_code(checked, list[i].code));
        HTML_LIT(h, "</label>");
    }
}

static int
org_page(struct req *req, struct resp *resp, const struct entry_copy *c,
         const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Organisation"));
    web_form_error(&h, error);
    HTML_LIT(&h, "<dl class=\"kv\" id=\"org-profile\"><dt>");
    html_text(&h, T(req, "Name"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, c->e.name);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Code"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, c->e.code);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Kind"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, T(req, vocab_label(org_kinds, c->e.kind)));
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Country"));
    HTML_LIT(&h, "</dt><dd>");
    html_text(&h, c->e.country[0] ? c->e.country : "-");
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Services"));
    HTML_LIT(&h, "</dt><dd id=\"org-services\">");
    directory_labels(req, &h, c->e.services, 0);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Provinces"));
    HTML_LIT(&h, "</dt><dd id=\"org-provinces\">");
    directory_labels(req, &h, c->e.provinces, 1);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Languages"));
    HTML_LIT(&h, "</dt><dd>");
    directory_labels(req, &h, c->e.languages, 0);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Emergency response"));
    HTML_LIT(&h, "</dt><dd id=\"org-emergency\">");
    html_text(&h, T(req, c->e.is_emergency ? "Yes" : "No"));
    HTML_LIT(&h, "</dd>");
    char phone[PHONE_MAX] = "";
    int can_see_phone = org_shows_emergency_phone(req->who.role) ||
                        policy_allows(&req->who, ACT_ORG_MANAGE, c->e.id, 0);
    if (can_see_phone) {
        phone_display(c->e.emergency_phone, phone, sizeof phone);
        HTML_LIT(&h, "<dt>");
        html_text(&h, T(req, "Emergency phone"));
        HTML_LIT(&h, "</dt><dd id=\"org-emergency-phone\">");
        if (phone[0] != '\0') {
            HTML_LIT(&h, "<a href=\"tel:");
            html_attr(&h, c->e.emergency_phone);
            HTML_LIT(&h, "\">");
            html_text(&h, phone);
            HTML_LIT(&h, "</a>");
        } else {
            HTML_LIT(&h, "-");
        }
        HTML_LIT(&h, "</dd>");
    }
    if (policy_can_see_identity(req->who.role)) {
        struct sr_buf cd;
        sr_buf_init(&cd, 0);
        int rc = org_contact_details(req->db, req->app->ws->vault,
                                     req->who.user_id, c->e.id, &cd, &err);
        HTML_LIT(&h, "<dt>");
        html_text(&h, T(req, "Contact details"));
        HTML_LIT(&h, "</dt><dd id=\"org-contact\">");
        html_text(&h, rc == SR_OK && cd.len > 0 ? cd.data : "-");
        HTML_LIT(&h, "</dd>");
        vault_buf_wipe(&cd);
    }
    HTML_LIT(&h, "</dl>");
    if (policy_allows(&req->who, ACT_ORG_MANAGE, c->e.id, 0)) {
        web_card_begin(&h, req, N_("Edit profile"));
        HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                     "action=\"/directory/");
        html_url(&h, c->e.code);
        HTML_LIT(&h, "\" id=\"profile-form\">");
        web_csrf_field(req, resp, &h);
        web_label(&h, req, "p-provinces", N_("Provinces"));
        HTML_LIT(&h, "<input id=\"p-provinces\" name=\"provinces\" "
                     "maxlength=\"2000\" value=\"");
        html_attr(&h, c->e.provinces);
        HTML_LIT(&h, "\"><span class=\"hint\">");
        html_text(&h, T(req, "ISO 3166-2 codes separated by commas, "
                             "e.g. TH-90,TH-91"));
        HTML_LIT(&h, "</span><fieldset><legend>");
        html_text(&h, T(req, "Languages"));
        HTML_LIT(&h, "</legend>");
        checkboxes(&h, req, "languages", vocab_languages, c->e.languages);
        HTML_LIT(&h, "</fieldset><fieldset><legend>");
        html_text(&h, T(req, "Services"));
        HTML_LIT(&h, "</legend>");
        checkboxes(&h, req, "services", org_services, c->e.services);
        HTML_LIT(&h, "</fieldset><label class=\"check\"><input "
                     "type=\"checkbox\" name=\"emergency\" value=\"1\"");
        if (c->e.is_emergency) {
            HTML_LIT(&h, " checked");
        }
        HTML_LIT(&h, "> ");
        html_text(&h, T(req, "Emergency response"));
        HTML_LIT(&h, "</label>");
        web_label(&h, req, "p-emergency-phone", N_("Emergency phone"));
        HTML_LIT(&h, "<input id=\"p-emergency-phone\" name=\"emergency_phone\" "
                     "type=\"tel\" maxlength=\"32\" value=\"");
        html_attr(&h, phone);
        HTML_LIT(&h, "\"><span class=\"hint\">");
        html_text(&h, T(req, "Shown as a link to call beside the contact "
                             "form when the caller is in imminent danger. "
                             "Leave empty to remove it."));
        HTML_LIT(&h, "</span>");
        web_textarea(&h, req, "p-contact", "contact_details", 2000,
                     N_("Contact details"),
                     N_("Stored encrypted. Leave empty to keep the current "
                        "details."));
        web_form_actions(&h, req, N_("Save"), NULL);
        HTML_LIT(&h, "</form></section>");
    }
    sr_err_release(&err);
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
web_directory_org(struct req *req, struct resp *resp)
{
    struct entry_copy c;
    if (load_org(req, resp, &c) != SR_OK) {
        return SR_OK;
    }
    return org_page(req, resp, &c, NULL);
}

/* Every value of form field name, up to max. */
static size_t
form_values(struct req *req, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < req->n_form && n < max; i++) {
        if (strcmp(req->form[i].key, name) == 0) {
            out[n++] = req->form[i].value;
        }
    }
    return n;
}

/* Split "TH-90, TH-91" into arena copies; spaces dropped. */
static size_t
split_list(struct req *req, const char *s, const char **out, size_t max)
{
    size_t n = 0;
    while (s != NULL && *s != '\0' && n < max) {
        s += strspn(s, " ,");
        size_t len = strcspn(s, " ,");
        if (len > 0) {
            char *c = arena_alloc(req->arena, len + 1);
            memcpy(c, s, len);
            c[len] = '\0';
            out[n++] = c;
        }
        s += len;
    }
    return n;
}

int
web_directory_update(struct req *req, struct resp *resp)
{
    struct entry_copy c;
    if (load_org(req, resp, &c) != SR_OK) {
        return SR_OK;
    }
    if (!policy_allows(&req->who, ACT_ORG_MANAGE, c.e.id, 0)) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    const char **prov = arena_alloc(req->arena, MAX_CODES * sizeof *prov);
    const char **lang = arena_alloc(req->arena, MAX_CODES * sizeof *lang);
    const char **svc = arena_alloc(req->arena, MAX_CODES * sizeof *svc);
    const char *cd = req_param(req, "contact_details");
    const char *em = req_param(req, "emergency");
    struct org_profile p = {
        .provinces = prov,
        .n_provinces =
            split_list(req, req_param(req, "provinces"), prov, MAX_CODES),
        .languages = lang,
        .n_languages = form_values(req, "languages", lang, MAX_CODES),
        .services = svc,
        .n_services = form_values(req, "services", svc, MAX_CODES),
        .is_emergency = em != NULL && strcmp(em, "1") == 0,
        .contact_details = cd != NULL && cd[0] != '\0' ? cd : NULL,
        .emergency_phone = req_param(req, "emergency_phone"),
        .phone_region = req->app->ws->cfg.phone_region,
    };
    struct sr_err err = { 0 };
    int rc = org_set_profile(req->db, req->app->ws->vault, req->who.user_id,
                             c.e.id, &p, &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(resp,
                      arena_printf(req->arena, "/directory/%s", c.e.code));
        return SR_OK;
    }
    if (rc != SR_EINVAL) {
        sr_err_release(&err);
        return rc;
    }
    rc = org_page(req, resp, &c, web_err_text(req, &err));
    resp->status = 400;
    return rc;
}

static json_t *
codes_json(const char *codes)
{
    json_t *a = json_array();
    for (const char *p = codes; *p != '\0';) {
        size_t len = strcspn(p, ",");
        json_array_append_new(a, json_stringn(p, len));
        p += len;
        p += *p == ',';
    }
    return a;
}

static int
entry_json(const struct org_entry *e, void *ctx)
{
    struct dir_ctx *c = ctx;
    if (!policy_allows(&c->req->who, ACT_ORG_READ, e->id, 0)) {
        return 0;
    }
    json_array_append_new(
        c->arr,
        json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:b}", "code", e->code, "name",
                  e->name, "kind", e->kind, "country", e->country, "provinces",
                  codes_json(e->provinces), "languages",
                  codes_json(e->languages), "services", codes_json(e->services),
                  "emergency", e->is_emergency));
    return 0;
}

int
api_directory(struct req *req, struct resp *resp)
{
    const char *raw[3] = { req_param(req, "province"),
                           req_param(req, "language"),
                           req_param(req, "service") };
    const char *province = param_province(req);
    const char *language = param_in(req, "language", vocab_languages);
    const char *service = param_in(req, "service", org_services);
    if ((raw[0] != NULL && raw[0][0] != '\0' && province[0] == '\0') ||
        (raw[1] != NULL && raw[1][0] != '\0' && language[0] == '\0') ||
        (raw[2] != NULL && raw[2][0] != '\0' && service[0] == '\0')) {
        json_error(resp, 400,
                   province[0] == '\0' && raw[0] && raw[0][0]
                       ? "province: not a province in the gazetteer"
                   : language[0] == '\0' && raw[1] && raw[1][0]
                       ? "language: not one of the allowed values"
                       : "service: not one of the allowed values");
        return SR_OK;
    }
    const char *em = req_param(req, "emergency");
    struct dir_ctx c = { req, NULL, json_array(), 0 };
    struct sr_err err = { 0 };
    int rc =
        org_search(req->db, province, language, service,
                   em != NULL && strcmp(em, "1") == 0, entry_json, &c, &err);
    sr_err_release(&err);
    return json_respond_list(resp, rc, "organisations", c.arr);
}
