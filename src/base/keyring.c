/*
 * keyring.c - the key-encryption key of an unlocked workspace in the
 * Linux session keyring, through libkeyutils.
 *
 * Owns: the key's name ("siren:ws:" + workspace id), type ("user"),
 * permissions (possessor only) and timeout. The only user of keyutils.h.
 *
 * Must not: write the key anywhere but the kernel's keyring (no file, no
 * log line, no message), leave a copy in memory (read into the caller's
 * buffer, which the caller wipes), or name a workspace by its path.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/keyring.h"

#include <assert.h>
#include <errno.h>
#include <keyutils.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h"

#define KEY_TYPE   "user"
#define KEY_PREFIX "siren:ws:"
#define ID_CHARS   32

/* Permissions: the possessor views, reads, updates, searches, links and
 * sets attributes (timeout, revocation); no one else, not even the same
 * user from outside the session, sees it. */
#define KEY_PERM                                                    \
    (KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE | KEY_POS_SEARCH | \
     KEY_POS_LINK | KEY_POS_SETATTR)

/* The key's description for ws_id into out; -1 for an id that is not 32
 * hex digits. */
static int
describe(const char *ws_id, char out[sizeof KEY_PREFIX + ID_CHARS])
{
    if (ws_id == NULL || strlen(ws_id) != ID_CHARS ||
        strspn(ws_id, "0123456789abcdefABCDEF") != ID_CHARS) {
        return -1;
    }
    snprintf(out, sizeof KEY_PREFIX + ID_CHARS, "%s%s", KEY_PREFIX, ws_id);
    return 0;
}

/* The serial of ws_id's key in the session keyring into *key (-1, errno
 * set, when there is none): SR_OK, or SR_EINVAL for a bad id. */
static int
find(const char *ws_id, key_serial_t *key, struct sr_err *err)
{
    char desc[sizeof KEY_PREFIX + ID_CHARS];
    if (describe(ws_id, desc) != 0) {
        return sr_err_set(err, SR_EINVAL, "bad workspace id");
    }
    *key = keyctl_search(KEY_SPEC_SESSION_KEYRING, KEY_TYPE, desc, 0);
    return SR_OK;
}

int
keyring_store(const char *ws_id, const unsigned char kek[VAULT_KEY_BYTES],
              unsigned timeout_s, struct sr_err *err)
{
    assert(kek != NULL);
    char desc[sizeof KEY_PREFIX + ID_CHARS];
    if (describe(ws_id, desc) != 0) {
        return sr_err_set(err, SR_EINVAL, "bad workspace id");
    }
    if (timeout_s < 1 || timeout_s > KEYRING_MAX_S) {
        return sr_err_set(err, SR_EINVAL, "timeout must be 1 to %d seconds",
                          KEYRING_MAX_S);
    }
    /* add_key replaces the payload of a key of the same name in place */
    key_serial_t key =
        add_key(KEY_TYPE, desc, kek, VAULT_KEY_BYTES, KEY_SPEC_SESSION_KEYRING);
    if (key < 0) {
        return sr_err_set(err, SR_EIO,
                          "cannot add a key to the session keyring: %s",
                          strerror(errno));
    }
    if (keyctl_setperm(key, KEY_PERM) != 0 ||
        keyctl_set_timeout(key, timeout_s) != 0) {
        int e = errno;
        keyctl_revoke(key);
        keyctl_unlink(key, KEY_SPEC_SESSION_KEYRING);
        return sr_err_set(err, SR_EIO,
                          "cannot restrict the key in the session keyring: "
                          "%s",
                          strerror(e));
    }
    return SR_OK;
}

int
keyring_load(const char *ws_id, unsigned char out_kek[VAULT_KEY_BYTES],
             struct sr_err *err)
{
    assert(out_kek != NULL);
    key_serial_t key = -1;
    if (find(ws_id, &key, err) != SR_OK) {
        return SR_EINVAL;
    }
    if (key < 0) {
        /* ENOKEY, EKEYEXPIRED, EKEYREVOKED, or no keyring at all (ENOSYS,
         * EPERM under a filter): in each case there is no key to use */
        return sr_err_set(err, SR_ENOTFOUND, "no key in the session keyring");
    }
    unsigned char buf[VAULT_KEY_BYTES + 1];
    long n = keyctl_read(key, (char *)buf, sizeof buf);
    int rc = SR_OK;
    if (n < 0 && (errno == EKEYEXPIRED || errno == EKEYREVOKED)) {
        rc = sr_err_set(err, SR_ENOTFOUND, "no key in the session keyring");
    } else if (n != (long)VAULT_KEY_BYTES) {
        rc = sr_err_set(err, SR_EIO,
                        "the key in the session keyring is unreadable or "
                        "of the wrong size");
    } else {
        memcpy(out_kek, buf, VAULT_KEY_BYTES);
    }
    sodium_memzero(buf, sizeof buf);
    return rc;
}

int
keyring_remove(const char *ws_id, struct sr_err *err)
{
    key_serial_t key = -1;
    if (find(ws_id, &key, err) != SR_OK) {
        return SR_EINVAL;
    }
    if (key < 0) {
        /* none, an expired one (the kernel drops it), or no keyring */
        return sr_err_set(err, SR_ENOTFOUND, "no key to remove");
    }
    if (keyctl_revoke(key) != 0 ||
        keyctl_unlink(key, KEY_SPEC_SESSION_KEYRING) != 0) {
        return sr_err_set(err, SR_EIO,
                          "cannot remove the key from the session keyring: "
                          "%s",
                          strerror(errno));
    }
    return SR_OK;
}
