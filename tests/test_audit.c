/*
 * test_audit.c - the hash chain: appends, verification, and detection of
 * an altered, removed, or out-of-order row; listing with filters.
 *
 * Each kind of tampering below is one that only one of audit_verify()'s
 * checks can catch, and the reason it gives is checked by its text.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"
#include "fixture.h"
#include "harness.h"
#include "core/banned.h"

/* The tampering below, and the reads it needs. Where SQLite's SQL has no
 * PostgreSQL equivalent of the same spelling (zeroblob(), X'..' blob
 * literals), the entry holds both forms, SQLite's first. */
enum test_stmt {
    Q_ALTER,
    Q_DELETE,
    Q_TS,
    Q_USER,
    Q_TRIM,
    Q_TAIL,
    Q_TRIM0,
    Q_UNSEAL,
    Q_PENDING,
    Q_PENDING_LEFT,
    Q_LINK,
    Q_ROWS,
    Q_REHASH,
    Q_SEAL,
    Q__COUNT
};
static const char *const test_sql[Q__COUNT] = {
    [Q_ALTER] = "UPDATE audit SET detail = 'edited' WHERE id = 3",
    [Q_DELETE] = "DELETE FROM audit WHERE id = 2",
    [Q_TS] = "UPDATE audit SET ts = 1 WHERE id = 4",
    [Q_USER] = "UPDATE audit SET user_id = 9 WHERE id = 5",
    [Q_TRIM] = "DELETE FROM audit WHERE id > 6",
    [Q_TAIL] = "DELETE FROM audit WHERE id > 4",
    [Q_TRIM0] = "DELETE FROM audit",
    [Q_UNSEAL] = "DELETE FROM meta WHERE key = 'audit_head'",
    /* what migration 0014 leaves in a workspace made before ends were
     * sealed: the one byte '1' */
    [Q_PENDING] =
        "INSERT INTO meta(key, value) VALUES ('audit_head_pending', X'31')" DB_PG
        "INSERT INTO meta(key, value)"
        " VALUES ('audit_head_pending', decode('31', 'hex'))",
    [Q_PENDING_LEFT] =
        "SELECT count(*) FROM meta WHERE key = 'audit_head_pending'",
    /* row 3's link replaced by 32 zero bytes */
    [Q_LINK] = "UPDATE audit SET prev_hash = zeroblob(32) WHERE id = 3" DB_PG
               "UPDATE audit SET prev_hash = decode(repeat('00', 32), 'hex')"
               " WHERE id = 3",
    [Q_ROWS] = "SELECT id, ts, coalesce(user_id, 0), action, record_type,"
               "       record_code, detail"
               "  FROM audit"
               " ORDER BY id",
    [Q_REHASH] =
        "UPDATE audit SET ts = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
    [Q_SEAL] = "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
};

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

/* The single number a query reads, or -1. */
static int64_t
count_of(struct db *db, const char *const *sqlp)
{
    struct db_stmt *s = db_stmt(db, sqlp);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
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

/* What audit_verify() says: the first bad row (0 if whole) and, in why,
 * its message ("" if whole). */
static int64_t
verify_why(struct db *db, struct vault *v, char *why, size_t size)
{
    int64_t bad = -1, n = 0;
    struct sr_err err = { 0 };
    int rc = audit_verify(db, v, &bad, &n, &err);
    snprintf(why, size, "%s", rc == SR_OK ? "" : sr_err_msg(&err));
    sr_err_release(&err);
    return rc == SR_OK ? 0 : bad;
}

/* The row hash as docs and audit.c define it, computed here by a holder
 * of the audit key: each field length-prefixed (4 bytes, big-endian). */
static void
put_len(struct sr_buf *b, const void *p, size_t len)
{
    unsigned char n[4] = { (unsigned char)(len >> 24),
                           (unsigned char)(len >> 16),
                           (unsigned char)(len >> 8), (unsigned char)len };
    sr_buf_add(b, n, 4);
    sr_buf_add(b, p, len);
}

/*
 * Rewrite the chain as a tamperer holding the key would: row move_id gets
 * timestamp new_ts, then every row is re-hashed and re-linked and the
 * chain's end re-sealed, so ids, links, hashes and the seal all agree and
 * only the time order is wrong.
 */
static void
rehash_with_ts(struct db *db, struct vault *v, int64_t move_id, int64_t new_ts)
{
    struct sr_err err = { 0 };
    unsigned char prev[32] = { 0 };
    int64_t last_id = 0;
    struct {
        int64_t id, ts;
        unsigned char prev[32], hash[32];
    } rows[16];
    int n = 0;
    struct db_stmt *s = db_stmt(db, &test_sql[Q_ROWS]);
    while (n < 16 && db_step(s) == DB_ROW) {
        struct sr_buf b;
        char num[64];
        rows[n].id = db_col_i64(s, 0);
        rows[n].ts = rows[n].id == move_id ? new_ts : db_col_i64(s, 1);
        snprintf(num, sizeof num, "%lld/%lld/%lld", (long long)rows[n].id,
                 (long long)rows[n].ts, (long long)db_col_i64(s, 2));
        sr_buf_init(&b, 0);
        put_len(&b, prev, 32);
        put_len(&b, num, strlen(num));
        for (int c = 3; c <= 6; c++) {
            put_len(&b, db_col_text(s, c), strlen(db_col_text(s, c)));
        }
        memcpy(rows[n].prev, prev, 32);
        vault_audit_mac(v, b.data, b.len, rows[n].hash);
        memcpy(prev, rows[n].hash, 32);
        last_id = rows[n].id;
        sr_buf_release(&b);
        n++;
    }
    db_done(s);
    CHECK(db_begin_write(db, &err) == SR_OK);
    for (int i = 0; i < n; i++) {
        s = db_stmt(db, &test_sql[Q_REHASH]);
        db_bind_i64(s, 1, rows[i].id);
        db_bind_i64(s, 2, rows[i].ts);
        db_bind_blob(s, 3, rows[i].prev, 32);
        db_bind_blob(s, 4, rows[i].hash, 32);
        CHECK(db_exec_stmt(db, s, &err) == SR_OK);
    }
    /* the seal over the new end: "audit-head", the id, the hash */
    struct sr_buf b;
    char num[32];
    unsigned char seal[32];
    sr_buf_init(&b, 0);
    put_len(&b, "audit-head", 10);
    snprintf(num, sizeof num, "%lld", (long long)last_id);
    put_len(&b, num, strlen(num));
    put_len(&b, prev, 32);
    vault_audit_mac(v, b.data, b.len, seal);
    sr_buf_release(&b);
    s = db_stmt(db, &test_sql[Q_SEAL]);
    db_bind_blob(s, 1, seal, 32);
    CHECK(db_exec_stmt(db, s, &err) == SR_OK);
    CHECK(db_commit(db, &err) == SR_OK);
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
    /* leave the log as the tests below expect: rows 7-10 go, and the
     * chain's sealed end says so */
    char why[256];
    tamper(db, &test_sql[Q_TRIM]);
    CHECK(verify_why(db, v, why, sizeof why) == 7 &&
          strstr(why, "rows removed at its end") != NULL);

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

    /* the count of every page: the same six rows and filters, the
     * cursor and limit not narrowing it, stopped at cap + 1 */
    int64_t n_match = -1;
    f.before_id = 3;
    CHECK(audit_list_count(db, &f, 100, &n_match, &err) == SR_OK &&
          n_match == 6);
    f.before_id = 0;
    CHECK(audit_list_count(db, &f, 4, &n_match, &err) == SR_OK && n_match == 5);
    CHECK(audit_list_count(db, &f, 6, &n_match, &err) == SR_OK && n_match == 6);
    f.action = "user.add";
    CHECK(audit_list_count(db, &f, 100, &n_match, &err) == SR_OK &&
          n_match == 3);
    f.action = "org.";
    CHECK(audit_list_count(db, &f, 100, &n_match, &err) == SR_OK &&
          n_match == 3);
    f.action = NULL;
    f.record_code = "C-4";
    CHECK(audit_list_count(db, &f, 100, &n_match, &err) == SR_OK &&
          n_match == 1);
    f.record_code = NULL;
    f.user_id = 999;
    CHECK(audit_list_count(db, &f, 100, &n_match, &err) == SR_OK &&
          n_match == 0);
    f.user_id = 0;

    /* audit_finish(): a change that went well commits with its row; one
     * that failed rolls back and appends none, keeping its error */
    f.limit = 0;
    struct audit_entry fin = { 0, "org.profile", "org", "O-FIN", "" };
    CHECK(db_begin_write(db, &err) == SR_OK);
    CHECK(audit_finish(db, v, &fin, SR_OK, &err) == SR_OK);
    CHECK(!db_in_transaction(db));
    f.record_code = "O-FIN";
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 1);
    CHECK(db_begin_write(db, &err) == SR_OK);
    CHECK(audit_finish(db, v, &fin, SR_ECONFLICT, &err) == SR_ECONFLICT);
    CHECK(!db_in_transaction(db));
    n = 0;
    CHECK(audit_list(db, &f, count_rows, &n, &err) == SR_OK && n == 1);
    CHECK(verify(db, v) == 0);
    f.record_code = NULL;

    /* another vault's key cannot vouch for this chain */
    struct vault *other = fixture_vault();
    CHECK(verify(db, other) == 1);
    vault_free(other);

    /* each kind of tampering is named at its row */
    tamper(db, &test_sql[Q_USER]);
    CHECK(verify_why(db, v, why, sizeof why) == 5 &&
          strstr(why, ": altered") != NULL);
    db_close(db);

    /* (d) an edited payload: only the row hash check sees it (ids, links
     * and times are untouched) */
    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &test_sql[Q_ALTER]);
    CHECK(verify_why(db, v, why, sizeof why) == 3 &&
          strstr(why, ": altered") != NULL);
    db_close(db);

    /* a row removed inside the chain: the id sequence has a gap */
    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &test_sql[Q_DELETE]);
    CHECK(verify_why(db, v, why, sizeof why) == 3 &&
          strstr(why, "removed rows before it") != NULL);
    db_close(db);

    /* a timestamp moved back without re-hashing: the time check comes
     * before the hash check and names it */
    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &test_sql[Q_TS]);
    CHECK(verify_why(db, v, why, sizeof why) == 4 &&
          strstr(why, "out of time order") != NULL);
    db_close(db);

    /* (a) row 4 moved back in time by someone holding the key, every row
     * re-hashed and re-linked and the end re-sealed: only the time-order
     * check can catch it (caught the break "time-order check removed") */
    db = fixture_db();
    append_n(db, v, 6);
    rehash_with_ts(db, v, 4, 1);
    CHECK(verify_why(db, v, why, sizeof why) == 4 &&
          strstr(why, "out of time order") != NULL);
    /* control: the same rewrite keeping the times verifies, so the
     * rewrite itself is faithful */
    db_close(db);
    db = fixture_db();
    append_n(db, v, 6);
    rehash_with_ts(db, v, 0, 0);
    CHECK(verify_why(db, v, why, sizeof why) == 0 && why[0] == '\0');
    db_close(db);

    /* (b) one row's stored previous-hash edited: the row hash is computed
     * over the previous row's real hash, so only the link check sees it
     * (caught the break "link check removed") */
    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &test_sql[Q_LINK]);
    CHECK(verify_why(db, v, why, sizeof why) == 3 &&
          strstr(why, "does not follow the row before it") != NULL);
    db_close(db);

    /* (c) the last rows deleted: every row left is whole, only the sealed
     * end of the chain (meta 'audit_head') shows rows are missing */
    db = fixture_db();
    append_n(db, v, 6);
    tamper(db, &test_sql[Q_TAIL]);
    CHECK(verify_why(db, v, why, sizeof why) == 5 &&
          strstr(why, "rows removed at its end") != NULL);
    db_close(db);
    /* every row gone but the seal left: the same */
    db = fixture_db();
    append_n(db, v, 2);
    tamper(db, &test_sql[Q_TRIM0]);
    CHECK(verify_why(db, v, why, sizeof why) == 1 &&
          strstr(why, "rows removed at its end") != NULL);
    db_close(db);
    /* rows but no seal at all */
    db = fixture_db();
    append_n(db, v, 2);
    tamper(db, &test_sql[Q_UNSEAL]);
    CHECK(verify_why(db, v, why, sizeof why) == 3 &&
          strstr(why, "its recorded end is missing") != NULL);
    /* a workspace from before the seal: the first open seals its end, once;
     * after that, a removed tail is seen again */
    tamper(db, &test_sql[Q_PENDING]);
    CHECK(audit_seal_pending(db, v, &err) == SR_OK);
    CHECK(verify(db, v) == 0);
    CHECK(count_of(db, &test_sql[Q_PENDING_LEFT]) == 0);
    append_n(db, v, 3);
    tamper(db, &test_sql[Q_TAIL]);
    CHECK(audit_seal_pending(db, v, &err) == SR_OK);
    CHECK(verify_why(db, v, why, sizeof why) == 5 &&
          strstr(why, "rows removed at its end") != NULL);
    db_close(db);

    vault_free(v);
    return TEST_DONE("test_audit");
}
