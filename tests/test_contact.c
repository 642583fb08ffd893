/*
 * test_contact.c - contacts: validation names the field, identity fields
 * are stored encrypted and read back only with permission and an audit
 * row, earlier contacts are found by phone in any format, scope holds,
 * and a re-imported record is refused.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <sqlite3.h>
#include <string.h>

#include "base/audit.h"
#include "hotline/contact.h"
#include "fixture.h"
#include "core/gazetteer.h"
#include "harness.h"
#include "tally.h"
#include "base/org.h"

#include "core/banned.h"

static const char *const q_raw =
    "SELECT caller_phone, summary, caller_phone_idx FROM contact WHERE id = ?1";

static int n_seen;

static int
count_row(const struct contact_row *r, void *ctx)
{
    (void)r;
    (void)ctx;
    n_seen++;
    return 0;
}

static int
keep_row(const struct contact_row *r, void *ctx)
{
    struct contact_row *out = ctx;
    *out = *r;
    out->code = NULL; /* borrowed strings end with the callback */
    out->channel = NULL;
    return 0;
}

static int
count_audit(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

static int
audit_count(struct db *db, const char *action)
{
    struct audit_filter f = { 0 };
    f.action = action;
    f.limit = 1000;
    struct sr_err err = { 0 };
    int n = 0;
    audit_list(db, &f, count_audit, &n, &err);
    return n;
}

/* Contacts found from phone read in region; -1 on an error. */
static int
n_found(struct db *db, const struct vault *v, const struct principal *who,
        const char *phone, const char *region)
{
    struct contact_input q = { .caller_phone = phone, .phone_region = region };
    struct sr_err err = { 0 };
    n_seen = 0;
    int rc = contact_find_by_phone(db, v, who, &q, 10, count_row, NULL, &err);
    sr_err_release(&err);
    return rc == SR_OK ? n_seen : -1;
}

static struct contact_input
good_input(void)
{
    struct contact_input in;
    memset(&in, 0, sizeof in);
    in.channel = "phone";
    in.language = "my";
    in.caller_type = "self";
    in.caller_phone = "+66 81-234 5678";
    in.caller_province = "TH-90";
    in.caller_place = "near the pier, Songkhla";
    in.problem_country = "TH";
    in.problem_province = "TH-90";
    in.category = "trafficking";
    in.issues = 1u << 2 | 1u << 4; /* document confiscation, confinement */
    in.sector = "fishing";
    in.n_affected = 4;
    in.is_danger = 1;
    in.summary = "Caller says four men are held on a boat";
    in.duration_s = 420;
    in.consent = CONTACT_CONSENT_NGO;
    return in;
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org_code[32], org2_code[32], code[32];
    int64_t org_id, org2, id, id2;
    CHECK(gaz_count() > 200);
    CHECK(gaz_find("TH-90") != NULL);
    /* the binary search finds every division by its own code, and no
     * code outside the table */
    int is_all_found = 1;
    for (size_t i = 0; i < gaz_count(); i++) {
        is_all_found &= gaz_find(gaz_at(i)->code) == gaz_at(i);
    }
    CHECK(is_all_found);
    CHECK(gaz_find("TH-9") == NULL && gaz_find("TH-900") == NULL);
    CHECK(gaz_find("") == NULL && gaz_find("ZZ-01") == NULL);
    CHECK(gaz_find("AA") == NULL && gaz_find("~") == NULL);
    /* a division's name in the reader's script when the reader's language
     * is its country's, else English (names as the table gives them) */
    const struct gaz_division *songkhla = gaz_find("TH-90");
    CHECK_STR(gaz_name(songkhla, "th"), "สงขลา");
    CHECK_STR(gaz_name(songkhla, "my"), "Songkhla");
    CHECK_STR(gaz_name(songkhla, "en"), "Songkhla");
    CHECK_STR(gaz_name(gaz_find("MM-06"), "my"), "ရန်ကုန်");
    CHECK_STR(gaz_name(gaz_find("KH-12"), "km"), "ភ្នំពេញ");
    CHECK_STR(gaz_name(gaz_find("LA-VT"), "lo"), "ນະຄອນຫຼວງວຽງຈັນ");
    CHECK_STR(gaz_name(gaz_find("MM-06"), "th"), "Yangon");
    /* sorted in the reader's collation: Thai readers see Krabi (กระบี่)
     * then Bangkok (กรุงเทพมหานคร) first, English readers Amnat Charoen;
     * every country's divisions once, countries in the table's order */
    const struct gaz_division *ds[GAZ_MAX];
    size_t n_th = gaz_sorted("TH", "th", ds, GAZ_MAX);
    CHECK(n_th == 78 && strcmp(ds[0]->code, "TH-81") == 0 &&
          strcmp(ds[1]->code, "TH-10") == 0);
    CHECK(gaz_sorted("TH", "en", ds, GAZ_MAX) == 78 &&
          strcmp(ds[0]->code, "TH-37") == 0);
    size_t n_vn = gaz_sorted("VN", "vi", ds, GAZ_MAX);
    CHECK(n_vn == 63 && strcmp(ds[0]->code, "VN-44") == 0 &&
          strcmp(ds[n_vn - 1]->code, "VN-06") == 0);
    size_t n_all = gaz_sorted(NULL, "en", ds, GAZ_MAX);
    CHECK(n_all == gaz_count() && strcmp(ds[0]->country, "CN") == 0 &&
          strcmp(ds[n_all - 1]->code, "VN-06") == 0);
    CHECK(gaz_sorted("TH", "th", ds, 2) == 2 &&
          strcmp(ds[0]->code, "TH-81") != 0); /* a cap cuts the table short */
    CHECK(org_add(db, v, 0, "Hotline", "hotline", "TH", org_code, &org_id,
                  &err) == SR_OK);
    CHECK(org_add(db, v, 0, "Other", "ngo", "TH", org2_code, &org2, &err) ==
          SR_OK);
    struct principal op = { .user_id = 0,
                            .org_id = org_id,
                            .role = ROLE_HOTLINE };
    struct principal other = { .user_id = 0,
                               .org_id = org2,
                               .role = ROLE_HOTLINE };
    struct principal analyst = { .user_id = 0,
                                 .org_id = org_id,
                                 .role = ROLE_ANALYST };

    /* each bad field is named, and nothing is written */
    struct {
        const char *field;
        struct contact_input in;
    } bad[16];
    int nb = 0;
    for (int i = 0; i < 16; i++) {
        bad[i].in = good_input();
    }
    bad[nb].field = "channel", bad[nb++].in.channel = "pigeon";
    bad[nb].field = "channel", bad[nb++].in.channel = NULL;
    bad[nb].field = "language", bad[nb++].in.language = "klingon";
    bad[nb].field = "caller_type", bad[nb++].in.caller_type = "";
    bad[nb].field = "category", bad[nb++].in.category = "gossip";
    bad[nb].field = "sector", bad[nb++].in.sector = "mining-on-mars";
    bad[nb].field = "caller_phone", bad[nb++].in.caller_phone = "call me";
    bad[nb].field = "caller_phone", bad[nb++].in.caller_phone = "+1";
    bad[nb].field = "problem_province", bad[nb++].in.problem_province = "TH-99";
    bad[nb].field = "caller_province", bad[nb].in.caller_country = "MM",
    bad[nb++].in.caller_province = "TH-90";
    bad[nb].field = "problem_country", bad[nb++].in.problem_country = "tha";
    bad[nb].field = "n_affected", bad[nb++].in.n_affected = -1;
    bad[nb].field = "duration_s", bad[nb++].in.duration_s = 90000;
    bad[nb].field = "received_at", bad[nb++].in.received_at = 4102444800;
    bad[nb].field = "summary", bad[nb++].in.summary = "bad \xff utf8";
    bad[nb].field = "issues", bad[nb++].in.issues = 1u << 20;
    int loop_bad1 = 0;
    for (int i = 0; i < nb; i++) {
        int rc = contact_create(db, v, &op, &bad[i].in, NULL, code, &id, &err);
        TALLY(loop_bad1, rc == SR_EINVAL);
        if (strstr(sr_err_msg(&err), bad[i].field) == NULL) {
            fprintf(stderr, "want field %s in: %s\n", bad[i].field,
                    sr_err_msg(&err));
            TALLY(loop_bad1, 0);
        }
        /* never the value itself */
        TALLY(loop_bad1, strstr(sr_err_msg(&err), "call me") == NULL);
    }
    CHECK(loop_bad1 == 0);
    CHECK(audit_count(db, "contact.create") == 0);

    /* a good contact: stored, identity encrypted, audited */
    struct contact_input in = good_input();
    CHECK(contact_create(db, v, &op, &in, NULL, code, &id, &err) == SR_OK);
    CHECK(strncmp(code, "C-", 2) == 0 && strlen(code) == 11);
    CHECK(audit_count(db, "contact.create") == 1);
    struct db_stmt *s = db_stmt(db, &q_raw);
    db_bind_i64(s, 1, id);
    CHECK(db_step(s) == DB_ROW);
    CHECK(db_col_bytes(s, 0) > 16);
    CHECK(memmem(db_col_blob(s, 0), (size_t)db_col_bytes(s, 0), "5678", 4) ==
          NULL);
    CHECK(memmem(db_col_blob(s, 1), (size_t)db_col_bytes(s, 1), "boat", 4) ==
          NULL);
    CHECK(db_col_bytes(s, 2) == 32);
    db_done(s);

    /* the non-identifying row */
    struct contact_row row;
    CHECK(contact_get(db, &op, code, keep_row, &row, &err) == SR_OK);
    CHECK(row.id == id && row.is_danger == 1 && row.n_affected == 4);
    CHECK(row.issues == (1u << 2 | 1u << 4) && row.has_phone == 1);
    CHECK(contact_get(db, &other, code, keep_row, &row, &err) == SR_ENOTFOUND);
    CHECK(contact_get(db, &analyst, code, keep_row, &row, &err) ==
          SR_ENOTFOUND);

    /* identity read: permission, scope, audit */
    struct contact_identity idn;
    CHECK(contact_identity_read(db, v, &op, id, &idn, &err) == SR_OK);
    CHECK_STR(idn.phone.data, "+66812345678"); /* stored in E.164 */
    CHECK_STR(idn.summary.data, "Caller says four men are held on a boat");
    CHECK_STR(idn.caller_place.data, "near the pier, Songkhla");
    CHECK(idn.needs.len == 0);
    contact_identity_release(&idn);
    CHECK(audit_count(db, "contact.view_identity") == 1);
    CHECK(contact_identity_read(db, v, &analyst, id, &idn, &err) == SR_EPERM);
    CHECK(contact_identity_read(db, v, &other, id, &idn, &err) == SR_ENOTFOUND);
    CHECK(audit_count(db, "contact.view_identity") == 1);

    /* earlier contacts by phone, whatever the formatting */
    in.caller_phone = "+66812345678";
    in.is_danger = 0;
    CHECK(contact_create(db, v, &op, &in, NULL, code, &id2, &err) == SR_OK);
    CHECK(n_found(db, v, &op, "+66 (81) 234-5678", NULL) == 2);
    /* national forms, read in the workspace's region */
    CHECK(n_found(db, v, &op, "081 234 5678", "TH") == 2);
    CHECK(n_found(db, v, &op, "66812345678", "TH") == 2);
    CHECK(n_found(db, v, &op, "0812345678", "TH") == 2);
    /* the same digits are another number in Myanmar, and none without a
     * region to read them in */
    CHECK(n_found(db, v, &op, "0812345678", "MM") == 0);
    CHECK(n_found(db, v, &op, "0812345678", NULL) == 0);
    CHECK(n_found(db, v, &other, "+66812345678", "TH") == 0); /* another
                                 organisation's callers stay hidden */
    struct contact_input q = { .caller_phone = "+66812345678" };
    CHECK(contact_find_by_phone(db, v, &analyst, &q, 10, count_row, NULL,
                                &err) == SR_EPERM);
    q.caller_phone = "x";
    CHECK(contact_find_by_phone(db, v, &op, &q, 10, count_row, NULL, &err) ==
          SR_EINVAL);
    CHECK(audit_count(db, "contact.phone_lookup") == 7);

    /* a caller in Myanmar (by country, or by province) gives a Myanmar
     * number in its national form; stored as +95 and found so */
    struct contact_input mm = good_input();
    mm.caller_phone = "09 7812 3456";
    mm.caller_country = "MM";
    mm.caller_province = NULL;
    mm.phone_region = "TH";
    CHECK(contact_create(db, v, &op, &mm, NULL, code, &id2, &err) == SR_OK);
    mm.caller_country = NULL;
    mm.caller_province = "MM-06"; /* Yangon */
    mm.caller_phone = "09-7812-3456";
    CHECK(contact_create(db, v, &op, &mm, NULL, code, &id2, &err) == SR_OK);
    CHECK(contact_identity_read(db, v, &op, id2, &idn, &err) == SR_OK);
    CHECK_STR(idn.phone.data, "+95978123456");
    contact_identity_release(&idn);
    CHECK(n_found(db, v, &op, "+95 9 7812 3456", "TH") == 2);
    CHECK(n_found(db, v, &op, "09 7812 3456", "TH") == 0); /* Thai reading */
    /* a short code stays as typed and still matches itself */
    mm.caller_phone = "1191";
    CHECK(contact_create(db, v, &op, &mm, NULL, code, &id2, &err) == SR_OK);
    CHECK(n_found(db, v, &op, "11 91", "TH") == 1);

    /* a re-imported record is refused, not doubled */
    unsigned char key[32];
    memset(key, 7, sizeof key);
    struct principal importer = { .user_id = 0,
                                  .org_id = org_id,
                                  .role = ROLE_COORDINATOR };
    CHECK(contact_create(db, v, &importer, &in, key, code, &id, &err) == SR_OK);
    CHECK(contact_create(db, v, &importer, &in, key, code, &id, &err) ==
          SR_ECONFLICT);
    CHECK(strstr(sr_err_msg(&err), "already imported") != NULL);
    CHECK(audit_count(db, "contact.create") == 6); /* 2 + 3 above + 1 */

    int64_t bad_row = 0, n_rows = 0;
    CHECK(audit_verify(db, v, &bad_row, &n_rows, &err) == SR_OK);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_contact");
}
