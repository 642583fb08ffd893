/*
 * entity.c - offenders and businesses, their aliases and identifiers,
 * their links to cases and to each other, and shared-identifier
 * suggestions.
 *
 * Owns tables entity, entity_alias, entity_identifier, case_entity and
 * entity_link; reads case_file, case_person and justice_event for
 * counts. Identity data (names, aliases, identifier values) is stored
 * only through vault_encrypt with a blind index, and decrypted only in
 * entity_identity() and entity_names(), which are audited, and only for
 * a principal that may see identities. Every read and write takes the
 * principal and applies its scope (principal_scope(): entity.read,
 * entity.manage; a case's through justice.c) itself. Must not log or put
 * in an error message any name or identifier.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "justice/entity.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/audit.h"
#include "core/clock.h"
#include "base/vault.h"
#include "core/phone.h"
#include "justice/justice.h"
#include "core/banned.h"

enum entity_stmt {
    E_INSERT,
    E_SET_NAME,
    E_INSERT_ALIAS,
    E_SET_ALIAS,
    E_INSERT_IDENT,
    E_SET_IDENT,
    E_SAME_IDENT,
    E_SUGGEST,
    E_BY_CODE,
    E_BY_ID,
    E_LIST_CODE,
    E_LIST_RANK,
    E_LIST_AFTER,
    E_LIST_COUNT,
    E_NAME,
    E_NAMES,
    E_ALIASES,
    E_IDENTS,
    E_CASE_LINK,
    E_LINK_FIND,
    E_LINK_INSERT,
    E_LINK_CONFIRM,
    E_LINK_DECIDE,
    E_CASES,
    E_LINKS,
    E_OF_CASE,
    E_LINK_ENDS,
    E__COUNT
};

/* The live entities in a reader's entity.read scope: org (0 = all) and
 * owner (0 = anyone's), the placeholders given. */
#define E_LIST_SCOPE_SQL(org, owner)             \
    " WHERE e.deleted_at IS NULL"                \
    "   AND (" org " = 0 OR e.org_id = " org ")" \
    "   AND (" owner " = 0 OR coalesce(e.created_by, 0) = " owner ")"
#define E_AFTER_SQL E_LIST_SCOPE_SQL("?3", "?4")
#define E_COUNT_SQL E_LIST_SCOPE_SQL("?1", "?2")

/* The names of a list of entities (the network's labels) in one
 * statement: ?1 is the list (store.h's DB_IN_ID_LIST). */
#define E_NAMES_SQL(in_ids)                            \
    "SELECT id, name, org_id, coalesce(created_by, 0)" \
    "  FROM entity"                                    \
    " WHERE " in_ids " AND (?2 = 0 OR org_id = ?2)"

#define E_ROW_COLS                                                   \
    "e.id, e.code, e.org_id, coalesce(e.created_by, 0), e.kind,"     \
    " e.country, e.roles,"                                           \
    " (SELECT count(*) FROM case_entity AS ce"                       \
    "    JOIN case_file AS c ON c.id = ce.case_id"                   \
    "   WHERE ce.entity_id = e.id AND c.deleted_at IS NULL),"        \
    " (SELECT count(DISTINCT cp.person_id) FROM case_entity AS ce"   \
    "    JOIN case_person AS cp ON cp.case_id = ce.case_id"          \
    "   WHERE ce.entity_id = e.id AND cp.role = 'victim'),"          \
    " coalesce((SELECT max(j.stage) FROM justice_event_entity AS je" \
    "    JOIN justice_event AS j ON j.id = je.event_id"              \
    "   WHERE je.entity_id = e.id), 0)"

#define CASE_VICTIMS                                     \
    "(SELECT count(DISTINCT person_id) FROM case_person" \
    "  WHERE case_id = c.id AND role = 'victim')"
#define CASE_STAGE                                   \
    "coalesce((SELECT max(stage) FROM justice_event" \
    "           WHERE case_id = c.id), 0)"

static const char *const entity_sql[E__COUNT] = {
    [E_INSERT] = "INSERT INTO entity(code, org_id, kind, country, roles,"
                 "       created_by, created_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [E_SET_NAME] = "UPDATE entity"
                   "   SET name = ?2, name_idx = ?3"
                   " WHERE id = ?1",
    [E_INSERT_ALIAS] = "INSERT INTO entity_alias(entity_id, alias, alias_idx,"
                       "       created_at)"
                       " VALUES (?1, x'', ?2, ?3)",
    [E_SET_ALIAS] = "UPDATE entity_alias"
                    "   SET alias = ?2"
                    " WHERE id = ?1",
    [E_INSERT_IDENT] = "INSERT INTO entity_identifier(entity_id, kind, value,"
                       "       value_idx, created_at)"
                       " VALUES (?1, ?2, x'', ?3, ?4)",
    [E_SET_IDENT] = "UPDATE entity_identifier"
                    "   SET value = ?2"
                    " WHERE id = ?1",
    [E_SAME_IDENT] = "SELECT DISTINCT i.entity_id"
                     "  FROM entity_identifier AS i"
                     "  JOIN entity AS e ON e.id = i.entity_id"
                     " WHERE i.kind = ?1 AND i.value_idx = ?2"
                     "   AND i.entity_id <> ?3 AND e.deleted_at IS NULL"
                     " ORDER BY i.entity_id",
    [E_SUGGEST] = "INSERT INTO entity_link(from_id, to_id, kind,"
                  "       source, confidence, state, created_at)"
                  " VALUES (?1, ?2, ?3,"
                  "         'shared_identifier', 'high', 'suggested', ?4)"
                  " ON CONFLICT DO NOTHING",
    [E_BY_CODE] = "SELECT " E_ROW_COLS "  FROM entity AS e"
                  " WHERE e.code = ?1 AND e.deleted_at IS NULL"
                  "   AND (?2 = 0 OR e.org_id = ?2)",
    [E_BY_ID] = "SELECT " E_ROW_COLS "  FROM entity AS e"
                " WHERE e.id = ?1 AND e.deleted_at IS NULL"
                "   AND (?2 = 0 OR e.org_id = ?2)",
    [E_LIST_CODE] = "SELECT " E_ROW_COLS "  FROM entity AS e"
                    " WHERE e.deleted_at IS NULL"
                    "   AND (?3 = 0 OR e.org_id = ?3)"
                    "   AND (?4 = 0 OR coalesce(e.created_by, 0) = ?4)"
                    " ORDER BY e.code"
                    " LIMIT ?2 OFFSET ?1",
    [E_LIST_RANK] = "SELECT " E_ROW_COLS "  FROM entity AS e"
                    " WHERE e.deleted_at IS NULL"
                    "   AND (?3 = 0 OR e.org_id = ?3)"
                    "   AND (?4 = 0 OR coalesce(e.created_by, 0) = ?4)"
                    " ORDER BY 9 DESC, 8 DESC, 10 ASC, e.code"
                    " LIMIT ?2 OFFSET ?1",
    /* the list by code a page at a time: codes after ?1 (keyset) */
    [E_LIST_AFTER] = "SELECT " E_ROW_COLS "  FROM entity AS e" E_AFTER_SQL
                     "   AND e.code > ?1"
                     " ORDER BY e.code"
                     " LIMIT ?2",
    /* the list's rows over all its pages, up to ?3 */
    [E_LIST_COUNT] = "SELECT count(*)"
                     "  FROM (SELECT 1  FROM entity AS e" E_COUNT_SQL
                     "         LIMIT ?3) AS m",
    [E_NAME] = "SELECT name, code, org_id, coalesce(created_by, 0)"
               "  FROM entity"
               " WHERE id = ?1 AND (?2 = 0 OR org_id = ?2)",
    [E_NAMES] = E_NAMES_SQL(DB_IN_ID_LIST("id"))
        DB_PG E_NAMES_SQL(DB_IN_ID_LIST_PG("id")),
    [E_ALIASES] = "SELECT id, alias"
                  "  FROM entity_alias"
                  " WHERE entity_id = ?1"
                  " ORDER BY id",
    [E_IDENTS] = "SELECT id, kind, value"
                 "  FROM entity_identifier"
                 " WHERE entity_id = ?1"
                 " ORDER BY id",
    [E_CASE_LINK] = "INSERT INTO case_entity(case_id, entity_id, role,"
                    "       source, confidence, added_by, added_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                    " ON CONFLICT(case_id, entity_id) DO UPDATE"
                    "   SET role = excluded.role, source = excluded.source,"
                    "       confidence = excluded.confidence",
    [E_LINK_FIND] = "SELECT id, state"
                    "  FROM entity_link"
                    " WHERE from_id = ?1 AND to_id = ?2 AND kind = ?3",
    [E_LINK_INSERT] = "INSERT INTO entity_link(from_id, to_id, kind, source,"
                      "       confidence, state, created_by, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, 'confirmed', ?6, ?7)",
    [E_LINK_CONFIRM] = "UPDATE entity_link"
                       "   SET state = 'confirmed', source = ?2,"
                       "       confidence = ?3, decided_by = ?4,"
                       "       decided_at = ?5"
                       " WHERE id = ?1",
    [E_LINK_DECIDE] = "UPDATE entity_link"
                      "   SET state = ?2, decided_by = ?3, decided_at = ?4"
                      " WHERE id = ?1 AND state = 'suggested'",
    [E_CASES] = "SELECT c.id, c.code, ce.role, ce.source, ce.confidence,"
                "       c.org_id, " CASE_VICTIMS ", " CASE_STAGE
                "  FROM case_entity AS ce"
                "  JOIN case_file AS c ON c.id = ce.case_id"
                " WHERE ce.entity_id = ?1 AND c.deleted_at IS NULL"
                "   AND (?2 = 0 OR c.org_id = ?2)"
                " ORDER BY c.code",
    [E_LINKS] = "SELECT l.id, l.from_id = ?1, o.code, l.kind, l.source,"
                "       l.confidence, l.state"
                "  FROM entity_link AS l"
                "  JOIN entity AS o"
                "    ON o.id = CASE WHEN l.from_id = ?1 THEN l.to_id"
                "              ELSE l.from_id END"
                " WHERE (l.from_id = ?1 OR l.to_id = ?1)"
                "   AND o.deleted_at IS NULL"
                "   AND (?2 = 0 OR o.org_id = ?2)"
                "   AND (?3 = 0 OR coalesce(o.created_by, 0) = ?3)"
                " ORDER BY l.state = 'confirmed' DESC, o.code, l.kind",
    [E_OF_CASE] = "SELECT c.id, e.code, ce.role, ce.source, ce.confidence,"
                  "       c.org_id, 0, 0"
                  "  FROM case_entity AS ce"
                  "  JOIN entity AS e ON e.id = ce.entity_id"
                  "  JOIN case_file AS c ON c.id = ce.case_id"
                  " WHERE ce.case_id = ?1 AND e.deleted_at IS NULL"
                  " ORDER BY e.code",
    [E_LINK_ENDS] = "SELECT from_id, to_id"
                    "  FROM entity_link"
                    " WHERE id = ?1 AND state = 'suggested'",
};

int64_t
entity_role_bit(const char *code)
{
    int i = code != NULL ? vocab_find(entity_roles, code) : -1;
    return i < 0 ? 0 : (int64_t)1 << i;
}

static int
text_ok(const char *s, size_t max)
{
    size_t len = s != NULL ? strlen(s) : 0;
    return len > 0 && len <= max && sr_utf8_valid(s, len);
}

static int
country_ok(const char *c)
{
    return c == NULL || c[0] == '\0' ||
           (strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' &&
            c[1] <= 'Z');
}

/* Blind-index domain of an identifier kind: phones share the person
 * phone normalisation. */
static const char *
ident_domain(const char *kind)
{
    return strcmp(kind, "phone") == 0 ? "phone" : "eident";
}

/*
 * Check an identifier and give its stored form in form (PHONE_MAX bytes):
 * a phone as phone_e164() reads it in region (core/phone.h), any other
 * kind as it is; then its blind index in idx.
 */
static int
check_identifier(const struct vault *v, const char *kind, const char *value,
                 const char *region, char form[PHONE_MAX],
                 unsigned char idx[32], struct sr_err *err)
{
    if (kind == NULL || vocab_find(entity_id_kinds, kind) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "identifier: unknown kind of identifier");
    }
    if (!text_ok(value, 100)) {
        return sr_err_set(err, SR_EINVAL,
                          "identifier: must be 1 to 100 bytes of text");
    }
    int is_phone = strcmp(kind, "phone") == 0;
    if (is_phone && phone_e164(value, region, form, PHONE_MAX) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "identifier: a phone is at most 63 bytes");
    }
    const char *stored = is_phone ? form : value;
    struct sr_err e2 = { 0 };
    int rc = vault_blind_index(v, ident_domain(kind), stored, strlen(stored),
                               idx, &e2);
    sr_err_release(&e2);
    if (rc != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          strcmp(kind, "phone") == 0
                              ? "identifier: a phone needs digits"
                              : "identifier: nothing left after "
                                "normalising");
    }
    return SR_OK;
}

/* Bind the acting user to parameter i of s; none (0) leaves it NULL. */
static void
bind_actor(struct db_stmt *s, int i, int64_t actor_id)
{
    if (actor_id > 0) {
        db_bind_i64(s, i, actor_id);
    }
}

/* Encrypt plain for table.column of row and store it with stmt (?1 row,
 * ?2 blob, then extra binds already made by the caller). */
static int
store_cipher(struct db *db, const struct vault *v, struct db_stmt *s,
             const char *table, const char *column, int64_t row,
             const char *plain, struct sr_err *err)
{
    struct sr_buf blob;
    sr_buf_init(&blob, 0);
    int rc =
        vault_encrypt(v, table, column, row, plain, strlen(plain), &blob, err);
    if (rc == SR_OK) {
        db_bind_i64(s, 1, row);
        db_bind_blob(s, 2, blob.data, blob.len);
        rc = db_exec_stmt(db, s, err);
    } else {
        db_done(s);
    }
    sr_buf_release(&blob);
    return rc;
}

/* Insert one identifier and suggest links to entities sharing it
 * (phones and bank accounts). Inside the caller's transaction. */
static int
insert_identifier(struct db *db, const struct vault *v, int64_t entity_id,
                  const char *kind, const char *value,
                  const unsigned char idx[32], int *n_suggested,
                  struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &entity_sql[E_INSERT_IDENT]);
    db_bind_i64(s, 1, entity_id);
    db_bind_text(s, 2, kind);
    db_bind_blob(s, 3, idx, 32);
    db_bind_i64(s, 4, sr_now());
    int rc = db_exec_stmt(db, s, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t row = db_last_id(db);
    rc = store_cipher(db, v, db_stmt(db, &entity_sql[E_SET_IDENT]),
                      "entity_identifier", "value", row, value, err);
    const char *link_kind = strcmp(kind, "phone") == 0 ? "shares_phone"
                            : strcmp(kind, "bank_account") == 0
                                ? "shares_account"
                                : NULL;
    if (rc != SR_OK || link_kind == NULL) {
        return rc;
    }
    int64_t others[64];
    size_t n = 0;
    s = db_stmt(db, &entity_sql[E_SAME_IDENT]);
    db_bind_text(s, 1, kind);
    db_bind_blob(s, 2, idx, 32);
    db_bind_i64(s, 3, entity_id);
    while (n < 64 && db_step(s) == DB_ROW) {
        others[n++] = db_col_i64(s, 0);
    }
    db_done(s);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        /* a pair is stored once, the lower id first */
        s = db_stmt(db, &entity_sql[E_SUGGEST]);
        db_bind_i64(s, 1, entity_id < others[i] ? entity_id : others[i]);
        db_bind_i64(s, 2, entity_id < others[i] ? others[i] : entity_id);
        db_bind_text(s, 3, link_kind);
        db_bind_i64(s, 4, sr_now());
        rc = db_exec_stmt(db, s, err);
        if (rc == SR_OK && db_changes(db) > 0) {
            (*n_suggested)++;
        }
    }
    return rc;
}

/* When rc is SR_OK, append the audit row of actor_id's action on the
 * row code of table, its detail formatted from fmt (at most 79 bytes);
 * then end the write transaction (audit_finish()). Returns rc, or the first
 * failure of the two. */
static int finish(struct db *db, const struct vault *v, int rc,
                  int64_t actor_id, const char *action, const char *table,
                  const char *code, struct sr_err *err, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

static int
finish(struct db *db, const struct vault *v, int rc, int64_t actor_id,
       const char *action, const char *table, const char *code,
       struct sr_err *err, const char *fmt, ...)
{
    char detail[80] = "";
    if (rc == SR_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    struct audit_entry e = { actor_id, action, table, code, detail };
    return audit_finish(db, v, &e, rc, err);
}

int
entity_add(struct db *db, const struct vault *v, const struct principal *who,
           const struct entity_input *in, char code_out[32], int64_t *out_id,
           int *out_n_suggested, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL &&
           out_id != NULL);
    int64_t actor_id = who->user_id;
    int64_t org_id = who->org_id;
    struct scope_filter f;
    if (principal_scope(who, ACT_ENTITY_MANAGE, &f) != SR_OK || org_id <= 0 ||
        !scope_filter_admits(&f, org_id, actor_id)) {
        return sr_err_set(err, SR_EPERM,
                          "entity: cannot add an offender for this "
                          "organisation");
    }
    if (in->kind == NULL || vocab_find(entity_kinds, in->kind) < 0) {
        return sr_err_set(err, SR_EINVAL, "kind: unknown kind of entity");
    }
    if (!text_ok(in->name, 200)) {
        return sr_err_set(err, SR_EINVAL,
                          "name: must be 1 to 200 bytes of UTF-8 text");
    }
    if (!country_ok(in->country)) {
        return sr_err_set(err, SR_EINVAL,
                          "country: must be an ISO 3166-1 alpha-2 code");
    }
    if (in->roles < 0 ||
        in->roles >= ((int64_t)1 << vocab_count(entity_roles))) {
        return sr_err_set(err, SR_EINVAL, "roles: unknown role");
    }
    if (in->n_aliases > ENTITY_MAX_ALIASES ||
        in->n_identifiers > ENTITY_MAX_IDENTIFIERS) {
        return sr_err_set(err, SR_EINVAL,
                          "alias: at most %d aliases and %d identifiers",
                          ENTITY_MAX_ALIASES, ENTITY_MAX_IDENTIFIERS);
    }
    unsigned char name_idx[32];
    unsigned char alias_idx[ENTITY_MAX_ALIASES][32];
    unsigned char id_idx[ENTITY_MAX_IDENTIFIERS][32];
    char id_form[ENTITY_MAX_IDENTIFIERS][PHONE_MAX];
    const char *region = phone_region_or(in->country, in->phone_region);
    struct sr_err e2 = { 0 };
    if (vault_blind_index(v, "ename", in->name, strlen(in->name), name_idx,
                          &e2) != SR_OK) {
        sr_err_release(&e2);
        return sr_err_set(err, SR_EINVAL,
                          "name: nothing left after "
                          "normalising");
    }
    for (size_t i = 0; i < in->n_aliases; i++) {
        if (!text_ok(in->aliases[i], 200) ||
            vault_blind_index(v, "ename", in->aliases[i],
                              strlen(in->aliases[i]), alias_idx[i],
                              &e2) != SR_OK) {
            sr_err_release(&e2);
            return sr_err_set(err, SR_EINVAL,
                              "alias: must be 1 to 200 bytes of text");
        }
    }
    for (size_t i = 0; i < in->n_identifiers; i++) {
        int rc = check_identifier(v, in->id_kinds[i], in->id_values[i], region,
                                  id_form[i], id_idx[i], err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    char code[32];
    vault_code("E", code, sizeof code);
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_INSERT]);
    db_bind_text(s, 1, code);
    db_bind_i64(s, 2, org_id);
    db_bind_text(s, 3, in->kind);
    db_bind_text(s, 4, in->country ? in->country : "");
    db_bind_i64(s, 5, in->roles);
    bind_actor(s, 6, actor_id);
    db_bind_i64(s, 7, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    if (rc == SR_OK) {
        s = db_stmt(db, &entity_sql[E_SET_NAME]);
        db_bind_blob(s, 3, name_idx, 32);
        rc = store_cipher(db, v, s, "entity", "name", id, in->name, err);
    }
    for (size_t i = 0; rc == SR_OK && i < in->n_aliases; i++) {
        s = db_stmt(db, &entity_sql[E_INSERT_ALIAS]);
        db_bind_i64(s, 1, id);
        db_bind_blob(s, 2, alias_idx[i], 32);
        db_bind_i64(s, 3, sr_now());
        rc = db_exec_stmt(db, s, err);
        if (rc == SR_OK) {
            int64_t row = db_last_id(db);
            rc =
                store_cipher(db, v, db_stmt(db, &entity_sql[E_SET_ALIAS]),
                             "entity_alias", "alias", row, in->aliases[i], err);
        }
    }
    int n_sugg = 0;
    for (size_t i = 0; rc == SR_OK && i < in->n_identifiers; i++) {
        rc = insert_identifier(db, v, id, in->id_kinds[i],
                               strcmp(in->id_kinds[i], "phone") == 0
                                   ? id_form[i]
                                   : in->id_values[i],
                               id_idx[i], &n_sugg, err);
    }
    rc = finish(db, v, rc, actor_id, "entity.add", "entity", code, err,
                "%s suggested=%d", in->kind, n_sugg);
    if (rc != SR_OK) {
        return rc;
    }
    memcpy(code_out, code, sizeof code);
    *out_id = id;
    if (out_n_suggested != NULL) {
        *out_n_suggested = n_sugg;
    }
    return SR_OK;
}

/* Step s; at a row, read it into *out. DB_ROW, DB_DONE or DB_FAIL. */
static int
read_row(struct db_stmt *s, struct entity_row *out)
{
    int rc = db_step(s);
    if (rc != DB_ROW) {
        return rc;
    }
    memset(out, 0, sizeof *out);
    out->id = db_col_i64(s, 0);
    snprintf(out->code, sizeof out->code, "%s", db_col_text(s, 1));
    out->org_id = db_col_i64(s, 2);
    out->created_by = db_col_i64(s, 3);
    snprintf(out->kind, sizeof out->kind, "%s", db_col_text(s, 4));
    snprintf(out->country, sizeof out->country, "%s", db_col_text(s, 5));
    out->roles = db_col_i64(s, 6);
    out->n_cases = db_col_i64(s, 7);
    out->n_victims = db_col_i64(s, 8);
    out->stage = db_col_int(s, 9);
    return DB_ROW;
}

/* The live entity (by code when code is not NULL, else by id) in who's
 * scope for action a, into *out. */
static int
scoped(struct db *db, const struct principal *who, enum action a,
       const char *code, int64_t id, struct entity_row *out, struct sr_err *err)
{
    struct scope_filter f;
    if (principal_scope(who, a, &f) != SR_OK) {
        return sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
    }
    struct db_stmt *s =
        db_stmt(db, &entity_sql[code != NULL ? E_BY_CODE : E_BY_ID]);
    if (code != NULL) {
        db_bind_text(s, 1, code);
    } else {
        db_bind_i64(s, 1, id);
    }
    db_bind_i64(s, 2, f.org_id);
    struct entity_row r;
    int rc = read_row(s, &r);
    db_done(s);
    if (rc == DB_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
    }
    if (rc != DB_ROW) {
        return db_error(db, err, "entity lookup");
    }
    if (!scope_filter_admits(&f, r.org_id, r.created_by)) {
        return sr_err_set(err, SR_EPERM, "entity: not yours");
    }
    *out = r;
    return SR_OK;
}

int
entity_by_code(struct db *db, const struct principal *who, const char *code,
               struct entity_row *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    return scoped(db, who, ACT_ENTITY_READ, code ? code : "", 0, out, err);
}

int
entity_by_id(struct db *db, const struct principal *who, int64_t id,
             struct entity_row *out, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out != NULL);
    return scoped(db, who, ACT_ENTITY_READ, NULL, id, out, err);
}

int
entity_can_manage(const struct principal *who, const struct entity_row *e)
{
    assert(who != NULL && e != NULL);
    struct scope_filter f;
    return principal_scope(who, ACT_ENTITY_MANAGE, &f) == SR_OK &&
           scope_filter_admits(&f, e->org_id, e->created_by);
}

int
entity_list(struct db *db, const struct principal *who, enum entity_order order,
            int64_t offset, int64_t limit,
            int (*fn)(const struct entity_row *r, void *ctx), void *ctx,
            struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    if (limit < 1 || limit > 1000 || offset < 0) {
        return sr_err_set(err, SR_EINVAL, "limit: must be 1 to 1000");
    }
    struct scope_filter f;
    if (principal_scope(who, ACT_ENTITY_READ, &f) != SR_OK) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(
        db, &entity_sql[order == ENTITY_BY_RANK ? E_LIST_RANK : E_LIST_CODE]);
    db_bind_i64(s, 1, offset);
    db_bind_i64(s, 2, limit);
    db_bind_i64(s, 3, f.org_id);
    db_bind_i64(s, 4, f.owner_id);
    struct entity_row r;
    int rc = read_row(s, &r);
    while (rc == DB_ROW && fn(&r, ctx) == 0) {
        rc = read_row(s, &r);
    }
    db_done(s);
    return rc != DB_FAIL ? SR_OK : db_error(db, err, "entity list");
}

int
entity_list_after(struct db *db, const struct principal *who,
                  const char *after_code, int64_t limit,
                  int (*fn)(const struct entity_row *r, void *ctx), void *ctx,
                  struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    if (limit < 1 || limit > 1000) {
        return sr_err_set(err, SR_EINVAL, "limit: must be 1 to 1000");
    }
    struct scope_filter f;
    if (principal_scope(who, ACT_ENTITY_READ, &f) != SR_OK) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_LIST_AFTER]);
    db_bind_text(s, 1, after_code != NULL ? after_code : "");
    db_bind_i64(s, 2, limit);
    db_bind_i64(s, 3, f.org_id);
    db_bind_i64(s, 4, f.owner_id);
    struct entity_row r;
    int rc = read_row(s, &r);
    while (rc == DB_ROW && fn(&r, ctx) == 0) {
        rc = read_row(s, &r);
    }
    db_done(s);
    return rc != DB_FAIL ? SR_OK : db_error(db, err, "entity list");
}

int
entity_list_count(struct db *db, const struct principal *who, int64_t cap,
                  int64_t *n_matches, struct sr_err *err)
{
    assert(db != NULL && who != NULL && n_matches != NULL);
    assert(cap >= 0 && cap < INT64_MAX);
    struct scope_filter f;
    if (principal_scope(who, ACT_ENTITY_READ, &f) != SR_OK) {
        *n_matches = 0;
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_LIST_COUNT]);
    db_bind_i64(s, 1, f.org_id);
    db_bind_i64(s, 2, f.owner_id);
    db_bind_i64(s, 3, cap + 1);
    int step = db_step(s);
    int64_t n = step == DB_ROW ? db_col_i64(s, 0) : 0;
    int rc = db_end(db, s, step, "cannot count entities", err);
    if (rc == SR_OK) {
        *n_matches = n;
    }
    return rc;
}

/* Decrypt column blob of row into out (appending); SR_ECRYPTO. */
static int
append_plain(const struct vault *v, const char *table, const char *column,
             int64_t row, const void *blob, size_t len, struct sr_buf *out,
             struct sr_err *err)
{
    struct sr_buf plain;
    sr_buf_init(&plain, 0);
    int rc = vault_decrypt(v, table, column, row, blob, len, &plain, err);
    if (rc == SR_OK) {
        sr_buf_add(out, plain.data, plain.len);
    }
    vault_buf_wipe(&plain);
    return rc;
}

static int
audit_view(struct db *db, const struct vault *v, int64_t actor_id,
           const char *code, const char *detail, struct sr_err *err)
{
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    return finish(db, v, SR_OK, actor_id, "entity.view_identity", "entity",
                  code, err, "%s", detail);
}

int
entity_identity(struct db *db, const struct vault *v,
                const struct principal *who, int64_t entity_id,
                struct sr_buf *name, struct sr_buf *details, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && name != NULL &&
           details != NULL);
    int64_t actor_id = who->user_id;
    sr_buf_reset(name);
    sr_buf_reset(details);
    if (!principal_can_see_identity(who)) {
        return sr_err_set(err, SR_EPERM, "entity: identity not shown");
    }
    struct entity_row r;
    int rc = scoped(db, who, ACT_ENTITY_READ, NULL, entity_id, &r, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_NAME]);
    db_bind_i64(s, 1, entity_id);
    db_bind_i64(s, 2, r.org_id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return sr_err_set(err, SR_ENOTFOUND, "entity: no such entity");
    }
    char code[32];
    snprintf(code, sizeof code, "%s", db_col_text(s, 1));
    if (!db_col_is_null(s, 0)) {
        rc = append_plain(v, "entity", "name", entity_id, db_col_blob(s, 0),
                          (size_t)db_col_bytes(s, 0), name, err);
    }
    db_done(s);
    s = db_stmt(db, &entity_sql[E_ALIASES]);
    db_bind_i64(s, 1, entity_id);
    while (rc == SR_OK && db_step(s) == DB_ROW) {
        sr_buf_adds(details, "alias: ");
        rc = append_plain(v, "entity_alias", "alias", db_col_i64(s, 0),
                          db_col_blob(s, 1), (size_t)db_col_bytes(s, 1),
                          details, err);
        sr_buf_addc(details, '\n');
    }
    db_done(s);
    s = db_stmt(db, &entity_sql[E_IDENTS]);
    db_bind_i64(s, 1, entity_id);
    while (rc == SR_OK && db_step(s) == DB_ROW) {
        sr_buf_printf(details, "%s: ", db_col_text(s, 1));
        rc = append_plain(v, "entity_identifier", "value", db_col_i64(s, 0),
                          db_col_blob(s, 2), (size_t)db_col_bytes(s, 2),
                          details, err);
        sr_buf_addc(details, '\n');
    }
    db_done(s);
    if (rc == SR_OK) {
        rc = audit_view(db, v, actor_id, code, "entity", err);
    }
    if (rc != SR_OK) {
        vault_buf_wipe(name);
        vault_buf_wipe(details);
        sr_buf_init(name, 0);
        sr_buf_init(details, 0);
    }
    return rc;
}

int
entity_names(struct db *db, const struct vault *v, const struct principal *who,
             const int64_t *ids, size_t n, char **names, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL &&
           (n == 0 || (ids && names)));
    int64_t actor_id = who->user_id;
    for (size_t i = 0; i < n; i++) {
        names[i] = NULL;
    }
    struct scope_filter f;
    if (!principal_can_see_identity(who) ||
        principal_scope(who, ACT_ENTITY_READ, &f) != SR_OK) {
        return sr_err_set(err, SR_EPERM, "entity: names not shown");
    }
    int rc = SR_OK;
    struct sr_buf list;
    sr_buf_init(&list, 0);
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        rc = sr_buf_printf(&list, i > 0 ? ",%lld" : "%lld", (long long)ids[i]);
    }
    if (rc != SR_OK) {
        sr_buf_release(&list);
        return sr_err_set(err, rc, "entity: too many names");
    }
    vault_pin(v);
    struct db_stmt *s = n > 0 ? db_stmt(db, &entity_sql[E_NAMES]) : NULL;
    if (s != NULL) {
        db_bind_text(s, 1, list.data);
        db_bind_i64(s, 2, f.org_id);
    }
    int step = DB_DONE;
    while (rc == SR_OK && s != NULL && (step = db_step(s)) == DB_ROW) {
        int64_t id = db_col_i64(s, 0);
        if (db_col_is_null(s, 1) ||
            !scope_filter_admits(&f, db_col_i64(s, 2), db_col_i64(s, 3))) {
            continue;
        }
        for (size_t i = 0; rc == SR_OK && i < n; i++) {
            if (ids[i] != id || names[i] != NULL) {
                continue;
            }
            struct sr_buf b;
            sr_buf_init(&b, 0);
            rc = append_plain(v, "entity", "name", id, db_col_blob(s, 1),
                              (size_t)db_col_bytes(s, 1), &b, err);
            names[i] = sr_xstrdup(b.data);
            vault_buf_wipe(&b);
        }
    }
    db_done(s);
    sr_buf_release(&list);
    if (rc == SR_OK && step == DB_FAIL) {
        rc = db_error(db, err, "entity");
    }
    for (size_t i = 0; rc == SR_OK && i < n; i++) {
        if (names[i] == NULL) {
            names[i] = sr_xstrdup(""); /* no name, or outside the scope */
        }
    }
    vault_unpin(v);
    if (rc == SR_OK && n > 0) {
        char detail[32];
        snprintf(detail, sizeof detail, "network n=%zu", n);
        rc = audit_view(db, v, actor_id, "", detail, err);
    }
    if (rc != SR_OK) {
        for (size_t i = 0; i < n; i++) {
            free(names[i]);
            names[i] = NULL;
        }
    }
    return rc;
}

int
entity_add_identifier(struct db *db, const struct vault *v,
                      const struct principal *who, int64_t entity_id,
                      const char *kind, const char *value,
                      const char *phone_region, int *out_n_suggested,
                      struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t actor_id = who->user_id;
    struct entity_row r;
    unsigned char idx[32];
    char form[PHONE_MAX];
    int rc = scoped(db, who, ACT_ENTITY_MANAGE, NULL, entity_id, &r, err);
    if (rc == SR_OK) {
        rc = check_identifier(v, kind, value,
                              phone_region_or(r.country, phone_region), form,
                              idx, err);
    }
    if (rc != SR_OK) {
        return rc;
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    int n_sugg = 0;
    rc = insert_identifier(db, v, entity_id, kind,
                           strcmp(kind, "phone") == 0 ? form : value, idx,
                           &n_sugg, err);
    rc = finish(db, v, rc, actor_id, "entity.identifier", "entity", r.code, err,
                "%s suggested=%d", kind, n_sugg);
    if (rc == SR_OK && out_n_suggested != NULL) {
        *out_n_suggested = n_sugg;
    }
    return rc;
}

static int
check_source(const char *source, const char *confidence, struct sr_err *err)
{
    if (source == NULL || vocab_find(entity_sources, source) < 0) {
        return sr_err_set(err, SR_EINVAL, "source: unknown source");
    }
    if (confidence == NULL || vocab_find(entity_confidences, confidence) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "confidence: must be low, medium or high");
    }
    return SR_OK;
}

/* Bind a link's source and confidence, the acting user and the time to
 * parameters i to i + 3 of s (case and entity links write them
 * together), and run s. */
static int
exec_sourced(struct db *db, struct db_stmt *s, int i, const char *source,
             const char *confidence, int64_t actor_id, struct sr_err *err)
{
    db_bind_text(s, i, source);
    db_bind_text(s, i + 1, confidence);
    bind_actor(s, i + 2, actor_id);
    db_bind_i64(s, i + 3, sr_now());
    return db_exec_stmt(db, s, err);
}

int
entity_link_case(struct db *db, const struct vault *v,
                 const struct principal *who, int64_t entity_id,
                 int64_t case_id, const char *role, const char *source,
                 const char *confidence, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t actor_id = who->user_id;
    struct entity_row r;
    int rc = scoped(db, who, ACT_ENTITY_MANAGE, NULL, entity_id, &r, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct justice_case c;
    rc = justice_case_by_id(db, who, ACT_CASE_READ, case_id, &c, err);
    if (rc == SR_ENOTFOUND || rc == SR_EPERM) {
        sr_err_release(err);
        return sr_err_set(err, SR_EINVAL, "case: no such case");
    }
    if (rc != SR_OK) {
        return rc;
    }
    const char *case_code = c.code;
    if (entity_role_bit(role) == 0) {
        return sr_err_set(err, SR_EINVAL, "role: unknown role");
    }
    rc = db_begin_after(db, check_source(source, confidence, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_CASE_LINK]);
    db_bind_i64(s, 1, case_id);
    db_bind_i64(s, 2, entity_id);
    db_bind_text(s, 3, role);
    rc = exec_sourced(db, s, 4, source, confidence, actor_id, err);
    return finish(db, v, rc, actor_id, "entity.link_case", "entity", r.code,
                  err, "case=%s role=%s", case_code, role);
}

int
entity_link(struct db *db, const struct vault *v, const struct principal *who,
            int64_t from_id, int64_t to_id, const char *kind,
            const char *source, const char *confidence, int64_t *out_id,
            struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t actor_id = who->user_id;
    if (kind == NULL || vocab_find(entity_link_kinds, kind) < 0) {
        return sr_err_set(err, SR_EINVAL, "kind: unknown kind of link");
    }
    int rc = check_source(source, confidence, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (from_id == to_id) {
        return sr_err_set(err, SR_EINVAL,
                          "to: an entity cannot be linked to itself");
    }
    struct entity_row a, b;
    rc = scoped(db, who, ACT_ENTITY_MANAGE, NULL, from_id, &a, err);
    if (rc == SR_OK) {
        rc = scoped(db, who, ACT_ENTITY_READ, NULL, to_id, &b, err);
    }
    if (rc != SR_OK) {
        return rc;
    }
    if (strncmp(kind, "shares_", 7) == 0 && from_id > to_id) {
        int64_t t = from_id;
        from_id = to_id;
        to_id = t;
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_LINK_FIND]);
    db_bind_i64(s, 1, from_id);
    db_bind_i64(s, 2, to_id);
    db_bind_text(s, 3, kind);
    int64_t id = db_step(s) == DB_ROW ? db_col_i64(s, 0) : 0;
    db_done(s);
    if (id != 0) {
        s = db_stmt(db, &entity_sql[E_LINK_CONFIRM]);
        db_bind_i64(s, 1, id);
        rc = exec_sourced(db, s, 2, source, confidence, actor_id, err);
    } else {
        s = db_stmt(db, &entity_sql[E_LINK_INSERT]);
        db_bind_i64(s, 1, from_id);
        db_bind_i64(s, 2, to_id);
        db_bind_text(s, 3, kind);
        rc = exec_sourced(db, s, 4, source, confidence, actor_id, err);
        id = db_last_id(db);
    }
    rc = finish(db, v, rc, actor_id, "entity.link", "entity", a.code, err,
                "%s %s", kind, b.code);
    if (rc == SR_OK && out_id != NULL) {
        *out_id = id;
    }
    return rc;
}

/* 1 if link_id is a suggestion both of whose entities who may read and
 * one of which who may manage. */
static int
may_decide(struct db *db, const struct principal *who, int64_t link_id)
{
    struct db_stmt *s = db_stmt(db, &entity_sql[E_LINK_ENDS]);
    db_bind_i64(s, 1, link_id);
    int64_t from_id = 0, to_id = 0;
    if (db_step(s) == DB_ROW) {
        from_id = db_col_i64(s, 0);
        to_id = db_col_i64(s, 1);
    }
    db_done(s);
    struct sr_err e2 = { 0 };
    struct entity_row r;
    int is_ok =
        from_id > 0 &&
        scoped(db, who, ACT_ENTITY_READ, NULL, from_id, &r, &e2) == SR_OK &&
        scoped(db, who, ACT_ENTITY_READ, NULL, to_id, &r, &e2) == SR_OK &&
        (scoped(db, who, ACT_ENTITY_MANAGE, NULL, from_id, &r, &e2) == SR_OK ||
         scoped(db, who, ACT_ENTITY_MANAGE, NULL, to_id, &r, &e2) == SR_OK);
    sr_err_release(&e2);
    return is_ok;
}

int
entity_decide_link(struct db *db, const struct vault *v,
                   const struct principal *who, int64_t link_id,
                   int is_confirmed, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t actor_id = who->user_id;
    if (!may_decide(db, who, link_id)) {
        return sr_err_set(err, SR_ENOTFOUND, "link: no such suggestion");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_LINK_DECIDE]);
    db_bind_i64(s, 1, link_id);
    db_bind_text(s, 2, is_confirmed ? "confirmed" : "rejected");
    bind_actor(s, 3, actor_id);
    db_bind_i64(s, 4, sr_now());
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK && db_changes(db) == 0) {
        rc = sr_err_set(err, SR_ENOTFOUND, "link: no such suggestion");
    }
    char code[24];
    snprintf(code, sizeof code, "%lld", (long long)link_id);
    return finish(db, v, rc, actor_id, "entity.decide_link", "entity_link",
                  code, err, "%s", is_confirmed ? "confirmed" : "rejected");
}

/* A listing's caller, as db_each() hands it to visit_case(),
 * visit_link() or visit_entity(). */
struct entity_visit {
    int (*case_fn)(const struct entity_case_row *r, void *ctx);
    int (*link_fn)(const struct entity_link_row *r, void *ctx);
    int (*entity_fn)(const struct entity_row *r, void *ctx);
    void *ctx;
};

static int
visit_case(struct db_stmt *s, void *p)
{
    const struct entity_visit *v = p;
    struct entity_case_row r = {
        db_col_i64(s, 0),  db_col_text(s, 1), db_col_text(s, 2),
        db_col_text(s, 3), db_col_text(s, 4), db_col_i64(s, 5),
        db_col_i64(s, 6),  db_col_int(s, 7),
    };
    return v->case_fn(&r, v->ctx);
}

static int
visit_link(struct db_stmt *s, void *p)
{
    const struct entity_visit *v = p;
    struct entity_link_row r = {
        db_col_i64(s, 0),  db_col_int(s, 1),  db_col_text(s, 2),
        db_col_text(s, 3), db_col_text(s, 4), db_col_text(s, 5),
        db_col_text(s, 6),
    };
    return v->link_fn(&r, v->ctx);
}

/* Into *out, statement q of a listing about entity entity_id in who's
 * entity.read scope, with ?1 the entity and ?2 the organisation of the
 * scope *f. SR_ENOTFOUND, SR_EPERM as scoped(). */
static int
listing(struct db *db, const struct principal *who, int64_t entity_id,
        enum entity_stmt q, struct scope_filter *f, struct db_stmt **out,
        struct sr_err *err)
{
    struct entity_row e;
    int rc = scoped(db, who, ACT_ENTITY_READ, NULL, entity_id, &e, err);
    if (rc != SR_OK) {
        return rc;
    }
    (void)principal_scope(who, ACT_ENTITY_READ, f);
    *out = db_stmt(db, &entity_sql[q]);
    db_bind_i64(*out, 1, entity_id);
    db_bind_i64(*out, 2, f->org_id);
    return SR_OK;
}

int
entity_cases(struct db *db, const struct principal *who, int64_t entity_id,
             int (*fn)(const struct entity_case_row *r, void *ctx), void *ctx,
             struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter f;
    struct db_stmt *s;
    int rc = listing(db, who, entity_id, E_CASES, &f, &s, err);
    struct entity_visit v = { .case_fn = fn, .ctx = ctx };
    return rc != SR_OK ? rc
                       : db_each(db, s, visit_case, &v, "entity cases", err);
}

int
entity_of_case(struct db *db, const struct principal *who, int64_t case_id,
               int (*fn)(const struct entity_case_row *r, void *ctx), void *ctx,
               struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct justice_case c;
    int rc = justice_case_by_id(db, who, ACT_CASE_READ, case_id, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &entity_sql[E_OF_CASE]);
    db_bind_i64(s, 1, case_id);
    struct entity_visit v = { .case_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_case, &v, "entity cases", err);
}

int
entity_links(struct db *db, const struct principal *who, int64_t entity_id,
             int (*fn)(const struct entity_link_row *r, void *ctx), void *ctx,
             struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter f;
    struct db_stmt *s;
    int rc = listing(db, who, entity_id, E_LINKS, &f, &s, err);
    if (rc != SR_OK) {
        return rc;
    }
    db_bind_i64(s, 3, f.owner_id);
    struct entity_visit v = { .link_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_link, &v, "entity links", err);
}
