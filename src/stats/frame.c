/*
 * frame.c - load a CSV file into an in-memory table of string cells.
 *
 * Owns: CSV reading through libcsv (strict mode), the caps on input size,
 * rows, columns and cell length, HXL hashtag rows, KoboToolbox/ODK column
 * names (group paths, '_' metadata columns), column lookup and numeric
 * conversion. The input is hostile: every cap is checked before memory
 * grows, every cell is checked as UTF-8, and errors give line and column
 * numbers but never cell contents (they may hold identities).
 * Must not: touch the database, log, or keep a partly loaded frame on error.
 *
 * libcsv trims unquoted spaces and tabs around fields, and skips blank
 * lines. To know physical line numbers, the input is fed to libcsv one
 * line at a time.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/frame.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "core/buf.h"

#include "core/banned.h"

/* libcsv's parser state before any field of a row (ROW_NOT_BEGUN) */
#define CSV_ROW_NOT_BEGUN 0

struct loader {
    struct frame *f;
    const struct frame_limits *lim;
    struct sr_err *err;
    int rc;           /* first error, SR_OK while none */
    size_t line;      /* physical line being fed, 1-based */
    size_t rec_line;  /* line the current record started on */
    size_t n_records; /* records seen, header included */
    size_t *cur;      /* pool offsets of the current record's cells */
    size_t n_cur;     /* cells in the current record */
    size_t cap_cur;   /* entries allocated in cur */
    size_t rec_pool;  /* pool_len when the current record started */
    size_t cap_rows;  /* rows allocated in cell_off and row_line */
};

void
frame_limits_default(struct frame_limits *lim)
{
    lim->max_bytes = (size_t)256 * 1024 * 1024;
    lim->max_rows = 10000000;
    lim->max_cols = 4096;
    lim->max_cell_bytes = 65536;
}

void
frame_release(struct frame *f)
{
    for (size_t i = 0; f != NULL && f->cols != NULL && i < f->n_cols; i++) {
        free(f->cols[i].name);
        free(f->cols[i].tag);
    }
    SR_RELEASE(f, f->cols, f->pool, f->cell_off, f->row_line);
}

static void
pool_add(struct frame *f, const char *p, size_t len)
{
    if (f->pool_cap - f->pool_len < len + 1) {
        size_t want = f->pool_cap ? f->pool_cap : 4096;
        while (want - f->pool_len < len + 1) {
            want *= 2;
        }
        f->pool = sr_xrealloc(f->pool, want);
        f->pool_cap = want;
    }
    if (len > 0) {
        memcpy(f->pool + f->pool_len, p, len);
    }
    f->pool[f->pool_len + len] = '\0';
    f->pool_len += len + 1;
}

static void
on_field(void *s, size_t len, void *data)
{
    struct loader *ld = data;

    if (ld->rc != SR_OK) {
        return;
    }
    if (len > ld->lim->max_cell_bytes) {
        ld->rc = sr_err_set(ld->err, SR_ETOOBIG,
                            "cell too long at line %zu column %zu "
                            "(limit %zu bytes)",
                            ld->line, ld->n_cur + 1, ld->lim->max_cell_bytes);
        return;
    }
    if (ld->n_cur >= ld->lim->max_cols) {
        ld->rc = sr_err_set(ld->err, SR_ETOOBIG,
                            "too many fields at line %zu (limit %zu)", ld->line,
                            ld->lim->max_cols);
        return;
    }
    if (len > 0 && !sr_utf8_valid(s, len)) {
        ld->rc = sr_err_set(ld->err, SR_EINVAL,
                            "invalid UTF-8 or NUL byte at line %zu "
                            "column %zu",
                            ld->line, ld->n_cur + 1);
        return;
    }
    if (ld->n_cur == ld->cap_cur) {
        ld->cap_cur = ld->cap_cur ? 2 * ld->cap_cur : 64;
        ld->cur = sr_xrealloc(ld->cur, ld->cap_cur * sizeof(*ld->cur));
    }
    if (ld->n_cur == 0) {
        ld->rec_pool = ld->f->pool_len;
    }
    ld->cur[ld->n_cur++] = ld->f->pool_len;
    pool_add(ld->f, s, len);
}

static int
is_hxl_row(const struct loader *ld)
{
    size_t i, n_tags = 0;

    for (i = 0; i < ld->n_cur; i++) {
        const char *c = ld->f->pool + ld->cur[i];
        if (c[0] == '\0') {
            continue;
        }
        if (c[0] != '#') {
            return 0;
        }
        n_tags++;
    }
    return n_tags > 0;
}

static void
take_header(struct loader *ld)
{
    struct frame *f = ld->f;
    size_t i;

    f->n_cols = ld->n_cur;
    f->cols = sr_xcalloc(f->n_cols, sizeof(*f->cols));
    for (i = 0; i < f->n_cols; i++) {
        struct frame_col *c = &f->cols[i];
        const char *slash;
        c->name = sr_xstrdup(f->pool + ld->cur[i]);
        slash = strrchr(c->name, '/');
        c->leaf = slash != NULL ? slash + 1 : c->name;
        c->is_meta = c->leaf[0] == '_';
    }
}

static void
on_record(int term, void *data)
{
    struct loader *ld = data;
    struct frame *f = ld->f;

    (void)term;
    if (ld->rc != SR_OK) {
        return;
    }
    if (ld->n_records == 0) {
        take_header(ld);
        f->pool_len = ld->rec_pool;
        ld->n_records++;
        ld->n_cur = 0;
        return;
    }
    if (ld->n_cur != f->n_cols) {
        ld->rc = sr_err_set(ld->err, SR_EINVAL,
                            "ragged row at line %zu: %zu fields, header "
                            "has %zu",
                            ld->rec_line, ld->n_cur, f->n_cols);
        return;
    }
    if (ld->n_records == 1 && is_hxl_row(ld)) {
        size_t i;
        for (i = 0; i < f->n_cols; i++) {
            const char *c = f->pool + ld->cur[i];
            f->cols[i].tag = c[0] != '\0' ? sr_xstrdup(c) : NULL;
        }
        f->has_hxl = true;
        f->pool_len = ld->rec_pool;
        ld->n_records++;
        ld->n_cur = 0;
        return;
    }
    if (f->n_rows >= ld->lim->max_rows) {
        ld->rc = sr_err_set(ld->err, SR_ETOOBIG,
                            "too many rows at line %zu (limit %zu)",
                            ld->rec_line, ld->lim->max_rows);
        return;
    }
    if (f->n_rows == ld->cap_rows) {
        ld->cap_rows = ld->cap_rows ? 2 * ld->cap_rows : 256;
        f->cell_off = sr_xrealloc(f->cell_off, ld->cap_rows * f->n_cols *
                                                   sizeof(*f->cell_off));
        f->row_line =
            sr_xrealloc(f->row_line, ld->cap_rows * sizeof(*f->row_line));
    }
    memcpy(f->cell_off + f->n_rows * f->n_cols, ld->cur,
           f->n_cols * sizeof(*ld->cur));
    f->row_line[f->n_rows] = ld->rec_line;
    f->n_rows++;
    ld->n_records++;
    ld->n_cur = 0;
}

int
frame_parse(struct frame *f, const char *data, size_t len,
            const struct frame_limits *lim, struct sr_err *err)
{
    struct frame_limits dflt;
    struct csv_parser p;
    struct loader ld;
    size_t pos = 0;

    assert(f != NULL && (data != NULL || len == 0));
    if (lim == NULL) {
        frame_limits_default(&dflt);
        lim = &dflt;
    }
    memset(f, 0, sizeof(*f));
    if (len > lim->max_bytes) {
        return sr_err_set(err, SR_ETOOBIG,
                          "input too large: %zu bytes (limit %zu)", len,
                          lim->max_bytes);
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return sr_err_set(err, SR_ENOMEM, "cannot start CSV parser");
    }
    memset(&ld, 0, sizeof(ld));
    ld.f = f;
    ld.lim = lim;
    ld.err = err;
    ld.line = 0;
    while (pos < len && ld.rc == SR_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t chunk = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : len - pos;
        size_t done;

        ld.line++;
        if (p.pstate == CSV_ROW_NOT_BEGUN) {
            ld.rec_line = ld.line;
        }
        done = csv_parse(&p, data + pos, chunk, on_field, on_record, &ld);
        if (ld.rc == SR_OK && done != chunk) {
            ld.rc = sr_err_set(err, SR_EINVAL,
                               "malformed CSV at line %zu column %zu: %s",
                               ld.line, ld.n_cur + 1,
                               csv_error(&p) == CSV_EPARSE ? "misplaced quote"
                                                           : "parser error");
        }
        if (ld.rc == SR_OK && p.entry_pos > lim->max_cell_bytes) {
            ld.rc = sr_err_set(err, SR_ETOOBIG,
                               "cell too long at line %zu column %zu "
                               "(limit %zu bytes)",
                               ld.line, ld.n_cur + 1, lim->max_cell_bytes);
        }
        pos += chunk;
    }
    if (ld.rc == SR_OK && csv_fini(&p, on_field, on_record, &ld) != 0 &&
        ld.rc == SR_OK) {
        ld.rc = sr_err_set(err, SR_EINVAL,
                           "malformed CSV: unterminated quoted field in "
                           "the row starting at line %zu column %zu",
                           ld.rec_line, ld.n_cur + 1);
    }
    csv_free(&p);
    free(ld.cur);
    if (ld.rc == SR_OK && ld.n_records == 0) {
        ld.rc = sr_err_set(err, SR_EINVAL, "empty CSV: no header row");
    }
    if (ld.rc != SR_OK) {
        frame_release(f);
        return ld.rc;
    }
    return SR_OK;
}

int
frame_load(struct frame *f, const char *path, const struct frame_limits *lim,
           struct sr_err *err)
{
    struct frame_limits dflt;
    struct stat st;
    FILE *fp;
    struct sr_buf b;
    int rc;

    assert(f != NULL && path != NULL);
    if (lim == NULL) {
        frame_limits_default(&dflt);
        lim = &dflt;
    }
    fp = fopen(path, "rb");
    if (fp == NULL) {
        return sr_err_set(err, SR_EIO, "cannot open '%s': %s", path,
                          strerror(errno));
    }
    sr_buf_init(&b, lim->max_bytes);
    /* a regular file too large is refused unread; the cap catches a stream */
    if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > lim->max_bytes) {
        rc = SR_ETOOBIG;
    } else {
        rc = sr_buf_add_file(&b, fp);
    }
    fclose(fp);
    if (rc == SR_ETOOBIG) {
        rc =
            sr_err_set(err, SR_ETOOBIG, "file '%s' too large (limit %zu bytes)",
                       path, lim->max_bytes);
    } else if (rc != SR_OK) {
        rc = sr_err_set(err, SR_EIO, "cannot read '%s'", path);
    } else {
        rc = frame_parse(f, b.data, b.len, lim, err);
    }
    sr_buf_release(&b);
    return rc;
}

int
frame_col_find(const struct frame *f, const char *name, size_t *out_col,
               struct sr_err *err)
{
    size_t i, found = 0, n_found = 0;

    assert(f != NULL && name != NULL && out_col != NULL);
    for (i = 0; i < f->n_cols; i++) {
        if (strcmp(f->cols[i].name, name) == 0) {
            *out_col = i;
            return SR_OK;
        }
    }
    if (name[0] == '#') {
        for (i = 0; i < f->n_cols; i++) {
            if (f->cols[i].tag != NULL && strcmp(f->cols[i].tag, name) == 0) {
                found = i;
                n_found++;
            }
        }
    } else {
        for (i = 0; i < f->n_cols; i++) {
            if (strcmp(f->cols[i].leaf, name) == 0) {
                found = i;
                n_found++;
            }
        }
    }
    if (n_found == 0) {
        return sr_err_set(err, SR_ENOTFOUND, "no column '%s'", name);
    }
    if (n_found > 1) {
        return sr_err_set(err, SR_ECONFLICT,
                          "column name '%s' is ambiguous (%zu columns): "
                          "give the full name",
                          name, n_found);
    }
    *out_col = found;
    return SR_OK;
}

const char *
frame_cell(const struct frame *f, size_t row, size_t col)
{
    assert(f != NULL && row < f->n_rows && col < f->n_cols);
    return f->pool + f->cell_off[row * f->n_cols + col];
}

bool
frame_is_missing(const char *cell)
{
    size_t len;

    while (*cell == ' ') {
        cell++;
    }
    len = strlen(cell);
    while (len > 0 && cell[len - 1] == ' ') {
        len--;
    }
    return len == 0 || (len == 2 && memcmp(cell, "NA", 2) == 0) ||
           (len == 3 && memcmp(cell, "N/A", 3) == 0) ||
           (len == 3 && memcmp(cell, "NaN", 3) == 0) ||
           (len == 1 && cell[0] == '.');
}

int
frame_col_numeric(const struct frame *f, size_t col, double *out,
                  size_t *out_n_missing, struct sr_err *err)
{
    size_t r, n_missing = 0;

    assert(f != NULL && col < f->n_cols && (out != NULL || f->n_rows == 0));
    for (r = 0; r < f->n_rows; r++) {
        const char *c = frame_cell(f, r, col);
        char *end;
        double v;

        if (frame_is_missing(c)) {
            out[r] = NAN;
            n_missing++;
            continue;
        }
        errno = 0;
        v = strtod(c, &end);
        while (*end == ' ') {
            end++;
        }
        if (end == c || *end != '\0' || !isfinite(v) || errno == ERANGE) {
            return sr_err_set(err, SR_EINVAL,
                              "column '%s', line %zu: not a number",
                              f->cols[col].name, f->row_line[r]);
        }
        out[r] = v;
    }
    if (out_n_missing != NULL) {
        *out_n_missing = n_missing;
    }
    return SR_OK;
}
