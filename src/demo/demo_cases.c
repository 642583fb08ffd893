/*
 * demo_cases.c - synthetic cases and people for `siren demo`.
 *
 * Owns no tables: it goes through case.c, person.c and contact.c so the
 * demo data passes the same checks and audit as real data. Every name it
 * makes ends in "(synthetic)".
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/demo_cases.h"

#include <stdio.h>
#include <string.h>

#include "cases/case.h"
#include "hotline/contact.h"
#include "base/org.h"
#include "cases/person.h"

#include "demo/rng.h"
#include "core/banned.h"

static const char *const names[] = {
    "Aung Ko Ko (synthetic)",
    "Mya Thandar (synthetic)",
    "\xe1\x80\x9e\xe1\x80\xae\xe1\x80\x9b\xe1\x80\xad "
    "(synthetic)", /* Thiri */
    "Sokha Chan (synthetic)",
    "Nguyen Thi Lan (synthetic)",
    "\xe1\x80\x87\xe1\x80\xbd\xe1\x80\x94\xe1\x80\xba "
    "(synthetic)", /* Zun */
};

struct codes {
    char list[8][32];
    int n;
};

static int
keep_code(const char *code, void *ctx)
{
    struct codes *c = ctx;
    if (c->n < 8) {
        snprintf(c->list[c->n++], sizeof c->list[0], "%s", code);
    }
    return 0;
}

int
demo_cases_fill(struct ws *ws, struct demo_rng *rng, const char *org_code,
                struct sr_err *err)
{
    struct principal who = principal_local();
    int rc = org_id_by_code(ws->db, org_code, &who.org_id, err);
    struct codes contacts = { .n = 0 };
    if (rc == SR_OK) {
        rc = case_trafficking_contacts(ws->db, who.org_id, 4, keep_code,
                                       &contacts, err);
    }
    /* a hotline principal for the contacts made here when none exist */
    struct principal hot = who;
    for (int i = contacts.n; rc == SR_OK && i < 2; i++) {
        struct contact_input ci = { 0 };
        ci.channel = "phone";
        ci.language = "my";
        ci.caller_type = "self";
        ci.category = "trafficking";
        ci.summary = "synthetic call about a fishing boat";
        int64_t id;
        rc = contact_create(ws->db, ws->vault, &hot, &ci, NULL,
                            contacts.list[contacts.n], &id, err);
        contacts.n++;
    }
    static const char *const expl[] = { "forced_labour", "forced_criminality",
                                        "sexual", "forced_labour,debt" };
    char kcodes[6][32];
    for (int k = 0; rc == SR_OK && k < 6; k++) {
        struct case_input in = { 0 };
        in.traf_status = k % 3 == 2 ? "possible" : "actual";
        in.decided_by = k % 3 == 2 ? "" : (k % 2 ? "ngo" : "police");
        rc = case_parse_bits(case_exploitation, expl[k % 3], "exploitation",
                             &in.exploitation, err);
        in.industry = k % 3 == 1 ? "J" : k % 3 == 2 ? "S" : "A";
        in.sex_type = k % 3 == 2 ? "massage" : "";
        in.exploit_province = k % 2 ? "TH-90" : "TH-74";
        in.recruit_province = "MM-05";
        in.recruit_method = "broker";
        in.identified_at = 0;
        const char *from[2] = { contacts.list[0], contacts.list[1] };
        if (rc == SR_OK) {
            rc = case_open(ws->db, ws->vault, &who, &in, from,
                           k == 0   ? 2
                           : k == 1 ? 1
                                    : 0,
                           kcodes[k], NULL, err);
        }
    }
    char pcodes[8][32];
    int first_line = 0; /* the first victim's number's last four digits */
    for (int p = 0; rc == SR_OK && p < 6; p++) {
        struct person_input pi = { 0 };
        char phone[32];
        int line = (int)demo_below(rng, 9000) + 1000;
        snprintf(phone, sizeof phone, "+95 9 555 %04d", line);
        first_line = p == 0 ? line : first_line;
        pi.name = names[p];
        pi.phone = phone;
        pi.gender = p % 2 ? "female" : "male";
        pi.citizenship = p == 3 ? "KH" : p == 4 ? "VN" : "MM";
        pi.age_trafficked = 17 + p * 3;
        rc = person_add(ws->db, ws->vault, &who, kcodes[p], "victim", &pi,
                        pcodes[p], NULL, NULL, err);
        if (rc == SR_OK && p % 3 == 1) {
            rc = person_consent_set(ws->db, ws->vault, &who, pcodes[p],
                                    "research", "declined", err);
        }
        if (rc == SR_OK) {
            rc = person_consent_set(ws->db, ws->vault, &who, pcodes[p],
                                    "services", "given", err);
        }
    }
    /* duplicates: the first victim again by phone, the second by a
     * similar name; a re-trafficked person linked to a second case */
    if (rc == SR_OK) {
        struct person_input d = { 0 };
        char phone[32]; /* the same number written another way */
        snprintf(phone, sizeof phone, "+95-9555-%04d", first_line);
        d.name = "Aung Ko (synthetic)";
        d.phone = phone;
        d.phone_region = "TH"; /* the demo workspace's phone_region */
        d.age_trafficked = -1;
        rc = person_add(ws->db, ws->vault, &who, kcodes[5], "caller", &d,
                        pcodes[6], NULL, NULL, err);
    }
    if (rc == SR_OK) {
        struct person_input d = { 0 };
        d.name = "Mya Thanda (synthetic)";
        d.citizenship = "MM";
        d.age_trafficked = -1;
        rc = person_add(ws->db, ws->vault, &who, kcodes[4], "victim", &d,
                        pcodes[7], NULL, NULL, err);
    }
    if (rc == SR_OK) {
        rc = person_link(ws->db, ws->vault, &who, kcodes[3], pcodes[2],
                         "victim", err);
    }
    return rc;
}
