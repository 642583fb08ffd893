/*
 * stats_common.h - CSV frame columns to the arrays src/stats takes: the
 * readers that stored analyses (analysis.c) and, through analysis.c,
 * `siren stats` share.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_COMMON_H
#define SR_STATS_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "stats/frame.h"

/*
 * Read column col of f as a risk predictor: if every cell is a number or
 * missing (frame_is_missing()), store the numbers in out (f->n_rows
 * values, NaN for missing) and set *out_is_numeric; if some cell is not a
 * number (strtod() must take it whole, trailing spaces aside, and give a
 * finite value), clear *out_is_numeric (out is then unspecified: the
 * column is categorical). Plain decimals are converted without strtod()
 * but to the same double. Returns SR_OK, or SR_EINVAL naming the column
 * and line for a number out of the range of double (ERANGE) in a column
 * of numbers. Thread-safe.
 */
int stats_risk_column(const struct frame *f, size_t col, double *out,
                      bool *out_is_numeric, struct sr_err *err);

/* An RDS sample in array form, built by stats_rds_load(). */
struct stats_rds_data {
    size_t n;        /* rows */
    long *recruiter; /* row index of the recruiter, -1 for seeds */
    double *degree;  /* network size, NaN when missing */
    double *trait;   /* trait value, NaN when missing */
};

/*
 * Build rds arrays from frame f using the named columns (id, recruiter
 * id, network size, trait; looked up with frame_col_find()). A recruiter
 * cell that is not an id in the file is a seed if it is "seed", "-1",
 * "0", or missing; any other unknown recruiter is SR_EINVAL naming the
 * line. Ids must be unique and non-empty. The trait is the column's 0/1
 * value, or, if trait_value is not NULL, 1 where the cell equals it and 0
 * elsewhere (missing cells stay missing). Caller frees out with
 * stats_rds_data_release(). Writes *out only on success. Thread-safe.
 */
int stats_rds_load(const struct frame *f, const char *id_col,
                   const char *recruiter_col, const char *degree_col,
                   const char *trait_col, const char *trait_value,
                   struct stats_rds_data *out, struct sr_err *err);

/* Free d's arrays and zero it; safe twice. */
void stats_rds_data_release(struct stats_rds_data *d);

#endif
