/*
 * person_web.c - pages of people (/cases/{code}/people/new,
 * /people/{code}), possible duplicates (/duplicates), emergency views
 * (/glass) and the person JSON.
 *
 * No SQL: person.c answers and audits. Identities are shown only to roles
 * that may see them, each read audited; the break-the-glass form asks for
 * a reason, and the emergency view is recorded for review. The JSON never
 * carries identities.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/case_web.h"
#include "web/person_web.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cases/case.h"
#include "web/json.h"
#include "cases/person.h"
#include "core/phone.h"
#include "web/web.h"
#include "base/workspace.h"
#include "web/totp_web.h"

#include "core/banned.h"

/* The add-person form's fields and their label msgids. */
static const struct {
    const char *field, *msgid;
} person_fields[] = {
    { "role", N_("Role") },
    { "name", N_("Name") },
    { "aliases", N_("Other names") },
    { "birth_date", N_("Date of birth") },
    { "phone", N_("Phone") },
    { "id_number", N_("ID number") },
    { "passport", N_("Passport number") },
    { "address", N_("Address") },
    { "gender", N_("Gender") },
    { "birth_year", N_("Year of birth") },
    { "age_trafficked", N_("Age when trafficked") },
    { "citizenship", N_("Citizenship") },
    { "languages", N_("Languages") },
    { "education", N_("Education") },
};

static const char *
person_field_label(const char *field)
{
    for (size_t i = 0; i < sizeof person_fields / sizeof person_fields[0];
         i++) {
        if (strcmp(person_fields[i].field, field) == 0) {
            return person_fields[i].msgid;
        }
    }
    return N_("Add a person");
}

static const char *
person_field_id(const char *field)
{
    return field;
}

/* A text input keeping the value typed (maxlength characters, up to
 * FIELD_BYTES_PER_CHAR bytes each), marked and explained when fe refuses
 * it. */
static void
input(struct html *h, struct req *req, const char *name, const char *msgid,
      const char *type, int maxlength, const struct field_errs *fe)
{
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<input ");
    web_id_name(h, name, name);
    HTML_LIT(h, " type=\"");
    html_attr(h, type);
    HTML_LIT(h, "\" maxlength=\"");
    html_printf_text(h, "%d", maxlength);
    HTML_LIT(h, "\" autocomplete=\"off\" value=\"");
    const char *v = req_param(req, name);
    html_attr(h,
              v != NULL && strlen(v) <= (size_t)maxlength * FIELD_BYTES_PER_CHAR
                  ? v
                  : "");
    HTML_LIT(h, "\"");
    web_field_invalid(h, fe, name);
    HTML_LIT(h, ">");
    web_field_error(h, req, fe, name);
}

static void
select_list(struct html *h, struct req *req, const char *name,
            const char *msgid, const struct vocab_item *list, int has_blank,
            const struct field_errs *fe)
{
    web_label(h, req, name, msgid);
    HTML_LIT(h, "<select ");
    web_id_name(h, name, name);
    web_field_invalid(h, fe, name);
    HTML_LIT(h, ">");
    web_vocab_options(h, req, list, req_param(req, name),
                      has_blank ? "-" : NULL);
    HTML_LIT(h, "</select>");
    web_field_error(h, req, fe, name);
}

static int
status_for(int rc)
{
    return rc == SR_ENOTFOUND ? 404 : rc == SR_EPERM ? 403 : 400;
}

/* ---- add a person ------------------------------------------------------- */

static int
new_form(struct req *req, struct resp *resp, const char *error,
         const struct field_errs *fe)
{
    struct html h;
    int64_t id = 0;
    struct sr_err err = { 0 };
    const char *code = req_route_param(req, "code");
    if (case_find(req->db, &req->who, code, ACT_CASE_CREATE, &id, NULL, &err) !=
        SR_OK) {
        sr_err_release(&err);
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    web_page_begin(req, resp, &h, N_("Add a person"));
    web_form_error(&h, error);
    web_field_summary(&h, req, fe, person_field_label, person_field_id);
    HTML_LIT(&h, "<p class=\"lead\">");
    html_text(&h, code);
    HTML_LIT(&h, "</p><form class=\"stack\" method=\"post\" "
                 "id=\"person-form\" action=\"/cases/");
    html_url(&h, code);
    HTML_LIT(&h, "/people\">");
    web_csrf_field(req, resp, &h);
    select_list(&h, req, "role", N_("Role"), person_roles, 0, fe);
    input(&h, req, "name", TC(req, "person name", "Name"), "text",
          PERSON_MAX_NAME, fe);
    input(&h, req, "aliases", N_("Other names"), "text", PERSON_MAX_ALIASES,
          fe);
    input(&h, req, "birth_date", N_("Date of birth"), "date", 10, fe);
    input(&h, req, "phone", N_("Phone"), "tel", 32, fe);
    input(&h, req, "id_number", N_("ID number"), "text", 40, fe);
    input(&h, req, "passport", N_("Passport number"), "text", 40, fe);
    input(&h, req, "address", N_("Address"), "text", PERSON_MAX_ADDRESS, fe);
    select_list(&h, req, "gender", N_("Gender"), person_genders, 1, fe);
    input(&h, req, "birth_year", N_("Year of birth"), "number", 4, fe);
    input(&h, req, "age_trafficked", N_("Age when trafficked"), "number", 3,
          fe);
    input(&h, req, "citizenship", N_("Citizenship"), "text", 2, fe);
    input(&h, req, "languages", N_("Languages"), "text", 100, fe);
    select_list(&h, req, "education", TC(req, "schooling", "Education"),
                person_educations, 1, fe);
    web_submit(&h, req, N_("Add the person"), "add-person-submit");
    HTML_LIT(&h, "</form>");
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
person_page_new(struct req *req, struct resp *resp)
{
    return new_form(req, resp, NULL, NULL);
}

/* s as a number from min to max into *out, dflt when blank; a refusal
 * into fe. */
static void
opt_int(struct field_errs *fe, const char *s, long long min, long long max,
        long long dflt, const char *field, const char *msgid, long long *out)
{
    *out = dflt;
    if (s == NULL || s[0] == '\0') {
        return;
    }
    if (sr_parse_i64(s, min, max, out) != SR_OK) {
        *out = dflt;
        field_fail(fe, field, msgid, "%s: must be %lld to %lld", field, min,
                   max);
    }
}

/* The add-person form again with every refused field and what was typed. */
static int
form_again(struct req *req, struct resp *resp, const struct field_errs *fe)
{
    int rc = new_form(req, resp, NULL, fe);
    if (rc == SR_OK) {
        resp->status = 400;
    }
    return rc;
}

/* new_form() with err's message alone, as web_form_again() shows it. */
static int
new_form_msg(struct req *req, struct resp *resp, const char *error)
{
    return new_form(req, resp, error, NULL);
}

int
person_page_create(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct field_errs fe = { .err = &err };
    struct person_input in;
    memset(&in, 0, sizeof in);
    in.name = req_param(req, "name");
    in.aliases = req_param(req, "aliases");
    in.birth_date = req_param(req, "birth_date");
    in.phone = req_param(req, "phone");
    in.phone_region = req->app->ws->cfg.phone_region;
    in.id_number = req_param(req, "id_number");
    in.passport = req_param(req, "passport");
    in.address = req_param(req, "address");
    in.gender = req_param(req, "gender");
    in.citizenship = req_param(req, "citizenship");
    in.languages = req_param(req, "languages");
    in.education = req_param(req, "education");
    long long year = 0, age = -1;
    opt_int(&fe, req_param(req, "birth_year"), 1900, 2100, 0, "birth_year",
            N_("Must be 1900 to 2100."), &year);
    opt_int(&fe, req_param(req, "age_trafficked"), 0, 120, -1, "age_trafficked",
            N_("Must be 0 to 120."), &age);
    in.birth_year = (int)year;
    in.age_trafficked = (int)age;
    field_check_vocab(&fe, person_roles, req_param(req, "role"), 1, "role");
    if (person_check(&in, &fe) != SR_OK) {
        sr_err_release(&err);
        return form_again(req, resp, &fe);
    }
    char code[32];
    int n_dups = 0;
    int rc = person_add(req->db, req->app->ws->vault, &req->who,
                        req_route_param(req, "code"), req_param(req, "role"),
                        &in, code, NULL, &n_dups, &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(resp, policy_allows(&req->who, ACT_CASE_READ, 0, 0)
                                ? arena_printf(req->arena, "/people/%s?dups=%d",
                                               code, n_dups)
                                : "/dashboard");
        return SR_OK;
    }
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        sr_err_release(&err);
        web_error(req, resp, status_for(rc), N_("Page not found."));
        return SR_OK;
    }
    return web_form_again(req, resp, rc, &err, new_form_msg);
}

/* ---- one person --------------------------------------------------------- */

struct view_ctx {
    struct req *req;
    struct resp *resp;
    struct html *h;
    int is_found;
    int64_t id;
};

static int
case_item(const char *code, const char *role, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<li>");
    web_link(c->h, "/cases/", code, code);
    HTML_LIT(c->h, " ");
    html_text(c->h, case_web_label(c->req, person_roles, role));
    HTML_LIT(c->h, "</li>");
    return 0;
}

static int
consent_item(const struct consent_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    HTML_LIT(c->h, "<tr>");
    web_td(c->h, case_web_label(c->req, consent_purposes, r->purpose));
    web_td(c->h, case_web_label(c->req, consent_states, r->state));
    web_td_time(c->h, c->req, r->recorded_at);
    web_td(c->h, r->recorded_by[0] ? r->recorded_by : "-");
    HTML_LIT(c->h, "</tr>");
    return 0;
}

static void
identity_dl(struct html *h, struct req *req, struct person_identity *id)
{
    HTML_LIT(h, "<dl class=\"kv\" id=\"identity\">");
    web_dt_dd(h, req, TC(req, "person name", "Name"), id->name.data);
    web_dt_dd(h, req, N_("Other names"), id->aliases.data);
    web_dt_dd(h, req, N_("Date of birth"), id->birth_date.data);
    char shown[PHONE_MAX];
    phone_display(id->phone.data, shown, sizeof shown);
    web_dt_dd(h, req, N_("Phone"), shown);
    sodium_memzero(shown, sizeof shown);
    web_dt_dd(h, req, N_("ID number"), id->id_number.data);
    web_dt_dd(h, req, N_("Passport number"), id->passport.data);
    web_dt_dd(h, req, N_("Address"), id->address.data);
    HTML_LIT(h, "</dl>");
}

static void
glass_form(struct html *h, struct req *req, struct resp *resp, const char *code)
{
    web_card_begin(h, req, N_("Emergency access"));
    web_muted(h, req, NULL,
              N_("Viewing this person's identity outside your "
                 "organisation's cases is recorded and reviewed by a "
                 "coordinator."));
    web_post_form(h, req, resp, "/people/", code, "/glass");
    web_label(h, req, "reason", N_("Reason"));
    HTML_LIT(h, "<textarea id=\"reason\" name=\"reason\" rows=\"3\" "
                "minlength=\"10\" maxlength=\"500\" required></textarea>");
    totp_web_glass_field(h, req);
    web_submit_danger(h, req, N_("Break the glass"));
    HTML_LIT(h, "</form></section>");
}

static int
view_person(const struct person_row *r, void *ctx)
{
    struct view_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    struct sr_err err = { 0 };
    c->is_found = 1;
    c->id = r->id;
    if (r->n_cases > 1) {
        HTML_LIT(h, "<p class=\"flash error\" role=\"status\" "
                    "id=\"retraf\">");
        web_printf_tr(h, req,
                      N_("This person is in %d cases: possible "
                         "re-trafficking."),
                      r->n_cases);
        HTML_LIT(h, "</p>");
    }
    HTML_LIT(h, "<dl class=\"kv\">");
    web_dt_dd(h, req, N_("Person"), r->code);
    if (r->merged_into[0]) {
        web_dt_dd(h, req, N_("Merged into"), r->merged_into);
    }
    web_dt_dd(h, req, N_("Gender"),
              case_web_label(req, person_genders, r->gender));
    web_dt_dd(h, req, N_("Year of birth"),
              r->birth_year > 0 ? arena_printf(req->arena, "%d", r->birth_year)
                                : "");
    web_dt_dd(h, req, N_("Age when trafficked"),
              r->age_trafficked >= 0
                  ? arena_printf(req->arena, "%d", r->age_trafficked)
                  : "");
    web_dt_dd(h, req, N_("Citizenship"), r->citizenship);
    web_dt_dd(h, req, N_("Languages"), r->languages);
    web_dt_dd(h, req, TC(req, "schooling", "Education"),
              case_web_label(req, person_educations, r->education));
    HTML_LIT(h, "</dl>");
    web_card_begin(h, req, N_("Cases"));
    HTML_LIT(h, "<ul>");
    person_cases(req->db, r->id, case_item, c, &err);
    HTML_LIT(h, "</ul></section>");
    sr_err_release(&err);
    return 0;
}

static void
consent_section(struct view_ctx *c, const char *code)
{
    struct html *h = c->h;
    struct req *req = c->req;
    struct sr_err err = { 0 };
    web_card_begin(h, req, N_("Consent"));
    HTML_LIT(
        h,
        "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" id=\"consent\"><tbody>");
    person_consent_list(req->db, c->id, consent_item, c, &err);
    HTML_LIT(h, "</tbody></table></div>");
    sr_err_release(&err);
    if (policy_allows(&req->who, ACT_CASE_UPDATE, 0, 0)) {
        HTML_LIT(h, "<form class=\"stack\" method=\"post\" "
                    "id=\"consent-form\" action=\"/people/");
        html_url(h, code);
        HTML_LIT(h, "/consent\">");
        web_csrf_field(req, c->resp, h);
        select_list(h, req, "purpose", N_("Purpose"), consent_purposes, 0,
                    NULL);
        select_list(h, req, "state", N_("Consent"), consent_states, 0, NULL);
        web_submit(h, req, N_("Record consent"), "consent-submit");
        HTML_LIT(h, "</form>");
    }
    HTML_LIT(h, "</section>");
}

static int
person_page(struct req *req, struct resp *resp, const char *error,
            struct person_identity *glass)
{
    struct html h;
    struct sr_err err = { 0 };
    const char *code = req_route_param(req, "code");
    struct view_ctx c = { req, resp, &h, 0, 0 };
    web_page_begin(req, resp, &h, N_("Person"));
    web_form_error(&h, error);
    const char *dups = req_param(req, "dups");
    if (dups != NULL && strcmp(dups, "0") != 0) {
        HTML_LIT(&h, "<p class=\"flash error\" role=\"status\" "
                     "id=\"dups\"><a href=\"/duplicates\">");
        html_text(&h, T(req, "Possible duplicates were found: please "
                             "check them."));
        HTML_LIT(&h, "</a></p>");
    }
    int rc = person_get(req->db, &req->who, code, view_person, &c, &err);
    sr_err_release(&err);
    if (rc != SR_OK && rc != SR_ENOTFOUND) {
        html_release(&h);
        return rc;
    }
    int can_glass = policy_allows(&req->who, ACT_GLASS_BREAK, 0, 0) &&
                    policy_can_see_identity(req->who.role);
    if (glass != NULL) {
        web_flash(&h, req, N_("Emergency view recorded for review."));
        identity_dl(&h, req, glass);
    } else if (!c.is_found) {
        if (!can_glass) {
            html_release(&h);
            web_error(req, resp, 404, N_("Page not found."));
            return SR_OK;
        }
        /* the same answer whether or not the code exists */
        resp->status = 404;
        glass_form(&h, req, resp, code);
    } else if (policy_can_see_identity(req->who.role)) {
        struct person_identity id;
        if (person_identity_read(req->db, req->app->ws->vault, &req->who, code,
                                 &id, &err) == SR_OK) {
            identity_dl(&h, req, &id);
            person_identity_release(&id);
        }
        sr_err_release(&err);
    }
    if (c.is_found) {
        consent_section(&c, code);
    }
    web_page_end(req, resp, &h);
    return SR_OK;
}

int
person_page_view(struct req *req, struct resp *resp)
{
    return person_page(req, resp, NULL, NULL);
}

int
person_page_consent(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    const char *code = req_route_param(req, "code");
    int rc = person_consent_set(req->db, req->app->ws->vault, &req->who, code,
                                req_param(req, "purpose"),
                                req_param(req, "state"), &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(resp, arena_printf(req->arena, "/people/%s", code));
        return SR_OK;
    }
    if (rc == SR_EDB) {
        sr_err_release(&err);
        return rc;
    }
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        /* a case worker may change only their own cases' people */
        int is_own = policy_scope(req->who.role, ACT_CASE_UPDATE) == SCOPE_OWN;
        sr_err_release(&err);
        web_error(req, resp, is_own || rc == SR_EPERM ? 403 : 404,
                  is_own || rc == SR_EPERM
                      ? N_("You do not have permission to see this page.")
                      : N_("Page not found."));
        return SR_OK;
    }
    int rc2 = person_page(req, resp, web_err_text(req, &err), NULL);
    if (resp->status == 200 || resp->status == 0) {
        resp->status = 400;
    }
    return rc2;
}

int
person_page_glass(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct person_identity id;
    const char *why = NULL;
    int rc = totp_web_glass_check(req, &why); /* a fresh code first */
    if (rc == SR_EPERM) {
        rc = person_page(req, resp, T(req, why), NULL);
        resp->status =
            resp->status == 200 || resp->status == 0 ? 403 : resp->status;
        return rc;
    }
    if (rc != SR_OK) {
        return rc;
    }
    rc = person_break_glass(req->db, req->app->ws->vault, &req->who,
                            req_route_param(req, "code"),
                            req_param(req, "reason"), &id, &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        rc = person_page(req, resp, NULL, &id);
        person_identity_release(&id);
        return rc;
    }
    if (rc == SR_EDB) {
        sr_err_release(&err);
        return rc;
    }
    int status = status_for(rc);
    const char *msg = web_err_text(req, &err);
    if (status != 400) {
        web_error(req, resp, status, N_("Page not found."));
        return SR_OK;
    }
    person_page(req, resp, msg, NULL);
    resp->status = 400;
    return SR_OK;
}

/* ---- duplicates --------------------------------------------------------- */

static const char *const dup_cols[] = {
    N_("Earlier record"), N_("Later record"), N_("Why"), N_("Score"), "", NULL
};

static int
dup_html(const struct dup_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    c->n_rows++;
    HTML_LIT(h, "<tr><td>");
    web_link(h, "/people/", r->code_a, r->code_a);
    HTML_LIT(h, "</td><td>");
    web_link(h, "/people/", r->code_b, r->code_b);
    HTML_LIT(h, "</td><td>");
    html_text(h, case_web_label(req, dup_bases, r->basis));
    HTML_LIT(h, "</td><td>");
    html_printf_text(h, "%.2f", r->score);
    HTML_LIT(h, "</td><td><form method=\"post\" action=\"/duplicates/");
    html_printf_text(h, "%lld", (long long)r->id);
    HTML_LIT(h, "\">");
    web_csrf_field(req, c->resp, h);
    HTML_LIT(h, "<button class=\"btn small primary\" name=\"decision\" "
                "value=\"confirm\" type=\"submit\">");
    html_text(h, T(req, "Same person: merge"));
    HTML_LIT(h, "</button> <button class=\"btn small\" name=\"decision\" "
                "value=\"reject\" type=\"submit\">");
    html_text(h, T(req, "Different people"));
    HTML_LIT(h, "</button></form></td></tr>");
    return 0;
}

static int
dup_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Possible duplicates"));
    web_form_error(&h, error);
    web_table_begin(&h, req, "duplicates", dup_cols);
    struct web_rows c = { req, resp, &h, 0 };
    int rc =
        person_dup_list(req->db, &req->who, "suggested", dup_html, &c, &err);
    web_table_end(&h, req, c.n_rows, N_("No suggestions to check."));
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
dup_page_list(struct req *req, struct resp *resp)
{
    return dup_page(req, resp, NULL);
}

static int
find_dup(const struct dup_row *r, void *ctx)
{
    int64_t *id = ctx;
    if (r->id == *id) {
        *id = 0;
        return 1;
    }
    return 0;
}

int
dup_page_decide(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    long long id = 0;
    const char *d = req_param(req, "decision");
    int is_confirm = d != NULL && strcmp(d, "confirm") == 0;
    int rc = SR_OK;
    if (sr_parse_i64(req_route_param(req, "id"), 1, INT64_MAX, &id) != SR_OK) {
        rc = sr_err_set(&err, SR_ENOTFOUND, "duplicate: not found");
    } else if (!is_confirm && (d == NULL || strcmp(d, "reject") != 0)) {
        int64_t want = id;
        rc = person_dup_list(req->db, &req->who, "", find_dup, &want, &err);
        if (rc == SR_OK) {
            rc = want == 0
                     ? sr_err_set(&err, SR_EINVAL,
                                  "decision: must be confirm or reject")
                     : sr_err_set(&err, SR_ENOTFOUND, "duplicate: not found");
        }
    } else {
        rc = person_dup_decide(req->db, req->app->ws->vault, &req->who, id,
                               is_confirm, &err);
    }
    rc = web_write_done(req, resp, rc, &err, "/duplicates");
    if (rc == SR_OK || rc == SR_EDB) {
        return rc;
    }
    dup_page(req, resp, web_err_text(req, &err));
    resp->status = rc == SR_ECONFLICT ? 409 : 400;
    return SR_OK;
}

/* ---- emergency views ---------------------------------------------------- */

static int
glass_html(const struct glass_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    c->n_rows++;
    HTML_LIT(h, "<tr><td>");
    web_time(h, req, r->at);
    HTML_LIT(h, "</td><td>");
    html_text(h, r->username);
    HTML_LIT(h, "</td><td>");
    html_text(h, r->person_code);
    HTML_LIT(h, "</td><td>");
    html_text(h, r->reason);
    HTML_LIT(h, "</td><td>");
    if (r->reviewed_at > 0) {
        html_text(h, r->reviewer);
    } else {
        HTML_LIT(h, "<form method=\"post\" action=\"/glass/");
        html_printf_text(h, "%lld", (long long)r->id);
        HTML_LIT(h, "\">");
        web_csrf_field(req, c->resp, h);
        HTML_LIT(h, "<button class=\"btn small\" type=\"submit\">");
        html_text(h, T(req, "Mark reviewed"));
        HTML_LIT(h, "</button></form>");
    }
    HTML_LIT(h, "</td></tr>");
    return 0;
}

static const char *const glass_cols[] = { N_("When"),        N_("User"),
                                          N_("Person"),      N_("Reason"),
                                          N_("Reviewed by"), NULL };

int
glass_page_list(struct req *req, struct resp *resp)
{
    struct html h;
    struct sr_err err = { 0 };
    const char *all = req_param(req, "all");
    web_page_begin(req, resp, &h, N_("Emergency views"));
    web_table_begin(&h, req, "glass", glass_cols);
    struct web_rows c = { req, resp, &h, 0 };
    int rc = glass_list(req->db, &req->who, all == NULL, glass_html, &c, &err);
    web_table_end(&h, req, c.n_rows, N_("Nothing awaits review."));
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
glass_page_review(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    long long id = 0;
    int rc =
        sr_parse_i64(req_route_param(req, "id"), 1, INT64_MAX, &id) == SR_OK
            ? glass_review(req->db, req->app->ws->vault, &req->who, id, &err)
            : SR_ENOTFOUND;
    sr_err_release(&err);
    if (rc == SR_OK) {
        resp_redirect(resp, "/glass");
        return SR_OK;
    }
    if (rc == SR_EDB) {
        return rc;
    }
    web_error(req, resp, 404, N_("Page not found."));
    return SR_OK;
}

/* ---- JSON --------------------------------------------------------------- */

static int
person_json(const struct person_row *r, void *ctx)
{
    json_t **out = ctx;
    *out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:s}", "code", r->code,
                     "gender", r->gender, "citizenship", r->citizenship,
                     "languages", r->languages, "education", r->education,
                     "birth_year", r->birth_year, "age_trafficked",
                     r->age_trafficked, "cases", r->n_cases, "merged_into",
                     r->merged_into);
    return 0;
}

int
person_api_get(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    json_t *o = NULL;
    int rc = person_get(req->db, &req->who, req_route_param(req, "code"),
                        person_json, &o, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || o == NULL) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc != SR_OK) {
        json_decref(o);
        return rc;
    }
    json_respond(resp, 200, o);
    return SR_OK;
}
