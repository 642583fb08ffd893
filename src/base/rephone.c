/*
 * rephone.c - stored phones rewritten in E.164 (rephone.h).
 *
 * One loop over three kinds of row, each given by a statement that reads
 * a batch (id, ciphertext, country, province) after an id and one that
 * writes the new ciphertext and index, and the table and column the
 * ciphertext is bound to (vault_encrypt()'s associated data).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/rephone.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/field.h"
#include "core/phone.h"
#include "core/banned.h"

enum rephone_stmt {
    RP_PENDING,
    RP_DONE,
    RP_CONTACT_SEL,
    RP_CONTACT_SET,
    RP_PERSON_SEL,
    RP_PERSON_SET,
    RP_IDENT_SEL,
    RP_IDENT_SET,
    RP__COUNT
};

static const char *const rephone_sql[RP__COUNT] = {
    [RP_PENDING] = "SELECT 1 FROM meta WHERE key = 'phone_e164_pending'",
    [RP_DONE] = "DELETE FROM meta WHERE key = 'phone_e164_pending'",
    [RP_CONTACT_SEL] = "SELECT id, caller_phone, caller_country,"
                       "       caller_province"
                       "  FROM contact"
                       " WHERE id > ?1 AND caller_phone IS NOT NULL"
                       " ORDER BY id LIMIT ?2",
    [RP_CONTACT_SET] = "UPDATE contact"
                       "   SET caller_phone = ?2, caller_phone_idx = ?3"
                       " WHERE id = ?1",
    [RP_PERSON_SEL] = "SELECT id, phone, '', ''"
                      "  FROM person"
                      " WHERE id > ?1 AND phone IS NOT NULL"
                      " ORDER BY id LIMIT ?2",
    [RP_PERSON_SET] = "UPDATE person SET phone = ?2, phone_idx = ?3"
                      " WHERE id = ?1",
    [RP_IDENT_SEL] = "SELECT i.id, i.value, e.country, ''"
                     "  FROM entity_identifier AS i"
                     "  JOIN entity AS e ON e.id = i.entity_id"
                     " WHERE i.id > ?1 AND i.kind = 'phone'"
                     " ORDER BY i.id LIMIT ?2",
    [RP_IDENT_SET] = "UPDATE entity_identifier"
                     "   SET value = ?2, value_idx = ?3"
                     " WHERE id = ?1",
};

/* One kind of row holding a phone. */
struct phone_table {
    enum rephone_stmt sel, set;
    const char *table, *column; /* the ciphertext's binding */
};

static const struct phone_table tables[] = {
    { RP_CONTACT_SEL, RP_CONTACT_SET, "contact", "caller_phone" },
    { RP_PERSON_SEL, RP_PERSON_SET, "person", "phone" },
    { RP_IDENT_SEL, RP_IDENT_SET, "entity_identifier", "value" },
};

/* A row of a batch, copied out before the writes. */
struct phone_row {
    int64_t id;
    struct sr_buf blob;
    char country[4], province[16];
};

/* Row r's phone in its form, written when it differs; *n counts. */
static int
rewrite(struct db *db, const struct vault *v, const struct phone_table *t,
        const struct phone_row *r, const char *region, int64_t *n,
        struct sr_err *err)
{
    struct sr_buf old, enc;
    sr_buf_init(&old, 0);
    sr_buf_init(&enc, 0);
    char form[PHONE_MAX];
    unsigned char idx[32];
    int rc = vault_decrypt(v, t->table, t->column, r->id, r->blob.data,
                           r->blob.len, &old, err);
    int got = -1;
    if (rc == SR_OK) {
        const char *country = field_country_of(r->country, r->province);
        got = phone_e164(old.data, phone_region_or(country, region), form,
                         sizeof form);
    }
    if (rc == SR_OK && got >= 0 && form[0] != '\0' &&
        strcmp(form, old.data) != 0) {
        rc = vault_encrypt(v, t->table, t->column, r->id, form, strlen(form),
                           &enc, err);
        if (rc == SR_OK) {
            rc = vault_blind_index(v, "phone", form, strlen(form), idx, err);
        }
        if (rc == SR_OK) {
            struct db_stmt *s = db_stmt(db, &rephone_sql[t->set]);
            db_bind_i64(s, 1, r->id);
            db_bind_blob_static(s, 2, enc.data, enc.len);
            db_bind_blob(s, 3, idx, sizeof idx);
            rc = db_exec_stmt(db, s, err);
            *n += rc == SR_OK;
        }
    }
    sodium_memzero(form, sizeof form);
    vault_buf_wipe(&old);
    vault_buf_wipe(&enc);
    return rc;
}

/* The rows of t after *after, a batch per write transaction. */
static int
rewrite_table(struct db *db, const struct vault *v, const struct phone_table *t,
              const char *region, int64_t *n, struct sr_err *err)
{
    struct phone_row *rows = sr_xcalloc(REPHONE_BATCH, sizeof rows[0]);
    int64_t after = 0;
    for (;;) {
        int rc = db_begin_write(db, err);
        if (rc != SR_OK) {
            free(rows);
            return rc;
        }
        int n_rows = 0, step = DB_DONE;
        struct db_stmt *s = db_stmt(db, &rephone_sql[t->sel]);
        db_bind_i64(s, 1, after);
        db_bind_int(s, 2, REPHONE_BATCH);
        while (n_rows < REPHONE_BATCH && (step = db_step(s)) == DB_ROW) {
            struct phone_row *r = &rows[n_rows++];
            r->id = db_col_i64(s, 0);
            const void *b = db_col_blob(s, 1);
            sr_buf_init(&r->blob, 0);
            if (sr_buf_add(&r->blob, b, db_col_bytes(s, 1)) != SR_OK) {
                rc = sr_err_set(err, SR_ETOOBIG, "%s: a phone too long",
                                t->table);
            }
            snprintf(r->country, sizeof r->country, "%s", db_col_text(s, 2));
            snprintf(r->province, sizeof r->province, "%s", db_col_text(s, 3));
        }
        if (rc == SR_OK && n_rows < REPHONE_BATCH && step != DB_DONE) {
            rc = db_error(db, err, "cannot read stored phones");
        }
        db_done(s);
        for (int i = 0; rc == SR_OK && i < n_rows; i++) {
            rc = rewrite(db, v, t, &rows[i], region, n, err);
        }
        for (int i = 0; i < n_rows; i++) {
            sr_buf_release(&rows[i].blob);
        }
        after = n_rows > 0 ? rows[n_rows - 1].id : after;
        rc = db_finish(db, rc, err);
        if (rc != SR_OK || n_rows < REPHONE_BATCH) {
            free(rows);
            return rc;
        }
    }
}

int
rephone_pending(struct db *db, const struct vault *v, const char *region,
                int64_t *n_changed, struct sr_err *err)
{
    assert(db != NULL && v != NULL);
    int64_t n = 0;
    struct db_stmt *s = db_stmt(db, &rephone_sql[RP_PENDING]);
    int step = db_step(s);
    db_done(s);
    if (step != DB_ROW && step != DB_DONE) {
        return db_error(db, err, "cannot read the database's settings");
    }
    int rc = SR_OK;
    for (size_t i = 0;
         step == DB_ROW && rc == SR_OK && i < sizeof tables / sizeof tables[0];
         i++) {
        rc = rewrite_table(db, v, &tables[i], region, &n, err);
    }
    if (step == DB_ROW && rc == SR_OK) {
        rc = db_begin_write(db, err);
        if (rc == SR_OK) {
            rc = db_exec_stmt(db, db_stmt(db, &rephone_sql[RP_DONE]), err);
            rc = db_finish(db, rc, err);
        }
    }
    if (n_changed != NULL) {
        *n_changed = n;
    }
    return rc;
}
