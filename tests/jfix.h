/*
 * jfix.h - a small fixture of cases and people for the justice tests,
 * made with plain SQL inserts into case_file, person, case_person and
 * consent (the cases module's own functions are not needed for these
 * tests), through the store's statement API, so on either store
 * (fixture.h). The store is real; nothing is mocked.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_JFIX_H
#define SR_JFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "justice/justice.h"
#include "base/store.h"

static const char *const jfix_sql[] = {
    "INSERT INTO case_file(id, code, org_id, identified_at, exploitation,"
    " industry, exploit_province, legal_aid_org_id, legal_aid_from,"
    " created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?4, ?4)",
    "INSERT INTO person(id, code, org_id, created_at) VALUES (?1, ?2, ?3, 0)",
    "INSERT INTO case_person(case_id, person_id, role, added_at)"
    " VALUES (?1, ?2, 'victim', 0)",
    "INSERT INTO consent(person_id, purpose, state, recorded_at)"
    " VALUES (?1, 'research', ?2, 0)",
};
enum { JFIX_CASE, JFIX_PERSON, JFIX_CASE_PERSON, JFIX_CONSENT };

/* Run s, bound by the caller, to its end; exit on error. */
static inline void
jfix_exec(struct db *db, struct db_stmt *s)
{
    struct sr_err err = { 0 };
    if (db_exec_stmt(db, s, &err) != SR_OK) {
        fprintf(stderr, "jfix: %s\n", sr_err_msg(&err));
        exit(2);
    }
}

/* A case with id, code K-TEST-<id>, org, identified on day (YYYY-MM-DD),
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
    char code[32];
    snprintf(code, sizeof code, "K-TEST-%04lld", (long long)id);
    struct db_stmt *s = db_stmt(db, &jfix_sql[JFIX_CASE]);
    db_bind_i64(s, 1, id);
    db_bind_text(s, 2, code);
    db_bind_i64(s, 3, org);
    db_bind_i64(s, 4, t);
    db_bind_i64(s, 5, exploitation);
    db_bind_text(s, 6, industry);
    db_bind_text(s, 7, province);
    if (legal_aid) {
        db_bind_i64(s, 8, org);
        db_bind_i64(s, 9, t);
    } else {
        db_bind_null(s, 8);
        db_bind_null(s, 9);
    }
    jfix_exec(db, s);
}

/* A victim person id in case case_id; consent is "" (none), or a list
 * of research states oldest first, e.g. "given,declined". */
static inline void
jfix_victim(struct db *db, int64_t person_id, int64_t case_id, int64_t org,
            const char *states)
{
    char code[32];
    snprintf(code, sizeof code, "P-TEST-%04lld", (long long)person_id);
    struct db_stmt *s = db_stmt(db, &jfix_sql[JFIX_PERSON]);
    db_bind_i64(s, 1, person_id);
    db_bind_text(s, 2, code);
    db_bind_i64(s, 3, org);
    jfix_exec(db, s);
    s = db_stmt(db, &jfix_sql[JFIX_CASE_PERSON]);
    db_bind_i64(s, 1, case_id);
    db_bind_i64(s, 2, person_id);
    jfix_exec(db, s);
    const char *p = states;
    while (p != NULL && *p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        s = db_stmt(db, &jfix_sql[JFIX_CONSENT]);
        db_bind_i64(s, 1, person_id);
        db_bind_textn(s, 2, p, n);
        jfix_exec(db, s);
        p = end ? end + 1 : NULL;
    }
}

#endif
