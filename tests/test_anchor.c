/*
 * test_anchor.c - the audit chain's end kept outside the database: the
 * file audit.head beside the key (written after each commit that appends,
 * by every thread, only forward; checked at open) and the signed export
 * for an outside witness.
 *
 * The attack: delete the newest audit rows AND put back the database's own
 * seal of the shorter chain (meta 'audit_head', taken from an older copy).
 * audit_verify() on the database alone cannot see it; the anchor must.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include "base/audit.h"
#include "base/workspace.h"
#include "core/buf.h"
#include "harness.h"
#include "tally.h"
#include "core/banned.h"

#define PASS "anchor test passphrase"

static const char *const q_seal_get =
    "SELECT value FROM meta WHERE key = 'audit_head'";
static const char *const q_rows = "SELECT count(*) FROM audit";

static void
append(struct db *db, struct vault *v, int n)
{
    struct sr_err err = { 0 };
    for (int i = 0; i < n; i++) {
        struct audit_entry e = { 0, "org.add", "org", "O-TEST", "" };
        REQUIRE(db_begin_write(db, &err) == SR_OK);
        REQUIRE(audit_append(db, v, &e, &err) == SR_OK);
        REQUIRE(db_commit(db, &err) == SR_OK);
    }
}

static int64_t
count_rows(struct db *db)
{
    struct db_stmt *s = db_stmt(db, &q_rows);
    int64_t n = db_step(s) == DB_ROW ? db_col_i64(s, 0) : -1;
    db_done(s);
    return n;
}

/* The anchor file's rows, or -1 if it cannot be read or does not check. */
static int64_t
file_rows(const char *dir, const struct vault *v)
{
    char path[512];
    struct sr_buf b;
    struct sr_err err = { 0 };
    int64_t rows = -1;
    unsigned char hash[32];
    snprintf(path, sizeof path, "%s/audit.head", dir);
    if (sr_read_file(path, 4096, &b, &err) != SR_OK) {
        sr_err_release(&err);
        return -1;
    }
    if (audit_anchor_parse(v, b.data, b.len, &rows, hash, &err) != SR_OK) {
        rows = -1;
        sr_err_release(&err);
    }
    sr_buf_release(&b);
    return rows;
}

/* run a shell command made from a literal format (scaffolding) */
#define SH(...)                                   \
    do {                                          \
        char cmd_[2048];                          \
        snprintf(cmd_, sizeof cmd_, __VA_ARGS__); \
        REQUIRE(system(cmd_) == 0);               \
    } while (0)

/* Open dir; SR_OK, or the refusal with its message in why. */
static int
try_open(const char *dir, char *why, size_t size)
{
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    int rc = ws_open(dir, PASS, strlen(PASS), 0, &ws, &err);
    snprintf(why, size, "%s", rc == SR_OK ? "" : sr_err_msg(&err));
    sr_err_release(&err);
    ws_close(ws);
    return rc;
}

static void
test_rollback_detected(const char *tmp)
{
    char dir[512], why[512];
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    snprintf(dir, sizeof dir, "%s/ws", tmp);
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    CHECK(file_rows(dir, ws->vault) == 1); /* workspace.init */
    append(ws->db, ws->vault, 5);
    CHECK(file_rows(dir, ws->vault) == 6);
    /* the database's own seal of the 6-row chain, kept by the attacker */
    struct db_stmt *s = db_stmt(ws->db, &q_seal_get);
    REQUIRE(db_step(s) == DB_ROW && db_col_bytes(s, 0) == 32);
    unsigned char seal6[32];
    memcpy(seal6, db_col_blob(s, 0), 32);
    db_done(s);
    append(ws->db, ws->vault, 4);
    CHECK(file_rows(dir, ws->vault) == 10);
    CHECK(count_rows(ws->db) == 10);

    /* copies: the attack on one, a missing anchor on another */
    char copy[512], bare[512];
    snprintf(copy, sizeof copy, "%s/copy", tmp);
    snprintf(bare, sizeof bare, "%s/bare", tmp);
    SH("cp -r '%s' '%s'", dir, copy);
    SH("cp -r '%s' '%s'", dir, bare);
    char db_path[600];
    snprintf(db_path, sizeof db_path, "%s/siren.db", copy);
    sqlite3 *raw = NULL;
    REQUIRE(sqlite3_open(db_path, &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "DELETE FROM audit WHERE id > 6", NULL, NULL,
                         NULL) == SQLITE_OK);
    sqlite3_stmt *put = NULL;
    REQUIRE(sqlite3_prepare_v2(raw,
                               "UPDATE meta SET value = ?1"
                               " WHERE key = 'audit_head'",
                               -1, &put, NULL) == SQLITE_OK);
    sqlite3_bind_blob(put, 1, seal6, 32, SQLITE_STATIC);
    REQUIRE(sqlite3_step(put) == SQLITE_DONE);
    sqlite3_finalize(put);
    sqlite3_close(raw);

    /* the database alone is fooled: its chain and seal agree */
    struct db *cdb = NULL;
    int64_t bad = -1, n = 0;
    REQUIRE(db_open(db_path, 0, &cdb, &err) == SR_OK);
    CHECK(audit_verify(cdb, ws->vault, &bad, &n, &err) == SR_OK && n == 6);
    db_close(cdb);
    /* the anchor is not: the open is refused, naming both ends */
    CHECK(try_open(copy, why, sizeof why) == SR_ECONFLICT);
    CHECK(strstr(why, "behind its anchor") != NULL &&
          strstr(why, "ends at row 6") != NULL &&
          strstr(why, "records row 10") != NULL);
    /* and the refusal changed nothing: refused again, file unchanged */
    CHECK(file_rows(copy, ws->vault) == 10);
    CHECK(try_open(copy, why, sizeof why) == SR_ECONFLICT);

    /* the original opens and still says 10 */
    CHECK(try_open(dir, why, sizeof why) == SR_OK);

    /* a missing anchor is written anew from the database */
    char p[600];
    snprintf(p, sizeof p, "%s/audit.head", bare);
    REQUIRE(unlink(p) == 0);
    CHECK(try_open(bare, why, sizeof why) == SR_OK);
    CHECK(file_rows(bare, ws->vault) == 10);

    /* one cut short (a crash while it was written: it has no fsync) is
     * no better than a missing one, and is written anew the same way */
    SH("truncate -s 25 '%s/audit.head'", bare);
    CHECK(file_rows(bare, ws->vault) == -1);
    CHECK(try_open(bare, why, sizeof why) == SR_OK);
    CHECK(file_rows(bare, ws->vault) == 10);

    /* an edited anchor is refused: the MAC no longer matches */
    SH("sed -i 's/^rows: 10$/rows: 9/' '%s/audit.head'", bare);
    CHECK(try_open(bare, why, sizeof why) == SR_ECRYPTO);
    CHECK(strstr(why, "altered or is of another workspace") != NULL);

    /* another workspace's anchor is refused the same way */
    char other[512];
    struct ws *ows = NULL;
    snprintf(other, sizeof other, "%s/other", tmp);
    REQUIRE(ws_create(other, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE,
                      &ows, &err) == SR_OK);
    append(ows->db, ows->vault, 12);
    ws_close(ows);
    SH("cp '%s/audit.head' '%s/audit.head'", other, bare);
    CHECK(try_open(bare, why, sizeof why) == SR_ECRYPTO);

    /* the same attack on a workspace that is open (a server running):
     * ws_audit_verify() checks the file as well as the chain */
    int64_t bad_id = 0, n_rows = 0;
    CHECK(ws_audit_verify(ws, ws->db, &bad_id, &n_rows, &err) == SR_OK &&
          n_rows == 10);
    snprintf(db_path, sizeof db_path, "%s/siren.db", dir);
    REQUIRE(sqlite3_open(db_path, &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "DELETE FROM audit WHERE id > 6", NULL, NULL,
                         NULL) == SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(raw,
                               "UPDATE meta SET value = ?1"
                               " WHERE key = 'audit_head'",
                               -1, &put, NULL) == SQLITE_OK);
    sqlite3_bind_blob(put, 1, seal6, 32, SQLITE_STATIC);
    REQUIRE(sqlite3_step(put) == SQLITE_DONE);
    sqlite3_finalize(put);
    sqlite3_close(raw);
    CHECK(audit_verify(ws->db, ws->vault, &bad_id, &n_rows, &err) == SR_OK);
    CHECK(ws_audit_verify(ws, ws->db, &bad_id, &n_rows, &err) == SR_ECONFLICT &&
          bad_id == 7 && strstr(sr_err_msg(&err), "ends at row 6") != NULL);
    sr_err_release(&err);
    ws_close(ws);
}

/* ---- threads appending at once ------------------------------------------ */

struct worker {
    struct ws *ws;
    int n;
    int rc;
};

static void *
work(void *arg)
{
    struct worker *w = arg;
    struct db *db = NULL;
    struct sr_err err = { 0 };
    w->rc = ws_connect(w->ws, &db, &err);
    for (int i = 0; w->rc == SR_OK && i < w->n; i++) {
        struct audit_entry e = { 0, "org.add", "org", "O-THREAD", "" };
        w->rc = db_begin_write(db, &err);
        if (w->rc == SR_OK) {
            w->rc =
                db_finish(db, audit_append(db, w->ws->vault, &e, &err), &err);
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
    enum { N_THREADS = 4, N_EACH = 15 };
    pthread_t t[N_THREADS];
    struct worker w[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (struct worker){ ws, N_EACH, -1 };
        REQUIRE(pthread_create(&t[i], NULL, work, &w[i]) == 0);
    }
    int bad = 0;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
        TALLY(bad, w[i].rc == SR_OK);
    }
    CHECK(bad == 0);
    /* every commit moved the file on and none moved it back: it names the
     * last row */
    CHECK(count_rows(ws->db) == 1 + N_THREADS * N_EACH);
    CHECK(file_rows(dir, ws->vault) == 1 + N_THREADS * N_EACH);

    /* a thread whose write lands late, reading an older state, does not
     * move the file back: a connection held in a read snapshot of 61 rows
     * writes the anchor after 3 more rows were appended elsewhere */
    struct db *late = NULL;
    REQUIRE(ws_connect(ws, &late, &err) == SR_OK);
    REQUIRE(db_begin_read(late, &err) == SR_OK);
    CHECK(count_rows(late) == 1 + N_THREADS * N_EACH);
    append(ws->db, ws->vault, 3);
    CHECK(count_rows(late) == 1 + N_THREADS * N_EACH); /* its snapshot */
    CHECK(ws_anchor_write(ws, late, &err) == SR_OK);
    CHECK(file_rows(dir, ws->vault) == 4 + N_THREADS * N_EACH);
    db_rollback(late);
    db_close(late);
    ws_close(ws);
}

/* ---- the signed export -------------------------------------------------- */

static void
test_export(const char *tmp)
{
    char dir[512];
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    snprintf(dir, sizeof dir, "%s/export", tmp);
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    append(ws->db, ws->vault, 3);
    char id[33];
    REQUIRE(ws_id(ws, id, &err) == SR_OK);
    struct sr_buf x;
    sr_buf_init(&x, 4096);
    CHECK(audit_export(ws->db, ws->vault, id, 1765000000000, &x, &err) ==
          SR_OK);
    struct audit_export_info info;
    CHECK(audit_export_check(x.data, x.len, &info, &err) == SR_OK);
    CHECK(info.rows == 4 && strcmp(info.workspace_id, id) == 0 &&
          strcmp(info.time, "2025-12-06T05:46:40Z") == 0);
    CHECK(audit_export_match(ws->db, ws->vault, &info, &err) == SR_OK);

    /* an outside witness needs only libsodium: the signature is Ed25519
     * over every byte before the signature line, with the key printed */
    const char *sig_line = strstr(x.data, "signature: ");
    REQUIRE(sig_line != NULL);
    unsigned char sig[64];
    REQUIRE(sodium_hex2bin(sig, sizeof sig, sig_line + 11, 128, NULL, NULL,
                           NULL) == 0);
    CHECK(crypto_sign_verify_detached(sig, (const unsigned char *)x.data,
                                      (size_t)(sig_line - x.data),
                                      info.public_key) == 0);
    /* the same workspace signs with the same key every time */
    struct sr_buf y;
    sr_buf_init(&y, 4096);
    struct audit_export_info info2;
    REQUIRE(audit_export(ws->db, ws->vault, id, 1765000001000, &y, &err) ==
            SR_OK);
    REQUIRE(audit_export_check(y.data, y.len, &info2, &err) == SR_OK);
    CHECK(memcmp(info.public_key, info2.public_key, 32) == 0);

    /* one byte changed anywhere: refused (the signature, or the shape) */
    int bad = 0;
    for (size_t i = 0; i < x.len; i++) {
        struct sr_err e2 = { 0 };
        struct audit_export_info junk;
        x.data[i] ^= 0x01;
        TALLY(bad, audit_export_check(x.data, x.len, &junk, &e2) != SR_OK);
        x.data[i] ^= 0x01;
        sr_err_release(&e2);
    }
    CHECK(bad == 0);
    /* a changed hex digit of the hash: the signature is what fails */
    char *h = strstr(x.data, "hash: ") + 6;
    *h = *h == 'a' ? 'b' : 'a';
    CHECK(audit_export_check(x.data, x.len, &info2, &err) == SR_ECRYPTO &&
          strstr(sr_err_msg(&err), "signature does not verify") != NULL);
    sr_err_release(&err);

    /* later: rows removed under the exported one are seen by the check */
    append(ws->db, ws->vault, 2);
    CHECK(audit_export_match(ws->db, ws->vault, &info, &err) == SR_OK);
    char db_path[600];
    snprintf(db_path, sizeof db_path, "%s/siren.db", dir);
    sqlite3 *raw = NULL;
    REQUIRE(sqlite3_open(db_path, &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "DELETE FROM audit WHERE id > 3", NULL, NULL,
                         NULL) == SQLITE_OK);
    sqlite3_close(raw);
    CHECK(audit_export_match(ws->db, ws->vault, &info, &err) == SR_ECONFLICT &&
          strstr(sr_err_msg(&err), "behind") != NULL);
    sr_err_release(&err);
    /* another workspace's key does not match this export */
    char other[512];
    struct ws *ows = NULL;
    snprintf(other, sizeof other, "%s/export2", tmp);
    REQUIRE(ws_create(other, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE,
                      &ows, &err) == SR_OK);
    CHECK(audit_export_match(ows->db, ows->vault, &info2, &err) == SR_ECRYPTO);
    sr_err_release(&err);
    ws_close(ows);
    sr_buf_release(&x);
    sr_buf_release(&y);
    ws_close(ws);
}

/* ws_path(): the directory, one slash, the name */
static void
test_path(void)
{
    char *p = ws_path("/srv/siren", "siren.db");
    CHECK_STR(p, "/srv/siren/siren.db");
    free(p);
    p = ws_path(".", "audit.head");
    CHECK_STR(p, "./audit.head");
    free(p);
}

int
main(void)
{
    test_path();
    char tmp[] = "/tmp/siren-anchor-XXXXXX";
    REQUIRE(mkdtemp(tmp) != NULL);
    REQUIRE(vault_init() == SR_OK);
    test_rollback_detected(tmp);
    test_threads(tmp);
    test_export(tmp);
    SH("rm -rf '%s'", tmp);
    return TEST_DONE("test_anchor");
}
