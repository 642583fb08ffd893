/*
 * test_audit_verify.c - the audit chain's verification that remembers
 * (audit_verify_since(), ws_audit_verify_since()): the checkpoint in meta
 * 'audit_verified' and what it may and may not be trusted for.
 *
 * n_checked (the rows whose hash a call computed) shows how far each walk
 * went. What an incremental verification does NOT see is checked as
 * plainly as what it sees: an old row altered behind the checkpoint is
 * found by a full walk only.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/workspace.h"
#include "fixture.h"
#include "harness.h"
#include "tally.h"
#include "core/banned.h"

#define PASS "audit verify test passphrase"

static const char *const q_alter3 =
    "UPDATE audit SET detail = 'edited' WHERE id = 3";
static const char *const q_unalter3 =
    "UPDATE audit SET detail = '' WHERE id = 3";
static const char *const q_alter10 =
    "UPDATE audit SET detail = 'edited' WHERE id = 10";
static const char *const q_unalter10 =
    "UPDATE audit SET detail = '' WHERE id = 10";
static const char *const q_seal_get =
    "SELECT value FROM meta WHERE key = 'audit_head'";
static const char *const q_seal_put =
    "UPDATE meta SET value = ?1 WHERE key = 'audit_head'";
static const char *const q_cut = "DELETE FROM audit WHERE id > 10";
static const char *const q_rehash12 =
    "UPDATE audit SET hash ="
    " X'0000000000000000000000000000000000000000000000000000000000000000'"
    " WHERE id = 12";
static const char *const q_cp_put =
    "UPDATE meta SET value = ?1 WHERE key = 'audit_verified'";

static void
append_code(struct db *db, const struct vault *v, int n, const char *code)
{
    struct sr_err err = { 0 };
    for (int i = 0; i < n; i++) {
        struct audit_entry e = { 0, "org.add", "org", code, "" };
        REQUIRE(db_begin_write(db, &err) == SR_OK);
        REQUIRE(audit_append(db, v, &e, &err) == SR_OK);
        REQUIRE(db_commit(db, &err) == SR_OK);
    }
}

static void
append(struct db *db, const struct vault *v, int n)
{
    append_code(db, v, n, "O-TEST");
}

static void
exec(struct db *db, const char *const *sqlp)
{
    struct sr_err err = { 0 };
    REQUIRE(db_exec_stmt(db, db_stmt(db, sqlp), &err) == SR_OK);
}

/* The stored checkpoint's bytes into out (72 bytes), or 0 if none. */
static size_t
checkpoint(struct db *db, unsigned char out[72])
{
    struct sr_buf b;
    struct sr_err err = { 0 };
    sr_buf_init(&b, 1024);
    size_t n = 0;
    if (db_meta_get(db, "audit_verified", &b, &err) == SR_OK && b.len <= 72) {
        n = b.len;
        memcpy(out, b.data, n);
    }
    sr_err_release(&err);
    sr_buf_release(&b);
    return n;
}

static void
checkpoint_set(struct db *db, const unsigned char *p, size_t len)
{
    struct sr_err err = { 0 };
    struct db_stmt *s = db_stmt(db, &q_cp_put);
    db_bind_blob(s, 1, p, len);
    REQUIRE(db_exec_stmt(db, s, &err) == SR_OK);
}

/* The row the stored checkpoint names (its first 8 bytes), -1 if none. */
static int64_t
checkpoint_row(struct db *db)
{
    unsigned char cp[72];
    if (checkpoint(db, cp) != 72) {
        return -1;
    }
    int64_t n = 0;
    for (int i = 0; i < 8; i++) {
        n = n << 8 | cp[i];
    }
    return n;
}

static int
verify(struct db *db, const struct vault *v, int flags,
       struct audit_verify_report *r, char *why, size_t size)
{
    struct sr_err err = { 0 };
    int rc = audit_verify_since(db, v, flags, r, &err);
    snprintf(why, size, "%s", rc == SR_OK ? "" : sr_err_msg(&err));
    sr_err_release(&err);
    return rc;
}

static void
test_incremental(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct audit_verify_report r;
    char why[512];
    append(db, v, 5);

    /* no checkpoint yet: every row, then the checkpoint at the end */
    CHECK(checkpoint_row(db) == -1);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 5 && r.n_checked == 5 && r.from_id == 0);
    CHECK(checkpoint_row(db) == 5);

    /* nothing new: no row hashed again */
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 5 && r.n_checked == 0 && r.from_id == 5);

    /* three appended: those three only */
    append(db, v, 3);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 8 && r.n_checked == 3 && r.from_id == 5);
    CHECK(checkpoint_row(db) == 8);

    /* a full walk hashes all eight */
    CHECK(verify(db, v, AUDIT_VERIFY_FULL, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 8 && r.n_checked == 8 && r.from_id == 0);

    /* AUDIT_VERIFY_NO_SAVE leaves the checkpoint behind */
    append(db, v, 1);
    CHECK(verify(db, v, AUDIT_VERIFY_NO_SAVE, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 9 && r.n_checked == 1);
    CHECK(checkpoint_row(db) == 8);

    /* an OLD row altered behind the checkpoint: the incremental walk does
     * NOT see it (by design, it does not read row 3 again); --full does */
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(checkpoint_row(db) == 9);
    exec(db, &q_alter3);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_checked == 0);
    CHECK(verify(db, v, AUDIT_VERIFY_FULL, &r, why, sizeof why) ==
          SR_ECONFLICT);
    CHECK(r.bad_id == 3 && !r.is_checkpoint_bad);
    CHECK(strstr(why, "broken at row 3: altered") != NULL);
    CHECK(checkpoint_row(db) == 9); /* a failed walk moves nothing */
    exec(db, &q_unalter3);

    /* a NEW row altered after the checkpoint: the incremental walk sees it
     * and the checkpoint stays where the chain was last whole */
    append(db, v, 2); /* rows 10, 11 */
    exec(db, &q_alter10);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.bad_id == 10 && r.n_checked == 1 && r.from_id == 9);
    CHECK(strstr(why, "broken at row 10: altered") != NULL);
    CHECK(checkpoint_row(db) == 9);
    exec(db, &q_unalter10);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_rows == 11 && r.n_checked == 2 && r.from_id == 9);

    db_close(db);
    vault_free(v);
}

static void
test_checkpoint_refused(void)
{
    struct vault *v = fixture_vault();
    struct db *db = fixture_db();
    struct audit_verify_report r;
    char why[512];
    unsigned char good[72], cp[72];
    append(db, v, 10);
    REQUIRE(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    REQUIRE(checkpoint(db, good) == 72);

    /* its MAC altered (one bit): refused, not walked past, not reset */
    memcpy(cp, good, 72);
    cp[71] ^= 1;
    checkpoint_set(db, cp, 72);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad && r.n_checked == 0);
    CHECK(strstr(why, "checkpoint refused: it was altered") != NULL);
    unsigned char after[72];
    CHECK(checkpoint(db, after) == 72 && memcmp(after, cp, 72) == 0);

    /* its row moved back (the MAC covers the id): refused */
    memcpy(cp, good, 72);
    cp[7] = 4;
    checkpoint_set(db, cp, 72);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad);
    CHECK(strstr(why, "altered") != NULL);

    /* another workspace's checkpoint of the same row: refused */
    struct vault *other = fixture_vault();
    struct db *odb = fixture_db();
    append(odb, other, 10);
    REQUIRE(verify(odb, other, 0, &r, why, sizeof why) == SR_OK);
    REQUIRE(checkpoint(odb, cp) == 72);
    checkpoint_set(db, cp, 72);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad);
    db_close(odb);
    vault_free(other);

    /* cut short: a full walk refuses the checkpoint, says so, finds the
     * chain whole, replaces it; the next incremental walk is clean */
    checkpoint_set(db, good, 40);
    CHECK(verify(db, v, AUDIT_VERIFY_FULL, &r, why, sizeof why) ==
          SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad && r.n_rows == 10 && r.n_checked == 10);
    CHECK(strstr(why, "whole (10 rows), but its verification checkpoint "
                      "was refused") != NULL);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    CHECK(r.n_checked == 0 && r.from_id == 10);

    /* the rollback: rows 11, 12 appended and checkpointed, then deleted
     * with the database's own seal of row 10 put back. The chain alone
     * looks whole; the checkpoint is past its end */
    struct db_stmt *s = db_stmt(db, &q_seal_get);
    REQUIRE(db_step(s) == DB_ROW && db_col_bytes(s, 0) == 32);
    unsigned char seal10[32];
    memcpy(seal10, db_col_blob(s, 0), 32);
    db_done(s);
    append(db, v, 2);
    REQUIRE(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    REQUIRE(checkpoint(db, good) == 72);
    exec(db, &q_cut);
    s = db_stmt(db, &q_seal_put);
    db_bind_blob(s, 1, seal10, 32);
    struct sr_err err = { 0 };
    REQUIRE(db_exec_stmt(db, s, &err) == SR_OK);
    int64_t bad = -1, n = 0;
    CHECK(audit_verify(db, v, &bad, &n, &err) == SR_OK); /* fooled */
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad && r.bad_id == 11);
    CHECK(strstr(why, "past the chain's end") != NULL);
    CHECK(checkpoint(db, cp) == 72 && memcmp(cp, good, 72) == 0);

    /* the row it names no longer has its hash */
    append_code(db, v, 2, "O-AGAIN"); /* rows 11, 12 anew, not alike */
    checkpoint_set(db, good, 72);     /* names row 12 as it was */
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad && r.bad_id == 12);
    CHECK(strstr(why, "no longer has the hash it recorded") != NULL);
    REQUIRE(verify(db, v, AUDIT_VERIFY_FULL, &r, why, sizeof why) ==
            SR_ECONFLICT); /* whole, checkpoint replaced */
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_OK);
    exec(db, &q_rehash12);
    CHECK(verify(db, v, 0, &r, why, sizeof why) == SR_ECONFLICT);
    CHECK(r.is_checkpoint_bad && r.bad_id == 12);

    sr_err_release(&err);
    db_close(db);
    vault_free(v);
}

/* ---- threads verifying while another appends ---------------------------- */

struct verifier {
    struct ws *ws;
    int n;       /* verifications to run */
    int n_bad;   /* those that did not give SR_OK */
    int64_t max; /* the most rows one saw */
};

static void *
verify_loop(void *arg)
{
    struct verifier *w = arg;
    struct db *db = NULL;
    struct sr_err err = { 0 };
    if (ws_connect(w->ws, &db, &err) != SR_OK) {
        w->n_bad = w->n;
        return NULL;
    }
    for (int i = 0; i < w->n; i++) {
        struct audit_verify_report r;
        if (ws_audit_verify_since(w->ws, db, 0, &r, &err) != SR_OK) {
            if (w->n_bad++ == 0) {
                fprintf(stderr, "verify_loop: %s\n", sr_err_msg(&err));
            }
            sr_err_release(&err);
        } else if (r.n_rows > w->max) {
            w->max = r.n_rows;
        }
    }
    db_close(db);
    return NULL;
}

struct appender {
    struct ws *ws;
    int n;
    int rc;
};

static void *
append_loop(void *arg)
{
    struct appender *a = arg;
    struct db *db = NULL;
    struct sr_err err = { 0 };
    a->rc = ws_connect(a->ws, &db, &err);
    for (int i = 0; a->rc == SR_OK && i < a->n; i++) {
        struct audit_entry e = { 0, "org.add", "org", "O-THREAD", "" };
        a->rc = db_begin_write(db, &err);
        if (a->rc == SR_OK) {
            a->rc =
                db_finish(db, audit_append(db, a->ws->vault, &e, &err), &err);
        }
    }
    sr_err_release(&err);
    db_close(db);
    return NULL;
}

static void
test_threads(const char *tmp)
{
    char dir[512];
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    snprintf(dir, sizeof dir, "%s/threads", tmp);
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    enum { N_VERIFIERS = 4, N_EACH = 40, N_APPENDS = 60 };
    pthread_t t[N_VERIFIERS + 1];
    struct verifier w[N_VERIFIERS];
    struct appender a = { ws, N_APPENDS, -1 };
    REQUIRE(pthread_create(&t[N_VERIFIERS], NULL, append_loop, &a) == 0);
    for (int i = 0; i < N_VERIFIERS; i++) {
        w[i] = (struct verifier){ ws, N_EACH, 0, 0 };
        REQUIRE(pthread_create(&t[i], NULL, verify_loop, &w[i]) == 0);
    }
    pthread_join(t[N_VERIFIERS], NULL);
    int bad = 0;
    for (int i = 0; i < N_VERIFIERS; i++) {
        pthread_join(t[i], NULL);
        TALLY(bad, w[i].n_bad == 0);
    }
    /* every verification passed while rows were appended under it (each
     * reads one snapshot), and no checkpoint write was refused or undone */
    CHECK(a.rc == SR_OK);
    CHECK(bad == 0);
    int64_t max = 0;
    for (int i = 0; i < N_VERIFIERS; i++) {
        max = w[i].max > max ? w[i].max : max;
    }
    /* the checkpoint is where the furthest verification got, never behind */
    CHECK(checkpoint_row(ws->db) == max);
    struct audit_verify_report r;
    CHECK(ws_audit_verify_since(ws, ws->db, 0, &r, &err) == SR_OK);
    CHECK(r.n_rows == 1 + N_APPENDS);
    CHECK(r.from_id == max && r.n_checked == r.n_rows - max);
    CHECK(checkpoint_row(ws->db) == 1 + N_APPENDS);
    sr_err_release(&err);
    ws_close(ws);
}

/* ws_audit_verify_since() checks the anchor file too */
static void
test_anchor(const char *tmp)
{
    char dir[512], path[600];
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    snprintf(dir, sizeof dir, "%s/anchor", tmp);
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    append(ws->db, ws->vault, 3);
    struct audit_verify_report r;
    CHECK(ws_audit_verify_since(ws, ws->db, 0, &r, &err) == SR_OK);
    snprintf(path, sizeof path, "%s/audit.head", dir);
    REQUIRE(unlink(path) == 0);
    CHECK(ws_audit_verify_since(ws, ws->db, 0, &r, &err) == SR_ECONFLICT);
    CHECK(strstr(sr_err_msg(&err), "anchor file") != NULL);
    CHECK(r.bad_id == 5);
    sr_err_release(&err);
    ws_close(ws);
}

int
main(void)
{
    char tmp[] = "/tmp/siren-audit-verify-XXXXXX";
    REQUIRE(mkdtemp(tmp) != NULL);
    REQUIRE(vault_init() == SR_OK);
    test_incremental();
    test_checkpoint_refused();
    test_threads(tmp);
    test_anchor(tmp);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    REQUIRE(system(cmd) == 0);
    return TEST_DONE("test_audit_verify");
}
