/*
 * contact_web.c - the hotline's contact pages and their JSON: the list
 * with filters and keyset paging, the one-page form, a contact's details
 * (identity fields only for roles allowed, each view audited), earlier
 * contacts by phone and the emergency partners of a province.
 *
 * No SQL: contact.c and org.c answer. Phones travel only in POST bodies,
 * never in URLs or logs. Times are shown in the workspace time zone with
 * its label (web_time()) and entered at its offset (web_tz_offset()).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/contact_web.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/auth.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "core/gazetteer.h"
#include "core/phone.h"
#include "web/json.h"
#include "base/org.h"
#include "web/web.h"
#include "base/workspace.h"
#include "core/banned.h"

static int
is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

/* ---- small HTML helpers ------------------------------------------------- */

/* A province <select> grouped by country. */
static void
province_select(struct html *h, struct req *req, const char *name,
                const char *selected, const char *blank_msgid,
                const struct field_errs *fe)
{
    HTML_LIT(h, "<select ");
    web_id_name(h, name, name);
    web_field_invalid(h, fe, name);
    HTML_LIT(h, ">");
    HTML_LIT(h, "<option value=\"\">");
    html_text(h, T(req, blank_msgid));
    HTML_LIT(h, "</option>");
    for (int c = 0; contact_web_countries[c].code != NULL; c++) {
        HTML_LIT(h, "<optgroup label=\"");
        html_attr(h, T(req, contact_web_countries[c].label));
        HTML_LIT(h, "\">");
        const struct gaz_division *ds[GAZ_MAX_COUNTRY];
        size_t n = gaz_sorted(contact_web_countries[c].code, req->lang, ds,
                              GAZ_MAX_COUNTRY);
        for (size_t i = 0; i < n; i++) {
            const struct gaz_division *d = ds[i];
            web_option_open(h, d->code,
                            selected != NULL && strcmp(selected, d->code) == 0);
            /* the reader's name first, the other beside it */
            const char *first = gaz_name(d, req->lang);
            const char *other = first == d->name ? d->local_name : d->name;
            html_text(h, first);
            if (other[0] != '\0') {
                HTML_LIT(h, " - ");
                html_text(h, other);
            }
            HTML_LIT(h, "</option>");
        }
        HTML_LIT(h, "</optgroup>");
    }
    HTML_LIT(h, "</select>");
}

/* Issues as a translated, comma-separated list. */
static void
issues_text(struct html *h, struct req *req, uint32_t issues)
{
    int n = 0;
    for (int i = 0; contact_issues[i].code != NULL; i++) {
        if (issues & (1u << i)) {
            if (n++ > 0) {
                HTML_LIT(h, ", ");
            }
            html_text(h, T(req, contact_issues[i].label));
        }
    }
    if (n == 0) {
        HTML_LIT(h, "-");
    }
}

/* ---- the list ----------------------------------------------------------- */

/* The list filter's fields taken as they are from the query. */
static const struct web_param filter_params[] = {
    { "category", offsetof(struct contact_filter, category) },
    { "sector", offsetof(struct contact_filter, sector) },
    { "province", offsetof(struct contact_filter, province) },
    { "language", offsetof(struct contact_filter, language) },
    { "channel", offsetof(struct contact_filter, channel) },
};

/* Read the list filter from the query; SR_EINVAL with *bad_field set. */
static int
read_filter(struct req *req, struct contact_filter *f, const char **bad)
{
    memset(f, 0, sizeof *f);
    int off = web_tz_offset(req);
    const char *from = req_param(req, "from"), *to = req_param(req, "to");
    *bad = NULL;
    if (!is_blank(from) && contact_parse_time(from, off, &f->from) != SR_OK) {
        *bad = "from";
        return SR_EINVAL;
    }
    if (!is_blank(to)) {
        if (contact_parse_time(to, off, &f->to) != SR_OK) {
            *bad = "to";
            return SR_EINVAL;
        }
        if (strlen(to) == 10) {
            f->to += 86399; /* a date means the whole day */
        }
    }
    web_params_read(req, f, filter_params,
                    sizeof filter_params / sizeof filter_params[0]);
    const char *issue = req_param(req, "issue");
    if (!is_blank(issue)) {
        int i = vocab_find(contact_issues, issue);
        if (i < 0) {
            *bad = "issue";
            return SR_EINVAL;
        }
        f->issues = 1u << i;
    }
    const char *danger = req_param(req, "danger");
    if (!is_blank(danger)) {
        if (strcmp(danger, "yes") == 0) {
            f->danger = 1;
        } else if (strcmp(danger, "no") == 0) {
            f->danger = 2;
        } else {
            *bad = "danger";
            return SR_EINVAL;
        }
    }
    long long v;
    const char *op = req_param(req, "operator");
    if (!is_blank(op)) {
        if (sr_parse_i64(op, 1, INT64_MAX, &v) != SR_OK) {
            *bad = "operator";
            return SR_EINVAL;
        }
        f->operator_id = v;
    }
    const char *after = req_param(req, "after");
    if (!is_blank(after)) {
        /* "AT_ID": the keyset cursor of the previous page */
        const char *sep = strchr(after, '_');
        char at[32];
        long long id;
        if (sep == NULL || (size_t)(sep - after) >= sizeof at) {
            *bad = "after";
            return SR_EINVAL;
        }
        memcpy(at, after, (size_t)(sep - after));
        at[sep - after] = '\0';
        if (sr_parse_i64(at, INT64_MIN, INT64_MAX, &v) != SR_OK ||
            sr_parse_i64(sep + 1, 1, INT64_MAX, &id) != SR_OK) {
            *bad = "after";
            return SR_EINVAL;
        }
        f->before_at = v;
        f->before_id = id;
    }
    if (web_page_rows(req, &f->limit) != SR_OK) {
        *bad = "per";
        return SR_EINVAL;
    }
    return SR_OK;
}

struct list_ctx {
    struct req *req;
    struct html *h;
    int n;
};

static int
list_row(const struct contact_row *r, void *ctx)
{
    struct list_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<tr><td>");
    web_link(h, "/contacts/", r->code, r->code);
    HTML_LIT(h, "</td><td class=\"nowrap\">");
    web_time(h, req, r->received_at);
    HTML_LIT(h, "</td>");
    web_td_label(h, req, contact_channels, r->channel);
    web_td_label(h, req, vocab_languages, r->language);
    web_td_label(h, req, contact_categories, r->category);
    web_td(h, r->sector[0] ? T(req, vocab_label(contact_sectors, r->sector))
                           : "-");
    web_td(h, r->problem_province[0]
                  ? web_province_name(req, r->problem_province)
                  : "-");
    HTML_LIT(h, "<td>");
    if (r->is_danger) {
        HTML_LIT(h, "<span class=\"badge danger\">");
        html_text(h, T(req, "Danger"));
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</td>");
    web_td(h, r->operator_name[0] ? r->operator_name
                                  : TC(req, "contact operator", "Imported"));
    HTML_LIT(h, "</tr>");
    c->n++;
    return 0;
}

/* An operator's <option>, selected when it is the query's operator. */
static int
operator_option(const struct user_row *u, void *ctx)
{
    struct web_rows *c = ctx;
    const char *selected = req_param(c->req, "operator");
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)u->id);
    web_option(c->h, id, u->username,
               selected != NULL && strcmp(selected, id) == 0);
    return 0;
}

static void
filter_field_begin(struct html *h, struct req *req, const char *id,
                   const char *msgid)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, id, msgid);
}

static void
date_input(struct html *h, const char *name, const char *value)
{
    HTML_LIT(h, "<input type=\"date\" ");
    web_id_name(h, name, name);
    HTML_LIT(h, " value=\"");
    html_attr(h, value && strlen(value) <= 30 ? value : "");
    HTML_LIT(h, "\">");
}

/* The filter fields a pager link keeps. */
static const char *const kept_filter[] = { "from",     "to",      "category",
                                           "issue",    "sector",  "province",
                                           "language", "channel", "operator",
                                           "danger",   NULL };

static void
filter_form(struct html *h, struct req *req)
{
    HTML_LIT(h, "<form class=\"filters\" method=\"get\" action=\"/contacts\" "
                "id=\"contact-filters\">");
    filter_field_begin(h, req, "from", N_("From"));
    date_input(h, "from", req_param(req, "from"));
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "to", N_("To"));
    date_input(h, "to", req_param(req, "to"));
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "category", N_("Category"));
    web_vocab_select(h, req, "category", contact_categories,
                     req_param(req, "category"), N_("Any"), 0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "issue", N_("Issue"));
    web_vocab_select(h, req, "issue", contact_issues, req_param(req, "issue"),
                     N_("Any"), 0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "sector", N_("Sector"));
    web_vocab_select(h, req, "sector", contact_sectors,
                     req_param(req, "sector"), N_("Any"), 0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "province", N_("Problem province"));
    province_select(h, req, "province", req_param(req, "province"), N_("Any"),
                    0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "language", N_("Language used"));
    web_vocab_select(h, req, "language", vocab_languages,
                     req_param(req, "language"), N_("Any"), 0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "channel", N_("Channel"));
    web_vocab_select(h, req, "channel", contact_channels,
                     req_param(req, "channel"), N_("Any"), 0);
    HTML_LIT(h, "</div>");
    filter_field_begin(h, req, "operator", N_("Operator"));
    HTML_LIT(h, "<select id=\"operator\" name=\"operator\"><option "
                "value=\"\">");
    html_text(h, T(req, "Any"));
    HTML_LIT(h, "</option>");
    struct web_rows oc = { req, NULL, h, 0 };
    struct sr_err err = { 0 };
    int64_t scope = policy_scope(req->who.role, ACT_CONTACT_READ) == SCOPE_ALL
                        ? 0
                        : req->who.org_id;
    (void)user_list(req->db, scope, operator_option, &oc, &err);
    sr_err_release(&err);
    HTML_LIT(h, "</select></div>");
    filter_field_begin(h, req, "danger", N_("Imminent danger"));
    web_vocab_select(h, req, "danger", contact_web_danger_values,
                     req_param(req, "danger"), N_("Any"), 0);
    HTML_LIT(h, "</div><div class=\"form-actions\"><button class=\"btn "
                "primary\" type=\"submit\">");
    html_text(h, T(req, "Filter"));
    HTML_LIT(h, "</button><a class=\"btn\" href=\"/contacts\">");
    html_text(h, T(req, "Clear"));
    HTML_LIT(h, "</a></div></form>");
}

int
contact_page_list(struct req *req, struct resp *resp)
{
    struct contact_filter f;
    const char *bad = NULL;
    struct sr_err err = { 0 };
    struct contact_cursor next = { 0, 0, 0 };
    int rc = read_filter(req, &f, &bad);
    struct html h;
    web_page_begin(req, resp, &h, N_("Contacts"));
    if (policy_allows(&req->who, ACT_CONTACT_CREATE, 0, 0)) {
        HTML_LIT(&h, "<p><a class=\"btn primary\" href=\"/contacts/new\" "
                     "id=\"new-contact\">");
        html_text(&h, T(req, "Log a contact"));
        HTML_LIT(&h, "</a></p>");
    }
    filter_form(&h, req);
    rc = SR_OK;
    if (bad == NULL) {
        static const char *const cols[] = { N_("Code"),
                                            N_("Received"),
                                            N_("Channel"),
                                            N_("Language used"),
                                            N_("Category"),
                                            N_("Sector"),
                                            N_("Problem province"),
                                            N_("Imminent danger"),
                                            N_("Operator"),
                                            NULL };
        int64_t n_match = 0;
        rc = contact_list_count(req->db, &req->who, &f, WEB_COUNT_CAP, &n_match,
                                &err);
        if (rc == SR_OK) {
            web_match_count(&h, req, n_match);
        }
        web_table_begin(&h, req, "contacts", cols);
        struct list_ctx c = { req, &h, 0 };
        if (rc == SR_OK) {
            rc =
                contact_list(req->db, &req->who, &f, list_row, &c, &next, &err);
        }
        HTML_LIT(&h, "</tbody></table></div>");
        if (rc == SR_OK && c.n == 0) {
            web_muted(&h, req, "no-contacts", N_("No contacts match."));
        }
    }
    if (rc == SR_EINVAL || bad != NULL) {
        resp->status = 400;
        HTML_LIT(&h, "<div class=\"form-error\" role=\"alert\">");
        web_printf_tr(&h, req, N_("Check the filter field: %s"),
                      bad != NULL ? bad : sr_err_msg(&err));
        HTML_LIT(&h, "</div>");
        rc = SR_OK;
    }
    if (rc == SR_OK && bad == NULL) {
        char cursor[48];
        snprintf(cursor, sizeof cursor, "%lld_%lld", (long long)next.at,
                 (long long)next.id);
        web_pager(&h, req, "/contacts", next.has_more ? cursor : NULL,
                  f.before_id == 0, kept_filter);
    }
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

/* ---- the form ----------------------------------------------------------- */

/* The input a refused field is shown at: its id on the form. */
static const char *
field_input(const char *field)
{
    if (strcmp(field, "duration_s") == 0) {
        return "duration_min";
    }
    if (strcmp(field, "consent") == 0) {
        return "consent-ngo";
    }
    if (strcmp(field, "is_danger") == 0) {
        return "danger";
    }
    return field;
}

/* The label msgid of a form field by name. */
static const char *
field_label(const char *field)
{
    const char *l = vocab_label(contact_web_field_labels, field);
    return l[0] != '\0' ? l : N_("Log a contact");
}

/* The value typed in field name, or "" when it is longer than any
 * accepted value (maxlength characters of up to FIELD_BYTES_PER_CHAR
 * bytes). */
static const char *
typed(struct req *req, const char *name, int maxlength)
{
    const char *v = req_param(req, name);
    return v != NULL && strlen(v) <= (size_t)maxlength * FIELD_BYTES_PER_CHAR
               ? v
               : "";
}

static void
text_input(struct html *h, struct req *req, const char *name, const char *type,
           const char *msgid, int maxlength, const struct field_errs *fe,
           const char *field, const char *extra_attr_hint)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<input ");
    web_id_name(h, name, name);
    HTML_LIT(h, " type=\"");
    html_attr(h, type);
    HTML_LIT(h, "\" maxlength=\"");
    html_printf_text(h, "%d", maxlength);
    HTML_LIT(h, "\" value=\"");
    html_attr(h, typed(req, name, maxlength));
    HTML_LIT(h, "\"");
    web_field_invalid(h, fe, field);
    if (strcmp(type, "tel") == 0) {
        HTML_LIT(h, " autocomplete=\"off\" inputmode=\"tel\"");
    }
    HTML_LIT(h, ">");
    web_field_error(h, req, fe, field);
    web_hint(h, req, extra_attr_hint);
    HTML_LIT(h, "</div>");
}

static void
textarea(struct html *h, struct req *req, const char *name, const char *msgid,
         const struct field_errs *fe)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<textarea ");
    web_id_name(h, name, name);
    HTML_LIT(h, " rows=\"3\" maxlength=\"");
    html_printf_text(h, "%d", CONTACT_MAX_TEXT);
    HTML_LIT(h, "\"");
    web_field_invalid(h, fe, name);
    HTML_LIT(h, ">");
    html_text(h, typed(req, name, CONTACT_MAX_TEXT));
    HTML_LIT(h, "</textarea>");
    web_field_error(h, req, fe, name);
    HTML_LIT(h, "</div>");
}

static void
select_field(struct html *h, struct req *req, const char *name,
             const char *msgid, const struct vocab_item *list,
             const char *blank, const struct field_errs *fe)
{
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<select ");
    web_id_name(h, name, name);
    web_field_invalid(h, fe, name);
    HTML_LIT(h, ">");
    web_vocab_options(h, req, list, req_param(req, name), blank);
    HTML_LIT(h, "</select>");
    web_field_error(h, req, fe, name);
    HTML_LIT(h, "</div>");
}

/* Is value among the values of form field name (a repeated field)? */
static int
form_has(const struct req *req, const char *name, const char *value)
{
    for (size_t i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, name) == 0 &&
            strcmp(req->form[i].value, value) == 0) {
            return 1;
        }
    }
    return 0;
}

static void
checkbox(struct html *h, struct req *req, const char *name, const char *value,
         const char *id, const char *msgid)
{
    HTML_LIT(h, "<label class=\"check\"><input type=\"checkbox\" ");
    web_id_name(h, id, name);
    HTML_LIT(h, " value=\"");
    html_attr(h, value);
    HTML_LIT(h, "\"");
    if (form_has(req, name, value)) {
        HTML_LIT(h, " checked");
    }
    HTML_LIT(h, "> ");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</label>");
}

struct earlier_ctx {
    struct req *req;
    struct html *h;
    int n;
};

static int
earlier_row(const struct contact_row *r, void *ctx)
{
    struct earlier_ctx *c = ctx;
    HTML_LIT(c->h, "<li>");
    web_link(c->h, "/contacts/", r->code, r->code);
    HTML_LIT(c->h, " ");
    web_time(c->h, c->req, r->received_at);
    HTML_LIT(c->h, " - ");
    html_text(c->h, T(c->req, vocab_label(contact_categories, r->category)));
    HTML_LIT(c->h, "</li>");
    c->n++;
    return 0;
}

/* The earlier contacts from the phone in the form (no-JS check). */
static void
earlier_list(struct html *h, struct req *req, int is_asked)
{
    HTML_LIT(h, "<div id=\"earlier\" aria-live=\"polite\" data-none=\"");
    html_attr(h, T(req, "No earlier contacts from this number."));
    HTML_LIT(h, "\" data-title=\"");
    html_attr(h, T(req, "Earlier contacts from this number"));
    HTML_LIT(h, "\">");
    const char *phone = req_param(req, "caller_phone");
    if (is_asked && !is_blank(phone) &&
        policy_can_see_identity(req->who.role)) {
        struct sr_err err = { 0 };
        struct earlier_ctx c = { req, h, 0 };
        HTML_LIT(h, "<h3>");
        html_text(h, T(req, "Earlier contacts from this number"));
        HTML_LIT(h, "</h3><ul>");
        struct contact_input q = {
            .caller_phone = phone,
            .caller_country = req_param(req, "caller_country"),
            .caller_province = req_param(req, "caller_province"),
            .phone_region = req->app->ws->cfg.phone_region
        };
        int rc = contact_find_by_phone(req->db, req->app->ws->vault, &req->who,
                                       &q, 20, earlier_row, &c, &err);
        HTML_LIT(h, "</ul>");
        if (rc == SR_OK && c.n == 0) {
            web_muted(h, req, NULL,
                      N_("No earlier contacts from this number."));
        } else if (rc != SR_OK) {
            HTML_LIT(h, "<p class=\"field-error\">");
            html_text(h, T(req, field_label("caller_phone")));
            HTML_LIT(h, "</p>");
        }
        sr_err_release(&err);
    }
    HTML_LIT(h, "</div>");
}

static int
emergency_row(const struct org_entry *e, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<li>");
    html_text(c->h, e->name);
    HTML_LIT(c->h, " (");
    html_text(c->h, T(c->req, vocab_label(org_kinds, e->kind)));
    HTML_LIT(c->h, ")");
    if (e->emergency_phone[0] != '\0' &&
        org_shows_emergency_phone(c->req->who.role)) {
        char shown[PHONE_MAX];
        phone_display(e->emergency_phone, shown, sizeof shown);
        HTML_LIT(c->h, " <a class=\"tel\" href=\"tel:");
        html_attr(c->h, e->emergency_phone);
        HTML_LIT(c->h, "\">");
        html_text(c->h, shown);
        HTML_LIT(c->h, "</a>");
    }
    HTML_LIT(c->h, "</li>");
    c->n_rows++;
    return 0;
}

/* The emergency partners serving province, as a list (or a note). */
static void
emergency_list(struct html *h, struct req *req, const char *province)
{
    struct sr_err err = { 0 };
    struct web_rows c = { req, NULL, h, 0 };
    HTML_LIT(h, "<h2>");
    html_text(h, T(req, "Emergency partners"));
    HTML_LIT(h, "</h2><ul id=\"emergency-list\">");
    int rc =
        org_search(req->db, province, NULL, NULL, 1, emergency_row, &c, &err);
    HTML_LIT(h, "</ul>");
    if (rc != SR_OK || c.n_rows == 0) {
        web_muted(h, req, NULL,
                  N_("No emergency partner serves this province."));
    }
    sr_err_release(&err);
}

/* The fields of one place of a contact: the caller's or the problem's. */
struct place_fields {
    const char *legend;                  /* msgid */
    const char *country, *country_msgid; /* field name, label msgid */
    const char *province, *province_msgid;
    const char *place, *place_msgid;
};

static const struct place_fields caller_place = {
    N_("Where the caller is"), "caller_country",      N_("Caller country"),
    "caller_province",         N_("Caller province"), "caller_place",
    N_("Caller place"),
};
static const struct place_fields problem_place = {
    N_("Where the problem is"), "problem_country",      N_("Problem country"),
    "problem_province",         N_("Problem province"), "problem_place",
    N_("Problem place"),
};

static void
place_fieldset(struct html *h, struct req *req, const struct place_fields *p,
               const struct field_errs *fe)
{
    HTML_LIT(h, "<fieldset><legend>");
    html_text(h, T(req, p->legend));
    HTML_LIT(h, "</legend>");
    select_field(h, req, p->country, p->country_msgid, contact_web_countries,
                 N_("Not known"), fe);
    HTML_LIT(h, "<div class=\"field\">");
    web_label(h, req, p->province, p->province_msgid);
    province_select(h, req, p->province, req_param(req, p->province),
                    N_("Not known"), fe);
    web_field_error(h, req, fe, p->province);
    HTML_LIT(h, "</div>");
    text_input(h, req, p->place, "text", p->place_msgid, CONTACT_MAX_PLACE, fe,
               p->place, NULL);
    HTML_LIT(h, "</fieldset>");
}

static void
contact_form(struct req *req, struct resp *resp, const struct field_errs *fe,
             int is_lookup)
{
    struct html h;
    int off = web_tz_offset(req);
    web_page_begin(req, resp, &h, N_("Log a contact"));
    web_field_summary(&h, req, fe, field_label, field_input);
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" action=\"/contacts\" "
                 "id=\"contact-form\">");
    web_csrf_field(req, resp, &h);
    /* date and time, local to the workspace */
    char now[32];
    const char *when = req_param(req, "received_at");
    if (when == NULL && fe == NULL) {
        contact_format_time(sr_now(), off, now, sizeof now);
        now[10] = 'T';
        when = now;
    }
    HTML_LIT(&h, "<div class=\"field\">");
    web_label(&h, req, "received_at", N_("Date and time"));
    HTML_LIT(&h, "<input id=\"received_at\" name=\"received_at\" "
                 "type=\"datetime-local\" required value=\"");
    html_attr(&h, when != NULL && strlen(when) <= 30 ? when : "");
    HTML_LIT(&h, "\"");
    web_field_invalid(&h, fe, "received_at");
    HTML_LIT(&h, ">");
    web_field_error(&h, req, fe, "received_at");
    HTML_LIT(&h, "<p class=\"hint\">");
    web_printf_tr(&h, req, N_("Time zone: %s"), req->app->ws->cfg.timezone);
    HTML_LIT(&h, "</p></div>");
    select_field(&h, req, "channel", N_("Channel"), contact_channels, NULL, fe);
    select_field(&h, req, "language", N_("Language used"), vocab_languages,
                 NULL, fe);
    select_field(&h, req, "caller_type", N_("Caller"), contact_caller_types,
                 NULL, fe);
    text_input(&h, req, "caller_phone", "tel", N_("Caller phone"), 32, fe,
               "caller_phone",
               N_("Stored encrypted. Earlier contacts from the number are "
                  "shown as you type."));
    HTML_LIT(&h, "<button class=\"btn\" type=\"submit\" name=\"check\" "
                 "value=\"1\" id=\"check-earlier\" formnovalidate>");
    html_text(&h, T(req, "Check earlier contacts"));
    HTML_LIT(&h, "</button>");
    earlier_list(&h, req, is_lookup);
    place_fieldset(&h, req, &caller_place, fe);
    place_fieldset(&h, req, &problem_place, fe);
    select_field(&h, req, "category", N_("Category"), contact_categories,
                 N_("Choose..."), fe);
    HTML_LIT(&h, "<fieldset id=\"issues\"><legend>");
    html_text(&h, T(req, "Issues raised"));
    HTML_LIT(&h, "</legend>");
    web_field_error(&h, req, fe, "issues");
    for (int i = 0; contact_issues[i].code != NULL; i++) {
        char id[64];
        snprintf(id, sizeof id, "issue-%s", contact_issues[i].code);
        checkbox(&h, req, "issue", contact_issues[i].code, id,
                 contact_issues[i].label);
    }
    HTML_LIT(&h, "</fieldset>");
    select_field(&h, req, "sector", N_("Sector"), contact_sectors,
                 N_("Not known"), fe);
    text_input(&h, req, "n_affected", "number", N_("People affected"), 6, fe,
               "n_affected", NULL);
    HTML_LIT(&h, "<fieldset><legend>");
    html_text(&h, T(req, "Imminent danger"));
    HTML_LIT(&h, "</legend>");
    checkbox(&h, req, "danger", "1", "danger",
             N_("Yes: someone is in imminent danger"));
    HTML_LIT(&h, "<div id=\"emergency\" aria-live=\"assertive\" "
                 "data-title=\"");
    html_attr(&h, T(req, "Emergency partners"));
    HTML_LIT(&h, "\" data-none=\"");
    html_attr(&h, T(req, "No emergency partner serves this province."));
    HTML_LIT(&h, "\">");
    if (form_has(req, "danger", "1") &&
        !is_blank(req_param(req, "problem_province")) &&
        gaz_find(req_param(req, "problem_province")) != NULL) {
        emergency_list(&h, req, req_param(req, "problem_province"));
    }
    HTML_LIT(&h, "</div></fieldset>");
    textarea(&h, req, "summary", N_("Summary"), fe);
    textarea(&h, req, "needs", N_("What the caller needs"), fe);
    textarea(&h, req, "action_taken", N_("What the operator did"), fe);
    text_input(&h, req, "duration_min", "number", N_("Duration (minutes)"), 4,
               fe, "duration_s", NULL);
    HTML_LIT(&h, "<fieldset><legend>");
    html_text(&h, T(req, "Consent to share"));
    HTML_LIT(&h, "</legend>");
    checkbox(&h, req, "consent", "ngo", "consent-ngo",
             N_("With partner NGOs and services"));
    checkbox(&h, req, "consent", "police", "consent-police",
             N_("With police and prosecutors"));
    checkbox(&h, req, "consent", "research", "consent-research",
             N_("For non-identifying research"));
    HTML_LIT(&h, "</fieldset>");
    web_form_actions(&h, req, N_("Save contact"), "save-contact");
    HTML_LIT(&h, "</form>"
                 "<script src=\"/static/contact.js\"></script>");
    web_page_end(req, resp, &h);
}

int
contact_page_new(struct req *req, struct resp *resp)
{
    contact_form(req, resp, NULL, 0);
    return SR_OK;
}

/* Read the form into in and check it, each refused field into fe;
 * SR_EINVAL when any is. The date and time is required here (the API and
 * the command line take an absent one as now). */
static int
read_form(struct req *req, struct contact_input *in, struct field_errs *fe)
{
    memset(in, 0, sizeof *in);
    const char *when = req_param(req, "received_at");
    if (is_blank(when)) {
        field_fail(fe, "received_at", N_("Required."), "received_at: required");
    } else if (contact_parse_time(when, web_tz_offset(req), &in->received_at) !=
               SR_OK) {
        field_fail(fe, "received_at", N_("Must be a date and time."),
                   "received_at: must be a date and time");
    }
    in->channel = req_param(req, "channel");
    in->language = req_param(req, "language");
    in->caller_type = req_param(req, "caller_type");
    in->caller_phone = req_param(req, "caller_phone");
    in->phone_region = req->app->ws->cfg.phone_region;
    in->caller_country = req_param(req, "caller_country");
    in->caller_province = req_param(req, "caller_province");
    in->caller_place = req_param(req, "caller_place");
    in->problem_country = req_param(req, "problem_country");
    in->problem_province = req_param(req, "problem_province");
    in->problem_place = req_param(req, "problem_place");
    in->category = req_param(req, "category");
    in->sector = req_param(req, "sector");
    in->summary = req_param(req, "summary");
    in->needs = req_param(req, "needs");
    in->action_taken = req_param(req, "action_taken");
    for (size_t i = 0; i < req->n_form; i++) {
        if (strcmp(req->form[i].key, "issue") == 0) {
            int k = vocab_find(contact_issues, req->form[i].value);
            if (k < 0) {
                field_fail(fe, "issues", N_("Not one of the allowed values."),
                           "issues: not one of the allowed values");
            } else {
                in->issues |= 1u << k;
            }
        }
    }
    in->is_danger = form_has(req, "danger", "1");
    in->consent =
        (form_has(req, "consent", "ngo") ? CONTACT_CONSENT_NGO : 0) |
        (form_has(req, "consent", "police") ? CONTACT_CONSENT_POLICE : 0) |
        (form_has(req, "consent", "research") ? CONTACT_CONSENT_RESEARCH : 0);
    long long v;
    const char *n = req_param(req, "n_affected");
    in->n_affected = 1;
    if (!is_blank(n)) {
        if (sr_parse_i64(n, 0, 100000, &v) != SR_OK) {
            field_fail(fe, "n_affected",
                       N_("Must be a number from 0 to 100000."),
                       "n_affected: must be a number from 0 to 100000");
        } else {
            in->n_affected = (int)v;
        }
    }
    const char *d = req_param(req, "duration_min");
    if (!is_blank(d)) {
        if (sr_parse_i64(d, 0, 1440, &v) != SR_OK) {
            field_fail(fe, "duration_s", N_("Must be 0 to 1440 minutes."),
                       "duration_s: minutes must be 0 to 1440");
        } else {
            in->duration_s = (int)v * 60;
        }
    }
    contact_check(in, fe);
    return field_errs_rc(fe);
}

int
contact_page_create(struct req *req, struct resp *resp)
{
    if (!is_blank(req_param(req, "check"))) {
        /* the no-JS "Check earlier contacts" button: nothing is saved */
        contact_form(req, resp, NULL, 1);
        return SR_OK;
    }
    struct contact_input in;
    struct sr_err err = { 0 };
    struct field_errs fe = { .err = &err };
    char code[32];
    int rc = read_form(req, &in, &fe);
    if (rc == SR_OK) {
        rc = contact_create(req->db, req->app->ws->vault, &req->who, &in, NULL,
                            code, NULL, &err);
    }
    if (rc == SR_EINVAL) {
        if (fe.n == 0) {
            /* refused past the form's checks: shown on the form */
            field_fail(&fe, "summary", N_("Not one of the allowed values."),
                       "%s", sr_err_msg(&err));
        }
        sr_err_release(&err);
        contact_form(req, resp, &fe, 0);
        resp->status = 400;
        return SR_OK;
    }
    sr_err_release(&err);
    if (rc != SR_OK) {
        return rc;
    }
    resp_redirect(resp, arena_printf(req->arena, "/contacts/%s?saved=1", code));
    return SR_OK;
}

/* ---- one contact -------------------------------------------------------- */

struct view_ctx {
    struct contact_row r;
    char code[32], channel[32], language[16], caller_type[32];
    char caller_country[8], caller_province[16];
    char problem_country[8], problem_province[16];
    char category[32], sector[32], operator_name[64];
    int is_found;
};

static int
keep_contact(const struct contact_row *r, void *ctx)
{
    struct view_ctx *v = ctx;
    v->r = *r;
    snprintf(v->code, sizeof v->code, "%s", r->code);
    snprintf(v->channel, sizeof v->channel, "%s", r->channel);
    snprintf(v->language, sizeof v->language, "%s", r->language);
    snprintf(v->caller_type, sizeof v->caller_type, "%s", r->caller_type);
    snprintf(v->caller_country, sizeof v->caller_country, "%s",
             r->caller_country);
    snprintf(v->caller_province, sizeof v->caller_province, "%s",
             r->caller_province);
    snprintf(v->problem_country, sizeof v->problem_country, "%s",
             r->problem_country);
    snprintf(v->problem_province, sizeof v->problem_province, "%s",
             r->problem_province);
    snprintf(v->category, sizeof v->category, "%s", r->category);
    snprintf(v->sector, sizeof v->sector, "%s", r->sector);
    snprintf(v->operator_name, sizeof v->operator_name, "%s", r->operator_name);
    v->is_found = 1;
    return 1;
}

static void
kv(struct html *h, struct req *req, const char *msgid, const char *id,
   const char *value)
{
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</dt><dd id=\"");
    html_attr(h, id);
    HTML_LIT(h, "\">");
    html_text(h, value != NULL && value[0] ? value : "-");
    HTML_LIT(h, "</dd>");
}

static const char *
place_text(struct req *req, const char *country, const char *province)
{
    const char *c = vocab_label(contact_web_countries, country);
    return arena_printf(req->arena, "%s%s%s", c[0] ? T(req, c) : country,
                        province[0] ? " / " : "",
                        province[0] ? web_province_name(req, province) : "");
}

int
contact_page_view(struct req *req, struct resp *resp)
{
    struct view_ctx v;
    struct sr_err err = { 0 };
    memset(&v, 0, sizeof v);
    int rc = contact_get(req->db, &req->who, req_route_param(req, "code"),
                         keep_contact, &v, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        return web_not_found(req, resp, rc);
    }
    struct html h;
    web_page_begin(req, resp, &h, N_("Contact"));
    if (!is_blank(req_param(req, "saved"))) {
        web_flash(&h, req, N_("Contact saved."));
    }
    HTML_LIT(&h, "<p class=\"lead\"><strong id=\"contact-code\">");
    html_text(&h, v.code);
    HTML_LIT(&h, "</strong>");
    if (v.r.is_danger) {
        HTML_LIT(&h, " <span class=\"badge danger\">");
        html_text(&h, T(req, "Imminent danger"));
        HTML_LIT(&h, "</span>");
    }
    HTML_LIT(&h, "</p>");
    if (policy_allows(&req->who, ACT_REFERRAL_SEND, 0, 0)) {
        HTML_LIT(&h, "<p><a class=\"btn primary\" id=\"refer\" "
                     "href=\"/contacts/");
        html_url(&h, v.code);
        HTML_LIT(&h, "/refer\">");
        html_text(&h, T(req, "Refer"));
        HTML_LIT(&h, "</a></p>");
    }
    if (policy_allows(&req->who, ACT_CASE_CREATE, 0, 0)) {
        /* the case form with this contact's code typed in (a code is no
         * identity) */
        HTML_LIT(&h, "<p><a class=\"btn\" id=\"open-case\" "
                     "href=\"/cases/new?contact_codes=");
        html_url(&h, v.code);
        HTML_LIT(&h, "\">");
        html_text(&h, T(req, "Open a case"));
        HTML_LIT(&h, "</a></p>");
    }
    HTML_LIT(&h, "<dl class=\"kv\"><dt>");
    html_text(&h, T(req, "Date and time"));
    HTML_LIT(&h, "</dt><dd id=\"c-received\">");
    web_time(&h, req, v.r.received_at);
    HTML_LIT(&h, "</dd>");
    kv(&h, req, "Channel", "c-channel",
       T(req, vocab_label(contact_channels, v.channel)));
    kv(&h, req, "Language used", "c-language",
       T(req, vocab_label(vocab_languages, v.language)));
    kv(&h, req, "Caller", "c-caller-type",
       T(req, vocab_label(contact_caller_types, v.caller_type)));
    kv(&h, req, "Where the caller is", "c-caller-where",
       place_text(req, v.caller_country, v.caller_province));
    kv(&h, req, "Where the problem is", "c-problem-where",
       place_text(req, v.problem_country, v.problem_province));
    kv(&h, req, "Category", "c-category",
       T(req, vocab_label(contact_categories, v.category)));
    HTML_LIT(&h, "<dt>");
    html_text(&h, T(req, "Issues raised"));
    HTML_LIT(&h, "</dt><dd id=\"c-issues\">");
    issues_text(&h, req, v.r.issues);
    HTML_LIT(&h, "</dd>");
    kv(&h, req, "Sector", "c-sector",
       v.sector[0] ? T(req, vocab_label(contact_sectors, v.sector)) : "");
    kv(&h, req, "People affected", "c-affected",
       arena_printf(req->arena, "%d", v.r.n_affected));
    kv(&h, req, "Duration (minutes)", "c-duration",
       arena_printf(req->arena, "%d", (v.r.duration_s + 59) / 60));
    kv(&h, req, "Operator", "c-operator",
       v.operator_name[0] ? v.operator_name
                          : TC(req, "contact operator", "Imported"));
    HTML_LIT(&h, "</dl><section class=\"card\" id=\"identity\"><h2>");
    html_text(&h, T(req, "Caller and account"));
    HTML_LIT(&h, "</h2>");
    if (policy_can_see_identity(req->who.role)) {
        struct contact_identity idn;
        rc = contact_identity_read(req->db, req->app->ws->vault, &req->who,
                                   v.r.id, &idn, &err);
        sr_err_release(&err);
        if (rc != SR_OK) {
            html_release(&h);
            return rc;
        }
        HTML_LIT(&h, "<dl class=\"kv\">");
        char shown[PHONE_MAX];
        phone_display(idn.phone.data, shown, sizeof shown);
        kv(&h, req, "Caller phone", "c-phone", shown);
        sodium_memzero(shown, sizeof shown);
        kv(&h, req, "Caller place", "c-caller-place", idn.caller_place.data);
        kv(&h, req, "Problem place", "c-problem-place", idn.problem_place.data);
        kv(&h, req, "Summary", "c-summary", idn.summary.data);
        kv(&h, req, "What the caller needs", "c-needs", idn.needs.data);
        kv(&h, req, "What the operator did", "c-action", idn.action_taken.data);
        HTML_LIT(&h, "</dl>");
        contact_identity_release(&idn);
    } else {
        web_muted(&h, req, "identity-hidden",
                  N_("Identity fields are hidden for your role."));
    }
    HTML_LIT(&h, "</section>");
    if (v.r.is_danger && v.problem_province[0] != '\0') {
        HTML_LIT(&h, "<section class=\"card\" id=\"emergency\">");
        emergency_list(&h, req, v.problem_province);
        HTML_LIT(&h, "</section>");
    }
    if (policy_allows(&req->who, ACT_CONTACT_DELETE, 0, 0)) {
        web_card_begin(&h, req, N_("Delete this contact"));
        web_post_form(&h, req, resp, "/contacts/", v.code, "/delete");
        web_label(&h, req, "reason", N_("Reason"));
        HTML_LIT(&h, "<input id=\"reason\" name=\"reason\" required "
                     "maxlength=\"500\">");
        web_submit_danger(&h, req, N_("Delete"));
        HTML_LIT(&h, "</form></section>");
    }
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
contact_page_delete(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    int rc = contact_delete(req->db, req->app->ws->vault, &req->who,
                            req_route_param(req, "code"),
                            req_param(req, "reason"), &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc == SR_EINVAL) {
        web_error(req, resp, 400, N_("A reason is required."));
        return SR_OK;
    }
    if (rc != SR_OK) {
        return rc;
    }
    resp_redirect(resp, "/contacts?deleted=1");
    return SR_OK;
}

/* ---- JSON --------------------------------------------------------------- */

struct json_ctx {
    struct req *req;
    json_t *list;
    int off;
};

static int
earlier_json(const struct contact_row *r, void *ctx)
{
    struct json_ctx *c = ctx;
    /* shown as it is by web/contact.js: local, with the zone's label */
    const char *when = web_time_text(c->req, r->received_at);
    json_array_append_new(
        c->list,
        json_pack("{s:s, s:s, s:s, s:s}", "code", r->code, "received", when,
                  "category", r->category, "category_label",
                  T(c->req, vocab_label(contact_categories, r->category))));
    return 0;
}

int
contact_api_lookup(struct req *req, struct resp *resp)
{
    if (!policy_can_see_identity(req->who.role)) {
        json_error(resp, 403, "identity fields are hidden for this role");
        return SR_OK;
    }
    const char *phone = req_param(req, "phone");
    json_t *body = NULL;
    if (phone == NULL && req->body_len > 0) {
        json_error_t jerr;
        body = json_loadb(req->body, req->body_len, 0, &jerr);
        json_t *p =
            json_is_object(body) ? json_object_get(body, "phone") : NULL;
        phone = json_is_string(p) ? json_string_value(p) : NULL;
    }
    json_t *list = json_array();
    struct json_ctx c = { req, list, web_tz_offset(req) };
    struct sr_err err = { 0 };
    struct contact_input q = { .caller_phone = phone,
                               .phone_region = req->app->ws->cfg.phone_region };
    int rc = contact_find_by_phone(req->db, req->app->ws->vault, &req->who, &q,
                                   20, earlier_json, &c, &err);
    json_decref(body);
    if (rc == SR_EINVAL || rc == SR_EPERM) {
        json_decref(list);
        json_error(resp, rc == SR_EPERM ? 403 : 400, sr_err_msg(&err));
        sr_err_release(&err);
        return SR_OK;
    }
    sr_err_release(&err);
    return json_respond_list(resp, rc, "contacts", list);
}

static int
emergency_json(const struct org_entry *e, void *ctx)
{
    struct json_ctx *c = ctx;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "code", e->code, "name",
                          e->name, "kind", e->kind, "kind_label",
                          T(c->req, vocab_label(org_kinds, e->kind)));
    if (e->emergency_phone[0] != '\0' &&
        org_shows_emergency_phone(c->req->who.role)) {
        char shown[PHONE_MAX];
        phone_display(e->emergency_phone, shown, sizeof shown);
        json_object_set_new(o, "phone", json_string(shown));
        json_object_set_new(o, "tel", json_string(e->emergency_phone));
    }
    json_array_append_new(c->list, o);
    return 0;
}

int
contact_api_emergency(struct req *req, struct resp *resp)
{
    const char *province = req_param(req, "province");
    if (is_blank(province) || gaz_find(province) == NULL) {
        json_error(resp, 400, "province: not a province in the gazetteer");
        return SR_OK;
    }
    json_t *list = json_array();
    struct json_ctx c = { req, list, 0 };
    struct sr_err err = { 0 };
    int rc =
        org_search(req->db, province, NULL, NULL, 1, emergency_json, &c, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        json_decref(list);
        return rc;
    }
    json_respond(resp, 200,
                 json_pack("{s:s, s:o}", "province", province, "orgs", list));
    return SR_OK;
}
