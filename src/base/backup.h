/*
 * backup.h - one encrypted, authenticated archive of a workspace
 * (`siren backup DEST`) and its restore into a new directory
 * (`siren restore ARCHIVE DIR`).
 *
 * Archive format, version 1 (all of it written by backup.c):
 *
 *     siren-backup: 1
 *     workspace: <32 hex digits, meta workspace_id>
 *     created: <YYYY-MM-DDTHH:MM:SSZ>
 *     cipher: xchacha20poly1305-secretstream
 *     salt: <32 hex digits, random per archive>
 *     stream: <48 hex digits, the secretstream header>
 *     key-file: <N, bytes of the key file that follows>
 *     <empty line>
 *     <the workspace's key file, N bytes, as it is on disk>
 *     <blocks: a 4-byte big-endian length, then that many bytes of
 *      crypto_secretstream_xchacha20poly1305 ciphertext>
 *
 * The key file is the one of the workspace, already wrapped under the
 * passphrase with Argon2id and its own random salt, so the archive needs
 * nothing but itself and the passphrase in use when it was taken. The
 * blocks are encrypted with a key derived from the data key inside it:
 * the keyed BLAKE2b of the vault (vault_audit_mac) over the text
 * "siren-backup-archive-key/1" and the archive's salt, so no two archives
 * share a key. Everything before the first block (the header and the key
 * file) is that block's associated data: a changed header or key file
 * fails like a changed block. The plaintext is a sequence of entries, each
 * a block "file NAME SIZE" then SIZE bytes in blocks of at most 64 KiB
 * (siren.db: an online copy, siren.conf), and a last block "end" tagged
 * FINAL, so a truncated archive is told from a whole one.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_BACKUP_H
#define SR_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct ws;

/* What an archive holds, as backup_write() and backup_restore() tell. */
struct backup_info {
    char workspace_id[33]; /* hex, NUL-terminated */
    char created[32];      /* YYYY-MM-DDTHH:MM:SSZ */
    int64_t db_bytes;      /* size of the database copy in bytes */
    int64_t n_audit_rows;  /* restore only: rows of the verified chain */
};

/*
 * Write an archive of ws to the new file dest (refused with SR_ECONFLICT
 * if it exists; made 0600 under dest.partial, fsync'ed, then renamed): an
 * online copy of the database (db_backup_to(), taken through a temporary
 * file in the workspace directory that is removed before returning), the
 * key file and siren.conf. Other connections may write meanwhile. On
 * success *out (may be NULL) tells what was written. SR_OK, SR_ECONFLICT,
 * SR_EIO, SR_EDB, SR_ECRYPTO. Not thread-safe on ws->db.
 */
int backup_write(struct ws *ws, const char *dest, struct backup_info *out,
                 struct sr_err *err);

/*
 * Restore archive into dir, which must not exist or be an empty directory
 * (SR_ECONFLICT otherwise). The archive is read whole into a new sibling
 * directory (.NAME.restore-XXXXXX), which is opened as a workspace with
 * passphrase, its audit chain verified, and only then renamed to dir.
 * Refused, leaving dir and everything else as they were, with a message
 * naming what is wrong: not a SIREN archive or an unknown version
 * (SR_EINVAL), a wrong passphrase (SR_ECRYPTO), an archive of another
 * workspace than want_workspace_id (hex; NULL accepts any)
 * (SR_ECONFLICT), a changed byte anywhere (SR_ECRYPTO, naming the block),
 * a truncated archive or bytes after its end (SR_EINVAL), a restored
 * database whose audit chain does not verify (SR_ECONFLICT). An archive
 * of an older SIREN is migrated to this one's schema. On success
 * *out (may be NULL) tells what was restored.
 */
int backup_restore(const char *archive, const char *dir, const char *passphrase,
                   size_t pass_len, const char *want_workspace_id,
                   struct backup_info *out, struct sr_err *err);

#endif
