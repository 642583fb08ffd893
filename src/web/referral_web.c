/*
 * referral_web.c - referral pages and JSON: the refer form of a contact
 * or a case (with the directory search filtered by the subject's province
 * and language), the sender's list with overdue referrals highlighted, the
 * partner's inbox with its answer buttons, a referral's detail and
 * history, and the dashboard card.
 *
 * No SQL: referral.c and org.c answer, and referral.c enforces scope,
 * consent and the state machine. Partners never see the contact's or
 * case's code or any identity; the note is shown only where referral.c allows, each view
 * audited. Must not put notes into URLs or logs.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/referral_web.h"
#include "web/directory_web.h"

#include <stdio.h>
#include <string.h>

#include "hotline/contact.h"
#include "core/gazetteer.h"
#include "web/json.h"
#include "base/org.h"
#include "referral/referral.h"
#include "base/vault.h"
#include "web/web.h"
#include "base/workspace.h"
#include "core/banned.h"

/* a time's cell, kept on one line */
static void
td_time(struct html *h, const struct req *req, int64_t t)
{
    HTML_LIT(h, "<td class=\"nowrap\">");
    web_time(h, req, t);
    HTML_LIT(h, "</td>");
}

/* "-" for a referral without a province */
static const char *
province_name(struct req *req, const char *code)
{
    return code[0] != '\0' ? web_province_name(req, code) : "-";
}

/* The status badge; overdue ones in .badge.danger. */
static void
status_badge(struct html *h, struct req *req, const struct referral_row *r)
{
    const char *cls = strcmp(r->status, "action_taken") == 0 ? "badge ok"
                      : strcmp(r->status, "declined") == 0 ||
                              strcmp(r->status, "no_action") == 0
                          ? "badge warn"
                          : "badge";
    HTML_LIT(h, "<span class=\"");
    html_attr(h, cls);
    HTML_LIT(h, "\">");
    html_text(h, T(req, vocab_label(referral_statuses, r->status)));
    HTML_LIT(h, "</span>");
    if (r->is_overdue) {
        HTML_LIT(h, " <span class=\"badge danger overdue\">");
        html_text(h, T(req, "Overdue"));
        HTML_LIT(h, "</span>");
    }
}

/* ---- answer forms ------------------------------------------------------- */

static const char *const next_states[] = { "acknowledged", "accepted",
                                           "declined",     "action_taken",
                                           "no_action",    "closed" };
/* The button for each step, in next_states' order. */
static const char *const step_labels[] = {
    N_("Acknowledge"),         N_("Accept"),           N_("Decline"),
    N_("Record action taken"), N_("Record no action"), N_("Close"),
};

static int
is_partner_of(const struct req *req, const struct referral_row *r)
{
    return req->who.org_id == r->to_org_id &&
           policy_allows(&req->who, ACT_REFERRAL_ANSWER, r->to_org_id, 0);
}

static int
is_sender_of(const struct req *req, const struct referral_row *r)
{
    return req->who.org_id == r->from_org_id &&
           policy_allows(&req->who, ACT_REFERRAL_SEND, r->from_org_id, 0);
}

/* Buttons (and reason lists) for the steps who may take next. */
static void
answer_forms(struct req *req, struct resp *resp, struct html *h,
             const struct referral_row *r, int is_inbox)
{
    int is_partner = is_partner_of(req, r);
    int is_sender = is_sender_of(req, r);
    for (size_t i = 0; i < sizeof next_states / sizeof next_states[0]; i++) {
        const char *to = next_states[i];
        int is_close = strcmp(to, "closed") == 0;
        if (!referral_transition_ok(r->status, to) ||
            !(is_partner || (is_close && is_sender))) {
            continue;
        }
        HTML_LIT(h, "<form class=\"inline answer\" method=\"post\" "
                    "action=\"/referrals/");
        html_url(h, r->code);
        if (is_partner) {
            HTML_LIT(h, "/answer\">");
        } else {
            HTML_LIT(h, "/close\">");
        }
        web_csrf_field(req, resp, h);
        HTML_LIT(h, "<input type=\"hidden\" name=\"status\" value=\"");
        html_attr(h, to);
        HTML_LIT(h, "\">");
        if (is_inbox) {
            HTML_LIT(h, "<input type=\"hidden\" name=\"back\" "
                        "value=\"inbox\">");
        }
        const struct vocab_item *reasons =
            strcmp(to, "declined") == 0    ? referral_decline_reasons
            : strcmp(to, "no_action") == 0 ? referral_no_action_reasons
                                           : NULL;
        if (reasons != NULL) {
            char id[64];
            snprintf(id, sizeof id, "reason-%s-%s", to, r->code);
            HTML_LIT(h, "<label class=\"visually-hidden\" for=\"");
            html_attr(h, id);
            HTML_LIT(h, "\">");
            html_text(h, T(req, "Reason"));
            HTML_LIT(h, "</label><select name=\"reason\" id=\"");
            html_attr(h, id);
            HTML_LIT(h, "\">");
            web_vocab_options(h, req, reasons, NULL, NULL);
            HTML_LIT(h, "</select>");
        }
        HTML_LIT(h, "<button class=\"btn small");
        if (strcmp(to, "accepted") == 0 || strcmp(to, "action_taken") == 0) {
            HTML_LIT(h, " primary");
        }
        HTML_LIT(h, "\" type=\"submit\" data-status=\"");
        html_attr(h, to);
        HTML_LIT(h, "\">");
        html_text(h, T(req, step_labels[i]));
        HTML_LIT(h, "</button></form> ");
    }
}

/* ---- lists -------------------------------------------------------------- */

struct list_ctx {
    struct req *req;
    struct resp *resp;
    struct html *h;
    int is_inbox, n;
    json_t *arr;
    int n_page;      /* rows a page shows; 0 = no paging */
    int64_t last_id; /* id of the last row shown */
    int has_more;    /* a row past the page was found */
};

static int
row_html(const struct referral_row *r, void *ctx)
{
    struct list_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    if (c->n_page > 0 && c->n == c->n_page) {
        c->has_more = 1; /* the row past the page: there is a next one */
        return 1;
    }
    c->n++;
    c->last_id = r->id;
    HTML_LIT(h, "<tr");
    if (r->is_overdue) {
        HTML_LIT(h, " class=\"is-overdue\"");
    }
    HTML_LIT(h, "><td class=\"nowrap\">");
    web_link(h, "/referrals/", r->code, r->code);
    HTML_LIT(h, "</td>");
    web_td(h, c->is_inbox ? r->from_org_name : r->to_org_name);
    web_td_label(h, req, org_services, r->service);
    web_td_label(h, req, referral_urgencies, r->urgency);
    web_td(h, province_name(req, r->province));
    web_td_label(h, req, contact_categories, r->category);
    td_time(h, req, r->sent_at);
    td_time(h, req, r->due_at);
    HTML_LIT(h, "<td>");
    status_badge(h, req, r);
    HTML_LIT(h, "</td>");
    if (c->is_inbox) {
        HTML_LIT(h, "<td>");
        answer_forms(req, c->resp, h, r, 1);
        HTML_LIT(h, "</td>");
    }
    HTML_LIT(h, "</tr>");
    return 0;
}

static void
list_head(struct html *h, struct req *req, int is_inbox)
{
    HTML_LIT(h,
             "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" "
             "id=\"referrals\"><thead><tr>");
    web_th(h, req, N_("Code"));
    web_th(h, req,
           is_inbox ? TC(req, "referral sender", "From")
                    : TC(req, "referral recipient", "To"));
    web_th(h, req, N_("Service"));
    web_th(h, req, N_("Urgency"));
    web_th(h, req, N_("Province"));
    web_th(h, req, N_("Category"));
    web_th(h, req, TC(req, "date column", "Sent"));
    web_th(h, req, N_("Answer due"));
    web_th(h, req, N_("Status"));
    if (is_inbox) {
        web_th(h, req, N_("Answer"));
    }
    HTML_LIT(h, "</tr></thead><tbody>");
}

static int
list_page(struct req *req, struct resp *resp, int is_inbox)
{
    const char *status = req_param(req, "status");
    if (status != NULL && status[0] != '\0' &&
        vocab_find(referral_statuses, status) < 0) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    const char *ov = req_param(req, "overdue");
    const char *after = req_param(req, "after");
    long long before_id = 0;
    int n_page = 0;
    if (web_page_rows(req, &n_page) != SR_OK ||
        (after != NULL && after[0] != '\0' &&
         sr_parse_i64(after, 1, INT64_MAX, &before_id) != SR_OK)) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    struct referral_filter f = {
        .status = status,
        .is_overdue = ov != NULL && strcmp(ov, "1") == 0,
        .before_id = before_id,
        .limit = n_page + 1, /* one more tells whether a next page exists */
    };
    int is_all = policy_scope(req->who.role, ACT_REFERRAL_READ) == SCOPE_ALL;
    if (is_inbox) {
        f.to_org_id = req->who.org_id;
    } else if (!is_all) {
        f.from_org_id = req->who.org_id;
    }
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h,
                   is_inbox ? N_("Referral inbox") : N_("Referrals"));
    if (!is_inbox) {
        int64_t n_await = 0, n_over = 0;
        if (referral_count_awaiting(req->db, &req->who, &n_await, &n_over,
                                    &err) == SR_OK &&
            n_over > 0) {
            HTML_LIT(&h, "<p class=\"flash error\" role=\"status\" "
                         "id=\"overdue-count\">");
            web_printf_tr(&h, req, N_("%lld referrals are overdue."),
                          (long long)n_over);
            HTML_LIT(&h, "</p>");
        }
    }
    HTML_LIT(&h, "<div class=\"card\"><form class=\"stack filters\" "
                 "method=\"get\" action=\"");
    html_attr(&h, is_inbox ? "/referrals/inbox" : "/referrals");
    HTML_LIT(&h, "\"><div class=\"field\">");
    web_label(&h, req, "f-status", N_("Status"));
    HTML_LIT(&h, "<select id=\"f-status\" name=\"status\"><option "
                 "value=\"\">");
    html_text(&h, T(req, "Any"));
    HTML_LIT(&h, "</option>");
    web_vocab_options(&h, req, referral_statuses, status, NULL);
    HTML_LIT(&h, "</select></div><label class=\"check\"><input "
                 "type=\"checkbox\" name=\"overdue\" value=\"1\"");
    if (f.is_overdue) {
        HTML_LIT(&h, " checked");
    }
    HTML_LIT(&h, "> ");
    html_text(&h, T(req, "Overdue only"));
    HTML_LIT(&h, "</label><div class=\"form-actions\"><button class=\"btn\" "
                 "type=\"submit\">");
    html_text(&h, T(req, "Filter"));
    HTML_LIT(&h, "</button>");
    if (!is_inbox && policy_allows(&req->who, ACT_REFERRAL_ANSWER, 0, 0)) {
        HTML_LIT(&h, "<a class=\"btn\" href=\"/referrals/inbox\">");
        html_text(&h, T(req, "Referral inbox"));
        HTML_LIT(&h, "</a>");
    }
    HTML_LIT(&h, "</div></form>");
    int64_t n_match = 0;
    int rc = referral_list_count(req->db, &req->who, &f, WEB_COUNT_CAP,
                                 &n_match, &err);
    if (rc == SR_OK) {
        web_match_count(&h, req, n_match);
    }
    list_head(&h, req, is_inbox);
    struct list_ctx c = { req, resp, &h, is_inbox, 0, NULL, n_page, 0, 0 };
    if (rc == SR_OK) {
        rc = referral_list(req->db, &req->who, &f, row_html, &c, &err);
    }
    HTML_LIT(&h, "</tbody></table></div>");
    if (c.n == 0) {
        web_muted(&h, req, "referrals-empty", N_("No referrals."));
    }
    static const char *const kept_filter[] = { "status", "overdue", NULL };
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)c.last_id);
    web_pager(&h, req, is_inbox ? "/referrals/inbox" : "/referrals",
              c.has_more ? cursor : NULL, before_id == 0, kept_filter);
    HTML_LIT(&h, "</div>");
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_referrals(struct req *req, struct resp *resp)
{
    /* a partner only receives: its list is the inbox */
    if (!policy_allows(&req->who, ACT_REFERRAL_SEND, 0, 0) &&
        policy_allows(&req->who, ACT_REFERRAL_ANSWER, 0, 0)) {
        resp_redirect(resp, "/referrals/inbox");
        return SR_OK;
    }
    return list_page(req, resp, 0);
}

int
web_referral_inbox(struct req *req, struct resp *resp)
{
    return list_page(req, resp, 1);
}

/* ---- detail ------------------------------------------------------------- */

/* A copy of one referral row for use after the callback. */
struct row_copy {
    struct referral_row r;
    char code[32], subject_type[16], subject_code[32];
    char from_code[32], from_name[256], to_code[32], to_name[256];
    char to_kind[32], province[16], category[32], language[8];
    char service[32], urgency[16], status[16], decline_reason[32];
    char outcome[16], outcome_reason[32], sent_by[64];
    int is_found;
};

#define KEEP(field, src)                                  \
    do {                                                  \
        snprintf(c->field, sizeof c->field, "%s", (src)); \
    } while (0)

static int
copy_row(const struct referral_row *r, void *ctx)
{
    struct row_copy *c = ctx;
    c->r = *r;
    KEEP(code, r->code);
    KEEP(subject_type, r->subject_type);
    KEEP(subject_code, r->subject_code);
    KEEP(from_code, r->from_org_code);
    KEEP(from_name, r->from_org_name);
    KEEP(to_code, r->to_org_code);
    KEEP(to_name, r->to_org_name);
    KEEP(to_kind, r->to_org_kind);
    KEEP(province, r->province);
    KEEP(category, r->category);
    KEEP(language, r->language);
    KEEP(service, r->service);
    KEEP(urgency, r->urgency);
    KEEP(status, r->status);
    KEEP(decline_reason, r->decline_reason);
    KEEP(outcome, r->outcome);
    KEEP(outcome_reason, r->outcome_reason);
    KEEP(sent_by, r->sent_by);
    c->r.code = c->code;
    c->r.subject_type = c->subject_type;
    c->r.subject_code = c->subject_code;
    c->r.from_org_code = c->from_code;
    c->r.from_org_name = c->from_name;
    c->r.to_org_code = c->to_code;
    c->r.to_org_name = c->to_name;
    c->r.to_org_kind = c->to_kind;
    c->r.province = c->province;
    c->r.category = c->category;
    c->r.language = c->language;
    c->r.service = c->service;
    c->r.urgency = c->urgency;
    c->r.status = c->status;
    c->r.decline_reason = c->decline_reason;
    c->r.outcome = c->outcome;
    c->r.outcome_reason = c->outcome_reason;
    c->r.sent_by = c->sent_by;
    c->is_found = 1;
    return 1;
}

/* Load {code} within who's scope; 404 page otherwise. */
static int
load_referral(struct req *req, struct resp *resp, struct row_copy *c)
{
    memset(c, 0, sizeof *c);
    struct sr_err err = { 0 };
    int rc = referral_get(req->db, &req->who, req_route_param(req, "code"),
                          copy_row, c, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND) {
        web_error(req, resp, 404, N_("Page not found."));
    }
    return rc;
}

static void
kv(struct html *h, struct req *req, const char *msgid, const char *value)
{
    HTML_LIT(h, "<dt>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</dt><dd>");
    html_text(h, value[0] ? value : "-");
    HTML_LIT(h, "</dd>");
}

static int
event_html(const struct referral_event_row *e, void *ctx)
{
    struct list_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    HTML_LIT(h, "<tr>");
    td_time(h, req, e->at);
    web_td_label(h, req, referral_statuses, e->status);
    const char *reason = vocab_label(strcmp(e->status, "declined") == 0
                                         ? referral_decline_reasons
                                         : referral_no_action_reasons,
                                     e->reason);
    web_td(h, reason[0] ? T(req, reason) : "");
    web_td(h, e->username[0] ? e->username : T(req, "command line"));
    web_td(h, e->org_name);
    HTML_LIT(h, "</tr>");
    return 0;
}

int
web_referral_view(struct req *req, struct resp *resp)
{
    struct row_copy c;
    int rc = load_referral(req, resp, &c);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    const struct referral_row *r = &c.r;
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Referral"));
    web_flash_done(&h, req, "sent", N_("Referral sent."));
    HTML_LIT(&h, "<dl class=\"kv\" id=\"referral\"><dt>");
    html_text(&h, T(req, "Code"));
    HTML_LIT(&h, "</dt><dd id=\"referral-code\">");
    html_text(&h, r->code);
    HTML_LIT(&h, "</dd><dt>");
    html_text(&h, T(req, "Status"));
    HTML_LIT(&h, "</dt><dd id=\"referral-status\">");
    status_badge(&h, req, r);
    HTML_LIT(&h, "</dd>");
    if (r->subject_code[0] != '\0') {
        int is_case = strcmp(r->subject_type, "case") == 0;
        HTML_LIT(&h, "<dt>");
        html_text(&h, T(req, is_case ? N_("Case") : N_("Contact")));
        HTML_LIT(&h, "</dt><dd><a href=\"");
        html_attr(&h, is_case ? "/cases/" : "/contacts/");
        html_url(&h, r->subject_code);
        HTML_LIT(&h, "\">");
        html_text(&h, r->subject_code);
        HTML_LIT(&h, "</a></dd>");
    }
    kv(&h, req, TC(req, "referral sender", "From"), r->from_org_name);
    kv(&h, req, TC(req, "referral recipient", "To"), r->to_org_name);
    kv(&h, req, N_("Service"), T(req, vocab_label(org_services, r->service)));
    kv(&h, req, N_("Urgency"),
       T(req, vocab_label(referral_urgencies, r->urgency)));
    kv(&h, req, N_("Province"), province_name(req, r->province));
    kv(&h, req, N_("Category"),
       T(req, vocab_label(contact_categories, r->category)));
    kv(&h, req, N_("Language"),
       T(req, vocab_label(vocab_languages, r->language)));
    kv(&h, req, N_("Consent basis"),
       T(req, r->consent_basis == CONTACT_CONSENT_POLICE
                  ? N_("Sharing with police and authorities")
                  : N_("Sharing with NGOs and services")));
    web_dt_dd_time(&h, req, TC(req, "date column", "Sent"), r->sent_at);
    web_dt_dd_time(&h, req, N_("Answer due"), r->due_at);
    if (r->decline_reason[0]) {
        kv(&h, req, N_("Reason declined"),
           T(req, vocab_label(referral_decline_reasons, r->decline_reason)));
    }
    if (r->outcome_reason[0]) {
        kv(&h, req, N_("Reason no action was taken"),
           T(req, vocab_label(referral_no_action_reasons, r->outcome_reason)));
    }
    if (r->has_note && referral_may_read_note(&req->who, r)) {
        struct sr_buf note;
        sr_buf_init(&note, 0);
        rc = referral_note_read(req->db, req->app->ws->vault, &req->who, r->id,
                                &note, &err);
        HTML_LIT(&h, "<dt>");
        html_text(&h, T(req, "Note for the partner"));
        HTML_LIT(&h, "</dt><dd id=\"referral-note\">");
        html_text(&h, rc == SR_OK ? note.data : "-");
        HTML_LIT(&h, "</dd>");
        vault_buf_wipe(&note);
        sr_err_release(&err);
    }
    HTML_LIT(&h, "</dl><div class=\"form-actions\" id=\"answer\">");
    answer_forms(req, resp, &h, r, 0);
    HTML_LIT(&h, "</div><h2>");
    html_text(&h, T(req, "History"));
    HTML_LIT(&h, "</h2>");
    static const char *const cols[] = { N_("Date"),         N_("Status"),
                                        N_("Reason"),       N_("User"),
                                        N_("Organisation"), NULL };
    web_table_begin(&h, req, "history", cols);
    struct list_ctx lc = { req, resp, &h, 0, 0, NULL, 0, 0, 0 };
    rc = referral_history(req->db, r->id, event_html, &lc, &err);
    HTML_LIT(&h, "</tbody></table></div>");
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

static int
do_answer(struct req *req, struct resp *resp)
{
    struct row_copy c;
    int rc = load_referral(req, resp, &c);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    struct sr_err err = { 0 };
    rc = referral_answer(req->db, req->app->ws->vault, &req->who, c.code,
                         req_param(req, "status"), req_param(req, "reason"), 0,
                         &err);
    if (rc == SR_ENOTFOUND) {
        sr_err_release(&err);
        web_error(req, resp, 404, N_("Page not found."));
        return SR_OK;
    }
    if (rc == SR_EINVAL || rc == SR_ECONFLICT || rc == SR_EPERM) {
        const char *msg = web_err_text(req, &err);
        struct html h;
        web_page_begin(req, resp, &h, N_("Referral"));
        web_form_error(&h, msg);
        HTML_LIT(&h, "<p><a class=\"btn\" href=\"/referrals/");
        html_url(&h, c.code);
        HTML_LIT(&h, "\">");
        html_text(&h, T(req, "Back"));
        HTML_LIT(&h, "</a></p>");
        web_page_end(req, resp, &h);
        resp->status = rc == SR_EPERM ? 403 : rc == SR_ECONFLICT ? 409 : 400;
        return SR_OK;
    }
    sr_err_release(&err);
    if (rc != SR_OK) {
        return rc;
    }
    const char *back = req_param(req, "back");
    resp_redirect(resp,
                  back != NULL && strcmp(back, "inbox") == 0
                      ? "/referrals/inbox"
                      : arena_printf(req->arena, "/referrals/%s", c.code));
    return SR_OK;
}

int
web_referral_answer(struct req *req, struct resp *resp)
{
    return do_answer(req, resp);
}

int
web_referral_close(struct req *req, struct resp *resp)
{
    const char *status = req_param(req, "status");
    if (status != NULL && strcmp(status, "closed") != 0) {
        web_error(req, resp, 400, N_("Bad request."));
        return SR_OK;
    }
    return do_answer(req, resp);
}

/* ---- refer -------------------------------------------------------------- */

struct refer_ctx {
    struct req *req;
    struct html *h;
    int consent, n;
    const char *selected;
};

static int
refer_option(const struct org_entry *e, void *ctx)
{
    struct refer_ctx *c = ctx;
    struct html *h = c->h;
    struct req *req = c->req;
    if (e->id == req->who.org_id) {
        return 0;
    }
    int needed = referral_consent_needed(e->kind);
    char id[48];
    snprintf(id, sizeof id, "to-%d", c->n++);
    HTML_LIT(h, "<li><label class=\"check\"><input type=\"radio\" "
                "name=\"to\" required id=\"");
    html_attr(h, id);
    HTML_LIT(h, "\" value=\"");
    html_attr(h, e->code);
    HTML_LIT(h, "\"");
    if (c->selected != NULL && strcmp(c->selected, e->code) == 0) {
        HTML_LIT(h, " checked");
    }
    HTML_LIT(h, "> <strong>");
    html_text(h, e->name);
    HTML_LIT(h, "</strong> &middot; ");
    html_text(h, T(req, vocab_label(org_kinds, e->kind)));
    HTML_LIT(h, " &middot; ");
    directory_labels(req, h, e->services, 0);
    HTML_LIT(h, " &middot; ");
    directory_labels(req, h, e->languages, 0);
    if (e->is_emergency) {
        HTML_LIT(h, " <span class=\"badge warn\">");
        html_text(h, T(req, "Emergency response"));
        HTML_LIT(h, "</span>");
    }
    if ((c->consent & needed) == 0) {
        HTML_LIT(h, " <span class=\"badge danger\">");
        html_text(h, T(req, needed == CONTACT_CONSENT_POLICE
                                ? N_("No consent for police and authorities")
                                : N_("No consent for NGOs and services")));
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</label></li>");
    return 0;
}

static int
refer_page(struct req *req, struct resp *resp, const struct referral_subject *s,
           const char *error)
{
    /* the directory filter: the query's, else the contact's own */
    const char *province = req_param(req, "province");
    const char *language = req_param(req, "language");
    const char *service = req_param(req, "service");
    const char *em = req_param(req, "emergency");
    province = province == NULL                            ? s->province
               : province[0] == '\0' || gaz_find(province) ? province
                                                           : "";
    language = language == NULL                             ? s->language
               : vocab_find(vocab_languages, language) >= 0 ? language
                                                            : "";
    service = service != NULL && vocab_find(org_services, service) >= 0
                  ? service
                  : "";
    int is_emergency = em != NULL && strcmp(em, "1") == 0;
    int is_case = strcmp(s->type, "case") == 0;
    const char *base = is_case ? "/cases/" : "/contacts/";
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h,
                   is_case ? N_("Refer a case") : N_("Refer a contact"));
    if (error != NULL) {
        HTML_LIT(&h, "<div class=\"form-error\" role=\"alert\" "
                     "id=\"refer-error\">");
        html_text(&h, error);
        HTML_LIT(&h, "</div>");
    }
    HTML_LIT(&h, "<dl class=\"kv\"><dt>");
    html_text(&h, T(req, is_case ? N_("Case") : N_("Contact")));
    HTML_LIT(&h, "</dt><dd id=\"refer-subject\">");
    html_text(&h, s->code);
    HTML_LIT(&h, "</dd>");
    kv(&h, req, N_("Category"),
       T(req, vocab_label(contact_categories, s->category)));
    kv(&h, req, N_("Province"), province_name(req, s->province));
    kv(&h, req, N_("Language"),
       T(req, vocab_label(vocab_languages, s->language)));
    HTML_LIT(&h, "<dt>");
    html_text(&h, T(req, "Consent"));
    HTML_LIT(&h, "</dt><dd id=\"consent\">");
    if (is_case) {
        web_printf_tr(&h, req, N_("Victims: %d; consent checked for each."),
                      s->n_victims);
        HTML_LIT(&h, " ");
    }
    if (s->consent & CONTACT_CONSENT_NGO) {
        HTML_LIT(&h, "<span class=\"badge ok\">");
        html_text(&h, T(req, "Sharing with NGOs and services"));
        HTML_LIT(&h, "</span> ");
    }
    if (s->consent & CONTACT_CONSENT_POLICE) {
        HTML_LIT(&h, "<span class=\"badge ok\">");
        html_text(&h, T(req, "Sharing with police and authorities"));
        HTML_LIT(&h, "</span>");
    }
    if ((s->consent & (CONTACT_CONSENT_NGO | CONTACT_CONSENT_POLICE)) == 0) {
        HTML_LIT(&h, "<span class=\"badge danger\">");
        html_text(&h, T(req, "No consent to share"));
        HTML_LIT(&h, "</span>");
    }
    HTML_LIT(&h, "</dd></dl>");
    web_card_begin(&h, req, N_("Find an organisation"));
    HTML_LIT(&h, "<form class=\"stack filters\" method=\"get\" "
                 "action=\"");
    html_attr(&h, base);
    html_url(&h, s->code);
    HTML_LIT(&h, "/refer\" id=\"refer-search\">");
    directory_filter_fields(req, &h, province, language, service, is_emergency);
    HTML_LIT(&h, "<div class=\"form-actions\"><button class=\"btn\" "
                 "type=\"submit\">");
    html_text(&h, T(req, "Search"));
    HTML_LIT(&h, "</button></div></form></section>");
    web_card_begin(&h, req, N_("Referral"));
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                 "action=\"");
    html_attr(&h, base);
    html_url(&h, s->code);
    HTML_LIT(&h, "/refer\" id=\"refer-form\">");
    web_csrf_field(req, resp, &h);
    HTML_LIT(&h, "<fieldset><legend>");
    html_text(&h, T(req, "Organisation"));
    HTML_LIT(&h, "</legend><ul class=\"plain\" id=\"refer-orgs\">");
    struct refer_ctx rc_ = { req, &h, s->consent, 0, req_param(req, "to") };
    int rc = org_search(req->db, province, language, service, is_emergency,
                        refer_option, &rc_, &err);
    HTML_LIT(&h, "</ul>");
    if (rc_.n == 0) {
        web_muted(&h, req, NULL,
                  N_("No organisation matches. Widen the search."));
    }
    HTML_LIT(&h, "</fieldset>");
    web_label(&h, req, "r-service", N_("Service"));
    HTML_LIT(&h, "<select id=\"r-service\" name=\"service\" required>");
    web_vocab_options(&h, req, org_services, service[0] ? service : NULL, NULL);
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "r-urgency", N_("Urgency"));
    HTML_LIT(&h, "<select id=\"r-urgency\" name=\"urgency\" required>");
    const char *urg = req_param(req, "urgency");
    web_vocab_options(&h, req, referral_urgencies, urg ? urg : "normal", NULL);
    HTML_LIT(&h, "</select><span class=\"hint\">");
    html_text(&h, T(req, "Answer expected within: emergency 2 hours, high "
                         "24 hours, normal 3 days, low 7 days."));
    HTML_LIT(&h, "</span>");
    web_textarea(&h, req, "r-note", "note", 4000, N_("Note for the partner"),
                 N_("Stored encrypted; shown only to the receiving "
                    "organisation and your own."));
    web_form_actions(&h, req, N_("Send referral"), "refer-send");
    HTML_LIT(&h, "</form></section>");
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

static int
load_subject(struct req *req, struct resp *resp, const char *type,
             struct referral_subject *s)
{
    struct sr_err err = { 0 };
    int rc = referral_subject_get(req->db, &req->who, type,
                                  req_route_param(req, "code"), s, &err);
    sr_err_release(&err);
    if (rc == SR_ENOTFOUND || rc == SR_EINVAL) {
        web_error(req, resp, 404, N_("Page not found."));
        return SR_ENOTFOUND;
    }
    return rc;
}

static int
refer_form(struct req *req, struct resp *resp, const char *type)
{
    struct referral_subject s;
    int rc = load_subject(req, resp, type, &s);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    return refer_page(req, resp, &s, NULL);
}

int
web_refer_form(struct req *req, struct resp *resp)
{
    return refer_form(req, resp, "contact");
}

int
web_case_refer_form(struct req *req, struct resp *resp)
{
    return refer_form(req, resp, "case");
}

/* The consent refusal, translated: which consent, and for a case whose
 * (a person's code, never a name). */
static const char *
refusal_text(struct req *req, const struct referral_subject *s, const char *msg)
{
    int is_police = strstr(msg, "police") != NULL;
    if (strcmp(s->type, "case") != 0) {
        return T(req, is_police ? N_("Refused: the caller has not consented to "
                                     "sharing with police and authorities, "
                                     "which this organisation needs.")
                                : N_("Refused: the caller has not consented to "
                                     "sharing with NGOs and services, which "
                                     "this organisation needs."));
    }
    if (s->n_victims == 0) {
        return T(req, N_("Refused: this case has no victim yet. Add the "
                         "victims and record their consent first."));
    }
    return arena_printf(
        req->arena, "%s %s",
        T(req, is_police ? N_("Refused: a victim has not consented to sharing "
                              "with police, which this organisation needs. "
                              "Person:")
                         : N_("Refused: a victim has not consented to sharing "
                              "with partner NGOs, which this organisation "
                              "needs. Person:")),
        is_police ? s->no_police : s->no_ngo);
}

static int
refer(struct req *req, struct resp *resp, const char *type)
{
    struct referral_subject s;
    int rc = load_subject(req, resp, type, &s);
    if (rc != SR_OK) {
        return rc == SR_ENOTFOUND ? SR_OK : rc;
    }
    const char *to = req_param(req, "to");
    struct referral_input in = {
        .subject_type = type,
        .subject_code = s.code,
        .to_org = to,
        .service = req_param(req, "service"),
        .urgency = req_param(req, "urgency"),
        .note = req_param(req, "note"),
    };
    struct sr_err err = { 0 };
    char code[32];
    rc =
        referral_send(req->db, req->app->ws->vault, &req->who, &in, code, &err);
    if (rc == SR_OK) {
        sr_err_release(&err);
        resp_redirect(
            resp, arena_printf(req->arena, "/referrals/%s?done=sent", code));
        return SR_OK;
    }
    if (rc != SR_EINVAL && rc != SR_EPERM) {
        sr_err_release(&err);
        return rc;
    }
    const char *msg = rc == SR_EPERM
                          ? refusal_text(req, &s, sr_err_msg(&err))
                          : arena_strdup(req->arena, sr_err_msg(&err));
    sr_err_release(&err);
    rc = refer_page(req, resp, &s, msg);
    resp->status = 400;
    return rc;
}

int
web_refer(struct req *req, struct resp *resp)
{
    return refer(req, resp, "contact");
}

int
web_case_refer(struct req *req, struct resp *resp)
{
    return refer(req, resp, "case");
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *
time_json(int64_t t)
{
    return t > 0 ? json_integer(t) : json_null();
}

static int
row_json(const struct referral_row *r, void *ctx)
{
    struct list_ctx *c = ctx;
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:b}",
        "code", r->code, "status", r->status, "from_org", r->from_org_code,
        "to_org", r->to_org_code, "service", r->service, "urgency", r->urgency,
        "province", r->province, "category", r->category, "language",
        r->language, "outcome", r->outcome, "sent_at", (json_int_t)r->sent_at,
        "due_at", (json_int_t)r->due_at, "acknowledged_at",
        time_json(r->acknowledged_at), "outcome_at", time_json(r->outcome_at),
        "closed_at", time_json(r->closed_at), "overdue", r->is_overdue);
    if (r->subject_code[0] != '\0') {
        json_object_set_new(
            o, strcmp(r->subject_type, "case") == 0 ? "case" : "contact",
            json_string(r->subject_code));
    }
    json_array_append_new(c->arr, o);
    return 0;
}

int
api_referrals(struct req *req, struct resp *resp)
{
    const char *status = req_param(req, "status");
    const char *box = req_param(req, "box");
    const char *ov = req_param(req, "overdue");
    if ((status != NULL && status[0] != '\0' &&
         vocab_find(referral_statuses, status) < 0) ||
        (box != NULL && strcmp(box, "sent") != 0 &&
         strcmp(box, "inbox") != 0)) {
        json_error(resp, 400,
                   box != NULL && strcmp(box, "sent") != 0 &&
                           strcmp(box, "inbox") != 0
                       ? "box: must be sent or inbox"
                       : "status: not one of the allowed values");
        return SR_OK;
    }
    struct referral_filter f = {
        .status = status,
        .is_overdue = ov != NULL && strcmp(ov, "1") == 0,
        .limit = 1000,
    };
    if (box != NULL && strcmp(box, "inbox") == 0) {
        f.to_org_id = req->who.org_id;
    } else if (box != NULL) {
        f.from_org_id = req->who.org_id;
    }
    struct list_ctx c = { req, resp, NULL, 0, 0, json_array(), 0, 0, 0 };
    struct sr_err err = { 0 };
    int rc = referral_list(req->db, &req->who, &f, row_json, &c, &err);
    sr_err_release(&err);
    return json_respond_list(resp, rc, "referrals", c.arr);
}

/* ---- dashboard ---------------------------------------------------------- */

void
referral_dashboard_card(struct req *req, struct html *h)
{
    if (!policy_allows(&req->who, ACT_REFERRAL_READ, 0, 0)) {
        return;
    }
    int64_t n_await = 0, n_over = 0;
    struct sr_err err = { 0 };
    int rc =
        referral_count_awaiting(req->db, &req->who, &n_await, &n_over, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        return;
    }
    HTML_LIT(h, "<div class=\"card stat\" id=\"referrals-awaiting\"><a "
                "class=\"value\" href=\"");
    html_attr(h, policy_allows(&req->who, ACT_REFERRAL_ANSWER, 0, 0)
                     ? "/referrals/inbox?status=sent"
                     : "/referrals?status=sent");
    HTML_LIT(h, "\">");
    html_printf_text(h, "%lld", (long long)n_await);
    HTML_LIT(h, "</a><span class=\"label\">");
    html_text(h, T(req, "Referrals awaiting answer"));
    if (n_over > 0) {
        HTML_LIT(h, " <span class=\"badge danger\">");
        web_printf_tr(h, req, N_("%lld overdue"), (long long)n_over);
        HTML_LIT(h, "</span>");
    }
    HTML_LIT(h, "</span></div>");
}
