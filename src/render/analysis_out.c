/*
 * analysis_out.c - an analysis report (analysis.c's JSON model) as CSV
 * and as JSON: the one writer of each for `siren stats` and any other
 * front door that offers a report as a file.
 *
 * Owns the report's CSV layout. Must not: compute (analysis.c does),
 * read data, or escape CSV by hand (core/csv.c does).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/analysis_out.h"

#include <assert.h>
#include <stdlib.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/banned.h"

int
analysis_out_value(struct sr_buf *b, const json_t *v)
{
    assert(b != NULL);
    if (json_is_string(v)) {
        return sr_buf_adds(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        return sr_buf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        return sr_buf_printf(b, "%.7g", json_real_value(v));
    } else if (json_is_true(v)) {
        return sr_buf_adds(b, "true");
    } else if (json_is_false(v)) {
        return sr_buf_adds(b, "false");
    }
    return sr_buf_adds(b, "NA");
}

/* one value as a cell: numbers unguarded, everything else as text */
static void
value_cell(struct sr_csv *w, struct sr_buf *b, const json_t *v)
{
    sr_buf_reset(b);
    (void)analysis_out_value(b, v);
    if (json_is_number(v)) {
        sr_csv_number(w, b->data);
    } else {
        sr_csv_text_n(w, b->data, b->len);
    }
}

static void
table_csv(struct sr_csv *w, struct sr_buf *b, const char *name,
          const json_t *rows)
{
    const json_t *first = json_array_get(rows, 0);
    const char *key;
    json_t *val;
    if (first == NULL) {
        return;
    }
    sr_buf_reset(b);
    (void)sr_buf_printf(b, "# %s", name);
    sr_csv_end_row(w);
    sr_csv_text_n(w, b->data, b->len);
    sr_csv_end_row(w);
    json_object_foreach((json_t *)first, key, val)
    {
        sr_csv_text(w, key);
    }
    sr_csv_end_row(w);
    for (size_t r = 0; r < json_array_size(rows); r++) {
        json_object_foreach(json_array_get(rows, r), key, val)
        {
            value_cell(w, b, val);
        }
        sr_csv_end_row(w);
    }
}

int
analysis_out_csv(const json_t *report, FILE *fp)
{
    assert(report != NULL && fp != NULL);
    struct sr_csv w;
    struct sr_buf b;
    const char *key;
    json_t *val;
    sr_csv_init_file(&w, fp, 0);
    sr_buf_init(&b, 0);
    sr_csv_text(&w, "key");
    sr_csv_text(&w, "value");
    sr_csv_end_row(&w);
    json_object_foreach(json_object_get(report, "info"), key, val)
    {
        sr_csv_text(&w, key);
        value_cell(&w, &b, val);
        sr_csv_end_row(&w);
    }
    json_object_foreach(json_object_get(report, "tables"), key, val)
    {
        table_csv(&w, &b, key, val);
    }
    sr_buf_release(&b);
    return sr_csv_status(&w);
}

int
analysis_out_json(const json_t *report, FILE *fp)
{
    assert(report != NULL && fp != NULL);
    char *s = json_dumps(report, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (s == NULL) {
        return SR_ENOMEM;
    }
    int is_bad = fputs(s, fp) == EOF || fputc('\n', fp) == EOF;
    free(s);
    return is_bad ? SR_EIO : SR_OK;
}
