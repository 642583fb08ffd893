/*
 * case.c - cases: validation against the HTCDS value lists, opening from
 * contacts, status, the support plan and encrypted notes.
 *
 * Owns tables case_file, case_contact, support_item and case_note and all
 * their SQL (plus read-only lookups of contact codes and users for the
 * forms). Every write and every read of a note is audited in the same
 * transaction. Error messages name fields, never values. Must not render
 * HTML or JSON.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cases/case.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/audit.h"
#include "base/principal.h"
#include "core/clock.h"
#include "core/gazetteer.h"
#include "base/vault.h"

#include "core/field.h"
#include "core/banned.h"

/* ---- SQL ---------------------------------------------------------------- */

enum case_stmt {
    CS_INSERT,
    CS_LINK_CONTACT,
    CS_CONTACT_BY_CODE,
    CS_USER_IN_ORG,
    CS_ORG_BY_CODE,
    CS_GET,
    CS_LIST,
    CS_LIST_COUNT,
    CS_UPDATE,
    CS_SET_STATUS,
    CS_CONTACTS,
    CS_SUPPORT_INSERT,
    CS_SUPPORT_LIST,
    CS_PERSON_IN_CASE,
    CS_NOTE_INSERT,
    CS_NOTE_SET,
    CS_NOTES,
    CS_NOTE_COUNT,
    CS_ASSIGNEES,
    CS_TRAF_CONTACTS,
    CS__COUNT
};

#define CASE_COLS                                                            \
    "c.id, c.org_id, coalesce(c.created_by, 0), coalesce(c.assigned_to, 0)," \
    " c.identified_at, c.created_at, c.updated_at,"                          \
    " coalesce(c.legal_aid_from, 0), c.code, o.name,"                        \
    " coalesce(u.username, ''), coalesce(la.code, ''),"                      \
    " coalesce(la.name, ''), c.status, c.close_reason,"                      \
    " c.trafficking_status, c.status_decided_by, c.exploitation,"            \
    " c.control_methods, c.industry, c.sex_exploitation,"                    \
    " c.recruitment_method, c.recruitment_sites, c.recruit_country,"         \
    " c.recruit_province, c.recruit_date, c.transit_country,"                \
    " c.transit_province, c.exploit_country, c.exploit_province,"            \
    " c.exploit_from, c.exploit_to,"                                         \
    " (SELECT count(DISTINCT cp.person_id) FROM case_person AS cp"           \
    "    JOIN person AS p ON p.id = cp.person_id"                            \
    "   WHERE cp.case_id = c.id AND p.merged_into IS NULL"                   \
    "     AND p.deleted_at IS NULL),"                                        \
    " (SELECT count(DISTINCT cp.person_id) FROM case_person AS cp"           \
    "   WHERE cp.case_id = c.id AND EXISTS (SELECT 1"                        \
    "       FROM case_person AS cp2"                                         \
    "       JOIN case_file AS c2 ON c2.id = cp2.case_id"                     \
    "      WHERE cp2.person_id = cp.person_id AND cp2.case_id <> c.id"       \
    "        AND c2.deleted_at IS NULL))"

#define CASE_FROM                                       \
    "  FROM case_file AS c"                             \
    "  JOIN org AS o ON o.id = c.org_id"                \
    "  LEFT JOIN \"user\" AS u ON u.id = c.assigned_to" \
    "  LEFT JOIN org AS la ON la.id = c.legal_aid_org_id"

/* A listing's filter: scope ?1, then case_filter's fields, cursor ?7. */
#define LIST_WHERE                                  \
    " WHERE c.deleted_at IS NULL"                   \
    "   AND (?1 = 0 OR c.org_id = ?1)"              \
    "   AND (?2 = '' OR c.status = ?2)"             \
    "   AND (?3 = '' OR c.trafficking_status = ?3)" \
    "   AND (?4 = 0 OR (c.exploitation & ?4) <> 0)" \
    "   AND (?5 = 0 OR c.identified_at >= ?5)"      \
    "   AND (?6 = 0 OR c.identified_at <= ?6)"      \
    "   AND (?7 = 0 OR c.id < ?7)"

static const char *const case_sql[CS__COUNT] = {
    [CS_INSERT] =
        "INSERT INTO case_file(code, org_id, created_by, assigned_to,"
        "  identified_at, trafficking_status, status_decided_by,"
        "  exploitation, industry, sex_exploitation, control_methods,"
        "  recruitment_method, recruitment_sites, recruit_country,"
        "  recruit_province, recruit_date, transit_country,"
        "  transit_province, exploit_country, exploit_province,"
        "  exploit_from, exploit_to, legal_aid_org_id, legal_aid_from,"
        "  created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        "         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
        "         ?25, ?25)",
    [CS_LINK_CONTACT] = "INSERT INTO case_contact(case_id,"
                        " contact_id) VALUES (?1, ?2)"
                        " ON CONFLICT DO NOTHING",
    [CS_CONTACT_BY_CODE] = "SELECT id, org_id"
                           "  FROM contact"
                           " WHERE code = ?1 AND deleted_at IS NULL",
    [CS_USER_IN_ORG] = "SELECT id"
                       "  FROM \"user\""
                       " WHERE id = ?1 AND org_id = ?2 AND is_disabled = 0",
    [CS_ORG_BY_CODE] = "SELECT id"
                       "  FROM org"
                       " WHERE code = ?1",
    [CS_GET] = "SELECT " CASE_COLS CASE_FROM
               " WHERE c.code = ?1 AND c.deleted_at IS NULL"
               "   AND (?2 = 0 OR c.org_id = ?2)",
    [CS_LIST] = "SELECT " CASE_COLS CASE_FROM LIST_WHERE " ORDER BY c.id DESC"
                " LIMIT ?8",
    /* the list's rows over all its pages (?7 bound 0), up to ?8 */
    [CS_LIST_COUNT] = "SELECT count(*)"
                      "  FROM (SELECT 1  FROM case_file AS c" LIST_WHERE
                      "         LIMIT ?8) AS m",
    [CS_UPDATE] =
        "UPDATE case_file"
        "   SET assigned_to = ?2, identified_at = ?3,"
        "       trafficking_status = ?4, status_decided_by = ?5,"
        "       exploitation = ?6, industry = ?7, sex_exploitation = ?8,"
        "       control_methods = ?9, recruitment_method = ?10,"
        "       recruitment_sites = ?11, recruit_country = ?12,"
        "       recruit_province = ?13, recruit_date = ?14,"
        "       transit_country = ?15, transit_province = ?16,"
        "       exploit_country = ?17, exploit_province = ?18,"
        "       exploit_from = ?19, exploit_to = ?20,"
        "       legal_aid_org_id = ?21, legal_aid_from = ?22,"
        "       updated_at = ?23"
        " WHERE id = ?1",
    [CS_SET_STATUS] = "UPDATE case_file"
                      "   SET status = ?2, close_reason = ?3,"
                      "       updated_at = ?4"
                      " WHERE id = ?1",
    [CS_CONTACTS] = "SELECT ct.code"
                    "  FROM case_contact AS cc"
                    "  JOIN contact AS ct ON ct.id = cc.contact_id"
                    " WHERE cc.case_id = ?1"
                    " ORDER BY ct.received_at, ct.id",
    [CS_SUPPORT_INSERT] =
        "INSERT INTO support_item(case_id, person_id, service,"
        "  provider_org_id, planned_date, actual_date, status, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [CS_SUPPORT_LIST] = "SELECT s.id, s.service, coalesce(p.code, ''),"
                        "       coalesce(o.name, ''), s.planned_date,"
                        "       s.actual_date, s.status"
                        "  FROM support_item AS s"
                        "  LEFT JOIN person AS p ON p.id = s.person_id"
                        "  LEFT JOIN org AS o ON o.id = s.provider_org_id"
                        " WHERE s.case_id = ?1"
                        " ORDER BY s.id",
    [CS_PERSON_IN_CASE] = "SELECT p.id"
                          "  FROM person AS p"
                          "  JOIN case_person AS cp ON cp.person_id = p.id"
                          " WHERE p.code = ?1 AND cp.case_id = ?2"
                          " LIMIT 1",
    [CS_NOTE_INSERT] = "INSERT INTO case_note(case_id, body, created_by,"
                       "  created_at) VALUES (?1, x'', ?2, ?3)",
    [CS_NOTE_SET] = "UPDATE case_note SET body = ?2 WHERE id = ?1",
    [CS_NOTES] = "SELECT n.id, n.created_at, coalesce(u.username, ''),"
                 "       n.body"
                 "  FROM case_note AS n"
                 "  LEFT JOIN \"user\" AS u ON u.id = n.created_by"
                 " WHERE n.case_id = ?1"
                 " ORDER BY n.id",
    [CS_NOTE_COUNT] = "SELECT count(*)"
                      "  FROM case_note"
                      " WHERE case_id = ?1",
    [CS_ASSIGNEES] = "SELECT id, username"
                     "  FROM \"user\""
                     " WHERE org_id = ?1 AND is_disabled = 0"
                     "   AND role IN ('caseworker', 'coordinator')"
                     " ORDER BY username",
    [CS_TRAF_CONTACTS] = "SELECT code"
                         "  FROM contact"
                         " WHERE org_id = ?1 AND category = 'trafficking'"
                         "   AND deleted_at IS NULL"
                         " ORDER BY received_at DESC, id DESC"
                         " LIMIT ?2",
};

/* ---- scope -------------------------------------------------------------- */

/* The organisation filter for who's scope of action a: 0 = all, -1 =
 * none (principal_scope()). */
static int64_t
scope_org(const struct principal *who, enum action a)
{
    struct scope_filter f;
    (void)principal_scope(who, a, &f);
    return f.org_id;
}

int
case_can_update(const struct principal *who, const struct case_row *r)
{
    assert(who != NULL && r != NULL);
    struct scope_filter f;
    if (principal_scope(who, ACT_CASE_UPDATE, &f) != SR_OK) {
        return 0;
    }
    return scope_filter_admits(&f, r->org_id,
                               r->assigned_to ? r->assigned_to
                                              : r->created_by) ||
           (r->created_by != 0 &&
            scope_filter_admits(&f, r->org_id, r->created_by));
}

/* ---- validation --------------------------------------------------------- */

static const char *
nz(const char *s)
{
    return s != NULL ? s : "";
}

static int
is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a plausible year, month and day. */
static int
check_date(const char *s, int need_day, const char *field, struct sr_err *err)
{
    if (field_blank(s)) {
        return SR_OK;
    }
    size_t n = strlen(s);
    int ok = (n == 4 || n == 7 || n == 10) && is_digits(s, 4) &&
             !(need_day && n != 10);
    if (ok && n >= 7) {
        ok = s[4] == '-' && is_digits(s + 5, 2);
    }
    if (ok && n == 10) {
        ok = s[7] == '-' && is_digits(s + 8, 2);
    }
    if (ok) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
                (s[3] - '0');
        int m = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 1;
        int d = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
        static const int mdays[] = { 31, 29, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31 };
        ok = y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
             d <= mdays[m - 1];
    }
    if (!ok) {
        return sr_err_set(err, SR_EINVAL, "%s: must be a date like %s", field,
                          need_day ? "2025-03-31"
                                   : "2025, 2025-03 or "
                                     "2025-03-31");
    }
    return SR_OK;
}

/* Each comma-separated code of csv in list, at most max of them. */
static int
check_codes(const struct vocab_item *list, const char *csv, size_t max,
            const char *field, struct sr_err *err)
{
    if (field_blank(csv)) {
        return SR_OK;
    }
    size_t n_items = 0;
    const char *p = csv;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char code[32];
        if (len == 0 || len >= sizeof code) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: not one of the allowed values", field);
        }
        memcpy(code, p, len);
        code[len] = '\0';
        if (vocab_find(list, code) < 0) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: not one of the allowed values", field);
        }
        if (++n_items > max) {
            return sr_err_set(err, SR_EINVAL, "%s: at most %zu values", field,
                              max);
        }
        p = e ? e + 1 : p + len;
    }
    return SR_OK;
}

int
case_parse_bits(const struct vocab_item *list, const char *csv,
                const char *field, uint32_t *out, struct sr_err *err)
{
    uint32_t bits = 0;
    const char *p = nz(csv);
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char code[48];
        int i = -1;
        if (len > 0 && len < sizeof code) {
            memcpy(code, p, len);
            code[len] = '\0';
            i = vocab_find(list, code);
        }
        if (i < 0 || i >= 32) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: not one of the allowed values", field);
        }
        bits |= (uint32_t)1 << i;
        p = e ? e + 1 : p + len;
    }
    *out = bits;
    return SR_OK;
}

int
case_validate(const struct case_input *in, struct sr_err *err)
{
    assert(in != NULL);
    int rc;
    int64_t now = sr_now();
    if (in->identified_at != 0 &&
        (in->identified_at < 946684800 || in->identified_at > now + 300)) {
        return sr_err_set(err, SR_EINVAL,
                          "identified_at: must be between 2000 and now");
    }
    if ((rc = field_vocab(case_traf_statuses, in->traf_status, 0,
                          "trafficking_status", err)) != SR_OK ||
        (rc = field_vocab(case_deciders, in->decided_by, 0, "decided_by",
                          err)) != SR_OK ||
        (rc = field_vocab(case_industries, in->industry, 0, "industry", err)) !=
            SR_OK ||
        (rc = field_vocab(case_sex_types, in->sex_type, 0, "sex_exploitation",
                          err)) != SR_OK ||
        (rc = field_vocab(case_recruit_methods, in->recruit_method, 0,
                          "recruitment_method", err)) != SR_OK ||
        (rc = check_codes(case_recruit_sites, in->recruit_sites, CASE_MAX_SITES,
                          "recruitment_sites", err)) != SR_OK) {
        return rc;
    }
    if (in->exploitation >> vocab_count(case_exploitation) != 0) {
        return sr_err_set(err, SR_EINVAL, "exploitation: unknown type");
    }
    if (in->control_methods >> vocab_count(case_control_methods) != 0) {
        return sr_err_set(err, SR_EINVAL, "control_methods: unknown method");
    }
    if (!field_blank(in->sex_type) && (in->exploitation & 2u) == 0) {
        return sr_err_set(err, SR_EINVAL,
                          "sex_exploitation: only with sexual exploitation");
    }
    if ((rc = field_place(in->recruit_country, in->recruit_province,
                          "recruit_country", "recruit_province", err)) !=
            SR_OK ||
        (rc = field_place(in->transit_country, in->transit_province,
                          "transit_country", "transit_province", err)) !=
            SR_OK ||
        (rc = field_place(in->exploit_country, in->exploit_province,
                          "exploit_country", "exploit_province", err)) !=
            SR_OK ||
        (rc = check_date(in->recruit_date, 0, "recruit_date", err)) != SR_OK ||
        (rc = check_date(in->exploit_from, 0, "exploit_from", err)) != SR_OK ||
        (rc = check_date(in->exploit_to, 0, "exploit_to", err)) != SR_OK) {
        return rc;
    }
    if (!field_blank(in->exploit_from) && !field_blank(in->exploit_to) &&
        strcmp(in->exploit_to, in->exploit_from) < 0) {
        return sr_err_set(err, SR_EINVAL, "exploit_to: before exploit_from");
    }
    if (in->legal_aid_from != 0 && field_blank(in->legal_aid_org)) {
        return sr_err_set(err, SR_EINVAL,
                          "legal_aid_from: needs legal_aid_org");
    }
    if (in->legal_aid_from != 0 &&
        (in->legal_aid_from < 946684800 || in->legal_aid_from > now + 300)) {
        return sr_err_set(err, SR_EINVAL,
                          "legal_aid_from: must be between 2000 and now");
    }
    return SR_OK;
}

/* ---- reading ------------------------------------------------------------ */

static void
row_from(struct db_stmt *s, struct case_row *r)
{
    r->id = db_col_i64(s, 0);
    r->org_id = db_col_i64(s, 1);
    r->created_by = db_col_i64(s, 2);
    r->assigned_to = db_col_i64(s, 3);
    r->identified_at = db_col_i64(s, 4);
    r->created_at = db_col_i64(s, 5);
    r->updated_at = db_col_i64(s, 6);
    r->legal_aid_from = db_col_i64(s, 7);
    r->code = db_col_text(s, 8);
    r->org_name = db_col_text(s, 9);
    r->assigned_name = db_col_text(s, 10);
    r->legal_aid_org = db_col_text(s, 11);
    r->legal_aid_name = db_col_text(s, 12);
    r->status = db_col_text(s, 13);
    r->close_reason = db_col_text(s, 14);
    r->traf_status = db_col_text(s, 15);
    r->decided_by = db_col_text(s, 16);
    r->exploitation = (uint32_t)db_col_i64(s, 17);
    r->control_methods = (uint32_t)db_col_i64(s, 18);
    r->industry = db_col_text(s, 19);
    r->sex_type = db_col_text(s, 20);
    r->recruit_method = db_col_text(s, 21);
    r->recruit_sites = db_col_text(s, 22);
    r->recruit_country = db_col_text(s, 23);
    r->recruit_province = db_col_text(s, 24);
    r->recruit_date = db_col_text(s, 25);
    r->transit_country = db_col_text(s, 26);
    r->transit_province = db_col_text(s, 27);
    r->exploit_country = db_col_text(s, 28);
    r->exploit_province = db_col_text(s, 29);
    r->exploit_from = db_col_text(s, 30);
    r->exploit_to = db_col_text(s, 31);
    r->n_people = db_col_int(s, 32);
    r->n_retraf = db_col_int(s, 33);
}

/* A listing's caller, as db_each() hands it to one of the visit_*()
 * functions below: the function of the listing's row type, and its
 * context. */
struct case_visit {
    int (*case_fn)(const struct case_row *r, void *ctx);
    int (*support_fn)(const struct support_row *r, void *ctx);
    int (*code_fn)(const char *code, void *ctx);
    int (*user_fn)(int64_t user_id, const char *username, void *ctx);
    void *ctx;
};

static int
visit_case(struct db_stmt *s, void *p)
{
    const struct case_visit *v = p;
    struct case_row r;
    row_from(s, &r);
    return v->case_fn(&r, v->ctx);
}

static int
visit_support(struct db_stmt *s, void *p)
{
    const struct case_visit *v = p;
    struct support_row r = {
        db_col_i64(s, 0),  db_col_text(s, 1), db_col_text(s, 2),
        db_col_text(s, 3), db_col_text(s, 4), db_col_text(s, 5),
        db_col_text(s, 6),
    };
    return v->support_fn(&r, v->ctx);
}

/* A row whose column 0 is a code. */
static int
visit_code(struct db_stmt *s, void *p)
{
    const struct case_visit *v = p;
    return v->code_fn(db_col_text(s, 0), v->ctx);
}

static int
visit_user(struct db_stmt *s, void *p)
{
    const struct case_visit *v = p;
    return v->user_fn(db_col_i64(s, 0), db_col_text(s, 1), v->ctx);
}

int
case_get(struct db *db, const struct principal *who, const char *code,
         int (*fn)(const struct case_row *r, void *ctx), void *ctx,
         struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    int64_t org = scope_org(who, ACT_CASE_READ);
    if (org < 0 || field_blank(code)) {
        return sr_err_set(err, SR_ENOTFOUND, "case: not found");
    }
    struct db_stmt *s = db_stmt(db, &case_sql[CS_GET]);
    db_bind_text(s, 1, code);
    db_bind_i64(s, 2, org);
    struct case_visit v = { .case_fn = fn, .ctx = ctx };
    return db_one(db, s, visit_case, &v, "case: not found", "cannot read case",
                  err);
}

/* Bind a listing's statement (LIST_WHERE): scope org, f, the cursor
 * before_id (0 = none) and LIMIT limit (?8). */
static void
bind_list(struct db_stmt *s, int64_t org, const struct case_filter *f,
          int64_t before_id, int64_t limit)
{
    db_bind_i64(s, 1, org);
    db_bind_text(s, 2, nz(f->status));
    db_bind_text(s, 3, nz(f->traf_status));
    db_bind_i64(s, 4,
                f->exploitation >= 0 && f->exploitation < 32
                    ? (int64_t)((uint32_t)1 << f->exploitation)
                    : 0);
    db_bind_i64(s, 5, f->from);
    db_bind_i64(s, 6, f->to);
    db_bind_i64(s, 7, before_id);
    db_bind_i64(s, 8, limit);
}

int
case_list(struct db *db, const struct principal *who,
          const struct case_filter *f,
          int (*fn)(const struct case_row *r, void *ctx), void *ctx,
          struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && fn != NULL);
    int64_t org = scope_org(who, ACT_CASE_READ);
    if (org < 0) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &case_sql[CS_LIST]);
    bind_list(s, org, f, f->before_id,
              f->limit > 0 && f->limit <= 500 ? f->limit : 50);
    struct case_visit v = { .case_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_case, &v, "cannot list cases", err);
}

int
case_list_count(struct db *db, const struct principal *who,
                const struct case_filter *f, int64_t cap, int64_t *n_matches,
                struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && n_matches != NULL);
    assert(cap >= 0 && cap < INT64_MAX);
    int64_t org = scope_org(who, ACT_CASE_READ);
    if (org < 0) {
        *n_matches = 0;
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &case_sql[CS_LIST_COUNT]);
    bind_list(s, org, f, 0, cap + 1);
    int step = db_step(s);
    int64_t n = step == DB_ROW ? db_col_i64(s, 0) : 0;
    int rc = db_end(db, s, step, "cannot count cases", err);
    if (rc == SR_OK) {
        *n_matches = n;
    }
    return rc;
}

int
case_contacts(struct db *db, int64_t case_id,
              int (*fn)(const char *contact_code, void *ctx), void *ctx,
              struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[CS_CONTACTS]);
    db_bind_i64(s, 1, case_id);
    struct case_visit v = { .code_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_code, &v, "cannot list contacts of case", err);
}

struct find_ctx {
    int64_t id, org_id, created_by, assigned_to;
};

static int
keep_find(const struct case_row *r, void *ctx)
{
    struct find_ctx *f = ctx;
    f->id = r->id;
    f->org_id = r->org_id;
    f->created_by = r->created_by;
    f->assigned_to = r->assigned_to;
    return 0;
}

int
case_find(struct db *db, const struct principal *who, const char *code,
          enum action a, int64_t *id_out, int64_t *org_out, struct sr_err *err)
{
    assert(who != NULL);
    struct principal all = principal_local();
    struct find_ctx f = { 0, 0, 0, 0 };
    struct scope_filter sf;
    int rc = principal_scope(who, a, &sf) != SR_OK
                 ? SR_ENOTFOUND
                 : case_get(db, &all, code, keep_find, &f, err);
    if (rc == SR_OK && sf.org_id != 0 && f.org_id != sf.org_id) {
        rc = SR_ENOTFOUND;
    }
    if (rc != SR_OK) {
        return rc == SR_EDB ? rc
                            : sr_err_set(err, SR_ENOTFOUND, "case: not found");
    }
    if (sf.owner_id != 0 && f.created_by != sf.owner_id &&
        f.assigned_to != sf.owner_id) {
        return sr_err_set(err, SR_EPERM, "case: not yours to change");
    }
    *id_out = f.id;
    if (org_out != NULL) {
        *org_out = f.org_id;
    }
    return SR_OK;
}

/* A copy of the fields of a case needed to check writes. */
struct case_ref {
    int64_t id, org_id;
    struct case_row row; /* only the numeric fields are valid */
    char code[32];
};

static int
keep_ref(const struct case_row *r, void *ctx)
{
    struct case_ref *c = ctx;
    c->id = r->id;
    c->org_id = r->org_id;
    c->row = *r;
    snprintf(c->code, sizeof c->code, "%s", r->code);
    c->row.code = c->code;
    return 0;
}

/* Find case code for a write by who: SR_ENOTFOUND or SR_EPERM. */
static int
case_for_write(struct db *db, const struct principal *who, const char *code,
               struct case_ref *out, struct sr_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = case_get(db, who, code, keep_ref, out, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!case_can_update(who, &out->row)) {
        return sr_err_set(err, SR_EPERM, "case: not yours to change");
    }
    return SR_OK;
}

/* ---- writing ------------------------------------------------------------ */

static int
lookup_id(struct db *db, enum case_stmt st, const char *text, int64_t a,
          int64_t b, int64_t *out, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[st]);
    if (text != NULL) {
        db_bind_text(s, 1, text);
    } else {
        db_bind_i64(s, 1, a);
        db_bind_i64(s, 2, b);
    }
    int step = db_step(s);
    int rc = SR_OK;
    if (step == DB_ROW) {
        *out = db_col_i64(s, 0);
    } else if (step == DB_DONE) {
        rc = SR_ENOTFOUND;
    } else {
        rc = db_error(db, err, "cannot look up");
    }
    db_done(s);
    return rc;
}

/* Resolve assigned_to and the legal-aid organisation of in for a case of
 * org_id. */
static int
resolve_refs(struct db *db, const struct case_input *in, int64_t org_id,
             int64_t *legal_aid_id, struct sr_err *err)
{
    int64_t id = 0;
    *legal_aid_id = 0;
    if (in->assigned_to != 0) {
        int rc = lookup_id(db, CS_USER_IN_ORG, NULL, in->assigned_to, org_id,
                           &id, err);
        if (rc == SR_ENOTFOUND) {
            return sr_err_set(err, SR_EINVAL,
                              "assigned_to: not an active user of the "
                              "case's organisation");
        }
        if (rc != SR_OK) {
            return rc;
        }
    }
    if (!field_blank(in->legal_aid_org)) {
        int rc = lookup_id(db, CS_ORG_BY_CODE, in->legal_aid_org, 0, 0,
                           legal_aid_id, err);
        if (rc == SR_ENOTFOUND) {
            return sr_err_set(err, SR_EINVAL,
                              "legal_aid_org: no organisation with that code");
        }
        if (rc != SR_OK) {
            return rc;
        }
    }
    return SR_OK;
}

/* Bind the attribute columns shared by CS_INSERT (from 6) and CS_UPDATE
 * (from 4), in their order. */
static int
bind_attrs(struct db_stmt *s, int i, const struct case_input *in)
{
    db_bind_text(s, i++,
                 field_blank(in->traf_status) ? "possible" : in->traf_status);
    db_bind_text(s, i++, nz(in->decided_by));
    db_bind_i64(s, i++, in->exploitation);
    db_bind_text(s, i++, nz(in->industry));
    db_bind_text(s, i++, nz(in->sex_type));
    db_bind_i64(s, i++, in->control_methods);
    db_bind_text(s, i++, nz(in->recruit_method));
    db_bind_text(s, i++, nz(in->recruit_sites));
    db_bind_text(s, i++,
                 field_country_of(in->recruit_country, in->recruit_province));
    db_bind_text(s, i++, nz(in->recruit_province));
    db_bind_text(s, i++, nz(in->recruit_date));
    db_bind_text(s, i++,
                 field_country_of(in->transit_country, in->transit_province));
    db_bind_text(s, i++, nz(in->transit_province));
    db_bind_text(s, i++,
                 field_country_of(in->exploit_country, in->exploit_province));
    db_bind_text(s, i++, nz(in->exploit_province));
    db_bind_text(s, i++, nz(in->exploit_from));
    db_bind_text(s, i++, nz(in->exploit_to));
    return i;
}

int
case_open(struct db *db, const struct vault *v, const struct principal *who,
          const struct case_input *in, const char *const *contact_codes,
          size_t n_contacts, char code_out[32], int64_t *id_out,
          struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    assert(who != NULL);
    if (!policy_allows(who, ACT_CASE_CREATE, 0, 0)) {
        return sr_err_set(err, SR_EPERM, "case: not allowed to open cases");
    }
    if (who->org_id <= 0) {
        return sr_err_set(err, SR_EINVAL, "org: required");
    }
    if (n_contacts > CASE_MAX_CONTACTS) {
        return sr_err_set(err, SR_EINVAL, "contacts: at most %d",
                          CASE_MAX_CONTACTS);
    }
    int rc = case_validate(in, err);
    if (rc != SR_OK) {
        return rc;
    }
    int64_t contact_ids[CASE_MAX_CONTACTS];
    struct sr_buf detail;
    sr_buf_init(&detail, 4096);
    for (size_t i = 0; i < n_contacts; i++) {
        const char *cc = contact_codes[i];
        int64_t cid = 0, corg = 0;
        struct db_stmt *s = db_stmt(db, &case_sql[CS_CONTACT_BY_CODE]);
        db_bind_text(s, 1, nz(cc));
        int step = db_step(s);
        if (step == DB_ROW) {
            cid = db_col_i64(s, 0);
            corg = db_col_i64(s, 1);
        }
        db_done(s);
        if (step != DB_ROW && step != DB_DONE) {
            sr_buf_release(&detail);
            return db_error(db, err, "cannot read contact");
        }
        if (cid == 0 || corg != who->org_id) {
            sr_buf_release(&detail);
            return sr_err_set(err, SR_EINVAL,
                              "contacts: no contact '%s' in this "
                              "organisation",
                              strlen(nz(cc)) < 20 ? nz(cc) : "(too long)");
        }
        contact_ids[i] = cid;
        sr_buf_printf(&detail, "%s%s", i ? "," : "from ", cc);
    }
    int64_t legal_aid_id = 0;
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        sr_buf_release(&detail);
        return rc;
    }
    rc = resolve_refs(db, in, who->org_id, &legal_aid_id, err);
    char code[32];
    vault_code("K", code, sizeof code);
    int64_t now = sr_now();
    int64_t id = 0;
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &case_sql[CS_INSERT]);
        db_bind_text(s, 1, code);
        db_bind_i64(s, 2, who->org_id);
        db_bind_id(s, 3, who->user_id);
        db_bind_id(s, 4, in->assigned_to);
        db_bind_i64(s, 5, in->identified_at ? in->identified_at : now);
        int i = bind_attrs(s, 6, in);
        db_bind_id(s, i++, legal_aid_id);
        if (in->legal_aid_from > 0) {
            db_bind_i64(s, i, in->legal_aid_from);
        } else if (legal_aid_id > 0) {
            db_bind_i64(s, i, now);
        } else {
            db_bind_null(s, i);
        }
        db_bind_i64(s, i + 1, now);
        rc = db_exec_stmt(db, s, err);
        id = db_last_id(db);
    }
    for (size_t k = 0; rc == SR_OK && k < n_contacts; k++) {
        struct db_stmt *s = db_stmt(db, &case_sql[CS_LINK_CONTACT]);
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, contact_ids[k]);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        struct audit_entry e = { who->user_id, "case.create", "case", code,
                                 detail.data };
        rc = audit_append(db, v, &e, err);
    }
    sr_buf_release(&detail);
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    memcpy(code_out, code, sizeof code);
    if (id_out != NULL) {
        *id_out = id;
    }
    return SR_OK;
}

int
case_update(struct db *db, const struct vault *v, const struct principal *who,
            const char *code, const struct case_input *in, struct sr_err *err)
{
    struct case_ref c;
    int rc = case_for_write(db, who, code, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    if ((rc = case_validate(in, err)) != SR_OK) {
        return rc;
    }
    int64_t legal_aid_id = 0;
    if ((rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    rc = resolve_refs(db, in, c.org_id, &legal_aid_id, err);
    int64_t now = sr_now();
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &case_sql[CS_UPDATE]);
        db_bind_i64(s, 1, c.id);
        db_bind_id(s, 2, in->assigned_to);
        db_bind_i64(
            s, 3, in->identified_at ? in->identified_at : c.row.identified_at);
        int i = bind_attrs(s, 4, in);
        db_bind_id(s, i++, legal_aid_id);
        if (legal_aid_id > 0) {
            db_bind_i64(s, i,
                        in->legal_aid_from > 0     ? in->legal_aid_from
                        : c.row.legal_aid_from > 0 ? c.row.legal_aid_from
                                                   : now);
        } else {
            db_bind_null(s, i);
        }
        db_bind_i64(s, i + 1, now);
        rc = db_exec_stmt(db, s, err);
    }
    struct audit_entry e = { who->user_id, "case.update", "case", c.code, "" };
    return audit_finish(db, v, &e, rc, err);
}

int
case_set_status(struct db *db, const struct vault *v,
                const struct principal *who, const char *code,
                const char *status, const char *reason, struct sr_err *err)
{
    if (field_blank(status) || vocab_find(case_statuses, status) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "status: not one of the allowed "
                          "values");
    }
    int is_closing = strncmp(status, "closed", 6) == 0;
    if (is_closing && field_blank(reason)) {
        return sr_err_set(err, SR_EINVAL,
                          "close_reason: required when "
                          "closing");
    }
    if (is_closing && vocab_find(case_close_reasons, reason) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "close_reason: not one of the "
                          "allowed values");
    }
    struct case_ref c;
    int rc = db_begin_after(db, case_for_write(db, who, code, &c, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &case_sql[CS_SET_STATUS]);
    db_bind_i64(s, 1, c.id);
    db_bind_text(s, 2, status);
    db_bind_text(s, 3, is_closing ? reason : "");
    db_bind_i64(s, 4, sr_now());
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        char detail[80];
        snprintf(detail, sizeof detail, "%s%s%s", status, is_closing ? " " : "",
                 is_closing ? reason : "");
        struct audit_entry e = { who->user_id, "case.status", "case", c.code,
                                 detail };
        rc = audit_append(db, v, &e, err);
    }
    return db_finish(db, rc, err);
}

/* ---- support plan ------------------------------------------------------- */

int
case_support_add(struct db *db, const struct vault *v,
                 const struct principal *who, const char *code,
                 const struct support_input *in, struct sr_err *err)
{
    int rc;
    if (field_blank(in->service)) {
        return sr_err_set(err, SR_EINVAL, "service: required");
    }
    if ((rc = field_vocab(case_services, in->service, 0, "service", err)) !=
            SR_OK ||
        (rc = field_vocab(case_support_states, in->status, 0, "status", err)) !=
            SR_OK ||
        (rc = check_date(in->planned_date, 1, "planned_date", err)) != SR_OK ||
        (rc = check_date(in->actual_date, 1, "actual_date", err)) != SR_OK) {
        return rc;
    }
    struct case_ref c;
    if ((rc = case_for_write(db, who, code, &c, err)) != SR_OK) {
        return rc;
    }
    int64_t person_id = 0, provider_id = 0;
    if ((rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    if (!field_blank(in->person_code)) {
        struct db_stmt *s = db_stmt(db, &case_sql[CS_PERSON_IN_CASE]);
        db_bind_text(s, 1, in->person_code);
        db_bind_i64(s, 2, c.id);
        int step = db_step(s);
        if (step == DB_ROW) {
            person_id = db_col_i64(s, 0);
        }
        db_done(s);
        if (person_id == 0) {
            rc = sr_err_set(err, SR_EINVAL,
                            "person: not a person of this "
                            "case");
        }
    }
    if (rc == SR_OK && !field_blank(in->provider_org)) {
        rc = lookup_id(db, CS_ORG_BY_CODE, in->provider_org, 0, 0, &provider_id,
                       err);
        if (rc == SR_ENOTFOUND) {
            rc = sr_err_set(err, SR_EINVAL,
                            "provider: no organisation with that code");
        }
    }
    if (rc == SR_OK) {
        struct db_stmt *s = db_stmt(db, &case_sql[CS_SUPPORT_INSERT]);
        db_bind_i64(s, 1, c.id);
        db_bind_id(s, 2, person_id);
        db_bind_text(s, 3, in->service);
        db_bind_id(s, 4, provider_id);
        db_bind_text(s, 5, nz(in->planned_date));
        db_bind_text(s, 6, nz(in->actual_date));
        db_bind_text(s, 7, field_blank(in->status) ? "planned" : in->status);
        db_bind_i64(s, 8, sr_now());
        rc = db_exec_stmt(db, s, err);
    }
    struct audit_entry e = { who->user_id, "case.support", "case", c.code,
                             in->service };
    return audit_finish(db, v, &e, rc, err);
}

int
case_support_list(struct db *db, int64_t case_id,
                  int (*fn)(const struct support_row *r, void *ctx), void *ctx,
                  struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[CS_SUPPORT_LIST]);
    db_bind_i64(s, 1, case_id);
    struct case_visit v = { .support_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_support, &v, "cannot list the support plan",
                   err);
}

/* ---- notes -------------------------------------------------------------- */

int
case_note_add(struct db *db, const struct vault *v, const struct principal *who,
              const char *code, const char *text, struct sr_err *err)
{
    size_t n = strlen(nz(text));
    if (n == 0) {
        return sr_err_set(err, SR_EINVAL, "note: required");
    }
    if (n > CASE_MAX_NOTE) {
        return sr_err_set(err, SR_EINVAL, "note: longer than %d bytes",
                          CASE_MAX_NOTE);
    }
    if (!sr_utf8_valid(text, n)) {
        return sr_err_set(err, SR_EINVAL, "note: not valid UTF-8 text");
    }
    struct case_ref c;
    int rc = db_begin_after(db, case_for_write(db, who, code, &c, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &case_sql[CS_NOTE_INSERT]);
    db_bind_i64(s, 1, c.id);
    db_bind_id(s, 2, who->user_id);
    db_bind_i64(s, 3, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    struct sr_buf enc;
    sr_buf_init(&enc, 0);
    if (rc == SR_OK) {
        rc = vault_encrypt(v, "case_note", "body", id, text, n, &enc, err);
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &case_sql[CS_NOTE_SET]);
        db_bind_i64(s, 1, id);
        db_bind_blob(s, 2, enc.data, enc.len);
        rc = db_exec_stmt(db, s, err);
    }
    sr_buf_release(&enc);
    struct audit_entry e = { who->user_id, "case.note", "case", c.code, "" };
    return audit_finish(db, v, &e, rc, err);
}

int
case_notes_read(struct db *db, const struct vault *v,
                const struct principal *who, const char *code,
                int (*fn)(const struct note_row *r, void *ctx), void *ctx,
                struct sr_err *err)
{
    assert(who != NULL);
    if (!principal_can_see_identity(who)) {
        return sr_err_set(err, SR_EPERM, "notes are hidden for this role");
    }
    struct case_ref c;
    memset(&c, 0, sizeof c);
    int rc = case_get(db, who, code, keep_ref, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    if ((rc = db_begin_write(db, err)) != SR_OK) {
        return rc;
    }
    struct audit_entry e = { who->user_id, "case.read_notes", "case", c.code,
                             "" };
    rc = audit_append(db, v, &e, err);
    struct sr_buf plain;
    sr_buf_init(&plain, 0);
    struct db_stmt *s = db_stmt(db, &case_sql[CS_NOTES]);
    db_bind_i64(s, 1, c.id);
    int step = DB_DONE;
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        int64_t id = db_col_i64(s, 0);
        rc = vault_decrypt(v, "case_note", "body", id, db_col_blob(s, 3),
                           (size_t)db_col_bytes(s, 3), &plain, err);
        if (rc == SR_OK) {
            struct note_row r = { id, db_col_i64(s, 1), db_col_text(s, 2),
                                  plain.data };
            if (fn(&r, ctx) != 0) {
                break;
            }
        }
    }
    if (rc == SR_OK && step != DB_ROW && step != DB_DONE) {
        rc = db_error(db, err, "cannot read notes");
    }
    db_done(s);
    vault_buf_wipe(&plain);
    return db_finish(db, rc, err);
}

int
case_note_count(struct db *db, int64_t case_id, int64_t *n_out,
                struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[CS_NOTE_COUNT]);
    db_bind_i64(s, 1, case_id);
    int step = db_step(s);
    int rc = SR_OK;
    if (step == DB_ROW) {
        *n_out = db_col_i64(s, 0);
    } else {
        rc = db_error(db, err, "cannot count notes");
    }
    db_done(s);
    return rc;
}

/* ---- lookups for forms -------------------------------------------------- */

int
case_assignees(struct db *db, int64_t org_id,
               int (*fn)(int64_t user_id, const char *username, void *ctx),
               void *ctx, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[CS_ASSIGNEES]);
    db_bind_i64(s, 1, org_id);
    struct case_visit v = { .user_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_user, &v, "cannot list users", err);
}

int
case_trafficking_contacts(struct db *db, int64_t org_id, int limit,
                          int (*fn)(const char *code, void *ctx), void *ctx,
                          struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &case_sql[CS_TRAF_CONTACTS]);
    db_bind_i64(s, 1, org_id);
    db_bind_int(s, 2, limit > 0 && limit <= 500 ? limit : 50);
    struct case_visit v = { .code_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_code, &v, "cannot list contacts", err);
}
