/*
 * store_copy.c - move a workspace between SQLite and PostgreSQL. See
 * store_copy.h. Table and column names come from the source's catalog,
 * never from input, and are quoted; values are bound.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "base/store_copy.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/store.h"
#include "core/buf.h"
#include "core/banned.h"

/* What a table holds, as both stores must agree on it. */
struct table_sum {
    int64_t rows;
    unsigned char digest[crypto_generichash_BYTES];
};

/* One table's statements: "SELECT cols FROM t ORDER BY 1, 2, ..." and
 * "INSERT INTO t(cols) VALUES (?1, ...)". */
struct table_sql {
    struct sr_buf select;
    struct sr_buf insert;
    int n_cols;
};

static void
table_sql_make(struct table_sql *t, const char *table, char **cols,
               size_t n_cols)
{
    sr_buf_init(&t->select, 0);
    sr_buf_init(&t->insert, 0);
    t->n_cols = (int)n_cols;
    struct sr_buf list;
    sr_buf_init(&list, 0);
    for (size_t i = 0; i < n_cols; i++) {
        sr_buf_adds(&list, i ? ", " : "");
        db_quote_name(&list, cols[i]);
    }
    sr_buf_printf(&t->select, "SELECT %s FROM ", list.data);
    db_quote_name(&t->select, table);
    sr_buf_adds(&t->insert, "INSERT INTO ");
    db_quote_name(&t->insert, table);
    sr_buf_printf(&t->insert, "(%s) VALUES (", list.data);
    for (size_t i = 0; i < n_cols; i++) {
        sr_buf_printf(&t->select, "%s%zu", i ? ", " : " ORDER BY ", i + 1);
        sr_buf_printf(&t->insert, "%s?%zu", i ? ", " : "", i + 1);
    }
    sr_buf_adds(&t->insert, ")");
    sr_buf_release(&list);
}

static void
table_sql_release(struct table_sql *t)
{
    sr_buf_release(&t->select);
    sr_buf_release(&t->insert);
}

/* Hash column i of the current row: its type, then its bytes (numbers as
 * 8 bytes little-endian, so both stores give the same). */
static void
hash_value(crypto_generichash_state *h, struct db_stmt *s, int i)
{
    unsigned char tag = 0, num[8];
    enum db_type type = db_col_type(s, i);
    tag = (unsigned char)type;
    crypto_generichash_update(h, &tag, 1);
    uint64_t bits = 0;
    switch (type) {
    case DB_T_INT:
        bits = (uint64_t)db_col_i64(s, i);
        break;
    case DB_T_FLOAT: {
        double d = db_col_double(s, i);
        memcpy(&bits, &d, sizeof bits);
        break;
    }
    case DB_T_TEXT: {
        const char *t = db_col_text(s, i);
        bits = strlen(t);
        for (int k = 0; k < 8; k++) {
            num[k] = (unsigned char)(bits >> (8 * k));
        }
        crypto_generichash_update(h, num, 8);
        crypto_generichash_update(h, (const unsigned char *)t, bits);
        return;
    }
    case DB_T_BLOB: {
        const void *p = db_col_blob(s, i);
        bits = db_col_bytes(s, i);
        for (int k = 0; k < 8; k++) {
            num[k] = (unsigned char)(bits >> (8 * k));
        }
        crypto_generichash_update(h, num, 8);
        if (bits > 0) {
            crypto_generichash_update(h, p, bits);
        }
        return;
    }
    case DB_T_NULL:
        return;
    }
    for (int k = 0; k < 8; k++) {
        num[k] = (unsigned char)(bits >> (8 * k));
    }
    crypto_generichash_update(h, num, 8);
}

/* Bind column i of the current row of from as parameter i + 1 of to. */
static void
bind_value(struct db_stmt *to, struct db_stmt *from, int i)
{
    switch (db_col_type(from, i)) {
    case DB_T_INT:
        db_bind_i64(to, i + 1, db_col_i64(from, i));
        break;
    case DB_T_FLOAT:
        db_bind_double(to, i + 1, db_col_double(from, i));
        break;
    case DB_T_TEXT:
        db_bind_text(to, i + 1, db_col_text(from, i));
        break;
    case DB_T_BLOB: {
        /* an empty blob stays a blob, not NULL */
        const void *p = db_col_blob(from, i);
        db_bind_blob(to, i + 1, p != NULL ? p : "", db_col_bytes(from, i));
        break;
    }
    case DB_T_NULL:
        db_bind_null(to, i + 1);
        break;
    }
}

/*
 * Read table from db in its order into sum; with ins (a statement of
 * another store), also write each row through it.
 */
static int
read_table(struct db *db, const struct table_sql *t, struct db *to,
           struct db_stmt *ins, struct table_sum *sum, struct sr_err *err)
{
    struct db_stmt *s = db_prepare(db, t->select.data, err);
    if (s == NULL) {
        return SR_EDB;
    }
    db_stream(s); /* a whole table: one row at a time */
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, sizeof sum->digest);
    sum->rows = 0;
    int rc = SR_OK, step;
    while (rc == SR_OK && (step = db_step(s)) == DB_ROW) {
        sum->rows++;
        for (int i = 0; i < t->n_cols; i++) {
            hash_value(&h, s, i);
            if (ins != NULL) {
                bind_value(ins, s, i);
            }
        }
        if (ins != NULL) {
            rc = db_exec_stmt(to, ins, err);
        }
    }
    if (rc == SR_OK && step == DB_FAIL) {
        rc = db_error(db, err, "cannot read a table");
    }
    crypto_generichash_final(&h, sum->digest, sizeof sum->digest);
    db_stmt_free(s);
    return rc;
}

/* Whether two lists of names hold the same names (both sorted by
 * db_tables()'s order, so compared as sets). */
static int
same_names(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb) {
        return 0;
    }
    for (size_t i = 0; i < na; i++) {
        size_t k = 0;
        while (k < nb && strcmp(a[i], b[k]) != 0) {
            k++;
        }
        if (k == nb) {
            return 0;
        }
    }
    return 1;
}

/* Copy every table of from into to (one transaction). */
static int
copy_rows(struct db *from, struct db *to, char **tables, size_t n_tables,
          struct table_sql *sql, struct table_sum *sums, struct sr_err *err)
{
    int rc = db_begin_read(from, err);
    if (rc != SR_OK) {
        return rc;
    }
    rc = db_begin_write(to, err);
    for (size_t i = 0; rc == SR_OK && i < n_tables; i++) {
        struct db_stmt *ins = db_prepare(to, sql[i].insert.data, err);
        if (ins == NULL) {
            rc = SR_EDB;
            break;
        }
        rc = read_table(from, &sql[i], to, ins, &sums[i], err);
        db_stmt_free(ins);
        if (rc != SR_OK) {
            sr_err_set(err, rc, "copy of table %s: %s", tables[i], err->msg);
        }
    }
    if (rc == SR_OK) {
        rc = db_ids_resume(to, err);
    }
    rc = db_finish(to, rc, err);
    db_rollback(from);
    return rc;
}

/* Read both stores again and compare each table. */
static int
check_copy(struct db *from, struct db *to, char **tables, size_t n_tables,
           struct table_sql *sql, const struct table_sum *copied, FILE *out,
           struct sr_err *err)
{
    int rc = SR_OK;
    for (size_t i = 0; rc == SR_OK && i < n_tables; i++) {
        struct table_sum a, b;
        rc = read_table(from, &sql[i], NULL, NULL, &a, err);
        if (rc == SR_OK) {
            rc = read_table(to, &sql[i], NULL, NULL, &b, err);
        }
        if (rc != SR_OK) {
            break;
        }
        if (a.rows != b.rows || a.rows != copied[i].rows ||
            sodium_memcmp(a.digest, b.digest, sizeof a.digest) != 0 ||
            sodium_memcmp(a.digest, copied[i].digest, sizeof a.digest) != 0) {
            rc = sr_err_set(err, SR_ECRYPTO,
                            "check: table %s differs after the copy (%lld "
                            "rows in the source, %lld in the target); the "
                            "workspace stays where it was",
                            tables[i], (long long)a.rows, (long long)b.rows);
            break;
        }
        char hex[17];
        sodium_bin2hex(hex, sizeof hex, a.digest, 8);
        fprintf(out, "%-24s %10lld  %s\n", tables[i], (long long)a.rows, hex);
    }
    return rc;
}

/* Take away what a failed copy made in the target, and close it. */
static void
undo_target(struct db *to, const char *target_path, char **tables,
            size_t n_tables)
{
    if (db_is_postgresql(to)) {
        /* the tables the migrations made, those that refer to others
         * first, then the version table */
        for (size_t i = n_tables; i-- > 0;) {
            struct sr_buf q;
            sr_buf_init(&q, 0);
            sr_buf_adds(&q, "DROP TABLE ");
            db_quote_name(&q, tables[i]);
            struct db_stmt *s = db_prepare(to, q.data, NULL);
            if (s != NULL) {
                (void)db_exec_stmt(to, s, NULL);
            }
            db_stmt_free(s);
            sr_buf_release(&q);
        }
        struct db_stmt *s = db_prepare(to, "DROP TABLE siren_schema", NULL);
        if (s != NULL) {
            (void)db_exec_stmt(to, s, NULL);
        }
        db_stmt_free(s);
        db_close(to);
        return;
    }
    db_close(to);
    static const char *const suffixes[] = { "", "-wal", "-shm" };
    char p[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", target_path, suffixes[i]);
        unlink(p);
    }
}

int
ws_store_copy(struct ws *ws, const char *target, FILE *out, struct sr_err *err)
{
    int is_to_pg = db_is_server_address(target);
    if (!is_to_pg && strcmp(target, "sqlite") != 0) {
        return sr_err_set(err, SR_EINVAL,
                          "store copy: --to is a postgresql:// address or "
                          "'sqlite'");
    }
    if (is_to_pg == db_is_postgresql(ws->db)) {
        return sr_err_set(err, SR_EINVAL,
                          "store copy: the workspace is already on %s; copy "
                          "between two databases of one kind with that "
                          "database's own tools",
                          is_to_pg ? "PostgreSQL" : "SQLite");
    }
    if (is_to_pg && strlen(target) >= sizeof ws->cfg.store) {
        return sr_err_set(err, SR_EINVAL,
                          "store copy: the address is too long");
    }
    char lite_path[4096];
    snprintf(lite_path, sizeof lite_path, "%s/siren.db", ws->dir);
    struct db *to = NULL;
    int rc = db_open(is_to_pg ? target : lite_path, DB_CREATE, &to, err);
    if (rc != SR_OK) {
        return rc;
    }
    char **tables = NULL, **to_tables = NULL;
    size_t n_tables = 0, n_to_tables = 0;
    rc = db_tables(ws->db, &tables, &n_tables, err);
    if (rc == SR_OK) {
        rc = db_tables(to, &to_tables, &n_to_tables, err);
    }
    if (rc == SR_OK && !same_names(tables, n_tables, to_tables, n_to_tables)) {
        rc = sr_err_set(err, SR_EDB,
                        "store copy: the two stores' schemas hold different "
                        "tables");
    }
    struct table_sql *sql = sr_xcalloc(n_tables + 1, sizeof *sql);
    struct table_sum *sums = sr_xcalloc(n_tables + 1, sizeof *sums);
    size_t n_made = 0;
    for (; rc == SR_OK && n_made < n_tables; n_made++) {
        char **cols = NULL, **to_cols = NULL;
        size_t n_cols = 0, n_to_cols = 0;
        rc = db_columns(ws->db, tables[n_made], &cols, &n_cols, err);
        if (rc == SR_OK) {
            rc = db_columns(to, tables[n_made], &to_cols, &n_to_cols, err);
        }
        if (rc == SR_OK && !same_names(cols, n_cols, to_cols, n_to_cols)) {
            rc = sr_err_set(err, SR_EDB,
                            "store copy: table %s has other columns in the "
                            "target",
                            tables[n_made]);
        }
        if (rc == SR_OK) {
            table_sql_make(&sql[n_made], tables[n_made], cols, n_cols);
        }
        db_names_free(cols, n_cols);
        db_names_free(to_cols, n_to_cols);
        if (rc != SR_OK) {
            break;
        }
    }
    if (rc == SR_OK) {
        rc = copy_rows(ws->db, to, tables, n_tables, sql, sums, err);
    }
    if (rc == SR_OK) {
        rc = check_copy(ws->db, to, tables, n_tables, sql, sums, out, err);
    }
    int64_t bad_id = 0, n_audit = 0;
    if (rc == SR_OK) {
        rc = ws_audit_verify(ws, to, &bad_id, &n_audit, err);
        if (rc == SR_ECONFLICT) {
            sr_err_set(err, SR_ECRYPTO,
                       "check: the copied audit chain fails at row %lld: %s",
                       (long long)bad_id, err->msg);
            rc = SR_ECRYPTO;
        }
    }
    if (rc == SR_OK) {
        char before[sizeof ws->cfg.store];
        memcpy(before, ws->cfg.store, sizeof before);
        snprintf(ws->cfg.store, sizeof ws->cfg.store, "%s",
                 is_to_pg ? target : "");
        rc = ws_save_config(ws, err);
        if (rc != SR_OK) {
            memcpy(ws->cfg.store, before, sizeof before);
        }
    }
    if (rc == SR_OK) {
        fprintf(out, "audit chain: %lld rows verified\n", (long long)n_audit);
    }
    for (size_t i = 0; i < n_made; i++) {
        table_sql_release(&sql[i]);
    }
    free(sql);
    free(sums);
    if (rc != SR_OK) {
        undo_target(to, lite_path, to_tables, n_to_tables);
    } else {
        db_close(to);
    }
    db_names_free(tables, n_tables);
    db_names_free(to_tables, n_to_tables);
    return rc;
}
