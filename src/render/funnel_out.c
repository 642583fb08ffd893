/*
 * funnel_out.c - the justice funnel report as CSV and as JSON: the one
 * writer of each, called by the command line (justice_cli.c, `siren
 * report funnel`) and the web (justice_web.c, /reports/funnel.csv and
 * .json).
 *
 * Owns the funnel's CSV layout (section,period,group,measure,value) and
 * its JSON shape. Must not: query (funnel.c computes the struct), decide
 * policy, print labels (codes, counts and medians only) or escape CSV by
 * hand (core/csv.c does).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/funnel_out.h"

#include <assert.h>
#include <stdio.h>

#include "core/csv.h"
#include "core/err.h"
#include "justice/justice.h"
#include "core/banned.h"

/* One row section,period,group,measure,value (core/csv.h cells). */
static void
csv_line(struct sr_csv *w, const char *section, const char *period,
         const char *group, const char *measure, const char *value)
{
    const char *cells[5] = { section, period, group, measure, value };
    sr_csv_row(w, cells, 5);
}

static void
csv_rows(struct sr_csv *w, const char *section, const struct funnel_row *rows,
         size_t n)
{
    char v[32];
    for (size_t i = 0; i < n; i++) {
        for (int s = 0; s < JS__COUNT; s++) {
            snprintf(v, sizeof v, "%lld", (long long)rows[i].n[s]);
            csv_line(w, section, rows[i].period, rows[i].group,
                     justice_stages[s].code, v);
        }
        snprintf(v, sizeof v, "%lld", (long long)rows[i].n_rescue_no_arrest);
        csv_line(w, section, rows[i].period, rows[i].group,
                 "rescue_without_arrest", v);
        if (section[0] == 't') {
            snprintf(v, sizeof v, "%lld", (long long)rows[i].n_excluded);
            csv_line(w, section, rows[i].period, rows[i].group,
                     "counted_only_in_totals", v);
        }
    }
}

int
funnel_out_csv(const struct funnel_report *r, struct sr_buf *b)
{
    assert(r != NULL && b != NULL);
    struct sr_csv w_, *w = &w_;
    sr_csv_init_buf(w, b, SR_CSV_CRLF);
    csv_line(w, "section", "period", "group", "measure", "value");
    csv_rows(w, "total", r->totals, r->n_totals);
    csv_rows(w,
             funnel_split_name(r->by)[0] ? funnel_split_name(r->by) : "group",
             r->groups, r->n_groups);
    char v[32], key[64];
    for (int s = 0; s + 1 < JS__COUNT; s++) {
        snprintf(key, sizeof key, "%s_to_%s", justice_stages[s].code,
                 justice_stages[s + 1].code);
        snprintf(v, sizeof v, "%lld", (long long)r->medians[s].n_cases);
        csv_line(w, "median", "", key, "cases", v);
        snprintf(v, sizeof v, "%.1f", r->medians[s].median_days);
        csv_line(w, "median", "", key, "days",
                 r->medians[s].n_cases > 0 ? v : "");
    }
    for (size_t i = 0; i < r->n_roles; i++) {
        snprintf(v, sizeof v, "%lld", (long long)r->roles[i].n_linked);
        csv_line(w, "role", "", r->roles[i].role, "in_cases", v);
        snprintf(v, sizeof v, "%lld", (long long)r->roles[i].n_arrested);
        csv_line(w, "role", "", r->roles[i].role, "arrested", v);
    }
    return sr_csv_status(w);
}

static json_t *
json_rows(const struct funnel_row *rows, size_t n, int is_totals)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "period", json_string(rows[i].period));
        if (!is_totals) {
            json_object_set_new(o, "group", json_string(rows[i].group));
        }
        json_t *st = json_object();
        for (int s = 0; s < JS__COUNT; s++) {
            json_object_set_new(st, justice_stages[s].code,
                                json_integer(rows[i].n[s]));
        }
        json_object_set_new(o, "stages", st);
        json_object_set_new(o, "rescue_without_arrest",
                            json_integer(rows[i].n_rescue_no_arrest));
        if (is_totals) {
            json_object_set_new(o, "counted_only_in_totals",
                                json_integer(rows[i].n_excluded));
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *
funnel_out_json(const struct funnel_report *r)
{
    assert(r != NULL);
    json_t *root = json_object();
    json_object_set_new(root, "period",
                        json_string(funnel_period_name(r->period)));
    json_object_set_new(root, "by", json_string(funnel_split_name(r->by)));
    json_object_set_new(root, "cases", json_integer(r->n_cases));
    json_object_set_new(root, "counted_only_in_totals",
                        json_integer(r->n_excluded));
    json_object_set_new(root, "totals", json_rows(r->totals, r->n_totals, 1));
    json_object_set_new(root, "groups", json_rows(r->groups, r->n_groups, 0));
    json_t *med = json_array();
    for (int s = 0; s + 1 < JS__COUNT; s++) {
        json_t *o = json_object();
        json_object_set_new(o, "from", json_string(justice_stages[s].code));
        json_object_set_new(o, "to", json_string(justice_stages[s + 1].code));
        json_object_set_new(o, "cases", json_integer(r->medians[s].n_cases));
        json_object_set_new(o, "median_days",
                            r->medians[s].n_cases > 0
                                ? json_real(r->medians[s].median_days)
                                : json_null());
        json_array_append_new(med, o);
    }
    json_object_set_new(root, "medians", med);
    json_t *roles = json_array();
    for (size_t i = 0; i < r->n_roles; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "role", json_string(r->roles[i].role));
        json_object_set_new(o, "in_cases", json_integer(r->roles[i].n_linked));
        json_object_set_new(o, "arrested",
                            json_integer(r->roles[i].n_arrested));
        json_array_append_new(roles, o);
    }
    json_object_set_new(root, "roles", roles);
    return root;
}
