/*
 * stats_common.c - CSV frame columns to the arrays src/stats takes, where
 * a reader has a contract of its own (a test, a fuzz target): the risk
 * predictor reader stats_risk_column() and the RDS loader.
 *
 * A file of its own rather than part of analysis.c so that these readers,
 * their unit tests (test_stats_logit_csv.c, test_stats_rds.c) and the
 * fuzz target fuzz_risk_column.c link without the analysis runner and its
 * store; analysis.c is their one caller in the program (`siren stats`
 * computes through analysis.c). The small column helpers only the runner
 * needs (outcome, design) stay static in analysis.c.
 *
 * Owns: no state. Must not: print anything, or put a cell's text in an
 * error (cells may identify people); errors name the column and line.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/stats_common.h"

#include <assert.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* 10^0 .. 10^22, all exactly representable as doubles */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * The common cell "[+-]digits[.digits]" (trailing spaces allowed) with at
 * most 19 digits, a significand m <= 2^53 and at most 22 decimals: then
 * m and 10^decimals are exact doubles and one IEEE division rounds their
 * quotient correctly, so the result is bit for bit what strtod() returns
 * (Clinger's fast path). Anything else returns false for strtod() to
 * handle. Needs arithmetic in double precision (not x87 extended).
 */
static bool
parse_plain_decimal(const char *s, double *out)
{
#if FLT_EVAL_METHOD == 0
    const char *p = s;
    uint64_t m = 0;
    int n_digits = 0, n_decimals = 0;
    bool is_neg = false, has_dot = false;
    double v;

    if (*p == '-' || *p == '+') {
        is_neg = *p == '-';
        p++;
    }
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n_digits == 19) {
                return false;
            }
            m = m * 10 + (uint64_t)(*p - '0');
            n_digits++;
            n_decimals += has_dot;
        } else if (*p == '.' && !has_dot) {
            has_dot = true;
        } else {
            break;
        }
    }
    while (*p == ' ') {
        p++;
    }
    if (*p != '\0' || n_digits == 0 || m > ((uint64_t)1 << 53) ||
        n_decimals > 22) {
        return false;
    }
    v = (double)m;
    if (n_decimals > 0) {
        v /= pow10_exact[n_decimals];
    }
    *out = is_neg ? -v : v;
    return true;
#else
    (void)s;
    (void)out;
    return false;
#endif
}

int
stats_risk_column(const struct frame *f, size_t col, double *out,
                  bool *out_is_numeric, struct sr_err *err)
{
    size_t r, range_row = SIZE_MAX;

    assert(f != NULL && col < f->n_cols && out_is_numeric != NULL &&
           (out != NULL || f->n_rows == 0));
    for (r = 0; r < f->n_rows; r++) {
        const char *c = frame_cell(f, r, col);
        char *end;
        double v;
        if (parse_plain_decimal(c, &out[r])) {
            continue; /* never a missing-value marker */
        }
        if (frame_is_missing(c)) {
            out[r] = NAN;
            continue;
        }
        errno = 0;
        v = strtod(c, &end);
        if (errno == ERANGE && range_row == SIZE_MAX) {
            range_row = r;
        }
        while (*end == ' ') {
            end++;
        }
        if (end == c || *end != '\0' || !isfinite(v)) {
            *out_is_numeric = false;
            return SR_OK;
        }
        out[r] = v;
    }
    if (range_row != SIZE_MAX) {
        return sr_err_set(err, SR_EINVAL, "column '%s', line %zu: not a number",
                          f->cols[col].name, f->row_line[range_row]);
    }
    *out_is_numeric = true;
    return SR_OK;
}

/* ---- RDS loader ---- */

struct id_ref {
    const char *id; /* borrowed from the frame */
    size_t row;
};

static int
cmp_id_ref(const void *a, const void *b)
{
    return strcmp(((const struct id_ref *)a)->id,
                  ((const struct id_ref *)b)->id);
}

void
stats_rds_data_release(struct stats_rds_data *d)
{
    SR_RELEASE(d, d->recruiter, d->degree, d->trait);
}

static bool
is_seed_marker(const char *c)
{
    return frame_is_missing(c) || strcmp(c, "seed") == 0 ||
           strcmp(c, "-1") == 0 || strcmp(c, "0") == 0;
}

int
stats_rds_load(const struct frame *f, const char *id_col,
               const char *recruiter_col, const char *degree_col,
               const char *trait_col, const char *trait_value,
               struct stats_rds_data *out, struct sr_err *err)
{
    size_t c_id, c_rec, c_deg, c_tr, r, n = f->n_rows;
    struct id_ref *ids = NULL;
    struct stats_rds_data d = { 0 };
    int rc;

    if ((rc = frame_col_find(f, id_col, &c_id, err)) != SR_OK ||
        (rc = frame_col_find(f, recruiter_col, &c_rec, err)) != SR_OK ||
        (rc = frame_col_find(f, degree_col, &c_deg, err)) != SR_OK ||
        (rc = frame_col_find(f, trait_col, &c_tr, err)) != SR_OK) {
        return rc;
    }
    d.n = n;
    d.recruiter = sr_xcalloc(n ? n : 1, sizeof(*d.recruiter));
    d.degree = sr_xcalloc(n ? n : 1, sizeof(*d.degree));
    d.trait = sr_xcalloc(n ? n : 1, sizeof(*d.trait));
    if ((rc = frame_col_numeric(f, c_deg, d.degree, NULL, err)) != SR_OK ||
        (trait_value == NULL &&
         (rc = frame_col_numeric(f, c_tr, d.trait, NULL, err)) != SR_OK)) {
        goto fail;
    }
    for (r = 0; trait_value != NULL && r < n; r++) {
        const char *c = frame_cell(f, r, c_tr);
        d.trait[r] = frame_is_missing(c) ? NAN : strcmp(c, trait_value) == 0;
    }
    ids = sr_xcalloc(n ? n : 1, sizeof(*ids));
    for (r = 0; r < n; r++) {
        ids[r].id = frame_cell(f, r, c_id);
        ids[r].row = r;
        if (frame_is_missing(ids[r].id)) {
            rc = sr_err_set(err, SR_EINVAL, "column '%s', line %zu: empty id",
                            f->cols[c_id].name, f->row_line[r]);
            goto fail;
        }
    }
    qsort(ids, n, sizeof(*ids), cmp_id_ref);
    for (r = 1; r < n; r++) {
        if (strcmp(ids[r - 1].id, ids[r].id) == 0) {
            size_t later =
                ids[r - 1].row > ids[r].row ? ids[r - 1].row : ids[r].row;
            rc = sr_err_set(err, SR_EINVAL,
                            "column '%s', line %zu: duplicate id",
                            f->cols[c_id].name, f->row_line[later]);
            goto fail;
        }
    }
    for (r = 0; r < n; r++) {
        struct id_ref key, *hit;
        key.id = frame_cell(f, r, c_rec);
        key.row = 0;
        hit = n ? bsearch(&key, ids, n, sizeof(*ids), cmp_id_ref) : NULL;
        if (hit != NULL) {
            d.recruiter[r] = (long)hit->row;
        } else if (is_seed_marker(key.id)) {
            d.recruiter[r] = -1;
        } else {
            rc = sr_err_set(err, SR_EINVAL,
                            "column '%s', line %zu: recruiter is not an id "
                            "in the file",
                            f->cols[c_rec].name, f->row_line[r]);
            goto fail;
        }
    }
    free(ids);
    *out = d;
    return SR_OK;
fail:
    free(ids);
    stats_rds_data_release(&d);
    return rc;
}
