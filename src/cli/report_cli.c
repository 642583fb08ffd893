/*
 * report_cli.c - the command line of the monthly report and of events,
 * and the report's CSV and JSON forms.
 *
 * No SQL: report.c and event.c answer. The command line acts as the
 * holder of the workspace passphrase (ACT_LOCAL): it sees every
 * organisation, unsuppressed, unless --org narrows it. Writes are
 * audited with no user.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/report_cli.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "hotline/event.h"
#include "core/log.h"
#include "base/org.h"
#include "base/workspace.h"
#include "core/banned.h"

/* ---- CSV and JSON --------------------------------------------------------- */

static const char *const cat_codes[REPORT_N_CATEGORIES] = {
    "labour_rights", "trafficking",      "safe_migration",
    "documents",     "other_assistance", "not_relevant",
};

/* One CSV cell: quoted when needed, formulas neutralised. */
static void
csv_cell(struct sr_buf *b, const char *s)
{
    int needs_quote = strpbrk(s, ",\"\r\n") != NULL;
    int is_formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    if (needs_quote) {
        sr_buf_addc(b, '"');
    }
    if (is_formula) {
        sr_buf_addc(b, '\'');
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            sr_buf_addc(b, '"');
        }
        sr_buf_addc(b, *p);
    }
    if (needs_quote) {
        sr_buf_addc(b, '"');
    }
}

static void
csv_row(struct sr_buf *b, const char *section, const char *key,
        const char *measure, const char *value)
{
    csv_cell(b, section);
    sr_buf_addc(b, ',');
    csv_cell(b, key);
    sr_buf_addc(b, ',');
    csv_cell(b, measure);
    sr_buf_addc(b, ',');
    csv_cell(b, value);
    sr_buf_adds(b, "\r\n");
}

static void
count_text(int64_t n, char *out, size_t size)
{
    if (n == REPORT_SUPPRESSED) {
        snprintf(out, size, "<%d", REPORT_MIN_CELL);
    } else {
        snprintf(out, size, "%lld", (long long)n);
    }
}

static void
csv_count(struct sr_buf *b, const char *section, const char *key,
          const char *measure, int64_t n)
{
    char v[32];
    count_text(n, v, sizeof v);
    csv_row(b, section, key, measure, v);
}

static void
csv_month(struct sr_buf *b, const char *section, const char *key,
          const struct report_month *m)
{
    csv_count(b, section, key, "contacts", m->total);
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        csv_count(b, section, key, cat_codes[c], m->by_category[c]);
    }
    csv_count(b, section, key, "imminent_danger", m->n_danger);
    csv_count(b, section, key, "people_affected", m->n_affected);
}

static void
csv_breakdown(struct sr_buf *b, const char *section,
              const struct report_breakdown *br, int64_t total)
{
    for (size_t i = 0; i < br->n_items; i++) {
        const struct report_share *s = &br->items[i];
        char v[32];
        csv_count(b, section, s->code, "contacts", s->n);
        if (s->n == REPORT_SUPPRESSED || total == REPORT_SUPPRESSED) {
            csv_row(b, section, s->code, "share_pct", "");
        } else {
            snprintf(v, sizeof v, "%.1f", report_pct(s->n, total));
            csv_row(b, section, s->code, "share_pct", v);
        }
    }
}

static void
ym_text(struct report_ym ym, char out[16])
{
    snprintf(out, 16, "%04d-%02d", ym.year % 10000, ym.month % 100);
}

int
report_csv(const struct report *r, const char *timezone, const char *org_code,
           struct sr_buf *b)
{
    char k[16], v[64];
    sr_buf_adds(b, "section,key,measure,value\r\n");
    ym_text(r->from, k);
    csv_row(b, "report", "from", "month", k);
    ym_text(r->to, k);
    csv_row(b, "report", "to", "month", k);
    csv_row(b, "report", "timezone", "zone", timezone ? timezone : "");
    csv_row(b, "report", "organisation", "code", org_code ? org_code : "all");
    snprintf(v, sizeof v, "%d", r->is_suppressed ? REPORT_MIN_CELL : 0);
    csv_row(b, "report", "suppressed_below", "contacts", v);
    for (size_t i = 0; i < r->n_months; i++) {
        ym_text(r->months[i].ym, k);
        csv_month(b, "month", k, &r->months[i]);
    }
    csv_month(b, "total", "all", &r->sum);
    csv_breakdown(b, "province", &r->province, r->sum.total);
    csv_breakdown(b, "channel", &r->channel, r->sum.total);
    csv_breakdown(b, "language", &r->language, r->sum.total);
    csv_breakdown(b, "sector", &r->sector, r->sum.total);
    for (size_t i = 0; i < r->n_events; i++) {
        csv_row(b, "event", r->events[i].day, r->events[i].kind,
                r->events[i].title);
    }
    if (r->referrals.is_present) {
        for (size_t i = 0; i < r->referrals.n_rows; i++) {
            const struct report_referral_row *x = &r->referrals.rows[i];
            csv_count(b, "referral", x->partner_code, "sent", x->n_sent);
            csv_count(b, "referral", x->partner_code, "acknowledged",
                      x->n_acknowledged);
            csv_count(b, "referral", x->partner_code, "accepted",
                      x->n_accepted);
            csv_count(b, "referral", x->partner_code, "declined",
                      x->n_declined);
            csv_count(b, "referral", x->partner_code, "action_taken",
                      x->n_action);
            csv_count(b, "referral", x->partner_code, "no_action",
                      x->n_no_action);
            snprintf(v, sizeof v, "%.1f", x->median_ack_h);
            csv_row(b, "referral", x->partner_code, "median_ack_hours",
                    x->median_ack_h < 0 ? "" : v);
            snprintf(v, sizeof v, "%.1f", x->median_action_h);
            csv_row(b, "referral", x->partner_code, "median_action_hours",
                    x->median_action_h < 0 ? "" : v);
        }
        csv_count(b, "referral", "trafficking", "referred",
                  r->referrals.n_trafficking_referred);
        csv_count(b, "referral", "trafficking", "action_taken",
                  r->referrals.n_trafficking_actioned);
    }
    /* an append past the cap is dropped whole; a report is far below the
     * cap, so coming near it means something was dropped */
    return b->len + 1024 < b->max ? SR_OK : SR_ETOOBIG;
}

static json_t *
jcount(int64_t n)
{
    return n == REPORT_SUPPRESSED ? json_null() : json_integer(n);
}

static json_t *
jmonth(const struct report_month *m, const char *key_name, const char *key)
{
    json_t *cats = json_object();
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        json_object_set_new(cats, cat_codes[c], jcount(m->by_category[c]));
    }
    json_t *o = json_object();
    json_object_set_new(o, key_name, json_string(key));
    json_object_set_new(o, "contacts", jcount(m->total));
    json_object_set_new(o, "by_category", cats);
    json_object_set_new(o, "imminent_danger", jcount(m->n_danger));
    json_object_set_new(o, "people_affected", jcount(m->n_affected));
    return o;
}

static json_t *
jbreakdown(const struct report_breakdown *br, int64_t total)
{
    json_t *a = json_array();
    for (size_t i = 0; i < br->n_items; i++) {
        const struct report_share *s = &br->items[i];
        json_t *share = s->n == REPORT_SUPPRESSED || total == REPORT_SUPPRESSED
                            ? json_null()
                            : json_real(report_pct(s->n, total));
        json_array_append_new(a, json_pack("{s:s,s:o,s:o}", "code", s->code,
                                           "contacts", jcount(s->n),
                                           "share_pct", share));
    }
    return a;
}

static json_t *
jhours(double h)
{
    return h < 0 ? json_null() : json_real(h);
}

json_t *
report_json(const struct report *r, const char *timezone, const char *org_code)
{
    char k[16], from[16], to[16];
    ym_text(r->from, from);
    ym_text(r->to, to);
    json_t *months = json_array();
    for (size_t i = 0; i < r->n_months; i++) {
        ym_text(r->months[i].ym, k);
        json_array_append_new(months, jmonth(&r->months[i], "month", k));
    }
    json_t *events = json_array();
    for (size_t i = 0; i < r->n_events; i++) {
        json_array_append_new(
            events, json_pack("{s:s,s:s,s:s}", "day", r->events[i].day, "kind",
                              r->events[i].kind, "title", r->events[i].title));
    }
    json_t *refs = json_null();
    if (r->referrals.is_present) {
        json_t *rows = json_array();
        for (size_t i = 0; i < r->referrals.n_rows; i++) {
            const struct report_referral_row *x = &r->referrals.rows[i];
            json_array_append_new(
                rows, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                                "partner", x->partner_code, "name",
                                x->partner_name, "sent", jcount(x->n_sent),
                                "acknowledged", jcount(x->n_acknowledged),
                                "accepted", jcount(x->n_accepted), "declined",
                                jcount(x->n_declined), "action_taken",
                                jcount(x->n_action), "no_action",
                                jcount(x->n_no_action), "median_ack_hours",
                                jhours(x->median_ack_h), "median_action_hours",
                                jhours(x->median_action_h)));
        }
        refs =
            json_pack("{s:o,s:o,s:o}", "partners", rows, "trafficking_referred",
                      jcount(r->referrals.n_trafficking_referred),
                      "trafficking_action_taken",
                      jcount(r->referrals.n_trafficking_actioned));
    }
    json_t *breakdowns = json_pack(
        "{s:o,s:o,s:o,s:o}", "province", jbreakdown(&r->province, r->sum.total),
        "channel", jbreakdown(&r->channel, r->sum.total), "language",
        jbreakdown(&r->language, r->sum.total), "sector",
        jbreakdown(&r->sector, r->sum.total));
    return json_pack(
        "{s:s,s:s,s:s,s:i,s:s,s:b,s:i,s:o,s:o,s:o,s:o,s:o}", "from", from, "to",
        to, "timezone", timezone ? timezone : "", "utc_offset_s", r->offset_s,
        "organisation", org_code ? org_code : "all", "suppressed",
        r->is_suppressed, "min_cell", r->is_suppressed ? REPORT_MIN_CELL : 0,
        "months", months, "total", jmonth(&r->sum, "month", "all"),
        "breakdowns", breakdowns, "events", events, "referrals", refs);
}

/* ---- siren report hotline -------------------------------------------------- */

static const char *
label(const struct vocab_item *list, const char *code)
{
    const char *l = code[0] ? vocab_label(list, code) : "(not given)";
    return l[0] ? l : code;
}

static void
print_count(int64_t n, int width)
{
    char v[32];
    count_text(n, v, sizeof v);
    printf("%*s", width, v);
}

static void
print_breakdown(const char *title, const struct report_breakdown *b,
                const struct vocab_item *list, int64_t total)
{
    printf("\n%s\n", title);
    for (size_t i = 0; i < b->n_items; i++) {
        const char *name =
            list ? label(list, b->items[i].code)
                 : (b->items[i].code[0] ? b->items[i].code : "(not given)");
        printf("  %-34s", name);
        print_count(b->items[i].n, 9);
        if (b->items[i].n != REPORT_SUPPRESSED && total >= 0) {
            printf("  %5.1f%%", report_pct(b->items[i].n, total));
        }
        printf("\n");
    }
}

static void
print_text(const struct report *r, const char *tz, const char *org_code)
{
    char a[16], b[16];
    ym_text(r->from, a);
    ym_text(r->to, b);
    printf("Hotline report %s to %s (months in %s), organisation %s\n", a, b,
           tz, org_code ? org_code : "all");
    printf("\n%-8s %9s %9s %9s %9s %9s\n", "month", "contacts", "labour",
           "traffick.", "danger", "people");
    for (size_t i = 0; i <= r->n_months; i++) {
        const struct report_month *m =
            i < r->n_months ? &r->months[i] : &r->sum;
        if (i < r->n_months) {
            ym_text(m->ym, a);
        } else {
            snprintf(a, sizeof a, "total");
        }
        printf("%-8s ", a);
        print_count(m->total, 9);
        printf(" ");
        print_count(m->by_category[0], 9);
        printf(" ");
        print_count(m->by_category[1], 9);
        printf(" ");
        print_count(m->n_danger, 9);
        printf(" ");
        print_count(m->n_affected, 9);
        printf("\n");
    }
    print_breakdown("By problem province", &r->province, NULL, r->sum.total);
    print_breakdown("By channel", &r->channel, contact_channels, r->sum.total);
    print_breakdown("By language", &r->language, vocab_languages, r->sum.total);
    print_breakdown("By sector", &r->sector, contact_sectors, r->sum.total);
    if (r->n_events > 0) {
        printf("\nEvents\n");
        for (size_t i = 0; i < r->n_events; i++) {
            printf("  %s  %-12s %s\n", r->events[i].day, r->events[i].kind,
                   r->events[i].title);
        }
    }
}

int
report_cli_hotline(struct ws *unused, const struct cli_args *o)
{
    (void)unused;
    const char *fmt = cli_opt(o, "--format");
    const char *org = cli_opt(o, "--org");
    int rc;
    fmt = fmt != NULL ? fmt : "text";
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "csv") != 0 &&
        strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format must be text, csv or json\n");
        return CLI_USAGE;
    }
    struct sr_err err = { 0 };
    struct report_query q;
    memset(&q, 0, sizeof q);
    if (report_parse_ym(cli_opt(o, "--from"), "--from", &q.from, &err) !=
            SR_OK ||
        report_parse_ym(cli_opt(o, "--to"), "--to", &q.to, &err) != SR_OK) {
        return cli_fail(&err);
    }
    struct ws *ws;
    rc = cli_open_workspace(o, 0, &ws);
    if (rc != CLI_OK) {
        return rc;
    }
    if (org != NULL && org_id_by_code(ws->db, org, &q.org_id, &err) != SR_OK) {
        ws_close(ws);
        return cli_fail(&err);
    }
    q.timezone = ws->cfg.timezone;
    struct report r;
    int64_t t0 = sr_now_ms();
    rc = report_hotline(ws->db, &q, &r, &err);
    LOG(LOG_INFO, "event=report_hotline months=%zu ms=%lld", r.n_months,
        (long long)(sr_now_ms() - t0));
    if (rc != SR_OK) {
        report_release(&r);
        ws_close(ws);
        return cli_fail(&err);
    }
    if (strcmp(fmt, "text") == 0) {
        print_text(&r, ws->cfg.timezone, org);
    } else if (strcmp(fmt, "csv") == 0) {
        struct sr_buf b;
        sr_buf_init(&b, 0);
        report_csv(&r, ws->cfg.timezone, org, &b);
        fwrite(b.data, 1, b.len, stdout);
        sr_buf_release(&b);
    } else {
        json_t *j = report_json(&r, ws->cfg.timezone, org);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        fputc('\n', stdout);
        json_decref(j);
    }
    report_release(&r);
    ws_close(ws);
    return CLI_OK;
}

/* ---- siren event add|list ------------------------------------------------- */

static int
print_event(const struct event_row *e, void *ctx)
{
    (void)ctx;
    printf("%s  %-12s %-14s %s\n", e->day, e->kind, e->org_code, e->title);
    return 0;
}

int
event_cli_add(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    int64_t org_id = 0;
    int rc = org_id_by_code(ws->db, cli_opt(o, "--org"), &org_id, &err);
    if (rc == SR_OK) {
        struct event_input in = { o->args[1], cli_opt(o, "--kind"),
                                  cli_opt(o, "--title"), org_id };
        int64_t id;
        rc = event_add(ws->db, ws->vault, 0, &in, &id, &err);
        if (rc == SR_OK) {
            printf("event %lld recorded\n", (long long)id);
        }
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
event_cli_list(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    int64_t org_id = 0;
    const char *org = cli_opt(o, "--org");
    const char *from = cli_opt(o, "--from"), *to = cli_opt(o, "--to");
    int rc = SR_OK;
    if (org != NULL) {
        rc = org_id_by_code(ws->db, org, &org_id, &err);
    }
    if (rc == SR_OK &&
        ((from && !event_day_valid(from)) || (to && !event_day_valid(to)))) {
        rc = sr_err_set(&err, SR_EINVAL,
                        "%s: must be a date YYYY-MM-DD between 2000 and 2100",
                        from && !event_day_valid(from) ? "--from" : "--to");
    } else if (rc == SR_OK) {
        rc = event_list(ws->db, org_id, from, to, print_event, NULL, &err);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}
