/*
 * access_table.h - who may use each route, written down by hand from a
 * reading of src/base/policy.c (the rules) and src/web/routes.c (the
 * action each route needs), so that test_access.c checks the server
 * against an answer it did not compute from the tables it tests.
 *
 * One letter per caller: A admin, C coordinator, H hotline, W case
 * worker, I investigator, N analyst, P partner (all signed in, in
 * organisation A), a anonymous, d a user whose account was disabled
 * after signing in. allowed: who may pass the route's policy check;
 * every other caller must be refused. out: who may act on the record the
 * test names when that differs (NULL: as allowed): for {id}, a user of
 * organisation B (a coordinator sees only their own organisation's); for
 * {code}, a code no record has, which a case worker, who may change only
 * their own cases, is refused like any case not theirs (403).
 *
 * A route added to routes.c without a row here fails test_access; so
 * does a row here without its route.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ACCESS_TABLE_H
#define SR_ACCESS_TABLE_H

#define EVERYONE  "ACHWINPad"
#define SIGNED_IN "ACHWINP"

struct access_row {
    int method;          /* one enum http_method */
    const char *pattern; /* as in routes.c */
    const char *allowed; /* callers allowed, one letter each */
    const char *out;     /* callers allowed on another organisation's user */
};

static const struct access_row access_table[] = {
    /* public and any signed-in user */
    { HTTP_GET, "/", EVERYONE, NULL },
    { HTTP_GET, "/health", EVERYONE, NULL },
    { HTTP_GET, "/ready", EVERYONE, NULL },
    { HTTP_GET, "/static/{name}", EVERYONE, NULL },
    { HTTP_GET, "/login", EVERYONE, NULL },
    { HTTP_POST, "/login", EVERYONE, NULL },
    { HTTP_POST, "/login/code", EVERYONE, NULL },
    { HTTP_POST, "/login/enrol", EVERYONE, NULL },
    { HTTP_POST, "/logout", SIGNED_IN, NULL },
    { HTTP_POST, "/lang", EVERYONE, NULL },
    { HTTP_GET, "/dashboard", SIGNED_IN, NULL },
    { HTTP_GET, "/account", SIGNED_IN, NULL },
    { HTTP_POST, "/account/password", SIGNED_IN, NULL },
    { HTTP_POST, "/account/totp", SIGNED_IN, NULL },
    { HTTP_POST, "/account/totp/confirm", SIGNED_IN, NULL },
    /* administrators and coordinators must keep their second factor */
    { HTTP_POST, "/account/totp/off", "HWINP", NULL },
    { HTTP_GET, "/api/v1/me", SIGNED_IN, NULL },
    /* users, organisations, audit */
    { HTTP_GET, "/users", "AC", NULL },
    { HTTP_POST, "/users", "A", NULL },
    { HTTP_GET, "/users/sessions", "A", NULL },
    { HTTP_POST, "/users/sessions", "A", NULL },
    { HTTP_GET, "/users/{id}", "AC", "A" },
    { HTTP_POST, "/users/{id}", "A", "A" },
    { HTTP_POST, "/users/{id}/totp-reset", "A", "A" },
    { HTTP_POST, "/users/{id}/password", "A", "A" },
    { HTTP_GET, "/api/v1/users", "AC", NULL },
    { HTTP_GET, "/orgs", SIGNED_IN, NULL },
    { HTTP_POST, "/orgs", "A", NULL },
    { HTTP_GET, "/audit", "AC", NULL },
    { HTTP_GET, "/api/v1/audit/verify", "A", NULL },
    /* the referral network */
    { HTTP_GET, "/directory", SIGNED_IN, NULL },
    { HTTP_GET, "/directory/{code}", SIGNED_IN, NULL },
    { HTTP_POST, "/directory/{code}", "A", NULL },
    { HTTP_GET, "/api/v1/directory", SIGNED_IN, NULL },
    { HTTP_GET, "/contacts/{code}/refer", "CHW", NULL },
    { HTTP_POST, "/contacts/{code}/refer", "CHW", NULL },
    { HTTP_GET, "/referrals", "CHWP", NULL },
    { HTTP_GET, "/referrals/inbox", "CHWP", NULL },
    { HTTP_GET, "/referrals/{code}", "CHWP", NULL },
    { HTTP_POST, "/referrals/{code}/answer", "P", NULL },
    { HTTP_POST, "/referrals/{code}/close", "CHW", NULL },
    { HTTP_GET, "/api/v1/referrals", "CHWP", NULL },
    /* justice, the funnel, offenders */
    { HTTP_GET, "/justice/{id}/events/new", "CWI", NULL },
    { HTTP_POST, "/justice/{id}/events", "CWI", NULL },
    { HTTP_GET, "/reports/funnel", "CIN", NULL },
    { HTTP_GET, "/reports/funnel.csv", "CIN", NULL },
    { HTTP_GET, "/reports/funnel.json", "CIN", NULL },
    { HTTP_GET, "/entities", "CI", NULL },
    { HTTP_POST, "/entities", "I", NULL },
    { HTTP_GET, "/entities/new", "I", NULL },
    { HTTP_GET, "/entities/{code}", "CI", NULL },
    { HTTP_POST, "/entities/{code}/links", "I", NULL },
    { HTTP_POST, "/entities/{code}/cases", "I", NULL },
    { HTTP_POST, "/entities/{code}/suggestions", "I", NULL },
    { HTTP_GET, "/entities/{code}/network", "CI", NULL },
    { HTTP_GET, "/entities/{code}/casefile", "CI", NULL },
    { HTTP_GET, "/reports/offenders", "CI", NULL },
    { HTTP_GET, "/reports/network", "N", NULL },
    { HTTP_GET, "/reports/network.json", "N", NULL },
    /* contacts */
    { HTTP_GET, "/contacts", "CHW", NULL },
    { HTTP_POST, "/contacts", "CHW", NULL },
    { HTTP_GET, "/contacts/new", "CHW", NULL },
    { HTTP_GET, "/contacts/{code}", "CHW", NULL },
    { HTTP_POST, "/contacts/{code}/delete", "C", NULL },
    { HTTP_POST, "/api/v1/contacts/lookup", "CHW", NULL },
    { HTTP_GET, "/api/v1/orgs/emergency", "CHW", NULL },
    /* the hotline's report and its events */
    { HTTP_GET, "/reports/hotline", "CHN", NULL },
    { HTTP_GET, "/reports/hotline.csv", "CHN", NULL },
    { HTTP_GET, "/reports/hotline.json", "CHN", NULL },
    { HTTP_GET, "/events", "C", NULL },
    { HTTP_POST, "/events", "C", NULL },
    /* cases and people */
    { HTTP_GET, "/cases", "CWI", NULL },
    { HTTP_POST, "/cases", "CHW", NULL },
    { HTTP_GET, "/cases/new", "CHW", NULL },
    { HTTP_GET, "/cases/{code}", "CWI", NULL },
    { HTTP_POST, "/cases/{code}", "CW", "C" },
    { HTTP_POST, "/cases/{code}/status", "CW", "C" },
    { HTTP_POST, "/cases/{code}/notes", "CW", "C" },
    { HTTP_POST, "/cases/{code}/support", "CW", "C" },
    { HTTP_GET, "/cases/{code}/edit", "CW", NULL },
    { HTTP_GET, "/cases/{code}/refer", "CHW", NULL },
    { HTTP_POST, "/cases/{code}/refer", "CHW", NULL },
    { HTTP_GET, "/cases/{code}/people/new", "CHW", NULL },
    { HTTP_POST, "/cases/{code}/people", "CHW", NULL },
    { HTTP_GET, "/people/{code}", "CWI", NULL },
    { HTTP_POST, "/people/{code}/consent", "CW", NULL },
    { HTTP_POST, "/people/{code}/glass", "W", NULL },
    { HTTP_GET, "/duplicates", "CW", NULL },
    { HTTP_POST, "/duplicates/{id}", "CW", NULL },
    { HTTP_GET, "/glass", "C", NULL },
    { HTTP_POST, "/glass/{id}", "C", NULL },
    { HTTP_GET, "/api/v1/cases", "CWI", NULL },
    { HTTP_GET, "/api/v1/cases/{code}", "CWI", NULL },
    { HTTP_GET, "/api/v1/people/{code}", "CWI", NULL },
    /* survey data sets and analyses */
    { HTTP_GET, "/stats", "CN", NULL },
    { HTTP_POST, "/stats/datasets", "CN", NULL },
    { HTTP_GET, "/stats/datasets/{id}", "CN", NULL },
    { HTTP_POST, "/stats/datasets/{id}/delete", "CN", NULL },
    { HTTP_GET, "/stats/analyses/new", "CN", NULL },
    { HTTP_POST, "/stats/analyses", "CN", NULL },
    { HTTP_GET, "/stats/analyses/{id}", "CN", NULL },
    { HTTP_GET, "/api/v1/datasets", "CN", NULL },
    { HTTP_POST, "/api/v1/datasets", "CN", NULL },
    { HTTP_POST, "/api/v1/analyses", "CN", NULL },
    { HTTP_GET, "/api/v1/analyses/{id}", "CN", NULL },
};

#endif
