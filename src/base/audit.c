/*
 * audit.c - append to and verify the hash-chained audit table.
 *
 * Owns the audit table and its SQL (the list also follows a contact's
 * import_audit_id to the contact.import row of its bulk import). Row
 * hash = keyed BLAKE2b-256 over prev_hash || id || ts || user_id ||
 * action || record_type || record_code || detail, each field
 * length-prefixed so no two rows can serialise alike. The chain's end is
 * sealed in meta 'audit_head' (keyed MAC over the last row's id and hash),
 * so removing rows at the end is seen too. Whoever can rewrite the
 * database can roll rows and seal back together, so the end is also
 * kept outside it: the anchor text (a keyed MAC of the last row's id and
 * hash, which workspace.c keeps in the file audit.head and rewrites after
 * each commit that appended rows) and the export (the same, signed with
 * an Ed25519 key derived from the data key, for an outside witness).
 * A verification remembers how far it got: meta 'audit_verified' holds
 * the last row it checked, that row's hash and a keyed MAC of both, so
 * the next one walks only the rows after it (rows before it are checked
 * again only by a full walk). It is a note about the chain, not a change
 * to it: no audit row, no seal, no anchor follow it.
 * Must not be given identities in any field.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "base/vault.h"
#include "core/banned.h"

enum audit_stmt {
    AU_LAST,
    AU_INSERT,
    AU_LIST,
    AU_LIST_COUNT,
    AU_HEAD_PUT,
    AU_HEAD_GET,
    AU_PENDING,
    AU_PENDING_DONE,
    AU_HASH_OF,
    AU_RESEAL_NEXT,
    AU_RESEAL_SET,
    AU_WALK_FROM,
    AU_ROW_AT,
    AU__COUNT
};

/*
 * A listing's filter (struct audit_filter's fields), cursor ?7. A
 * contact written by a bulk import names the import's one contact.import
 * row (docs/contacts.md, Bulk load). The milliseconds are typed BIGINT,
 * which PostgreSQL would otherwise infer as int4 from "= 0".
 */
#define LIST_WHERE                                           \
    " WHERE (?1 = 0 OR a.user_id = ?1)"                      \
    "   AND (?2 = '' OR a.action = ?2"                       \
    "        OR (?2 LIKE '%.'"                               \
    "            AND substr(a.action, 1, length(?2)) = ?2))" \
    "   AND (?3 = '' OR a.record_type = ?3)"                 \
    "   AND (?4 = '' OR a.record_code = ?4"                  \
    "        OR (a.action = 'contact.import'"                \
    "            AND ?3 IN ('', 'contact')"                  \
    "            AND a.id = (SELECT c.import_audit_id"       \
    "                          FROM contact AS c"            \
    "                         WHERE c.code = ?4)))"          \
    "   AND (CAST(?5 AS BIGINT) = 0 OR a.ts >= ?5)"          \
    "   AND (CAST(?6 AS BIGINT) = 0 OR a.ts <= ?6)"          \
    "   AND (?7 = 0 OR a.id < ?7)"

static const char *const audit_sql[AU__COUNT] = {
    [AU_LAST] = "SELECT id, ts, hash"
                "  FROM audit"
                " ORDER BY id DESC"
                " LIMIT 1",
    [AU_INSERT] = "INSERT INTO audit(id, ts, user_id, action, record_type,"
                  "                  record_code, detail, prev_hash, hash)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [AU_LIST] = "SELECT a.id, a.ts, coalesce(a.user_id, 0),"
                "       coalesce(u.username, ''), a.action, a.record_type,"
                "       a.record_code, a.detail"
                "  FROM audit AS a"
                "  LEFT JOIN \"user\" AS u ON u.id = a.user_id" LIST_WHERE
                " ORDER BY a.id DESC"
                " LIMIT ?8",
    /* the list's rows over all its pages (?7 bound 0), up to ?8 */
    [AU_LIST_COUNT] = "SELECT count(*)"
                      "  FROM (SELECT 1  FROM audit AS a" LIST_WHERE
                      "         LIMIT ?8) AS m",
    [AU_HEAD_PUT] = "INSERT INTO meta(key, value)"
                    " VALUES ('audit_head', ?1)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [AU_HEAD_GET] = "SELECT value"
                    "  FROM meta"
                    " WHERE key = 'audit_head'",
    [AU_PENDING] = "SELECT value"
                   "  FROM meta"
                   " WHERE key = 'audit_head_pending'",
    [AU_PENDING_DONE] = "DELETE FROM meta WHERE key = 'audit_head_pending'",
    [AU_HASH_OF] = "SELECT hash"
                   "  FROM audit"
                   " WHERE id = ?1",
    [AU_RESEAL_NEXT] = "SELECT id, ts, user_id, action, record_type,"
                       "       record_code, detail, prev_hash, hash"
                       "  FROM audit"
                       " WHERE id > ?1"
                       " ORDER BY id"
                       " LIMIT ?2",
    [AU_RESEAL_SET] = "UPDATE audit"
                      "   SET prev_hash = ?2, hash = ?3"
                      " WHERE id = ?1",
    [AU_WALK_FROM] = "SELECT id, ts, user_id, action, record_type,"
                     "       record_code, detail, prev_hash, hash"
                     "  FROM audit"
                     " WHERE id > ?1"
                     " ORDER BY id",
    [AU_ROW_AT] = "SELECT ts, hash"
                  "  FROM audit"
                  " WHERE id = ?1",
};

/* The meta key of the verification checkpoint (audit_verify_since()). */
#define CHECKPOINT_KEY "audit_verified"
/* Its value: the row's id (8 bytes, big-endian), its hash, the MAC. */
#define CHECKPOINT_LEN (8 + 32 + 32)

static void
put_field(struct sr_buf *b, const void *p, size_t len)
{
    unsigned char n[4] = { (unsigned char)(len >> 24),
                           (unsigned char)(len >> 16),
                           (unsigned char)(len >> 8), (unsigned char)len };
    sr_buf_add(b, n, 4);
    sr_buf_add(b, p, len);
}

static void
put_text(struct sr_buf *b, const char *s)
{
    put_field(b, s, strlen(s));
}

static void
row_hash(const struct vault *v, const unsigned char prev[32], int64_t id,
         int64_t ts, int64_t user_id, const char *action, const char *rtype,
         const char *rcode, const char *detail, unsigned char out[32])
{
    struct sr_buf b;
    char num[64];
    sr_buf_init(&b, 0);
    put_field(&b, prev, 32);
    snprintf(num, sizeof num, "%lld/%lld/%lld", (long long)id, (long long)ts,
             (long long)user_id);
    put_text(&b, num);
    put_text(&b, action);
    put_text(&b, rtype);
    put_text(&b, rcode);
    put_text(&b, detail);
    vault_audit_mac(v, b.data, b.len, out);
    sr_buf_release(&b);
}

/* A keyed MAC of (label, id, hash): the chain's seal ("audit-head") and
 * a verification checkpoint ("audit-verified"); the label keeps each
 * from standing in for the other, or for a row's hash. */
static void
labelled_mac(const struct vault *v, const char *label, int64_t id,
             const unsigned char hash[32], unsigned char out[32])
{
    struct sr_buf b;
    char num[32];
    sr_buf_init(&b, 0);
    put_text(&b, label);
    snprintf(num, sizeof num, "%lld", (long long)id);
    put_text(&b, num);
    put_field(&b, hash, 32);
    vault_audit_mac(v, b.data, b.len, out);
    sr_buf_release(&b);
}

/* The seal of a chain ending at row id with hash. */
static void
head_seal(const struct vault *v, int64_t id, const unsigned char hash[32],
          unsigned char out[32])
{
    labelled_mac(v, "audit-head", id, hash, out);
}

/*
 * The seal of the chain's end in meta, written once a transaction as its
 * last write (db_before_commit()): of the end the appends left in the
 * memo, or, after a rollback took that away, of the end read again.
 */
static int
seal_end(struct db *db, const void *ctx, struct sr_err *err)
{
    const struct vault *v = ctx;
    int64_t rows;
    unsigned char last[32];
    int rc = audit_head(db, &rows, last, err);
    if (rc != SR_OK || rows == 0) {
        return rc;
    }
    unsigned char seal[32];
    head_seal(v, rows, last, seal);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_HEAD_PUT]);
    db_bind_blob_static(s, 1, seal, 32);
    return db_exec_stmt(db, s, err);
}

int
audit_chain_open(struct db *db, struct audit_chain *c, struct sr_err *err)
{
    assert(db != NULL && c != NULL);
    if (!db_in_transaction(db)) {
        SR_BUG("audit_append outside a transaction");
    }
    if (db_memo_get(db, c, sizeof *c)) {
        return SR_OK; /* this transaction appended: its end is known */
    }
    memset(c, 0, sizeof *c);
    c->next_id = 1;
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_LAST]);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        c->next_id = db_col_i64(s, 0) + 1;
        c->last_ts = db_col_i64(s, 1);
        if (db_col_bytes(s, 2) == 32) {
            memcpy(c->prev, db_col_blob(s, 2), 32);
        }
    } else if (rc != DB_DONE) {
        db_done(s);
        return db_error(db, err, "cannot read audit log");
    }
    db_done(s);
    return SR_OK;
}

int
audit_chain_append(struct db *db, const struct vault *v, struct audit_chain *c,
                   const struct audit_entry *e, struct sr_err *err)
{
    assert(db != NULL && v != NULL && c != NULL && e != NULL &&
           e->action != NULL);
    if (!db_in_transaction(db)) {
        SR_BUG("audit_append outside a transaction");
    }
    int64_t ts = sr_now_ms();
    if (c->last_ts > ts) {
        ts = c->last_ts; /* keep the chain non-decreasing if clocks step */
    }
    const char *rtype = e->record_type ? e->record_type : "";
    const char *rcode = e->record_code ? e->record_code : "";
    const char *detail = e->detail ? e->detail : "";
    unsigned char hash[32];
    row_hash(v, c->prev, c->next_id, ts, e->user_id, e->action, rtype, rcode,
             detail, hash);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_INSERT]);
    db_bind_i64(s, 1, c->next_id);
    db_bind_i64(s, 2, ts);
    db_bind_id(s, 3, e->user_id);
    db_bind_text_static(s, 4, e->action);
    db_bind_text_static(s, 5, rtype);
    db_bind_text_static(s, 6, rcode);
    db_bind_text_static(s, 7, detail);
    db_bind_blob_static(s, 8, c->prev, 32);
    db_bind_blob_static(s, 9, hash, 32);
    int rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        c->next_id++;
        c->last_ts = ts;
        memcpy(c->prev, hash, 32);
        db_memo_put(db, c, sizeof *c);
        db_before_commit(db, seal_end, v); /* the seal follows the end */
        db_commit_note(db);                /* the anchor file, the commit */
    }
    return rc;
}

int
audit_append(struct db *db, const struct vault *v, const struct audit_entry *e,
             struct sr_err *err)
{
    assert(db != NULL && v != NULL && e != NULL && e->action != NULL);
    struct audit_chain c;
    int rc = audit_chain_open(db, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    return audit_chain_append(db, v, &c, e, err);
}

int
audit_finish(struct db *db, const struct vault *v, const struct audit_entry *e,
             int rc, struct sr_err *err)
{
    return db_finish(db, rc == SR_OK ? audit_append(db, v, e, err) : rc, err);
}

/* Where a walk along the chain stands: the row it expects next and what
 * that row must follow. */
struct chain_walk {
    int64_t next_id;        /* id the next row must have (1 at the start) */
    int64_t last_ts;        /* ts of the row before it (ms); 0 at the start */
    unsigned char prev[32]; /* hash of the row before it; zeros at start */
    int64_t n_checked;      /* rows whose hash this walk computed */
    int64_t bad_id;         /* the first broken row; 0 while whole */
    const char *why;        /* why bad_id breaks the chain */
};

/* Walk the rows from w->next_id to the end, moving *w on; stop at the
 * first broken row (w->bad_id, w->why). SR_OK or SR_EDB. */
static int
walk_chain(struct db *db, const struct vault *v, struct chain_walk *w,
           struct sr_err *err)
{
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_WALK_FROM]);
    db_stream(s); /* the chain from a point on: one row at a time */
    db_bind_i64(s, 1, w->next_id - 1);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_i64(s, 0);
        int64_t ts = db_col_i64(s, 1);
        unsigned char calc[32];
        if (id != w->next_id) {
            w->why = "removed rows before it";
        } else if (db_col_bytes(s, 7) != 32 ||
                   memcmp(db_col_blob(s, 7), w->prev, 32) != 0) {
            w->why = "does not follow the row before it";
        } else if (ts < w->last_ts) {
            w->why = "out of time order";
        }
        if (w->why == NULL) {
            w->n_checked++;
            row_hash(v, w->prev, id, ts, db_col_i64(s, 2), db_col_text(s, 3),
                     db_col_text(s, 4), db_col_text(s, 5), db_col_text(s, 6),
                     calc);
            if (db_col_bytes(s, 8) != 32 ||
                sodium_memcmp(db_col_blob(s, 8), calc, 32) != 0) {
                w->why = "altered";
            }
        }
        if (w->why != NULL) {
            w->bad_id = id;
            break;
        }
        memcpy(w->prev, calc, 32);
        w->last_ts = ts;
        w->next_id++;
    }
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot read audit log");
    }
    return SR_OK;
}

/* After a whole walk: the walk ended at the sealed end, not at rows cut
 * short (w->bad_id, w->why otherwise). SR_OK or SR_EDB. */
static int
check_seal(struct db *db, const struct vault *v, struct chain_walk *w,
           struct sr_err *err)
{
    unsigned char seal[32];
    head_seal(v, w->next_id - 1, w->prev, seal);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_HEAD_GET]);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        if (db_col_bytes(s, 0) != 32 ||
            sodium_memcmp(db_col_blob(s, 0), seal, 32) != 0) {
            w->bad_id = w->next_id;
            w->why = "rows removed at its end";
        }
    } else if (rc == DB_DONE && w->next_id > 1) {
        w->bad_id = w->next_id;
        w->why = "its recorded end is missing";
    }
    return db_end(db, s, rc, "cannot read audit log", err);
}

int
audit_verify(struct db *db, const struct vault *v, int64_t *out_bad_id,
             int64_t *out_n_rows, struct sr_err *err)
{
    struct chain_walk w = { 1, 0, { 0 }, 0, 0, NULL };
    int rc = walk_chain(db, v, &w, err);
    if (rc == SR_OK && w.bad_id == 0) {
        rc = check_seal(db, v, &w, err);
    }
    if (rc != SR_OK) {
        return rc;
    }
    if (w.bad_id != 0) {
        *out_bad_id = w.bad_id;
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain broken at row %lld: %s",
                          (long long)w.bad_id, w.why);
    }
    *out_bad_id = 0;
    if (out_n_rows != NULL) {
        *out_n_rows = w.next_id - 1;
    }
    return SR_OK;
}

/* ---- the verification checkpoint ---------------------------------------- */

/* The MAC of a checkpoint at row id with hash. */
static void
checkpoint_mac(const struct vault *v, int64_t id, const unsigned char hash[32],
               unsigned char out[32])
{
    labelled_mac(v, "audit-verified", id, hash, out);
}

static int
checkpoint_put(struct db *db, const struct vault *v, int64_t id,
               const unsigned char hash[32], struct sr_err *err)
{
    unsigned char value[CHECKPOINT_LEN];
    for (int i = 0; i < 8; i++) {
        value[i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
    }
    memcpy(value + 8, hash, 32);
    checkpoint_mac(v, id, hash, value + 40);
    return db_meta_put(db, CHECKPOINT_KEY, value, sizeof value, err);
}

/* What checkpoint_get() found. */
enum checkpoint_state { CP_NONE, CP_OK, CP_ALTERED };

/* The stored checkpoint: *state CP_NONE (none stored), CP_ALTERED (the
 * wrong length, or its MAC does not match: nothing else is set) or CP_OK
 * with *id and hash. SR_OK or SR_EDB. */
static int
checkpoint_get(struct db *db, const struct vault *v,
               enum checkpoint_state *state, int64_t *id,
               unsigned char hash[32], struct sr_err *err)
{
    struct sr_buf b;
    sr_buf_init(&b, 4 * CHECKPOINT_LEN);
    int rc = db_meta_get(db, CHECKPOINT_KEY, &b, err);
    *state = CP_ALTERED;
    if (rc == SR_ENOTFOUND) {
        sr_err_release(err);
        *state = CP_NONE;
        rc = SR_OK;
    } else if (rc == SR_ETOOBIG) {
        sr_err_release(err);
        rc = SR_OK;
    } else if (rc == SR_OK && b.len == CHECKPOINT_LEN) {
        const unsigned char *p = (const unsigned char *)b.data;
        uint64_t n = 0;
        for (int i = 0; i < 8; i++) {
            n = n << 8 | p[i];
        }
        unsigned char want[32];
        checkpoint_mac(v, (int64_t)n, p + 8, want);
        if (n <= INT64_MAX && sodium_memcmp(want, p + 40, 32) == 0) {
            *state = CP_OK;
            *id = (int64_t)n;
            memcpy(hash, p + 8, 32);
        }
    }
    sr_buf_release(&b);
    return rc;
}

/* Move the checkpoint on to row id with hash, in a write transaction of
 * its own: only forward (another thread's newer one stays), and over one
 * that does not check only when is_forced (a full walk found the chain
 * whole). A failure
 * is logged and changes nothing: the next verification walks further. */
static void
checkpoint_save(struct db *db, const struct vault *v, int64_t id,
                const unsigned char hash[32], int is_forced)
{
    struct sr_err err = { 0 };
    enum checkpoint_state state = CP_NONE;
    int64_t old_id = 0;
    unsigned char old_hash[32];
    int rc = db_begin_write(db, &err);
    if (rc == SR_OK) {
        rc = checkpoint_get(db, v, &state, &old_id, old_hash, &err);
    }
    if (rc == SR_OK &&
        (is_forced || state == CP_NONE || (state == CP_OK && old_id < id))) {
        rc = checkpoint_put(db, v, id, hash, &err);
    }
    rc = db_finish(db, rc, &err);
    if (rc != SR_OK) {
        LOG(LOG_WARN, "event=audit_checkpoint_not_saved row=%lld reason=\"%s\"",
            (long long)id, sr_err_msg(&err));
    }
    sr_err_release(&err);
}

/* Whether the checkpoint at row id with hash still holds: the row is there
 * with that hash. NULL and w set to go on after it; else why not, and
 * *bad_id the row to name. SR_OK or SR_EDB. */
static int
checkpoint_check(struct db *db, int64_t id, const unsigned char hash[32],
                 struct chain_walk *w, const char **why, int64_t *bad_id,
                 struct sr_err *err)
{
    *why = NULL;
    if (id == 0) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_ROW_AT]);
    db_bind_i64(s, 1, id);
    int step = db_step(s);
    int is_same = step == DB_ROW && db_col_bytes(s, 1) == 32 &&
                  sodium_memcmp(db_col_blob(s, 1), hash, 32) == 0;
    int64_t ts = step == DB_ROW ? db_col_i64(s, 0) : 0;
    int rc = db_end(db, s, step, "cannot read audit log", err);
    if (rc != SR_OK) {
        return rc;
    }
    if (is_same) {
        w->next_id = id + 1;
        w->last_ts = ts;
        memcpy(w->prev, hash, 32);
        return SR_OK;
    }
    *bad_id = id;
    if (step == DB_ROW) {
        *why = "its row no longer has the hash it recorded";
        return SR_OK;
    }
    int64_t rows = 0;
    unsigned char last[32];
    rc = audit_head(db, &rows, last, err);
    if (rc == SR_OK && rows < id) {
        *why = "it is past the chain's end";
        *bad_id = rows + 1;
    } else if (rc == SR_OK) {
        *why = "its row is missing";
    }
    return rc;
}

int
audit_verify_since(struct db *db, const struct vault *v, int flags,
                   struct audit_verify_report *out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && out != NULL);
    if (db_in_transaction(db)) {
        SR_BUG("audit_verify_since inside a transaction");
    }
    memset(out, 0, sizeof *out);
    int is_full = (flags & AUDIT_VERIFY_FULL) != 0;
    struct chain_walk w = { 1, 0, { 0 }, 0, 0, NULL };
    enum checkpoint_state state = CP_NONE;
    int64_t cp_id = 0, cp_bad = 0;
    unsigned char cp_hash[32];
    const char *cp_why = NULL;
    /* one snapshot: appends committed meanwhile move the seal on */
    int rc = db_begin_read(db, err);
    if (rc == SR_OK) {
        rc = checkpoint_get(db, v, &state, &cp_id, cp_hash, err);
    }
    if (rc == SR_OK && state == CP_ALTERED) {
        cp_why = "it was altered (its MAC does not match)";
    } else if (rc == SR_OK && state == CP_OK) {
        struct chain_walk at = w;
        rc = checkpoint_check(db, cp_id, cp_hash, &at, &cp_why, &cp_bad, err);
        if (rc == SR_OK && cp_why == NULL && !is_full) {
            w = at;
            out->from_id = cp_id;
        }
    }
    if (rc == SR_OK && cp_why != NULL) {
        out->is_checkpoint_bad = 1;
        LOG(LOG_WARN, "event=audit_checkpoint_refused row=%lld reason=\"%s\"",
            (long long)cp_bad, cp_why);
    }
    if (rc == SR_OK && (cp_why == NULL || is_full)) {
        rc = walk_chain(db, v, &w, err);
        if (rc == SR_OK && w.bad_id == 0) {
            rc = check_seal(db, v, &w, err);
        }
    }
    if (db_in_transaction(db)) {
        db_rollback(db); /* it only read */
    }
    if (rc != SR_OK) {
        return rc;
    }
    out->n_checked = w.n_checked;
    char at[48] = "";
    if (cp_bad > 0) {
        snprintf(at, sizeof at, " (row %lld)", (long long)cp_bad);
    }
    if (w.bad_id != 0) {
        out->bad_id = w.bad_id;
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain broken at row %lld: %s",
                          (long long)w.bad_id, w.why);
    }
    if (cp_why != NULL && !is_full) {
        out->bad_id = cp_bad;
        return sr_err_set(err, SR_ECONFLICT,
                          "audit verification checkpoint refused: %s%s; the "
                          "log or the checkpoint was tampered with; 'siren "
                          "audit verify --full' checks every row",
                          cp_why, at);
    }
    out->n_rows = w.next_id - 1;
    if ((flags & AUDIT_VERIFY_NO_SAVE) == 0 && out->n_rows > 0 &&
        (out->n_rows > cp_id || cp_why != NULL)) {
        checkpoint_save(db, v, out->n_rows, w.prev, cp_why != NULL);
    }
    if (cp_why != NULL) {
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain whole (%lld rows), but its "
                          "verification checkpoint was refused: %s%s; it "
                          "was tampered with, and is now replaced",
                          (long long)out->n_rows, cp_why, at);
    }
    return SR_OK;
}

/* What audit_reseal_step() carries from row to row. */
struct reseal_walk {
    struct db *db;
    const struct vault *old_v, *new_v;
    struct audit_reseal *r;
    const char *why; /* set when the old chain breaks */
    int64_t bad_id;
    int n_rows;
    int rc;
    struct sr_err *err;
};

static int
reseal_row(struct db_stmt *s, void *p)
{
    struct reseal_walk *w = p;
    struct audit_reseal *r = w->r;
    int64_t id = db_col_i64(s, 0), ts = db_col_i64(s, 1);
    const char *f[4] = { db_col_text(s, 3), db_col_text(s, 4),
                         db_col_text(s, 5), db_col_text(s, 6) };
    unsigned char calc[32], fresh[32];
    w->n_rows++;
    if (id != r->last_id + 1) {
        w->why = "removed rows before it";
    } else if (db_col_bytes(s, 7) != 32 ||
               memcmp(db_col_blob(s, 7), r->old_prev, 32) != 0) {
        w->why = "does not follow the row before it";
    } else if (ts < r->last_ts) {
        w->why = "out of time order";
    }
    if (w->why == NULL) {
        row_hash(w->old_v, r->old_prev, id, ts, db_col_i64(s, 2), f[0], f[1],
                 f[2], f[3], calc);
        if (db_col_bytes(s, 8) != 32 ||
            sodium_memcmp(db_col_blob(s, 8), calc, 32) != 0) {
            w->why = "altered";
        }
    }
    if (w->why != NULL) {
        w->bad_id = id;
        return 1;
    }
    row_hash(w->new_v, r->new_prev, id, ts, db_col_i64(s, 2), f[0], f[1], f[2],
             f[3], fresh);
    struct db_stmt *u = db_stmt(w->db, &audit_sql[AU_RESEAL_SET]);
    db_bind_i64(u, 1, id);
    db_bind_blob(u, 2, r->new_prev, 32);
    db_bind_blob(u, 3, fresh, 32);
    w->rc = db_exec_stmt(w->db, u, w->err);
    if (w->rc != SR_OK) {
        return 1;
    }
    r->last_id = id;
    r->last_ts = ts;
    memcpy(r->old_prev, calc, 32);
    memcpy(r->new_prev, fresh, 32);
    return 0;
}

int
audit_reseal_step(struct db *db, const struct vault *old_v,
                  const struct vault *new_v, struct audit_reseal *r, int n_rows,
                  int *out_is_done, struct sr_err *err)
{
    assert(db != NULL && old_v != NULL && new_v != NULL && r != NULL);
    assert(n_rows > 0 && out_is_done != NULL);
    if (!db_in_transaction(db)) {
        SR_BUG("audit_reseal_step outside a transaction");
    }
    /* the rows' hashes change under the new key: no end kept from an
     * append, and no seal under the old key at the commit */
    db_memo_put(db, NULL, 0);
    db_before_commit(db, NULL, NULL);
    struct reseal_walk w = { db, old_v, new_v, r, NULL, 0, 0, SR_OK, err };
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_RESEAL_NEXT]);
    db_bind_i64(s, 1, r->last_id);
    db_bind_int(s, 2, n_rows);
    int rc = db_each(db, s, reseal_row, &w, "cannot read audit log", err);
    if (rc == SR_OK && w.rc != SR_OK) {
        rc = w.rc;
    }
    if (rc == SR_OK && w.why != NULL) {
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain broken at row %lld: %s",
                          (long long)w.bad_id, w.why);
    }
    *out_is_done = 0;
    if (rc != SR_OK || w.n_rows == n_rows) {
        return rc;
    }
    /* the end: its seal under the old key, then under the new one */
    unsigned char seal[32];
    head_seal(old_v, r->last_id, r->old_prev, seal);
    s = db_stmt(db, &audit_sql[AU_HEAD_GET]);
    int step = db_step(s);
    int is_sealed = step == DB_ROW && db_col_bytes(s, 0) == 32 &&
                    sodium_memcmp(db_col_blob(s, 0), seal, 32) == 0;
    rc = db_end(db, s, step, "cannot read audit log", err);
    if (rc == SR_OK && !is_sealed && r->last_id > 0) {
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain broken at row %lld: rows removed at "
                          "its end",
                          (long long)r->last_id + 1);
    }
    if (rc == SR_OK) {
        head_seal(new_v, r->last_id, r->new_prev, seal);
        s = db_stmt(db, &audit_sql[AU_HEAD_PUT]);
        db_bind_blob(s, 1, seal, 32);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK && r->last_id > 0) {
        /* every row was checked above: the checkpoint moves to the end */
        rc = checkpoint_put(db, new_v, r->last_id, r->new_prev, err);
    }
    if (rc == SR_OK) {
        *out_is_done = 1;
    }
    return rc;
}

/* audit_list()'s caller and what db_each() hands each row to. */
struct audit_visit {
    int (*fn)(const struct audit_row *row, void *ctx);
    void *ctx;
};

static int
visit_row(struct db_stmt *s, void *p)
{
    const struct audit_visit *v = p;
    struct audit_row r = {
        .id = db_col_i64(s, 0),
        .ts_ms = db_col_i64(s, 1),
        .user_id = db_col_i64(s, 2),
        .username = db_col_text(s, 3),
        .action = db_col_text(s, 4),
        .record_type = db_col_text(s, 5),
        .record_code = db_col_text(s, 6),
        .detail = db_col_text(s, 7),
    };
    return v->fn(&r, v->ctx);
}

/* Bind a listing's statement (LIST_WHERE): f, the cursor before_id (0 =
 * none) and LIMIT limit (?8). */
static void
bind_list(struct db_stmt *s, const struct audit_filter *f, int64_t before_id,
          int64_t limit)
{
    db_bind_i64(s, 1, f->user_id);
    db_bind_text(s, 2, f->action ? f->action : "");
    db_bind_text(s, 3, f->record_type ? f->record_type : "");
    db_bind_text(s, 4, f->record_code ? f->record_code : "");
    db_bind_i64(s, 5, f->from_ms);
    db_bind_i64(s, 6, f->to_ms);
    db_bind_i64(s, 7, before_id);
    db_bind_i64(s, 8, limit);
}

int
audit_list(struct db *db, const struct audit_filter *f,
           int (*fn)(const struct audit_row *row, void *ctx), void *ctx,
           struct sr_err *err)
{
    int limit = f->limit <= 0 ? 100 : (f->limit > 1000 ? 1000 : f->limit);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_LIST]);
    bind_list(s, f, f->before_id, limit);
    struct audit_visit visit = { fn, ctx };
    return db_each(db, s, visit_row, &visit, "cannot list audit log", err);
}

int
audit_list_count(struct db *db, const struct audit_filter *f, int64_t cap,
                 int64_t *n_matches, struct sr_err *err)
{
    assert(db != NULL && f != NULL && n_matches != NULL);
    assert(cap >= 0 && cap < INT64_MAX);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_LIST_COUNT]);
    bind_list(s, f, 0, cap + 1);
    int step = db_step(s);
    int64_t n = step == DB_ROW ? db_col_i64(s, 0) : 0;
    int rc = db_end(db, s, step, "cannot count audit log", err);
    if (rc == SR_OK) {
        *n_matches = n;
    }
    return rc;
}

int
audit_seal_pending(struct db *db, const struct vault *v, struct sr_err *err)
{
    assert(db != NULL && v != NULL);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_PENDING]);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_DONE) {
        return SR_OK;
    }
    if (rc != DB_ROW) {
        return db_error(db, err, "cannot read audit log");
    }
    rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    s = db_stmt(db, &audit_sql[AU_LAST]);
    rc = db_step(s);
    if (rc == DB_ROW && db_col_bytes(s, 2) == 32) {
        unsigned char seal[32];
        head_seal(v, db_col_i64(s, 0), db_col_blob(s, 2), seal);
        db_done(s);
        s = db_stmt(db, &audit_sql[AU_HEAD_PUT]);
        db_bind_blob_static(s, 1, seal, 32);
        rc = db_exec_stmt(db, s, err);
    } else {
        db_done(s);
        rc = rc == DB_ROW || rc == DB_DONE
                 ? SR_OK
                 : db_error(db, err, "cannot read audit log");
    }
    if (rc == SR_OK) {
        rc = db_exec_stmt(db, db_stmt(db, &audit_sql[AU_PENDING_DONE]), err);
    }
    return db_finish(db, rc, err);
}

/* ---- the anchor outside the database ------------------------------------ */

#define ANCHOR_MAGIC "siren-audit-head: 1\n"
#define EXPORT_MAGIC "siren-audit-export: 1\n"
#define SIGN_CONTEXT "siren-audit-export-signing-key/1"

int
audit_head(struct db *db, int64_t *out_rows, unsigned char out_hash[32],
           struct sr_err *err)
{
    assert(db != NULL && out_rows != NULL && out_hash != NULL);
    struct audit_chain c;
    if (db_memo_get(db, &c, sizeof c)) {
        /* the end this transaction's appends left (audit_chain_append) */
        *out_rows = c.next_id - 1;
        memcpy(out_hash, c.prev, 32);
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_LAST]);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *out_rows = db_col_i64(s, 0);
        if (db_col_bytes(s, 2) == 32) {
            memcpy(out_hash, db_col_blob(s, 2), 32);
        } else {
            memset(out_hash, 0, 32);
        }
    } else if (rc == DB_DONE) {
        *out_rows = 0;
        memset(out_hash, 0, 32);
    }
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot read audit log");
    }
    return SR_OK;
}

/* The MAC of the anchor's lines, a different message from a row's hash
 * and from the in-database seal (its first field differs). */
static void
anchor_mac(const struct vault *v, const char *lines, size_t len,
           unsigned char out[32])
{
    struct sr_buf b;
    sr_buf_init(&b, 0);
    put_text(&b, "audit-anchor-file");
    put_field(&b, lines, len);
    vault_audit_mac(v, b.data, b.len, out);
    sr_buf_release(&b);
}

void
audit_anchor_format(const struct vault *v, int64_t rows,
                    const unsigned char hash[32], struct sr_buf *out)
{
    assert(v != NULL && hash != NULL && out != NULL);
    char hex[65], machex[65];
    unsigned char mac[32];
    sr_buf_reset(out);
    vault_hex(hash, 32, hex);
    sr_buf_printf(out, ANCHOR_MAGIC "rows: %lld\nhash: %s\n", (long long)rows,
                  hex);
    anchor_mac(v, out->data, out->len, mac);
    vault_hex(mac, 32, machex);
    sr_buf_printf(out, "mac: %s\n", machex);
}

/* "name: value\n" at *p: value copied into out (size bytes), *p moved on. */
static int
take_line(const char **p, const char *end, const char *name, char *out,
          size_t size)
{
    size_t nl = strlen(name);
    const char *eol = memchr(*p, '\n', (size_t)(end - *p));
    if (eol == NULL || (size_t)(eol - *p) < nl + 2 ||
        memcmp(*p, name, nl) != 0 || (*p)[nl] != ':' || (*p)[nl + 1] != ' ' ||
        (size_t)(eol - *p) - nl - 2 >= size) {
        return -1;
    }
    size_t vl = (size_t)(eol - *p) - nl - 2;
    memcpy(out, *p + nl + 2, vl);
    out[vl] = '\0';
    *p = eol + 1;
    return 0;
}

int
audit_anchor_parse(const struct vault *v, const char *text, size_t len,
                   int64_t *out_rows, unsigned char out_hash[32],
                   struct sr_err *err)
{
    assert(v != NULL && text != NULL);
    const char *p = text, *end = text + len;
    char rows_s[32], hash_s[80], mac_s[80];
    long long rows = 0;
    unsigned char hash[32], mac[32], want[32];
    size_t magic_len = sizeof ANCHOR_MAGIC - 1;
    if (len < magic_len || memcmp(p, ANCHOR_MAGIC, magic_len) != 0) {
        return sr_err_set(err, SR_EINVAL, "not an audit anchor file");
    }
    p += magic_len;
    if (take_line(&p, end, "rows", rows_s, sizeof rows_s) != 0 ||
        sr_parse_i64(rows_s, 0, INT64_MAX, &rows) != SR_OK ||
        take_line(&p, end, "hash", hash_s, sizeof hash_s) != 0 ||
        vault_unhex(hash_s, hash, 32) != 0) {
        return sr_err_set(err, SR_EINVAL, "audit anchor file is malformed");
    }
    size_t signed_len = (size_t)(p - text);
    if (take_line(&p, end, "mac", mac_s, sizeof mac_s) != 0 ||
        vault_unhex(mac_s, mac, 32) != 0 || p != end) {
        return sr_err_set(err, SR_EINVAL, "audit anchor file is malformed");
    }
    anchor_mac(v, text, signed_len, want);
    if (sodium_memcmp(mac, want, 32) != 0) {
        return sr_err_set(err, SR_ECRYPTO,
                          "audit anchor file was altered or is of another "
                          "workspace (its MAC does not match)");
    }
    *out_rows = (int64_t)rows;
    memcpy(out_hash, hash, 32);
    return SR_OK;
}

int
audit_anchor_check(struct db *db, int64_t rows, const unsigned char hash[32],
                   struct sr_err *err)
{
    assert(db != NULL && hash != NULL);
    int64_t db_rows;
    unsigned char db_hash[32];
    int rc = audit_head(db, &db_rows, db_hash, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (db_rows < rows) {
        return sr_err_set(err, SR_ECONFLICT,
                          "audit log is behind its anchor: the database ends "
                          "at row %lld but the anchor records row %lld (rows "
                          "removed at the end, or an older copy of the "
                          "database)",
                          (long long)db_rows, (long long)rows);
    }
    if (rows == 0) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_HASH_OF]);
    db_bind_i64(s, 1, rows);
    rc = db_step(s);
    int is_same = rc == DB_ROW && db_col_bytes(s, 0) == 32 &&
                  sodium_memcmp(db_col_blob(s, 0), hash, 32) == 0;
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot read audit log");
    }
    if (!is_same) {
        return sr_err_set(err, SR_ECONFLICT,
                          "audit log differs from its anchor: row %lld is "
                          "%s (rows replaced)",
                          (long long)rows,
                          rc == DB_ROW ? "not the row anchored" : "missing");
    }
    return SR_OK;
}

/* The export's signing key pair: seed = the vault's keyed hash of the
 * context, so it is the workspace's and needs nothing stored. */
static int
export_keys(const struct vault *v, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
            unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    int rc = vault_audit_mac(v, SIGN_CONTEXT, sizeof SIGN_CONTEXT - 1, seed);
    if (rc == SR_OK && crypto_sign_seed_keypair(pk, sk, seed) != 0) {
        rc = SR_ECRYPTO;
    }
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int
audit_export(struct db *db, const struct vault *v, const char *workspace_id,
             int64_t now_ms, struct sr_buf *out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && workspace_id != NULL && out != NULL);
    int64_t rows;
    unsigned char hash[32];
    int rc = audit_head(db, &rows, hash, err);
    if (rc != SR_OK) {
        return rc;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    if (sk == NULL) {
        return sr_err_set(err, SR_ENOMEM, "audit export: no memory");
    }
    if (export_keys(v, pk, sk) != SR_OK) {
        sodium_free(sk);
        return sr_err_set(err, SR_ECRYPTO, "audit export: cannot derive key");
    }
    char hex[65], pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    char sighex[2 * crypto_sign_BYTES + 1], when[32];
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    vault_hex(hash, 32, hex);
    vault_hex(pk, sizeof pk, pkhex);
    sr_buf_reset(out);
    sr_buf_printf(out,
                  EXPORT_MAGIC "workspace: %s\nrows: %lld\nhash: %s\n"
                               "time: %s\npublic-key: %s\n",
                  workspace_id, (long long)rows, hex, when, pkhex);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)out->data, out->len,
                         sk);
    sodium_free(sk);
    vault_hex(sig, sizeof sig, sighex);
    if (sr_buf_printf(out, "signature: %s\n", sighex) != SR_OK) {
        return sr_err_set(err, SR_ETOOBIG, "audit export: too long");
    }
    return SR_OK;
}

int
audit_export_check(const char *text, size_t len, struct audit_export_info *out,
                   struct sr_err *err)
{
    assert(text != NULL && out != NULL);
    const char *p = text, *end = text + len;
    struct audit_export_info info;
    memset(&info, 0, sizeof info);
    char rows_s[32], hash_s[80], pk_s[80], sig_s[160];
    long long rows = 0;
    unsigned char sig[crypto_sign_BYTES];
    size_t magic_len = sizeof EXPORT_MAGIC - 1;
    if (len < magic_len || memcmp(p, EXPORT_MAGIC, magic_len) != 0) {
        return sr_err_set(err, SR_EINVAL, "not a SIREN audit export");
    }
    p += magic_len;
    if (take_line(&p, end, "workspace", info.workspace_id,
                  sizeof info.workspace_id) != 0 ||
        take_line(&p, end, "rows", rows_s, sizeof rows_s) != 0 ||
        sr_parse_i64(rows_s, 0, INT64_MAX, &rows) != SR_OK ||
        take_line(&p, end, "hash", hash_s, sizeof hash_s) != 0 ||
        vault_unhex(hash_s, info.hash, 32) != 0 ||
        take_line(&p, end, "time", info.time, sizeof info.time) != 0 ||
        take_line(&p, end, "public-key", pk_s, sizeof pk_s) != 0 ||
        vault_unhex(pk_s, info.public_key, sizeof info.public_key) != 0) {
        return sr_err_set(err, SR_EINVAL, "audit export is malformed");
    }
    size_t signed_len = (size_t)(p - text);
    if (take_line(&p, end, "signature", sig_s, sizeof sig_s) != 0 ||
        vault_unhex(sig_s, sig, sizeof sig) != 0 || p != end) {
        return sr_err_set(err, SR_EINVAL, "audit export is malformed");
    }
    if (crypto_sign_verify_detached(sig, (const unsigned char *)text,
                                    signed_len, info.public_key) != 0) {
        return sr_err_set(err, SR_ECRYPTO,
                          "audit export's signature does not verify (the "
                          "export was altered)");
    }
    info.rows = (int64_t)rows;
    *out = info;
    return SR_OK;
}

int
audit_export_match(struct db *db, const struct vault *v,
                   const struct audit_export_info *x, struct sr_err *err)
{
    assert(db != NULL && v != NULL && x != NULL);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
    if (sk == NULL) {
        return sr_err_set(err, SR_ENOMEM, "audit export: no memory");
    }
    int rc = export_keys(v, pk, sk);
    sodium_free(sk);
    if (rc != SR_OK) {
        return sr_err_set(err, SR_ECRYPTO, "audit export: cannot derive key");
    }
    if (sodium_memcmp(pk, x->public_key, sizeof pk) != 0) {
        return sr_err_set(err, SR_ECRYPTO,
                          "audit export was signed by another workspace's "
                          "key, or before a key rotation (siren rekey)");
    }
    return audit_anchor_check(db, x->rows, x->hash, err);
}
