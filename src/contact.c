/*
 * contact.c - hotline contacts: validation, storage with encrypted
 * identity fields, lookups, and the value lists.
 *
 * Owns table contact and its SQL. Every write and every read of an
 * identity field is audited in the same transaction. Error messages name
 * fields, never their values.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "contact.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "clock.h"
#include "gazetteer.h"
#include "i18n.h"
#include "vault.h"

#include "banned.h"

const struct vocab_item contact_channels[] = {
    { "phone", N_("Phone") },
    { "sms", N_("SMS") },
    { "line", N_("LINE") },
    { "viber", N_("Viber") },
    { "messenger", N_("Facebook Messenger") },
    { "whatsapp", N_("WhatsApp") },
    { "telegram", N_("Telegram") },
    { "wechat", N_("WeChat") },
    { "web_form", N_("Web form") },
    { "email", N_("Email") },
    { "walk_in", N_("Walk-in") },
    { "radio", N_("Radio call-in") },
    { NULL, NULL },
};

const struct vocab_item contact_caller_types[] = {
    { "self", N_("Self") },
    { "family", N_("Family member") },
    { "friend", N_("Friend") },
    { "coworker", N_("Co-worker") },
    { "ngo", N_("NGO") },
    { "employer", N_("Employer") },
    { "authority", N_("Authority") },
    { "anonymous", N_("Anonymous") },
    { NULL, NULL },
};

const struct vocab_item contact_categories[] = {
    { "labour_rights", N_("Labour rights") },
    { "trafficking", N_("Trafficking") },
    { "safe_migration", N_("Safe migration information") },
    { "documents", N_("Documents and registration") },
    { "other_assistance", N_("Other assistance") },
    { "not_relevant", N_("Not relevant") },
    { NULL, NULL },
};

const struct vocab_item contact_issues[] = {
    { "unpaid_wages", N_("Unpaid or withheld wages") },
    { "excessive_hours", N_("Excessive hours") },
    { "document_confiscation", N_("Document confiscation") },
    { "debt", N_("Debt") },
    { "confinement", N_("Confinement") },
    { "threats", N_("Threats") },
    { "violence", N_("Violence") },
    { "deception", N_("Deception about the job") },
    { "sexual_exploitation", N_("Sexual exploitation") },
    { "children", N_("Children involved") },
    { "detention", N_("Detention or deportation") },
    { "other", N_("Other") },
    { NULL, NULL },
};

const struct vocab_item contact_sectors[] = {
    { "fishing", N_("Fishing") },
    { "seafood_processing", N_("Seafood processing") },
    { "agriculture", N_("Agriculture") },
    { "construction", N_("Construction") },
    { "domestic_work", N_("Domestic work") },
    { "manufacturing", N_("Manufacturing") },
    { "entertainment", N_("Entertainment and sex industry") },
    { "begging", N_("Begging") },
    { "hospitality", N_("Hospitality") },
    { "other", N_("Other") },
    { NULL, NULL },
};

/* ISO 639 codes of the languages callers use in the region. */
const struct vocab_item contact_languages[] = {
    { "my", N_("Burmese") },
    { "shn", N_("Shan") },
    { "ksw", N_("S'gaw Karen") },
    { "mnw", N_("Mon") },
    { "km", N_("Khmer") },
    { "lo", N_("Lao") },
    { "th", N_("Thai") },
    { "vi", N_("Vietnamese") },
    { "zh", N_("Chinese") },
    { "ms", N_("Malay") },
    { "id", N_("Indonesian") },
    { "en", N_("English") },
    { "und", N_("Other or unknown") },
    { NULL, NULL },
};

enum contact_stmt {
    CT_INSERT,
    CT_SET_IDENTITY,
    CT_GET,
    CT_GET_ENC,
    CT_BY_PHONE,
    CT__COUNT
};

#define CONTACT_COLS                                                       \
    "c.id, c.org_id, coalesce(c.operator_id, 0), c.received_at,"           \
    " c.created_at, c.code, c.channel, c.language, c.caller_type,"         \
    " c.caller_country, c.caller_province, c.problem_country,"             \
    " c.problem_province, c.category, c.sector, coalesce(u.username, '')," \
    " c.issues, c.n_affected, c.is_danger, c.duration_s, c.consent,"       \
    " c.caller_phone IS NOT NULL"

static const char *const contact_sql[CT__COUNT] = {
    [CT_INSERT] =
        "INSERT INTO contact(code, org_id, operator_id, received_at, channel,"
        "                    language, caller_type, caller_country,"
        "                    caller_province, problem_country,"
        "                    problem_province, category, issues, sector,"
        "                    n_affected, is_danger, duration_s, consent,"
        "                    import_key, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        "         ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    [CT_SET_IDENTITY] = "UPDATE contact"
                        "   SET caller_phone = ?2, caller_phone_idx = ?3,"
                        "       caller_place = ?4, problem_place = ?5,"
                        "       summary = ?6, needs = ?7, action_taken = ?8"
                        " WHERE id = ?1",
    [CT_GET] = "SELECT " CONTACT_COLS "  FROM contact AS c"
               "  LEFT JOIN user AS u ON u.id = c.operator_id"
               " WHERE c.code = ?1 AND c.deleted_at IS NULL"
               "   AND (?2 = 0 OR c.org_id = ?2)",
    [CT_GET_ENC] = "SELECT caller_phone, caller_place, problem_place,"
                   "       summary, needs, action_taken, org_id, code"
                   "  FROM contact"
                   " WHERE id = ?1 AND deleted_at IS NULL",
    [CT_BY_PHONE] = "SELECT " CONTACT_COLS "  FROM contact AS c"
                    "  LEFT JOIN user AS u ON u.id = c.operator_id"
                    " WHERE c.caller_phone_idx = ?1"
                    "   AND c.deleted_at IS NULL"
                    "   AND (?2 = 0 OR c.org_id = ?2)"
                    " ORDER BY c.received_at DESC, c.id DESC"
                    " LIMIT ?3",
};

/* The identity columns, in CT_SET_IDENTITY's and CT_GET_ENC's order. */
static const char *const identity_columns[] = {
    "caller_phone", "caller_place", "problem_place",
    "summary",      "needs",        "action_taken",
};

static int
is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static int
check_text(const char *s, size_t max, const char *field, struct sr_err *err)
{
    if (is_blank(s)) {
        return SR_OK;
    }
    size_t n = strlen(s);
    if (n > max) {
        return sr_err_set(err, SR_EINVAL, "%s: longer than %zu bytes", field,
                          max);
    }
    if (!sr_utf8_valid(s, n)) {
        return sr_err_set(err, SR_EINVAL, "%s: not valid UTF-8 text", field);
    }
    return SR_OK;
}

static int
check_vocab(const struct vocab_item *list, const char *code, int required,
            const char *field, struct sr_err *err)
{
    if (is_blank(code)) {
        return required ? sr_err_set(err, SR_EINVAL, "%s: required", field)
                        : SR_OK;
    }
    if (vocab_find(list, code) < 0) {
        return sr_err_set(err, SR_EINVAL, "%s: not one of the allowed values",
                          field);
    }
    return SR_OK;
}

static int
check_place(const char *country, const char *province, const char *field_c,
            const char *field_p, struct sr_err *err)
{
    if (!is_blank(country) &&
        !(strlen(country) == 2 && country[0] >= 'A' && country[0] <= 'Z' &&
          country[1] >= 'A' && country[1] <= 'Z')) {
        return sr_err_set(err, SR_EINVAL,
                          "%s: must be an ISO 3166-1 alpha-2 code", field_c);
    }
    if (is_blank(province)) {
        return SR_OK;
    }
    const struct gaz_division *d = gaz_find(province);
    if (d == NULL) {
        return sr_err_set(err, SR_EINVAL, "%s: not a province in the gazetteer",
                          field_p);
    }
    if (!is_blank(country) && strcmp(d->country, country) != 0) {
        return sr_err_set(err, SR_EINVAL, "%s: not in the country given",
                          field_p);
    }
    return SR_OK;
}

static int
check_phone(const char *phone, struct sr_err *err)
{
    if (is_blank(phone)) {
        return SR_OK;
    }
    size_t n = strlen(phone), digits = 0;
    if (n > 32) {
        return sr_err_set(err, SR_EINVAL,
                          "caller_phone: longer than 32 characters");
    }
    for (size_t i = 0; i < n; i++) {
        char c = phone[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' ||
                     c == '.')) {
            return sr_err_set(err, SR_EINVAL,
                              "caller_phone: only digits, spaces and + - ( ) "
                              "are allowed");
        }
    }
    if (digits < 3) {
        return sr_err_set(err, SR_EINVAL,
                          "caller_phone: at least 3 digits needed");
    }
    return SR_OK;
}

int
contact_validate(const struct contact_input *in, struct sr_err *err)
{
    assert(in != NULL);
    int64_t now = sr_now();
    int rc;
    if (in->received_at != 0 &&
        (in->received_at < 946684800 || in->received_at > now + 300)) {
        return sr_err_set(err, SR_EINVAL,
                          "received_at: must be between 2000 and now");
    }
    if ((rc = check_vocab(contact_channels, in->channel, 1, "channel", err)) !=
            SR_OK ||
        (rc = check_vocab(contact_languages, in->language, 1, "language",
                          err)) != SR_OK ||
        (rc = check_vocab(contact_caller_types, in->caller_type, 1,
                          "caller_type", err)) != SR_OK ||
        (rc = check_vocab(contact_categories, in->category, 1, "category",
                          err)) != SR_OK ||
        (rc = check_vocab(contact_sectors, in->sector, 0, "sector", err)) !=
            SR_OK) {
        return rc;
    }
    if (in->issues >> vocab_count(contact_issues) != 0) {
        return sr_err_set(err, SR_EINVAL, "issues: unknown issue");
    }
    if (in->n_affected < 0 || in->n_affected > 100000) {
        return sr_err_set(err, SR_EINVAL, "n_affected: must be 0 to 100000");
    }
    if (in->is_danger != 0 && in->is_danger != 1) {
        return sr_err_set(err, SR_EINVAL, "is_danger: must be 0 or 1");
    }
    if (in->duration_s < 0 || in->duration_s > 86400) {
        return sr_err_set(err, SR_EINVAL,
                          "duration_s: must be 0 to 86400 seconds");
    }
    if (in->consent < 0 || in->consent > 7) {
        return sr_err_set(err, SR_EINVAL, "consent: unknown consent");
    }
    if ((rc = check_phone(in->caller_phone, err)) != SR_OK ||
        (rc = check_place(in->caller_country, in->caller_province,
                          "caller_country", "caller_province", err)) != SR_OK ||
        (rc = check_place(in->problem_country, in->problem_province,
                          "problem_country", "problem_province", err)) !=
            SR_OK ||
        (rc = check_text(in->caller_place, CONTACT_MAX_PLACE, "caller_place",
                         err)) != SR_OK ||
        (rc = check_text(in->problem_place, CONTACT_MAX_PLACE, "problem_place",
                         err)) != SR_OK ||
        (rc = check_text(in->summary, CONTACT_MAX_TEXT, "summary", err)) !=
            SR_OK ||
        (rc = check_text(in->needs, CONTACT_MAX_TEXT, "needs", err)) != SR_OK ||
        (rc = check_text(in->action_taken, CONTACT_MAX_TEXT, "action_taken",
                         err)) != SR_OK) {
        return rc;
    }
    return SR_OK;
}

/* A province given without its country takes the gazetteer's. */
static const char *
country_of(const char *country, const char *province)
{
    if (!is_blank(country)) {
        return country;
    }
    const struct gaz_division *d = gaz_find(province);
    return d != NULL ? d->country : "";
}

static void
bind_opt_blob(sqlite3_stmt *s, int i, const struct sr_buf *b)
{
    if (b->len > 0) {
        db_bind_blob(s, i, b->data, b->len);
    } else {
        sqlite3_bind_null(s, i);
    }
}

int
contact_create(struct db *db, const struct vault *v,
               const struct principal *who, const struct contact_input *in,
               const unsigned char *import_key, char code_out[32],
               int64_t *id_out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    int rc = contact_validate(in, err);
    if (rc != SR_OK) {
        return rc;
    }
    char code[32];
    vault_code("C", code, sizeof code);
    int64_t now = sr_now();
    const char *values[6] = { in->caller_phone,  in->caller_place,
                              in->problem_place, in->summary,
                              in->needs,         in->action_taken };
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    sqlite3_stmt *s = db_stmt(db, &contact_sql[CT_INSERT]);
    db_bind_text(s, 1, code);
    sqlite3_bind_int64(s, 2, who->org_id);
    if (who->user_id > 0) {
        sqlite3_bind_int64(s, 3, who->user_id);
    } else {
        sqlite3_bind_null(s, 3);
    }
    sqlite3_bind_int64(s, 4, in->received_at ? in->received_at : now);
    db_bind_text(s, 5, in->channel);
    db_bind_text(s, 6, in->language);
    db_bind_text(s, 7, in->caller_type);
    db_bind_text(s, 8, country_of(in->caller_country, in->caller_province));
    db_bind_text(s, 9, in->caller_province ? in->caller_province : "");
    db_bind_text(s, 10, country_of(in->problem_country, in->problem_province));
    db_bind_text(s, 11, in->problem_province ? in->problem_province : "");
    db_bind_text(s, 12, in->category);
    sqlite3_bind_int64(s, 13, in->issues);
    db_bind_text(s, 14, in->sector ? in->sector : "");
    sqlite3_bind_int(s, 15, in->n_affected);
    sqlite3_bind_int(s, 16, in->is_danger);
    sqlite3_bind_int(s, 17, in->duration_s);
    sqlite3_bind_int(s, 18, in->consent);
    if (import_key != NULL) {
        db_bind_blob(s, 19, import_key, 32);
    } else {
        sqlite3_bind_null(s, 19);
    }
    sqlite3_bind_int64(s, 20, now);
    rc = db_exec_stmt(db, s, err);
    if (rc == SR_ECONFLICT && import_key != NULL) {
        sr_err_set(err, SR_ECONFLICT, "contact: already imported");
    }
    int64_t id = sqlite3_last_insert_rowid(db_handle(db));
    struct sr_buf enc[6];
    unsigned char idx[32];
    int has_idx = 0;
    for (int i = 0; i < 6; i++) {
        sr_buf_init(&enc[i], 0);
        if (rc == SR_OK && !is_blank(values[i])) {
            rc = vault_encrypt(v, "contact", identity_columns[i], id, values[i],
                               strlen(values[i]), &enc[i], err);
        }
    }
    if (rc == SR_OK && !is_blank(in->caller_phone)) {
        rc = vault_blind_index(v, "phone", in->caller_phone,
                               strlen(in->caller_phone), idx, err);
        has_idx = rc == SR_OK;
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &contact_sql[CT_SET_IDENTITY]);
        sqlite3_bind_int64(s, 1, id);
        bind_opt_blob(s, 2, &enc[0]);
        if (has_idx) {
            db_bind_blob(s, 3, idx, sizeof idx);
        } else {
            sqlite3_bind_null(s, 3);
        }
        for (int i = 1; i < 6; i++) {
            bind_opt_blob(s, 3 + i, &enc[i]);
        }
        rc = db_exec_stmt(db, s, err);
    }
    for (int i = 0; i < 6; i++) {
        sr_buf_release(&enc[i]);
    }
    if (rc == SR_OK) {
        struct audit_entry e = { who->user_id, "contact.create", "contact",
                                 code, import_key ? "imported" : "" };
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
    if (id_out != NULL) {
        *id_out = id;
    }
    return SR_OK;
}

/* The organisation filter for who's contact.read scope; -1 = none. */
static int64_t
read_scope(const struct principal *who)
{
    switch (policy_scope(who->role, ACT_CONTACT_READ)) {
    case SCOPE_ALL:
        return 0;
    case SCOPE_ORG:
    case SCOPE_OWN:
        return who->org_id;
    default:
        return -1;
    }
}

static void
row_from(sqlite3_stmt *s, struct contact_row *r)
{
    r->id = sqlite3_column_int64(s, 0);
    r->org_id = sqlite3_column_int64(s, 1);
    r->operator_id = sqlite3_column_int64(s, 2);
    r->received_at = sqlite3_column_int64(s, 3);
    r->created_at = sqlite3_column_int64(s, 4);
    r->code = db_col_text(s, 5);
    r->channel = db_col_text(s, 6);
    r->language = db_col_text(s, 7);
    r->caller_type = db_col_text(s, 8);
    r->caller_country = db_col_text(s, 9);
    r->caller_province = db_col_text(s, 10);
    r->problem_country = db_col_text(s, 11);
    r->problem_province = db_col_text(s, 12);
    r->category = db_col_text(s, 13);
    r->sector = db_col_text(s, 14);
    r->operator_name = db_col_text(s, 15);
    r->issues = (uint32_t)sqlite3_column_int64(s, 16);
    r->n_affected = sqlite3_column_int(s, 17);
    r->is_danger = sqlite3_column_int(s, 18);
    r->duration_s = sqlite3_column_int(s, 19);
    r->consent = sqlite3_column_int(s, 20);
    r->has_phone = sqlite3_column_int(s, 21);
}

int
contact_get(struct db *db, const struct principal *who, const char *code,
            int (*fn)(const struct contact_row *r, void *ctx), void *ctx,
            struct sr_err *err)
{
    int64_t org = read_scope(who);
    if (org < 0) {
        return sr_err_set(err, SR_ENOTFOUND, "contact: not found");
    }
    sqlite3_stmt *s = db_stmt(db, &contact_sql[CT_GET]);
    db_bind_text(s, 1, code ? code : "");
    sqlite3_bind_int64(s, 2, org);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        struct contact_row r;
        row_from(s, &r);
        fn(&r, ctx);
    }
    db_done(s);
    if (rc == SQLITE_ROW) {
        return SR_OK;
    }
    if (rc == SQLITE_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "contact: not found");
    }
    return db_error(db, err, "cannot read contact");
}

void
contact_identity_release(struct contact_identity *id)
{
    struct sr_buf *all[6] = { &id->phone,         &id->caller_place,
                              &id->problem_place, &id->summary,
                              &id->needs,         &id->action_taken };
    for (int i = 0; i < 6; i++) {
        if (all[i]->data != NULL) {
            vault_buf_wipe(all[i]);
        }
    }
}

int
contact_identity_read(struct db *db, const struct vault *v,
                      const struct principal *who, int64_t id,
                      struct contact_identity *out, struct sr_err *err)
{
    int64_t org = read_scope(who);
    if (!policy_can_see_identity(who->role) || org < 0) {
        return sr_err_set(err, SR_EPERM,
                          "identity fields are hidden for this role");
    }
    memset(out, 0, sizeof *out);
    struct sr_buf *bufs[6] = { &out->phone,         &out->caller_place,
                               &out->problem_place, &out->summary,
                               &out->needs,         &out->action_taken };
    for (int i = 0; i < 6; i++) {
        sr_buf_init(bufs[i], 0);
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    sqlite3_stmt *s = db_stmt(db, &contact_sql[CT_GET_ENC]);
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    char code[32] = "";
    if (step != SQLITE_ROW || (org != 0 && sqlite3_column_int64(s, 6) != org)) {
        rc = step == SQLITE_ROW || step == SQLITE_DONE
                 ? sr_err_set(err, SR_ENOTFOUND, "contact: not found")
                 : db_error(db, err, "cannot read contact");
    } else {
        snprintf(code, sizeof code, "%s", db_col_text(s, 7));
        for (int i = 0; i < 6 && rc == SR_OK; i++) {
            int n = sqlite3_column_bytes(s, i);
            if (n > 0) {
                rc = vault_decrypt(v, "contact", identity_columns[i], id,
                                   sqlite3_column_blob(s, i), (size_t)n,
                                   bufs[i], err);
            }
        }
    }
    db_done(s);
    if (rc == SR_OK) {
        struct audit_entry e = { who->user_id, "contact.view_identity",
                                 "contact", code, "" };
        rc = audit_append(db, v, &e, err);
    }
    if (rc == SR_OK) {
        rc = db_commit(db, err);
    }
    if (rc != SR_OK) {
        db_rollback(db);
        contact_identity_release(out);
    }
    return rc;
}

int
contact_find_by_phone(struct db *db, const struct vault *v,
                      const struct principal *who, const char *phone, int limit,
                      int (*fn)(const struct contact_row *r, void *ctx),
                      void *ctx, struct sr_err *err)
{
    int64_t org = read_scope(who);
    if (!policy_can_see_identity(who->role) || org < 0) {
        return sr_err_set(err, SR_EPERM,
                          "identity fields are hidden for this role");
    }
    int rc = check_phone(phone, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (is_blank(phone)) {
        return sr_err_set(err, SR_EINVAL, "phone: required");
    }
    unsigned char idx[32];
    rc = vault_blind_index(v, "phone", phone, strlen(phone), idx, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct audit_entry e = { who->user_id, "contact.phone_lookup", "contact",
                             "", "" };
    rc = audit_append(db, v, &e, err);
    if (rc == SR_OK) {
        sqlite3_stmt *s = db_stmt(db, &contact_sql[CT_BY_PHONE]);
        db_bind_blob(s, 1, idx, sizeof idx);
        sqlite3_bind_int64(s, 2, org);
        sqlite3_bind_int(s, 3, limit > 0 && limit <= 100 ? limit : 20);
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            struct contact_row r;
            row_from(s, &r);
            if (fn(&r, ctx) != 0) {
                break;
            }
        }
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            rc = db_error(db, err, "cannot search contacts");
        }
        db_done(s);
    }
    if (rc == SR_OK) {
        rc = db_commit(db, err);
    }
    if (rc != SR_OK) {
        db_rollback(db);
    }
    return rc;
}
