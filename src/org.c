/*
 * org.c - the organisation table and its SQL.
 *
 * Owns table org. Every write is audited in its transaction.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "org.h"

#include <string.h>

#include "audit.h"
#include "buf.h"
#include "clock.h"
#include "vault.h"
#include "banned.h"

const char *const org_kinds[] = { "ngo",
                                  "legal_aid",
                                  "labour_rights",
                                  "shelter",
                                  "health",
                                  "faith_based",
                                  "community_based",
                                  "police",
                                  "prosecutor",
                                  "labour_inspection",
                                  "social_welfare",
                                  "embassy",
                                  "un",
                                  "hotline",
                                  NULL };

enum org_stmt { ORG_INSERT, ORG_BY_CODE, ORG_LIST, ORG__COUNT };

static const char *const org_sql[ORG__COUNT] = {
    [ORG_INSERT] = "INSERT INTO org(code, name, kind, country, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ORG_BY_CODE] = "SELECT id"
                    "  FROM org"
                    " WHERE code = ?1",
    [ORG_LIST] = "SELECT o.id, o.code, o.name, o.kind, o.country,"
                 "       o.is_active,"
                 "       (SELECT count(*) FROM user AS u"
                 "         WHERE u.org_id = o.id)"
                 "  FROM org AS o"
                 " ORDER BY o.name",
};

static int
kind_valid(const char *kind)
{
    for (size_t i = 0; org_kinds[i] != NULL; i++) {
        if (strcmp(org_kinds[i], kind) == 0) {
            return 1;
        }
    }
    return 0;
}

int
org_add(struct db *db, const struct vault *v, int64_t actor_id,
        const char *name, const char *kind, const char *country,
        char code_out[32], int64_t *out_id, struct sr_err *err)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || len > 200 || !sr_utf8_valid(name, len)) {
        return sr_err_set(err, SR_EINVAL,
                          "name: must be 1 to 200 bytes of UTF-8 text");
    }
    if (kind == NULL || !kind_valid(kind)) {
        return sr_err_set(err, SR_EINVAL, "kind: unknown organisation kind");
    }
    if (country == NULL ||
        !(country[0] == '\0' ||
          (strlen(country) == 2 && country[0] >= 'A' && country[0] <= 'Z' &&
           country[1] >= 'A' && country[1] <= 'Z'))) {
        return sr_err_set(err, SR_EINVAL,
                          "country: must be an ISO 3166-1 alpha-2 code");
    }
    char code[32];
    vault_code("O", code, sizeof code);
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    sqlite3_stmt *s = db_stmt(db, &org_sql[ORG_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, country);
    sqlite3_bind_int64(s, 5, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    if (rc == SR_OK) {
        struct audit_entry e = { actor_id, "org.add", "org", code, kind };
        rc = audit_append(db, v, &e, err);
    }
    if (rc == SR_OK) {
        rc = db_commit(db, err);
    }
    if (rc != SR_OK) {
        db_rollback(db);
        return rc;
    }
    memcpy(code_out, code, sizeof code);
    *out_id = id;
    return SR_OK;
}

int
org_id_by_code(struct db *db, const char *code, int64_t *out_id,
               struct sr_err *err)
{
    sqlite3_stmt *s = db_stmt(db, &org_sql[ORG_BY_CODE]);
    db_bind_text(s, 1, code ? code : "");
    int rc = sqlite3_step(s);
    int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    db_done(s);
    if (rc == SQLITE_ROW) {
        *out_id = id;
        return SR_OK;
    }
    if (rc == SQLITE_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "org: no organisation '%s'",
                          code ? code : "");
    }
    return db_error(db, err, "cannot find organisation");
}

int
org_list(struct db *db, int (*fn)(const struct org_row *o, void *ctx),
         void *ctx, struct sr_err *err)
{
    sqlite3_stmt *s = db_stmt(db, &org_sql[ORG_LIST]);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct org_row o = {
            .id = sqlite3_column_int64(s, 0),
            .code = db_col_text(s, 1),
            .name = db_col_text(s, 2),
            .kind = db_col_text(s, 3),
            .country = db_col_text(s, 4),
            .is_active = sqlite3_column_int(s, 5),
            .n_users = sqlite3_column_int64(s, 6),
        };
        if (fn(&o, ctx) != 0) {
            break;
        }
    }
    db_done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? SR_OK
               : db_error(db, err, "cannot list organisations");
}
