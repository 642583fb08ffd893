/*
 * justice_cli.c - `siren justice`, `siren entity` and `siren report
 * funnel`: call justice.c, entity.c, network.c and funnel.c as the
 * holder of the workspace passphrase (principal_local(), narrowed to one
 * organisation by --org where a command has it), print (cli.c parses).
 *
 * Owns no data. Offenders' names and phones are read only from files or
 * standard input, never from argv, which other users of the machine can
 * see. Prints codes and counts, not identities, except for `entity show
 * --identity`, whose read is audited by entity_identity().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/justice_cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/principal.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "justice/entity.h"
#include "justice/funnel.h"
#include "justice/justice.h"
#include "core/log.h"
#include "justice/network.h"
#include "base/org.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "render/funnel_out.h"

#include "core/banned.h"

/*
 * Split s in place at sep into at most max parts (empty parts dropped).
 * Returns the count, or -1 when there are more than max.
 */
static int
split(char *s, char sep, char **parts, int max)
{
    int n = 0;
    char *p = s;
    while (p != NULL && *p != '\0') {
        char *end = strchr(p, sep);
        if (end != NULL) {
            *end = '\0';
        }
        size_t len = strlen(p);
        while (len > 0 && p[len - 1] == '\r') {
            p[--len] = '\0';
        }
        if (len > 0) {
            if (n == max) {
                return -1;
            }
            parts[n++] = p;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return n;
}

static const char *
stage_code(int stage)
{
    return stage >= 0 && stage < JS__COUNT ? justice_stages[stage].code : "-";
}

static void
print_codes(const struct vocab_item *list)
{
    for (int i = 0; list[i].code != NULL; i++) {
        fprintf(stderr, "%s%s", i ? ", " : "", list[i].code);
    }
    fprintf(stderr, ")\n");
}

/* ---- justice ------------------------------------------------------------ */

static int
print_event(const struct justice_event_row *r, void *ctx)
{
    (void)ctx;
    char day[11];
    justice_format_day(r->occurred_at, day);
    printf("%s  %-22s %-14s %-22s %s\n", day, r->kind,
           r->agency_code[0] ? r->agency_code : r->agency_kind,
           r->reason[0] ? r->reason : "-",
           r->perpetrators[0] ? r->perpetrators : "-");
    return 0;
}

/* The justice case of code for action into *c: CLI_OK, or CLI_FAIL after
 * printing why. */
static int
case_of(struct ws *ws, const struct cli_args *o, enum action action,
        const char *code, struct justice_case *c)
{
    struct sr_err err = { 0 };
    if (justice_case_by_code(ws->db, &o->who, action, code, c, &err) != SR_OK) {
        return cli_fail(&err);
    }
    return CLI_OK;
}

int
justice_cli_add(struct ws *ws, const struct cli_args *o)
{
    if (justice_kind_stage(cli_opt(o, "--stage")) < 0) {
        fprintf(stderr, "siren: --stage: unknown event kind '%s' (one of ",
                cli_opt(o, "--stage"));
        print_codes(justice_event_kinds);
        return CLI_FAIL;
    }
    struct justice_case c;
    if (case_of(ws, o, ACT_JUSTICE_RECORD, o->args[1], &c) != CLI_OK) {
        return CLI_FAIL;
    }
    char perps[1024];
    char *list[33];
    int n = 0;
    if (cli_opt(o, "--perpetrators") != NULL) {
        if (strlen(cli_opt(o, "--perpetrators")) >= sizeof perps) {
            fprintf(stderr, "siren: --perpetrators: too long\n");
            return CLI_FAIL;
        }
        snprintf(perps, sizeof perps, "%s", cli_opt(o, "--perpetrators"));
        n = split(perps, ',', list, 32);
        if (n < 0) {
            fprintf(stderr, "siren: --perpetrators: at most 32\n");
            return CLI_FAIL;
        }
    }
    struct justice_event_input in = {
        cli_opt(o, "--stage"),
        cli_opt(o, "--date"),
        cli_opt(o, "--agency"),
        cli_opt(o, "--agency-kind"),
        cli_opt(o, "--reason"),
        (const char *const *)list,
        (size_t)n,
    };
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int64_t id;
    if (justice_add_event(ws->db, ws->vault, who, c.id, &in, &id, &err) !=
        SR_OK) {
        return cli_fail(&err);
    }
    printf("recorded event %lld (%s) on %s\n", (long long)id,
           cli_opt(o, "--stage"), c.code);
    return CLI_OK;
}

int
justice_cli_list(struct ws *ws, const struct cli_args *o)
{
    struct justice_case c;
    if (case_of(ws, o, ACT_CASE_READ, o->args[1], &c) != CLI_OK) {
        return CLI_FAIL;
    }
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    printf("%s: furthest stage %s\n", c.code, stage_code(c.stage));
    if (justice_list_events(ws->db, who, c.id, print_event, NULL, &err) !=
        SR_OK) {
        return cli_fail(&err);
    }
    return CLI_OK;
}

/* ---- entity ------------------------------------------------------------- */

int
entity_cli_add(struct ws *ws, const struct cli_args *o)
{
    struct sr_err err = { 0 };
    struct entity_input in;
    memset(&in, 0, sizeof in);
    const char *kind = cli_opt(o, "--kind");
    in.kind = kind;
    in.country = cli_opt(o, "--country");
    /* a role code as the kind ("broker") means a person in that role */
    if (vocab_find(entity_kinds, kind) < 0 && entity_role_bit(kind)) {
        in.kind = "person";
        in.roles = entity_role_bit(kind);
    }
    if (vocab_find(entity_kinds, in.kind) < 0) {
        fprintf(stderr, "siren: --kind: unknown kind '%s' (one of ", kind);
        print_codes(entity_kinds);
        return CLI_FAIL;
    }
    if (cli_opt(o, "--roles") != NULL) {
        char roles[512];
        char *parts[16];
        snprintf(roles, sizeof roles, "%s", cli_opt(o, "--roles"));
        int n = split(roles, ',', parts, 16);
        for (int i = 0; i < n; i++) {
            int64_t bit = entity_role_bit(parts[i]);
            if (bit == 0) {
                fprintf(stderr, "siren: --roles: unknown role '%s'\n",
                        parts[i]);
                return CLI_FAIL;
            }
            in.roles |= bit;
        }
        if (n < 0) {
            fprintf(stderr, "siren: --roles: too many\n");
            return CLI_FAIL;
        }
    }
    if (cli_opt(o, "--phone-file") != NULL &&
        strcmp(cli_opt(o, "--phone-file"), "-") == 0 &&
        strcmp(cli_opt(o, "--name-file"), "-") == 0) {
        fprintf(stderr, "siren: --phone-file: standard input already holds "
                        "the name\n");
        return CLI_USAGE;
    }
    /* the command line acts for the organisation that records it */
    const struct principal *who = &o->who;
    struct sr_buf name, phones;
    sr_buf_init(&name, 4096);
    sr_buf_init(&phones, 4096);
    int rc = cli_read_text(cli_opt(o, "--name-file"), &name) == 0 ? CLI_OK
                                                                  : CLI_FAIL;
    if (rc == CLI_OK && cli_opt(o, "--phone-file") != NULL &&
        cli_read_text(cli_opt(o, "--phone-file"), &phones) != 0) {
        rc = CLI_FAIL;
    }
    char *list[ENTITY_MAX_IDENTIFIERS];
    int n = rc == CLI_OK
                ? split(phones.data, '\n', list, ENTITY_MAX_IDENTIFIERS)
                : 0;
    if (n < 0) {
        fprintf(stderr, "siren: --phone-file: at most %d phones\n",
                ENTITY_MAX_IDENTIFIERS);
        rc = CLI_FAIL;
    }
    if (rc == CLI_OK) {
        in.name = name.data;
        for (int i = 0; i < n; i++) {
            in.id_kinds[i] = "phone";
            in.id_values[i] = list[i];
        }
        in.n_identifiers = (size_t)n;
        in.phone_region = ws->cfg.phone_region;
        char code[32];
        int64_t id;
        int n_sugg = 0;
        if (entity_add(ws->db, ws->vault, who, &in, code, &id, &n_sugg, &err) !=
            SR_OK) {
            rc = cli_fail(&err);
        } else {
            printf("%s\n", code);
            if (n_sugg > 0) {
                printf("%d link(s) suggested by a shared identifier; see "
                       "'siren entity show %s'\n",
                       n_sugg, code);
            }
        }
    }
    vault_buf_wipe(&name);
    vault_buf_wipe(&phones);
    return rc;
}

static int
two_entities(struct ws *ws, const struct cli_args *o, struct entity_row *a,
             struct entity_row *b)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    if (entity_by_code(ws->db, who, o->args[1], a, &err) != SR_OK ||
        entity_by_code(ws->db, who, o->args[2], b, &err) != SR_OK) {
        return cli_fail(&err);
    }
    return CLI_OK;
}

int
entity_cli_link(struct ws *ws, const struct cli_args *o)
{
    struct entity_row a, b;
    int rc = two_entities(ws, o, &a, &b);
    if (rc != CLI_OK) {
        return rc;
    }
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int64_t id;
    if (entity_link(ws->db, ws->vault, who, a.id, b.id, cli_opt(o, "--kind"),
                    cli_opt(o, "--source"), cli_opt(o, "--confidence"), &id,
                    &err) != SR_OK) {
        return cli_fail(&err);
    }
    printf("link %lld: %s %s %s (confirmed)\n", (long long)id, a.code,
           cli_opt(o, "--kind"), b.code);
    return CLI_OK;
}

int
entity_cli_case(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    struct entity_row e;
    struct justice_case c;
    if (entity_by_code(ws->db, who, o->args[1], &e, &err) != SR_OK) {
        return cli_fail(&err);
    }
    if (case_of(ws, o, ACT_CASE_READ, o->args[2], &c) != CLI_OK) {
        return CLI_FAIL;
    }
    if (entity_link_case(ws->db, ws->vault, who, e.id, c.id,
                         cli_opt(o, "--role"), cli_opt(o, "--source"),
                         cli_opt(o, "--confidence"), &err) != SR_OK) {
        return cli_fail(&err);
    }
    printf("%s linked to %s as %s\n", e.code, c.code, cli_opt(o, "--role"));
    return CLI_OK;
}

int
entity_cli_decide(struct ws *ws, const struct cli_args *o)
{
    long long id;
    int is_confirmed = o->args[0][0] == 'c';
    if (sr_parse_i64(o->args[1], 1, INT64_MAX, &id) != SR_OK) {
        return cli_usage_error(o, "LINK_ID must be a link id");
    }
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    if (entity_decide_link(ws->db, ws->vault, who, id, is_confirmed, &err) !=
        SR_OK) {
        return cli_fail(&err);
    }
    printf("link %lld %s\n", id, is_confirmed ? "confirmed" : "rejected");
    return CLI_OK;
}

static int
print_entity_line(const struct entity_row *r, void *ctx)
{
    int *rank = ctx;
    if (rank != NULL) {
        printf("%4d ", ++*rank);
    }
    printf("%-12s %-18s %-2s ", r->code, r->kind,
           r->country[0] ? r->country : "-");
    cli_print_bits(stdout, entity_roles, (uint64_t)r->roles);
    printf("  cases %lld  victims %lld  stage %s\n", (long long)r->n_cases,
           (long long)r->n_victims, stage_code(r->stage));
    return 0;
}

static int
print_entity_case(const struct entity_case_row *r, void *ctx)
{
    (void)ctx;
    printf("  %-12s %-16s %-18s %-7s victims %lld  stage %s\n", r->case_code,
           r->role, r->source, r->confidence, (long long)r->n_victims,
           stage_code(r->stage));
    return 0;
}

static int
print_entity_link(const struct entity_link_row *r, void *ctx)
{
    (void)ctx;
    printf("  %-5lld %s %-14s %-12s %-10s %-18s %s\n", (long long)r->id,
           r->is_outgoing ? "->" : "<-", r->kind, r->other_code, r->state,
           r->source, r->confidence);
    return 0;
}

int
entity_cli_show(struct ws *ws, const struct cli_args *o)
{
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    struct entity_row e;
    if (entity_by_code(ws->db, who, o->args[1], &e, &err) != SR_OK) {
        return cli_fail(&err);
    }
    printf("%-16s%s\n%-16s%s\n%-16s%s\n%-16s", "code", e.code, "kind", e.kind,
           "country", e.country[0] ? e.country : "-", "roles");
    cli_print_bits(stdout, entity_roles, (uint64_t)e.roles);
    printf("\n%-16s%lld\n%-16s%lld\n%-16s%s\n", "cases", (long long)e.n_cases,
           "victims", (long long)e.n_victims, "furthest stage",
           stage_code(e.stage));
    if (cli_flag(o, "--identity")) {
        struct sr_buf name, details;
        sr_buf_init(&name, 0);
        sr_buf_init(&details, 0);
        int rc = entity_identity(ws->db, ws->vault, who, e.id, &name, &details,
                                 &err);
        if (rc == SR_OK) {
            printf("%-16s%s\n%s%s", "name", name.data, details.data,
                   details.len > 0 && details.data[details.len - 1] != '\n'
                       ? "\n"
                       : "");
        }
        vault_buf_wipe(&name);
        vault_buf_wipe(&details);
        if (rc != SR_OK) {
            return cli_fail(&err);
        }
    }
    printf("cases:\n");
    int rc = entity_cases(ws->db, who, e.id, print_entity_case, NULL, &err);
    if (rc == SR_OK) {
        printf("links (id, direction, kind, other, state, source, "
               "confidence):\n");
        rc = entity_links(ws->db, who, e.id, print_entity_link, NULL, &err);
    }
    return rc == SR_OK ? CLI_OK : cli_fail(&err);
}

int
entity_cli_list(struct ws *ws, const struct cli_args *o)
{
    long long limit = 100;
    if (cli_opt(o, "--limit") != NULL &&
        sr_parse_i64(cli_opt(o, "--limit"), 1, 1000, &limit) != SR_OK) {
        fprintf(stderr, "siren: --limit: must be 1 to 1000\n");
        return CLI_FAIL;
    }
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    int rank = 0;
    if (entity_list(ws->db, who,
                    cli_flag(o, "--ranked") ? ENTITY_BY_RANK : ENTITY_BY_CODE,
                    0, limit, print_entity_line,
                    cli_flag(o, "--ranked") ? &rank : NULL, &err) != SR_OK) {
        return cli_fail(&err);
    }
    return CLI_OK;
}

static json_t *
network_to_json(const struct network *g)
{
    json_t *root = json_object();
    json_object_set_new(root, "centre", json_string(g->nodes[0].code));
    json_object_set_new(root, "capped", json_boolean(g->is_capped));
    json_t *nodes = json_array();
    for (size_t i = 0; i < g->n_nodes; i++) {
        const struct net_node *n = &g->nodes[i];
        json_t *j = json_object();
        json_object_set_new(j, "code", json_string(n->code));
        json_object_set_new(j, "type",
                            json_string(n->is_case ? "case" : "entity"));
        if (!n->is_case) {
            json_object_set_new(j, "kind", json_string(n->kind));
        } else {
            json_object_set_new(j, "victims", json_integer(n->n_victims));
        }
        json_object_set_new(j, "depth", json_integer(n->depth));
        json_object_set_new(j, "stage", json_string(stage_code(n->stage)));
        json_array_append_new(nodes, j);
    }
    json_object_set_new(root, "nodes", nodes);
    json_t *edges = json_array();
    for (size_t i = 0; i < g->n_edges; i++) {
        const struct net_edge *e = &g->edges[i];
        json_t *j = json_object();
        json_object_set_new(j, "a", json_string(g->nodes[e->a].code));
        json_object_set_new(j, "b", json_string(g->nodes[e->b].code));
        json_object_set_new(j, "kind", json_string(e->kind));
        json_array_append_new(edges, j);
    }
    json_object_set_new(root, "edges", edges);
    return root;
}

int
entity_cli_network(struct ws *ws, const struct cli_args *o)
{
    const char *fmt =
        cli_opt(o, "--format") != NULL ? cli_opt(o, "--format") : "text";
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format: must be text or json\n");
        return CLI_FAIL;
    }
    const struct principal *who = &o->who;
    struct sr_err err = { 0 };
    struct entity_row e;
    if (entity_by_code(ws->db, who, o->args[1], &e, &err) != SR_OK) {
        return cli_fail(&err);
    }
    struct network g;
    if (network_build(ws->db, who, e.id, NETWORK_MAX_NODES, &g, &err) !=
        SR_OK) {
        return cli_fail(&err);
    }
    if (strcmp(fmt, "json") == 0) {
        json_t *j = network_to_json(&g);
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("%zu nodes, %zu edges%s\n", g.n_nodes, g.n_edges,
               g.is_capped ? " (capped)" : "");
        for (size_t i = 0; i < g.n_nodes; i++) {
            const struct net_node *n = &g.nodes[i];
            printf("  %d %-12s %-18s", n->depth, n->code,
                   n->is_case ? "case" : n->kind);
            if (n->is_case) {
                printf(" victims %lld", (long long)n->n_victims);
            }
            printf(" stage %s\n", stage_code(n->stage));
        }
    }
    network_release(&g);
    return CLI_OK;
}

/* ---- report funnel ------------------------------------------------------ */

static void
print_rows(const struct funnel_row *rows, size_t n, int is_totals)
{
    printf("%-8s %-20s", "period", is_totals ? "" : "group");
    for (int s = 0; s < JS__COUNT; s++) {
        printf(" %s", justice_stages[s].code);
    }
    printf(" rescued_no_arrest%s\n", is_totals ? " only_in_totals" : "");
    for (size_t i = 0; i < n; i++) {
        const struct funnel_row *r = &rows[i];
        printf("%-8s %-20s", r->period, is_totals ? "all" : r->group);
        for (int s = 0; s < JS__COUNT; s++) {
            printf(" %*lld", (int)strlen(justice_stages[s].code),
                   (long long)r->n[s]);
        }
        printf(" %17lld", (long long)r->n_rescue_no_arrest);
        if (is_totals) {
            printf(" %14lld", (long long)r->n_excluded);
        }
        printf("\n");
    }
}

static void
print_funnel(const struct funnel_report *r)
{
    printf("funnel: %lld cases, %lld counted only in totals (all their "
           "victims declined research use); period %s",
           (long long)r->n_cases, (long long)r->n_excluded,
           funnel_period_name(r->period));
    if (r->by != FUNNEL_BY_NONE) {
        printf(", by %s", funnel_split_name(r->by));
    }
    printf("\n\n");
    print_rows(r->totals, r->n_totals, 1);
    if (r->by != FUNNEL_BY_NONE) {
        printf("\n");
        print_rows(r->groups, r->n_groups, 0);
    }
    printf("\nmedian days between stages:\n");
    for (int s = 0; s + 1 < JS__COUNT; s++) {
        printf("  %-12s -> %-12s ", justice_stages[s].code,
               justice_stages[s + 1].code);
        if (r->medians[s].n_cases > 0) {
            printf("%8.1f  (%lld cases)\n", r->medians[s].median_days,
                   (long long)r->medians[s].n_cases);
        } else {
            printf("%8s  (0 cases)\n", "-");
        }
    }
    printf("\nperpetrator roles arrested:\n");
    for (size_t i = 0; i < r->n_roles; i++) {
        printf("  %-16s in %lld case links, arrested in %lld\n",
               r->roles[i].role, (long long)r->roles[i].n_linked,
               (long long)r->roles[i].n_arrested);
    }
}

int
justice_cli_funnel(struct ws *unused, const struct cli_args *o)
{
    (void)unused;
    int rc;
    const char *fmt = cli_opt(o, "--format");
    const char *period_s = cli_opt(o, "--period");
    const char *from_s = cli_opt(o, "--from"), *to_s = cli_opt(o, "--to");
    const char *org = cli_opt(o, "--org");
    fmt = fmt != NULL ? fmt : "text";
    struct sr_err err = { 0 };
    enum funnel_period period;
    enum funnel_split by;
    if (funnel_parse_period(period_s != NULL ? period_s : "half", &period,
                            &err) != SR_OK ||
        funnel_parse_split(cli_opt(o, "--by"), &by, &err) != SR_OK) {
        fprintf(stderr, "siren: --%s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    if (strcmp(fmt, "text") != 0 && strcmp(fmt, "csv") != 0 &&
        strcmp(fmt, "json") != 0) {
        fprintf(stderr, "siren: --format: must be text, csv or json\n");
        return CLI_FAIL;
    }
    int64_t from = 0, to = 0;
    if ((from_s != NULL &&
         justice_parse_day(from_s, "--from", &from, &err) != SR_OK) ||
        (to_s != NULL && justice_parse_day(to_s, "--to", &to, &err) != SR_OK)) {
        return cli_fail(&err);
    }
    if (to_s != NULL) {
        to += 86400; /* --to is the last day included */
    }
    if (to_s != NULL && to <= from) {
        fprintf(stderr, "siren: --to: must not be before --from\n");
        return CLI_FAIL;
    }
    struct ws *ws;
    rc = cli_open_workspace(o, 0, &ws);
    if (rc != CLI_OK) {
        return rc;
    }
    /* --org narrows the command line's principal to one organisation */
    struct principal who = principal_local();
    if (org != NULL &&
        org_id_by_code(ws->db, org, &who.org_id, &err) != SR_OK) {
        ws_close(ws);
        return cli_fail(&err);
    }
    struct funnel_report r;
    int64_t t0 = sr_now_ms();
    if (funnel_compute(ws->db, &who, from, to, period, by, &r, &err) != SR_OK) {
        ws_close(ws);
        return cli_fail(&err);
    }
    LOG(LOG_INFO, "event=report_funnel cases=%lld ms=%lld",
        (long long)r.n_cases, (long long)(sr_now_ms() - t0));
    if (strcmp(fmt, "text") == 0) {
        print_funnel(&r);
    } else if (strcmp(fmt, "csv") == 0) {
        struct sr_buf b;
        sr_buf_init(&b, 0);
        rc = funnel_out_csv(&r, &b) == SR_OK ? CLI_OK : CLI_FAIL;
        fwrite(b.data, 1, b.len, stdout);
        sr_buf_release(&b);
    } else {
        json_t *j = funnel_out_json(&r);
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
    }
    funnel_release(&r);
    ws_close(ws);
    return rc;
}
