/*
 * audit.c - append to and verify the hash-chained audit table.
 *
 * Owns the audit table and its SQL (the list also follows a contact's
 * import_audit_id to the contact.import row of its bulk import). Row
 * hash = keyed BLAKE2b-256 over prev_hash || id || ts || user_id ||
 * action || record_type || record_code || detail, each field
 * length-prefixed so no two rows can serialise alike. The chain's end is
 * sealed in meta 'audit_head' (keyed MAC over the last row's id and hash),
 * so removing rows at the end is seen too. Must not be given identities
 * in any field.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/audit.h"

#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/clock.h"
#include "base/vault.h"
#include "core/banned.h"

enum audit_stmt {
    AU_LAST,
    AU_INSERT,
    AU_WALK,
    AU_LIST,
    AU_HEAD_PUT,
    AU_HEAD_GET,
    AU_PENDING,
    AU_PENDING_DONE,
    AU__COUNT
};

static const char *const audit_sql[AU__COUNT] = {
    [AU_LAST] = "SELECT id, ts, hash"
                "  FROM audit"
                " ORDER BY id DESC"
                " LIMIT 1",
    [AU_INSERT] = "INSERT INTO audit(id, ts, user_id, action, record_type,"
                  "                  record_code, detail, prev_hash, hash)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [AU_WALK] = "SELECT id, ts, user_id, action, record_type, record_code,"
                "       detail, prev_hash, hash"
                "  FROM audit"
                " ORDER BY id",
    [AU_LIST] = "SELECT a.id, a.ts, coalesce(a.user_id, 0),"
                "       coalesce(u.username, ''), a.action, a.record_type,"
                "       a.record_code, a.detail"
                "  FROM audit AS a"
                "  LEFT JOIN user AS u ON u.id = a.user_id"
                " WHERE (?1 = 0 OR a.user_id = ?1)"
                "   AND (?2 = '' OR a.action = ?2"
                "        OR (substr(?2, -1) = '.'"
                "            AND substr(a.action, 1, length(?2)) = ?2))"
                "   AND (?3 = '' OR a.record_type = ?3)"
                "   AND (?4 = '' OR a.record_code = ?4"
                /* a contact written by a bulk import names the import's
                 * one contact.import row (docs/contacts.md, Bulk load) */
                "        OR (a.action = 'contact.import'"
                "            AND ?3 IN ('', 'contact')"
                "            AND a.id = (SELECT c.import_audit_id"
                "                          FROM contact AS c"
                "                         WHERE c.code = ?4)))"
                "   AND (?5 = 0 OR a.ts >= ?5)"
                "   AND (?6 = 0 OR a.ts <= ?6)"
                "   AND (?7 = 0 OR a.id < ?7)"
                " ORDER BY a.id DESC"
                " LIMIT ?8",
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
};

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

/* The seal of a chain ending at row id with hash: a keyed MAC that a
 * copy of a row's hash cannot stand in for (its first field differs). */
static void
head_seal(const struct vault *v, int64_t id, const unsigned char hash[32],
          unsigned char out[32])
{
    struct sr_buf b;
    char num[32];
    sr_buf_init(&b, 0);
    put_text(&b, "audit-head");
    snprintf(num, sizeof num, "%lld", (long long)id);
    put_text(&b, num);
    put_field(&b, hash, 32);
    vault_audit_mac(v, b.data, b.len, out);
    sr_buf_release(&b);
}

int
audit_chain_open(struct db *db, struct audit_chain *c, struct sr_err *err)
{
    assert(db != NULL && c != NULL);
    if (!db_in_transaction(db)) {
        SR_BUG("audit_append outside a transaction");
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
    if (e->user_id > 0) {
        db_bind_i64(s, 3, e->user_id);
    } else {
        db_bind_null(s, 3);
    }
    db_bind_text_static(s, 4, e->action);
    db_bind_text_static(s, 5, rtype);
    db_bind_text_static(s, 6, rcode);
    db_bind_text_static(s, 7, detail);
    db_bind_blob_static(s, 8, c->prev, 32);
    db_bind_blob_static(s, 9, hash, 32);
    int rc = db_exec_stmt(db, s, err);
    if (rc == SR_OK) {
        unsigned char seal[32];
        head_seal(v, c->next_id, hash, seal);
        s = db_stmt(db, &audit_sql[AU_HEAD_PUT]);
        db_bind_blob_static(s, 1, seal, 32);
        rc = db_exec_stmt(db, s, err);
    }
    if (rc == SR_OK) {
        c->next_id++;
        c->last_ts = ts;
        memcpy(c->prev, hash, 32);
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
audit_verify(struct db *db, const struct vault *v, int64_t *out_bad_id,
             int64_t *out_n_rows, struct sr_err *err)
{
    unsigned char prev[32] = { 0 };
    int64_t want_id = 1, last_ts = 0, n = 0, bad = 0;
    const char *why = NULL;
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_WALK]);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_i64(s, 0);
        int64_t ts = db_col_i64(s, 1);
        unsigned char calc[32];
        n++;
        if (id != want_id) {
            bad = id;
            why = "removed rows before it";
            break;
        }
        if (db_col_bytes(s, 7) != 32 ||
            memcmp(db_col_blob(s, 7), prev, 32) != 0) {
            bad = id;
            why = "does not follow the row before it";
            break;
        }
        if (ts < last_ts) {
            bad = id;
            why = "out of time order";
            break;
        }
        row_hash(v, prev, id, ts, db_col_i64(s, 2), db_col_text(s, 3),
                 db_col_text(s, 4), db_col_text(s, 5), db_col_text(s, 6), calc);
        if (db_col_bytes(s, 8) != 32 ||
            sodium_memcmp(db_col_blob(s, 8), calc, 32) != 0) {
            bad = id;
            why = "altered";
            break;
        }
        memcpy(prev, calc, 32);
        last_ts = ts;
        want_id++;
    }
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot read audit log");
    }
    if (bad == 0) {
        /* the walk ended at the sealed end, not at rows cut short */
        unsigned char seal[32];
        head_seal(v, want_id - 1, prev, seal);
        s = db_stmt(db, &audit_sql[AU_HEAD_GET]);
        rc = db_step(s);
        if (rc == DB_ROW) {
            if (db_col_bytes(s, 0) != 32 ||
                sodium_memcmp(db_col_blob(s, 0), seal, 32) != 0) {
                bad = want_id;
                why = "rows removed at its end";
            }
        } else if (rc == DB_DONE && n > 0) {
            bad = want_id;
            why = "its recorded end is missing";
        }
        db_done(s);
        if (rc != DB_ROW && rc != DB_DONE) {
            return db_error(db, err, "cannot read audit log");
        }
    }
    if (bad != 0) {
        *out_bad_id = bad;
        return sr_err_set(err, SR_ECONFLICT,
                          "audit chain broken at row %lld: %s", (long long)bad,
                          why);
    }
    *out_bad_id = 0;
    if (out_n_rows != NULL) {
        *out_n_rows = n;
    }
    return SR_OK;
}

int
audit_list(struct db *db, const struct audit_filter *f,
           int (*fn)(const struct audit_row *row, void *ctx), void *ctx,
           struct sr_err *err)
{
    int limit = f->limit <= 0 ? 100 : (f->limit > 1000 ? 1000 : f->limit);
    struct db_stmt *s = db_stmt(db, &audit_sql[AU_LIST]);
    db_bind_i64(s, 1, f->user_id);
    db_bind_text(s, 2, f->action ? f->action : "");
    db_bind_text(s, 3, f->record_type ? f->record_type : "");
    db_bind_text(s, 4, f->record_code ? f->record_code : "");
    db_bind_i64(s, 5, f->from_ms);
    db_bind_i64(s, 6, f->to_ms);
    db_bind_i64(s, 7, f->before_id);
    db_bind_int(s, 8, limit);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
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
        if (fn(&r, ctx) != 0) {
            break;
        }
    }
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE) {
        return db_error(db, err, "cannot list audit log");
    }
    return SR_OK;
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
