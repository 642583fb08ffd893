/*
 * demo_network.c - the synthetic referral network and the events on the
 * report's chart: the demo partners' directory profiles, referrals of the
 * hotline's contacts answered at each partner's pace, and broadcasts,
 * registration rounds and campaigns. Everything goes through the domain
 * modules' public functions, audited like any other write.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/demo_network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/org.h"
#include "base/principal.h"
#include "core/clock.h"
#include "hotline/contact.h"
#include "hotline/event.h"
#include "hotline/report.h"
#include "referral/referral.h"
#include "demo/rng.h"
#include "core/banned.h"

/* A demo partner: its profile and how it answers. Times in hours. */
struct demo_partner {
    const char *name; /* demo.c's organisation name */
    const char *provinces, *languages, *services;
    int is_emergency;
    int never_pct;        /* % of referrals never answered */
    int ack_min, ack_max; /* hours to the first answer */
    int accept_pct;       /* % accepted (else declined) */
    int action_pct;       /* % of accepted with action taken */
    int act_min, act_max; /* hours from acceptance to the outcome */
};

static const struct demo_partner demo_partners[] = {
    { "Demo Migrant Hotline (synthetic)", "TH-10,TH-74,TH-90,TH-63",
      "my,shn,th", "information,interpretation", 0, 0, 0, 0, 0, 0, 0, 0 },
    { "Demo Legal Aid Network (synthetic)", "TH-10,TH-74,TH-90,TH-91", "my,th",
      "legal_aid,information", 0, 2, 1, 8, 85, 60, 72, 480 },
    { "Demo Labour Rights Group (synthetic)", "TH-74,TH-90,TH-63,TH-20",
      "my,shn,th", "legal_aid,livelihood,information", 0, 10, 24, 144, 75, 45,
      120, 900 },
    { "Demo Women's Shelter (synthetic)", "TH-10,TH-90,TH-91", "my,th,km",
      "shelter,psychosocial,medical", 1, 0, 1, 3, 90, 80, 24, 240 },
    { "Demo Anti-Trafficking Police Unit (synthetic)",
      "TH-10,TH-74,TH-90,TH-91,TH-63", "th", "rescue", 1, 30, 48, 240, 55, 30,
      240, 2000 },
    { "Demo Border Social Welfare Office (synthetic)", "MM-13,MM-15", "my",
      "repatriation,psychosocial", 0, 100, 0, 0, 0, 0, 0, 0 },
    { "Demo Community Health Centre (synthetic)", "MM-13,MM-15,MM-06",
      "my,mnw,ksw", "medical,psychosocial", 0, 20, 12, 96, 90, 70, 48, 400 },
};

#define DEMO_N_PARTNERS (sizeof demo_partners / sizeof demo_partners[0])

struct demo_org_ids {
    int64_t ids[DEMO_N_PARTNERS];
    char codes[DEMO_N_PARTNERS][32];
};

static int
find_demo_org(const struct org_row *o, void *ctx)
{
    struct demo_org_ids *d = ctx;
    for (size_t i = 0; i < DEMO_N_PARTNERS; i++) {
        if (strcmp(o->name, demo_partners[i].name) == 0) {
            d->ids[i] = o->id;
            snprintf(d->codes[i], sizeof d->codes[i], "%s", o->code);
        }
    }
    return 0;
}

/* Split a comma list (at most 16 items of 15 bytes) into codes. */
static size_t
split_codes(const char *list, char items[16][16], const char *ptrs[16])
{
    size_t n = 0;
    const char *p = list;
    while (*p != '\0' && n < 16) {
        size_t len = strcspn(p, ",");
        snprintf(items[n], sizeof items[n], "%.*s", (int)len, p);
        ptrs[n] = items[n];
        n++;
        p += len;
        p += *p == ',';
    }
    return n;
}

static int
demo_profiles(struct ws *ws, const struct demo_org_ids *d, struct sr_err *err)
{
    for (size_t i = 0; i < DEMO_N_PARTNERS; i++) {
        if (d->ids[i] == 0) {
            continue;
        }
        const struct demo_partner *p = &demo_partners[i];
        char pi[16][16], li[16][16], si[16][16];
        const char *pp[16], *lp[16], *sp[16];
        /* a synthetic emergency line in a block no operator uses */
        char phone[32];
        snprintf(phone, sizeof phone, "+66 2 000 02%02u", (unsigned)(i % 100));
        struct org_profile prof = {
            .provinces = pp,
            .n_provinces = split_codes(p->provinces, pi, pp),
            .languages = lp,
            .n_languages = split_codes(p->languages, li, lp),
            .services = sp,
            .n_services = split_codes(p->services, si, sp),
            .is_emergency = p->is_emergency,
            .contact_details = "Synthetic focal person, +66 00 000 0000",
            .emergency_phone = p->is_emergency ? phone : NULL,
            .phone_region = "TH",
        };
        int rc = org_set_profile(ws->db, ws->vault, 0, d->ids[i], &prof, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    return SR_OK;
}

/* Hours drawn uniformly in [lo, hi]. */
static int64_t
demo_hours(struct demo_rng *rng, int lo, int hi)
{
    return (int64_t)(lo + (int)demo_below(rng, (uint64_t)(hi - lo + 1))) *
               3600 +
           (int64_t)demo_below(rng, 3600);
}

/* Answer one demo referral at the partner's pace, stopping at now. */
static int
demo_answer(struct ws *ws, struct demo_rng *rng, const struct demo_partner *p,
            const char *code, int64_t sent_at, struct sr_err *err)
{
    static const char *const no_action[] = { "victim_declined",
                                             "insufficient_information",
                                             "no_capacity", "outside_area" };
    int64_t now = sr_now();
    if ((int)demo_below(rng, 100) < p->never_pct) {
        return SR_OK;
    }
    int64_t t = sent_at + demo_hours(rng, p->ack_min, p->ack_max);
    int is_accepted = (int)demo_below(rng, 100) < p->accept_pct;
    const char *first = demo_below(rng, 3) == 0
                            ? "acknowledged"
                            : (is_accepted ? "accepted" : "declined");
    if (t > now) {
        return SR_OK;
    }
    struct principal local = principal_local();
    int rc = referral_answer(
        ws->db, ws->vault, &local, code, first,
        strcmp(first, "declined") == 0 ? "no_capacity" : NULL, t, err);
    if (rc == SR_OK && strcmp(first, "acknowledged") == 0) {
        t += demo_hours(rng, 1, 24);
        if (t > now) {
            return SR_OK;
        }
        rc = referral_answer(ws->db, ws->vault, &local, code,
                             is_accepted ? "accepted" : "declined",
                             is_accepted ? NULL : "outside_area", t, err);
    }
    if (rc != SR_OK || !is_accepted) {
        return rc;
    }
    t += demo_hours(rng, p->act_min, p->act_max);
    if (t > now) {
        return SR_OK;
    }
    int is_action = (int)demo_below(rng, 100) < p->action_pct;
    rc = referral_answer(ws->db, ws->vault, &local, code,
                         is_action ? "action_taken" : "no_action",
                         is_action ? NULL : no_action[demo_below(rng, 4)], t,
                         err);
    t += demo_hours(rng, 24, 240);
    if (rc == SR_OK && t <= now && demo_below(rng, 2) == 0) {
        rc = referral_answer(ws->db, ws->vault, &local, code, "closed", NULL, t,
                             err);
    }
    return rc;
}

int
demo_referrals(struct ws *ws, uint64_t seed, struct sr_err *err)
{
    struct demo_org_ids d;
    memset(&d, 0, sizeof d);
    int rc = org_list(ws->db, find_demo_org, &d, err);
    if (rc == SR_OK) {
        rc = demo_profiles(ws, &d, err);
    }
    if (rc != SR_OK || d.ids[0] == 0) {
        return rc;
    }
    size_t max = 50000, n = 0;
    struct referral_subject *c = sr_xcalloc(max, sizeof *c);
    rc = referral_demo_candidates(ws->db, d.ids[0], max, c, &n, err);
    struct demo_rng rng = { seed ^ 0x5245464552ull };
    (void)demo_next(&rng);
    /* trafficking: police (consent permitting), shelter, legal aid;
     * labour: labour rights group, legal aid, health, welfare */
    static const int traf_to[] = { 4, 3, 1, 4, 5 };
    static const int lab_to[] = { 2, 1, 2, 6, 1 };
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        int is_traf = strcmp(c[i].category, "trafficking") == 0;
        if ((int)demo_below(&rng, 100) >= (is_traf ? 75 : 12)) {
            continue;
        }
        int to = is_traf ? traf_to[demo_below(&rng, 5)]
                         : lab_to[demo_below(&rng, 5)];
        if (d.ids[to] == 0) {
            continue;
        }
        const struct demo_partner *p = &demo_partners[to];
        int needed = to == 4 ? CONTACT_CONSENT_POLICE : CONTACT_CONSENT_NGO;
        if ((c[i].consent & needed) == 0) {
            continue; /* the demo respects consent like everyone else */
        }
        char svc[32];
        size_t len = strcspn(p->services, ",");
        snprintf(svc, sizeof svc, "%.*s", (int)len, p->services);
        static const char *const urg[] = { "emergency", "high", "normal",
                                           "normal", "low" };
        struct referral_input in = {
            .subject_type = "contact",
            .subject_code = c[i].code,
            .to_org = d.codes[to],
            .service = svc,
            .urgency = urg[demo_below(&rng, 5)],
            .note = demo_below(&rng, 2) ? "Synthetic demo note: please call "
                                          "the caller back in Burmese."
                                        : NULL,
            .from_org_id = d.ids[0],
            .sent_at = c[i].received_at + demo_hours(&rng, 0, 6),
        };
        if (in.sent_at > sr_now()) {
            continue;
        }
        char code[32];
        struct principal local = principal_local();
        rc = referral_send(ws->db, ws->vault, &local, &in, code, err);
        if (rc == SR_OK) {
            rc = demo_answer(ws, &rng, p, code, in.sent_at, err);
        }
    }
    free(c);
    return rc;
}

static int
first_hotline(const struct org_row *o, void *ctx)
{
    if (strcmp(o->kind, "hotline") == 0) {
        *(int64_t *)ctx = o->id;
        return 1;
    }
    return 0;
}

int
demo_events(struct ws *ws, uint64_t seed, struct sr_err *err)
{
    /* months before this one, kind, title: shaped like a hotline's year
     * (broadcasts of its number, registration rounds of migrant workers,
     * awareness campaigns) */
    static const struct {
        int months_ago;
        const char *kind, *title;
    } plan[] = {
        { 44, "campaign", "Launch campaign in border towns (synthetic)" },
        { 40, "broadcast", "TV news shows the hotline number (synthetic)" },
        { 34, "registration", "Migrant worker registration round (synthetic)" },
        { 28, "broadcast", "Radio phone-in on unpaid wages (synthetic)" },
        { 22, "registration", "Registration round, second phase (synthetic)" },
        { 18, "campaign", "Fishing port outreach campaign (synthetic)" },
        { 15, "broadcast", "TV documentary shows the number (synthetic)" },
        { 10, "registration", "Migrant worker registration round (synthetic)" },
        { 6, "broadcast", "Facebook live with the hotline team (synthetic)" },
        { 3, "campaign", "Safe migration leaflets at the border (synthetic)" },
    };
    struct demo_rng rng = { seed ^ 0x6576656e74ull };
    int64_t org_id = 0;
    int offset_s = 0;
    int rc = org_list(ws->db, first_hotline, &org_id, err);
    if (rc != SR_OK || org_id == 0) {
        return rc;
    }
    rc = report_tz_offset(ws->cfg.timezone, &offset_s, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct report_ym now = report_ym_at(sr_now(), offset_s);
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
        struct report_ym ym = report_ym_add(now, -plan[i].months_ago);
        char day[32];
        snprintf(day, sizeof day, "%04d-%02d-%02d", ym.year % 10000,
                 ym.month % 100, 1 + (int)demo_below(&rng, 28));
        struct event_input in = { day, plan[i].kind, plan[i].title, org_id };
        int64_t id;
        rc = event_add(ws->db, ws->vault, 0, &in, &id, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    return SR_OK;
}
