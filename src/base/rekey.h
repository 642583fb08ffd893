/*
 * rekey.h - rotating a workspace's data key (siren rekey): a new data key,
 * every encrypted field and blind index rewritten, the audit chain and its
 * anchor re-sealed, the old key file replaced (rekey.c).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REKEY_H
#define SR_REKEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "base/vault.h"

/*
 * The stored name block of a person's name under v (person_name_block()
 * of cases/person.c, which base/ cannot reach, so the front door hands it
 * in). SR_OK with out written, or an error.
 */
typedef int rekey_name_block_fn(const struct vault *v, const char *name,
                                unsigned char out[32], struct sr_err *err);

/* Where a run is, after each committed batch. */
struct rekey_batch {
    const char *table; /* the table of the batch ("audit" for the chain) */
    int64_t n_rows;    /* rows rewritten so far (interrupted runs too) */
    int64_t n_batches; /* batches committed by this run so far */
    int is_last;       /* 1: every row is done; the key swap is left */
};

/* Called after each committed batch (progress lines; a test hook). */
typedef void rekey_batch_fn(const struct rekey_batch *b, void *ctx);

struct rekey_opts {
    enum vault_kdf kdf;              /* Argon2id cost of the new key file */
    int batch_rows;                  /* rows per transaction; 0: 1000 */
    rekey_name_block_fn *name_block; /* required */
    rekey_batch_fn *on_batch;        /* or NULL */
    void *ctx;                       /* for on_batch */
};

/* What a run did (counts are this run's, not an interrupted one's). */
struct rekey_report {
    int old_version;       /* key version before (0 if not known) */
    int new_version;       /* key version now */
    int is_resumed;        /* 1: it finished an interrupted rotation */
    int64_t n_fields;      /* encrypted fields re-encrypted */
    int64_t n_indexes;     /* blind indexes recomputed */
    int64_t n_audit_rows;  /* audit rows re-sealed */
    int64_t n_batches;     /* transactions committed */
    int64_t n_audit_total; /* rows of the audit chain at the end */
};

/*
 * Rotate the data key of the workspace in dir, or finish a rotation that
 * was interrupted (the file WS_NEXT_KEY_FILE is there). passphrase opens
 * the key file and wraps the new key (pass_len bytes).
 *
 * A fresh rotation opens the workspace exclusively (refused while a
 * server or another command has it open), verifies the audit chain and
 * its anchor, writes the new key wrapped under the passphrase into
 * WS_NEXT_KEY_FILE (fsync, rename) and records the start (meta
 * 'rekey_progress' and an audit row 'workspace.rekey_start'). Then, in
 * transactions of o->batch_rows rows each recording how far it got,
 * every encrypted field is decrypted with the old key and encrypted with
 * the new one, every blind index is checked against its value under the
 * old key and recomputed under the new one, contact import keys are
 * cleared (they hash the imported row as read, which is not stored), and
 * the audit chain is checked and re-sealed row by row. At the end the
 * anchor file is rewritten, WS_NEXT_KEY_FILE is renamed over the key
 * file (the directory fsync'ed), the progress record is removed and the
 * rotation audited ('workspace.rekey'), and the chain and anchor verified
 * once more. Killed at any point, a new call goes on from the last
 * committed batch. Keys are wiped from memory when it returns.
 *
 * SR_OK with *out filled; SR_ECONFLICT (the workspace is in use, the
 * audit chain is broken, a field or index does not match the old key:
 * nothing of that batch is written), SR_ECRYPTO (wrong passphrase), SR_EIO,
 * SR_EDB, SR_ENOMEM. Never an identity in err.
 */
int rekey_run(const char *dir, const char *passphrase, size_t pass_len,
              const struct rekey_opts *o, struct rekey_report *out,
              struct sr_err *err);

#endif
