/*
 * demo_justice.c - synthetic justice events, offenders and a broker
 * network for `siren demo`.
 *
 * Owns no tables: it goes through case.c, person.c, entity.c and
 * justice.c so the demo passes the same checks and audit as real data.
 * Every offender name ends in "(synthetic)"; demo victims added here have
 * no identity fields at all. Shapes the numbers on the findings the
 * funnel was built for (docs/justice.md), with a fixed random stream.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/demo_justice.h"

#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "core/clock.h"
#include "justice/entity.h"
#include "justice/justice.h"
#include "base/org.h"
#include "cases/person.h"

#include "demo/rng.h"
#include "core/banned.h"

#define N_CASES   90 /* opened here, on top of demo_cases_fill()'s */
#define N_BROKERS 8
#define N_OWNERS  5
#define DAY       86400

struct offender {
    const char *name, *kind, *roles, *country, *phone;
};

/* Brokers 0-1, 1-2 and 2-5 share phones (their links get confirmed);
 * 3-4 share one too (left as a suggestion for the investigator). */
static const struct offender brokers[N_BROKERS] = {
    { "Ko Zaw Broker (synthetic)", "person", "broker", "MM", "+95 9 555 0101" },
    { "Maung Tin Broker (synthetic)", "person", "broker,recruiter", "MM",
      "+95 9 555 0101\n+66 81 555 0202" },
    { "Daw Hla Broker (synthetic)", "person", "broker", "MM",
      "+66 81 555 0202\n+66 81 555 0505" },
    { "Somchai Broker (synthetic)", "person", "broker,transporter", "TH",
      "+66 82 555 0303" },
    { "Nai Mon Broker (synthetic)", "person", "broker", "MM",
      "+66 82 555 0303" },
    { "Sok Dara Broker (synthetic)", "person", "broker", "KH",
      "+66 81 555 0505" },
    { "U Kyaw Broker (synthetic)", "person", "recruiter", "MM",
      "+95 9 555 0707" },
    { "Lek Transport (synthetic)", "transporter", "transporter", "TH",
      "+66 83 555 0808" },
};

static const struct offender owners[N_OWNERS] = {
    { "Golden Sea Fishing Co. (synthetic)", "vessel", "business_owner", "TH",
      "" },
    { "Eastern Seafood Factory (synthetic)", "factory", "business_owner", "TH",
      "" },
    { "Blue Star Garments (synthetic)", "employer", "business_owner,employer",
      "TH", "" },
    { "Mekong Plantation (synthetic)", "employer", "business_owner,employer",
      "TH", "" },
    { "Riverside Compound (synthetic)", "other_business",
      "business_owner,controller", "MM", "" },
};

struct fill {
    struct ws *ws;
    struct demo_rng *rng;
    const char *police;
    int64_t now;
    int64_t broker_ids[N_BROKERS];
    char broker_codes[N_BROKERS][32];
    int64_t owner_ids[N_OWNERS];
    char owner_codes[N_OWNERS][32];
    int rc;
    struct sr_err *err;
    struct principal local; /* the command line's, for every organisation */
};

/* 1 with probability pct/100. */
static int
chance(struct demo_rng *rng, int pct)
{
    return (int)demo_below(rng, 100) < pct;
}

static int
add_offender(struct fill *f, const struct offender *o, int64_t org_id,
             int64_t *id, char code[32])
{
    struct entity_input in;
    memset(&in, 0, sizeof in);
    in.kind = o->kind;
    in.name = o->name;
    in.country = o->country;
    char roles[64];
    snprintf(roles, sizeof roles, "%s", o->roles);
    for (char *p = roles, *next; p != NULL; p = next) {
        next = strchr(p, ',');
        if (next != NULL) {
            *next++ = '\0';
        }
        in.roles |= entity_role_bit(p);
    }
    char phones[64];
    snprintf(phones, sizeof phones, "%s", o->phone);
    for (char *p = phones, *next; p != NULL && *p != '\0'; p = next) {
        next = strchr(p, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        in.id_kinds[in.n_identifiers] = "phone";
        in.id_values[in.n_identifiers++] = p;
    }
    in.phone_region = f->ws->cfg.phone_region;
    /* recorded for org_id: the command line narrowed to it */
    struct principal who = principal_local();
    who.org_id = org_id;
    return entity_add(f->ws->db, f->ws->vault, &who, &in, code, id, NULL,
                      f->err);
}

struct pending {
    int64_t ids[16];
    int64_t other[16];
    size_t n;
};

static int
keep_suggested(const struct entity_link_row *r, void *ctx)
{
    struct pending *p = ctx;
    if (strcmp(r->state, "suggested") == 0 && p->n < 16) {
        p->ids[p->n++] = r->id;
    }
    return 0;
}

/* Confirm the suggested links of brokers 0, 1, 2 and 5 (not 3-4). */
static int
confirm_network(struct fill *f)
{
    static const int which[] = { 0, 1, 2, 5 };
    int rc = SR_OK;
    for (size_t k = 0; rc == SR_OK && k < sizeof which / sizeof which[0]; k++) {
        struct pending p = { .n = 0 };
        rc = entity_links(f->ws->db, &f->local, f->broker_ids[which[k]],
                          keep_suggested, &p, f->err);
        for (size_t i = 0; rc == SR_OK && i < p.n; i++) {
            rc = entity_decide_link(f->ws->db, f->ws->vault, &f->local,
                                    p.ids[i], 1, f->err);
        }
    }
    /* the business side: who recruits for and works for whom */
    if (rc == SR_OK) {
        rc = entity_link(f->ws->db, f->ws->vault, &f->local, f->broker_ids[0],
                         f->owner_ids[0], "recruits_for", "investigation",
                         "high", NULL, f->err);
    }
    if (rc == SR_OK) {
        rc = entity_link(f->ws->db, f->ws->vault, &f->local, f->broker_ids[2],
                         f->owner_ids[1], "recruits_for", "victim_statement",
                         "medium", NULL, f->err);
    }
    if (rc == SR_OK) {
        rc = entity_link(f->ws->db, f->ws->vault, &f->local, f->broker_ids[7],
                         f->owner_ids[0], "works_for", "ngo_report", "low",
                         NULL, f->err);
    }
    return rc;
}

/* Record kind at t unless t is in the future; 1 when recorded. */
static int
event(struct fill *f, int64_t case_id, const char *kind, int64_t t,
      const char *org, const char *agency_kind, const char *reason,
      const char *const *perps, size_t n_perps)
{
    if (f->rc != SR_OK || t > f->now) {
        return 0;
    }
    char day[11];
    justice_format_day(t, day);
    struct justice_event_input in = { kind,   day,   org,    agency_kind,
                                      reason, perps, n_perps };
    int64_t id;
    f->rc = justice_add_event(f->ws->db, f->ws->vault, &f->local, case_id, &in,
                              &id, f->err);
    return f->rc == SR_OK;
}

static int64_t
later(struct fill *f, int64_t t, int min_days, int max_days)
{
    return t + (min_days + (int64_t)demo_below(
                               f->rng, (uint64_t)(max_days - min_days + 1))) *
                   DAY;
}

/*
 * One case's story. With legal aid each step is likelier; rescues end
 * without arrests more often in later years; the broker is named in an
 * arrest far more often than the business owner; many arrests are
 * followed by bail.
 */
static int
one_case(const struct justice_demo_case *c, void *ctx)
{
    struct fill *f = ctx;
    int la = c->has_legal_aid;
    int b = (int)demo_below(f->rng, N_BROKERS);
    if (b == 7 || chance(f->rng, 40)) {
        b = (int)demo_below(f->rng, 3); /* the network's core recurs */
    }
    int o = (int)demo_below(f->rng, N_OWNERS);
    f->rc =
        entity_link_case(f->ws->db, f->ws->vault, &f->local, f->broker_ids[b],
                         c->id, "broker", "victim_statement", "medium", f->err);
    if (f->rc == SR_OK) {
        f->rc = entity_link_case(f->ws->db, f->ws->vault, &f->local,
                                 f->owner_ids[o], c->id, "business_owner",
                                 "investigation", "high", f->err);
    }
    if (f->rc != SR_OK) {
        return 1;
    }
    const char *both[2] = { f->broker_codes[b], f->owner_codes[o] };
    int64_t t = later(f, c->identified_at, 2, 30);
    if (!chance(f->rng, la ? 90 : 60) ||
        !event(f, c->id, "reported", t, f->police, NULL, NULL, NULL, 0)) {
        return f->rc != SR_OK;
    }
    t = later(f, t, 5, 60);
    if (!chance(f->rng, la ? 85 : 60) ||
        !event(f, c->id, "investigation_opened", t, f->police, NULL, NULL, NULL,
               0)) {
        return f->rc != SR_OK;
    }
    t = later(f, t, 3, 45);
    if (!chance(f->rng, la ? 80 : 65) ||
        !event(f, c->id, "rescue", t, f->police, NULL, NULL, NULL, 0)) {
        return f->rc != SR_OK;
    }
    /* rescues without arrests grow: cases of the last 18 months less
     * often see one */
    int recent = c->identified_at > f->now - 540 * DAY;
    int p_arrest = la ? (recent ? 55 : 75) : (recent ? 25 : 45);
    t = later(f, t, 0, 20);
    if (!chance(f->rng, p_arrest)) {
        if (chance(f->rng, la ? 20 : 50)) {
            static const char *const why[] = { "shelter_stay", "fear",
                                               "wants_work", "wants_home" };
            event(f, c->id, "victim_declined", later(f, t, 5, 40), NULL,
                  "social_welfare", why[demo_below(f->rng, 4)], NULL, 0);
        }
        return f->rc != SR_OK;
    }
    int has_owner = chance(f->rng, la ? 20 : 8);
    if (!event(f, c->id, "arrest", t, f->police, NULL, NULL, both,
               has_owner ? 2 : 1)) {
        return f->rc != SR_OK;
    }
    if (chance(f->rng, 55)) {
        event(f, c->id, "bail", later(f, t, 1, 14), NULL, "court", NULL, both,
              1);
    }
    t = later(f, t, 20, 120);
    if (!chance(f->rng, la ? 75 : 40)) {
        if (chance(f->rng, 60)) {
            static const char *const why[] = { "insufficient_evidence",
                                               "victim_withdrew",
                                               "suspect_not_found" };
            event(f, c->id, "case_dropped", t, NULL, "prosecutor",
                  why[demo_below(f->rng, 3)], NULL, 0);
        }
        return f->rc != SR_OK;
    }
    if (!event(f, c->id, "charged", t, NULL, "prosecutor", NULL, both,
               has_owner ? 2 : 1)) {
        return f->rc != SR_OK;
    }
    t = later(f, t, 30, 180);
    if (!chance(f->rng, la ? 75 : 45) ||
        !event(f, c->id, "trial_opened", t, NULL, "court", NULL, NULL, 0)) {
        return f->rc != SR_OK;
    }
    if (la && chance(f->rng, 70)) {
        event(f, c->id, "victim_testified", later(f, t, 10, 60), NULL, "court",
              NULL, NULL, 0);
    }
    t = later(f, t, 60, 240);
    int convicted = chance(f->rng, la ? 75 : 50);
    if (!event(f, c->id, convicted ? "verdict_convicted" : "verdict_acquitted",
               t, NULL, "court", NULL, both, 1) ||
        !convicted) {
        return f->rc != SR_OK;
    }
    if (!event(f, c->id, "sentence", later(f, t, 0, 30), NULL, "court", NULL,
               both, 1)) {
        return f->rc != SR_OK;
    }
    if (chance(f->rng, la ? 50 : 10)) {
        t = later(f, t, 20, 90);
        if (event(f, c->id, "compensation_ordered", t, NULL, "court", NULL,
                  NULL, 0) &&
            chance(f->rng, 60)) {
            event(f, c->id, "compensation_paid", later(f, t, 30, 200), NULL,
                  "court", NULL, NULL, 0);
        }
    }
    return f->rc != SR_OK;
}

int
demo_justice_fill(struct ws *ws, struct demo_rng *rng, const char *org_code,
                  const char *legal_aid_code, const char *police_code,
                  const char *shelter_code, struct sr_err *err)
{
    struct fill f;
    memset(&f, 0, sizeof f);
    f.ws = ws;
    f.rng = rng;
    f.police = police_code;
    f.now = sr_now();
    f.err = err;
    f.local = principal_local();
    struct principal who = principal_local();
    int64_t police_id = 0, shelter_id = 0;
    int rc = org_id_by_code(ws->db, org_code, &who.org_id, err);
    if (rc == SR_OK) {
        rc = org_id_by_code(ws->db, police_code, &police_id, err);
    }
    if (rc == SR_OK) {
        rc = org_id_by_code(ws->db, shelter_code, &shelter_id, err);
    }
    /* every role has a world: the police unit (the demo investigator's)
     * records every other broker and holds a quarter of the cases, the
     * shelter (the demo case worker's) another quarter; chosen by
     * position, so the random draws stay as they were */
    for (int i = 0; rc == SR_OK && i < N_BROKERS; i++) {
        rc = add_offender(&f, &brokers[i], i % 2 ? police_id : who.org_id,
                          &f.broker_ids[i], f.broker_codes[i]);
    }
    for (int i = 0; rc == SR_OK && i < N_OWNERS; i++) {
        rc = add_offender(&f, &owners[i], who.org_id, &f.owner_ids[i],
                          f.owner_codes[i]);
    }
    if (rc == SR_OK) {
        rc = confirm_network(&f);
    }
    static const char *const expl[] = { "forced_labour", "forced_labour",
                                        "forced_criminality", "sexual",
                                        "forced_labour,forced_begging" };
    static const char *const industry[] = { "A", "C", "C", "F", "J", "S" };
    static const char *const province[] = { "TH-90", "TH-74", "TH-10", "TH-20",
                                            "TH-63" };
    for (int k = 0; rc == SR_OK && k < N_CASES; k++) {
        struct case_input in;
        memset(&in, 0, sizeof in);
        /* spread over six half-years, a little more each year */
        in.identified_at =
            f.now -
            (int64_t)(20 + demo_below(rng, 1075 - (uint64_t)k * 8)) * DAY;
        in.traf_status = chance(rng, 80) ? "actual" : "possible";
        in.decided_by = strcmp(in.traf_status, "actual") == 0
                            ? (chance(rng, 50) ? "police" : "ngo")
                            : "";
        int e = (int)demo_below(rng, 5);
        rc = case_parse_bits(case_exploitation, expl[e], "exploitation",
                             &in.exploitation, err);
        in.industry = e == 2   ? "J"
                      : e == 3 ? "S"
                               : industry[demo_below(rng, 4)];
        in.exploit_province = province[demo_below(rng, 5)];
        in.recruit_province = "MM-05";
        in.recruit_method = "broker";
        if (chance(rng, 40)) {
            in.legal_aid_org = legal_aid_code;
            in.legal_aid_from = in.identified_at + 7 * DAY;
        }
        char code[32];
        struct principal holder = who;
        holder.org_id = k % 4 == 1   ? police_id
                        : k % 4 == 3 ? shelter_id
                                     : who.org_id;
        if (rc == SR_OK) {
            rc = case_open(ws->db, ws->vault, &holder, &in, NULL, 0, code, NULL,
                           err);
        }
        /* victims: counted on the network page, never named here */
        int n_victims = 1 + (int)demo_below(rng, 3);
        for (int v = 0; rc == SR_OK && v < n_victims; v++) {
            struct person_input pi;
            memset(&pi, 0, sizeof pi);
            pi.gender = chance(rng, 60) ? "male" : "female";
            pi.citizenship = chance(rng, 70) ? "MM" : "KH";
            pi.age_trafficked = 16 + (int)demo_below(rng, 20);
            char pcode[32];
            rc = person_add(ws->db, ws->vault, &holder, code, "victim", &pi,
                            pcode, NULL, NULL, err);
        }
    }
    if (rc == SR_OK) {
        f.rc = SR_OK;
        rc = justice_demo_cases(ws->db, &f.local, one_case, &f, err);
        if (rc == SR_OK) {
            rc = f.rc;
        }
    }
    return rc;
}
