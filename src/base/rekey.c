/*
 * rekey.c - rotating a workspace's data key: `siren passphrase` only
 * re-wraps the data key, so an old copy of the key file with the old
 * passphrase still opens everything; a rotation makes a new data key and
 * rewrites everything derived from the old one.
 *
 * What is derived from the data key (vault.c's subkeys) and what happens
 * to it here:
 * - encrypted fields (the jobs[] table below: meta key_check, org,
 *   contact, person, case_note, referral, entity, entity_alias,
 *   entity_identifier, survey_dataset, user_totp): decrypted with the old
 *   key,
 *   encrypted with the new one (the blob carries the new key version);
 * - blind indexes (contact, person, entity*): checked against their value
 *   under the old key (a mismatch stops the rotation: an index we cannot
 *   recompute would silently stop finding its record), then recomputed;
 *   the person name block through person_name_block();
 * - two-step sign-in recovery codes: kept only as hashes keyed from the
 *   data key, so they cannot be carried over: deleted in the closing
 *   transaction (users keep their authenticator; an administrator gives
 *   one new codes with `siren user totp-reset`, which makes them enrol
 *   again);
 * - contact import keys: a blind index over the imported row's cells as
 *   read, which is not stored, so they cannot be recomputed: cleared
 *   (a file imported before the rotation, imported again, adds its rows
 *   again);
 * - the audit chain (row hashes, the end's seal in meta, the audit.head
 *   anchor): checked with the old key and re-sealed with the new one, so
 *   `siren audit verify` passes afterwards; the Ed25519 export key is
 *   derived from the audit key, so exports made before no longer match;
 * - not stored, so nothing to rewrite: session public ids, the pre-sign-in
 *   CSRF key, backup archive keys (archives made before keep the old key
 *   file and open with the old passphrase: destroy them if that key is
 *   what leaked), the keyed fingerprints of imported files in the details
 *   of 'contact.import' audit rows (kept as written: they are history).
 *
 * Resumable: the pending new key is the file WS_NEXT_KEY_FILE beside the
 * key (wrapped under the same passphrase), and meta 'rekey_progress'
 * records the job and the last row done, written in the same transaction
 * as each batch. While the file exists ws_open() refuses the workspace
 * naming `siren rekey`; the run itself holds the directory's exclusive
 * lock (ws_dir_lock()), so no server or command has it open meanwhile.
 *
 * Owns: meta 'rekey_progress' and the statements below, which rewrite the
 * encrypted columns of other modules' tables in place (one list of every
 * such column; tests/test_rekey.c checks it against the schema). Must
 * not: write a plaintext, a key or a passphrase anywhere but vault
 * buffers that are wiped; put an identity into an error message.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/rekey.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/audit.h"
#include "base/store.h"
#include "base/vault.h"
#include "base/workspace.h"
#include "core/buf.h"
#include "core/banned.h"

#define BATCH_ROWS_DEFAULT 1000
#define FIELD_MAX          ((size_t)1024 * 1024 * 1024) /* bytes of a field */
#define PROGRESS_KEY       "rekey_progress"

enum rekey_stmt {
    RK_META_SEL,
    RK_META_SET,
    RK_ORG_SEL,
    RK_ORG_SET,
    RK_CONTACT_SEL,
    RK_CONTACT_SET,
    RK_PERSON_SEL,
    RK_PERSON_SET,
    RK_NOTE_SEL,
    RK_NOTE_SET,
    RK_REFERRAL_SEL,
    RK_REFERRAL_SET,
    RK_ENTITY_SEL,
    RK_ENTITY_SET,
    RK_ALIAS_SEL,
    RK_ALIAS_SET,
    RK_IDENT_SEL,
    RK_IDENT_SET,
    RK_SURVEY_SEL,
    RK_SURVEY_SET,
    RK_TOTP_SEL,
    RK_TOTP_SET,
    RK_RECOVERY_CLEAR,
    RK_PROGRESS_GET,
    RK_PROGRESS_PUT,
    RK_PROGRESS_DEL,
    RK__COUNT
};

/*
 * Each *_SEL reads the rows after ?1 in id order, at most ?2 of them: id,
 * then the encrypted columns, then the blind indexes (and, for
 * entity_identifier, the domain of its index). Each *_SET writes them
 * back in the same order from ?2, for the row ?1.
 */
static const char *const rekey_sql[RK__COUNT] = {
    [RK_PROGRESS_GET] = "SELECT value"
                        "  FROM meta"
                        " WHERE key = 'rekey_progress'",
    [RK_PROGRESS_PUT] =
        "INSERT INTO meta(key, value)"
        " VALUES ('rekey_progress', ?1)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [RK_PROGRESS_DEL] = "DELETE FROM meta WHERE key = 'rekey_progress'",
    /* the key check has no id: it is row 1 of table meta for the vault */
    [RK_META_SEL] = "SELECT 1, value FROM meta"
                    " WHERE key = 'key_check' AND ?1 < 1 LIMIT ?2",
    [RK_META_SET] = "UPDATE meta"
                    "   SET value = ?2"
                    " WHERE key = 'key_check' AND ?1 = 1",
    [RK_ORG_SEL] = "SELECT id, contact_details"
                   "  FROM org"
                   " WHERE id > ?1"
                   " ORDER BY id"
                   " LIMIT ?2",
    [RK_ORG_SET] = "UPDATE org"
                   "   SET contact_details = ?2"
                   " WHERE id = ?1",
    [RK_CONTACT_SEL] = "SELECT id, caller_phone, caller_place, problem_place,"
                       "       summary, needs, action_taken, caller_phone_idx"
                       "  FROM contact"
                       " WHERE id > ?1"
                       " ORDER BY id"
                       " LIMIT ?2",
    [RK_CONTACT_SET] = "UPDATE contact"
                       "   SET caller_phone = ?2, caller_place = ?3,"
                       "       problem_place = ?4, summary = ?5, needs = ?6,"
                       "       action_taken = ?7, caller_phone_idx = ?8,"
                       "       import_key = NULL"
                       " WHERE id = ?1",
    [RK_PERSON_SEL] = "SELECT id, name, aliases, birth_date, phone, id_number,"
                      "       passport, address, name_idx, phone_idx,"
                      "       id_number_idx, passport_idx, name_block"
                      "  FROM person"
                      " WHERE id > ?1"
                      " ORDER BY id"
                      " LIMIT ?2",
    [RK_PERSON_SET] = "UPDATE person"
                      "   SET name = ?2, aliases = ?3, birth_date = ?4,"
                      "       phone = ?5, id_number = ?6, passport = ?7,"
                      "       address = ?8, name_idx = ?9, phone_idx = ?10,"
                      "       id_number_idx = ?11, passport_idx = ?12,"
                      "       name_block = ?13"
                      " WHERE id = ?1",
    [RK_NOTE_SEL] = "SELECT id, body"
                    "  FROM case_note"
                    " WHERE id > ?1"
                    " ORDER BY id"
                    " LIMIT ?2",
    [RK_NOTE_SET] = "UPDATE case_note"
                    "   SET body = ?2"
                    " WHERE id = ?1",
    [RK_REFERRAL_SEL] = "SELECT id, note"
                        "  FROM referral"
                        " WHERE id > ?1"
                        " ORDER BY id"
                        " LIMIT ?2",
    [RK_REFERRAL_SET] = "UPDATE referral"
                        "   SET note = ?2"
                        " WHERE id = ?1",
    [RK_ENTITY_SEL] = "SELECT id, name, name_idx"
                      "  FROM entity"
                      " WHERE id > ?1"
                      " ORDER BY id"
                      " LIMIT ?2",
    [RK_ENTITY_SET] = "UPDATE entity"
                      "   SET name = ?2, name_idx = ?3"
                      " WHERE id = ?1",
    [RK_ALIAS_SEL] = "SELECT id, alias, alias_idx"
                     "  FROM entity_alias"
                     " WHERE id > ?1"
                     " ORDER BY id"
                     " LIMIT ?2",
    [RK_ALIAS_SET] = "UPDATE entity_alias"
                     "   SET alias = ?2, alias_idx = ?3"
                     " WHERE id = ?1",
    /* entity.c indexes a phone in domain 'phone', anything else 'eident' */
    [RK_IDENT_SEL] = "SELECT id, value, value_idx,"
                     "       CASE kind WHEN 'phone' THEN 'phone'"
                     "                 ELSE 'eident' END"
                     "  FROM entity_identifier"
                     " WHERE id > ?1"
                     " ORDER BY id"
                     " LIMIT ?2",
    [RK_IDENT_SET] = "UPDATE entity_identifier"
                     "   SET value = ?2, value_idx = ?3"
                     " WHERE id = ?1",
    [RK_SURVEY_SEL] = "SELECT id, data"
                      "  FROM survey_dataset"
                      " WHERE id > ?1"
                      " ORDER BY id"
                      " LIMIT ?2",
    [RK_SURVEY_SET] = "UPDATE survey_dataset"
                      "   SET data = ?2"
                      " WHERE id = ?1",
    /* a user's authenticator key is bound to the user id as its row */
    [RK_TOTP_SEL] = "SELECT user_id, secret"
                    "  FROM user_totp"
                    " WHERE user_id > ?1"
                    " ORDER BY user_id"
                    " LIMIT ?2",
    [RK_TOTP_SET] = "UPDATE user_totp"
                    "   SET secret = ?2"
                    " WHERE user_id = ?1",
    /* recovery codes are kept only as hashes keyed from the data key */
    [RK_RECOVERY_CLEAR] = "DELETE FROM user_recovery",
};

/* A blind index column: the encrypted column (0-based among the job's)
 * whose value it indexes, and its domain. */
struct index_spec {
    const char *column; /* for messages */
    int source;
    const char *domain; /* NULL: the SELECT's last column names it;
                         * "nameblk": person_name_block() */
};

struct field_job {
    const char *table; /* as bound into each blob's associated data */
    enum rekey_stmt sel, set;
    int n_cipher;
    const char *cipher[7];
    int n_index;
    struct index_spec index[5];
};

static const struct field_job jobs[] = {
    { "meta", RK_META_SEL, RK_META_SET, 1, { "value" }, 0, { { 0 } } },
    { "org", RK_ORG_SEL, RK_ORG_SET, 1, { "contact_details" }, 0, { { 0 } } },
    { "contact",
      RK_CONTACT_SEL,
      RK_CONTACT_SET,
      6,
      { "caller_phone", "caller_place", "problem_place", "summary", "needs",
        "action_taken" },
      1,
      { { "caller_phone_idx", 0, "phone" } } },
    { "person",
      RK_PERSON_SEL,
      RK_PERSON_SET,
      7,
      { "name", "aliases", "birth_date", "phone", "id_number", "passport",
        "address" },
      5,
      { { "name_idx", 0, "name" },
        { "phone_idx", 3, "phone" },
        { "id_number_idx", 4, "idnum" },
        { "passport_idx", 5, "passport" },
        { "name_block", 0, "nameblk" } } },
    { "case_note", RK_NOTE_SEL, RK_NOTE_SET, 1, { "body" }, 0, { { 0 } } },
    { "referral",
      RK_REFERRAL_SEL,
      RK_REFERRAL_SET,
      1,
      { "note" },
      0,
      { { 0 } } },
    { "entity",
      RK_ENTITY_SEL,
      RK_ENTITY_SET,
      1,
      { "name" },
      1,
      { { "name_idx", 0, "ename" } } },
    { "entity_alias",
      RK_ALIAS_SEL,
      RK_ALIAS_SET,
      1,
      { "alias" },
      1,
      { { "alias_idx", 0, "ename" } } },
    { "entity_identifier",
      RK_IDENT_SEL,
      RK_IDENT_SET,
      1,
      { "value" },
      1,
      { { "value_idx", 0, NULL } } },
    { "survey_dataset",
      RK_SURVEY_SEL,
      RK_SURVEY_SET,
      1,
      { "data" },
      0,
      { { 0 } } },
    { "user_totp", RK_TOTP_SEL, RK_TOTP_SET, 1, { "secret" }, 0, { { 0 } } },
};

#define N_JOBS    ((int)(sizeof jobs / sizeof jobs[0]))
#define JOB_AUDIT N_JOBS       /* the audit chain, after every field */
#define JOB_DONE  (N_JOBS + 1) /* everything rewritten; files to swap */

/* How far a rotation got: meta 'rekey_progress', one line of text. */
struct progress {
    int job;                 /* 0..JOB_DONE */
    int64_t last_id;         /* rows of jobs[job] up to this id are done */
    struct audit_reseal aud; /* the chain's re-sealing (JOB_AUDIT) */
    int64_t n_rows_total;    /* rows rewritten in all runs */
};

#define PATH_BYTES 4096

/* dir/name into out; SR_BUG past PATH_BYTES (dir is a workspace path). */
static void
path_in(char out[PATH_BYTES], const char *dir, const char *name)
{
    if (snprintf(out, PATH_BYTES, "%s/%s", dir, name) >= PATH_BYTES) {
        SR_BUG("workspace path too long");
    }
}

/* ---- the progress record ------------------------------------------------ */

/* Read the record: SR_OK (*p set), SR_ENOTFOUND, SR_EINVAL, SR_EDB. */
static int
progress_get(struct db *db, struct progress *p, struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &rekey_sql[RK_PROGRESS_GET]);
    int step = db_step(s);
    char text[256] = "";
    const void *value = step == DB_ROW ? db_col_blob(s, 0) : NULL;
    size_t n = step == DB_ROW ? db_col_bytes(s, 0) : 0;
    if (value != NULL && n < sizeof text) {
        memcpy(text, value, n);
        text[n] = '\0';
    }
    int rc =
        db_end(db, s, step, "cannot read the key rotation's progress", err);
    if (rc != SR_OK) {
        return rc;
    }
    if (step == DB_DONE) {
        return SR_ENOTFOUND;
    }
    char old_hex[80], new_hex[80];
    long long last_id, last_ts, aud_id, total;
    memset(p, 0, sizeof *p);
    if (sscanf(text,
               "v1 job=%d last=%lld audit=%lld ts=%lld old=%79s "
               "new=%79s rows=%lld",
               &p->job, &last_id, &aud_id, &last_ts, old_hex, new_hex,
               &total) != 7 ||
        p->job < 0 || p->job > JOB_DONE ||
        vault_unhex(old_hex, p->aud.old_prev, 32) != 0 ||
        vault_unhex(new_hex, p->aud.new_prev, 32) != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "the key rotation's progress record is malformed");
    }
    p->last_id = last_id;
    p->aud.last_id = aud_id;
    p->aud.last_ts = last_ts;
    p->n_rows_total = total;
    return SR_OK;
}

static int
progress_put(struct db *db, const struct progress *p, struct sr_err *err)
{
    char old_hex[65], new_hex[65], text[256];
    vault_hex(p->aud.old_prev, 32, old_hex);
    vault_hex(p->aud.new_prev, 32, new_hex);
    snprintf(text, sizeof text,
             "v1 job=%d last=%lld audit=%lld ts=%lld old=%s new=%s rows=%lld",
             p->job, (long long)p->last_id, (long long)p->aud.last_id,
             (long long)p->aud.last_ts, old_hex, new_hex,
             (long long)p->n_rows_total);
    struct db_stmt *s = db_stmt(db, &rekey_sql[RK_PROGRESS_PUT]);
    db_bind_blob(s, 1, text, strlen(text)); /* meta.value is a BLOB */
    return db_exec_stmt(db, s, err);
}

/* ---- one batch of encrypted fields -------------------------------------- */

struct field_walk {
    struct db *db;
    const struct vault *old_v, *new_v;
    const struct field_job *job;
    rekey_name_block_fn *name_block;
    struct rekey_report *rep;
    int64_t last_id;
    int n_rows;
    int rc;
    struct sr_err *err;
};

/* The blind index of plain (a NUL-terminated plaintext) under v. */
static int
index_of(const struct field_walk *w, const struct vault *v, const char *domain,
         const struct sr_buf *plain, unsigned char out[32])
{
    struct sr_err ignored = { 0 };
    int rc = strcmp(domain, "nameblk") == 0
                 ? w->name_block(v, plain->data, out, &ignored)
                 : vault_blind_index(v, domain, plain->data, plain->len, out,
                                     &ignored);
    sr_err_release(&ignored); /* the caller names the row and column */
    return rc;
}

/* Rewrite the row at s with u: each field, then each index from its
 * field's plaintext (plain[i], wiped by the caller). */
static int
rewrite_row(struct field_walk *w, struct db_stmt *s, struct db_stmt *u,
            struct sr_buf *plain, struct sr_buf *blob)
{
    const struct field_job *j = w->job;
    int64_t id = db_col_i64(s, 0);
    int rc = SR_OK;
    db_bind_i64(u, 1, id);
    for (int i = 0; i < j->n_cipher && rc == SR_OK; i++) {
        if (db_col_is_null(s, 1 + i)) {
            db_bind_null(u, 2 + i);
            continue;
        }
        const void *p = db_col_blob(s, 1 + i);
        size_t n = db_col_bytes(s, 1 + i);
        if (vault_decrypt(w->old_v, j->table, j->cipher[i], id, p, n, &plain[i],
                          NULL) != SR_OK) {
            rc = sr_err_set(w->err, SR_ECONFLICT,
                            "%s.%s of row %lld does not decrypt with the "
                            "workspace's key",
                            j->table, j->cipher[i], (long long)id);
        } else {
            rc = vault_encrypt(w->new_v, j->table, j->cipher[i], id,
                               plain[i].data, plain[i].len, blob, w->err);
        }
        if (rc == SR_OK) {
            db_bind_blob(u, 2 + i, blob->data, blob->len);
            w->rep->n_fields++;
        }
    }
    int n_cols = 1 + j->n_cipher + j->n_index;
    for (int k = 0; k < j->n_index && rc == SR_OK; k++) {
        const struct index_spec *x = &j->index[k];
        int col = 1 + j->n_cipher + k;
        if (db_col_is_null(s, col)) {
            db_bind_null(u, 2 + j->n_cipher + k);
            continue;
        }
        const char *domain = x->domain ? x->domain : db_col_text(s, n_cols);
        unsigned char was[32], now[32];
        const void *stored = db_col_blob(s, col);
        int is_same =
            !db_col_is_null(s, 1 + x->source) &&
            index_of(w, w->old_v, domain, &plain[x->source], was) == SR_OK &&
            db_col_bytes(s, col) == 32 && vault_equal(stored, was, 32);
        if (!is_same ||
            index_of(w, w->new_v, domain, &plain[x->source], now) != SR_OK) {
            rc = sr_err_set(w->err, SR_ECONFLICT,
                            "the blind index %s.%s of row %lld does not "
                            "match its value under the workspace's key",
                            j->table, x->column, (long long)id);
        } else {
            db_bind_blob(u, 2 + j->n_cipher + k, now, 32);
            w->rep->n_indexes++;
        }
    }
    if (rc == SR_OK) {
        rc = db_exec_stmt(w->db, u, w->err);
    } else {
        db_done(u);
    }
    if (rc == SR_OK) {
        w->last_id = id;
    }
    return rc;
}

static int
field_row(struct db_stmt *s, void *p)
{
    struct field_walk *w = p;
    struct sr_buf plain[7], blob;
    for (int i = 0; i < 7; i++) {
        sr_buf_init(&plain[i], FIELD_MAX);
    }
    sr_buf_init(&blob, FIELD_MAX);
    struct db_stmt *u = db_stmt(w->db, &rekey_sql[w->job->set]);
    w->rc = rewrite_row(w, s, u, plain, &blob);
    for (int i = 0; i < 7; i++) {
        vault_buf_wipe(&plain[i]);
    }
    sr_buf_release(&blob);
    w->n_rows++;
    return w->rc != SR_OK;
}

/* One batch of jobs[p->job] after p->last_id; moves p on (to the next
 * job when this one has no rows left). Inside the caller's transaction. */
static int
field_batch(struct db *db, const struct vault *old_v, const struct vault *new_v,
            const struct rekey_opts *o, int n_rows, struct progress *p,
            struct rekey_report *rep, struct sr_err *err)
{
    const struct field_job *j = &jobs[p->job];
    struct field_walk w = { db,  old_v,      new_v, j,     o->name_block,
                            rep, p->last_id, 0,     SR_OK, err };
    struct db_stmt *s = db_stmt(db, &rekey_sql[j->sel]);
    db_bind_i64(s, 1, p->last_id);
    db_bind_int(s, 2, n_rows);
    int rc = db_each(db, s, field_row, &w, "cannot read rows to rekey", err);
    if (rc == SR_OK) {
        rc = w.rc;
    }
    if (rc != SR_OK) {
        return rc;
    }
    p->n_rows_total += w.n_rows;
    if (w.n_rows < n_rows) {
        p->job++;
        p->last_id = 0;
    } else {
        p->last_id = w.last_id;
    }
    return SR_OK;
}

/* ---- the files ----------------------------------------------------------- */

/* fsync the directory open at fd, so a rename in it is durable. */
static int
sync_dir(int fd, const char *dir, struct sr_err *err)
{
    if (fsync(fd) != 0) {
        return sr_err_set(err, SR_EIO, "cannot sync directory '%s': %s", dir,
                          strerror(errno));
    }
    return SR_OK;
}

/* Open the key file name of dir with passphrase. */
static int
open_key(const char *dir, const char *name, const char *pass, size_t pass_len,
         struct vault **out, struct sr_err *err)
{
    char path[PATH_BYTES];
    path_in(path, dir, name);
    struct sr_buf text;
    int rc = sr_read_file(path, 65536, &text, err);
    if (rc == SR_OK) {
        rc = vault_open(text.data, text.len, pass, pass_len, out, err);
        sr_buf_release(&text);
    }
    return rc;
}

/* ---- the three stages ----------------------------------------------------- */

/* One transaction on ws: the progress record written (p) or removed
 * (NULL), and the audit row action naming the new key version. */
static int
record(struct ws *ws, const struct progress *p, const char *action,
       int key_version, struct sr_err *err)
{
    int rc = db_begin_write(ws->db, err);
    if (rc != SR_OK) {
        return rc;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "key_version=%d", key_version);
    struct audit_entry e = { 0, action, "workspace", "", detail };
    rc = p != NULL
             ? progress_put(ws->db, p, err)
             : db_exec_stmt(ws->db,
                            db_stmt(ws->db, &rekey_sql[RK_PROGRESS_DEL]), err);
    if (rc == SR_OK && p == NULL) {
        /* hashed under the old key, and not stored in clear: gone (each
         * user gets new ones by enrolling again) */
        rc = db_exec_stmt(ws->db,
                          db_stmt(ws->db, &rekey_sql[RK_RECOVERY_CLEAR]), err);
    }
    return audit_finish(ws->db, ws->vault, &e, rc, err);
}

/*
 * Begin: check the workspace, write the pending key, record the start.
 * *out_is_done is 1 when an earlier run got past the key swap and only
 * the closing record is left.
 */
static int
rekey_begin(const char *dir, const char *pass, size_t pass_len,
            const struct rekey_opts *o, struct rekey_report *rep,
            int *out_is_done, struct sr_err *err)
{
    struct ws *ws;
    int rc = ws_open(dir, pass, pass_len, WS_EXCLUSIVE, &ws, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct progress p;
    struct sr_err ignored = { 0 };
    *out_is_done =
        progress_get(ws->db, &p, &ignored) == SR_OK && p.job == JOB_DONE;
    sr_err_release(&ignored);
    if (*out_is_done) {
        rep->is_resumed = 1;
        ws_close(ws);
        return SR_OK;
    }
    int64_t bad_id = 0, n_rows = 0;
    rc = ws_audit_verify(ws, ws->db, &bad_id, &n_rows, err);
    struct vault *next = NULL;
    struct sr_buf keyfile;
    sr_buf_init(&keyfile, 65536);
    if (rc == SR_OK) {
        rc = vault_rekey(ws->vault, pass, pass_len, o->kdf, &keyfile, &next,
                         err);
    }
    char path[PATH_BYTES];
    path_in(path, dir, WS_NEXT_KEY_FILE);
    if (rc == SR_OK) {
        rc = sr_write_file_atomic(path, keyfile.data, keyfile.len, 0600, err);
    }
    if (rc == SR_OK) {
        rc = sync_dir(ws->lock_fd, dir, err);
    }
    if (rc == SR_OK) {
        rep->old_version = vault_key_version(ws->vault);
        memset(&p, 0, sizeof p);
        rc = record(ws, &p, "workspace.rekey_start", vault_key_version(next),
                    err);
    }
    vault_free(next);
    vault_buf_wipe(&keyfile);
    ws_close(ws);
    return rc;
}

/* The work: every batch, then the anchor and the key swap. */
static int
rekey_work(const char *dir, const char *pass, size_t pass_len,
           const struct rekey_opts *o, struct rekey_report *rep,
           struct sr_err *err)
{
    int lock_fd = -1;
    int rc = ws_dir_lock(dir, 1, &lock_fd, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct vault *old_v = NULL, *new_v = NULL;
    struct db *db = NULL;
    char *db_path = NULL; /* siren.db, or the PostgreSQL store */
    rc = ws_db_target(dir, &db_path, err);
    if (rc == SR_OK) {
        rc = open_key(dir, "key", pass, pass_len, &old_v, err);
    }
    if (rc == SR_OK) {
        rc = open_key(dir, WS_NEXT_KEY_FILE, pass, pass_len, &new_v, err);
    }
    if (rc == SR_OK &&
        vault_key_version(new_v) != vault_key_version(old_v) + 1) {
        rc = sr_err_set(err, SR_EINVAL,
                        "'%s' is not the next key of the key file (key "
                        "version %d after %d)",
                        WS_NEXT_KEY_FILE, vault_key_version(new_v),
                        vault_key_version(old_v));
    }
    if (rc == SR_OK) {
        rep->old_version = vault_key_version(old_v);
        rc = db_open(db_path, 0, &db, err);
    }
    if (rc == SR_OK) {
        rc = db_tune_bulk(db, err);
    }
    struct progress p;
    memset(&p, 0, sizeof p);
    if (rc == SR_OK) {
        rc = progress_get(db, &p, err);
        if (rc == SR_ENOTFOUND) { /* stopped before its start was recorded */
            sr_err_release(err);
            memset(&p, 0, sizeof p);
            rc = SR_OK;
        }
    }
    int n = o->batch_rows > 0 ? o->batch_rows : BATCH_ROWS_DEFAULT;
    if (rc == SR_OK) {
        vault_pin(old_v);
        vault_pin(new_v);
        while (rc == SR_OK && p.job < JOB_DONE) {
            const char *table = p.job < N_JOBS ? jobs[p.job].table : "audit";
            int64_t before = p.aud.last_id;
            rc = db_begin_write(db, err);
            if (rc != SR_OK) {
                break;
            }
            if (p.job < N_JOBS) {
                rc = field_batch(db, old_v, new_v, o, n, &p, rep, err);
            } else {
                int is_done = 0;
                rc = audit_reseal_step(db, old_v, new_v, &p.aud, n, &is_done,
                                       err);
                rep->n_audit_rows += p.aud.last_id - before;
                p.n_rows_total += p.aud.last_id - before;
                p.job = is_done ? JOB_DONE : JOB_AUDIT;
            }
            if (rc == SR_OK) {
                rc = progress_put(db, &p, err);
            }
            rc = db_finish(db, rc, err);
            if (rc == SR_OK) {
                rep->n_batches++;
                if (o->on_batch != NULL) {
                    struct rekey_batch b = { table, p.n_rows_total,
                                             rep->n_batches,
                                             p.job == JOB_DONE };
                    o->on_batch(&b, o->ctx);
                }
            }
        }
        vault_unpin(new_v);
        vault_unpin(old_v);
    }
    /* the anchor under the new key first: until the swap below, only
     * this function reads it (ws_open() refuses a pending rotation) */
    if (rc == SR_OK) {
        int64_t rows;
        unsigned char hash[32];
        rc = audit_head(db, &rows, hash, err);
        if (rc == SR_OK) {
            struct sr_buf text;
            sr_buf_init(&text, 4096);
            audit_anchor_format(new_v, rows, hash, &text);
            char path[PATH_BYTES];
            path_in(path, dir, "audit.head");
            rc = sr_write_file_atomic(path, text.data, text.len, 0600, err);
            sr_buf_release(&text);
            rep->n_audit_total = rows;
        }
    }
    if (rc == SR_OK) {
        char from[PATH_BYTES], to[PATH_BYTES];
        path_in(from, dir, WS_NEXT_KEY_FILE);
        path_in(to, dir, "key");
        if (rename(from, to) != 0) {
            rc = sr_err_set(err, SR_EIO, "cannot rename '%s' to '%s': %s", from,
                            to, strerror(errno));
        }
    }
    if (rc == SR_OK) {
        rc = sync_dir(lock_fd, dir, err);
    }
    db_close(db);
    free(db_path);
    vault_free(old_v); /* wiped: sodium_free */
    vault_free(new_v);
    close(lock_fd);
    return rc;
}

/* Close: drop the progress record, audit the rotation, verify. */
static int
rekey_close(const char *dir, const char *pass, size_t pass_len,
            struct rekey_report *rep, struct sr_err *err)
{
    struct ws *ws;
    int rc = ws_open(dir, pass, pass_len, WS_EXCLUSIVE, &ws, err);
    if (rc != SR_OK) {
        return rc;
    }
    rep->new_version = vault_key_version(ws->vault);
    rc = record(ws, NULL, "workspace.rekey", rep->new_version, err);
    int64_t bad_id = 0;
    if (rc == SR_OK) {
        rc = ws_audit_verify(ws, ws->db, &bad_id, &rep->n_audit_total, err);
    }
    ws_close(ws);
    return rc;
}

int
rekey_run(const char *dir, const char *passphrase, size_t pass_len,
          const struct rekey_opts *o, struct rekey_report *out,
          struct sr_err *err)
{
    assert(dir != NULL && passphrase != NULL && o != NULL && out != NULL);
    assert(o->name_block != NULL);
    memset(out, 0, sizeof *out);
    char next[PATH_BYTES];
    path_in(next, dir, WS_NEXT_KEY_FILE);
    struct stat st;
    int is_pending = stat(next, &st) == 0;
    int is_done = 0, rc = SR_OK;
    if (is_pending) {
        out->is_resumed = 1;
    } else {
        rc = rekey_begin(dir, passphrase, pass_len, o, out, &is_done, err);
    }
    if (rc == SR_OK && !is_done) {
        rc = rekey_work(dir, passphrase, pass_len, o, out, err);
    }
    if (rc == SR_OK) {
        rc = rekey_close(dir, passphrase, pass_len, out, err);
    }
    return rc;
}
