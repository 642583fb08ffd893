/*
 * test_audit_web.c - what the audit page and GET /api/v1/audit/verify say
 * when the verification record (meta 'audit_verified') or a row after it
 * was tampered with, through the dispatcher in-process (webfix.h): the
 * page and the API refuse, name the failure, and leave the record as it
 * is (never trusted, never reset by a view).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"
#include "harness.h"
#include "tally.h"
#include "webfix.h"
#include "core/banned.h"

static struct webfix fix;

static const char *const q_alter_last =
    "UPDATE audit SET detail = 'edited' WHERE id = (SELECT max(id) FROM audit)";
static const char *const q_unalter_last =
    "UPDATE audit SET detail = '' WHERE id = (SELECT max(id) FROM audit)";

struct page {
    int status;
    char body[262144];
};

static struct page pg;

/* GET path as t.admin, signed in once (token kept) */
static void
get(const char *path, struct page *p)
{
    static char token[33] = "", csrf[65] = "";
    if (token[0] == '\0') {
        REQUIRE(webfix_login(&fix, "t.admin", token, csrf) == 0);
    }
    struct arena a;
    struct resp r;
    arena_init(&a);
    memset(&r, 0, sizeof r);
    sr_buf_init(&r.body, 0);
    r.status = 200;
    webfix_request(&fix, &a, HTTP_GET, path, NULL, NULL, NULL, token, NULL,
                   csrf, NULL, &r);
    p->status = r.status;
    snprintf(p->body, sizeof p->body, "%s", r.body.data ? r.body.data : "");
    sr_buf_release(&r.body);
    arena_release(&a);
}

static size_t
checkpoint(unsigned char out[72])
{
    struct sr_buf b;
    struct sr_err err = { 0 };
    sr_buf_init(&b, 1024);
    size_t n = 0;
    if (db_meta_get(fix.ws->db, "audit_verified", &b, &err) == SR_OK &&
        b.len <= 72) {
        n = b.len;
        memcpy(out, b.data, n);
    }
    sr_err_release(&err);
    sr_buf_release(&b);
    return n;
}

int
main(void)
{
    sr_clock_set(webfix_clock);
    webfix_open(&fix);
    struct sr_err err = { 0 };
    unsigned char good[72], cp[72];

    get("/audit", &pg);
    CHECK(pg.status == 200);
    CHECK(strstr(pg.body, "id=\"audit-status\" class=\"flash ok\"") != NULL);
    REQUIRE(checkpoint(good) == 72);

    /* the record's MAC altered: the page and the API refuse it */
    memcpy(cp, good, 72);
    cp[50] ^= 0x80;
    REQUIRE(db_meta_put(fix.ws->db, "audit_verified", cp, 72, &err) == SR_OK);
    get("/audit", &pg);
    CHECK(pg.status == 200);
    CHECK(strstr(pg.body, "class=\"flash error\"") != NULL);
    CHECK(strstr(pg.body, "verification checkpoint refused") != NULL);
    get("/api/v1/audit/verify", &pg);
    CHECK(pg.status == 200);
    CHECK(strstr(pg.body, "\"ok\":false") != NULL);
    CHECK(strstr(pg.body, "\"checkpoint_refused\":true") != NULL);
    CHECK(strstr(pg.body, "checkpoint refused: it was altered") != NULL);
    unsigned char after[72];
    CHECK(checkpoint(after) == 72 && memcmp(after, cp, 72) == 0);

    /* put back; then a row appended after the record and altered: found */
    REQUIRE(db_meta_put(fix.ws->db, "audit_verified", good, 72, &err) == SR_OK);
    get("/api/v1/audit/verify", &pg);
    CHECK(strstr(pg.body, "\"ok\":true") != NULL);
    struct audit_entry e = { 0, "org.add", "org", "O-WEB", "" };
    REQUIRE(db_begin_write(fix.ws->db, &err) == SR_OK);
    REQUIRE(audit_append(fix.ws->db, fix.ws->vault, &e, &err) == SR_OK);
    REQUIRE(db_commit(fix.ws->db, &err) == SR_OK);
    REQUIRE(db_exec_stmt(fix.ws->db, db_stmt(fix.ws->db, &q_alter_last),
                         &err) == SR_OK);
    get("/api/v1/audit/verify", &pg);
    CHECK(strstr(pg.body, "\"ok\":false") != NULL);
    CHECK(strstr(pg.body, "\"checkpoint_refused\":false") != NULL);
    CHECK(strstr(pg.body, ": altered") != NULL);
    get("/audit", &pg);
    CHECK(strstr(pg.body, "class=\"flash error\"") != NULL);
    CHECK(strstr(pg.body, "broken at row") != NULL);
    REQUIRE(db_exec_stmt(fix.ws->db, db_stmt(fix.ws->db, &q_unalter_last),
                         &err) == SR_OK);
    get("/audit", &pg);
    CHECK(strstr(pg.body, "class=\"flash ok\"") != NULL);

    /* the anchor file gone while the server runs: the page says so (the
     * anchor check that ws_audit_verify() made is made here too) */
    char path[128];
    snprintf(path, sizeof path, "%s/audit.head", fix.dir);
    REQUIRE(unlink(path) == 0);
    get("/api/v1/audit/verify", &pg);
    CHECK(strstr(pg.body, "\"ok\":false") != NULL);
    CHECK(strstr(pg.body, "anchor file") != NULL);

    sr_err_release(&err);
    webfix_close(&fix);
    return TEST_DONE("test_audit_web");
}
