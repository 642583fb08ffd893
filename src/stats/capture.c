/*
 * capture.c - the capture-history CSV reader: a header of list names then
 * `count`, one 0/1 history per row (libcsv, capped and strict).
 *
 * Owns nothing beyond the table it returns; prints nothing, holds no
 * state between calls.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/capture.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#include "core/banned.h"

/* ------------------------------------------------------------ CSV reader */

struct csv_ctx {
    struct mse_table t; /* built once the header is read */
    int has_table;
    long long line; /* current record, header = 1 */
    int col;        /* fields seen in the current record */
    int n_cols;     /* header fields */
    char head[MSE_MAX_LISTS + 1][MSE_NAME_MAX];
    uint32_t hist;   /* history of the current record */
    long long count; /* its count */
    long long *seen; /* [n_cells] line of each history, 0 = none */
    double total;
    struct sr_err *err;
    int failed;
};

static void
trim(const char **p, size_t *len)
{
    while (*len > 0 && (**p == ' ' || **p == '\t')) {
        (*p)++;
        (*len)--;
    }
    while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t' ||
                        (*p)[*len - 1] == '\r')) {
        (*len)--;
    }
}

static void fail(struct csv_ctx *c, enum sr_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct csv_ctx *c, enum sr_status code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sr_err_set(c->err, code, "%s", msg);
    c->failed = 1;
}

static void
on_field(void *field, size_t len, void *data)
{
    struct csv_ctx *c = data;
    if (c->failed) {
        return;
    }
    const char *p = field != NULL ? field : "";
    if (field == NULL) {
        len = 0;
    }
    trim(&p, &len);
    int col = c->col++;
    if (c->line == 1) {
        if (col > MSE_MAX_LISTS) {
            fail(c, SR_EINVAL,
                 "line 1: more than %d lists (columns before 'count')",
                 MSE_MAX_LISTS);
            return;
        }
        if (col == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            len -= 3;
        }
        if (len == 0 || len >= MSE_NAME_MAX || !sr_utf8_valid(p, len)) {
            fail(c, SR_EINVAL,
                 "line 1, column %d: header name empty, longer than %d "
                 "bytes or not UTF-8",
                 col + 1, MSE_NAME_MAX - 1);
            return;
        }
        memcpy(c->head[col], p, len);
        c->head[col][len] = '\0';
        return;
    }
    if (col >= c->n_cols) {
        fail(c, SR_EINVAL, "line %lld: more than %d fields", c->line,
             c->n_cols);
        return;
    }
    if (col < c->n_cols - 1) {
        if (len == 1 && (p[0] == '0' || p[0] == '1')) {
            if (p[0] == '1') {
                c->hist |= 1u << col;
            }
            return;
        }
        fail(c, SR_EINVAL, "line %lld, column %d ('%s'): value must be 0 or 1",
             c->line, col + 1, c->head[col]);
        return;
    }
    char num[32];
    if (len == 0 || len >= sizeof num) {
        fail(c, SR_EINVAL,
             "line %lld, column %d ('count'): count missing or too long",
             c->line, col + 1);
        return;
    }
    memcpy(num, p, len);
    num[len] = '\0';
    long long v;
    if (num[0] == '-') {
        fail(c, SR_EINVAL, "line %lld, column %d ('count'): negative count",
             c->line, col + 1);
        return;
    }
    if (sr_parse_i64(num, 0, MSE_CSV_MAX_COUNT, &v) != 0) {
        fail(c, SR_EINVAL,
             "line %lld, column %d ('count'): count must be a whole number "
             "from 0 to %lld",
             c->line, col + 1, MSE_CSV_MAX_COUNT);
        return;
    }
    c->count = v;
}

static void
end_header(struct csv_ctx *c)
{
    c->n_cols = c->col;
    if (c->n_cols < 1 || strcasecmp(c->head[c->n_cols - 1], "count") != 0) {
        fail(c, SR_EINVAL,
             "line 1: missing count column (the last column must be named "
             "'count')");
        return;
    }
    int k = c->n_cols - 1;
    if (k < 2) {
        fail(c, SR_EINVAL, "line 1: fewer than 2 lists");
        return;
    }
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < i; j++) {
            if (strcmp(c->head[i], c->head[j]) == 0) {
                fail(c, SR_EINVAL,
                     "line 1, column %d: list name '%s' repeats column %d",
                     i + 1, c->head[i], j + 1);
                return;
            }
        }
    }
    const char *names[MSE_MAX_LISTS];
    for (int i = 0; i < k; i++) {
        names[i] = c->head[i];
    }
    if (mse_table_init(&c->t, k, names, c->err) != SR_OK) {
        c->failed = 1;
        return;
    }
    c->has_table = 1;
    c->seen = sr_xcalloc(c->t.n_cells, sizeof(long long));
}

static void
on_row(int term, void *data)
{
    (void)term;
    struct csv_ctx *c = data;
    if (c->failed) {
        return;
    }
    if (c->line == 1) {
        end_header(c);
    } else if (c->col != c->n_cols) {
        fail(c, SR_EINVAL, "line %lld: expected %d fields, found %d", c->line,
             c->n_cols, c->col);
    } else if (c->hist == 0) {
        fail(c, SR_EINVAL,
             "line %lld: all-zero history (people on no list cannot be "
             "counted)",
             c->line);
    } else if (c->seen[c->hist] != 0) {
        fail(c, SR_EINVAL, "line %lld: duplicate history (first on line %lld)",
             c->line, c->seen[c->hist]);
    } else {
        c->seen[c->hist] = c->line;
        c->t.count[c->hist] = (double)c->count;
        c->t.n_obs += (double)c->count;
    }
    c->line++;
    c->col = 0;
    c->hist = 0;
    c->count = 0;
}

int
mse_csv_parse(const char *data, size_t len, struct mse_table *t,
              struct sr_err *err)
{
    if (len > MSE_CSV_MAX_BYTES) {
        return sr_err_set(err, SR_ETOOBIG, "input larger than %zu bytes",
                          MSE_CSV_MAX_BYTES);
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        return sr_err_set(err, SR_ENOMEM, "cannot start the CSV parser");
    }
    struct csv_ctx *c = sr_xcalloc(1, sizeof *c);
    c->line = 1;
    c->err = err;
    if (csv_parse(&p, data, len, on_field, on_row, c) != len && !c->failed) {
        fail(c, SR_EINVAL, "line %lld: malformed CSV (%s)", c->line,
             csv_strerror(csv_error(&p)));
    }
    if (!c->failed && csv_fini(&p, on_field, on_row, c) != 0) {
        fail(c, SR_EINVAL, "line %lld: malformed CSV (%s)", c->line,
             csv_strerror(csv_error(&p)));
    }
    csv_free(&p);
    if (!c->failed && !c->has_table) {
        fail(c, SR_EINVAL, "line 1: empty input, no header");
    }
    if (!c->failed && c->line <= 2) {
        fail(c, SR_EINVAL, "line 2: no capture histories after the header");
    }
    int rc = SR_OK;
    if (c->failed) {
        rc = err != NULL && err->code != SR_OK ? (int)err->code : SR_EINVAL;
        mse_table_release(&c->t);
    } else {
        *t = c->t;
    }
    free(c->seen);
    free(c);
    return rc;
}

int
mse_csv_read_file(const char *path, struct mse_table *t, struct sr_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return sr_err_set(err, SR_EIO, "cannot open '%s': %s", path,
                          strerror(errno));
    }
    struct sr_buf b;
    sr_buf_init(&b, MSE_CSV_MAX_BYTES);
    int rc = sr_buf_add_file(&b, f);
    fclose(f);
    if (rc == SR_ETOOBIG) {
        rc = sr_err_set(err, SR_ETOOBIG, "file '%s' larger than %zu bytes",
                        path, MSE_CSV_MAX_BYTES);
    } else if (rc != SR_OK) {
        rc = sr_err_set(err, SR_EIO, "cannot read '%s'", path);
    } else {
        rc = mse_csv_parse(b.data, b.len, t, err);
    }
    sr_buf_release(&b);
    return rc;
}
