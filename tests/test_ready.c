/*
 * test_ready.c - GET /ready through the dispatcher: every check passes on
 * a sound workspace; the quick check runs at start and then only when
 * ready_check_s have passed (test clock); too little free disk, a WAL
 * over its limit that a reader keeps the checkpoint from truncating, and
 * a damaged database each answer 503 naming that check alone; the
 * periodic checkpoint truncates the WAL once readers let go.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "base/audit.h"
#include "core/clock.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"
#include "core/banned.h"

static int64_t clock_ms = 1800000000000LL;

static int64_t
test_clock(void)
{
    return clock_ms;
}

/* GET /ready as nobody: its status; the body copied into body. */
static int
ready(struct webfix *f, char *body, size_t size)
{
    struct arena a;
    struct resp resp;
    arena_init(&a);
    memset(&resp, 0, sizeof resp);
    sr_buf_init(&resp.body, 1 << 20);
    resp.status = 200;
    webfix_request(f, &a, HTTP_GET, "/ready", "", NULL, NULL, NULL, NULL, NULL,
                   NULL, &resp);
    snprintf(body, size, "%s", resp.body.data);
    int status = resp.status;
    sr_buf_release(&resp.body);
    arena_release(&a);
    return status;
}

static long long
wal_bytes(const struct webfix *f)
{
    char p[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/siren.db-wal", f->dir);
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static void
write_rows(struct webfix *f, int n)
{
    struct sr_err err = { 0 };
    for (int i = 0; i < n; i++) {
        struct audit_entry e = { 0, "org.add", "org", "O-READY", "" };
        REQUIRE(db_begin_write(f->ws->db, &err) == SR_OK);
        REQUIRE(db_finish(f->ws->db,
                          audit_append(f->ws->db, f->ws->vault, &e, &err),
                          &err) == SR_OK);
    }
}

int
main(void)
{
    struct webfix f;
    char body[4096];
    sr_clock_set(test_clock);
    webfix_open(&f);

    /* sound: 200, every check ok, the quick check and a truncating
     * checkpoint ran once */
    CHECK(ready(&f, body, sizeof body) == 200);
    CHECK(strstr(body, "\"status\":\"ready\"") != NULL &&
          strstr(body, "\"database\":\"ok\"") != NULL &&
          strstr(body, "\"disk\":\"ok\"") != NULL &&
          strstr(body, "\"wal\":\"ok\"") != NULL &&
          strstr(body, "failed") == NULL);
    CHECK(f.ws->ready.n_quick_checks == 1);
    CHECK(f.ws->ready.n_checkpoints == 1 && wal_bytes(&f) == 0);

    /* the quick check's result is kept until ready_check_s have passed */
    clock_ms += 10000;
    CHECK(ready(&f, body, sizeof body) == 200);
    CHECK(f.ws->ready.n_quick_checks == 1);
    clock_ms += (int64_t)f.ws->cfg.ready_check_s * 1000;
    CHECK(ready(&f, body, sizeof body) == 200);
    CHECK(f.ws->ready.n_quick_checks == 2);

    /* too little free disk: 503 naming the disk, and no path */
    f.ws->cfg.ready_min_free_mb = 1LL << 40; /* a petabyte */
    CHECK(ready(&f, body, sizeof body) == 503);
    CHECK(strstr(body, "\"status\":\"not ready\"") != NULL &&
          strstr(body, "\"failed\":[\"disk\"]") != NULL &&
          strstr(body, "\"database\":\"ok\"") != NULL &&
          strstr(body, f.dir) == NULL);
    f.ws->cfg.ready_min_free_mb = 0;

    /* a WAL over its limit that a reader keeps the checkpoint from
     * truncating: 503 naming the WAL */
    struct db *reader = NULL;
    struct sr_err err = { 0 };
    REQUIRE(ws_connect(f.ws, &reader, &err) == SR_OK);
    REQUIRE(db_begin_read(reader, &err) == SR_OK);
    int64_t n_users = 0;
    REQUIRE(user_count(reader, &n_users, &err) == SR_OK); /* the snapshot */
    int64_t n_before = f.ws->ready.n_checkpoints;
    write_rows(&f, 20);
    CHECK(wal_bytes(&f) > 0);
    f.ws->cfg.ready_max_wal_mb = 0;
    clock_ms += 61000; /* the checkpoint is due again */
    CHECK(ready(&f, body, sizeof body) == 503);
    CHECK(strstr(body, "\"failed\":[\"wal\"]") != NULL);
    CHECK(wal_bytes(&f) > 0);
    /* within the minute no checkpoint is tried, even with the reader gone */
    db_rollback(reader);
    db_close(reader);
    CHECK(ready(&f, body, sizeof body) == 503);
    /* a minute on, the periodic checkpoint truncates it: ready again */
    clock_ms += 61000;
    CHECK(ready(&f, body, sizeof body) == 200);
    CHECK(wal_bytes(&f) == 0);
    CHECK(f.ws->ready.n_checkpoints == n_before + 1); /* the held one not */
    f.ws->cfg.ready_max_wal_mb = 1024;

    /* a damaged database: pages overwritten on disk; the next quick check
     * (when due) fails it, on a connection opened before (so it has not
     * cached those pages) */
    struct db *fresh = NULL;
    REQUIRE(ws_connect(f.ws, &fresh, &err) == SR_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/siren.db", f.dir);
    int fd = open(path, O_WRONLY);
    REQUIRE(fd >= 0);
    struct stat st;
    REQUIRE(fstat(fd, &st) == 0 && st.st_size > 65536);
    char junk[16384];
    memset(junk, 0x5a, sizeof junk);
    REQUIRE(pwrite(fd, junk, sizeof junk, st.st_size / 2) ==
            (ssize_t)sizeof junk);
    close(fd);
    struct db *kept = f.ws->db;
    f.ws->db = fresh;
    CHECK(ready(&f, body, sizeof body) == 200); /* cached: not due yet */
    clock_ms += (int64_t)f.ws->cfg.ready_check_s * 1000;
    CHECK(ready(&f, body, sizeof body) == 503);
    CHECK(strstr(body, "\"failed\":[\"database\"]") != NULL);
    f.ws->db = kept;
    db_close(fresh);

    webfix_close(&f);
    return TEST_DONE("test_ready");
}
