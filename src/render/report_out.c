/*
 * report_out.c - the monthly hotline report as CSV and as JSON: the one
 * writer of each, called by the command line (report_cli.c) and the web
 * (report_web.c), so every front door gives the same bytes.
 *
 * Owns the report's CSV layout (section,key,measure,value) and its JSON
 * shape. Must not: query (report.c computes the struct), decide policy or
 * suppression (the report arrives already suppressed), print labels
 * (codes only) or escape CSV by hand (core/csv.c does).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/report_out.h"

#include <assert.h>
#include <stdio.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/banned.h"

static const char *const cat_codes[REPORT_N_CATEGORIES] = {
    "labour_rights", "trafficking",      "safe_migration",
    "documents",     "other_assistance", "not_relevant",
};

/* One row section,key,measure,value: text cells, guarded (core/csv.h). */
static void
csv_row(struct sr_csv *w, const char *section, const char *key,
        const char *measure, const char *value)
{
    const char *cells[4] = { section, key, measure, value };
    sr_csv_row(w, cells, 4);
}

void
report_out_count(int64_t n, char *out, size_t size)
{
    if (n == REPORT_SUPPRESSED) {
        snprintf(out, size, "<%d", REPORT_MIN_CELL);
    } else if (n == REPORT_WITHHELD) {
        snprintf(out, size, "x");
    } else {
        snprintf(out, size, "%lld", (long long)n);
    }
}

static void
csv_count(struct sr_csv *w, const char *section, const char *key,
          const char *measure, int64_t n)
{
    char v[32];
    report_out_count(n, v, sizeof v);
    csv_row(w, section, key, measure, v);
}

static void
csv_month(struct sr_csv *w, const char *section, const char *key,
          const struct report_month *m)
{
    csv_count(w, section, key, "contacts", m->total);
    for (int c = 0; c < REPORT_N_CATEGORIES; c++) {
        csv_count(w, section, key, cat_codes[c], m->by_category[c]);
    }
    csv_count(w, section, key, "imminent_danger", m->n_danger);
    csv_count(w, section, key, "people_affected", m->n_affected);
}

static void
csv_breakdown(struct sr_csv *w, const char *section,
              const struct report_breakdown *br, int64_t total)
{
    for (size_t i = 0; i < br->n_items; i++) {
        const struct report_share *s = &br->items[i];
        char v[32];
        csv_count(w, section, s->code, "contacts", s->n);
        if (s->n < 0 || total < 0) { /* hidden */
            csv_row(w, section, s->code, "share_pct", "");
        } else {
            snprintf(v, sizeof v, "%.1f", report_pct(s->n, total));
            csv_row(w, section, s->code, "share_pct", v);
        }
    }
}

void
report_out_ym(struct report_ym ym, char out[16])
{
    snprintf(out, 16, "%04d-%02d", ym.year % 10000, ym.month % 100);
}

int
report_out_csv(const struct report *r, const char *timezone,
               const char *org_code, struct sr_buf *b)
{
    assert(r != NULL && b != NULL);
    char k[16], v[64];
    struct sr_csv w_, *w = &w_;
    sr_csv_init_buf(w, b, SR_CSV_CRLF);
    csv_row(w, "section", "key", "measure", "value");
    report_out_ym(r->from, k);
    csv_row(w, "report", "from", "month", k);
    report_out_ym(r->to, k);
    csv_row(w, "report", "to", "month", k);
    csv_row(w, "report", "timezone", "zone", timezone ? timezone : "");
    csv_row(w, "report", "organisation", "code", org_code ? org_code : "all");
    snprintf(v, sizeof v, "%d", r->is_suppressed ? REPORT_MIN_CELL : 0);
    csv_row(w, "report", "suppressed_below", "contacts", v);
    for (size_t i = 0; i < r->n_months; i++) {
        report_out_ym(r->months[i].ym, k);
        csv_month(w, "month", k, &r->months[i]);
    }
    csv_month(w, "total", "all", &r->sum);
    csv_breakdown(w, "province", &r->province, r->sum.total);
    csv_breakdown(w, "channel", &r->channel, r->sum.total);
    csv_breakdown(w, "language", &r->language, r->sum.total);
    csv_breakdown(w, "sector", &r->sector, r->sum.total);
    for (size_t i = 0; i < r->n_events; i++) {
        csv_row(w, "event", r->events[i].day, r->events[i].kind,
                r->events[i].title);
    }
    if (r->referrals.is_present) {
        for (size_t i = 0; i < r->referrals.n_rows; i++) {
            const struct report_referral_row *x = &r->referrals.rows[i];
            csv_count(w, "referral", x->partner_code, "sent", x->n_sent);
            csv_count(w, "referral", x->partner_code, "acknowledged",
                      x->n_acknowledged);
            csv_count(w, "referral", x->partner_code, "accepted",
                      x->n_accepted);
            csv_count(w, "referral", x->partner_code, "declined",
                      x->n_declined);
            csv_count(w, "referral", x->partner_code, "action_taken",
                      x->n_action);
            csv_count(w, "referral", x->partner_code, "no_action",
                      x->n_no_action);
            snprintf(v, sizeof v, "%.1f", x->median_ack_h);
            csv_row(w, "referral", x->partner_code, "median_ack_hours",
                    x->median_ack_h < 0 ? "" : v);
            snprintf(v, sizeof v, "%.1f", x->median_action_h);
            csv_row(w, "referral", x->partner_code, "median_action_hours",
                    x->median_action_h < 0 ? "" : v);
        }
        csv_count(w, "referral", "trafficking", "referred",
                  r->referrals.n_trafficking_referred);
        csv_count(w, "referral", "trafficking", "action_taken",
                  r->referrals.n_trafficking_actioned);
    }
    /* a report is far below the cap, so coming near it means something
     * was dropped */
    return sr_csv_status(w) == SR_OK && b->len + 1024 < b->max ? SR_OK
                                                               : SR_ETOOBIG;
}

static json_t *
jcount(int64_t n)
{
    return n < 0 ? json_null() : json_integer(n); /* hidden: null */
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
        json_t *share = s->n < 0 || total < 0
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
report_out_json(const struct report *r, const char *timezone,
                const char *org_code)
{
    assert(r != NULL);
    char k[16], from[16], to[16];
    report_out_ym(r->from, from);
    report_out_ym(r->to, to);
    json_t *months = json_array();
    for (size_t i = 0; i < r->n_months; i++) {
        report_out_ym(r->months[i].ym, k);
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
