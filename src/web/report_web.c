/*
 * report_web.c - the hotline's monthly report as a page (charts, each
 * with its table beside it), as CSV and as JSON; and the events page.
 *
 * The dispatcher has checked report.read or event.manage; the record
 * scope is decided here: a role whose report.read reaches its own
 * organisation sees that organisation only (asking for another answers
 * 404); a role whose report.read reaches every organisation (the
 * analyst) sees them all, or one with ?org=CODE, with counts of 1 to 4
 * suppressed (docs/reports.md). No SQL: report.c, event.c and org.c
 * answer. No identity ever reaches a report: it holds aggregates.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "web/report_web.h"

#include <stdio.h>
#include <string.h>

#include "render/chart.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "hotline/event.h"
#include "core/gazetteer.h"
#include "web/json.h"
#include "base/org.h"
#include "render/report_out.h"
#include "web/web.h"
#include "base/workspace.h"
#include "core/banned.h"

/* Months shown when the page is opened without a range. */
#define DEFAULT_MONTHS 12

/* ---- small writers ------------------------------------------------------ */

static void
th(struct html *h, struct req *req, const char *msgid, int is_num)
{
    if (is_num) {
        HTML_LIT(h, "<th scope=\"col\" class=\"num\">");
    } else {
        HTML_LIT(h, "<th scope=\"col\">");
    }
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</th>");
}

/* before, the count (as report_out_count() writes it: "<5" or "x" when
 * hidden), then after; all text */
static void
count_text(struct html *h, const char *before, int64_t n, const char *after)
{
    char v[32];
    report_out_count(n, v, sizeof v);
    html_printf_text(h, "%s%s%s", before, v, after);
}

static void
td_count(struct html *h, int64_t n)
{
    HTML_LIT(h, "<td class=\"num\">");
    count_text(h, "", n, "");
    HTML_LIT(h, "</td>");
}

static void
td_pct(struct html *h, int64_t n, int64_t total)
{
    HTML_LIT(h, "<td class=\"num\">");
    if (n >= 0 && total >= 0) { /* neither hidden */
        html_printf_text(h, "%.1f%%", report_pct(n, total));
    }
    HTML_LIT(h, "</td>");
}

static void
ym_text(struct report_ym ym, char out[16])
{
    snprintf(out, 16, "%04d-%02d", ym.year % 10000, ym.month % 100);
}

static double
plot_value(int64_t n)
{
    return n > 0 ? (double)n : 0;
}

/* ---- scope and parameters ------------------------------------------------ */

struct org_pick {
    int64_t id;     /* wanted id (0 = none) */
    char code[32];  /* its code, once found */
    char name[201]; /* its name */
};

static int
find_org(const struct org_row *o, void *ctx)
{
    struct org_pick *p = ctx;
    if (o->id == p->id) {
        snprintf(p->code, sizeof p->code, "%s", o->code);
        snprintf(p->name, sizeof p->name, "%s", o->name);
        return 1;
    }
    return 0;
}

/* What the request asks for, after the scope checks. */
struct asked {
    struct report_query q;
    char org_code[32]; /* "" = every organisation */
    char org_name[201];
    char from[16], to[16];
    const char *error; /* a message for a 400, or NULL */
    int is_not_found;  /* 1: answer 404 (another organisation) */
};

static void
ask(struct req *req, struct asked *a)
{
    memset(a, 0, sizeof *a);
    struct sr_err err = { 0 };
    const struct ws *ws = req->app->ws;
    a->q.timezone = ws->cfg.timezone;
    int offset_s = 0;
    if (report_tz_offset(ws->cfg.timezone, &offset_s, &err) != SR_OK) {
        a->error = web_err_text(req, &err);
        return;
    }
    /* default: the last DEFAULT_MONTHS months up to this one, local time */
    a->q.to = report_ym_at(sr_now(), offset_s);
    a->q.from = report_ym_add(a->q.to, 1 - DEFAULT_MONTHS);
    if (policy_scope(req->who.role, ACT_REPORT_READ) == SCOPE_ALL) {
        /* across organisations a report is one calendar year: this one */
        a->q.from.month = 1;
        a->q.from.year = a->q.to.year;
        a->q.to.month = 12;
    }
    const char *from = req_param(req, "from");
    const char *to = req_param(req, "to");
    if ((from != NULL && from[0] != '\0' &&
         report_parse_ym(from, "from", &a->q.from, &err) != SR_OK) ||
        (to != NULL && to[0] != '\0' &&
         report_parse_ym(to, "to", &a->q.to, &err) != SR_OK)) {
        a->error = web_err_text(req, &err);
    }
    ym_text(a->q.from, a->from);
    ym_text(a->q.to, a->to);
    const char *org = req_param(req, "org");
    int is_all = policy_scope(req->who.role, ACT_REPORT_READ) == SCOPE_ALL;
    int64_t org_id = is_all ? 0 : req->who.org_id;
    if (org != NULL && org[0] != '\0' && a->error == NULL) {
        int64_t asked_id = 0;
        int rc = org_id_by_code(req->db, org, &asked_id, &err);
        sr_err_release(&err);
        if (rc != SR_OK ||
            !policy_allows(&req->who, ACT_REPORT_READ, asked_id, 0)) {
            /* absent and out of scope look the same */
            a->is_not_found = 1;
            return;
        }
        org_id = asked_id;
    }
    a->q.org_id = org_id;
    /* a report across organisations hides counts that could single
     * people out; an organisation's own report does not */
    a->q.is_suppressed = is_all;
    if (org_id != 0) {
        struct org_pick p = { org_id, "", "" };
        (void)org_list(req->db, find_org, &p, NULL);
        snprintf(a->org_code, sizeof a->org_code, "%s", p.code);
        snprintf(a->org_name, sizeof a->org_name, "%s", p.name);
    }
}

/* ---- the page ------------------------------------------------------------ */

static const char *
category_label(int c)
{
    return contact_categories[c].label;
}

static const char *
code_label(struct req *req, const struct vocab_item *list, const char *code)
{
    if (code[0] == '\0') {
        return T(req, "Not given");
    }
    if (list == NULL) {
        const struct gaz_division *d = gaz_find(code);
        return d != NULL ? arena_printf(req->arena, "%s (%s)",
                                        gaz_name(d, req->lang), code)
                         : code;
    }
    const char *l = vocab_label(list, code);
    return l[0] ? T(req, l) : code;
}

static void
range_form(struct req *req, struct html *h, const struct asked *a)
{
    HTML_LIT(
        h,
        "<form class=\"stack filters\" method=\"get\" action=\"/reports/hotline\"><div class=\"field\">");
    web_label(h, req, "from", N_("From"));
    HTML_LIT(h, "<input id=\"from\" name=\"from\" type=\"month\" value=\"");
    html_attr(h, a->from);
    HTML_LIT(h, "\"></div><div class=\"field\">");
    web_label(h, req, "to", N_("To"));
    HTML_LIT(h, "<input id=\"to\" name=\"to\" type=\"month\" value=\"");
    html_attr(h, a->to);
    HTML_LIT(h, "\"></div>");
    if (a->org_code[0] != '\0') {
        HTML_LIT(h, "<input type=\"hidden\" name=\"org\" value=\"");
        html_attr(h, a->org_code);
        HTML_LIT(h, "\">");
    }
    web_form_actions(h, req, N_("Show"), NULL);
    HTML_LIT(h, "</form><p class=\"form-actions\">");
    static const char *const kinds[2] = { ".csv", ".json" };
    static const char *const labels[2] = { N_("Download CSV"),
                                           N_("Download JSON") };
    for (int k = 0; k < 2; k++) {
        HTML_LIT(h, "<a class=\"btn\" href=\"/reports/hotline");
        html_attr(h, kinds[k]);
        HTML_LIT(h, "?from=");
        html_url(h, a->from);
        HTML_LIT(h, "&amp;to=");
        html_url(h, a->to);
        if (a->org_code[0] != '\0') {
            HTML_LIT(h, "&amp;org=");
            html_url(h, a->org_code);
        }
        HTML_LIT(h, "\">");
        html_text(h, T(req, labels[k]));
        HTML_LIT(h, "</a> ");
    }
    HTML_LIT(h, "</p>");
}

static void
stat_card(struct req *req, struct html *h, int64_t n, const char *msgid)
{
    HTML_LIT(h, "<div class=\"card stat\"><span class=\"value\">");
    count_text(h, "", n, "");
    HTML_LIT(h, "</span><span class=\"label\">");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</span></div>");
}

static void
monthly_section(struct req *req, struct html *h, const struct report *r)
{
    size_t n = r->n_months;
    const char **x = arena_alloc(req->arena, (n + 1) * sizeof *x);
    double *total = arena_alloc(req->arena, (n + 1) * sizeof *total);
    double *labour = arena_alloc(req->arena, (n + 1) * sizeof *labour);
    double *traff = arena_alloc(req->arena, (n + 1) * sizeof *traff);
    for (size_t i = 0; i < n; i++) {
        char k[16];
        ym_text(r->months[i].ym, k);
        x[i] = arena_strdup(req->arena, k);
        total[i] = plot_value(r->months[i].total);
        labour[i] = plot_value(r->months[i].by_category[0]);
        traff[i] = plot_value(r->months[i].by_category[1]);
    }
    struct chart_marker *mk =
        arena_alloc(req->arena, (r->n_events + 1) * sizeof *mk);
    for (size_t i = 0; i < r->n_events; i++) {
        const struct report_event *e = &r->events[i];
        mk[i].index = (size_t)e->month_index;
        mk[i].label = arena_printf(req->arena, "%zu", i + 1);
        mk[i].title =
            arena_printf(req->arena, "%zu. %s %s: %s", i + 1, e->day,
                         T(req, vocab_label(event_kinds, e->kind)), e->title);
    }
    struct chart_series bars[1] = { { T(req, "All contacts"), total, 1 } };
    struct chart_series lines[2] = {
        { T(req, category_label(0)), labour, 2 },
        { T(req, category_label(1)), traff, 3 },
    };
    struct chart_monthly c = {
        .id = "chart-months",
        .title = T(req, "Contacts per month"),
        .desc = T(req, "Bars: all contacts per month. Lines: labour rights "
                       "and trafficking contacts. Numbered markers: events. "
                       "The table beside the chart gives every value."),
        .x_labels = x,
        .n_points = n,
        .bars = bars,
        .n_bars = 1,
        .lines = lines,
        .n_lines = 2,
        .markers = mk,
        .n_markers = r->n_events,
    };
    HTML_LIT(h, "<section class=\"card\" id=\"report-monthly\"><h2>");
    html_text(h, T(req, "Contacts per month"));
    HTML_LIT(h, "</h2><div class=\"report-pair\">");
    chart_monthly(h, &c);
    HTML_LIT(h,
             "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" "
             "id=\"report-months\"><caption>");
    html_text(h, T(req, "Contacts per month"));
    HTML_LIT(h, "</caption><thead><tr>");
    th(h, req, N_("Month"), 0);
    th(h, req, N_("All contacts"), 1);
    for (int k = 0; k < REPORT_N_CATEGORIES; k++) {
        th(h, req, category_label(k), 1);
    }
    th(h, req, N_("Imminent danger"), 1);
    th(h, req, N_("People affected"), 1);
    HTML_LIT(h, "</tr></thead><tbody>");
    for (size_t i = 0; i <= n; i++) {
        const struct report_month *m = i < n ? &r->months[i] : &r->sum;
        HTML_LIT(h, "<tr><th scope=\"row\">");
        html_text(h, i < n ? x[i] : T(req, "Total"));
        HTML_LIT(h, "</th>");
        td_count(h, m->total);
        for (int k = 0; k < REPORT_N_CATEGORIES; k++) {
            td_count(h, m->by_category[k]);
        }
        td_count(h, m->n_danger);
        td_count(h, m->n_affected);
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div></div>");
    /* the events behind the markers */
    HTML_LIT(h, "<h3>");
    html_text(h, T(req, "Events"));
    HTML_LIT(h, "</h3>");
    if (r->n_events == 0) {
        web_muted(h, req, NULL, N_("No events recorded in these months."));
    } else {
        HTML_LIT(
            h, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" "
               "id=\"report-events\"><thead><tr><th scope=\"col\" "
               "class=\"num\">#</th>");
        th(h, req, N_("Date"), 0);
        th(h, req, N_("Kind"), 0);
        th(h, req, N_("Title"), 0);
        HTML_LIT(h, "</tr></thead><tbody>");
        for (size_t i = 0; i < r->n_events; i++) {
            HTML_LIT(h, "<tr><td class=\"num\">");
            html_printf_text(h, "%zu", i + 1);
            HTML_LIT(h, "</td>");
            web_td(h, r->events[i].day);
            web_td_label(h, req, event_kinds, r->events[i].kind);
            web_td(h, r->events[i].title);
            HTML_LIT(h, "</tr>");
        }
        HTML_LIT(h, "</tbody></table></div>");
    }
    HTML_LIT(h, "</section>");
}

static void
breakdown_section(struct req *req, struct html *h, const char *id,
                  const char *msgid, const char *col_msgid,
                  const struct report_breakdown *b,
                  const struct vocab_item *list, int64_t total, int colour)
{
    size_t n = b->n_items;
    const char **labels = arena_alloc(req->arena, (n + 1) * sizeof *labels);
    double *values = arena_alloc(req->arena, (n + 1) * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        labels[i] = code_label(req, list, b->items[i].code);
        values[i] = plot_value(b->items[i].n);
    }
    const char *chart_id = arena_printf(req->arena, "chart-%s", id);
    struct chart_hbar c = {
        .id = chart_id,
        .title = T(req, msgid),
        .desc = T(req, "Contacts in the months shown, largest first. The "
                       "table beside the chart gives every value and its "
                       "share."),
        .labels = labels,
        .values = values,
        .n = n,
        .colour = colour,
    };
    HTML_LIT(h, "<section class=\"card\" id=\"report-");
    html_attr(h, id);
    HTML_LIT(h, "\"><h2>");
    html_text(h, T(req, msgid));
    HTML_LIT(h, "</h2>");
    if (n == 0) {
        HTML_LIT(h, "<p class=\"muted\">");
        html_text(h, T(req, "No contacts in these months."));
        HTML_LIT(h, "</p></section>");
        return;
    }
    HTML_LIT(h, "<div class=\"report-pair\">");
    chart_hbar(h, &c);
    HTML_LIT(
        h,
        "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" id=\"table-");
    html_attr(h, id);
    HTML_LIT(h, "\"><thead><tr>");
    th(h, req, col_msgid, 0);
    th(h, req, N_("Contacts"), 1);
    th(h, req, N_("Share"), 1);
    HTML_LIT(h, "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(h, "<tr><td>");
        html_text(h, labels[i]);
        HTML_LIT(h, "</td>");
        td_count(h, b->items[i].n);
        td_pct(h, b->items[i].n, total);
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div></div></section>");
}

static void
hours_cell(struct html *h, double v)
{
    HTML_LIT(h, "<td class=\"num\">");
    if (v >= 0) {
        html_printf_text(h, "%.1f", v);
    }
    HTML_LIT(h, "</td>");
}

void
report_web_referrals(struct html *h, const char *lang,
                     const struct report_referrals *r)
{
    if (r == NULL || !r->is_present) {
        return;
    }
    static const char *const cols[] = {
        N_("Sent"),
        N_("Acknowledged"),
        N_("Accepted"),
        N_("Declined"),
        N_("Action taken"),
        N_("No action"),
        N_("Median hours to acknowledgement"),
        N_("Median hours to action"),
    };
    HTML_LIT(h, "<section class=\"card\" id=\"report-referrals\"><h2>");
    html_text(h, i18n_tr(lang, "Referral outcomes"));
    HTML_LIT(h, "</h2><p id=\"report-trafficking-action\">");
    html_text(h, i18n_tr(lang, "Trafficking contacts referred"));
    count_text(h, ": ", r->n_trafficking_referred, ". ");
    html_text(h, i18n_tr(lang, "Of those, saw action"));
    count_text(h, ": ", r->n_trafficking_actioned, "");
    if (r->n_trafficking_actioned >= 0 && r->n_trafficking_referred >= 0) {
        html_printf_text(
            h, " (%.1f%%)",
            report_pct(r->n_trafficking_actioned, r->n_trafficking_referred));
    }
    HTML_LIT(h, ".");
    HTML_LIT(
        h, "</p><div class=\"table-wrap\" tabindex=\"0\"><table class=\"data\" "
           "id=\"table-referrals\"><thead><tr><th scope=\"col\">");
    html_text(h, i18n_tr(lang, "Partner"));
    HTML_LIT(h, "</th>");
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
        HTML_LIT(h, "<th scope=\"col\" class=\"num\">");
        html_text(h, i18n_tr(lang, cols[k]));
        HTML_LIT(h, "</th>");
    }
    HTML_LIT(h, "</tr></thead><tbody>");
    for (size_t i = 0; i < r->n_rows; i++) {
        const struct report_referral_row *x = &r->rows[i];
        HTML_LIT(h, "<tr><th scope=\"row\">");
        html_text(h, x->partner_name);
        HTML_LIT(h, " <span class=\"muted\">");
        html_text(h, x->partner_code);
        HTML_LIT(h, "</span></th>");
        td_count(h, x->n_sent);
        td_count(h, x->n_acknowledged);
        td_count(h, x->n_accepted);
        td_count(h, x->n_declined);
        td_count(h, x->n_action);
        td_count(h, x->n_no_action);
        hours_cell(h, x->median_ack_h);
        hours_cell(h, x->median_action_h);
        HTML_LIT(h, "</tr>");
    }
    HTML_LIT(h, "</tbody></table></div></section>");
}

static void
report_page(struct req *req, struct resp *resp, const struct asked *a,
            const struct report *r)
{
    struct html h;
    web_page_begin(req, resp, &h, N_("Hotline report"));
    HTML_LIT(&h, "<p id=\"report-scope\">");
    if (a->org_code[0] != '\0') {
        html_text(&h, a->org_name);
        HTML_LIT(&h, " (");
        html_text(&h, a->org_code);
        HTML_LIT(&h, ")");
    } else {
        html_text(&h, T(req, "All organisations"));
    }
    HTML_LIT(&h, ". ");
    web_printf_tr(&h, req, N_("Months in the time zone %s."),
                  req->app->ws->cfg.timezone);
    HTML_LIT(&h, "</p>");
    if (a->q.is_suppressed) {
        HTML_LIT(&h, "<p class=\"flash\" id=\"report-suppressed\">");
        web_printf_tr(&h, req,
                      N_("Counts from 1 to %d are shown as <%d so that no "
                         "one can be singled out."),
                      REPORT_MIN_CELL - 1, REPORT_MIN_CELL);
        HTML_LIT(&h, " ");
        html_text(&h, T(req, "Counts shown as x are hidden so that a hidden "
                             "count cannot be worked out from the totals; "
                             "each report covers one calendar year."));
        HTML_LIT(&h, "</p>");
    }
    web_form_error(&h, a->error);
    range_form(req, &h, a);
    if (policy_allows(&req->who, ACT_EVENT_MANAGE, 0, 0)) {
        HTML_LIT(&h, "<p><a href=\"/events\">");
        html_text(&h, T(req, "Record an event"));
        HTML_LIT(&h, "</a></p>");
    }
    if (r != NULL) {
        HTML_LIT(&h, "<div class=\"grid\">");
        stat_card(req, &h, r->sum.total, N_("All contacts"));
        stat_card(req, &h, r->sum.by_category[1], N_("Trafficking"));
        stat_card(req, &h, r->sum.n_danger, N_("Imminent danger"));
        stat_card(req, &h, r->sum.n_affected, N_("People affected"));
        HTML_LIT(&h, "</div>");
        monthly_section(req, &h, r);
        breakdown_section(req, &h, "province", N_("By problem province"),
                          N_("Province"), &r->province, NULL, r->sum.total, 1);
        breakdown_section(req, &h, "channel", N_("By channel"), N_("Channel"),
                          &r->channel, contact_channels, r->sum.total, 4);
        breakdown_section(req, &h, "language", N_("By language"),
                          N_("Language"), &r->language, vocab_languages,
                          r->sum.total, 3);
        breakdown_section(req, &h, "sector", N_("By sector"), N_("Sector"),
                          &r->sector, contact_sectors, r->sum.total, 6);
        report_web_referrals(&h, req->lang, &r->referrals);
    }
    web_page_end(req, resp, &h);
}

/* Compute the report for the request; 0 when resp already answered. */
static int
compute(struct req *req, struct resp *resp, struct asked *a, struct report *r,
        int is_page, int *rc_out)
{
    struct sr_err err = { 0 };
    memset(r, 0, sizeof *r);
    ask(req, a);
    *rc_out = SR_OK;
    if (a->is_not_found) {
        web_error(req, resp, 404, N_("Page not found."));
        return 0;
    }
    int rc =
        a->error == NULL ? report_hotline(req->db, &a->q, r, &err) : SR_EINVAL;
    if (rc == SR_EINVAL && a->error == NULL) {
        a->error = arena_strdup(req->arena, sr_err_msg(&err));
    }
    sr_err_release(&err);
    if (rc == SR_OK) {
        return 1;
    }
    report_release(r);
    if (rc != SR_EINVAL) {
        *rc_out = rc;
        return 0;
    }
    if (is_page) {
        report_page(req, resp, a, NULL);
        resp->status = 400;
    } else {
        json_error(resp, 400, a->error);
    }
    return 0;
}

static int
report_html(struct req *req, struct resp *resp, const struct asked *a,
            const struct report *r)
{
    report_page(req, resp, a, r);
    return SR_OK;
}

static int
report_csv(struct req *req, struct resp *resp, const struct asked *a,
           const struct report *r)
{
    resp->content_type = "text/csv; charset=utf-8";
    return report_out_csv(r, req->app->ws->cfg.timezone,
                          a->org_code[0] ? a->org_code : NULL, &resp->body);
}

static int
report_json(struct req *req, struct resp *resp, const struct asked *a,
            const struct report *r)
{
    json_respond(resp, 200,
                 report_out_json(r, req->app->ws->cfg.timezone,
                                 a->org_code[0] ? a->org_code : NULL));
    return SR_OK;
}

/* The report as a page, CSV or JSON, by the path's ending. */
int
web_report_hotline(struct req *req, struct resp *resp)
{
    static int (*const write[])(struct req *, struct resp *,
                                const struct asked *, const struct report *) = {
        [WEB_PAGE] = report_html,
        [WEB_CSV] = report_csv,
        [WEB_JSON] = report_json,
    };
    enum web_format f = web_format_of(req);
    struct asked a;
    struct report r;
    int rc;
    if (!compute(req, resp, &a, &r, f == WEB_PAGE, &rc)) {
        return rc;
    }
    rc = write[f](req, resp, &a, &r);
    report_release(&r);
    return rc;
}

/* ---- events -------------------------------------------------------------- */

static int
event_row_html(const struct event_row *e, void *ctx)
{
    struct web_rows *c = ctx;
    HTML_LIT(c->h, "<tr>");
    web_td(c->h, e->day);
    web_td_label(c->h, c->req, event_kinds, e->kind);
    web_td(c->h, e->title);
    web_td(c->h, e->org_code);
    HTML_LIT(c->h, "</tr>");
    c->n_rows++;
    return 0;
}

static int
events_page(struct req *req, struct resp *resp, const char *error)
{
    struct html h;
    struct sr_err err = { 0 };
    web_page_begin(req, resp, &h, N_("Events"));
    web_muted(&h, req, NULL,
              N_("Campaigns, broadcasts of the hotline's number and "
                 "registration rounds, shown on the monthly report "
                 "so that spikes can be explained."));
    web_form_error(&h, error);
    web_card_begin(&h, req, N_("Record an event"));
    HTML_LIT(&h, "<form class=\"stack\" method=\"post\" "
                 "action=\"/events\">");
    web_csrf_field(req, resp, &h);
    const char *day = req_param(req, "day");
    const char *title = req_param(req, "title");
    const char *kind = req_param(req, "kind");
    web_label(&h, req, "ev-day", N_("Date"));
    HTML_LIT(
        &h,
        "<input id=\"ev-day\" name=\"day\" type=\"date\" required value=\"");
    html_attr(&h, error && day ? day : "");
    HTML_LIT(&h, "\">");
    web_label(&h, req, "ev-kind", N_("Kind"));
    HTML_LIT(&h, "<select id=\"ev-kind\" name=\"kind\">");
    web_vocab_options(&h, req, event_kinds, kind, NULL);
    HTML_LIT(&h, "</select>");
    web_label(&h, req, "ev-title", N_("Title"));
    HTML_LIT(
        &h,
        "<input id=\"ev-title\" name=\"title\" required maxlength=\"200\" value=\"");
    html_attr(&h, error && title ? title : "");
    HTML_LIT(&h, "\"><p class=\"muted\">");
    html_text(&h, T(req, "No names or other identities in the title."));
    HTML_LIT(&h, "</p>");
    web_submit(&h, req, N_("Save"), NULL);
    HTML_LIT(&h, "</form></section>");
    static const char *const cols[] = { N_("Date"), N_("Kind"), N_("Title"),
                                        N_("Organisation"), NULL };
    web_table_begin(&h, req, "events", cols);
    struct web_rows c = { req, resp, &h, 0 };
    int64_t org_id = policy_scope(req->who.role, ACT_EVENT_MANAGE) == SCOPE_ALL
                         ? 0
                         : req->who.org_id;
    int rc = event_list(req->db, org_id, NULL, NULL, event_row_html, &c, &err);
    web_table_end(&h, req, c.n_rows, N_("No records."));
    sr_err_release(&err);
    return web_page_finish(req, resp, &h, rc, 0);
}

int
web_events(struct req *req, struct resp *resp)
{
    return events_page(req, resp, NULL);
}

int
web_event_add(struct req *req, struct resp *resp)
{
    struct sr_err err = { 0 };
    struct event_input in = { req_param(req, "day"), req_param(req, "kind"),
                              req_param(req, "title"), req->who.org_id };
    int64_t id;
    int rc = event_add(req->db, req->app->ws->vault, req->who.user_id, &in, &id,
                       &err);
    if (rc == SR_OK) {
        resp_redirect(resp, "/events");
        return SR_OK;
    }
    if (rc != SR_EINVAL) {
        sr_err_release(&err);
        return rc;
    }
    return web_form_again(req, resp, rc, &err, events_page);
}
