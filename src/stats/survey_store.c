/*
 * survey_store.c - survey data sets, their data dictionary and the
 * recorded analyses: import rules (type inference, identifying columns),
 * the canonical CSV and its hash, and all of their SQL.
 *
 * Owns tables survey_dataset, survey_column, survey_value_label and
 * survey_analysis. Every write is audited in its transaction. Data are
 * stored only vault-encrypted. Must not: put a cell's content or a data
 * set's name in an error message, a log line or an audit row.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/survey_store.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "stats/frame.h"
#include "base/vault.h"
#include "base/principal.h"

#include "core/banned.h"

enum survey_stmt {
    SV_INSERT,
    SV_INSERT_COLUMN,
    SV_INSERT_LABEL,
    SV_NAME_TAKEN,
    SV_LIST,
    SV_GET,
    SV_FIND,
    SV_COLUMNS,
    SV_LABELS,
    SV_DATA,
    SV_COLUMN_GET,
    SV_COLUMN_SET,
    SV_DELETE,
    SV_SET_DATA,
    SV_AN_INSERT,
    SV_AN_GET,
    SV_AN_LIST,
    SV_SCOPE,
    SV__COUNT
};

#define SV_DATASET_COLS                                                \
    "d.id, d.code, d.name, d.sha256, d.n_rows, d.n_cols, d.n_dropped," \
    " d.n_bytes, d.has_identity, d.created_at,"                        \
    " (SELECT count(*) FROM survey_analysis AS a WHERE a.dataset_id = d.id)"

#define SV_ANALYSIS_COLS                                                   \
    "a.id, a.dataset_id, d.code, d.name, d.deleted_at IS NULL,"            \
    " a.dataset_sha256, a.method, a.options, a.seed, a.version, a.result," \
    " coalesce(a.created_by, 0), a.created_at, coalesce(a.org_id, 0)"

static const char *const survey_sql[SV__COUNT] = {
    [SV_INSERT] = "INSERT INTO survey_dataset(code, name, n_rows, n_cols,"
                  " n_dropped, has_identity, sha256, n_bytes, data,"
                  " created_by, created_at, org_id)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                  " ?12)",
    [SV_INSERT_COLUMN] = "INSERT INTO survey_column(dataset_id, position,"
                         " name, tag, type, label, is_identifying,"
                         " n_missing, n_distinct)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [SV_INSERT_LABEL] =
        "INSERT INTO survey_value_label("
        "dataset_id, position, value, label)"
        " VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(dataset_id, position, value) DO UPDATE SET label = excluded.label",
    [SV_NAME_TAKEN] = "SELECT 1"
                      "  FROM survey_dataset"
                      " WHERE name = ?1 AND deleted_at IS NULL",
    [SV_LIST] = "SELECT " SV_DATASET_COLS "  FROM survey_dataset AS d"
                " WHERE d.deleted_at IS NULL"
                "   AND (?1 = 0 OR (?1 > 0 AND (d.org_id IS NULL"
                "                              OR d.org_id = ?1)))"
                " ORDER BY d.id DESC",
    [SV_GET] = "SELECT " SV_DATASET_COLS "  FROM survey_dataset AS d"
               " WHERE d.id = ?1 AND d.deleted_at IS NULL",
    [SV_FIND] = "SELECT id"
                "  FROM survey_dataset"
                " WHERE (name = ?1 OR code = ?1) AND deleted_at IS NULL"
                " ORDER BY id DESC"
                " LIMIT 1",
    [SV_COLUMNS] = "SELECT position, name, tag, type, label, is_identifying,"
                   "       n_missing, n_distinct"
                   "  FROM survey_column"
                   " WHERE dataset_id = ?1"
                   " ORDER BY position",
    [SV_LABELS] = "SELECT position, value, label"
                  "  FROM survey_value_label"
                  " WHERE dataset_id = ?1"
                  " ORDER BY position, value",
    [SV_DATA] = "SELECT data, sha256"
                "  FROM survey_dataset"
                " WHERE id = ?1 AND deleted_at IS NULL",
    [SV_COLUMN_GET] = "SELECT c.is_identifying, d.code"
                      "  FROM survey_column AS c"
                      "  JOIN survey_dataset AS d ON d.id = c.dataset_id"
                      " WHERE c.dataset_id = ?1 AND c.position = ?2"
                      "   AND d.deleted_at IS NULL",
    [SV_COLUMN_SET] = "UPDATE survey_column"
                      "   SET type = coalesce(?3, type),"
                      "       label = coalesce(?4, label),"
                      "       is_identifying = coalesce(?5, is_identifying)"
                      " WHERE dataset_id = ?1 AND position = ?2",
    [SV_DELETE] = "UPDATE survey_dataset"
                  "   SET deleted_at = ?2, deleted_by = ?3,"
                  "       delete_reason = ?4, data = x''"
                  " WHERE id = ?1 AND deleted_at IS NULL"
                  " RETURNING code",
    [SV_SET_DATA] = "UPDATE survey_dataset"
                    "   SET data = ?2"
                    " WHERE id = ?1",
    [SV_AN_INSERT] = "INSERT INTO survey_analysis(dataset_id,"
                     " dataset_sha256, method, options, seed, version,"
                     " result, created_by, created_at, org_id)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [SV_AN_GET] = "SELECT " SV_ANALYSIS_COLS "  FROM survey_analysis AS a"
                  "  JOIN survey_dataset AS d ON d.id = a.dataset_id"
                  " WHERE a.id = ?1",
    [SV_AN_LIST] = "SELECT " SV_ANALYSIS_COLS "  FROM survey_analysis AS a"
                   "  JOIN survey_dataset AS d ON d.id = a.dataset_id"
                   " WHERE (?1 = 0 OR a.dataset_id = ?1)"
                   "   AND (?3 = 0 OR (?3 > 0 AND (a.org_id IS NULL"
                   "                              OR a.org_id = ?3)))"
                   " ORDER BY a.id DESC"
                   " LIMIT ?2",
    [SV_SCOPE] = "SELECT coalesce(org_id, 0), has_identity"
                 "  FROM survey_dataset"
                 " WHERE id = ?1",
};

static const char *const type_names[SURVEY_TYPE__COUNT] = {
    [SURVEY_NUMERIC] = "numeric",
    [SURVEY_CATEGORICAL] = "categorical",
    [SURVEY_TEXT] = "text",
    [SURVEY_DATE] = "date",
};

const char *
survey_type_name(enum survey_type t)
{
    return t >= 0 && t < SURVEY_TYPE__COUNT ? type_names[t] : NULL;
}

int
survey_type_parse(const char *name)
{
    for (int t = 0; name != NULL && t < SURVEY_TYPE__COUNT; t++) {
        if (strcmp(type_names[t], name) == 0) {
            return t;
        }
    }
    return -1;
}

/* ---- identifying columns and type inference ---------------------------- */

/* case-insensitive substring search (ASCII) */
static bool
has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s != '\0'; s++) {
        size_t i = 0;
        while (i < n && s[i] != '\0' &&
               tolower((unsigned char)s[i]) == (unsigned char)word[i]) {
            i++;
        }
        if (i == n) {
            return true;
        }
    }
    return false;
}

/* whether HXL tag has attribute attr ("+name"), case-insensitively */
static bool
tag_has_attr(const char *tag, const char *attr)
{
    size_t n = strlen(attr);
    const char *p = tag;
    while ((p = strchr(p, '+')) != NULL) {
        size_t len = strcspn(p + 1, "+ ");
        if (len + 1 == n) {
            size_t i = 0;
            while (i < len && tolower((unsigned char)p[1 + i]) ==
                                  (unsigned char)attr[1 + i]) {
                i++;
            }
            if (i == len) {
                return true;
            }
        }
        p++;
    }
    return false;
}

bool
survey_is_identifying(const char *name, const char *tag, enum survey_type type)
{
    static const char *const words[] = {
        "name",    "phone",    "mobile",      "telephone",   "email",
        "address", "passport", "national_id", "id_number",   "idcard",
        "id_card", "nid",      "gps",         "geolocation", "narrative",
        "comment", "remark",   "note",
    };
    if (type == SURVEY_TEXT) {
        return true;
    }
    if (tag != NULL && tag[0] == '#') {
        if (tag_has_attr(tag, "+name") || tag_has_attr(tag, "+phone") ||
            tag_has_attr(tag, "+email") ||
            (strncmp(tag, "#contact", 8) == 0 &&
             (tag[8] == '\0' || tag[8] == '+'))) {
            return true;
        }
    }
    if (name != NULL) {
        const char *leaf = strrchr(name, '/');
        leaf = leaf != NULL ? leaf + 1 : name;
        if (leaf[0] == '_') {
            /* Kobo/ODK metadata (_index, _uuid, _submission_time): not
             * about the respondent, except who submitted it */
            return has_word(leaf, "submitted_by");
        }
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            if (has_word(leaf, words[i])) {
                return true;
            }
        }
    }
    return false;
}

static bool
is_number(const char *c)
{
    char *end;
    double v = strtod(c, &end);
    while (*end == ' ') {
        end++;
    }
    return end != c && *end == '\0' && isfinite(v);
}

/* YYYY-MM-DD, optionally followed by 'T' or ' ' and more */
static bool
is_date(const char *c)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7 ? c[i] != '-' : !isdigit((unsigned char)c[i])) {
            return false;
        }
    }
    int m = (c[5] - '0') * 10 + (c[6] - '0');
    int d = (c[8] - '0') * 10 + (c[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
           (c[10] == '\0' || c[10] == 'T' || c[10] == ' ');
}

static int
cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
survey_infer_column(const struct frame *f, size_t col,
                    struct survey_column *out)
{
    size_t n_present = 0, n_distinct = 0, n_num = 0;
    bool all_num = true, all_date = true;
    const char **v = sr_xcalloc(f->n_rows + 1, sizeof(*v));

    memset(out, 0, sizeof(*out));
    out->position = col;
    out->name = f->cols[col].name;
    out->tag = f->cols[col].tag != NULL ? f->cols[col].tag : "";
    out->label = "";
    for (size_t r = 0; r < f->n_rows; r++) {
        const char *c = frame_cell(f, r, col);
        if (frame_is_missing(c)) {
            out->n_missing++;
            continue;
        }
        v[n_present++] = c;
        bool is_num = is_number(c);
        n_num += is_num;
        all_num = all_num && is_num;
        all_date = all_date && is_date(c);
    }
    qsort(v, n_present, sizeof(*v), cmp_cstr);
    for (size_t i = 0; i < n_present; i++) {
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
            n_distinct++;
        }
    }
    free(v);
    out->n_distinct =
        n_distinct > SURVEY_MAX_DISTINCT ? SURVEY_MAX_DISTINCT : n_distinct;
    if (n_present == 0) {
        out->type = SURVEY_CATEGORICAL;
    } else if (all_num) {
        out->type = SURVEY_NUMERIC;
    } else if (all_date) {
        out->type = SURVEY_DATE;
    } else if (n_distinct > 50 && n_distinct * 2 > n_present &&
               n_num * 10 < n_present * 9) {
        out->type = SURVEY_TEXT;
    } else {
        out->type = SURVEY_CATEGORICAL;
    }
    out->is_identifying = survey_is_identifying(out->name, out->tag, out->type);
}

/* ---- import ------------------------------------------------------------- */

/* one column's dictionary: inferred, then overridden */
struct dict_col {
    struct survey_column c;
    char *label;  /* owned, or NULL */
    char *values; /* owned "v=label;v=label", or NULL */
    bool is_keep;
};

static int
name_valid(const char *name, struct sr_err *err)
{
    size_t len = name != NULL ? strlen(name) : 0;
    if (len == 0 || len > SURVEY_NAME_MAX || !sr_utf8_valid(name, len)) {
        return sr_err_set(err, SR_EINVAL,
                          "name: must be 1 to %d bytes of UTF-8 text",
                          SURVEY_NAME_MAX);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch == 0x7f) {
            return sr_err_set(err, SR_EINVAL,
                              "name: control characters are not allowed");
        }
    }
    return SR_OK;
}

static bool
flag_value(const char *s, int *out)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "yes") == 0 ||
        strcmp(s, "true") == 0) {
        *out = 1;
    } else if (strcmp(s, "0") == 0 || strcmp(s, "no") == 0 ||
               strcmp(s, "false") == 0) {
        *out = 0;
    } else if (s[0] == '\0') {
        *out = -1;
    } else {
        return false;
    }
    return true;
}

/* check "v=label;v=label" */
static bool
values_valid(const char *s)
{
    while (*s != '\0') {
        const char *semi = strchr(s, ';');
        size_t len = semi != NULL ? (size_t)(semi - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        if (len > 0 && (eq == NULL || eq == s)) {
            return false;
        }
        s += len + (semi != NULL);
    }
    return true;
}

/* Parse a data set's CSV text[0..len) into f, within the limits of a
 * data set (SURVEY_MAX_*); frame_parse()'s errors in *perr. */
static int
parse_data(struct frame *f, const char *text, size_t len, struct sr_err *perr)
{
    struct frame_limits lim;
    frame_limits_default(&lim);
    lim.max_bytes = SURVEY_MAX_BYTES;
    lim.max_rows = SURVEY_MAX_ROWS;
    lim.max_cols = SURVEY_MAX_COLS;
    lim.max_cell_bytes = SURVEY_MAX_CELL;
    return frame_parse(f, text, len, &lim, perr);
}

static int
apply_dictionary(const struct frame *f, struct dict_col *dc, const char *text,
                 size_t len, struct sr_err *err)
{
    struct frame d = { 0 };
    struct frame_limits lim;
    static const char *const heads[] = { "column", "type", "identifying",
                                         "label", "values" };
    size_t hc[5];
    frame_limits_default(&lim);
    lim.max_bytes = 4 * 1024 * 1024;
    lim.max_cols = 16;
    lim.max_rows = SURVEY_MAX_COLS;
    struct sr_err perr = { 0 };
    int rc = frame_parse(&d, text, len, &lim, &perr);
    if (rc != SR_OK) {
        rc = sr_err_set(err, rc, "dictionary: %s", sr_err_msg(&perr));
        sr_err_release(&perr);
        return rc;
    }
    for (size_t k = 0; k < 5; k++) {
        hc[k] = SIZE_MAX;
        for (size_t c = 0; c < d.n_cols; c++) {
            if (strcmp(d.cols[c].name, heads[k]) == 0) {
                hc[k] = c;
            }
        }
    }
    if (hc[0] == SIZE_MAX) {
        frame_release(&d);
        return sr_err_set(err, SR_EINVAL,
                          "dictionary: no 'column' column in the header");
    }
    for (size_t r = 0; r < d.n_rows; r++) {
        const char *cname = frame_cell(&d, r, hc[0]);
        size_t col;
        if (frame_col_find(f, cname, &col, NULL) != SR_OK) {
            rc = sr_err_set(err, SR_EINVAL,
                            "dictionary: line %zu: no such column in the "
                            "data",
                            d.row_line[r]);
            break;
        }
        const char *t = hc[1] != SIZE_MAX ? frame_cell(&d, r, hc[1]) : "";
        const char *idf = hc[2] != SIZE_MAX ? frame_cell(&d, r, hc[2]) : "";
        const char *lab = hc[3] != SIZE_MAX ? frame_cell(&d, r, hc[3]) : "";
        const char *vals = hc[4] != SIZE_MAX ? frame_cell(&d, r, hc[4]) : "";
        int flag;
        if (t[0] != '\0') {
            int ty = survey_type_parse(t);
            if (ty < 0) {
                rc = sr_err_set(err, SR_EINVAL,
                                "dictionary: line %zu: type must be "
                                "numeric, categorical, text or date",
                                d.row_line[r]);
                break;
            }
            dc[col].c.type = (enum survey_type)ty;
            if (ty == SURVEY_TEXT) {
                dc[col].c.is_identifying = true;
            }
        }
        if (!flag_value(idf, &flag)) {
            rc = sr_err_set(err, SR_EINVAL,
                            "dictionary: line %zu: identifying must be 1 "
                            "or 0",
                            d.row_line[r]);
            break;
        }
        if (flag >= 0) {
            dc[col].c.is_identifying = flag == 1;
        }
        if (strlen(lab) > SURVEY_REASON_MAX) {
            rc = sr_err_set(err, SR_EINVAL,
                            "dictionary: line %zu: label longer than %d "
                            "bytes",
                            d.row_line[r], SURVEY_REASON_MAX);
            break;
        }
        if (!values_valid(vals)) {
            rc = sr_err_set(err, SR_EINVAL,
                            "dictionary: line %zu: values must be "
                            "CODE=LABEL;CODE=LABEL",
                            d.row_line[r]);
            break;
        }
        free(dc[col].label);
        free(dc[col].values);
        dc[col].label = sr_xstrdup(lab);
        dc[col].values = vals[0] != '\0' ? sr_xstrdup(vals) : NULL;
    }
    frame_release(&d);
    return rc;
}

/*
 * the kept columns as canonical CSV, through core/csv.c in storage mode:
 * frame.c reads it back, no spreadsheet does, so cells are kept exactly
 * (no formula guard) and only quoted where RFC 4180 or libcsv's trimming
 * of edge blanks needs it
 */
static int
canonical_csv(const struct frame *f, const struct dict_col *dc,
              struct sr_buf *out, struct sr_err *err)
{
    struct sr_csv w;
    sr_csv_init_buf(&w, out, SR_CSV_STORAGE);
    bool any_tag = false;
    for (size_t c = 0; c < f->n_cols; c++) {
        any_tag = any_tag || (dc[c].is_keep && dc[c].c.tag[0] != '\0');
    }
    for (int pass = 0; pass < (any_tag ? 2 : 1); pass++) {
        for (size_t c = 0; c < f->n_cols; c++) {
            if (dc[c].is_keep) {
                sr_csv_text(&w, pass == 0 ? dc[c].c.name : dc[c].c.tag);
            }
        }
        sr_csv_end_row(&w);
    }
    for (size_t r = 0; r < f->n_rows && sr_csv_status(&w) == SR_OK; r++) {
        for (size_t c = 0; c < f->n_cols; c++) {
            if (dc[c].is_keep) {
                sr_csv_text(&w, frame_cell(f, r, c));
            }
        }
        sr_csv_end_row(&w);
    }
    if (sr_csv_status(&w) != SR_OK) {
        return sr_err_set(err, SR_ETOOBIG,
                          "data: more than %zu bytes once stored",
                          SURVEY_MAX_BYTES);
    }
    return SR_OK;
}

static void
sha256_hex(const void *p, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, len);
    vault_hex(h, sizeof h, out);
}

static int
store_labels(struct db *db, int64_t id, size_t pos, const char *s,
             struct sr_err *err)
{
    int rc = SR_OK;
    while (rc == SR_OK && *s != '\0') {
        const char *semi = strchr(s, ';');
        size_t len = semi != NULL ? (size_t)(semi - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        if (eq != NULL) {
            struct db_stmt *st = db_stmt(db, &survey_sql[SV_INSERT_LABEL]);
            db_bind_i64(st, 1, id);
            db_bind_i64(st, 2, (int64_t)pos);
            db_bind_textn(st, 3, s, (size_t)(eq - s));
            db_bind_textn(st, 4, eq + 1, (size_t)(len - (size_t)(eq - s) - 1));
            rc = db_exec_stmt(db, st, err);
        }
        s += len + (semi != NULL);
    }
    return rc;
}

/* ---- scope -------------------------------------------------------------- */

/* who's filter for reading survey records (survey.manage or stats.run) */
static int
read_scope(const struct principal *who, struct scope_filter *f)
{
    return principal_scope_either(who, ACT_SURVEY_MANAGE, ACT_STATS_RUN, f);
}

/* 1 if a record of organisation org_id (0 = workspace-wide) is in f */
static int
admits(const struct scope_filter *f, int64_t org_id)
{
    return !f->is_none && (org_id == 0 || scope_filter_admits(f, org_id, 0));
}

/* SR_ENOTFOUND for data set id */
static int
no_dataset(struct sr_err *err, int64_t id)
{
    return sr_err_set(err, SR_ENOTFOUND, "data set %lld: not found",
                      (long long)id);
}

/* As db_end() for the lookup of noun id ("data set", "analysis"): the end
 * is SR_ENOTFOUND. */
static int
stop_one(struct db *db, struct db_stmt *s, int step, const char *noun,
         int64_t id, const char *what, struct sr_err *err)
{
    int rc = db_end(db, s, step, what, err);
    if (rc == SR_OK && step == DB_DONE) {
        return sr_err_set(err, SR_ENOTFOUND, "%s %lld: not found", noun,
                          (long long)id);
    }
    return rc;
}

/* Whether live data set id is within who's scope of action a (a = 0:
 * the read scope); *has_identity (may be NULL) whether it kept an
 * identifying column. SR_ENOTFOUND, SR_EDB. */
static int
dataset_check(struct db *db, const struct principal *who, enum action a,
              int64_t id, bool *has_identity, struct sr_err *err)
{
    struct scope_filter f;
    int rc =
        a == ACT_PUBLIC ? read_scope(who, &f) : principal_scope(who, a, &f);
    if (rc != SR_OK) {
        return no_dataset(err, id);
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_SCOPE]);
    db_bind_i64(s, 1, id);
    int step = db_step(s);
    int64_t org = step == DB_ROW ? db_col_i64(s, 0) : 0;
    bool is_ident = step == DB_ROW && db_col_int(s, 1) != 0;
    rc = stop_one(db, s, step, "data set", id, "get data set", err);
    if (rc != SR_OK) {
        return rc;
    }
    if (!admits(&f, org)) {
        return no_dataset(err, id);
    }
    if (has_identity != NULL) {
        *has_identity = is_ident;
    }
    return SR_OK;
}

/* write the data set and its dictionary; inside a transaction */
static int
insert_dataset(struct db *db, const struct vault *v,
               const struct principal *who, const struct survey_import *in,
               const struct dict_col *dc, size_t n_cols,
               const struct sr_buf *csv, struct survey_imported *res,
               struct sr_err *err)
{
    struct sr_buf blob;
    bool has_identity = false;
    int rc;
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_NAME_TAKEN]);
    db_bind_text(s, 1, in->name);
    rc = db_step(s);
    db_done(s);
    if (rc == DB_ROW) {
        return sr_err_set(err, SR_ECONFLICT,
                          "name: a data set of that name exists already");
    }
    for (size_t c = 0; c < n_cols; c++) {
        has_identity =
            has_identity || (dc[c].is_keep && dc[c].c.is_identifying);
    }
    /* the row id is needed for the ciphertext's binding: insert with an
     * empty blob, then set it */
    s = db_stmt(db, &survey_sql[SV_INSERT]);
    db_bind_text(s, 1, res->code);
    db_bind_text(s, 2, in->name);
    db_bind_i64(s, 3, (int64_t)res->n_rows);
    db_bind_i64(s, 4, (int64_t)res->n_cols);
    db_bind_i64(s, 5, (int64_t)res->n_dropped);
    db_bind_int(s, 6, has_identity);
    db_bind_text(s, 7, res->sha256);
    db_bind_i64(s, 8, (int64_t)csv->len);
    db_bind_blob(s, 9, "", 0);
    db_bind_id(s, 10, who->user_id);
    db_bind_i64(s, 11, sr_now());
    db_bind_id(s, 12, who->org_id); /* NULL = workspace-wide */
    rc = db_exec_stmt(db, s, err);
    if (rc != SR_OK) {
        return rc;
    }
    res->id = db_last_id(db);
    sr_buf_init(&blob, 0);
    rc = vault_encrypt(v, "survey_dataset", "data", res->id, csv->data,
                       csv->len, &blob, err);
    if (rc == SR_OK) {
        s = db_stmt(db, &survey_sql[SV_SET_DATA]);
        db_bind_i64(s, 1, res->id);
        db_bind_blob(s, 2, blob.data, blob.len);
        rc = db_exec_stmt(db, s, err);
    }
    sr_buf_release(&blob);
    for (size_t c = 0, pos = 0; rc == SR_OK && c < n_cols; c++) {
        if (!dc[c].is_keep) {
            continue;
        }
        s = db_stmt(db, &survey_sql[SV_INSERT_COLUMN]);
        db_bind_i64(s, 1, res->id);
        db_bind_i64(s, 2, (int64_t)pos);
        db_bind_text(s, 3, dc[c].c.name);
        db_bind_text(s, 4, dc[c].c.tag);
        db_bind_text(s, 5, survey_type_name(dc[c].c.type));
        db_bind_text(s, 6, dc[c].label != NULL ? dc[c].label : "");
        db_bind_int(s, 7, dc[c].c.is_identifying);
        db_bind_i64(s, 8, (int64_t)dc[c].c.n_missing);
        db_bind_i64(s, 9, (int64_t)dc[c].c.n_distinct);
        rc = db_exec_stmt(db, s, err);
        if (rc == SR_OK && dc[c].values != NULL) {
            rc = store_labels(db, res->id, pos, dc[c].values, err);
        }
        pos++;
    }
    if (rc == SR_OK) {
        char detail[96];
        snprintf(detail, sizeof detail, "rows=%zu cols=%zu dropped=%zu",
                 res->n_rows, res->n_cols, res->n_dropped);
        struct audit_entry e = { who->user_id, "survey.import",
                                 "survey_dataset", res->code, detail };
        rc = audit_append(db, v, &e, err);
    }
    return rc;
}

/* the names of the identifying columns of dc, quoted and comma-
 * separated, into b; returns how many */
static size_t
identifying_names(const struct dict_col *dc, size_t n, struct sr_buf *b)
{
    size_t k = 0;
    for (size_t c = 0; c < n; c++) {
        if (dc[c].c.is_identifying) {
            (void)sr_buf_printf(b, "%s'%s'", k ? ", " : "", dc[c].c.name);
            k++;
        }
    }
    return k;
}

int
survey_dataset_import(struct db *db, const struct vault *v,
                      const struct principal *who,
                      const struct survey_import *in,
                      struct survey_imported *out, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && in != NULL);
    struct scope_filter sf;
    if (principal_scope(who, ACT_SURVEY_MANAGE, &sf) != SR_OK ||
        (who->org_id > 0 && !scope_filter_admits(&sf, who->org_id, 0))) {
        return sr_err_set(err, SR_EPERM, "survey: not allowed");
    }
    struct frame f = { 0 };
    struct survey_imported res;
    struct dict_col *dc = NULL;
    struct sr_buf csv, names;
    int rc;

    assert(db != NULL && v != NULL && in != NULL && out != NULL);
    if ((rc = name_valid(in->name, err)) != SR_OK) {
        return rc;
    }
    if (in->csv == NULL || in->csv_len == 0) {
        return sr_err_set(err, SR_EINVAL, "data: the CSV is empty");
    }
    if (in->csv_len > SURVEY_MAX_BYTES) {
        return sr_err_set(err, SR_ETOOBIG, "data: more than %zu bytes",
                          SURVEY_MAX_BYTES);
    }
    if (in->keep_identifying && in->drop_identifying) {
        return sr_err_set(err, SR_EINVAL,
                          "identifying: choose keep or drop, not both");
    }
    struct sr_err perr = { 0 };
    rc = parse_data(&f, in->csv, in->csv_len, &perr);
    if (rc != SR_OK) {
        rc = sr_err_set(err, rc, "data: %s", sr_err_msg(&perr));
        sr_err_release(&perr);
        return rc;
    }
    if (f.n_rows == 0) {
        frame_release(&f);
        return sr_err_set(err, SR_EINVAL, "data: no data rows");
    }
    for (size_t c = 0; c < f.n_cols; c++) {
        if (f.cols[c].name[0] == '\0') {
            frame_release(&f);
            return sr_err_set(err, SR_EINVAL,
                              "data: column %zu has an empty name", c + 1);
        }
        for (size_t k = 0; k < c; k++) {
            if (strcmp(f.cols[c].name, f.cols[k].name) == 0) {
                frame_release(&f);
                return sr_err_set(err, SR_EINVAL,
                                  "data: columns %zu and %zu have the same "
                                  "name",
                                  k + 1, c + 1);
            }
        }
    }
    dc = sr_xcalloc(f.n_cols, sizeof(*dc));
    for (size_t c = 0; c < f.n_cols; c++) {
        survey_infer_column(&f, c, &dc[c].c);
        dc[c].is_keep = true;
    }
    sr_buf_init(&csv, SURVEY_MAX_BYTES);
    sr_buf_init(&names, 0);
    if (in->dictionary != NULL && in->dictionary_len > 0) {
        rc = apply_dictionary(&f, dc, in->dictionary, in->dictionary_len, err);
    }
    memset(&res, 0, sizeof res);
    if (rc == SR_OK && identifying_names(dc, f.n_cols, &names) > 0) {
        if (in->drop_identifying) {
            for (size_t c = 0; c < f.n_cols; c++) {
                if (dc[c].c.is_identifying) {
                    dc[c].is_keep = false;
                    res.n_dropped++;
                }
            }
        } else if (!principal_can_see_identity(who)) {
            rc = sr_err_set(err, SR_EPERM,
                            "identifying columns refused: %s; your role may "
                            "not hold identities: drop them or remove them "
                            "from the file",
                            names.data);
        } else if (!in->keep_identifying) {
            rc = sr_err_set(err, SR_EINVAL,
                            "identifying columns: %s; choose to keep them "
                            "(stored encrypted) or to drop them",
                            names.data);
        }
    }
    res.n_rows = f.n_rows;
    res.n_cols = f.n_cols - res.n_dropped;
    if (rc == SR_OK && res.n_cols == 0) {
        rc = sr_err_set(err, SR_EINVAL,
                        "data: no column left once identifying columns "
                        "are dropped");
    }
    if (rc == SR_OK) {
        rc = canonical_csv(&f, dc, &csv, err);
    }
    if (rc == SR_OK) {
        sha256_hex(csv.data, csv.len, res.sha256);
        vault_code("D", res.code, sizeof res.code);
        rc = db_begin_write(db, err);
        if (rc == SR_OK) {
            rc = insert_dataset(db, v, who, in, dc, f.n_cols, &csv, &res, err);
            rc = db_finish(db, rc, err);
        }
    }
    for (size_t c = 0; c < f.n_cols; c++) {
        free(dc[c].label);
        free(dc[c].values);
    }
    free(dc);
    vault_buf_wipe(&csv);
    sr_buf_release(&names);
    frame_release(&f);
    if (rc == SR_OK) {
        *out = res;
    }
    return rc;
}

/* ---- reads -------------------------------------------------------------- */

static const struct survey_dataset_row *
dataset_row(struct db_stmt *s, struct survey_dataset_row *r)
{
    r->id = db_col_i64(s, 0);
    r->code = db_col_text(s, 1);
    r->name = db_col_text(s, 2);
    r->sha256 = db_col_text(s, 3);
    r->n_rows = db_col_i64(s, 4);
    r->n_cols = db_col_i64(s, 5);
    r->n_dropped = db_col_i64(s, 6);
    r->n_bytes = db_col_i64(s, 7);
    r->has_identity = db_col_int(s, 8) != 0;
    r->created_at = db_col_i64(s, 9);
    r->n_analyses = db_col_i64(s, 10);
    return r;
}

/* A listing's caller, as db_each() hands it to visit_dataset(),
 * visit_column() or visit_analysis() (further down). */
struct survey_visit {
    int (*dataset_fn)(const struct survey_dataset_row *r, void *ctx);
    int (*column_fn)(const struct survey_column *c, void *ctx);
    int (*analysis_fn)(const struct survey_analysis_row *r, void *ctx);
    void *ctx;
};

static int
visit_dataset(struct db_stmt *s, void *p)
{
    const struct survey_visit *v = p;
    struct survey_dataset_row r;
    return v->dataset_fn(dataset_row(s, &r), v->ctx);
}

static int
visit_column(struct db_stmt *s, void *p)
{
    const struct survey_visit *v = p;
    struct survey_column c;
    int t = survey_type_parse(db_col_text(s, 3));
    c.position = (size_t)db_col_i64(s, 0);
    c.name = db_col_text(s, 1);
    c.tag = db_col_text(s, 2);
    c.type = t >= 0 ? (enum survey_type)t : SURVEY_TEXT;
    c.label = db_col_text(s, 4);
    c.is_identifying = db_col_int(s, 5) != 0;
    c.n_missing = (size_t)db_col_i64(s, 6);
    c.n_distinct = (size_t)db_col_i64(s, 7);
    return v->column_fn(&c, v->ctx);
}

int
survey_dataset_list(struct db *db, const struct principal *who,
                    int (*fn)(const struct survey_dataset_row *r, void *ctx),
                    void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter sf;
    if (read_scope(who, &sf) != SR_OK) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_LIST]);
    db_bind_i64(s, 1, sf.org_id);
    struct survey_visit v = { .dataset_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_dataset, &v, "list data sets", err);
}

int
survey_dataset_get(struct db *db, const struct principal *who, int64_t id,
                   int (*fn)(const struct survey_dataset_row *r, void *ctx),
                   void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    int rc0 = dataset_check(db, who, ACT_PUBLIC, id, NULL, err);
    if (rc0 != SR_OK) {
        return rc0;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_GET]);
    db_bind_i64(s, 1, id);
    struct survey_dataset_row r;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        fn(dataset_row(s, &r), ctx);
    }
    return stop_one(db, s, rc, "data set", id, "get data set", err);
}

int
survey_dataset_find(struct db *db, const struct principal *who,
                    const char *name, int64_t *out_id, struct sr_err *err)
{
    assert(db != NULL && who != NULL && out_id != NULL);
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_FIND]);
    db_bind_text(s, 1, name != NULL ? name : "");
    int rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_i64(s, 0) : 0;
    db_done(s);
    if (rc == DB_ROW &&
        dataset_check(db, who, ACT_PUBLIC, id, NULL, NULL) == SR_OK) {
        *out_id = id;
        return SR_OK;
    }
    if (rc == DB_ROW || rc == DB_DONE) {
        return sr_err_set(err, SR_ENOTFOUND,
                          "dataset: no live data set of that name or code");
    }
    return db_error(db, err, "find data set");
}

int
survey_dataset_columns(struct db *db, const struct principal *who, int64_t id,
                       int (*fn)(const struct survey_column *c, void *ctx),
                       void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    int rc0 = dataset_check(db, who, ACT_PUBLIC, id, NULL, err);
    if (rc0 != SR_OK) {
        return rc0;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_COLUMNS]);
    db_bind_i64(s, 1, id);
    struct survey_visit v = { .column_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_column, &v, "list columns", err);
}

int
survey_value_labels(struct db *db, const struct principal *who, int64_t id,
                    int (*fn)(size_t position, const char *value,
                              const char *label, void *ctx),
                    void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    int rc0 = dataset_check(db, who, ACT_PUBLIC, id, NULL, err);
    if (rc0 != SR_OK) {
        return rc0;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_LABELS]);
    db_bind_i64(s, 1, id);
    int rc = db_step(s);
    while (rc == DB_ROW && fn((size_t)db_col_i64(s, 0), db_col_text(s, 1),
                              db_col_text(s, 2), ctx) == 0) {
        rc = db_step(s);
    }
    return db_end(db, s, rc, "list labels", err);
}

/* Rewrite the canonical CSV csv of data set id without the columns its
 * dictionary marks identifying (for a role without identity permission). */
static int
drop_identifying(struct db *db, int64_t id, struct sr_buf *csv,
                 struct sr_err *err)
{
    struct frame f = { 0 };
    struct sr_err perr = { 0 };
    int rc = parse_data(&f, csv->data, csv->len, &perr);
    sr_err_release(&perr);
    if (rc != SR_OK) {
        return sr_err_set(err, SR_ECONFLICT, "data set %lld: unreadable",
                          (long long)id);
    }
    struct dict_col *dc = sr_xcalloc(f.n_cols > 0 ? f.n_cols : 1, sizeof(*dc));
    for (size_t c = 0; c < f.n_cols; c++) {
        dc[c].c.name = f.cols[c].name;
        dc[c].c.tag = f.cols[c].tag != NULL ? f.cols[c].tag : "";
        dc[c].is_keep = true;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_COLUMNS]);
    db_bind_i64(s, 1, id);
    int step;
    while ((step = db_step(s)) == DB_ROW) {
        size_t pos = (size_t)db_col_i64(s, 0);
        if (pos < f.n_cols && db_col_int(s, 5) != 0) {
            dc[pos].is_keep = false;
        }
    }
    db_done(s);
    struct sr_buf kept;
    sr_buf_init(&kept, SURVEY_MAX_BYTES);
    rc = step == DB_DONE ? canonical_csv(&f, dc, &kept, err)
                         : db_error(db, err, "list columns");
    if (rc == SR_OK) {
        vault_buf_wipe(csv);
        *csv = kept;
    } else {
        vault_buf_wipe(&kept);
    }
    free(dc);
    frame_release(&f);
    return rc;
}

int
survey_dataset_load(struct db *db, const struct vault *v,
                    const struct principal *who, int64_t id, struct sr_buf *out,
                    char sha256[65], struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && out != NULL);
    char stored[65], got[65];
    bool has_identity = false;
    int rc = dataset_check(db, who, ACT_PUBLIC, id, &has_identity, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_DATA]);
    db_bind_i64(s, 1, id);
    rc = db_step(s);
    if (rc != DB_ROW) {
        return stop_one(db, s, rc, "data set", id, "load data set", err);
    }
    snprintf(stored, sizeof stored, "%s", db_col_text(s, 1));
    rc = vault_decrypt(v, "survey_dataset", "data", id, db_col_blob(s, 0),
                       (size_t)db_col_bytes(s, 0), out, err);
    db_done(s);
    if (rc != SR_OK) {
        return rc;
    }
    sha256_hex(out->data, out->len, got);
    if (strcmp(got, stored) != 0) {
        vault_buf_wipe(out);
        return sr_err_set(err, SR_ECONFLICT,
                          "data set %lld: its data no longer match the "
                          "recorded hash",
                          (long long)id);
    }
    if (has_identity && !principal_can_see_identity(who)) {
        rc = drop_identifying(db, id, out, err);
        if (rc != SR_OK) {
            vault_buf_wipe(out);
            return rc;
        }
    }
    memcpy(sha256, stored, 65);
    return SR_OK;
}

/* ---- writes ------------------------------------------------------------- */

int
survey_column_update(struct db *db, const struct vault *v,
                     const struct principal *who, int64_t id, size_t position,
                     const char *type, const char *label, int is_identifying,
                     struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    char code[32];
    int64_t actor_id = who->user_id;
    bool may_hold_identity = principal_can_see_identity(who);
    int rc0 = dataset_check(db, who, ACT_SURVEY_MANAGE, id, NULL, err);
    if (rc0 != SR_OK) {
        return rc0;
    }
    if (type != NULL && survey_type_parse(type) < 0) {
        return sr_err_set(err, SR_EINVAL,
                          "type: must be numeric, categorical, text or date");
    }
    if (label != NULL && (strlen(label) > SURVEY_REASON_MAX ||
                          !sr_utf8_valid(label, strlen(label)))) {
        return sr_err_set(err, SR_EINVAL,
                          "label: at most %d bytes of UTF-8 text",
                          SURVEY_REASON_MAX);
    }
    if (is_identifying < -1 || is_identifying > 1) {
        return sr_err_set(err, SR_EINVAL, "identifying: must be 0 or 1");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_COLUMN_GET]);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, (int64_t)position);
    int step = db_step(s);
    int was_identifying = step == DB_ROW ? db_col_int(s, 0) : 0;
    if (step == DB_ROW) {
        snprintf(code, sizeof code, "%s", db_col_text(s, 1));
    }
    db_done(s);
    if (step == DB_DONE) {
        rc = sr_err_set(err, SR_ENOTFOUND, "column %zu: not found", position);
    } else if (step != DB_ROW) {
        rc = db_error(db, err, "get column");
    } else if (was_identifying && is_identifying == 0 && !may_hold_identity) {
        rc = sr_err_set(err, SR_EPERM,
                        "identifying: your role may not clear the flag");
    }
    if (rc == SR_OK) {
        s = db_stmt(db, &survey_sql[SV_COLUMN_SET]);
        db_bind_i64(s, 1, id);
        db_bind_i64(s, 2, (int64_t)position);
        if (type != NULL) {
            db_bind_text(s, 3, type);
        }
        if (label != NULL) {
            db_bind_text(s, 4, label);
        }
        if (is_identifying >= 0) {
            db_bind_int(s, 5, is_identifying);
        }
        rc = db_exec_stmt(db, s, err);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "column=%zu", position);
    struct audit_entry e = { actor_id, "survey.dictionary", "survey_dataset",
                             code, detail };
    return audit_finish(db, v, &e, rc, err);
}

int
survey_dataset_delete(struct db *db, const struct vault *v,
                      const struct principal *who, int64_t id,
                      const char *reason, struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    int64_t actor_id = who->user_id;
    size_t len = reason != NULL ? strlen(reason) : 0;
    char code[32] = "";
    if (len == 0 || len > SURVEY_REASON_MAX || !sr_utf8_valid(reason, len)) {
        return sr_err_set(err, SR_EINVAL,
                          "reason: must be 1 to %d bytes of UTF-8 text",
                          SURVEY_REASON_MAX);
    }
    int rc = db_begin_after(
        db, dataset_check(db, who, ACT_SURVEY_MANAGE, id, NULL, err), err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_DELETE]);
    db_bind_i64(s, 1, id);
    db_bind_i64(s, 2, sr_now());
    db_bind_id(s, 3, actor_id);
    db_bind_text(s, 4, reason);
    int step = db_step(s);
    if (step == DB_ROW) {
        snprintf(code, sizeof code, "%s", db_col_text(s, 0));
        step = db_step(s);
    }
    db_done(s);
    if (code[0] == '\0') {
        rc = step == DB_DONE ? no_dataset(err, id)
                             : db_error(db, err, "delete data set");
    } else if (step != DB_DONE) {
        rc = db_error(db, err, "delete data set");
    }
    /* the reason is free text: kept in the row, not in the audit */
    struct audit_entry e = { actor_id, "survey.delete", "survey_dataset", code,
                             "" };
    return audit_finish(db, v, &e, rc, err);
}

/* ---- analyses ----------------------------------------------------------- */

int
survey_analysis_insert(struct db *db, const struct vault *v,
                       const struct principal *who,
                       const struct survey_analysis_row *r, int64_t *out_id,
                       struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && r != NULL);
    int64_t actor_id = who->user_id;
    struct scope_filter sf;
    if (principal_scope(who, ACT_STATS_RUN, &sf) != SR_OK) {
        return sr_err_set(err, SR_EPERM, "analysis: not allowed");
    }
    int rc0 = dataset_check(db, who, ACT_STATS_RUN, r->dataset_id, NULL, err);
    if (rc0 != SR_OK) {
        return rc0;
    }
    static const char *const methods[] = { "prevalence", "risk", "mse", "rds" };
    bool is_known = false;
    for (size_t i = 0; r->method != NULL && i < 4; i++) {
        is_known = is_known || strcmp(methods[i], r->method) == 0;
    }
    if (!is_known) {
        return sr_err_set(err, SR_EINVAL,
                          "method: must be prevalence, risk, mse or rds");
    }
    int rc = db_begin_write(db, err);
    if (rc != SR_OK) {
        return rc;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_AN_INSERT]);
    db_bind_i64(s, 1, r->dataset_id);
    db_bind_text(s, 2, r->dataset_sha256);
    db_bind_text(s, 3, r->method);
    db_bind_text(s, 4, r->options);
    db_bind_i64(s, 5, r->seed);
    db_bind_text(s, 6, r->version);
    db_bind_text(s, 7, r->result);
    db_bind_id(s, 8, actor_id);
    db_bind_id(s, 10, who->org_id); /* NULL = workspace-wide */
    db_bind_i64(s, 9, sr_now());
    rc = db_exec_stmt(db, s, err);
    int64_t id = db_last_id(db);
    char code[32], detail[64];
    snprintf(code, sizeof code, "%lld", (long long)id);
    snprintf(detail, sizeof detail, "method=%s dataset=%lld", r->method,
             (long long)r->dataset_id);
    struct audit_entry e = { actor_id, "analysis.run", "survey_analysis", code,
                             detail };
    rc = audit_finish(db, v, &e, rc, err);
    if (rc == SR_OK) {
        *out_id = id;
    }
    return rc;
}

static const struct survey_analysis_row *
analysis_row(struct db_stmt *s, struct survey_analysis_row *r)
{
    r->id = db_col_i64(s, 0);
    r->dataset_id = db_col_i64(s, 1);
    r->dataset_code = db_col_text(s, 2);
    r->dataset_name = db_col_text(s, 3);
    r->is_dataset_live = db_col_int(s, 4) != 0;
    r->dataset_sha256 = db_col_text(s, 5);
    r->method = db_col_text(s, 6);
    r->options = db_col_text(s, 7);
    r->seed = db_col_i64(s, 8);
    r->version = db_col_text(s, 9);
    r->result = db_col_text(s, 10);
    r->created_by = db_col_i64(s, 11);
    r->created_at = db_col_i64(s, 12);
    return r;
}

/* the organisation of the analysis in the current row: 0 = workspace */
static int64_t
analysis_org(struct db_stmt *s)
{
    return db_col_i64(s, 13);
}

int
survey_analysis_get(struct db *db, const struct principal *who, int64_t id,
                    int (*fn)(const struct survey_analysis_row *r, void *ctx),
                    void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter sf;
    (void)read_scope(who, &sf);
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_AN_GET]);
    db_bind_i64(s, 1, id);
    struct survey_analysis_row r;
    int rc = db_step(s);
    if (rc == DB_ROW && !admits(&sf, analysis_org(s))) {
        rc = DB_DONE;
    }
    if (rc == DB_ROW) {
        fn(analysis_row(s, &r), ctx);
    }
    return stop_one(db, s, rc, "analysis", id, "get analysis", err);
}

static int
visit_analysis(struct db_stmt *s, void *p)
{
    const struct survey_visit *v = p;
    struct survey_analysis_row r;
    return v->analysis_fn(analysis_row(s, &r), v->ctx);
}

int
survey_analysis_list(struct db *db, const struct principal *who,
                     int64_t dataset_id, int limit,
                     int (*fn)(const struct survey_analysis_row *r, void *ctx),
                     void *ctx, struct sr_err *err)
{
    assert(db != NULL && who != NULL && fn != NULL);
    struct scope_filter sf;
    if (read_scope(who, &sf) != SR_OK) {
        return SR_OK;
    }
    struct db_stmt *s = db_stmt(db, &survey_sql[SV_AN_LIST]);
    db_bind_i64(s, 1, dataset_id);
    db_bind_int(s, 2, limit < 1 ? 1 : limit > 1000 ? 1000 : limit);
    db_bind_i64(s, 3, sf.org_id);
    struct survey_visit v = { .analysis_fn = fn, .ctx = ctx };
    return db_each(db, s, visit_analysis, &v, "list analyses", err);
}
