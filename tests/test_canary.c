/*
 * test_canary.c - synthetic identities and secrets never appear in plain
 * text where they must not: the database file, its WAL, or any response
 * to a role without identity permission.
 *
 * Canaries: an identity (name and phone) written through the vault and
 * blind-indexed; a user's password sent through the sign-in and
 * add-user forms; the workspace passphrase. Every GET route is then
 * requested as each role without identity permission and as nobody.
 * Later modules add their identity fields to write_identities().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#define _GNU_SOURCE /* memmem */
#include <sqlite3.h>
#include <string.h>

#include "harness.h"
#include "webfix.h"
#include "core/banned.h"

static const char *const canary_name = "Canary Thiri Aung Kyaw";
static const char *const canary_name_my =
    "\xe1\x80\x9e\xe1\x80\xad\xe1\x80\x9b\xe1\x80\xad"; /* Burmese */
static const char *const canary_phone = "+66 81 555 0199";
static const char *const canary_pw = "canary-orchid-velvet-4411";

static const char *const q_put = "INSERT INTO meta(key, value) VALUES (?1, ?2)";

/* Write each canary identity through the vault into the database. */
static void
write_identities(struct webfix *f)
{
    const char *values[] = { canary_name, canary_name_my, canary_phone };
    struct sr_err err = { 0 };
    for (int i = 0; i < 3; i++) {
        struct sr_buf blob;
        unsigned char idx[32];
        char key[32];
        sr_buf_init(&blob, 0);
        CHECK(vault_encrypt(f->ws->vault, "meta", "value", 100 + i, values[i],
                            strlen(values[i]), &blob, &err) == SR_OK);
        CHECK(vault_blind_index(f->ws->vault, i == 2 ? "phone" : "name",
                                values[i], strlen(values[i]), idx,
                                &err) == SR_OK);
        CHECK(db_begin_write(f->ws->db, &err) == SR_OK);
        struct db_stmt *s = db_stmt(f->ws->db, &q_put);
        snprintf(key, sizeof key, "canary_%d", i);
        db_bind_text(s, 1, key);
        db_bind_blob(s, 2, blob.data, blob.len);
        CHECK(db_exec_stmt(f->ws->db, s, &err) == SR_OK);
        s = db_stmt(f->ws->db, &q_put);
        snprintf(key, sizeof key, "canary_index_%d", i);
        db_bind_text(s, 1, key);
        db_bind_blob(s, 2, idx, sizeof idx);
        CHECK(db_exec_stmt(f->ws->db, s, &err) == SR_OK);
        CHECK(db_commit(f->ws->db, &err) == SR_OK);
        sr_buf_release(&blob);
    }
}

static const char *const all_canaries[] = {
    "Canary Thiri",
    "\xe1\x80\x9e\xe1\x80\xad\xe1\x80\x9b\xe1\x80\xad",
    "555 0199",
    "5550199",
    "canary-orchid-velvet-4411",
    "webfix pass",
};

/* Whether the file at path holds any canary (or "" if unreadable). */
static int
file_has_canary(const char *path, const char **which)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    struct sr_buf b;
    sr_buf_init(&b, 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        sr_buf_add(&b, chunk, n);
    }
    fclose(f);
    int found = 0;
    for (size_t i = 0; i < sizeof all_canaries / sizeof *all_canaries; i++) {
        if (memmem(b.data, b.len, all_canaries[i], strlen(all_canaries[i])) !=
            NULL) {
            *which = all_canaries[i];
            found = 1;
        }
    }
    sr_buf_release(&b);
    return found;
}

static void
check_files(struct webfix *f, const char *when)
{
    static const char *const names[] = { "siren.db", "siren.db-wal", "key",
                                         "siren.conf" };
    for (size_t i = 0; i < 4; i++) {
        char path[256];
        const char *which = "";
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        int leaked = file_has_canary(path, &which);
        if (leaked) {
            fprintf(stderr, "%s: '%s' found in %s\n", when, which, names[i]);
        }
        CHECK(!leaked);
    }
}

int
main(void)
{
    struct webfix f;
    webfix_open(&f);
    write_identities(&f);

    /* a password through the add-user form and the sign-in form */
    char tok[33], csrf[65];
    CHECK(webfix_login(&f, "t.admin", tok, csrf) == SR_OK);
    struct arena a;
    struct resp resp;
    char form[512];
    arena_init(&a);
    memset(&resp, 0, sizeof resp);
    sr_buf_init(&resp.body, 0);
    snprintf(form, sizeof form,
             "csrf=%s&username=canary.user&org=%s&role=caseworker&"
             "password=%s",
             csrf, f.org_a, canary_pw);
    webfix_request(&f, &a, HTTP_POST, "/users", "", form,
                   "application/x-www-form-urlencoded", tok, "", "", "", &resp);
    CHECK(resp.status == 303);
    arena_release(&a);
    sr_buf_release(&resp.body);
    /* a wrong password shown back? never */
    arena_init(&a);
    memset(&resp, 0, sizeof resp);
    sr_buf_init(&resp.body, 0);
    snprintf(form, sizeof form,
             "csrf=5f0e1d2c3b4a59687766554433221100ffeeddccbbaa9988776655443"
             "3221100&username=canary.user&password=%s-wrong",
             canary_pw);
    webfix_request(&f, &a, HTTP_POST, "/login", "", form,
                   "application/x-www-form-urlencoded", "",
                   "5f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433"
                   "221100",
                   "", "", &resp);
    CHECK(resp.status == 401);
    CHECK(strstr(resp.body.data, canary_pw) == NULL);
    arena_release(&a);
    sr_buf_release(&resp.body);

    check_files(&f, "before checkpoint");

    /* control: the scan does find plain text that is written in clear */
    {
        struct sr_err err = { 0 };
        struct db_stmt *s = db_stmt(f.ws->db, &q_put);
        db_bind_text(s, 1, "control");
        db_bind_blob(s, 2, "plain-control-marker", 20);
        CHECK(db_exec_stmt(f.ws->db, s, &err) == SR_OK);
        char path[256];
        snprintf(path, sizeof path, "%s/siren.db-wal", f.dir);
        FILE *w = fopen(path, "rb");
        struct sr_buf b;
        sr_buf_init(&b, 0);
        char chunk[65536];
        size_t n;
        while (w != NULL && (n = fread(chunk, 1, sizeof chunk, w)) > 0) {
            sr_buf_add(&b, chunk, n);
        }
        if (w != NULL) {
            fclose(w);
        }
        CHECK(memmem(b.data, b.len, "plain-control-marker", 20) != NULL);
        sr_buf_release(&b);
    }

    /* every page and API answer, to roles without identity permission */
    const char *roles[] = { "t.admin", "t.analyst", "t.partner", NULL };
    for (size_t ri = 0; ri < 4; ri++) {
        char t[33] = "", c[65] = "";
        if (roles[ri] != NULL) {
            CHECK(webfix_login(&f, roles[ri], t, c) == SR_OK);
        }
        for (const struct route *rt = http_routes; rt->pattern; rt++) {
            if (!(rt->methods & HTTP_GET)) {
                continue;
            }
            char path[128];
            snprintf(path, sizeof path, "%s", rt->pattern);
            char *brace = strchr(path, '{');
            if (brace != NULL) {
                snprintf(brace, sizeof path - (size_t)(brace - path), "%s",
                         strstr(rt->pattern, "{name}") ? "app.css" : "1");
            }
            arena_init(&a);
            memset(&resp, 0, sizeof resp);
            sr_buf_init(&resp.body, 0);
            webfix_request(&f, &a, HTTP_GET, path, "", NULL, NULL, t, "", "",
                           "", &resp);
            for (size_t k = 0; k < sizeof all_canaries / sizeof *all_canaries;
                 k++) {
                int leaked =
                    memmem(resp.body.data, resp.body.len, all_canaries[k],
                           strlen(all_canaries[k])) != NULL;
                if (leaked) {
                    fprintf(stderr, "canary in GET %s as %s\n", path,
                            roles[ri] ? roles[ri] : "nobody");
                }
                CHECK(!leaked);
            }
            arena_release(&a);
            sr_buf_release(&resp.body);
        }
    }

    /* after a checkpoint the pages are in the main file: still no canary */
    sqlite3_wal_checkpoint_v2(db_handle(f.ws->db), NULL,
                              SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    check_files(&f, "after checkpoint");
    webfix_close(&f);
    return TEST_DONE("test_canary");
}
