/*
 * demo_hotline.c - synthetic hotline traffic shaped like the Myanmar
 * language hotline of issue 3: about 68 contacts a month, spikes above 100
 * after a broadcast, 63% labour rights, 10% trafficking.
 *
 * Writes only through contact_create_batch() and org_set_profile(), so
 * the demo data passes the same checks and audit as real data. Every
 * summary says it is synthetic; the phones are in a made-up range.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/demo_hotline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "base/auth.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "base/org.h"
#include "base/vault.h"
#include "demo/rng.h"
#include "core/banned.h"

#define DEMO_MONTHS 48
#define DEMO_BATCH  5000

/* A value list with weights (per mille). */
struct weighted {
    const char *code;
    int weight;
};

static const struct weighted categories[] = {
    { "labour_rights", 630 },
    { "trafficking", 100 },
    { "safe_migration", 100 },
    { "documents", 90 },
    { "other_assistance", 55 },
    { "not_relevant", 25 },
    { NULL, 0 },
};
static const struct weighted channels[] = {
    { "phone", 560 }, { "line", 140 },   { "messenger", 150 },
    { "viber", 50 },  { "sms", 40 },     { "walk_in", 30 },
    { "radio", 20 },  { "telegram", 5 }, { "web_form", 5 },
    { NULL, 0 },
};
static const struct weighted languages[] = {
    { "my", 850 }, { "shn", 50 }, { "ksw", 30 }, { "mnw", 30 },
    { "th", 30 },  { "und", 10 }, { NULL, 0 },
};
static const struct weighted caller_types[] = {
    { "self", 550 },     { "family", 150 },   { "friend", 100 },
    { "coworker", 100 }, { "ngo", 50 },       { "employer", 20 },
    { "authority", 10 }, { "anonymous", 20 }, { NULL, 0 },
};
static const struct weighted sectors[] = {
    { "fishing", 180 },
    { "seafood_processing", 150 },
    { "agriculture", 150 },
    { "construction", 200 },
    { "domestic_work", 100 },
    { "manufacturing", 120 },
    { "entertainment", 30 },
    { "begging", 10 },
    { "hospitality", 40 },
    { "other", 20 },
    { NULL, 0 },
};
/* Where the problems are: fishing ports, seafood, factories, the border. */
static const struct weighted provinces[] = {
    { "TH-74", 200 }, { "TH-90", 150 }, { "TH-10", 150 }, { "TH-11", 100 },
    { "TH-20", 80 },  { "TH-63", 80 },  { "TH-85", 70 },  { "TH-84", 50 },
    { "TH-83", 40 },  { "TH-50", 40 },  { "TH-71", 40 },  { NULL, 0 },
};
/* Where callers' families are, in Myanmar. */
static const char *const mm_provinces[] = { "MM-13", "MM-15", "MM-17",
                                            "MM-05", "MM-06", "MM-02" };

static const char *
pick(struct demo_rng *r, const struct weighted *w)
{
    int total = 0;
    for (int i = 0; w[i].code; i++) {
        total += w[i].weight;
    }
    int x = (int)demo_below(r, (uint64_t)total);
    for (int i = 0; w[i].code; i++) {
        if (x < w[i].weight) {
            return w[i].code;
        }
        x -= w[i].weight;
    }
    return w[0].code;
}

static int
chance(struct demo_rng *r, int per_mille)
{
    return (int)demo_below(r, 1000) < per_mille;
}

static uint32_t
issue_bit(const char *code)
{
    int k = vocab_find(contact_issues, code);
    return k >= 0 ? 1u << k : 0;
}

/* Days since 1970-01-01 of the first of a month (proleptic Gregorian). */
static int64_t
month_start(int y, int m)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

struct month {
    int y, m, days;
    int64_t start; /* unix seconds, UTC+7 midnight */
    int n;         /* contacts */
    int spike_day; /* day of a broadcast (0 = none) */
};

/* The monthly counts: seasonal around 68, four broadcast spikes. */
static void
shape_months(struct demo_rng *r, struct month mo[DEMO_MONTHS], int64_t want)
{
    time_t now = (time_t)sr_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1;
    /* the registration season (Jan-Apr) is busier, the rains quieter */
    static const int season[12] = { 120, 125, 118, 110, 95,  88,
                                    85,  84,  90,  97,  100, 108 };
    int64_t total = 0;
    for (int i = DEMO_MONTHS - 1; i >= 0; i--) {
        mo[i].y = y;
        mo[i].m = m;
        int64_t d0 = month_start(y, m);
        int nm = m == 12 ? 1 : m + 1, ny = m == 12 ? y + 1 : y;
        mo[i].days = (int)(month_start(ny, nm) - d0);
        mo[i].start = d0 * 86400 - 7 * 3600;
        int base = 62 * season[m - 1] / 100;
        mo[i].n = base - 8 + (int)demo_below(r, 17);
        mo[i].spike_day = 0;
        if (--m == 0) {
            m = 12;
            y--;
        }
    }
    for (int k = 0; k < 4; k++) { /* TV broadcasts showing the number */
        int i = 4 + k * 11 + (int)demo_below(r, 6);
        mo[i].spike_day = 1 + (int)demo_below(r, (uint64_t)mo[i].days - 3);
        mo[i].n += 45 + (int)demo_below(r, 30);
    }
    for (int i = 0; i < DEMO_MONTHS; i++) {
        total += mo[i].n;
    }
    if (want > 0) {
        int64_t given = 0;
        for (int i = 0; i < DEMO_MONTHS; i++) {
            mo[i].n = (int)(want * mo[i].n / total);
            given += mo[i].n;
        }
        mo[DEMO_MONTHS - 1].n += (int)(want - given);
    }
}

struct gen {
    struct demo_rng *r;
    struct arena *a;
};

static void
make_contact(struct gen *g, const struct month *mo, int in_spike,
             struct contact_input *in)
{
    struct demo_rng *r = g->r;
    memset(in, 0, sizeof *in);
    int day = in_spike ? mo->spike_day + (int)demo_below(r, 3)
                       : (int)demo_below(r, (uint64_t)mo->days);
    if (day >= mo->days) {
        day = mo->days - 1;
    }
    int hour = 7 + (int)demo_below(r, 16);
    in->received_at = mo->start + (int64_t)day * 86400 + hour * 3600 +
                      (int64_t)demo_below(r, 3600);
    if (in->received_at > sr_now()) {
        in->received_at = sr_now() - (int64_t)demo_below(r, 86400) - 60;
    }
    in->category = pick(r, categories);
    in->channel = pick(r, channels);
    in->language = pick(r, languages);
    in->caller_type = pick(r, caller_types);
    in->sector = pick(r, sectors);
    in->problem_province = pick(r, provinces);
    in->problem_country = "TH";
    if (strcmp(in->caller_type, "family") == 0) {
        in->caller_province = mm_provinces[demo_below(r, 6)];
    } else {
        in->caller_province = in->problem_province;
    }
    int is_traff = strcmp(in->category, "trafficking") == 0;
    int is_labour = strcmp(in->category, "labour_rights") == 0;
    if (is_labour) {
        in->issues |= chance(r, 600) ? issue_bit("unpaid_wages") : 0;
        in->issues |= chance(r, 300) ? issue_bit("excessive_hours") : 0;
        in->issues |= chance(r, 150) ? issue_bit("document_confiscation") : 0;
        in->issues |= chance(r, 100) ? issue_bit("debt") : 0;
        in->issues |= chance(r, 50) ? issue_bit("violence") : 0;
    } else if (is_traff) {
        in->issues |= chance(r, 500) ? issue_bit("confinement") : 0;
        in->issues |= chance(r, 500) ? issue_bit("deception") : 0;
        in->issues |= chance(r, 400) ? issue_bit("debt") : 0;
        in->issues |= chance(r, 450) ? issue_bit("document_confiscation") : 0;
        in->issues |= chance(r, 300) ? issue_bit("threats") : 0;
        in->issues |= chance(r, 200) ? issue_bit("violence") : 0;
        in->issues |= chance(r, 60) ? issue_bit("children") : 0;
        if (strcmp(in->sector, "entertainment") == 0) {
            in->issues |= issue_bit("sexual_exploitation");
        }
    } else if (strcmp(in->category, "documents") == 0) {
        in->issues |= chance(r, 200) ? issue_bit("detention") : 0;
    }
    if (in->issues == 0 && (is_traff || is_labour)) {
        in->issues = issue_bit("other");
    }
    in->is_danger = is_traff ? chance(r, 300) : chance(r, 15);
    in->n_affected = is_traff ? 1 + (int)demo_below(r, 8) : 1;
    in->duration_s = 120 + (int)demo_below(r, 1500);
    in->consent = (chance(r, 700) ? CONTACT_CONSENT_NGO : 0) |
                  (is_traff && chance(r, 350) ? CONTACT_CONSENT_POLICE : 0) |
                  (chance(r, 500) ? CONTACT_CONSENT_RESEARCH : 0);
    /* repeat callers come from a small pool of numbers */
    unsigned n = chance(r, 150) ? (unsigned)demo_below(r, 200)
                                : 200 + (unsigned)demo_below(r, 9800);
    int is_anon = strcmp(in->caller_type, "anonymous") == 0;
    if (is_anon ? chance(r, 300) : chance(r, 900)) {
        /* written as operators hear it, in one of four forms (chosen by
         * the time, so the draws of the data stay as they were): stored
         * as one number, +66800001234, whichever was typed */
        unsigned k = n % 10000;
        switch ((uint64_t)in->received_at % 4) {
        case 0:
            in->caller_phone = arena_printf(g->a, "+66 80 000 %04u", k);
            break;
        case 1:
            in->caller_phone = arena_printf(g->a, "080 000 %04u", k);
            break;
        case 2:
            in->caller_phone = arena_printf(g->a, "66800000%04u", k);
            break;
        default:
            in->caller_phone = arena_printf(g->a, "080-000-%04u", k);
        }
        in->phone_region = "TH"; /* the demo workspace's phone_region */
    }
    in->summary = arena_printf(g->a, "Synthetic demo contact about %s (%s).",
                               in->category, in->sector);
    if (chance(r, 400)) {
        in->needs = "Synthetic: information and a referral.";
    }
    in->action_taken = "Synthetic: advice given.";
}

struct find_org {
    const char *kind;
    int64_t id;
    char code[32];
};

static int
find_org(const struct org_row *o, void *ctx)
{
    struct find_org *f = ctx;
    if (f->id == 0 && strcmp(o->kind, f->kind) == 0) {
        f->id = o->id;
        snprintf(f->code, sizeof f->code, "%s", o->code);
    }
    return 0;
}

static int
keep_user(const struct user_row *u, void *ctx)
{
    *(int64_t *)ctx = u->id;
    return 1;
}

/* The police unit and the shelter answer emergencies in the busiest
 * provinces, each on a synthetic emergency line: the numbers
 * demo_network.c gives them (+66 2 000 02xx, its partner's index: a
 * Bangkok block no operator uses, clearly fake). */
static int
set_emergency_partners(struct ws *ws, struct sr_err *err)
{
    static const char *const kinds[] = { "police", "shelter" };
    static const char *const prov[] = { "TH-74", "TH-90", "TH-10", "TH-11",
                                        "TH-20", "TH-63", "TH-85" };
    static const char *const langs[] = { "my", "th" };
    static const char *const services[] = { "rescue", "shelter" };
    static const char *const phones[] = { "+66 2 000 0204", "+66 2 000 0203" };
    for (int k = 0; k < 2; k++) {
        struct find_org f = { kinds[k], 0, "" };
        int rc = org_list(ws->db, find_org, &f, err);
        if (rc != SR_OK) {
            return rc;
        }
        if (f.id == 0) {
            continue;
        }
        struct org_profile p = { prov, 7, langs, 2,         &services[k],
                                 1,    1, NULL,  phones[k], "TH" };
        rc = org_set_profile(ws->db, ws->vault, 0, f.id, &p, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    return SR_OK;
}

int
demo_hotline(struct ws *ws, struct demo_rng *rng, int64_t n_contacts,
             struct sr_err *err)
{
    struct find_org hotline = { "hotline", 0, "" };
    int rc = org_list(ws->db, find_org, &hotline, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (hotline.id == 0) {
        return sr_err_set(err, SR_ENOTFOUND, "demo: no hotline organisation");
    }
    int64_t operator_id = 0;
    struct sr_err ignore = { 0 };
    (void)user_get(ws->db, 0, "demo.hotline", keep_user, &operator_id, &ignore);
    sr_err_release(&ignore);
    if (n_contacts == 0 && (rc = set_emergency_partners(ws, err)) != SR_OK) {
        return rc;
    }
    struct principal who;
    memset(&who, 0, sizeof who);
    who.user_id = operator_id;
    who.org_id = hotline.id;
    who.role = ROLE_HOTLINE;
    struct month mo[DEMO_MONTHS];
    shape_months(rng, mo, n_contacts);
    struct contact_input *inputs = sr_xcalloc(DEMO_BATCH, sizeof inputs[0]);
    struct contact_batch_item *items = sr_xcalloc(DEMO_BATCH, sizeof items[0]);
    struct arena a;
    arena_init(&a);
    struct gen g = { rng, &a };
    size_t n = 0;
    vault_pin(ws->vault);
    for (int i = 0; i < DEMO_MONTHS && rc == SR_OK; i++) {
        int n_spike = mo[i].spike_day ? mo[i].n * 2 / 5 : 0;
        for (int k = 0; k < mo[i].n && rc == SR_OK; k++) {
            make_contact(&g, &mo[i], k < n_spike, &inputs[n]);
            items[n].in = &inputs[n];
            items[n].import_key = NULL;
            if (++n == DEMO_BATCH) {
                rc = contact_create_batch(ws->db, ws->vault, &who, items, n,
                                          NULL, err);
                n = 0;
                arena_release(&a);
                arena_init(&a);
            }
        }
    }
    if (rc == SR_OK && n > 0) {
        rc = contact_create_batch(ws->db, ws->vault, &who, items, n, NULL, err);
    }
    vault_unpin(ws->vault);
    arena_release(&a);
    free(inputs);
    free(items);
    return rc;
}
