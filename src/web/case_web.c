/*
 * case_web.c - the case pages (/cases, /cases/new, /cases/{code},
 * /cases/{code}/edit) and the cases JSON API.
 *
 * No SQL: case.c and person.c answer. Record scope is decided there (an
 * out-of-scope case is "not found", answered 404). Names and notes appear
 * only for roles that may see identities, each read audited by the domain
 * call; the JSON API carries codes and attributes, never identities.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/case_web.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "web/json.h"
#include "web/justice_web.h"
#include "cases/person.h"
#include "web/web.h"
#include "base/workspace.h"

#include "core/banned.h"

const char *
case_web_label(struct req *req, const struct vocab_item *list, const char *code)
{
    const char *l = vocab_label(list, code);
    return l[0] ? T(req, l) : "-";
}

/* ---- small HTML helpers ------------------------------------------------- */

static void
select_list(struct html *h, struct req *req, const char *name,
            const char *msgid, const struct vocab_item *list,
            const char *selected, int has_blank)
{
    web_label(h, req, name, msgid);
    web_vocab_select(h, req, name, list, selected, has_blank ? "-" : NULL, 0);
}

static void
checkboxes(struct html *h, struct req *req, const char *name, const char *msgid,
           const struct vocab_item *list, uint32_t bits)
{
    HTML_LIT(h, "<fieldset><legend>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</legend>");
    for (int i = 0; list[i].code != NULL; i++) {
        HTML_LIT(h, "<label>");
        web_check(h, name, list[i].code, T(req, list[i].label),
                  (bits & ((uint32_t)1 << i)) != 0);
        HTML_LIT(h, "</label> ");
    }
    HTML_LIT(h, "</fieldset>");
}

static void
text_input(struct html *h, struct req *req, const char *name, const char *msgid,
           const char *value, const char *extra_hint)
{
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<input ");
    web_id_name(h, name, name);
    HTML_LIT(h, " maxlength=\"200\" value=\"");
    html_attr(h, value ? value : "");
    HTML_LIT(h, "\">");
    if (extra_hint != NULL) {
        web_muted(h, req, NULL, extra_hint);
    }
}

static void
bits_text(struct html *h, struct req *req, const struct vocab_item *list,
          uint32_t bits)
{
    int any = 0;
    for (int i = 0; list[i].code != NULL; i++) {
        if (bits & ((uint32_t)1 << i)) {
            if (any) {
                HTML_LIT(h, ", ");
            }
            html_text(h, T(req, list[i].label));
            any = 1;
        }
    }
    if (!any) {
        HTML_LIT(h, "-");
    }
}

/* All values of a repeated form or query field, joined by commas. */
static const char *
param_all(struct req *req, const char *name)
{
    struct sr_buf b;
    sr_buf_init(&b, 4096);
    for (size_t i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, name) == 0) {
            sr_buf_printf(&b, "%s%s", b.len ? "," : "", req->form[i].value);
        }
    }
    const char *out = arena_strdup(req->arena, b.data);
    sr_buf_release(&b);
    return out;
}

/* The principal for domain calls. */
static const struct principal *
who(struct req *req)
{
    return &req->who;
}

/* ---- list --------------------------------------------------------------- */

static const char *const case_cols[] = { N_("Case"), N_("Status"),
                                         N_("Trafficking status"),
                                         N_("Exploitation"), NULL };

static int
case_row_html(const struct case_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    c->n_rows++;
    HTML_LIT(h, "<tr><td>");
    web_link(h, "/cases/", r->code, r->code);
    if (r->n_retraf > 0) {
        HTML_LIT(h, " <span class=\"badge warn\">");
        html_text(h, T(req, "Possible re-trafficking"));
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</td>");
    web_td(h, case_web_label(req, case_statuses, r->status));
    web_td(h, case_web_label(req, case_traf_statuses, r->traf_status));
    HTML_LIT(h, "<td>");
    bits_text(h, req, case_exploitation, r->exploitation);
    HTML_LIT(h, "</td>");
    web_td(h, web_day_text(req, r->identified_at));
    HTML_LIT(h, "<td>");
    html_printf_text(h, "%d", r->n_people);
    HTML_LIT(h, "</td></tr>");
    return 0;
}

/* One page of the list: the rows shown and whether one more follows. */
struct case_page {
    struct web_rows rows;
    int n_page;      /* rows the page shows */
    int64_t last_id; /* id of the last row shown */
    int has_more;    /* a row past the page was found */
};

static int
case_row_paged(const struct case_row *r, void *ctx)
{
    struct case_page *p = ctx;
    if (p->rows.n_rows == p->n_page) {
        p->has_more = 1; /* the row past the page: there is a next one */
        return 1;
    }
    p->last_id = r->id;
    return case_row_html(r, &p->rows);
}

int
case_page_list(struct req *req, struct resp *resp)
{
    struct html h;
    struct sr_err err = { 0 };
    struct case_filter f = { 0 };
    f.status = req_param(req, "status");
    f.traf_status = req_param(req, "trafficking_status");
    f.exploitation =
        vocab_find(case_exploitation, req_param(req, "exploitation"));
    const char *after = req_param(req, "after");
    long long before_id = 0;
    int n_page = 0;
    if (web_page_rows(req, &n_page) != SR_OK ||
        (after != NULL && after[0] != '\0' &&
         sr_parse_i64(after, 1, INT64_MAX, &before_id) != SR_OK)) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    f.before_id = before_id;
    f.limit = n_page + 1; /* one more tells whether a next page exists */
    web_page_begin(req, resp, &h, N_("Cases"));
    if (policy_allows(&req->who, ACT_CASE_CREATE, 0, 0)) {
        HTML_LIT(&h, "<p><a class=\"btn primary\" href=\"/cases/new\" "
                     "id=\"new-case\">");
        html_text(&h, T(req, "Open a case"));
        HTML_LIT(&h, "</a></p>");
    }
    HTML_LIT(&h, "<form class=\"filters\" method=\"get\" action=\"/cases\">");
    select_list(&h, req, "status", N_("Status"), case_statuses, f.status, 1);
    select_list(&h, req, "trafficking_status", N_("Trafficking status"),
                case_traf_statuses, f.traf_status, 1);
    select_list(&h, req, "exploitation", N_("Exploitation"), case_exploitation,
                req_param(req, "exploitation"), 1);
    HTML_LIT(&h, "<button class=\"btn\" type=\"submit\">");
    html_text(&h, T(req, "Filter"));
    HTML_LIT(&h, "</button></form>");
    int64_t n_match = 0;
    int rc =
        case_list_count(req->db, who(req), &f, WEB_COUNT_CAP, &n_match, &err);
    if (rc == SR_OK) {
        web_match_count(&h, req, n_match);
    }
    web_table_open(&h, "", "cases");
    web_table_cells(&h, req, case_cols);
    web_th(&h, req, TC(req, "date column", "Identified"));
    web_th(&h, req, N_("People"));
    HTML_LIT(&h, "</tr></thead><tbody>");
    struct case_page c = { { req, resp, &h, 0 }, n_page, 0, 0 };
    if (rc == SR_OK) {
        rc = case_list(req->db, who(req), &f, case_row_paged, &c, &err);
    }
    web_table_end(&h, req, c.rows.n_rows, N_("No cases."));
    static const char *const kept_filter[] = { "status", "trafficking_status",
                                               "exploitation", NULL };
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)c.last_id);
    web_pager(&h, req, "/cases", c.has_more ? cursor : NULL, before_id == 0,
              kept_filter);
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

/* ---- new case ----------------------------------------------------------- */

struct form_ctx {
    struct req *req;
    struct html *h;
    const char *checked;
    int64_t selected; /* user id of the assignee shown selected */
};

static int
contact_checkbox(const char *code, void *ctx)
{
    struct form_ctx *c = ctx;
    HTML_LIT(c->h, "<label>");
    web_check(c->h, "contacts", code, code,
              c->checked != NULL && strstr(c->checked, code) != NULL);
    HTML_LIT(c->h, "</label> ");
    return 0;
}

static int
assignee_option(int64_t id, const char *username, void *ctx)
{
    struct form_ctx *c = ctx;
    char value[32];
    snprintf(value, sizeof value, "%lld", (long long)id);
    web_option(c->h, value, username, c->selected == id);
    return 0;
}

/* The attribute fields of a case (new and update forms). */
static void
case_fields(struct req *req, struct html *h, const struct case_row *r)
{
    select_list(h, req, "trafficking_status", N_("Trafficking status"),
                case_traf_statuses, r ? r->traf_status : "possible", 0);
    select_list(h, req, "decided_by", N_("Decided by"), case_deciders,
                r ? r->decided_by : NULL, 1);
    checkboxes(h, req, "exploitation", N_("Exploitation"), case_exploitation,
               r ? r->exploitation : 0);
    select_list(h, req, "industry", N_("Industry (ISIC)"), case_industries,
                r ? r->industry : NULL, 1);
    select_list(h, req, "sex_exploitation", N_("Sexual exploitation type"),
                case_sex_types, r ? r->sex_type : NULL, 1);
    checkboxes(h, req, "control_methods", N_("Methods of control"),
               case_control_methods, r ? r->control_methods : 0);
    select_list(h, req, "recruitment_method", N_("Recruitment method"),
                case_recruit_methods, r ? r->recruit_method : NULL, 1);
    uint32_t sites = 0;
    struct sr_err err = { 0 };
    if (r != NULL) {
        case_parse_bits(case_recruit_sites, r->recruit_sites,
                        "recruitment_sites", &sites, &err);
        sr_err_release(&err);
    }
    checkboxes(h, req, "recruitment_sites", N_("Recruitment websites and apps"),
               case_recruit_sites, sites);
    text_input(h, req, "recruit_country", N_("Country of recruitment"),
               r ? r->recruit_country : "", N_("ISO 3166-1 code, e.g. MM"));
    text_input(h, req, "recruit_province", N_("Province of recruitment"),
               r ? r->recruit_province : "", N_("ISO 3166-2 code, e.g. MM-05"));
    text_input(h, req, "recruit_date", N_("Date of recruitment"),
               r ? r->recruit_date : "", N_("YYYY, YYYY-MM or YYYY-MM-DD"));
    text_input(h, req, "transit_country", N_("Country of transit"),
               r ? r->transit_country : "", NULL);
    text_input(h, req, "transit_province", N_("Province of transit"),
               r ? r->transit_province : "", NULL);
    text_input(h, req, "exploit_country", N_("Country of exploitation"),
               r ? r->exploit_country : "", NULL);
    text_input(h, req, "exploit_province", N_("Province of exploitation"),
               r ? r->exploit_province : "", NULL);
    text_input(h, req, "exploit_from", N_("Exploited from"),
               r ? r->exploit_from : "", NULL);
    text_input(h, req, "exploit_to", N_("Exploited until"),
               r ? r->exploit_to : "", NULL);
    text_input(h, req, "legal_aid_org", N_("Legal-aid organisation (code)"),
               r ? r->legal_aid_org : "", NULL);
    struct form_ctx c = { req, h, NULL, r ? r->assigned_to : req->who.user_id };
    web_label(h, req, "assigned_to", N_("Case worker"));
    HTML_LIT(h, "<select id=\"assigned_to\" name=\"assigned_to\">"
                "<option value=\"\">-</option>");
    case_assignees(req->db, r ? r->org_id : req->who.org_id, assignee_option,
                   &c, &err);
    sr_err_release(&err);
    HTML_LIT(h, "</select>");
}

static int
new_form(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Open a case"));
    web_form_error(&h, error);
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" action=\"/cases\" "
                 "id=\"case-form\">");
    web_csrf_field(req, resp, &h);
    HTML_LIT(&h, "<fieldset><legend>");
    html_text(&h, T(req, "Open from contacts"));
    HTML_LIT(&h, "</legend>");
    struct form_ctx c = { req, &h, req_param(req, "contact"), 0 };
    case_trafficking_contacts(req->db, req->who.org_id, 50, contact_checkbox,
                              &c, &err);
    sr_err_release(&err);
    HTML_LIT(&h, "</fieldset>");
    text_input(&h, req, "contact_codes", N_("Other contact codes"), "",
               N_("Codes separated by commas; leave empty to open a case "
                  "directly."));
    case_fields(req, &h, NULL);
    web_submit(&h, req, N_("Open the case"), NULL);
    HTML_LIT(&h, "</form>");
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
case_page_new(struct req *req, struct resp *resp)
{
    return new_form(req, resp, NULL);
}

/* The case attribute fields of the form taken as they are. */
static const struct web_param case_params[] = {
    { "trafficking_status", offsetof(struct case_input, traf_status) },
    { "decided_by", offsetof(struct case_input, decided_by) },
    { "industry", offsetof(struct case_input, industry) },
    { "sex_exploitation", offsetof(struct case_input, sex_type) },
    { "recruitment_method", offsetof(struct case_input, recruit_method) },
    { "recruit_country", offsetof(struct case_input, recruit_country) },
    { "recruit_province", offsetof(struct case_input, recruit_province) },
    { "recruit_date", offsetof(struct case_input, recruit_date) },
    { "transit_country", offsetof(struct case_input, transit_country) },
    { "transit_province", offsetof(struct case_input, transit_province) },
    { "exploit_country", offsetof(struct case_input, exploit_country) },
    { "exploit_province", offsetof(struct case_input, exploit_province) },
    { "exploit_from", offsetof(struct case_input, exploit_from) },
    { "exploit_to", offsetof(struct case_input, exploit_to) },
    { "legal_aid_org", offsetof(struct case_input, legal_aid_org) },
};

/* Read the case attribute fields of the form into in. */
static int
read_case_form(struct req *req, struct case_input *in, struct sr_err *err)
{
    memset(in, 0, sizeof *in);
    web_params_read(req, in, case_params,
                    sizeof case_params / sizeof case_params[0]);
    in->recruit_sites = param_all(req, "recruitment_sites");
    const char *a = req_param(req, "assigned_to");
    long long v = 0;
    if (a != NULL && a[0] != '\0' &&
        sr_parse_i64(a, 1, INT64_MAX, &v) != SR_OK) {
        return sr_err_set(err, SR_EINVAL, "assigned_to: not a user");
    }
    in->assigned_to = v;
    int rc = case_parse_bits(case_exploitation, param_all(req, "exploitation"),
                             "exploitation", &in->exploitation, err);
    if (rc == SR_OK) {
        rc = case_parse_bits(case_control_methods,
                             param_all(req, "control_methods"),
                             "control_methods", &in->control_methods, err);
    }
    return rc;
}

int
case_page_create(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct case_input in;
    int rc = read_case_form(req, &in, &err);
    /* the ticked contacts and the typed codes, together */
    const char *ticked = param_all(req, "contacts");
    const char *typed = req_param(req, "contact_codes");
    char *all = arena_printf(req->arena, "%s%s%s", ticked,
                             ticked[0] && typed && typed[0] ? "," : "",
                             typed ? typed : "");
    const char *codes[CASE_MAX_CONTACTS + 1];
    size_t n = 0;
    for (char *p = all; rc == SR_OK && *p;) {
        while (*p == ' ') {
            p++;
        }
        char *comma = strchr(p, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (*p != '\0') {
            if (n > CASE_MAX_CONTACTS) {
                rc = sr_err_set(&err, SR_EINVAL, "contacts: too many");
                break;
            }
            codes[n++] = p;
        }
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    char code[32];
    if (rc == SR_OK) {
        rc = case_open(req->db, req->app->ws->vault, who(req), &in, codes, n,
                       code, NULL, &err);
    }
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(resp, policy_allows(&req->who, ACT_CASE_READ, 0, 0)
                                ? arena_printf(req->arena, "/cases/%s", code)
                                : "/cases/new?done=1");
        return SR_OK;
    }
    return web_form_again(req, resp, rc, &err, new_form);
}

/* ---- one case ----------------------------------------------------------- */

struct view_ctx {
    struct req *req;
    struct resp *resp;
    struct html *h;
    int is_found;
    int can_update;
    int64_t id, org_id;
    char code[32];
};

static int
contact_link(const char *code, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<li>");
    html_text(c->h, code);
    HTML_LIT(c->h, "</li>");
    return 0;
}

static int
person_row_html(const struct person_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<tr><td>");
    web_link(h, "/people/", r->code, r->code);
    if (r->n_cases > 1) {
        HTML_LIT(h, " <span class=\"badge warn\">");
        html_text(h, T(req, "Possible re-trafficking"));
        HTML_LIT(h, "</span>");
    }
    if (r->merged_into[0]) {
        HTML_LIT(h, " <span class=\"badge\">");
        html_text(h, T(req, "Merged"));
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</td>");
    if (policy_can_see_identity(req->who.role)) {
        struct person_identity id;
        struct sr_err err = { 0 };
        HTML_LIT(h, "<td>");
        if (r->has_name &&
            person_identity_read(req->db, req->app->ws->vault, who(req),
                                 r->code, &id, &err) == SR_OK) {
            html_text(h, id.name.data);
            person_identity_release(&id);
        } else {
            HTML_LIT(h, "-");
        }
        sr_err_release(&err);
        HTML_LIT(h, "</td>");
    }
    web_td(h, case_web_label(req, person_roles, r->role));
    web_td(h, case_web_label(req, person_genders, r->gender));
    web_td(h, r->citizenship);
    HTML_LIT(h, "<td>");
    if (r->age_trafficked >= 0) {
        html_printf_text(h, "%d", r->age_trafficked);
    }
    HTML_LIT(h, "</td></tr>");
    return 0;
}

static int
support_row_html(const struct support_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    struct html *h = c->h;
    HTML_LIT(h, "<tr>");
    web_td(h, case_web_label(c->req, case_services, r->service));
    web_td(h, r->person_code);
    web_td(h, r->provider_name);
    web_td(h, r->planned_date);
    web_td(h, r->actual_date);
    web_td(h, case_web_label(c->req, case_support_states, r->status));
    HTML_LIT(h, "</tr>");
    return 0;
}

static int
note_html(const struct note_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<li><span class=\"muted\">");
    web_time(c->h, c->req, r->created_at);
    HTML_LIT(c->h, " ");
    html_text(c->h, r->author[0] ? r->author : "-");
    HTML_LIT(c->h, "</span><p>");
    html_text(c->h, r->text);
    HTML_LIT(c->h, "</p></li>");
    return 0;
}

static void
case_details(struct view_ctx *c, const struct case_row *r)
{
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<dl class=\"kv\" id=\"case-details\">");
    web_dt_dd(h, req, N_("Case"), r->code);
    web_dt_dd(h, req, N_("Organisation"), r->org_name);
    web_dt_dd(h, req, N_("Status"),
              case_web_label(req, case_statuses, r->status));
    if (r->close_reason[0]) {
        web_dt_dd(h, req, N_("Reason for closing"),
                  case_web_label(req, case_close_reasons, r->close_reason));
    }
    web_dt_dd(h, req, N_("Trafficking status"),
              case_web_label(req, case_traf_statuses, r->traf_status));
    if (r->decided_by[0]) {
        web_dt_dd(h, req, N_("Decided by"),
                  case_web_label(req, case_deciders, r->decided_by));
    }
    web_dt_dd(h, req, TC(req, "date column", "Identified"),
              web_day_text(req, r->identified_at));
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, "Exploitation"));
    HTML_LIT(h, "</dt><dd>");
    bits_text(h, req, case_exploitation, r->exploitation);
    HTML_LIT(h, "</dd>");
    web_dt_dd(h, req, N_("Industry (ISIC)"),
              case_web_label(req, case_industries, r->industry));
    if (r->sex_type[0]) {
        web_dt_dd(h, req, N_("Sexual exploitation type"),
                  case_web_label(req, case_sex_types, r->sex_type));
    }
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, "Methods of control"));
    HTML_LIT(h, "</dt><dd>");
    bits_text(h, req, case_control_methods, r->control_methods);
    HTML_LIT(h, "</dd>");
    web_dt_dd(h, req, N_("Recruitment method"),
              case_web_label(req, case_recruit_methods, r->recruit_method));
    web_dt_dd(h, req, N_("Recruitment websites and apps"), r->recruit_sites);
    web_dt_dd(h, req, N_("Province of recruitment"),
              arena_printf(req->arena, "%s %s %s", r->recruit_country,
                           r->recruit_province, r->recruit_date));
    web_dt_dd(h, req, N_("Province of transit"),
              arena_printf(req->arena, "%s %s", r->transit_country,
                           r->transit_province));
    web_dt_dd(h, req, N_("Province of exploitation"),
              arena_printf(req->arena, "%s %s %s %s", r->exploit_country,
                           r->exploit_province, r->exploit_from,
                           r->exploit_to));
    web_dt_dd(h, req, N_("Legal-aid organisation"),
              r->legal_aid_name[0]
                  ? arena_printf(req->arena, "%s (%s)", r->legal_aid_name,
                                 web_day_text(req, r->legal_aid_from))
                  : "");
    web_dt_dd(h, req, N_("Case worker"), r->assigned_name);
    HTML_LIT(h, "</dl>");
}

static int
view_case(const struct case_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    struct sr_err err = { 0 };
    c->is_found = 1;
    c->id = r->id;
    c->org_id = r->org_id;
    c->can_update = case_can_update(who(req), r);
    snprintf(c->code, sizeof c->code, "%s", r->code);
    if (r->n_retraf > 0) {
        HTML_LIT(h, "<p class=\"flash error\" role=\"status\" "
                    "id=\"retraf\">");
        web_printf_tr(h, req,
                      N_("%d person in this case is also in another case: "
                         "possible re-trafficking."),
                      r->n_retraf);
        HTML_LIT(h, "</p>");
    }
    case_details(c, r);
    int can_refer = policy_allows(&req->who, ACT_REFERRAL_SEND, r->org_id, 0);
    if (c->can_update || can_refer) {
        HTML_LIT(h, "<p class=\"form-actions\">");
    }
    if (c->can_update) {
        HTML_LIT(h, "<a class=\"btn\" id=\"edit-case\" href=\"/cases/");
        html_url(h, r->code);
        HTML_LIT(h, "/edit\">");
        html_text(h, T(req, "Edit the case"));
        HTML_LIT(h, "</a> ");
    }
    if (can_refer) {
        HTML_LIT(h, "<a class=\"btn\" id=\"refer-case\" href=\"/cases/");
        html_url(h, r->code);
        HTML_LIT(h, "/refer\">");
        html_text(h, T(req, "Refer the case"));
        HTML_LIT(h, "</a>");
    }
    if (c->can_update || can_refer) {
        HTML_LIT(h, "</p>");
    }
    web_card_begin(h, req, N_("Contacts"));
    HTML_LIT(h, "<ul>");
    case_contacts(req->db, r->id, contact_link, c, &err);
    HTML_LIT(h, "</ul></section>");
    web_card_begin(h, req, N_("People"));
    web_table_open(h, "", "people");
    web_th(h, req, N_("Person"));
    if (policy_can_see_identity(req->who.role)) {
        web_th(h, req, TC(req, "person name", "Name"));
    }
    static const char *const people_cols[] = { N_("Role"), N_("Gender"),
                                               N_("Citizenship"),
                                               N_("Age when trafficked"),
                                               NULL };
    web_table_head(h, req, people_cols);
    person_list_for_case(req->db, r->id, person_row_html, c, &err);
    HTML_LIT(h, "</tbody></table></div>");
    if (policy_allows(&req->who, ACT_CASE_CREATE, r->org_id, 0)) {
        HTML_LIT(h, "<p><a class=\"btn\" id=\"add-person\" href=\"/cases/");
        html_url(h, r->code);
        HTML_LIT(h, "/people/new\">");
        html_text(h, T(req, "Add a person"));
        HTML_LIT(h, "</a></p>");
    }
    HTML_LIT(h, "</section>");
    sr_err_release(&err);
    return 0;
}

static const char *const support_cols[] = { N_("Service"), N_("Person"),
                                            N_("Provider"), NULL };
static const char *const support_cols_after[] = { N_("Done on"), N_("Status"),
                                                  NULL };

static void
support_section(struct view_ctx *c)
{
    struct html *h = c->h;
    struct req *req = c->req;
    struct sr_err err = { 0 };
    web_card_begin(h, req, N_("Support plan"));
    web_table_open(h, "", "support");
    web_table_cells(h, req, support_cols);
    web_th(h, req, TC(req, "date column", "Planned"));
    web_table_head(h, req, support_cols_after);
    case_support_list(req->db, c->id, support_row_html, c, &err);
    HTML_LIT(h, "</tbody></table></div>");
    if (c->can_update) {
        web_post_form(h, req, c->resp, "/cases/", c->code, "/support");
        select_list(h, req, "service", N_("Service"), case_services, NULL, 0);
        text_input(h, req, "person", N_("Person"), "", NULL);
        text_input(h, req, "provider", N_("Provider"), "", NULL);
        text_input(h, req, "planned_date", TC(req, "date column", "Planned"),
                   "", NULL);
        select_list(h, req, "status", N_("Status"), case_support_states, NULL,
                    0);
        web_submit(h, req, N_("Add to the plan"), NULL);
        HTML_LIT(h, "</form>");
    }
    HTML_LIT(h, "</section>");
    sr_err_release(&err);
}

static void
notes_section(struct view_ctx *c)
{
    struct html *h = c->h;
    struct req *req = c->req;
    struct sr_err err = { 0 };
    web_card_begin(h, req, N_("Case notes"));
    if (policy_can_see_identity(req->who.role)) {
        HTML_LIT(h, "<ul id=\"notes\">");
        case_notes_read(req->db, req->app->ws->vault, who(req), c->code,
                        note_html, c, &err);
        HTML_LIT(h, "</ul>");
    } else {
        int64_t n = 0;
        case_note_count(req->db, c->id, &n, &err);
        HTML_LIT(h, "<p class=\"muted\">");
        web_printf_tr(h, req, N_("%lld notes (hidden for this role)"),
                      (long long)n);
        HTML_LIT(h, "</p>");
    }
    if (c->can_update) {
        web_post_form(h, req, c->resp, "/cases/", c->code, "/notes");
        web_label(h, req, "note", N_("New note"));
        HTML_LIT(h, "<textarea id=\"note\" name=\"note\" rows=\"4\" "
                    "maxlength=\"8000\" required></textarea>");
        web_submit(h, req, N_("Add the note"), NULL);
        HTML_LIT(h, "</form>");
    }
    HTML_LIT(h, "</section>");
    sr_err_release(&err);
}

static void
status_section(struct view_ctx *c)
{
    struct html *h = c->h;
    struct req *req = c->req;
    if (!c->can_update) {
        return;
    }
    web_card_begin(h, req, N_("Status"));
    web_post_form(h, req, c->resp, "/cases/", c->code, "/status");
    select_list(h, req, "status", N_("Status"), case_statuses, NULL, 0);
    select_list(h, req, "close_reason", N_("Reason for closing"),
                case_close_reasons, NULL, 1);
    web_submit(h, req, N_("Save"), NULL);
    HTML_LIT(h, "</form></section>");
}

static int
view_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    const char *code = req_route_param(req, "code");
    web_page_begin(req, resp, &h, N_("Case"));
    web_form_error(&h, error);
    struct view_ctx c = { req, resp, &h, 0, 0, 0, 0, "" };
    int rc = case_get(req->db, who(req), code, view_case, &c, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || !c.is_found) {
        html_release(&h);
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc != SR_OK) {
        html_release(&h);
        return rc;
    }
    support_section(&c);
    notes_section(&c);
    status_section(&c);
    justice_web_case_section(req, resp, &h, c.id);
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
case_page_view(struct req *req, struct resp *resp)
{
    return view_page(req, resp, NULL);
}

/* Answer a write: back to the case, or the case page with the error. */
static int
after_write(struct req *req, struct resp *resp, int rc, struct sr_err *err)
{
    const char *code = req_route_param(req, "code");
    int64_t id = 0;
    if (rc == SR_EINVAL) {
        /* bad input on a case that is not who's to change is refused
         * like the change itself */
        struct sr_err e2 = { 0 };
        int found =
            case_find(req->db, who(req), code, ACT_CASE_UPDATE, &id, NULL, &e2);
        sr_err_release(&e2);
        if (found != SR_OK) {
            rc = found;
        }
    }
    if (rc == SR_OK) {
        sr_err_release(err);
        resp_redirect(resp, arena_printf(req->arena, "/cases/%s", code));
        return SR_OK;
    }
    if (rc == SR_ENOTFOUND &&
        policy_scope(req->who.role, ACT_CASE_UPDATE) != SCOPE_OWN) {
        sr_err_release(err);
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    /* a case worker may change only their own cases: anything else,
     * present or not, is refused the same way */
    if (rc == SR_EPERM || rc == SR_ENOTFOUND) {
        sr_err_release(err);
        web_error(req, resp, 403,
                  N_("You do not have permission to see "
                     "this page."));
        return SR_OK;
    }
    if (rc == SR_EDB) {
        sr_err_release(err);
        return rc;
    }
    view_page(req, resp, web_err_text(req, err));
    if (resp->status == 200) {
        resp->status = 400;
    }
    return SR_OK;
}

/* ---- edit --------------------------------------------------------------- */

struct edit_ctx {
    struct req *req;
    struct resp *resp;
    const struct case_input *posted; /* refill from the form, or NULL */
    const char *error;
    int is_found;
};

/* The form's values back in a row, to show them again after an error. */
static void
row_from_input(const struct case_input *in, const struct case_row *r,
               struct case_row *out)
{
    *out = *r;
    out->traf_status = in->traf_status ? in->traf_status : "";
    out->decided_by = in->decided_by ? in->decided_by : "";
    out->exploitation = in->exploitation;
    out->industry = in->industry ? in->industry : "";
    out->sex_type = in->sex_type ? in->sex_type : "";
    out->control_methods = in->control_methods;
    out->recruit_method = in->recruit_method ? in->recruit_method : "";
    out->recruit_sites = in->recruit_sites ? in->recruit_sites : "";
    out->recruit_country = in->recruit_country ? in->recruit_country : "";
    out->recruit_province = in->recruit_province ? in->recruit_province : "";
    out->recruit_date = in->recruit_date ? in->recruit_date : "";
    out->transit_country = in->transit_country ? in->transit_country : "";
    out->transit_province = in->transit_province ? in->transit_province : "";
    out->exploit_country = in->exploit_country ? in->exploit_country : "";
    out->exploit_province = in->exploit_province ? in->exploit_province : "";
    out->exploit_from = in->exploit_from ? in->exploit_from : "";
    out->exploit_to = in->exploit_to ? in->exploit_to : "";
    out->legal_aid_org = in->legal_aid_org ? in->legal_aid_org : "";
    out->assigned_to = in->assigned_to;
}

static int
edit_case(const struct case_row *r, void *ctx)
{
    struct edit_ctx *c = ctx;
    struct req *req = c->req;
    struct html h;
    struct case_row shown;
    c->is_found = 1;
    if (c->posted != NULL) {
        row_from_input(c->posted, r, &shown);
    } else {
        shown = *r;
    }
    web_page_begin(req, c->resp, &h, N_("Edit the case"));
    web_form_error(&h, c->error);
    HTML_LIT(&h, "<p class=\"lead\"><a href=\"/cases/");
    html_url(&h, r->code);
    HTML_LIT(&h, "\">");
    html_text(&h, r->code);
    HTML_LIT(&h, "</a></p><form class=\"stack\" method=\"post\" "
                 "id=\"case-edit-form\" action=\"/cases/");
    html_url(&h, r->code);
    HTML_LIT(&h, "\">");
    web_csrf_field(req, c->resp, &h);
    case_fields(req, &h, &shown);
    HTML_LIT(&h, "<div class=\"form-actions\">");
    web_submit(&h, req, N_("Save"), NULL);
    HTML_LIT(&h, " <a class=\"btn\" href=\"/cases/");
    html_url(&h, r->code);
    HTML_LIT(&h, "\">");
    html_text(&h, T(req, "Cancel"));
    HTML_LIT(&h, "</a></div></form>");
    web_page_end(req, c->resp, &h);
    return 0;
}

/*
 * The edit form of case {code}: 404 outside who's read scope, 403 for a
 * case who may read but not change (a case worker's colleague's case).
 */
static int
edit_form(struct req *req, struct resp *resp, const struct case_input *posted,
          const char *error)
{
    struct sr_err err = { 0 };
    const char *code = req_route_param(req, "code");
    int64_t id = 0;
    int rc = case_find(req->db, who(req), code, ACT_CASE_READ, &id, NULL, &err);
    if (rc == SR_OK) {
        rc = case_find(req->db, who(req), code, ACT_CASE_UPDATE, &id, NULL,
                       &err);
    }
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc == SR_EPERM) {
        web_error(req, resp, 403,
                  N_("You do not have permission to see this page."));
        return SR_OK;
    }
    if (rc != SR_OK) {
        return rc;
    }
    struct edit_ctx c = { req, resp, posted, error, 0 };
    rc = case_get(req->db, who(req), code, edit_case, &c, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || (rc == SR_OK && !c.is_found)) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    return rc;
}

int
case_page_edit(struct req *req, struct resp *resp)
{
    return edit_form(req, resp, NULL, NULL);
}

int
case_page_update(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct case_input in;
    int rc = read_case_form(req, &in, &err);
    if (rc == SR_OK) {
        rc = case_update(req->db, req->app->ws->vault, who(req),
                         req_route_param(req, "code"), &in, &err);
    }
    if (rc != SR_EINVAL) {
        return after_write(req, resp, rc, &err);
    }
    /* bad input: the form again with what was typed and the field named
     * (edit_form answers 404/403 for a case that is not who's to change) */
    rc = edit_form(req, resp, &in, web_err_text(req, &err));
    if (rc == SR_OK && resp->status == 200) {
        resp->status = 400;
    }
    return rc;
}

int
case_page_status(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int rc = case_set_status(
        req->db, req->app->ws->vault, who(req), req_route_param(req, "code"),
        req_param(req, "status"), req_param(req, "close_reason"), &err);
    return after_write(req, resp, rc, &err);
}

int
case_page_note(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int rc = case_note_add(req->db, req->app->ws->vault, who(req),
                           req_route_param(req, "code"), req_param(req, "note"),
                           &err);
    return after_write(req, resp, rc, &err);
}

int
case_page_support(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct support_input si = {
        req_param(req, "service"),     req_param(req, "person"),
        req_param(req, "provider"),    req_param(req, "planned_date"),
        req_param(req, "actual_date"), req_param(req, "status"),
    };
    int rc = case_support_add(req->db, req->app->ws->vault, who(req),
                              req_route_param(req, "code"), &si, &err);
    return after_write(req, resp, rc, &err);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *
bits_json(const struct vocab_item *list, uint32_t bits)
{
    json_t *a = json_array();
    for (int i = 0; list[i].code != NULL; i++) {
        if (bits & ((uint32_t)1 << i)) {
            json_array_append_new(a, json_string(list[i].code));
        }
    }
    return a;
}

static json_t *
case_json(const struct case_row *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(r->code));
    json_object_set_new(o, "status", json_string(r->status));
    json_object_set_new(o, "close_reason", json_string(r->close_reason));
    json_object_set_new(o, "trafficking_status", json_string(r->traf_status));
    json_object_set_new(o, "decided_by", json_string(r->decided_by));
    json_object_set_new(o, "identified_at", json_integer(r->identified_at));
    json_object_set_new(o, "exploitation",
                        bits_json(case_exploitation, r->exploitation));
    json_object_set_new(o, "control_methods",
                        bits_json(case_control_methods, r->control_methods));
    json_object_set_new(o, "industry", json_string(r->industry));
    json_object_set_new(o, "sex_exploitation", json_string(r->sex_type));
    json_object_set_new(o, "recruitment_method",
                        json_string(r->recruit_method));
    json_object_set_new(o, "recruitment_sites", json_string(r->recruit_sites));
    json_object_set_new(o, "recruit_province",
                        json_string(r->recruit_province));
    json_object_set_new(o, "exploit_province",
                        json_string(r->exploit_province));
    json_object_set_new(o, "legal_aid_org", json_string(r->legal_aid_org));
    json_object_set_new(o, "legal_aid_from", json_integer(r->legal_aid_from));
    json_object_set_new(o, "people", json_integer(r->n_people));
    json_object_set_new(o, "possible_retrafficking", json_integer(r->n_retraf));
    return o;
}

static int
case_json_append(const struct case_row *r, void *ctx)
{
    json_array_append_new(ctx, case_json(r));
    return 0;
}

int
case_api_list(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct case_filter f = { 0 };
    f.status = req_param(req, "status");
    f.traf_status = req_param(req, "trafficking_status");
    f.exploitation =
        vocab_find(case_exploitation, req_param(req, "exploitation"));
    long long v = 0;
    const char *before = req_param(req, "before");
    if (before != NULL && sr_parse_i64(before, 1, INT64_MAX, &v) == SR_OK) {
        f.before_id = v;
    }
    f.limit = 100;
    json_t *a = json_array();
    int rc = case_list(req->db, who(req), &f, case_json_append, a, &err);
    sr_err_release(&err);
    return json_respond_list(resp, rc, "cases", a);
}

struct api_ctx {
    struct req *req;
    json_t *obj;
};

static int
person_json_append(const struct person_row *r, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s,s:s,s:s,s:s,s:i,s:b}", "code",
                                         r->code, "role", r->role, "gender",
                                         r->gender, "citizenship",
                                         r->citizenship, "cases", r->n_cases,
                                         "merged", r->merged_into[0] != '\0'));
    return 0;
}

static int
case_json_one(const struct case_row *r, void *ctx)
{
    struct api_ctx *c = ctx;
    struct sr_err err = { 0 };
    c->obj = case_json(r);
    json_t *people = json_array();
    person_list_for_case(c->req->db, r->id, person_json_append, people, &err);
    json_object_set_new(c->obj, "persons", people);
    sr_err_release(&err);
    return 0;
}

int
case_api_get(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct api_ctx c = { req, NULL };
    int rc = case_get(req->db, who(req), req_route_param(req, "code"),
                      case_json_one, &c, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || c.obj == NULL) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc != SR_OK) {
        json_decref(c.obj);
        return rc;
    }
    json_respond(resp, 200, c.obj);
    return SR_OK;
}
