/*
 * report_cli.c - the command line of the monthly report and of events;
 * the report's CSV and JSON come from render/report_out.c.
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
#include "hotline/report.h"
#include "render/report_out.h"
#include "core/banned.h"

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
    report_out_count(n, v, sizeof v);
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
    report_out_ym(r->from, a);
    report_out_ym(r->to, b);
    printf("Hotline report %s to %s (months in %s), organisation %s\n", a, b,
           tz, org_code ? org_code : "all");
    printf("\n%-8s %9s %9s %9s %9s %9s\n", "month", "contacts", "labour",
           "traffick.", "danger", "people");
    for (size_t i = 0; i <= r->n_months; i++) {
        const struct report_month *m =
            i < r->n_months ? &r->months[i] : &r->sum;
        if (i < r->n_months) {
            report_out_ym(m->ym, a);
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
        report_out_csv(&r, ws->cfg.timezone, org, &b);
        fwrite(b.data, 1, b.len, stdout);
        sr_buf_release(&b);
    } else {
        json_t *j = report_out_json(&r, ws->cfg.timezone, org);
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
