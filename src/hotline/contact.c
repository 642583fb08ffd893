/*
 * contact.c - hotline contacts: validation, storage with encrypted
 * identity fields, lookups, and the value lists.
 *
 * Owns table contact and its SQL. Every write and every read of an
 * identity field is audited in the same transaction. Error messages name
 * fields, never their values.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "hotline/contact.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/audit.h"
#include "base/principal.h"
#include "core/clock.h"
#include "core/gazetteer.h"
#include "base/vault.h"
#include "hotline/contact_count.h"

#include "core/field.h"
#include "core/i18n.h"
#include "core/phone.h"
#include "core/banned.h"

enum contact_stmt {
    CT_INSERT,
    CT_SET_IDENTITY,
    CT_GET,
    CT_GET_ENC,
    CT_BY_PHONE,
    CT_MAX_ID,
    CT_INSERT_FULL,
    CT_LIST_ORG,
    CT_LIST_ORG_CAT,
    CT_LIST_ORG_PROV,
    CT_LIST_ORG_DANGER,
    CT_LIST_ALL,
    CT_LIST_ALL_CAT,
    CT_LIST_ALL_PROV,
    /* the counts of the lists above, in the same order */
    CT_LIST_COUNT_ORG,
    CT_LIST_COUNT_ORG_CAT,
    CT_LIST_COUNT_ORG_PROV,
    CT_LIST_COUNT_ORG_DANGER,
    CT_LIST_COUNT_ALL,
    CT_LIST_COUNT_ALL_CAT,
    CT_LIST_COUNT_ALL_PROV,
    CT_DELETE,
    CT_COUNTED,
    CT__COUNT
};

#define CONTACT_COLS                                                       \
    "c.id, c.org_id, coalesce(c.operator_id, 0), c.received_at,"           \
    " c.created_at, c.code, c.channel, c.language, c.caller_type,"         \
    " c.caller_country, c.caller_province, c.problem_country,"             \
    " c.problem_province, c.category, c.sector, coalesce(u.username, '')," \
    " c.issues, c.n_affected, c.is_danger, c.duration_s, c.consent,"       \
    " c.caller_phone IS NOT NULL"

/*
 * The list: one statement per scope (one organisation, or all) and
 * leading filter (none, category, problem province), so each can use its
 * index; the other filters are the same for all. Paging is by keyset: rows
 * strictly before the cursor (?12, ?13) in (received_at, id) order, never
 * OFFSET. ?2/?3 bound the date range (INT64 extremes when open).
 */
#define LIST_JOIN  "  LEFT JOIN \"user\" AS u ON u.id = c.operator_id"
#define LIST_TABLE "  FROM contact AS c"
/* SQLite would rather walk the date index and filter; the leading
 * filter's index reads far fewer rows (EXPLAIN QUERY PLAN in
 * docs/contacts.md) */
#define LIST_TABLE_CAT  "  FROM contact AS c INDEXED BY contact_category_page"
#define LIST_TABLE_PROV "  FROM contact AS c INDEXED BY contact_province_page"
/* one organisation, newest first: the report's covering index, read
 * backwards (db/migrations/0011_contact_speed.sql) */
#define LIST_TABLE_ORG    "  FROM contact AS c INDEXED BY contact_report"
#define LIST_TABLE_DANGER "  FROM contact AS c INDEXED BY contact_danger_page"
#define LIST_FROM         LIST_TABLE LIST_JOIN
#define LIST_FROM_CAT     LIST_TABLE_CAT LIST_JOIN
#define LIST_FROM_PROV    LIST_TABLE_PROV LIST_JOIN
#define LIST_FROM_ORG     LIST_TABLE_ORG LIST_JOIN
#define LIST_FROM_DANGER  LIST_TABLE_DANGER LIST_JOIN
#define LIST_WHERE                                       \
    "   AND c.deleted_at IS NULL"                        \
    "   AND c.received_at >= ?2 AND c.received_at <= ?3" \
    "   AND (?4 = '' OR c.category = ?4)"                \
    "   AND (?5 = '' OR c.sector = ?5)"                  \
    "   AND (?6 = '' OR c.problem_province = ?6)"        \
    "   AND (?7 = '' OR c.language = ?7)"                \
    "   AND (?8 = '' OR c.channel = ?8)"                 \
    "   AND (?9 = 0 OR c.operator_id = ?9)"              \
    "   AND (?10 < 0 OR c.is_danger = ?10)"              \
    "   AND (?11 = 0 OR (c.issues & ?11) != 0)"          \
    "   AND (c.received_at, c.id) < (?12, ?13)"
#define LIST_ORDER " ORDER BY c.received_at DESC, c.id DESC LIMIT ?14"
/*
 * A list's count: its rows up to ?14 (the cap plus one, so a count past
 * the cap shows as such), read through the same index, with the cursor
 * bound open; no join, which filters nothing.
 */
#define LIST_COUNT_SQL(table, where) \
    "SELECT count(*) FROM (SELECT 1" table where LIST_WHERE " LIMIT ?14) AS m"

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
               "  LEFT JOIN \"user\" AS u ON u.id = c.operator_id"
               " WHERE c.code = ?1 AND c.deleted_at IS NULL"
               "   AND (?2 = 0 OR c.org_id = ?2)",
    [CT_GET_ENC] = "SELECT caller_phone, caller_place, problem_place,"
                   "       summary, needs, action_taken, org_id, code"
                   "  FROM contact"
                   " WHERE id = ?1 AND deleted_at IS NULL",
    [CT_BY_PHONE] = "SELECT " CONTACT_COLS "  FROM contact AS c"
                    "  LEFT JOIN \"user\" AS u ON u.id = c.operator_id"
                    " WHERE c.caller_phone_idx = ?1"
                    "   AND c.deleted_at IS NULL"
                    "   AND (?2 = 0 OR c.org_id = ?2)"
                    " ORDER BY c.received_at DESC, c.id DESC"
                    " LIMIT ?3",
    [CT_MAX_ID] = "SELECT coalesce(max(id), 0) FROM contact",
    [CT_INSERT_FULL] =
        "INSERT INTO contact(id, code, org_id, operator_id, received_at,"
        "                    channel, language, caller_type, caller_country,"
        "                    caller_province, problem_country,"
        "                    problem_province, category, issues, sector,"
        "                    n_affected, is_danger, duration_s, consent,"
        "                    import_key, created_at, caller_phone,"
        "                    caller_phone_idx, caller_place, problem_place,"
        "                    summary, needs, action_taken,"
        "                    import_audit_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        "         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
        "         ?25, ?26, ?27, ?28, ?29)"
        " ON CONFLICT(import_key) DO NOTHING",
    [CT_LIST_ORG] = "SELECT " CONTACT_COLS LIST_FROM_ORG
                    " WHERE c.org_id = ?1" LIST_WHERE LIST_ORDER,
    [CT_LIST_ORG_CAT] =
        "SELECT " CONTACT_COLS LIST_FROM_CAT
        " WHERE c.org_id = ?1 AND c.category = ?4" LIST_WHERE LIST_ORDER,
    [CT_LIST_ORG_PROV] =
        "SELECT " CONTACT_COLS LIST_FROM_PROV
        " WHERE c.org_id = ?1 AND c.problem_province = ?6" LIST_WHERE
            LIST_ORDER,
    [CT_LIST_ORG_DANGER] =
        "SELECT " CONTACT_COLS LIST_FROM_DANGER
        " WHERE c.org_id = ?1 AND c.is_danger = 1" LIST_WHERE LIST_ORDER,
    [CT_LIST_ALL] =
        "SELECT " CONTACT_COLS LIST_FROM " WHERE ?1 = 0" LIST_WHERE LIST_ORDER,
    [CT_LIST_ALL_CAT] =
        "SELECT " CONTACT_COLS LIST_FROM
        " WHERE ?1 = 0 AND c.category = ?4" LIST_WHERE LIST_ORDER,
    [CT_LIST_ALL_PROV] =
        "SELECT " CONTACT_COLS LIST_FROM
        " WHERE ?1 = 0 AND c.problem_province = ?6" LIST_WHERE LIST_ORDER,
    [CT_LIST_COUNT_ORG] =
        LIST_COUNT_SQL(LIST_TABLE_ORG, " WHERE c.org_id = ?1"),
    [CT_LIST_COUNT_ORG_CAT] = LIST_COUNT_SQL(
        LIST_TABLE_CAT, " WHERE c.org_id = ?1 AND c.category = ?4"),
    [CT_LIST_COUNT_ORG_PROV] = LIST_COUNT_SQL(
        LIST_TABLE_PROV, " WHERE c.org_id = ?1 AND c.problem_province = ?6"),
    [CT_LIST_COUNT_ORG_DANGER] = LIST_COUNT_SQL(
        LIST_TABLE_DANGER, " WHERE c.org_id = ?1 AND c.is_danger = 1"),
    [CT_LIST_COUNT_ALL] = LIST_COUNT_SQL(LIST_TABLE, " WHERE ?1 = 0"),
    [CT_LIST_COUNT_ALL_CAT] =
        LIST_COUNT_SQL(LIST_TABLE, " WHERE ?1 = 0 AND c.category = ?4"),
    [CT_LIST_COUNT_ALL_PROV] =
        LIST_COUNT_SQL(LIST_TABLE, " WHERE ?1 = 0 AND c.problem_province = ?6"),
    [CT_DELETE] = "UPDATE contact"
                  "   SET deleted_at = ?3, deleted_reason = ?4"
                  " WHERE code = ?1 AND deleted_at IS NULL"
                  "   AND (?2 = 0 OR org_id = ?2)",
    /* the counted columns of the contact CT_DELETE deletes */
    [CT_COUNTED] = "SELECT org_id, received_at, category, problem_province,"
                   "       channel, language, sector, n_affected, is_danger"
                   "  FROM contact"
                   " WHERE code = ?1 AND deleted_at IS NULL"
                   "   AND (?2 = 0 OR org_id = ?2)",
};

/* The identity columns, in CT_SET_IDENTITY's and CT_GET_ENC's order. */
static const char *const identity_columns[] = {
    "caller_phone", "caller_place", "problem_place",
    "summary",      "needs",        "action_taken",
};

int
contact_validate(const struct contact_input *in, struct sr_err *err)
{
    struct field_errs fe = { .err = err };
    return contact_check(in, &fe);
}

int
contact_check(const struct contact_input *in, struct field_errs *fe)
{
    assert(in != NULL);
    int64_t now = sr_now();
    if (in->received_at != 0 &&
        (in->received_at < 946684800 || in->received_at > now + 300)) {
        field_fail(fe, "received_at",
                   N_("Must be a date and time between 2000 and now."),
                   "received_at: must be between 2000 and now");
    }
    field_check_vocab(fe, contact_channels, in->channel, 1, "channel");
    field_check_vocab(fe, vocab_languages, in->language, 1, "language");
    field_check_vocab(fe, contact_caller_types, in->caller_type, 1,
                      "caller_type");
    field_check_vocab(fe, contact_categories, in->category, 1, "category");
    field_check_vocab(fe, contact_sectors, in->sector, 0, "sector");
    if (in->issues >> vocab_count(contact_issues) != 0) {
        field_fail(fe, "issues", N_("Not one of the allowed values."),
                   "issues: unknown issue");
    }
    if (in->n_affected < 0 || in->n_affected > 100000) {
        field_fail(fe, "n_affected", N_("Must be a number from 0 to 100000."),
                   "n_affected: must be 0 to 100000");
    }
    if (in->is_danger != 0 && in->is_danger != 1) {
        field_fail(fe, "is_danger", N_("Not one of the allowed values."),
                   "is_danger: must be 0 or 1");
    }
    if (in->duration_s < 0 || in->duration_s > 86400) {
        field_fail(fe, "duration_s", N_("Must be 0 to 1440 minutes."),
                   "duration_s: must be 0 to 86400 seconds");
    }
    if (in->consent < 0 || in->consent > 7) {
        field_fail(fe, "consent", N_("Not one of the allowed values."),
                   "consent: unknown consent");
    }
    field_check_phone(fe, in->caller_phone, "caller_phone");
    field_check_place(fe, in->caller_country, in->caller_province,
                      "caller_country", "caller_province");
    field_check_place(fe, in->problem_country, in->problem_province,
                      "problem_country", "problem_province");
    field_check_text(fe, in->caller_place, CONTACT_MAX_PLACE, "caller_place");
    field_check_text(fe, in->problem_place, CONTACT_MAX_PLACE, "problem_place");
    field_check_text(fe, in->summary, CONTACT_MAX_TEXT, "summary");
    field_check_text(fe, in->needs, CONTACT_MAX_TEXT, "needs");
    field_check_text(fe, in->action_taken, CONTACT_MAX_TEXT, "action_taken");
    return field_errs_rc(fe);
}

static void
bind_opt_blob(struct db_stmt *s, int i, const struct sr_buf *b)
{
    if (b->len > 0) {
        db_bind_blob_static(s, i, b->data, b->len);
    } else {
        db_bind_null(s, i);
    }
}

/* Bytes of randomness per code: 40 bits, 8 characters of 5 bits. */
#define CODE_RANDOM_BYTES 5

/*
 * The code "C-XXXX-XXXX" made of the 40 random bits r[0..4], 5 bits per
 * Crockford base32 character (0-9 A-Z without I L O U), as vault_code()
 * writes them. 32 = 2^5, so uniform bits give uniform characters.
 */
static void
code_from_bits(const unsigned char r[CODE_RANDOM_BYTES], char out[32])
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint64_t bits = 0;
    for (int i = 0; i < CODE_RANDOM_BYTES; i++) {
        bits = bits << 8 | r[i];
    }
    size_t n = 0;
    out[n++] = 'C';
    out[n++] = '-';
    for (int i = 0; i < 8; i++) {
        if (i == 4) {
            out[n++] = '-';
        }
        out[n++] = crockford[(bits >> (35 - 5 * i)) & 31];
    }
    out[n] = '\0';
}

void
contact_phone_form(const struct contact_input *in, char *out, size_t size)
{
    const char *region = phone_region_or(
        field_country_of(in->caller_country, in->caller_province),
        in->phone_region);
    if (field_blank(in->caller_phone) ||
        phone_e164(in->caller_phone, region, out, size) < 0) {
        out[0] = '\0';
    }
}

/* An item's encrypted identity fields and phone index, made for its row
 * id before the insert. */
struct contact_prepared {
    struct sr_buf enc[6];
    unsigned char idx[32];
    int has_idx;
};

/* Wipe and free p's buffers. */
static void
prepared_wipe(struct contact_prepared *p)
{
    for (int i = 0; i < 6; i++) {
        vault_buf_wipe(&p->enc[i]);
    }
    sodium_memzero(p->idx, sizeof p->idx);
    p->has_idx = 0;
}

/* Encrypt it's identity fields for row id and blind-index its phone into
 * *p (wiped with prepared_wipe() whatever the result). No database. */
static int
prepare_one(const struct vault *v, int64_t id,
            const struct contact_batch_item *it, struct contact_prepared *p,
            struct sr_err *err)
{
    const struct contact_input *in = it->in;
    char phone[PHONE_MAX];
    contact_phone_form(in, phone, sizeof phone);
    const char *values[6] = { phone,       in->caller_place, in->problem_place,
                              in->summary, in->needs,        in->action_taken };
    int rc = SR_OK;
    p->has_idx = 0;
    for (int i = 0; i < 6; i++) {
        memset(&p->enc[i], 0, sizeof p->enc[i]); /* empty: no storage */
        if (rc == SR_OK && !field_blank(values[i])) {
            sr_buf_init(&p->enc[i], 0);
            rc = vault_encrypt(v, "contact", identity_columns[i], id, values[i],
                               strlen(values[i]), &p->enc[i], err);
        }
    }
    if (rc == SR_OK && !field_blank(phone)) {
        rc = vault_blind_index(v, "phone", phone, strlen(phone), p->idx, err);
        p->has_idx = rc == SR_OK;
    }
    sodium_memzero(phone, sizeof phone);
    return rc;
}

/* Insert item as row id with its prepared fields p, the code drawn from
 * the random bits r (a new draw if that code is taken). SR_OK with
 * it->is_dup set when its import key is already there. Values are bound
 * without a copy: each outlives the statement's step. */
static int
write_one(struct db *db, const struct principal *who, int64_t id, int64_t now,
          const unsigned char *r, int64_t import_audit_id,
          struct contact_batch_item *it, const struct contact_prepared *p,
          struct sr_err *err)
{
    const struct contact_input *in = it->in;
    int rc = SR_OK;
    /* a code may collide with an earlier one (40 bits): draw again */
    for (int attempt = 0; rc == SR_OK && attempt < 8; attempt++) {
        if (attempt == 0) {
            code_from_bits(r, it->code);
        } else {
            vault_code("C", it->code, sizeof it->code);
        }
        struct db_stmt *s = db_stmt(db, &contact_sql[CT_INSERT_FULL]);
        db_bind_i64(s, 1, id);
        db_bind_text_static(s, 2, it->code);
        db_bind_i64(s, 3, who->org_id);
        db_bind_id(s, 4, who->user_id);
        db_bind_i64(s, 5, in->received_at ? in->received_at : now);
        db_bind_text_static(s, 6, in->channel);
        db_bind_text_static(s, 7, in->language);
        db_bind_text_static(s, 8, in->caller_type);
        db_bind_text_static(
            s, 9, field_country_of(in->caller_country, in->caller_province));
        db_bind_text_static(s, 10,
                            in->caller_province ? in->caller_province : "");
        db_bind_text_static(
            s, 11, field_country_of(in->problem_country, in->problem_province));
        db_bind_text_static(s, 12,
                            in->problem_province ? in->problem_province : "");
        db_bind_text_static(s, 13, in->category);
        db_bind_i64(s, 14, in->issues);
        db_bind_text_static(s, 15, in->sector ? in->sector : "");
        db_bind_int(s, 16, in->n_affected);
        db_bind_int(s, 17, in->is_danger);
        db_bind_int(s, 18, in->duration_s);
        db_bind_int(s, 19, in->consent);
        if (it->import_key != NULL) {
            db_bind_blob_static(s, 20, it->import_key, 32);
        } else {
            db_bind_null(s, 20);
        }
        db_bind_i64(s, 21, now);
        bind_opt_blob(s, 22, &p->enc[0]);
        if (p->has_idx) {
            db_bind_blob_static(s, 23, p->idx, sizeof p->idx);
        } else {
            db_bind_null(s, 23);
        }
        for (int i = 1; i < 6; i++) {
            bind_opt_blob(s, 23 + i, &p->enc[i]);
        }
        db_bind_id(s, 29, import_audit_id);
        rc = db_exec_stmt(db, s, err);
        if (rc == SR_ECONFLICT) {
            sr_err_release(err);
            rc = SR_OK;
            continue; /* the code was taken */
        }
        if (rc == SR_OK) {
            it->is_dup = db_changes(db) == 0;
            break;
        }
    }
    if (rc == SR_OK && it->code[0] == '\0') {
        rc = sr_err_set(err, SR_ECONFLICT, "contact: no free code");
    }
    return rc;
}

/* The report's counts of the stored items (those given an id, at now
 * when received_at is 0), for who's organisation: one contact_count_apply()
 * for the whole batch. */
static int
count_items(struct db *db, const struct principal *who, int64_t now,
            const struct contact_batch_item *items, size_t n,
            struct sr_err *err)
{
    struct contact_counted *rows = sr_xcalloc(n + 1, sizeof *rows);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct contact_input *in = items[i].in;
        if (items[i].id == 0 || items[i].code[0] == '\0') {
            continue; /* a duplicate: not stored */
        }
        struct contact_counted *r = &rows[k++];
        r->org_id = who->org_id;
        r->received_at = in->received_at ? in->received_at : now;
        r->code[CC_DIM_CATEGORY] = in->category;
        r->code[CC_DIM_PROVINCE] = in->problem_province;
        r->code[CC_DIM_CHANNEL] = in->channel;
        r->code[CC_DIM_LANGUAGE] = in->language;
        r->code[CC_DIM_SECTOR] = in->sector;
        r->n_affected = in->n_affected;
        r->is_danger = in->is_danger;
        r->sign = 1;
    }
    int rc = contact_count_apply(db, rows, k, err);
    free(rows);
    return rc;
}

/* Encrypt item's identity fields for row id and insert it (prepare_one
 * then write_one). */
static int
insert_one(struct db *db, const struct vault *v, const struct principal *who,
           int64_t id, int64_t now, const unsigned char *r,
           int64_t import_audit_id, struct contact_batch_item *it,
           struct sr_err *err)
{
    struct contact_prepared p;
    int rc = prepare_one(v, id, it, &p, err);
    if (rc == SR_OK) {
        rc = write_one(db, who, id, now, r, import_audit_id, it, &p, err);
    }
    prepared_wipe(&p);
    return rc;
}

/* A batch item's place in the insertion order: by time received, then
 * by its place in the batch. */
struct batch_order {
    int64_t at;
    size_t i;
};

static int
batch_order_cmp(const void *a, const void *b)
{
    const struct batch_order *x = a;
    const struct batch_order *y = b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Validate items and clear their outputs: SR_EINVAL "item N: ..." on the
 * first bad one. */
static int
batch_validate(struct contact_batch_item *items, size_t n, struct sr_err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct sr_err e = { 0 };
        items[i].code[0] = '\0';
        items[i].id = 0;
        items[i].is_dup = 0;
        if (contact_validate(items[i].in, &e) != SR_OK) {
            int rc = sr_err_set(err, SR_EINVAL, "item %zu: %s", i + 1,
                                sr_err_msg(&e));
            sr_err_release(&e);
            return rc;
        }
    }
    return SR_OK;
}

/* max(id) of contact into *out. */
static int
read_max_id(struct db *db, int64_t *out, struct sr_err *err)
{
    int rc = SR_OK;
    struct db_stmt *s = db_stmt(db, &contact_sql[CT_MAX_ID]);
    if (db_step(s) == DB_ROW) {
        *out = db_col_i64(s, 0);
    } else {
        rc = db_error(db, err, "cannot read contacts");
    }
    db_done(s);
    return rc;
}

/*
 * Insert the validated items inside the open write transaction, ids from
 * *next_id on, each with its contact.create audit row on chain, or, when
 * import_audit_id > 0, naming that (bulk) contact.import row instead;
 * adds the number stored to *created.
 */
static int
insert_items(struct db *db, const struct vault *v, const struct principal *who,
             struct audit_chain *chain, int64_t import_audit_id,
             int64_t *next_id, struct contact_batch_item *items, size_t n,
             size_t *created, struct sr_err *err)
{
    int64_t now = sr_now();
    /* the codes' randomness in one call rather than 8 per code */
    unsigned char *random = sr_xmalloc(n * CODE_RANDOM_BYTES + 1);
    vault_random_token(random, n * CODE_RANDOM_BYTES);
    /* insert in time order: most of the indexes on contact lead with
     * (org_id[, category or province], received_at), so a batch sorted by
     * time visits their pages in order instead of at random */
    struct batch_order *ord = sr_xcalloc(n + 1, sizeof *ord);
    for (size_t i = 0; i < n; i++) {
        ord[i].at = items[i].in->received_at ? items[i].in->received_at : now;
        ord[i].i = i;
    }
    qsort(ord, n, sizeof *ord, batch_order_cmp);
    int rc = SR_OK;
    for (size_t k = 0; k < n && rc == SR_OK; k++) {
        size_t i = ord[k].i;
        struct contact_batch_item *it = &items[i];
        rc = insert_one(db, v, who, *next_id, now,
                        random + i * CODE_RANDOM_BYTES, import_audit_id, it,
                        err);
        if (rc != SR_OK || it->is_dup) {
            it->code[0] = '\0';
            continue;
        }
        it->id = (*next_id)++;
        (*created)++;
        if (import_audit_id > 0) {
            continue;
        }
        struct audit_entry e = { who->user_id, "contact.create", "contact",
                                 it->code, it->import_key ? "imported" : "" };
        rc = audit_chain_append(db, v, chain, &e, err);
    }
    if (rc == SR_OK) {
        rc = count_items(db, who, now, items, n, err);
    }
    free(ord);
    sodium_memzero(random, n * CODE_RANDOM_BYTES);
    free(random);
    return rc;
}

int
contact_create_batch(struct db *db, const struct vault *v,
                     const struct principal *who,
                     struct contact_batch_item *items, size_t n,
                     size_t *n_created, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    assert(items != NULL || n == 0);
    struct scope_filter sf;
    if (principal_scope(who, ACT_CONTACT_CREATE, &sf) != SR_OK ||
        !scope_filter_admits(&sf, who->org_id, 0) || who->org_id <= 0) {
        return sr_err_set(err, SR_EPERM, "contact: not allowed");
    }
    int rc = batch_validate(items, n, err);
    if (rc != SR_OK) {
        return rc;
    }
    /* a bulk load touches every part of the random-keyed indexes (code,
     * import key, phone): give it a page cache that holds them */
    if (n >= 1000 && db_tune_bulk(db, err) != SR_OK) {
        return SR_EDB;
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct audit_chain chain;
    int64_t next_id = 0;
    size_t created = 0;
    rc = audit_chain_open(db, &chain, err);
    if (rc == SR_OK) {
        rc = read_max_id(db, &next_id, err);
    }
    next_id++;
    if (rc == SR_OK) {
        rc = insert_items(db, v, who, &chain, 0, &next_id, items, n, &created,
                          err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (n_created != NULL) {
        *n_created = created;
    }
    return SR_OK;
}

/* ---- bulk load ------------------------------------------------------- */

int
contact_count_hint(struct db *db, int64_t *out, struct sr_err *err)
{
    assert(db != NULL && out != NULL);
    return read_max_id(db, out, err);
}

int
contact_bulk_begin(struct db *db, struct contact_bulk *b, struct sr_err *err)
{
    assert(db != NULL && b != NULL);
    memset(b, 0, sizeof *b);
    b->db = db;
    sr_buf_init(&b->index_sql, 0);
    if (db_tune_bulk(db, err) != SR_OK) {
        sr_buf_release(&b->index_sql);
        return SR_EDB;
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        sr_buf_release(&b->index_sql);
        return rc;
    }
    b->is_open = 1;
    /* rows appended in rowid order, each index sorted once at the end */
    rc = db_indexes_set_aside(db, "contact", &b->index_sql, err);
    if (rc == SR_OK) {
        rc = audit_chain_open(db, &b->chain, err);
    }
    if (rc == SR_OK) {
        rc = read_max_id(db, &b->next_id, err);
        b->next_id++;
    }
    /* the contact.import row comes last in this transaction, so it takes
     * the chain's next id */
    b->audit_id = b->chain.next_id;
    if (rc != SR_OK) {
        contact_bulk_abort(b);
    }
    return rc;
}

int
contact_bulk_prepare(struct contact_bulk *b, const struct vault *v,
                     struct contact_batch_item *items, size_t n,
                     struct contact_bulk_batch *bb, struct sr_err *err)
{
    assert(b != NULL && b->is_open && v != NULL && bb != NULL);
    assert(items != NULL || n == 0);
    memset(bb, 0, sizeof *bb);
    int rc = batch_validate(items, n, err);
    if (rc != SR_OK) {
        return rc;
    }
    bb->items = items;
    bb->n = n;
    bb->now = sr_now();
    bb->first_id = b->next_id;
    b->next_id += (int64_t)n; /* a duplicate leaves its id unused */
    bb->random = sr_xmalloc(n * CODE_RANDOM_BYTES + 1);
    vault_random_token(bb->random, n * CODE_RANDOM_BYTES);
    /* ids in time order, as contact_create_batch() gives them */
    struct batch_order *ord = sr_xcalloc(n + 1, sizeof *ord);
    for (size_t i = 0; i < n; i++) {
        ord[i].at =
            items[i].in->received_at ? items[i].in->received_at : bb->now;
        ord[i].i = i;
    }
    qsort(ord, n, sizeof *ord, batch_order_cmp);
    bb->order = sr_xcalloc(n + 1, sizeof *bb->order);
    bb->prep = sr_xcalloc(n + 1, sizeof *bb->prep);
    for (size_t k = 0; k < n; k++) {
        bb->order[k] = ord[k].i;
    }
    free(ord);
    for (size_t k = 0; k < n && rc == SR_OK; k++) {
        size_t i = bb->order[k];
        rc = prepare_one(v, bb->first_id + (int64_t)k, &items[i], &bb->prep[i],
                         err);
    }
    return rc;
}

int
contact_bulk_write(struct contact_bulk *b, const struct principal *who,
                   struct contact_bulk_batch *bb, size_t *n_created,
                   struct sr_err *err)
{
    assert(b != NULL && b->is_open && who != NULL && bb != NULL);
    size_t created = 0;
    int rc = SR_OK;
    for (size_t k = 0; k < bb->n && rc == SR_OK; k++) {
        size_t i = bb->order[k];
        struct contact_batch_item *it = &bb->items[i];
        int64_t id = bb->first_id + (int64_t)k;
        rc = write_one(b->db, who, id, bb->now,
                       bb->random + i * CODE_RANDOM_BYTES, b->audit_id, it,
                       &bb->prep[i], err);
        if (rc != SR_OK || it->is_dup) {
            it->code[0] = '\0';
            continue;
        }
        it->id = id;
        created++;
        if (b->first_id == 0 || id < b->first_id) {
            b->first_id = id;
            memcpy(b->first_code, it->code, sizeof b->first_code);
        }
        if (id > b->last_id) {
            b->last_id = id;
            memcpy(b->last_code, it->code, sizeof b->last_code);
        }
    }
    if (rc == SR_OK) {
        rc = count_items(b->db, who, bb->now, bb->items, bb->n, err);
    }
    b->n_created += (int64_t)created;
    if (rc == SR_OK && n_created != NULL) {
        *n_created = created;
    }
    return rc;
}

void
contact_bulk_batch_release(struct contact_bulk_batch *bb)
{
    if (bb == NULL) {
        return;
    }
    for (size_t i = 0; bb->prep != NULL && i < bb->n; i++) {
        prepared_wipe(&bb->prep[i]);
    }
    if (bb->random != NULL) {
        sodium_memzero(bb->random, bb->n * CODE_RANDOM_BYTES);
    }
    free(bb->random);
    free(bb->order);
    free(bb->prep);
    memset(bb, 0, sizeof *bb);
}

int
contact_bulk_add(struct contact_bulk *b, const struct vault *v,
                 const struct principal *who, struct contact_batch_item *items,
                 size_t n, size_t *n_created, struct sr_err *err)
{
    assert(b != NULL && b->is_open && v != NULL && who != NULL);
    struct contact_bulk_batch bb;
    int rc = contact_bulk_prepare(b, v, items, n, &bb, err);
    if (rc == SR_OK) {
        rc = contact_bulk_write(b, who, &bb, n_created, err);
    }
    contact_bulk_batch_release(&bb);
    if (rc != SR_OK) {
        contact_bulk_abort(b);
    }
    return rc;
}

int
contact_bulk_commit(struct contact_bulk *b, const struct vault *v,
                    const struct principal *who, const char *file_print,
                    struct sr_err *err)
{
    assert(b != NULL && b->is_open && v != NULL && who != NULL);
    int rc = db_indexes_restore(b->db, &b->index_sql, err);
    if (rc == SR_OK && b->n_created > 0) {
        if (b->chain.next_id != b->audit_id) {
            SR_BUG("bulk load: audit row id moved");
        }
        char detail[256];
        snprintf(detail, sizeof detail,
                 "rows=%lld first=%s first_id=%lld last=%s last_id=%lld"
                 " file=%s",
                 (long long)b->n_created, b->first_code, (long long)b->first_id,
                 b->last_code, (long long)b->last_id,
                 file_print != NULL ? file_print : "");
        struct audit_entry e = { who->user_id, "contact.import", "contact", "",
                                 detail };
        rc = audit_chain_append(b->db, v, &b->chain, &e, err);
    }
    if (rc == SR_OK) {
        rc = db_commit(b->db, err);
    }
    if (rc != SR_OK) {
        contact_bulk_abort(b);
        return rc;
    }
    b->is_open = 0;
    sr_buf_release(&b->index_sql);
    return SR_OK;
}

void
contact_bulk_abort(struct contact_bulk *b)
{
    if (b == NULL) {
        return;
    }
    if (b->is_open) {
        db_rollback(b->db);
        b->is_open = 0;
    }
    sr_buf_release(&b->index_sql);
}

int
contact_create(struct db *db, const struct vault *v,
               const struct principal *who, const struct contact_input *in,
               const unsigned char *import_key, char code_out[32],
               int64_t *id_out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    struct contact_batch_item it = { .in = in, .import_key = import_key };
    int rc = contact_validate(in, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = contact_create_batch(db, v, who, &it, 1, NULL, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (it.is_dup) {
        return sr_err_set(err, SR_ECONFLICT, "contact: already imported");
    }
    memcpy(code_out, it.code, sizeof it.code);
    if (id_out != NULL) {
        *id_out = it.id;
    }
    return SR_OK;
}
/* The organisation filter for who's scope of action a: 0 = all, -1 =
 * none (principal_scope()). */
static int64_t
scope_org(const struct principal *who, enum action a)
{
    struct scope_filter f;
    (void)principal_scope(who, a, &f);
    return f.org_id;
}

static void
row_from(struct db_stmt *s, struct contact_row *r)
{
    r->id = db_col_i64(s, 0);
    r->org_id = db_col_i64(s, 1);
    r->operator_id = db_col_i64(s, 2);
    r->received_at = db_col_i64(s, 3);
    r->created_at = db_col_i64(s, 4);
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
    r->issues = (uint32_t)db_col_i64(s, 16);
    r->n_affected = db_col_int(s, 17);
    r->is_danger = db_col_int(s, 18);
    r->duration_s = db_col_int(s, 19);
    r->consent = db_col_int(s, 20);
    r->has_phone = db_col_int(s, 21);
}

int
contact_get(struct db *db, const struct principal *who, const char *code,
            int (*fn)(const struct contact_row *r, void *ctx), void *ctx,
            struct sr_err *err)
{
    int64_t org = scope_org(who, ACT_CONTACT_READ);
    if (org < 0) {
        return sr_err_set(err, SR_ENOTFOUND, "contact: not found");
    }
    struct db_stmt *s = db_stmt(db, &contact_sql[CT_GET]);
    db_bind_text(s, 1, code ? code : "");
    db_bind_i64(s, 2, org);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        struct contact_row r;
        row_from(s, &r);
        fn(&r, ctx);
    }
    db_done(s);
    if (rc == DB_ROW) {
        return SR_OK;
    }
    if (rc == DB_DONE) {
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
    int64_t org = scope_org(who, ACT_CONTACT_READ);
    if (!principal_can_see_identity(who) || org < 0) {
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
    struct db_stmt *s = db_stmt(db, &contact_sql[CT_GET_ENC]);
    db_bind_i64(s, 1, id);
    int step = db_step(s);
    char code[32] = "";
    if (step != DB_ROW || (org != 0 && db_col_i64(s, 6) != org)) {
        rc = step == DB_ROW || step == DB_DONE
                 ? sr_err_set(err, SR_ENOTFOUND, "contact: not found")
                 : db_error(db, err, "cannot read contact");
    } else {
        snprintf(code, sizeof code, "%s", db_col_text(s, 7));
        for (int i = 0; i < 6 && rc == SR_OK; i++) {
            int n = db_col_bytes(s, i);
            if (n > 0) {
                rc = vault_decrypt(v, "contact", identity_columns[i], id,
                                   db_col_blob(s, i), (size_t)n, bufs[i], err);
            }
        }
    }
    db_done(s);
    struct audit_entry e = { who->user_id, "contact.view_identity", "contact",
                             code, "" };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc != SR_OK) {
        contact_identity_release(out);
    }
    return rc;
}

int
contact_find_by_phone(struct db *db, const struct vault *v,
                      const struct principal *who,
                      const struct contact_input *q, int limit,
                      int (*fn)(const struct contact_row *r, void *ctx),
                      void *ctx, struct sr_err *err)
{
    int64_t org = scope_org(who, ACT_CONTACT_READ);
    if (!principal_can_see_identity(who) || org < 0) {
        return sr_err_set(err, SR_EPERM,
                          "identity fields are hidden for this role");
    }
    const char *phone = q->caller_phone;
    int rc = field_phone(phone, "caller_phone", err);
    if (rc != SR_OK) {
        return rc;
    }
    if (field_blank(phone)) {
        return sr_err_set(err, SR_EINVAL, "phone: required");
    }
    char form[PHONE_MAX];
    contact_phone_form(q, form, sizeof form);
    unsigned char idx[32];
    rc = vault_blind_index(v, "phone", form, strlen(form), idx, err);
    sodium_memzero(form, sizeof form);
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
        struct db_stmt *s = db_stmt(db, &contact_sql[CT_BY_PHONE]);
        db_bind_blob(s, 1, idx, sizeof idx);
        db_bind_i64(s, 2, org);
        db_bind_int(s, 3, limit > 0 && limit <= 100 ? limit : 20);
        int step;
        while ((step = db_step(s)) == DB_ROW) {
            struct contact_row r;
            row_from(s, &r);
            if (fn(&r, ctx) != 0) {
                break;
            }
        }
        if (step != DB_ROW && step != DB_DONE) {
            rc = db_error(db, err, "cannot search contacts");
        }
        db_done(s);
    }
    return db_finish(db, rc, err);
}

/* Check a filter's codes; SR_EINVAL naming the field. */
static int
check_filter(const struct contact_filter *f, struct sr_err *err)
{
    int rc;
    if ((rc = field_vocab(contact_categories, f->category, 0, "category",
                          err)) != SR_OK ||
        (rc = field_vocab(contact_sectors, f->sector, 0, "sector", err)) !=
            SR_OK ||
        (rc = field_vocab(vocab_languages, f->language, 0, "language", err)) !=
            SR_OK ||
        (rc = field_vocab(contact_channels, f->channel, 0, "channel", err)) !=
            SR_OK) {
        return rc;
    }
    if (!field_blank(f->province) && gaz_find(f->province) == NULL) {
        return sr_err_set(err, SR_EINVAL,
                          "province: not a province in the gazetteer");
    }
    if (f->danger < 0 || f->danger > 2) {
        return sr_err_set(err, SR_EINVAL, "danger: must be any, yes or no");
    }
    if (f->issues >> vocab_count(contact_issues) != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "issue: not one of the allowed "
                          "values");
    }
    if (f->from != 0 && f->to != 0 && f->from > f->to) {
        return sr_err_set(err, SR_EINVAL, "from: after the end date");
    }
    if (f->limit < 0 || f->limit > CONTACT_MAX_PAGE) {
        return sr_err_set(err, SR_EINVAL, "limit: must be 1 to %d",
                          CONTACT_MAX_PAGE);
    }
    return SR_OK;
}

/* The list statement for f in scope org (0 = all), bound; limit rows
 * (-1 = no limit, bound as the largest count: both stores read LIMIT that
 * way, where only SQLite takes a negative one); its count statement
 * instead when is_count. */
static struct db_stmt *
list_or_count_stmt(struct db *db, const struct contact_filter *f, int64_t org,
                   int64_t limit, int is_count)
{
    int has_prov = !field_blank(f->province),
        has_cat = !field_blank(f->category);
    /* the rarest filter leads: danger, then province, then category */
    enum contact_stmt which;
    if (org != 0) {
        which = f->danger == 1 ? CT_LIST_ORG_DANGER
                : has_prov     ? CT_LIST_ORG_PROV
                : has_cat      ? CT_LIST_ORG_CAT
                               : CT_LIST_ORG;
    } else {
        which = has_prov  ? CT_LIST_ALL_PROV
                : has_cat ? CT_LIST_ALL_CAT
                          : CT_LIST_ALL;
    }
    if (is_count) {
        which = (enum contact_stmt)(which + CT_LIST_COUNT_ORG - CT_LIST_ORG);
    }
    struct db_stmt *s = db_stmt(db, &contact_sql[which]);
    db_bind_i64(s, 1, org);
    db_bind_i64(s, 2, f->from != 0 ? f->from : INT64_MIN);
    db_bind_i64(s, 3, f->to != 0 ? f->to : INT64_MAX);
    db_bind_text(s, 4, f->category ? f->category : "");
    db_bind_text(s, 5, f->sector ? f->sector : "");
    db_bind_text(s, 6, f->province ? f->province : "");
    db_bind_text(s, 7, f->language ? f->language : "");
    db_bind_text(s, 8, f->channel ? f->channel : "");
    db_bind_i64(s, 9, f->operator_id);
    db_bind_int(s, 10, f->danger == 1 ? 1 : f->danger == 2 ? 0 : -1);
    db_bind_i64(s, 11, f->issues);
    /* a count covers every page: the cursor is left open */
    int has_cursor = !is_count && (f->before_at != 0 || f->before_id != 0);
    db_bind_i64(s, 12, has_cursor ? f->before_at : INT64_MAX);
    db_bind_i64(s, 13, has_cursor ? f->before_id : INT64_MAX);
    db_bind_i64(s, 14, limit >= 0 ? limit : INT64_MAX);
    return s;
}

/* The list statement for f in scope org, bound; see list_or_count_stmt. */
static struct db_stmt *
list_stmt(struct db *db, const struct contact_filter *f, int64_t org, int limit)
{
    return list_or_count_stmt(db, f, org, limit, 0);
}

/*
 * The count statement of the list f selects, bound with its filter, the
 * cursor open and LIMIT cap + 1: it gives min(matches, cap + 1).
 */
static struct db_stmt *
count_stmt(struct db *db, const struct contact_filter *f, int64_t org,
           int64_t cap)
{
    return list_or_count_stmt(db, f, org, cap + 1, 1);
}

int
contact_list(struct db *db, const struct principal *who,
             const struct contact_filter *f,
             int (*fn)(const struct contact_row *r, void *ctx), void *ctx,
             struct contact_cursor *next, struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && fn != NULL);
    int64_t org = scope_org(who, ACT_CONTACT_READ);
    if (org < 0) {
        return sr_err_set(err, SR_EPERM, "contacts: not allowed");
    }
    int rc = check_filter(f, err);
    if (rc != SR_OK) {
        return rc;
    }
    int limit = f->limit > 0 ? f->limit : 50;
    struct contact_cursor cur = { 0, 0, 0 };
    /* one row more than asked tells whether there is a next page */
    struct db_stmt *s = list_stmt(db, f, org, limit + 1);
    int step, n = 0, stop = 0;
    while ((step = db_step(s)) == DB_ROW) {
        struct contact_row r;
        row_from(s, &r);
        if (n == limit) {
            cur.has_more = 1;
            break;
        }
        n++;
        cur.at = r.received_at;
        cur.id = r.id;
        if (fn(&r, ctx) != 0) {
            stop = 1;
            break;
        }
    }
    if (step != DB_ROW && step != DB_DONE) {
        rc = db_error(db, err, "cannot list contacts");
    }
    db_done(s);
    if (rc == SR_OK && next != NULL) {
        if (stop) {
            cur.has_more = 0;
        }
        *next = cur;
    }
    return rc;
}

int
contact_list_count(struct db *db, const struct principal *who,
                   const struct contact_filter *f, int64_t cap,
                   int64_t *n_matches, struct sr_err *err)
{
    assert(db != NULL && who != NULL && f != NULL && n_matches != NULL);
    assert(cap >= 0 && cap < INT64_MAX);
    int64_t org = scope_org(who, ACT_CONTACT_READ);
    if (org < 0) {
        return sr_err_set(err, SR_EPERM, "contacts: not allowed");
    }
    int rc = check_filter(f, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = count_stmt(db, f, org, cap);
    int step = db_step(s);
    int64_t n = step == DB_ROW ? db_col_i64(s, 0) : 0;
    rc = db_end(db, s, step, "cannot count contacts", err);
    if (rc == SR_OK) {
        *n_matches = n;
    }
    return rc;
}

int
contact_export_rows(struct db *db, const struct vault *v,
                    const struct principal *who, const struct contact_filter *f,
                    int with_identity,
                    int (*fn)(const struct contact_row *r,
                              const struct contact_identity *idn, void *ctx),
                    void *ctx, int64_t *n_rows, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && f != NULL);
    int64_t org = scope_org(who, ACT_CONTACT_EXPORT);
    if (org < 0) {
        return sr_err_set(err, SR_EPERM, "export: not allowed");
    }
    if (with_identity && !principal_can_see_identity(who)) {
        return sr_err_set(err, SR_EPERM,
                          "identity fields are hidden for this role");
    }
    int rc = db_begin_after(db, check_filter(f, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    vault_pin(v);
    int64_t n = 0;
    struct contact_identity idn;
    memset(&idn, 0, sizeof idn);
    struct sr_buf *bufs[6] = { &idn.phone,         &idn.caller_place,
                               &idn.problem_place, &idn.summary,
                               &idn.needs,         &idn.action_taken };
    for (int i = 0; i < 6; i++) {
        sr_buf_init(bufs[i], 0);
    }
    struct db_stmt *s = list_stmt(db, f, org, f->limit > 0 ? f->limit : -1);
    struct db_stmt *e = NULL;
    int step;
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        struct contact_row r;
        row_from(s, &r);
        if (with_identity) {
            e = db_stmt(db, &contact_sql[CT_GET_ENC]);
            db_bind_i64(e, 1, r.id);
            if (db_step(e) != DB_ROW) {
                rc = db_error(db, err, "cannot read contact");
            }
            for (int i = 0; i < 6 && rc == SR_OK; i++) {
                int len = db_col_bytes(e, i);
                sr_buf_reset(bufs[i]);
                if (len > 0) {
                    rc = vault_decrypt(v, "contact", identity_columns[i], r.id,
                                       db_col_blob(e, i), (size_t)len, bufs[i],
                                       err);
                }
            }
            db_done(e);
        }
        if (rc == SR_OK && fn(&r, with_identity ? &idn : NULL, ctx) != 0) {
            rc = sr_err_set(err, SR_EIO, "export: cannot write a row");
        }
        n++;
    }
    if (rc == SR_OK && step != DB_DONE) {
        rc = db_error(db, err, "cannot list contacts");
    }
    db_done(s);
    contact_identity_release(&idn);
    vault_unpin(v);
    if (rc == SR_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "rows=%lld identity=%s", (long long)n,
                 with_identity ? "yes" : "no");
        struct audit_entry a = { who->user_id, "contact.export", "contact", "",
                                 detail };
        rc = audit_append(db, v, &a, err);
    }
    rc = db_finish(db, rc, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (n_rows != NULL) {
        *n_rows = n;
    }
    return SR_OK;
}

/* A contact's counted columns, copied out of CT_COUNTED's row. */
struct counted_copy {
    int64_t org_id, received_at;
    char code[CC_N_DIMS][64]; /* CT_COUNTED's columns 2-6 */
    int n_affected, is_danger;
};

static int
read_counted(struct db_stmt *s, void *ctx)
{
    struct counted_copy *c = ctx;
    c->org_id = db_col_i64(s, 0);
    c->received_at = db_col_i64(s, 1);
    /* column order of CT_COUNTED: category, province, channel, language,
     * sector, as enum contact_count_dim */
    for (int d = 0; d < CC_N_DIMS; d++) {
        const char *t = db_col_text_or_null(s, 2 + d);
        snprintf(c->code[d], sizeof c->code[d], "%s", t ? t : "");
    }
    c->n_affected = (int)db_col_i64(s, 7);
    c->is_danger = (int)db_col_i64(s, 8);
    return 0;
}

int
contact_delete(struct db *db, const struct vault *v,
               const struct principal *who, const char *code,
               const char *reason, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t org = scope_org(who, ACT_CONTACT_DELETE);
    if (org < 0) {
        return sr_err_set(err, SR_EPERM, "delete: not allowed");
    }
    if (field_blank(reason)) {
        return sr_err_set(err, SR_EINVAL, "reason: required");
    }
    int rc = db_begin_after(db, field_text(reason, 500, "reason", err), err);
    if (rc != SR_OK) {
        return rc;
    }
    /* the contact leaves the report's counts in this transaction */
    struct counted_copy gone;
    memset(&gone, 0, sizeof gone);
    struct db_stmt *s = db_stmt(db, &contact_sql[CT_COUNTED]);
    db_bind_text(s, 1, code ? code : "");
    db_bind_i64(s, 2, org);
    rc = db_one(db, s, read_counted, &gone, "contact: not found",
                "cannot read contact", err);
    if (rc == SR_OK) {
        s = db_stmt(db, &contact_sql[CT_DELETE]);
        db_bind_text(s, 1, code ? code : "");
        db_bind_i64(s, 2, org);
        db_bind_i64(s, 3, sr_now());
        db_bind_text(s, 4, reason);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK && db_changes(db) == 0) {
        rc = sr_err_set(err, SR_ENOTFOUND, "contact: not found");
    }
    if (rc == SR_OK) {
        struct contact_counted r = { .org_id = gone.org_id,
                                     .received_at = gone.received_at,
                                     .n_affected = gone.n_affected,
                                     .is_danger = gone.is_danger,
                                     .sign = -1 };
        for (int d = 0; d < CC_N_DIMS; d++) {
            r.code[d] = gone.code[d];
        }
        rc = contact_count_apply(db, &r, 1, err);
    }
    /* the reason may hold words the operator typed: not in the audit */
    struct audit_entry a = { who->user_id, "contact.delete", "contact", code,
                             "" };
    return audit_finish(db, v, &a, rc, err);
}

int
contact_tz_offset(const char *zone, int *offset_s)
{
    return sr_tz_offset(zone, offset_s);
}

/* The w decimal digits at p in *v, or 0 if one of them is not a digit
 * (then sscanf decides: the import parses a time per row, and sscanf is
 * slow; for plain digits both give the same). */
static int
plain_digits(const char *p, int w, int *v)
{
    int x = 0;
    for (int i = 0; i < w; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
        x = x * 10 + (p[i] - '0');
    }
    *v = x;
    return 1;
}

/* "HH:MM" at p as sscanf("%2d:%2d%n") reads it: 1 if whole (5 bytes). */
static int
two_pairs(const char *p, int *a, int *b)
{
    int m = 0;
    if (plain_digits(p, 2, a) && p[2] == ':' && plain_digits(p + 3, 2, b)) {
        return 1;
    }
    return sscanf(p, "%2d:%2d%n", a, b, &m) == 2 && m == 5;
}

int
contact_parse_time(const char *s, int offset_s, int64_t *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
    if (s == NULL) {
        return SR_EINVAL;
    }
    size_t len = strlen(s);
    if (len < 10 || len > 30) {
        return SR_EINVAL;
    }
    if (!(plain_digits(s, 4, &y) && s[4] == '-' &&
          plain_digits(s + 5, 2, &mo) && s[7] == '-' &&
          plain_digits(s + 8, 2, &d)) &&
        (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)) {
        return SR_EINVAL;
    }
    const char *p = s + 10;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (!two_pairs(p + 1, &h, &mi)) {
            return SR_EINVAL;
        }
        p += 6;
        if (*p == ':') {
            if (!plain_digits(p + 1, 2, &sec) &&
                (sscanf(p + 1, "%2d%n", &sec, &m) != 1 || m != 2)) {
                return SR_EINVAL;
            }
            p += 3;
        }
    }
    int off = offset_s;
    if (*p == 'Z') {
        off = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh = 0, om = 0;
        if (!two_pairs(p + 1, &oh, &om) || oh > 14 || om > 59) {
            return SR_EINVAL;
        }
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    }
    static const int mdays[] = {
        31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (*p != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || sec > 59) {
        return SR_EINVAL;
    }
    *out =
        sr_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return SR_OK;
}

void
contact_format_time(int64_t t, int offset_s, char *out, size_t size)
{
    sr_time_text(t, offset_s, SR_TIME_MINUTE, out, size);
}
