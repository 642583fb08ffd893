/*
 * test_rephone.c - phones stored as typed before SIREN kept them in E.164
 * are rewritten once (base/rephone.c): a contact's, a person's and an
 * entity's phone written in the Thai national form are stored as
 * +66815557321 after the run, found by any form of the number, and a
 * second run changes nothing. Old rows are made as they were stored then:
 * with no region to read the number in, phone_e164() keeps it as typed.
 * Expected forms come from Thailand's numbering plan (country code 66,
 * trunk prefix 0), as in test_phone.c.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "base/org.h"
#include "base/principal.h"
#include "base/rephone.h"
#include "core/buf.h"
#include "embedded.h"
#include "cases/case.h"
#include "cases/person.h"
#include "fixture.h"
#include "harness.h"
#include "hotline/contact.h"
#include "justice/entity.h"

#include "core/banned.h"

static int n_seen;

static int
count_row(const struct contact_row *r, void *ctx)
{
    (void)r;
    (void)ctx;
    n_seen++;
    return 0;
}

/* Contacts who finds from phone read in Thailand; -1 on an error. */
static int
n_found(struct db *db, const struct vault *v, const struct principal *who,
        const char *phone)
{
    struct contact_input q = { .caller_phone = phone, .phone_region = "TH" };
    struct sr_err err = { 0 };
    n_seen = 0;
    int rc = contact_find_by_phone(db, v, who, &q, 10, count_row, NULL, &err);
    sr_err_release(&err);
    return rc == SR_OK ? n_seen : -1;
}

/* Migration 0018's statement, as SQLite's and PostgreSQL's files give
 * it (embedded in the binary), run on db; SR_OK or the error. */
static int
run_migration(struct db *db)
{
    static char *text; /* the statement cache keys on its address */
    if (text == NULL) {
        const struct sr_asset *a =
            sr_asset_find("db/migrations/0018_phone_e164.sql");
        const struct sr_asset *b = sr_asset_find("db/pg/0018_phone_e164.sql");
        if (a == NULL || b == NULL) {
            return SR_ENOTFOUND;
        }
        struct sr_buf t;
        sr_buf_init(&t, 0);
        sr_buf_printf(&t, "%s" DB_PG "%s", (const char *)a->data,
                      (const char *)b->data);
        text = sr_buf_detach(&t, NULL);
    }
    const char *const *sql = (const char *const *)&text;
    struct sr_err err = { 0 };
    int rc = db_exec_stmt(db, db_stmt(db, sql), &err);
    sr_err_release(&err);
    return rc;
}

/* 1 when meta holds the mark. */
static int
is_marked(struct db *db)
{
    struct sr_buf mark;
    struct sr_err err = { 0 };
    sr_buf_init(&mark, 0);
    int rc = db_meta_get(db, "phone_e164_pending", &mark, &err);
    sr_buf_release(&mark);
    sr_err_release(&err);
    return rc == SR_OK;
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };
    char org_code[32], code[32], kcode[32], pcode[32], ecode[32];
    int64_t org_id, cid, eid;
    CHECK(org_add(db, v, 0, "Hotline", "hotline", "TH", org_code, &org_id,
                  &err) == SR_OK);
    struct principal op = principal_local(); /* the command line's holder */
    op.org_id = org_id;

    /* rows as stored before: no region, so kept as typed */
    struct contact_input in = { 0 };
    in.channel = "phone";
    in.language = "my";
    in.caller_type = "self";
    in.category = "trafficking";
    in.caller_phone = "081 555 7321";
    CHECK(contact_create(db, v, &op, &in, NULL, code, &cid, &err) == SR_OK);
    in.caller_phone = "+66 81 555 7321"; /* already international */
    CHECK(contact_create(db, v, &op, &in, NULL, code, &cid, &err) == SR_OK);
    CHECK(n_found(db, v, &op, "0815557321") == 1); /* the + one only */
    struct case_input kin = { 0 };
    kin.traf_status = "possible";
    CHECK(case_open(db, v, &op, &kin, NULL, 0, kcode, NULL, &err) == SR_OK);
    struct person_input pin = { 0 };
    pin.phone = "081-555-7321";
    pin.age_trafficked = -1;
    CHECK(person_add(db, v, &op, kcode, "victim", &pin, pcode, NULL, NULL,
                     &err) == SR_OK);
    struct entity_input ein = { 0 };
    ein.kind = "person";
    ein.name = "Synthetic Broker";
    ein.roles = entity_role_bit("broker");
    ein.id_kinds[0] = "phone";
    ein.id_values[0] = "0815557321";
    ein.n_identifiers = 1;
    CHECK(entity_add(db, v, &op, &ein, ecode, &eid, NULL, &err) == SR_OK);

    /* no mark: nothing is done */
    int64_t n = -1;
    CHECK(rephone_pending(db, v, "TH", &n, &err) == SR_OK && n == 0);
    CHECK(n_found(db, v, &op, "0815557321") == 1);
    /* migration 0018 marks a workspace with phones, not an empty one */
    struct db *empty = fixture_db();
    CHECK(run_migration(empty) == SR_OK && !is_marked(empty));
    db_close(empty);
    CHECK(!is_marked(db) && run_migration(db) == SR_OK && is_marked(db));

    /* marked: the three national forms are rewritten, the international
     * one is left */
    CHECK(rephone_pending(db, v, "TH", &n, &err) == SR_OK);
    CHECK(n == 3);
    CHECK(n_found(db, v, &op, "0815557321") == 2);
    CHECK(n_found(db, v, &op, "+66-81-555-7321") == 2);
    struct contact_identity idn;
    CHECK(contact_identity_read(db, v, &op, cid - 1, &idn, &err) == SR_OK);
    CHECK_STR(idn.phone.data, "+66815557321");
    contact_identity_release(&idn);
    struct person_identity pid;
    CHECK(person_identity_read(db, v, &op, pcode, &pid, &err) == SR_OK);
    CHECK_STR(pid.phone.data, "+66815557321");
    person_identity_release(&pid);
    struct sr_buf name, details;
    sr_buf_init(&name, 0);
    sr_buf_init(&details, 0);
    CHECK(entity_identity(db, v, &op, eid, &name, &details, &err) == SR_OK);
    CHECK(strstr(details.data, "+66815557321") != NULL);
    vault_buf_wipe(&name);
    vault_buf_wipe(&details);
    /* a broker added now with the number in another form is suggested as
     * sharing the rewritten one's phone */
    int n_sugg = -1;
    ein.name = "Synthetic Broker Two";
    ein.id_values[0] = "66 81 555 7321";
    ein.phone_region = "TH";
    CHECK(entity_add(db, v, &op, &ein, ecode, &eid, &n_sugg, &err) == SR_OK);
    CHECK(n_sugg == 1);

    /* the mark is gone: a second open does nothing; marked again, nothing
     * is left to change */
    CHECK(!is_marked(db));
    CHECK(db_meta_put(db, "phone_e164_pending", "1", 1, &err) == SR_OK);
    CHECK(rephone_pending(db, v, "TH", &n, &err) == SR_OK && n == 0);
    sr_err_release(&err);
    db_close(db);
    vault_free(v);
    return TEST_DONE("test_rephone");
}
