/*
 * org.c - the organisation table and its SQL.
 *
 * Owns table org. Every write is audited in its transaction.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/org.h"

#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/vocab.h"
#include "core/gazetteer.h"
#include "core/field.h"
#include "core/phone.h"
#include "base/vault.h"
#include "core/banned.h"

enum org_stmt {
    ORG_INSERT,
    ORG_BY_CODE,
    ORG_LIST,
    ORG_CLEAR_PROVINCES,
    ORG_CLEAR_LANGUAGES,
    ORG_CLEAR_SERVICES,
    ORG_ADD_PROVINCE,
    ORG_ADD_LANGUAGE,
    ORG_ADD_SERVICE,
    ORG_SET_EMERGENCY,
    ORG_SET_CONTACT,
    ORG_SET_PHONE,
    ORG_GET_CONTACT,
    ORG_SEARCH,
    ORG_ENTRY,
    ORG__COUNT
};

/* The columns of a directory entry; list is DB_SORTED_LIST or its
 * PostgreSQL form. */
#define ORG_ENTRY_COLS(list)                                                                                                         \
    "o.id, o.code, o.name, o.kind, o.country, " list("province", "FROM org_province WHERE org_id = o.id") ", " list(                 \
        "language",                                                                                                                  \
        "FROM org_language WHERE org_id = o.id") ", " list("service",                                                                \
                                                           "FROM org_service WHERE org_id = o.id") ", o.is_emergency, o.is_active, " \
                                                                                                   "COALESCE(o.emergency_phone, '')"
#define ORG_SELECT_SQL(tail)                            \
    "SELECT " ORG_ENTRY_COLS(DB_SORTED_LIST) tail DB_PG \
        "SELECT " ORG_ENTRY_COLS(DB_SORTED_LIST_PG) tail

static const char *const org_sql[ORG__COUNT] = {
    [ORG_INSERT] = "INSERT INTO org(code, name, kind, country, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ORG_BY_CODE] = "SELECT id"
                    "  FROM org"
                    " WHERE code = ?1",
    [ORG_LIST] = "SELECT o.id, o.code, o.name, o.kind, o.country,"
                 "       o.is_active,"
                 "       (SELECT count(*) FROM \"user\" AS u"
                 "         WHERE u.org_id = o.id)"
                 "  FROM org AS o"
                 " ORDER BY o.name",
    [ORG_CLEAR_PROVINCES] = "DELETE FROM org_province"
                            " WHERE org_id = ?1",
    [ORG_CLEAR_LANGUAGES] = "DELETE FROM org_language"
                            " WHERE org_id = ?1",
    [ORG_CLEAR_SERVICES] = "DELETE FROM org_service"
                           " WHERE org_id = ?1",
    [ORG_ADD_PROVINCE] = "INSERT INTO org_province(org_id, province)"
                         " VALUES (?1, ?2)"
                         " ON CONFLICT DO NOTHING",
    [ORG_ADD_LANGUAGE] = "INSERT INTO org_language(org_id, language)"
                         " VALUES (?1, ?2)"
                         " ON CONFLICT DO NOTHING",
    [ORG_ADD_SERVICE] = "INSERT INTO org_service(org_id, service)"
                        " VALUES (?1, ?2)"
                        " ON CONFLICT DO NOTHING",
    [ORG_SET_EMERGENCY] = "UPDATE org"
                          "   SET is_emergency = ?2"
                          " WHERE id = ?1",
    [ORG_SET_CONTACT] = "UPDATE org"
                        "   SET contact_details = ?2"
                        " WHERE id = ?1",
    [ORG_SET_PHONE] = "UPDATE org"
                      "   SET emergency_phone = ?2"
                      " WHERE id = ?1",
    [ORG_GET_CONTACT] = "SELECT contact_details, code, country"
                        "  FROM org"
                        " WHERE id = ?1",
    [ORG_SEARCH] =
        ORG_SELECT_SQL("  FROM org AS o"
                       " WHERE o.is_active = 1"
                       "   AND (?1 = '' OR EXISTS (SELECT 1 FROM org_province"
                       "        WHERE org_id = o.id AND province = ?1))"
                       "   AND (?2 = '' OR EXISTS (SELECT 1 FROM org_language"
                       "        WHERE org_id = o.id AND language = ?2))"
                       "   AND (?3 = '' OR EXISTS (SELECT 1 FROM org_service"
                       "        WHERE org_id = o.id AND service = ?3))"
                       "   AND (?4 = 0 OR o.is_emergency = 1)"
                       " ORDER BY o.name"),
    [ORG_ENTRY] = ORG_SELECT_SQL("  FROM org AS o"
                                 " WHERE o.id = ?1"),
};

static int
kind_valid(const char *kind)
{
    return vocab_find(org_kinds, kind) >= 0;
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
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, country);
    db_bind_i64(s, 5, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    struct audit_entry e = { actor_id, "org.add", "org", code, kind };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc != SR_OK) {
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
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_BY_CODE]);
    db_bind_text(s, 1, code ? code : "");
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_i64(s, 0) : 0;
    db_done(s);
    if (rc == DB_ROW) {
        *out_id = id;
        return SR_OK;
    }
    if (rc == DB_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "org: no organisation '%s'",
                          code ? code : "");
    }
    return db_error(db, err, "cannot find organisation");
}

/* A listing's caller, as db_each() hands it to visit_org() or
 * visit_entry(), and how many rows it was given. */
struct org_visit {
    int (*org_fn)(const struct org_row *o, void *ctx);
    int (*entry_fn)(const struct org_entry *e, void *ctx);
    void *ctx;
    int64_t n_rows;
};

static int
visit_org(struct db_stmt *s, void *p)
{
    struct org_visit *v = p;
    struct org_row o = {
        .id = db_col_i64(s, 0),
        .code = db_col_text(s, 1),
        .name = db_col_text(s, 2),
        .kind = db_col_text(s, 3),
        .country = db_col_text(s, 4),
        .is_active = db_col_int(s, 5),
        .n_users = db_col_i64(s, 6),
    };
    return v->org_fn(&o, v->ctx);
}

int
org_list(struct db *db, int (*fn)(const struct org_row *o, void *ctx),
         void *ctx, struct sr_err *err)
{
    struct org_visit v = { .org_fn = fn, .ctx = ctx };
    return db_each(db, db_stmt(db, &org_sql[ORG_LIST]), visit_org, &v,
                   "cannot list organisations", err);
}

static int
check_codes(const char *const *codes, size_t n, const struct vocab_item *list,
            int is_province, const char *field, struct sr_err *err)
{
    if (n > 200) {
        return sr_err_set(err, SR_EINVAL, "%s: more than 200 values", field);
    }
    for (size_t i = 0; i < n; i++) {
        int ok = is_province ? gaz_find(codes[i]) != NULL
                             : vocab_find(list, codes[i]) >= 0;
        if (!ok) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: '%s' is not one of the allowed values",
                              field, codes[i] ? codes[i] : "");
        }
    }
    return SR_OK;
}

static int
replace_set(struct db *db, enum org_stmt clear, enum org_stmt add,
            int64_t org_id, const char *const *codes, size_t n,
            struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &org_sql[clear]);
    db_bind_i64(s, 1, org_id);
    int rc = db_exec_stmt(db, s, err);
    for (size_t i = 0; i < n && rc == SR_OK; i++) {
        s = db_stmt(db, &org_sql[add]);
        db_bind_i64(s, 1, org_id);
        db_bind_text(s, 2, codes[i]);
        rc = db_exec_stmt(db, s, err);
    }
    return rc;
}

int
org_set_profile(struct db *db, const struct vault *v, int64_t actor_id,
                int64_t org_id, const struct org_profile *p, struct sr_err *err)
{
    int rc;
    if ((rc = check_codes(p->provinces, p->n_provinces, NULL, 1, "provinces",
                          err)) != SR_OK ||
        (rc = check_codes(p->languages, p->n_languages, vocab_languages, 0,
                          "languages", err)) != SR_OK ||
        (rc = check_codes(p->services, p->n_services, org_services, 0,
                          "services", err)) != SR_OK) {
        return rc;
    }
    if (p->is_emergency != 0 && p->is_emergency != 1) {
        return sr_err_set(err, SR_EINVAL, "is_emergency: must be 0 or 1");
    }
    size_t cd_len = p->contact_details ? strlen(p->contact_details) : 0;
    if (cd_len > 2000 ||
        !sr_utf8_valid(p->contact_details ? p->contact_details : "", cd_len)) {
        return sr_err_set(err, SR_EINVAL,
                          "contact_details: at most 2000 bytes of UTF-8");
    }
    if ((rc = field_phone(p->emergency_phone, "emergency_phone", err)) !=
        SR_OK) {
        return rc;
    }
    char code[32] = "", country[8] = "";
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_GET_CONTACT]);
    db_bind_i64(s, 1, org_id);
    int step = db_step(s);
    if (step == DB_ROW) {
        snprintf(code, sizeof code, "%s", db_col_text(s, 1));
        snprintf(country, sizeof country, "%s", db_col_text(s, 2));
    }
    db_done(s);
    if (step != DB_ROW) {
        return sr_err_set(err, SR_ENOTFOUND, "org: no such organisation");
    }
    char phone[PHONE_MAX] = "";
    if (p->emergency_phone != NULL &&
        phone_e164(p->emergency_phone,
                   phone_region_or(country, p->phone_region), phone,
                   sizeof phone) < 0) {
        return sr_err_set(err, SR_EINVAL, "emergency_phone: at most 63 bytes");
    }
    struct sr_buf enc;
    sr_buf_init(&enc, 0);
    if (p->contact_details != NULL && cd_len > 0) {
        rc = vault_encrypt(v, "org", "contact_details", org_id,
                           p->contact_details, cd_len, &enc, err);
        if (rc != SR_OK) {
            sr_buf_release(&enc);
            return rc;
        }
    }
    rc = db_begin_write(db, err);
    if (rc == SR_OK) {
        rc = replace_set(db, ORG_CLEAR_PROVINCES, ORG_ADD_PROVINCE, org_id,
                         p->provinces, p->n_provinces, err);
    }
    if (rc == SR_OK) {
        rc = replace_set(db, ORG_CLEAR_LANGUAGES, ORG_ADD_LANGUAGE, org_id,
                         p->languages, p->n_languages, err);
    }
    if (rc == SR_OK) {
        rc = replace_set(db, ORG_CLEAR_SERVICES, ORG_ADD_SERVICE, org_id,
                         p->services, p->n_services, err);
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &org_sql[ORG_SET_EMERGENCY]);
        db_bind_i64(s, 1, org_id);
        db_bind_int(s, 2, p->is_emergency);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK && p->contact_details != NULL) {
        s = db_stmt(db, &org_sql[ORG_SET_CONTACT]);
        db_bind_i64(s, 1, org_id);
        if (enc.len > 0) {
            db_bind_blob(s, 2, enc.data, enc.len);
        } else {
            db_bind_null(s, 2);
        }
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK && p->emergency_phone != NULL) {
        s = db_stmt(db, &org_sql[ORG_SET_PHONE]);
        db_bind_i64(s, 1, org_id);
        if (phone[0] != '\0') {
            db_bind_text(s, 2, phone);
        } else {
            db_bind_null(s, 2);
        }
        rc = db_exec_stmt(db, s, err);
    }
    struct audit_entry e = { actor_id, "org.profile", "org", code, "" };
    rc = audit_finish(db, v, &e, rc, err);
    sr_buf_release(&enc);
    return rc;
}

static int
visit_entry(struct db_stmt *s, void *p)
{
    struct org_visit *v = p;
    struct org_entry e = {
        .id = db_col_i64(s, 0),
        .code = db_col_text(s, 1),
        .name = db_col_text(s, 2),
        .kind = db_col_text(s, 3),
        .country = db_col_text(s, 4),
        .provinces = db_col_text(s, 5),
        .languages = db_col_text(s, 6),
        .services = db_col_text(s, 7),
        .is_emergency = db_col_int(s, 8),
        .is_active = db_col_int(s, 9),
        .emergency_phone = db_col_text(s, 10),
    };
    v->n_rows++;
    return v->entry_fn(&e, v->ctx);
}

int
org_search(struct db *db, const char *province, const char *language,
           const char *service, int emergency_only,
           int (*fn)(const struct org_entry *e, void *ctx), void *ctx,
           struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_SEARCH]);
    db_bind_text(s, 1, province ? province : "");
    db_bind_text(s, 2, language ? language : "");
    db_bind_text(s, 3, service ? service : "");
    db_bind_int(s, 4, emergency_only ? 1 : 0);
    struct org_visit v = { .entry_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_entry, &v, "cannot search organisations", err);
}

int
org_get_entry(struct db *db, int64_t id,
              int (*fn)(const struct org_entry *e, void *ctx), void *ctx,
              struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_ENTRY]);
    db_bind_i64(s, 1, id);
    struct org_visit v = { .entry_fn = fn, .ctx = ctx };
    int rc =
        db_each(db, s, visit_entry, &v, "cannot search organisations", err);
    if (rc == SR_OK && v.n_rows == 0) {
        return sr_err_set(err, SR_ENOTFOUND, "org: no such organisation");
    }
    return rc;
}

int
org_shows_emergency_phone(enum role r)
{
    return r == ROLE_HOTLINE || r == ROLE_COORDINATOR || r == ROLE_CASEWORKER;
}

int
org_contact_details(struct db *db, const struct vault *v, int64_t actor_id,
                    int64_t org_id, struct sr_buf *out, struct sr_err *err)
{
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &org_sql[ORG_GET_CONTACT]);
    db_bind_i64(s, 1, org_id);
    int step = db_step(s);
    char code[32] = "";
    if (step != DB_ROW) {
        rc = sr_err_set(err, SR_ENOTFOUND, "org: no such organisation");
    } else {
        snprintf(code, sizeof code, "%s", db_col_text(s, 1));
        int n = db_col_bytes(s, 0);
        if (n > 0) {
            rc = vault_decrypt(v, "org", "contact_details", org_id,
                               db_col_blob(s, 0), (size_t)n, out, err);
        }
    }
    db_done(s);
    struct audit_entry e = { actor_id, "org.view_contact", "org", code, "" };
    return audit_finish(db, v, &e, rc, err);
}
