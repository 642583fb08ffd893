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

#include "cli/justice_cli.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "hotline/event.h"
#include "hotline/report.h"
#include "core/log.h"
#include "base/org.h"
#include "base/workspace.h"
#include "render/report_out.h"
#include "core/banned.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

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
ym_text(struct report_ym ym, char out[16])
{
    snprintf(out, 16, "%04d-%02d", ym.year % 10000, ym.month % 100);
}

/* ---- options -------------------------------------------------------------- */

struct ropts {
    const char *workspace, *passphrase_file, *from, *to, *format, *org;
    const char *kind, *title;
    const char *args[4];
    int n_args;
};

static int
parse(int argc, char **argv, struct ropts *o)
{
    static const struct cli_option specs[] = {
        CLI_OPT(struct ropts, "-w", workspace),
        CLI_OPT(struct ropts, "--workspace", workspace),
        CLI_OPT(struct ropts, "--passphrase-file", passphrase_file),
        CLI_OPT(struct ropts, "--from", from),
        CLI_OPT(struct ropts, "--to", to),
        CLI_OPT(struct ropts, "--format", format),
        CLI_OPT(struct ropts, "--org", org),
        CLI_OPT(struct ropts, "--kind", kind),
        CLI_OPT(struct ropts, "--title", title),
    };
    return cli_parse_options(argc, argv, specs, sizeof specs / sizeof specs[0],
                             o, sizeof *o, o->args, 4, &o->n_args);
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
report_cli_main(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "funnel") == 0) {
        return justice_cli_report(argc, argv);
    }
    struct ropts o;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OK) {
        return rc;
    }
    const char *fmt = o.format ? o.format : "text";
    if (o.n_args != 1 || strcmp(o.args[0], "hotline") != 0 || o.from == NULL ||
        o.to == NULL) {
        fprintf(stderr, "usage: siren report hotline --from YYYY-MM --to "
                        "YYYY-MM [--format text|csv|json] [--org CODE]\n");
        return EXIT_USAGE;
    }
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "csv") != 0 &&
        strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format must be text, csv or json\n");
        return EXIT_USAGE;
    }
    struct sr_err err = { 0 };
    struct report_query q;
    memset(&q, 0, sizeof q);
    if (report_parse_ym(o.from, "--from", &q.from, &err) != SR_OK ||
        report_parse_ym(o.to, "--to", &q.to, &err) != SR_OK) {
        return cli_fail(&err);
    }
    struct ws *ws;
    rc = cli_open_workspace(o.workspace, o.passphrase_file, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    if (o.org != NULL &&
        org_id_by_code(ws->db, o.org, &q.org_id, &err) != SR_OK) {
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
        print_text(&r, ws->cfg.timezone, o.org);
    } else if (strcmp(fmt, "csv") == 0) {
        struct sr_buf b;
        sr_buf_init(&b, 0);
        report_out_csv(&r, ws->cfg.timezone, o.org, &b);
        fwrite(b.data, 1, b.len, stdout);
        sr_buf_release(&b);
    } else {
        json_t *j = report_out_json(&r, ws->cfg.timezone, o.org);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        fputc('\n', stdout);
        json_decref(j);
    }
    report_release(&r);
    ws_close(ws);
    return EXIT_OK;
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
event_cli_main(int argc, char **argv)
{
    struct ropts o;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OK) {
        return rc;
    }
    const char *sub = o.n_args > 0 ? o.args[0] : "";
    int is_add = strcmp(sub, "add") == 0;
    if (!(is_add || strcmp(sub, "list") == 0) ||
        (is_add && (o.n_args != 2 || o.kind == NULL || o.title == NULL ||
                    o.org == NULL))) {
        fprintf(stderr, "usage: siren event add YYYY-MM-DD --kind "
                        "campaign|broadcast|registration|other --title TEXT "
                        "--org CODE\n       siren event list [--org CODE] "
                        "[--from YYYY-MM-DD] [--to YYYY-MM-DD]\n");
        return EXIT_USAGE;
    }
    struct ws *ws;
    rc = cli_open_workspace(o.workspace, o.passphrase_file, 0, &ws);
    if (rc != EXIT_OK) {
        return rc;
    }
    struct sr_err err = { 0 };
    int64_t org_id = 0;
    if (o.org != NULL) {
        rc = org_id_by_code(ws->db, o.org, &org_id, &err);
    }
    if (rc == SR_OK && is_add) {
        struct event_input in = { o.args[1], o.kind, o.title, org_id };
        int64_t id;
        rc = event_add(ws->db, ws->vault, 0, &in, &id, &err);
        if (rc == SR_OK) {
            printf("event %lld recorded\n", (long long)id);
        }
    } else if (rc == SR_OK && ((o.from && !event_day_valid(o.from)) ||
                               (o.to && !event_day_valid(o.to)))) {
        rc = sr_err_set(&err, SR_EINVAL,
                        "%s: must be a date YYYY-MM-DD between 2000 and 2100",
                        o.from && !event_day_valid(o.from) ? "--from" : "--to");
    } else if (rc == SR_OK) {
        rc = event_list(ws->db, org_id, o.from, o.to, print_event, NULL, &err);
    }
    ws_close(ws);
    return rc == SR_OK ? EXIT_OK : cli_fail(&err);
}
