/*
 * test_audit.c - the hash chain: appends, verification, and detection of
 * an altered, removed, or out-of-order row; listing with filters.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"
#include "fixture.h"
#include "harness.h"
#include "core/banned.h"

static const char *const q_alter =
    "UPDATE audit SET detail = 'edited' WHERE id = 3";
static const char *const q_delete = "DELETE FROM audit WHERE id = 2";
static const char *const q_ts = "UPDATE audit SET ts = 1 WHERE id = 4";
static const char *const q_user = "UPDATE audit SET user_id = 9 WHERE id = 5";
static const char *const q_trim = "DELETE FROM audit WHERE id > 6";

static void
append_n(struct db *db, struct vault *v, int n)
{
    struct sr_err err = { 0 };
    for (int i = 0; i < n; i++) {
        char code[16];
        snprintf(code, sizeof code, "C-%d", i);
        struct audit_entry e = { 0, i % 2 ? "user.add" : "org.add",
                                 i % 2 ? "user" : "org", code, "" };
        CHECK(db_begin_write(db, &err) == SR_OK);
        CHECK(audit_append(db, v, &e, &err) == SR_OK);
        CHECK(db_commit(db, &err) == SR_OK);
    }
}

static int64_t
verify(struct db *db, struct vault *v)
{
    int64_t bad = -1, n = 0;
    struct sr_err err = { 0 };
    int rc = audit_verify(db, v, &bad, &n, &err);
    sr_err_release(&err);
    return rc == SR_OK ? 0 : bad;
}

static void
tamper(struct db *db, const char *const *sql)
{
    struct sr_err err = { 0 };
    CHECK(db_exec_stmt(db, db_stmt(db, sql), &err) == SR_OK);
}

static int
count_rows(const struct audit_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

int
main(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct sr_err err = { 0 };

    append_n(db, v, 6);
    CHECK(verify(db, v) == 0);

    /* a chain read once and appended to three times in one transaction
     * writes the rows audit_append would: the chain verifies, ids 7-9 */
    struct audit_chain ch;
    CHECK(db_begin_write(db, &err) == SR_OK);
    CHECK(audit_chain_open(db, &ch, &err) == SR_OK && ch.next_id == 7);
    for (int i = 0; i < 3; i++) {
        struct audit_entry e = { 0, "contact.create", "contact", "C-X", "" };
        CHECK(audit_chain_append(db, v, &ch, &e, &err) == SR_OK);
    }
    CHECK(ch.next_id == 10);
    /* an audit_append in between takes row 10: the stale chain's next
     * append conflicts instead of forking the chain */
    struct audit_entry mid = { 0, "org.add", "org", "O-1", "" };
    CHECK(audit_append(db, v, &mid, &err) == SR_OK);
    CHECK(audit_chain_append(db, v, &ch, &mid, &err) == SR_ECONFLICT);
    sr_err_release(&err);
    CHECK(db_commit(db, &err) == SR_OK);
    CHECK(verify(db, v) == 0);
    /* leave the log as the tests below expect: rows 7-10 go */
    tamper(db, &q_trim);
    CHECK(verify(db, v) == 0);

    /* listing and its filters */
    struct audit_filter f = { 0 };
    int n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 6);
    f.action = "user.add";
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 3);
    f.action = "org.";
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 3);
    f.action = NULL;
    f.record_code = "C-4";
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 1);
    f.record_code = NULL;
    f.before_id = 3;
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 2);
    f.before_id = 0;
    f.limit = 4;
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 4);

    /* another vault's key cannot vouch for this chain */
    struct vault *other = fixture_vault();
    CHECK(verify(db, other) == 1);
    vault_free(other);

    /* each kind of tampering is named at its row */
    tamper(db, &q_user);
    CHECK(verify(db, v) == 5);
    db_close(db);

    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &q_alter);
    CHECK(verify(db, v) == 3);
    db_close(db);

    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &q_delete);
    CHECK(verify(db, v) == 3);
    db_close(db);

    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &q_ts);
    CHECK(verify(db, v) == 4);
    db_close(db);

    vault_free(v);
    return TEST_DONE("test_audit");
}
