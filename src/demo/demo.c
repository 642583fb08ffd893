/*
 * demo.c - the synthetic demo workspace.
 *
 * Owns nothing in the database of its own: it calls the domain modules,
 * so the demo data passes the same checks and audit as real data. Secrets
 * (demo passwords) come from the vault's random source, never from the
 * seeded generator.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/demo.h"

#include <string.h>

#include <sodium.h>

#include "base/auth.h"
#include "demo/demo_hotline.h"
#include "demo/demo_network.h"
#include "demo/demo_cases.h"
#include "demo/demo_justice.h"
#include "base/org.h"
#include "base/policy.h"
#include "referral/referral.h"
#include "base/vault.h"
#include "core/banned.h"

struct demo_org {
    const char *name, *kind, *country;
};

static const struct demo_org demo_orgs[] = {
    { "Demo Migrant Hotline (synthetic)", "hotline", "TH" },
    { "Demo Legal Aid Network (synthetic)", "legal_aid", "TH" },
    { "Demo Labour Rights Group (synthetic)", "labour_rights", "TH" },
    { "Demo Women's Shelter (synthetic)", "shelter", "TH" },
    { "Demo Anti-Trafficking Police Unit (synthetic)", "police", "TH" },
    { "Demo Border Social Welfare Office (synthetic)", "social_welfare", "MM" },
    { "Demo Community Health Centre (synthetic)", "health", "MM" },
    { "Demo Research Institute (synthetic)", "ngo", "TH" },
};

/* Which demo organisation each role's demo user belongs to. */
static const int role_org[ROLE__COUNT] = {
    [ROLE_ADMIN] = 0,      [ROLE_COORDINATOR] = 0,  [ROLE_HOTLINE] = 0,
    [ROLE_CASEWORKER] = 3, [ROLE_INVESTIGATOR] = 4, [ROLE_ANALYST] = 7,
    [ROLE_PARTNER] = 1,
};

/* A random password of 20 characters from an unambiguous alphabet. */
static void
demo_password(char out[21])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz"
                                   "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 20; i++) {
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    }
    out[20] = '\0';
}

int
demo_fill(struct ws *ws, uint64_t seed, FILE *out, struct sr_err *err)
{
    struct demo_rng rng = { seed };
    (void)demo_next(&rng);
    char codes[sizeof demo_orgs / sizeof demo_orgs[0]][32];
    int64_t id;
    for (size_t i = 0; i < sizeof demo_orgs / sizeof demo_orgs[0]; i++) {
        int rc =
            org_add(ws->db, ws->vault, 0, demo_orgs[i].name, demo_orgs[i].kind,
                    demo_orgs[i].country, codes[i], &id, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    ws->cfg.is_synthetic = 1;
    snprintf(ws->cfg.name, sizeof ws->cfg.name, "SIREN demo");
    int rc = ws_save_config(ws, err);
    if (rc != SR_OK) {
        return rc;
    }
    fprintf(out, "SYNTHETIC DEMO WORKSPACE - no real people.\n"
                 "Demo accounts (passwords are shown only this once):\n");
    for (int r = 0; r < ROLE__COUNT; r++) {
        char user[40], pw[21];
        snprintf(user, sizeof user, "demo.%s", role_name((enum role)r));
        demo_password(pw);
        rc = user_add(ws->db, ws->vault, 0, user, codes[role_org[r]],
                      role_name((enum role)r), pw, &id, err);
        if (rc != SR_OK) {
            sodium_memzero(pw, sizeof pw);
            return rc;
        }
        fprintf(out, "  %-20s %s\n", user, pw);
        sodium_memzero(pw, sizeof pw);
    }
    rc = demo_hotline(ws, &rng, 0, err);
    if (rc == SR_OK) {
        rc = demo_referrals(ws, seed, err); /* after the contacts */
    }
    if (rc == SR_OK) {
        rc = demo_events(ws, seed, err);
    }
    if (rc == SR_OK) {
        rc = demo_cases_fill(ws, &rng, codes[0], err);
    }
    if (rc == SR_OK) {
        rc = demo_justice_fill(ws, &rng, codes[0], codes[1], codes[4], codes[3],
                               err);
    }
    return rc;
}
