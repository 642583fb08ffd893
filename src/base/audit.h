/*
 * audit.h - the hash-chained audit log.
 *
 * Every write, and every read of an identity field, appends one row in the
 * same transaction as the change. Each row's hash is a keyed BLAKE2b (the
 * vault's audit key) over the previous row's hash and this row's fields, so
 * altering, removing or reordering rows breaks the chain at that row.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_AUDIT_H
#define SR_AUDIT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "base/store.h"

struct vault;

/* One audit entry; strings borrowed from the caller. */
struct audit_entry {
    int64_t user_id;         /* acting user; 0 = system or command line */
    const char *action;      /* policy action, e.g. "user.add" */
    const char *record_type; /* "user", "org", ... or "" */
    const char *record_code; /* code or id, never an identity */
    const char *detail;      /* non-identifying detail or "" */
};

/*
 * Append e. Must run inside a write transaction (db_begin_write) so the
 * row commits or rolls back with the change it records: SR_BUG otherwise.
 * Returns SR_OK or SR_EDB.
 */
int audit_append(struct db *db, const struct vault *v,
                 const struct audit_entry *e, struct sr_err *err);

/*
 * End a write transaction that records itself: when rc is SR_OK append e
 * (as audit_append()), then commit or roll back as db_finish() does.
 * Returns rc when it is not SR_OK, else the append's or the commit's
 * result.
 */
int audit_finish(struct db *db, const struct vault *v,
                 const struct audit_entry *e, int rc, struct sr_err *err);

/*
 * The end of the chain, for appending many rows in one write transaction
 * while reading the previous row only once (a bulk import writes one row
 * per contact). Fill it with audit_chain_open() inside the transaction;
 * each audit_chain_append() then writes exactly what audit_append() would.
 * Do not mix it with audit_append() in the same transaction (the next
 * row's id would be taken: SR_ECONFLICT, so the mistake cannot go unseen).
 */
struct audit_chain {
    int64_t next_id;        /* id of the next row */
    int64_t last_ts;        /* ts of the last row (ms), 0 if none */
    unsigned char prev[32]; /* hash of the last row, zeros if none */
};

/* Read the end of the chain into *c. Inside a write transaction (SR_BUG
 * otherwise). SR_OK or SR_EDB. */
int audit_chain_open(struct db *db, struct audit_chain *c, struct sr_err *err);

/* Append e after *c and move *c on. As audit_append(). */
int audit_chain_append(struct db *db, const struct vault *v,
                       struct audit_chain *c, const struct audit_entry *e,
                       struct sr_err *err);

/*
 * Walk the whole chain. On a break, *out_bad_id is the first row that was
 * altered, removed (the row after the gap, or the row after the last one
 * left when rows at the end were removed: the end each append seals in
 * meta no longer matches) or inserted out of order, and err->msg says
 * which; returns SR_ECONFLICT. SR_OK with *out_bad_id = 0 and
 * *out_n_rows set when the chain is whole.
 */
int audit_verify(struct db *db, const struct vault *v, int64_t *out_bad_id,
                 int64_t *out_n_rows, struct sr_err *err);

/* What audit_verify_since() found; all of it written on every return. */
struct audit_verify_report {
    int64_t n_rows;        /* rows in the chain when it is whole; else 0 */
    int64_t from_id;       /* the checkpoint the walk began after; 0: row 1 */
    int64_t n_checked;     /* rows whose hash this call computed */
    int64_t bad_id;        /* the row named on a failure; 0 if none */
    int is_checkpoint_bad; /* 1: the stored checkpoint was refused */
};

/* audit_verify_since()'s flags. */
enum {
    AUDIT_VERIFY_FULL = 1 << 0,   /* walk from row 1 whatever is stored */
    AUDIT_VERIFY_NO_SAVE = 1 << 1 /* leave the stored checkpoint as it is */
};

/*
 * audit_verify() that remembers: meta 'audit_verified' holds the last row
 * an earlier call found whole, that row's hash and a keyed MAC of both
 * (the vault's audit key, its own message), and the walk starts after it.
 * Outside any transaction (SR_BUG otherwise): the checks read one
 * snapshot, then, when the chain is whole and has grown past the stored
 * row, the checkpoint moves to its end in a write transaction of its own
 * that keeps a newer one another thread wrote meanwhile (no audit row, no
 * seal, no anchor: the chain is not changed). Rows up to a valid
 * checkpoint are not read again unless flags has AUDIT_VERIFY_FULL, so an
 * alteration of one of them is found only by a full walk.
 *
 * A stored checkpoint that was altered (its MAC), that is past the end of
 * the chain, or whose row no longer has its hash is never trusted nor
 * reset quietly: SR_ECONFLICT, out->is_checkpoint_bad set and the reason
 * in err (out->bad_id: its row, or the row after the end). With
 * AUDIT_VERIFY_FULL the whole chain is walked anyway and, when it is
 * whole, the checkpoint is replaced by one at its end, yet SR_ECONFLICT
 * is still returned, saying so.
 *
 * SR_OK with out->n_rows and out->n_checked when whole; SR_ECONFLICT with
 * out->bad_id and the reason, as audit_verify(); SR_EDB. A failure to
 * save the checkpoint is logged, not returned. Thread-safe on distinct
 * connections.
 */
int audit_verify_since(struct db *db, const struct vault *v, int flags,
                       struct audit_verify_report *out, struct sr_err *err);

/* Filter for audit_list; zero/NULL fields match everything. */
struct audit_filter {
    int64_t user_id;         /* 0 = any */
    const char *action;      /* exact action, or prefix ending in '.' */
    const char *record_type; /* exact */
    const char *record_code; /* exact; a contact's code also matches the
                              * contact.import row of its bulk import */
    int64_t from_ms, to_ms;  /* ts range, inclusive; 0 = open */
    int64_t before_id;       /* rows with id < before_id; 0 = newest */
    int limit;               /* rows; 0 = 100, at most 1000 */
};

/* A listed row; strings borrowed until the callback returns. */
struct audit_row {
    int64_t id, ts_ms, user_id;
    const char *username, *action, *record_type, *record_code, *detail;
};

/*
 * Call fn for each row matching f, newest first. fn returns 0 to go on.
 * Returns SR_OK or SR_EDB.
 */
int audit_list(struct db *db, const struct audit_filter *f,
               int (*fn)(const struct audit_row *row, void *ctx), void *ctx,
               struct sr_err *err);

/*
 * How many rows audit_list() gives for f over all its pages (f's
 * before_id and limit are not used), counted up to cap + 1 rows:
 * *n_matches is the count, or cap + 1 when more than cap match (a count
 * that stays fast however long the log is). Like audit_list() it applies
 * no scope: the caller narrows f to what the reader may see. SR_OK or
 * SR_EDB; *n_matches is written only on success.
 */
int audit_list_count(struct db *db, const struct audit_filter *f, int64_t cap,
                     int64_t *n_matches, struct sr_err *err);

/*
 * Seal the chain's end once in a workspace made before ends were sealed
 * (migration 0014 marks it): when meta holds 'audit_head_pending', write
 * the seal of the last row as it stands and drop the mark, in one write
 * transaction. Nothing to do otherwise. Called by ws_open() with the key.
 * SR_OK or SR_EDB.
 */
int audit_seal_pending(struct db *db, const struct vault *v,
                       struct sr_err *err);

/*
 * Re-sealing the chain under a new data key (a key rotation, base/rekey.c),
 * a batch of rows at a time so that the work can stop and go on: rows 1
 * to last_id already carry hashes made with the new key. The caller keeps
 * the struct between transactions (and processes); zeroed = not begun.
 */
struct audit_reseal {
    int64_t last_id;            /* rows re-sealed so far (1..last_id) */
    int64_t last_ts;            /* ts of row last_id (ms); 0 before */
    unsigned char old_prev[32]; /* row last_id's hash under the old key */
    unsigned char new_prev[32]; /* the same under the new key */
};

/*
 * Inside a write transaction (SR_BUG otherwise): check up to n_rows rows
 * after r->last_id against old_v (the chain as audit_verify() checks it,
 * from r->old_prev on) and store their hashes under new_v, moving *r on.
 * When no row is left, *out_is_done is 1 and the end's seal is checked
 * with old_v and written with new_v; the verification checkpoint
 * (audit_verify_since()) is written with new_v at the end, since every
 * row was checked. SR_OK; SR_ECONFLICT naming the first row that breaks
 * the old chain (nothing re-sealed past it); SR_EDB.
 */
int audit_reseal_step(struct db *db, const struct vault *old_v,
                      const struct vault *new_v, struct audit_reseal *r,
                      int n_rows, int *out_is_done, struct sr_err *err);

/* ---- the anchor outside the database ------------------------------------ */

/*
 * The end of the chain: its last row's id (= its number of rows) and
 * hash; 0 and zeros for an empty log. SR_OK or SR_EDB.
 */
int audit_head(struct db *db, int64_t *out_rows, unsigned char out_hash[32],
               struct sr_err *err);

/*
 * The anchor text for a chain ending at row rows with hash: lines
 * "siren-audit-head: 1", "rows: N", "hash: HEX", "mac: HEX", the MAC a
 * keyed BLAKE2b of the vault's audit key over the lines before it.
 * out (initialised) is emptied first.
 */
void audit_anchor_format(const struct vault *v, int64_t rows,
                         const unsigned char hash[32], struct sr_buf *out);

/*
 * Parse an anchor text (len bytes) and check its MAC: SR_OK with the row
 * and hash it anchors; SR_EINVAL (malformed) or SR_ECRYPTO (altered, or
 * made with another workspace's key), saying which.
 */
int audit_anchor_parse(const struct vault *v, const char *text, size_t len,
                       int64_t *out_rows, unsigned char out_hash[32],
                       struct sr_err *err);

/*
 * Whether the database still holds the chain's row rows with hash (rows
 * after it are fine: the anchor trails the log). SR_OK; SR_ECONFLICT with
 * the reason when the database ends before it ("behind its anchor") or
 * that row differs; SR_EDB.
 */
int audit_anchor_check(struct db *db, int64_t rows,
                       const unsigned char hash[32], struct sr_err *err);

/*
 * A signed head for an outside witness, into out (emptied first):
 *
 *     siren-audit-export: 1
 *     workspace: <id>
 *     rows: <N>
 *     hash: <64 hex digits, the hash of row N>
 *     time: <YYYY-MM-DDTHH:MM:SSZ of now_ms>
 *     public-key: <64 hex digits, Ed25519>
 *     signature: <128 hex digits>
 *
 * The signature is Ed25519 (crypto_sign_detached) over every byte before
 * the signature line, with a key pair whose seed is the vault's keyed
 * hash of "siren-audit-export-signing-key/1": the same workspace (data
 * key) always signs with the same key. SR_OK, SR_EDB, SR_ENOMEM,
 * SR_ECRYPTO.
 */
int audit_export(struct db *db, const struct vault *v, const char *workspace_id,
                 int64_t now_ms, struct sr_buf *out, struct sr_err *err);

/* What a checked export says. */
struct audit_export_info {
    char workspace_id[40];
    int64_t rows;
    unsigned char hash[32];
    char time[32];
    unsigned char public_key[32];
};

/*
 * Parse an export (len bytes) and verify its signature against the
 * public key it carries (a witness compares that key with the one it
 * kept). No workspace needed. SR_OK (*out set), SR_EINVAL (malformed),
 * SR_ECRYPTO (the signature does not verify).
 */
int audit_export_check(const char *text, size_t len,
                       struct audit_export_info *out, struct sr_err *err);

/*
 * Whether a checked export x is of this workspace (its public key is the
 * one v derives) and the database still holds the row it names with its
 * hash (audit_anchor_check()). SR_OK, SR_ECRYPTO, SR_ECONFLICT, SR_EDB.
 */
int audit_export_match(struct db *db, const struct vault *v,
                       const struct audit_export_info *x, struct sr_err *err);

#endif
