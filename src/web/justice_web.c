/*
 * justice_web.c - the justice section of a case page, the form that
 * records a justice event, and the funnel report (page with charts and
 * their tables, CSV, JSON).
 *
 * No SQL and no record scope: justice.c, entity.c and funnel.c answer
 * for the signed-in principal and decide which cases it reaches; this
 * file maps their SR_ENOTFOUND / SR_EPERM to the page's status. The
 * funnel shows counts and medians only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/justice_web.h"

#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "justice/entity.h"
#include "web/json.h"
#include "justice/justice.h"
#include "base/org.h"
#include "web/web.h"
#include "base/workspace.h"
#include "render/funnel_out.h"
#include "core/banned.h"

/* ---- the case section ---------------------------------------------------- */

static int
event_row(const struct justice_event_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    char day[11];
    justice_format_day(r->occurred_at, day);
    HTML_LIT(c->h, "<tr>");
    web_td(c->h, day);
    web_td_label(c->h, c->req, justice_event_kinds, r->kind);
    if (r->agency_code[0]) {
        web_td(c->h, r->agency_name);
    } else {
        web_td_label(c->h, c->req, justice_agency_kinds, r->agency_kind);
    }
    const char *reason = "";
    if (r->reason[0]) {
        reason = vocab_find(justice_drop_reasons, r->reason) >= 0 &&
                         strcmp(r->kind, "case_dropped") == 0
                     ? vocab_label(justice_drop_reasons, r->reason)
                     : vocab_label(justice_decline_reasons, r->reason);
    }
    web_td(c->h, reason[0] ? T(c->req, reason) : "");
    web_td(c->h, r->perpetrators);
    HTML_LIT(c->h, "</tr>");
    return 0;
}

static int
perp_row(const struct entity_case_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<li>");
    /* case_code is the entity's code in this row */
    web_link(c->h, "/entities/", r->case_code, r->case_code);
    HTML_LIT(c->h, " ");
    html_text(c->h, T(c->req, vocab_label(entity_roles, r->role)));
    HTML_LIT(c->h, "</li>");
    return 0;
}

void
justice_web_case_section(struct req *req, struct resp *resp, struct html *h,
                         int64_t case_id)
{
    (void)resp;
    struct sr_err err = { 0 };
    struct justice_case c;
    /* not in the viewer's scope (neither case.read nor justice.record):
     * no section */
    if (justice_case_by_id(req->db, &req->who, ACT_CASE_READ, case_id, &c,
                           &err) != SR_OK) {
        sr_err_release(&err);
        return;
    }
    int can_record = justice_can_record(&req->who, &c);
    struct web_rows x = { req, resp, h, 0 };
    HTML_LIT(h, "<section class=\"card\" id=\"justice\"><h2>");
    html_text(h, T(req, "Justice process"));
    HTML_LIT(h, "</h2><p>");
    html_text(h, T(req, "Furthest stage reached:"));
    HTML_LIT(h, " <strong>");
    html_text(h, T(req, justice_stages[c.stage].label));
    HTML_LIT(h, "</strong></p>");
    static const char *const cols[] = { N_("Date"),         N_("Event"),
                                        N_("Agency"),       N_("Reason"),
                                        N_("Perpetrators"), NULL };
    web_table_begin(h, req, "justice-events", cols);
    (void)justice_list_events(req->db, &req->who, case_id, event_row, &x, &err);
    HTML_LIT(h, "</tbody></table></div><h3>");
    html_text(h, T(req, "Perpetrators linked to this case"));
    HTML_LIT(h, "</h3><ul>");
    (void)entity_of_case(req->db, &req->who, case_id, perp_row, &x, &err);
    HTML_LIT(h, "</ul>");
    if (can_record) {
        HTML_LIT(h, "<p><a class=\"btn\" href=\"/justice/");
        html_url(h, c.code);
        HTML_LIT(h, "/events/new\">");
        html_text(h, T(req, "Record a justice event"));
        HTML_LIT(h, "</a></p>");
    }
    HTML_LIT(h, "</section>");
    sr_err_release(&err);
}

/* ---- the event form ------------------------------------------------------ */

static int
org_option(const struct org_row *o, void *ctx)
{
    struct web_rows *c = ctx;
    const char *sel = req_param(c->req, "agency_org");
    web_option(c->h, o->code, o->name,
               sel != NULL && strcmp(sel, o->code) == 0);
    return 0;
}

static int
perp_check(const struct entity_case_row *r, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<label class=\"check\">");
    web_check(c->h, "perpetrator", r->case_code,
              arena_printf(c->req->arena, "%s - %s", r->case_code,
                           T(c->req, vocab_label(entity_roles, r->role))),
              0);
    HTML_LIT(c->h, "</label>");
    return 0;
}

static int
event_form(struct req *req, struct resp *resp, const struct justice_case *c,
           const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    struct web_rows x = { req, resp, &h, 0 };
    web_page_begin(req, resp, &h, N_("Record a justice event"));
    HTML_LIT(&h, "<p>");
    html_text(&h, T(req, "Case"));
    HTML_LIT(&h, " ");
    web_link(&h, "/cases/", c->code, c->code);
    HTML_LIT(&h, "</p>");
    web_form_error(&h, error);
    HTML_LIT(&h, "<section class=\"card\"><form class=\"stack\" "
                 "id=\"justice-form\" method=\"post\" "
                 "action=\"/justice/");
    html_url(&h, c->code);
    HTML_LIT(&h, "/events\">");
    web_csrf_field(req, resp, &h);
    web_label(&h, req, "j-kind", N_("Event"));
    HTML_LIT(&h, "<select id=\"j-kind\" name=\"kind\" required>");
    web_vocab_options(&h, req, justice_event_kinds, req_param(req, "kind"),
                      NULL);
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "j-date", N_("Date"));
    HTML_LIT(
        &h,
        "<input id=\"j-date\" name=\"date\" type=\"date\" required value=\"");
    html_attr(&h, req_param(req, "date"));
    HTML_LIT(&h, "\">");
    web_label(&h, req, "j-org", N_("Agency (from the directory)"));
    HTML_LIT(
        &h,
        "<select id=\"j-org\" name=\"agency_org\"><option value=\"\">-</option>");
    (void)org_list(req->db, org_option, &x, &err);
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "j-agency", N_("or kind of agency"));
    HTML_LIT(&h, "<select id=\"j-agency\" name=\"agency_kind\">");
    web_vocab_options(&h, req, justice_agency_kinds,
                      req_param(req, "agency_kind"), "-");
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "j-reason",
              N_("Reason (case dropped, victim declined)"));
    HTML_LIT(
        &h,
        "<select id=\"j-reason\" name=\"reason\"><option value=\"\">-</option><optgroup label=\"");
    html_attr(&h, T(req, "Case dropped"));
    HTML_LIT(&h, "\">");
    web_vocab_options(&h, req, justice_drop_reasons, req_param(req, "reason"),
                      NULL);
    HTML_LIT(&h, "</optgroup><optgroup label=\"");
    html_attr(&h, T(req, "Victim declined to proceed"));
    HTML_LIT(&h, "\">");
    web_vocab_options(&h, req, justice_decline_reasons,
                      req_param(req, "reason"), NULL);
    HTML_LIT(&h, "</optgroup></select><fieldset><legend>");
    html_text(&h, T(req, "Perpetrators"));
    HTML_LIT(&h, "</legend>");
    (void)entity_of_case(req->db, &req->who, c->id, perp_check, &x, &err);
    HTML_LIT(&h, "</fieldset>");
    web_submit(&h, req, N_("Save"), NULL);
    HTML_LIT(&h, "</form></section>");
    sr_err_release(&err);
    web_page_end(req, resp, &h);
    return SR_OK;
}

/* The case named by route parameter {id}, if justice.c finds it in the
 * viewer's justice.record scope (SR_ENOTFOUND, SR_EPERM: not, and the 404
 * page is answered). */
static int
scoped_case(struct req *req, struct resp *resp, struct justice_case *c)
{
    struct sr_err err = { 0 };
    int rc = justice_case_by_code(req->db, &req->who, ACT_JUSTICE_RECORD,
                                  req_route_param(req, "id"), c, &err);
    sr_err_release(&err);
    if (rc != SR_OK) {
        web_error(req, resp, 404, N_("Not found."));
    }
    return rc == SR_OK;
}

int
justice_web_event_form(struct req *req, struct resp *resp)
{
    struct justice_case c;
    if (!scoped_case(req, resp, &c)) {
        return SR_OK;
    }
    return event_form(req, resp, &c, NULL);
}

int
justice_web_event_add(struct req *req, struct resp *resp)
{
    struct justice_case c;
    if (!scoped_case(req, resp, &c)) {
        return SR_OK;
    }
    const char *perps[33];
    size_t n = 0;
    for (size_t i = 0; i < req->n_form && n < 33; i++) {
        if (strcmp(req->form[i].key, "perpetrator") == 0) {
            perps[n++] = req->form[i].value;
        }
    }
    struct justice_event_input in = {
        req_param(req, "kind"),
        req_param(req, "date"),
        req_param(req, "agency_org"),
        req_param(req, "agency_kind"),
        req_param(req, "reason"),
        perps,
        n,
    };
    struct sr_err err = { 0 };
    int64_t id;
    int rc = justice_add_event(req->db, req->app->ws->vault, &req->who, c.id,
                               &in, &id, &err);
    if (rc == SR_OK) {
        resp_redirect(resp,
                      arena_printf(req->arena, "/cases/%s#justice", c.code));
        return SR_OK;
    }
    if (rc == SR_EDB) {
        sr_err_release(&err);
        return rc;
    }
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        sr_err_release(&err);
        web_error(req, resp, 404, N_("Not found."));
        return SR_OK;
    }
    rc = event_form(req, resp, &c, web_err_text(req, &err));
    resp->status = 400;
    return rc;
}

/* ---- the funnel ---------------------------------------------------------- */

/* Options of the report from the query; SR_EINVAL with the field. */
static int
funnel_options(struct req *req, enum funnel_period *p, enum funnel_split *by,
               int64_t *from, int64_t *to, struct sr_err *err)
{
    const char *ps = req_param(req, "period");
    const char *bs = req_param(req, "by");
    const char *fs = req_param(req, "from");
    const char *ts = req_param(req, "to");
    *from = *to = 0;
    int rc = funnel_parse_period(ps && ps[0] ? ps : "half", p, err);
    if (rc == SR_OK) {
        rc = funnel_parse_split(bs ? bs : "", by, err);
    }
    if (rc == SR_OK && fs != NULL && fs[0]) {
        rc = justice_parse_day(fs, "from", from, err);
    }
    if (rc == SR_OK && ts != NULL && ts[0]) {
        rc = justice_parse_day(ts, "to", to, err);
    }
    return rc;
}

static int
compute(struct req *req, struct resp *resp, struct funnel_report *r)
{
    enum funnel_period p;
    enum funnel_split by;
    int64_t from, to;
    struct sr_err err = { 0 };
    int rc = funnel_options(req, &p, &by, &from, &to, &err);
    if (rc == SR_OK) {
        /* funnel.c counts only the cases in the viewer's scope */
        rc = funnel_compute(req->db, &req->who, from, to, p, by, r, &err);
    }
    if (rc == SR_EINVAL) {
        if (web_format_of(req) == WEB_JSON) {
            json_error(resp, 400, sr_err_msg(&err));
        } else {
            struct html h;
            web_page_begin(req, resp, &h, N_("Criminal-justice funnel"));
            web_form_error(&h, sr_err_msg(&err));
            web_page_end(req, resp, &h);
            resp->status = 400;
        }
    }
    sr_err_release(&err);
    return rc;
}

static const char *
group_label(struct req *req, enum funnel_split by, const char *code)
{
    if (by == FUNNEL_BY_LEGAL_AID) {
        return strcmp(code, "supported") == 0
                   ? T(req, "Legal aid (at any time)")
                   : T(req, "No legal aid");
    }
    if (strcmp(code, "unknown") == 0) {
        return T(req, "Unknown");
    }
    const struct vocab_item *voc = NULL;
    if (by == FUNNEL_BY_EXPLOITATION) {
        voc = funnel_exploitation_vocab;
    } else if (by == FUNNEL_BY_INDUSTRY) {
        voc = case_industries;
    }
    if (voc != NULL && vocab_find(voc, code) >= 0) {
        return T(req, vocab_label(voc, code));
    }
    return code;
}

/* One horizontal bar chart of a row's stages, then its table. */
static void
funnel_chart(struct html *h, struct req *req, const struct funnel_row *row,
             const char *title)
{
    int64_t max = row->n[0] > 0 ? row->n[0] : 1;
    HTML_LIT(h, "<figure class=\"chart\"><svg viewBox=\"0 0 420 ");
    html_printf_text(h, "%d", 20 * JS__COUNT + 10);
    HTML_LIT(h, "\" role=\"img\"><title>");
    html_text(h, title);
    HTML_LIT(h, "</title>");
    for (int s = 0; s < JS__COUNT; s++) {
        int w = (int)(260 * row->n[s] / max);
        HTML_LIT(h, "<g class=\"axis\"><text x=\"0\" y=\"");
        html_printf_text(h, "%d", 20 * s + 17);
        HTML_LIT(h, "\">");
        html_text(h, T(req, justice_stages[s].label));
        HTML_LIT(h, "</text></g><rect class=\"s1\" x=\"150\" y=\"");
        html_printf_text(h, "%d", 20 * s + 5);
        HTML_LIT(h, "\" width=\"");
        html_printf_text(h, "%d", w);
        HTML_LIT(h, "\" height=\"14\"/><g class=\"axis\"><text x=\"");
        html_printf_text(h, "%d", 155 + w);
        HTML_LIT(h, "\" y=\"");
        html_printf_text(h, "%d", 20 * s + 17);
        HTML_LIT(h, "\">");
        html_printf_text(h, "%lld", (long long)row->n[s]);
        HTML_LIT(h, "</text></g>");
    }
    HTML_LIT(h, "</svg><figcaption>");
    html_text(h, title);
    HTML_LIT(h, "</figcaption></figure>");
}

static void
funnel_table(struct html *h, struct req *req, const struct funnel_row *rows,
             size_t n, enum funnel_split by, int is_totals)
{
    HTML_LIT(
        h,
        "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data funnel\">"
        "<thead><tr>");
    web_th(h, req, N_("Period"));
    if (!is_totals) {
        web_th(h, req, N_("Group"));
    }
    for (int s = 0; s < JS__COUNT; s++) {
        web_th(h, req, justice_stages[s].label);
    }
    web_th(h, req, N_("Rescues without arrests"));
    if (is_totals) {
        web_th(h, req, N_("Counted only in totals"));
    }
    HTML_LIT(h, "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(h, "<tr>");
        web_td(h, rows[i].period);
        if (!is_totals) {
            web_td(h, group_label(req, by, rows[i].group));
        }
        for (int s = 0; s < JS__COUNT; s++) {
            web_td_num(h, rows[i].n[s]);
        }
        web_td_num(h, rows[i].n_rescue_no_arrest);
        if (is_totals) {
            web_td_num(h, rows[i].n_excluded);
        }
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div>");
}

static int
funnel_html(struct req *req, struct resp *resp, const struct funnel_report *r)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Criminal-justice funnel"));
    HTML_LIT(
        &h,
        "<form class=\"stack filters\" method=\"get\" action=\"/reports/funnel\" id=\"funnel-form\">");
    web_label(&h, req, "f-period", N_("Period"));
    HTML_LIT(&h, "<select id=\"f-period\" name=\"period\">");
    web_vocab_options(&h, req, justice_web_periods,
                      funnel_period_name(r->period), NULL);
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "f-by", N_("Split by"));
    HTML_LIT(&h, "<select id=\"f-by\" name=\"by\">");
    web_vocab_options(&h, req, justice_web_splits, funnel_split_name(r->by),
                      "-");
    HTML_LIT(&h, "</select><button class=\"btn\" type=\"submit\">");
    html_text(&h, T(req, "Show"));
    HTML_LIT(&h, "</button></form><p><a href=\"/reports/funnel.csv?period=");
    html_url(&h, funnel_period_name(r->period));
    HTML_LIT(&h, "&amp;by=");
    html_url(&h, funnel_split_name(r->by));
    HTML_LIT(&h, "\">CSV</a> <a href=\"/reports/funnel.json?period=");
    html_url(&h, funnel_period_name(r->period));
    HTML_LIT(&h, "&amp;by=");
    html_url(&h, funnel_split_name(r->by));
    HTML_LIT(&h, "\">JSON</a></p><p class=\"muted\">");
    web_printf_tr(&h, req,
                  N_("%lld cases; %lld of them counted only in totals (all "
                     "their victims declined research use)."),
                  (long long)r->n_cases, (long long)r->n_excluded);
    HTML_LIT(&h, "</p><h2>");
    html_text(&h, T(req, "All cases"));
    HTML_LIT(&h, "</h2>");
    if (r->n_totals > 0) {
        struct funnel_row all;
        memset(&all, 0, sizeof all);
        for (size_t i = 0; i < r->n_totals; i++) {
            for (int s = 0; s < JS__COUNT; s++) {
                all.n[s] += r->totals[i].n[s];
            }
        }
        funnel_chart(&h, req, &all, T(req, "Cases reaching each stage"));
    }
    funnel_table(&h, req, r->totals, r->n_totals, r->by, 1);
    if (r->by != FUNNEL_BY_NONE) {
        HTML_LIT(&h, "<h2>");
        html_text(&h, T(req, vocab_label(justice_web_splits,
                                         funnel_split_name(r->by))));
        HTML_LIT(&h, "</h2>");
        funnel_table(&h, req, r->groups, r->n_groups, r->by, 0);
    }
    HTML_LIT(&h, "<h2>");
    html_text(&h, T(req, "Median days between stages"));
    HTML_LIT(&h, "</h2>");
    web_table_open(&h, "", "funnel-medians");
    static const char *const median_cols[] = { N_("From"), N_("To"),
                                               N_("Cases"), N_("Median days"),
                                               NULL };
    web_table_head(&h, req, median_cols);
    for (int s = 0; s + 1 < JS__COUNT; s++) {
        HTML_LIT(&h, "<tr>");
        web_td(&h, T(req, justice_stages[s].label));
        web_td(&h, T(req, justice_stages[s + 1].label));
        web_td_num(&h, r->medians[s].n_cases);
        HTML_LIT(&h, "<td class=\"num\">");
        if (r->medians[s].n_cases > 0) {
            html_printf_text(&h, "%.1f", r->medians[s].median_days);
        }
        HTML_LIT(&h, "</td></tr>");
    }
    HTML_LIT(&h, "</tbody></table></div><h2>");
    html_text(&h, T(req, "Perpetrator roles arrested"));
    HTML_LIT(&h, "</h2>");
    web_table_open(&h, "", "funnel-roles");
    static const char *const role_cols[] = { N_("Role"), N_("In cases"),
                                             N_("Arrested"), NULL };
    web_table_head(&h, req, role_cols);
    for (size_t i = 0; i < r->n_roles; i++) {
        HTML_LIT(&h, "<tr>");
        web_td_label(&h, req, entity_roles, r->roles[i].role);
        web_td_num(&h, r->roles[i].n_linked);
        web_td_num(&h, r->roles[i].n_arrested);
        HTML_LIT(&h, "</tr>");
    }
    HTML_LIT(&h, "</tbody></table></div>");
    web_page_end(req, resp, &h);
    return SR_OK;
}

static int
funnel_csv(struct req *req, struct resp *resp, const struct funnel_report *r)
{
    (void)req;
    sr_buf_reset(&resp->body);
    resp->content_type = "text/csv; charset=utf-8";
    return funnel_out_csv(r, &resp->body);
}

static int
funnel_json(struct req *req, struct resp *resp, const struct funnel_report *r)
{
    (void)req;
    json_respond(resp, 200, funnel_out_json(r));
    return SR_OK;
}

/* The funnel as a page, CSV or JSON, by the path's ending. */
int
justice_web_funnel(struct req *req, struct resp *resp)
{
    static int (*const write[])(struct req *, struct resp *,
                                const struct funnel_report *) = {
        [WEB_PAGE] = funnel_html,
        [WEB_CSV] = funnel_csv,
        [WEB_JSON] = funnel_json,
    };
    struct funnel_report r;
    int rc = compute(req, resp, &r);
    if (rc == SR_EINVAL) {
        return SR_OK;
    }
    if (rc != SR_OK) {
        return rc;
    }
    rc = write[web_format_of(req)](req, resp, &r);
    funnel_release(&r);
    return rc;
}
