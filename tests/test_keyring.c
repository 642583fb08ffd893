/*
 * test_keyring.c - the path of `siren unlock` below the command line: a
 * workspace opened with its key-encryption key (ws_derive_kek(),
 * ws_open_kek(), ws_read_id()), and the key kept in the session keyring
 * (base/keyring.c): stored, read back, named by the workspace id,
 * expired, removed.
 *
 * The keyring part needs a session keyring; without one (a kernel or
 * container without keys) it prints "SKIPPED: ..." and counts a failure.
 * The keys it stores are for random workspace ids and are removed.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/keyring.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "harness.h"
#include "tally.h"
#include "core/banned.h"

#define PASS "keyring test passphrase"

/* run a shell command made from a literal format (scaffolding) */
#define SH(...)                                   \
    do {                                          \
        char cmd_[2048];                          \
        snprintf(cmd_, sizeof cmd_, __VA_ARGS__); \
        REQUIRE(system(cmd_) == 0);               \
    } while (0)

/* Make a workspace in dir; its id into id. */
static void
make_ws(const char *dir, char id[33])
{
    struct ws *ws = NULL;
    struct sr_err err = { 0 };
    REQUIRE(ws_create(dir, NULL, PASS, strlen(PASS), VAULT_KDF_INTERACTIVE, &ws,
                      &err) == SR_OK);
    REQUIRE(ws_id(ws, id, &err) == SR_OK);
    ws_close(ws);
}

static void
test_ws_kek(const char *a, const char *a_id, const char *b, const char *b_id)
{
    struct sr_err err = { 0 };
    char id[33] = "";
    CHECK(ws_read_id(a, id, &err) == SR_OK && strcmp(id, a_id) == 0);
    CHECK(ws_read_id(b, id, &err) == SR_OK && strcmp(id, b_id) == 0);
    CHECK(strcmp(a_id, b_id) != 0);
    CHECK(ws_read_id("/nonexistent/siren-ws", id, &err) == SR_ENOTFOUND);
    sr_err_release(&err);

    unsigned char kek[VAULT_KEY_BYTES], kek_b[VAULT_KEY_BYTES];
    CHECK(ws_derive_kek(a, PASS, strlen(PASS), kek, &err) == SR_OK);
    CHECK(ws_derive_kek(b, PASS, strlen(PASS), kek_b, &err) == SR_OK);
    CHECK(memcmp(kek, kek_b, sizeof kek) != 0); /* each file its salt */

    /* the right key opens A, whose key check and audit chain it reads */
    struct ws *ws = NULL;
    CHECK(ws_open_kek(a, kek, 0, &ws, &err) == SR_OK);
    CHECK(ws != NULL && ws_id(ws, id, &err) == SR_OK && strcmp(id, a_id) == 0);
    ws_close(ws);
    ws = NULL;

    /* A's key does not open B (same passphrase), nor does a wrong one */
    CHECK(ws_open_kek(b, kek, 0, &ws, &err) == SR_ECRYPTO && ws == NULL);
    CHECK(strcmp(sr_err_msg(&err), "the key-encryption key does not open "
                                   "the key file") == 0);
    unsigned char wrong[VAULT_KEY_BYTES];
    CHECK(ws_derive_kek(a, "not the passphrase", 18, wrong, &err) == SR_OK);
    CHECK(ws_open_kek(a, wrong, 0, &ws, &err) == SR_ECRYPTO && ws == NULL);

    /* after a new passphrase the old key is stale; the new one opens */
    CHECK(ws_open(a, PASS, strlen(PASS), 0, &ws, &err) == SR_OK);
    CHECK(ws != NULL && ws_rewrap(ws, "a new passphrase", 16,
                                  VAULT_KDF_INTERACTIVE, &err) == SR_OK);
    ws_close(ws);
    ws = NULL;
    CHECK(ws_open_kek(a, kek, 0, &ws, &err) == SR_ECRYPTO && ws == NULL);
    CHECK(ws_derive_kek(a, "a new passphrase", 16, kek, &err) == SR_OK);
    CHECK(ws_open_kek(a, kek, 0, &ws, &err) == SR_OK);
    ws_close(ws);
    CHECK(ws_derive_kek("/nonexistent/siren-ws", PASS, strlen(PASS), wrong,
                        &err) == SR_ENOTFOUND);

    sodium_memzero(kek, sizeof kek);
    sodium_memzero(kek_b, sizeof kek_b);
    sodium_memzero(wrong, sizeof wrong);
    sr_err_release(&err);
}

static void
test_keyring(const char *a_id, const char *b_id)
{
    struct sr_err err = { 0 };
    unsigned char kek[VAULT_KEY_BYTES], back[VAULT_KEY_BYTES];
    randombytes_buf(kek, sizeof kek);
    int rc = keyring_store(a_id, kek, 60, &err);
    if (rc == SR_EIO) {
        printf("SKIPPED: test_keyring: %s\n", sr_err_msg(&err));
        CHECK(!"a session keyring");
        sr_err_release(&err);
        return;
    }
    CHECK(rc == SR_OK);
    memset(back, 0, sizeof back);
    CHECK(keyring_load(a_id, back, &err) == SR_OK);
    CHECK(memcmp(back, kek, sizeof kek) == 0);
    /* another id finds nothing */
    CHECK(keyring_load(b_id, back, &err) == SR_ENOTFOUND);
    /* storing again replaces the key */
    unsigned char kek2[VAULT_KEY_BYTES];
    randombytes_buf(kek2, sizeof kek2);
    CHECK(keyring_store(a_id, kek2, 60, &err) == SR_OK);
    CHECK(keyring_load(a_id, back, &err) == SR_OK);
    CHECK(memcmp(back, kek2, sizeof kek2) == 0);
    /* bad ids and timeouts */
    CHECK(keyring_store("../etc/passwd", kek, 60, &err) == SR_EINVAL);
    CHECK(keyring_store(a_id, kek, 0, &err) == SR_EINVAL);
    CHECK(keyring_store(a_id, kek, KEYRING_MAX_S + 1, &err) == SR_EINVAL);
    CHECK(keyring_load("short", back, &err) == SR_EINVAL);
    /* removed once, then there is none */
    CHECK(keyring_remove(a_id, &err) == SR_OK);
    CHECK(keyring_remove(a_id, &err) == SR_ENOTFOUND);
    CHECK(keyring_load(a_id, back, &err) == SR_ENOTFOUND);
    /* a key of 1 s is gone after 2 */
    CHECK(keyring_store(b_id, kek, 1, &err) == SR_OK);
    CHECK(keyring_load(b_id, back, &err) == SR_OK);
    sleep(2);
    CHECK(keyring_load(b_id, back, &err) == SR_ENOTFOUND);
    (void)keyring_remove(b_id, &err);
    sodium_memzero(kek, sizeof kek);
    sodium_memzero(kek2, sizeof kek2);
    sodium_memzero(back, sizeof back);
    sr_err_release(&err);
}

int
main(void)
{
    REQUIRE(vault_init() == SR_OK);
    vault_test_minimum_cost();
    char tmp[] = "/tmp/siren-keyring-XXXXXX";
    REQUIRE(mkdtemp(tmp) != NULL);
    char a[512], b[512], a_id[33], b_id[33];
    snprintf(a, sizeof a, "%s/a", tmp);
    snprintf(b, sizeof b, "%s/b", tmp);
    make_ws(a, a_id);
    make_ws(b, b_id);
    test_ws_kek(a, a_id, b, b_id);
    test_keyring(a_id, b_id);
    SH("rm -rf '%s'", tmp);
    return TEST_DONE("test_keyring");
}
