/*
 * jfix.h - a small fixture of cases and people for the justice tests,
 * made with plain SQL inserts into case_file, person, case_person and
 * consent (the cases module's own functions are not needed for these
 * tests). SQLite is real; nothing is mocked.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JFIX_H
#define SR_JFIX_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "justice/justice.h"
#include "base/store.h"

/* Run SQL text made by the test itself (never input); exit on error. */
static inline void
jfix_exec(struct db *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "jfix: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        exit(2);
    }
}

/* A case with id, code K-<id>, org, identified on day (YYYY-MM-DD),
 * legal aid (0/1, from org), exploitation bits, industry, province. */
static inline void
jfix_case(struct db *db, int64_t id, int64_t org, const char *day,
          int legal_aid, int64_t exploitation, const char *industry,
          const char *province)
{
    int64_t t;
    struct sr_err err = { 0 };
    if (justice_parse_day(day, "day", &t, &err) != SR_OK) {
        exit(2);
    }
    char sql[1024], la[24], la_from[24];
    snprintf(la, sizeof la, "%lld", (long long)org);
    snprintf(la_from, sizeof la_from, "%lld", (long long)t);
    snprintf(sql, sizeof sql,
             "INSERT INTO case_file(id, code, org_id, identified_at,"
             " exploitation, industry, exploit_province, legal_aid_org_id,"
             " legal_aid_from, created_at, updated_at)"
             " VALUES (%lld, 'K-TEST-%04lld', %lld, %lld, %lld, '%s', '%s',"
             " %s, %s, %lld, %lld)",
             (long long)id, (long long)id, (long long)org, (long long)t,
             (long long)exploitation, industry, province,
             legal_aid ? la : "NULL", legal_aid ? la_from : "NULL",
             (long long)t, (long long)t);
    jfix_exec(db, sql);
}

/* A victim person id in case case_id; consent is "" (none), or a list
 * of research states oldest first, e.g. "given,declined". */
static inline void
jfix_victim(struct db *db, int64_t person_id, int64_t case_id, int64_t org,
            const char *states)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO person(id, code, org_id, created_at)"
             " VALUES (%lld, 'P-TEST-%04lld', %lld, 0);"
             "INSERT INTO case_person(case_id, person_id, role, added_at)"
             " VALUES (%lld, %lld, 'victim', 0);",
             (long long)person_id, (long long)person_id, (long long)org,
             (long long)case_id, (long long)person_id);
    jfix_exec(db, sql);
    const char *p = states;
    while (p != NULL && *p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        snprintf(sql, sizeof sql,
                 "INSERT INTO consent(person_id, purpose, state,"
                 " recorded_at) VALUES (%lld, 'research', '%.*s', 0)",
                 (long long)person_id, (int)n, p);
        jfix_exec(db, sql);
        p = end ? end + 1 : NULL;
    }
}

#endif
