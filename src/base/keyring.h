/*
 * keyring.h - a workspace's key-encryption key kept in the Linux session
 * keyring (siren unlock), so that commands open the workspace without
 * Argon2id until the key expires or siren lock removes it.
 *
 * The key is a "user" key named "siren:ws:" + the workspace id (never its
 * path), in the session keyring of the calling process (KEY_SPEC_SESSION_
 * KEYRING: the login session's keyring, or the user's session keyring
 * when the process has none), readable only by its possessor, with a
 * timeout. Never written to a file.
 *
 * Thread-safety: every function may be called from any thread.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_KEYRING_H
#define SR_KEYRING_H

#include "base/vault.h"
#include "core/err.h"

/* The longest time a key may be kept: 12 hours, in seconds. */
#define KEYRING_MAX_S (12 * 3600)

/*
 * Store kek (VAULT_KEY_BYTES, only read) for the workspace id ws_id (32
 * hex digits) in the session keyring, replacing one already there, for
 * timeout_s seconds (1 to KEYRING_MAX_S), with permissions for its
 * possessor only. Returns SR_OK; SR_EINVAL for a bad id or timeout;
 * SR_EIO when the keyring refuses (the message names the reason, e.g. a
 * kernel or container without keys).
 */
int keyring_store(const char *ws_id, const unsigned char kek[VAULT_KEY_BYTES],
                  unsigned timeout_s, struct sr_err *err);

/*
 * Read the key of workspace ws_id into out_kek (written only on SR_OK;
 * the caller wipes it with sodium_memzero). Returns SR_OK; SR_ENOTFOUND
 * when there is none (never stored, expired, removed, or no keyring
 * available); SR_EIO for a key of the wrong size or an unreadable one.
 */
int keyring_load(const char *ws_id, unsigned char out_kek[VAULT_KEY_BYTES],
                 struct sr_err *err);

/*
 * Revoke and unlink the key of workspace ws_id from the session keyring.
 * Returns SR_OK when there was one, SR_ENOTFOUND when there was none,
 * SR_EIO when the keyring refuses.
 */
int keyring_remove(const char *ws_id, struct sr_err *err);

#endif
