/*
 * analysis.c - runs prevalence, risk-factor, MSE and RDS analyses on a
 * stored data set through the numerical core (src/stats), and records
 * each run (survey_store.c) with what is needed to rerun it.
 *
 * Owns the one computation of each method from a CSV frame and its
 * options (analysis_compute_frame(): option checks, column helpers,
 * survey design, report building), used by the stored analyses and by
 * `siren stats prevalence|risk|rds` alike; the MSE model ranking shared
 * with `siren stats mse`; the option names of stored analyses and the
 * JSON shape of their results (enum analysis_form: the stored form is
 * frozen for reruns, the CLI form is what `siren stats` prints). The
 * readers with tests and a fuzz target of their own are in
 * stats_common.c. No SQL (in survey_store.c), no HTML, no stdio. Must
 * not: put a cell's text in an error, or keep any row-level data in a
 * result (only aggregates).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/analysis.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "stats/frame.h"
#include "stats/capture.h"
#include "stats/num/binom.h"
#include "stats/num/logit.h"
#include "stats/num/loglin.h"
#include "stats/num/mse.h"
#include "stats/num/rds.h"
#include "stats/num/survey.h"
#include "stats/stats_common.h"
#include "stats/survey_store.h"
#include "base/vault.h"
#include "core/banned.h"

#ifndef SIREN_VERSION
#define SIREN_VERSION "unknown"
#endif

#define MAX_PREDICTORS 200
#define MAX_OPT_BYTES  1000

static const char *const prevalence_opts[] = {
    "outcome", "weight", "strata", "cluster", "fpc",
    "by",      "lonely", "level",  NULL,
};
static const char *const risk_opts[] = {
    "outcome", "predictors", "ref",    "categorical", "weight", "strata",
    "cluster", "fpc",        "lonely", "profile",     "level",  NULL,
};
static const char *const rds_opts[] = {
    "trait", "value",          "id",    "recruiter", "degree",
    "boot",  "missing-degree", "level", NULL,
};
static const char *const mse_opts[] = {
    "model", "max-order", "rank", "top", "threshold", "boot", "level", NULL,
};

const char *const *
analysis_option_names(const char *method)
{
    if (method == NULL) {
        return NULL;
    }
    if (strcmp(method, "prevalence") == 0) {
        return prevalence_opts;
    }
    if (strcmp(method, "risk") == 0) {
        return risk_opts;
    }
    if (strcmp(method, "rds") == 0) {
        return rds_opts;
    }
    if (strcmp(method, "mse") == 0) {
        return mse_opts;
    }
    return NULL;
}

bool
analysis_method_valid(const char *method)
{
    return analysis_option_names(method) != NULL;
}

/* ---- options ------------------------------------------------------------ */

static const char *
opt(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static int
opt_double(const json_t *o, const char *key, double dflt, double lo, double hi,
           double *out, struct sr_err *err)
{
    const char *s = opt(o, key);
    char *end;
    *out = dflt;
    if (s == NULL) {
        return SR_OK;
    }
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v > lo && v < hi)) {
        return sr_err_set(err, SR_EINVAL, "%s: need a number in (%g, %g)", key,
                          lo, hi);
    }
    *out = v;
    return SR_OK;
}

static int
opt_int(const json_t *o, const char *key, long long dflt, long long lo,
        long long hi, long long *out, struct sr_err *err)
{
    const char *s = opt(o, key);
    *out = dflt;
    if (s != NULL && sr_parse_i64(s, lo, hi, out) != SR_OK) {
        return sr_err_set(err, SR_EINVAL,
                          "%s: need a whole number from %lld "
                          "to %lld",
                          key, lo, hi);
    }
    return SR_OK;
}

bool
analysis_uses_seed(const char *method, const json_t *options)
{
    long long boot = 0;
    if (method != NULL && strcmp(method, "rds") == 0) {
        /* RDS bootstraps 1000 times unless told otherwise */
        return opt_int(options, "boot", 1000, 0, 100000, &boot, NULL) !=
                   SR_OK ||
               boot > 0;
    }
    if (method != NULL && strcmp(method, "mse") == 0) {
        return opt_int(options, "boot", 0, 0, 100000, &boot, NULL) != SR_OK ||
               boot > 0;
    }
    return false;
}

/* whether any of the survey design's columns is named */
static bool
has_design(const json_t *o)
{
    return opt(o, "weight") || opt(o, "strata") || opt(o, "cluster") ||
           opt(o, "fpc");
}

static int
opt_lonely(const json_t *o, enum survey_lonely *out, struct sr_err *err)
{
    const char *lonely = opt(o, "lonely");
    *out = SURVEY_LONELY_ADJUST;
    if (lonely == NULL || strcmp(lonely, "adjust") == 0) {
        return SR_OK;
    }
    if (strcmp(lonely, "certainty") == 0) {
        *out = SURVEY_LONELY_CERTAINTY;
    } else if (strcmp(lonely, "fail") == 0) {
        *out = SURVEY_LONELY_FAIL;
    } else {
        return sr_err_set(err, SR_EINVAL, "lonely: adjust, certainty or fail");
    }
    return SR_OK;
}

/* split a comma list into a new array of new strings (empty items dropped;
 * none: NULL) */
static size_t
split_list(const char *s, char ***out)
{
    size_t n = 0, cap = 0;
    char **v = NULL;
    while (s != NULL && *s != '\0') {
        const char *comma = strchr(s, ',');
        size_t len = comma != NULL ? (size_t)(comma - s) : strlen(s);
        if (len > 0) {
            v = sr_xgrow(v, n, &cap, sizeof(*v));
            v[n++] = sr_xstrndup(s, len);
        }
        s = comma != NULL ? comma + 1 : NULL;
    }
    *out = v;
    return n;
}

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static bool
in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* risk's list options, split; refs[i] is "COL\0LEVEL" */
struct risk_lists {
    char **pred, **refs, **cats;
    size_t n_pred, n_refs, n_cats;
    bool want_profile;
};

static void
risk_lists_release(struct risk_lists *l)
{
    free_list(l->pred, l->n_pred);
    free_list(l->refs, l->n_refs);
    free_list(l->cats, l->n_cats);
    memset(l, 0, sizeof(*l));
}

static int
risk_lists_parse(const json_t *o, struct risk_lists *l, struct sr_err *err)
{
    const char *prof = opt(o, "profile");
    int rc = SR_OK;
    memset(l, 0, sizeof(*l));
    if (opt(o, "outcome") == NULL || opt(o, "predictors") == NULL) {
        return sr_err_set(err, SR_EINVAL, "%s: required",
                          opt(o, "outcome") == NULL ? "outcome" : "predictors");
    }
    l->want_profile = prof != NULL && strcmp(prof, "0") != 0;
    l->n_pred = split_list(opt(o, "predictors"), &l->pred);
    l->n_refs = split_list(opt(o, "ref"), &l->refs);
    l->n_cats = split_list(opt(o, "categorical"), &l->cats);
    if (l->n_pred == 0 || l->n_pred > MAX_PREDICTORS) {
        rc = sr_err_set(err, SR_EINVAL, "predictors: 1 to %d names",
                        MAX_PREDICTORS);
    }
    for (size_t i = 0; rc == SR_OK && i < l->n_refs; i++) {
        char *eq = strchr(l->refs[i], '=');
        if (eq == NULL || eq == l->refs[i]) {
            rc = sr_err_set(err, SR_EINVAL, "ref: need COL=LEVEL,...");
            break;
        }
        *eq = '\0';
        if (!in_list(l->pred, l->n_pred, l->refs[i])) {
            rc = sr_err_set(err, SR_EINVAL, "ref: '%s' is not in predictors",
                            l->refs[i]);
        }
    }
    if (rc == SR_OK && l->want_profile && has_design(o)) {
        rc = sr_err_set(err, SR_EINVAL,
                        "profile: profile likelihood does not apply to a "
                        "survey design");
    }
    if (rc != SR_OK) {
        risk_lists_release(l);
    }
    return rc;
}

static int
rds_opts_parse(const json_t *o, double level, unsigned long seed,
               struct rds_options *ro, struct sr_err *err)
{
    const char *md = opt(o, "missing-degree");
    long long boot;
    int rc;
    if (opt(o, "trait") == NULL) {
        return sr_err_set(err, SR_EINVAL, "trait: required");
    }
    rds_options_default(ro);
    ro->level = level;
    ro->seed = seed;
    if ((rc = opt_int(o, "boot", 1000, 0, 100000, &boot, err)) != SR_OK) {
        return rc;
    }
    ro->n_boot = (size_t)boot;
    if (md != NULL) {
        if (strcmp(md, "median") == 0) {
            ro->missing_degree = RDS_DEGREE_MEDIAN;
        } else if (strcmp(md, "mean") == 0) {
            ro->missing_degree = RDS_DEGREE_MEAN;
        } else if (strcmp(md, "drop") != 0) {
            return sr_err_set(err, SR_EINVAL,
                              "missing-degree: drop, median or mean");
        }
    }
    return SR_OK;
}

/* the values of prevalence's, risk's and rds's options that need no data */
static int
check_values(const char *method, const json_t *o, struct sr_err *err)
{
    enum survey_lonely lonely;
    double level;
    int rc = opt_double(o, "level", 0.95, 0, 1, &level, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (strcmp(method, "prevalence") == 0) {
        if (opt(o, "outcome") == NULL) {
            return sr_err_set(err, SR_EINVAL, "outcome: required");
        }
        return opt_lonely(o, &lonely, err);
    }
    if (strcmp(method, "risk") == 0) {
        struct risk_lists l;
        if ((rc = risk_lists_parse(o, &l, err)) != SR_OK) {
            return rc;
        }
        risk_lists_release(&l);
        return opt_lonely(o, &lonely, err);
    }
    if (strcmp(method, "rds") == 0) {
        struct rds_options ro;
        return rds_opts_parse(o, level, 0, &ro, err);
    }
    return SR_OK; /* mse: its values are checked against the lists */
}

/* names known to method, values strings (capped when is_capped) */
static int
check_options(const char *method, const json_t *o, bool is_capped,
              struct sr_err *err)
{
    const char *const *names = analysis_option_names(method);
    const char *key;
    json_t *val;
    if (names == NULL) {
        return sr_err_set(err, SR_EINVAL,
                          "method: must be prevalence, risk, mse or rds");
    }
    if (o != NULL && !json_is_object(o)) {
        return sr_err_set(err, SR_EINVAL, "options: must be an object");
    }
    json_object_foreach((json_t *)o, key, val)
    {
        bool is_known = false;
        for (size_t i = 0; names[i] != NULL; i++) {
            is_known = is_known || strcmp(names[i], key) == 0;
        }
        if (!is_known) {
            return sr_err_set(err, SR_EINVAL,
                              "options: '%.40s' is not an option of %s", key,
                              method);
        }
        if (!json_is_string(val) ||
            (is_capped && strlen(json_string_value(val)) > MAX_OPT_BYTES)) {
            return sr_err_set(err, SR_EINVAL,
                              "%s: must be a string of at most %d bytes", key,
                              MAX_OPT_BYTES);
        }
    }
    return SR_OK;
}

int
analysis_check_options(const char *method, const json_t *options,
                       struct sr_err *err)
{
    int rc = check_options(method, options, false, err);
    return rc != SR_OK ? rc : check_values(method, options, err);
}

/* ---- report ------------------------------------------------------------- */

static json_t *
num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void
set_num(json_t *o, const char *k, double v)
{
    json_object_set_new(o, k, num(v));
}

static void
set_int(json_t *o, const char *k, long long v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

static void
set_str(json_t *o, const char *k, const char *v)
{
    /* strings from the data were checked as UTF-8 by frame.c */
    json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

static json_t *
report_new(const char *method, enum analysis_form form, json_t **info,
           json_t **tables)
{
    json_t *r = json_object();
    set_str(r, form == ANALYSIS_FORM_CLI ? "command" : "method", method);
    *info = json_object();
    *tables = json_object();
    json_object_set_new(r, "info", *info);
    json_object_set_new(r, "tables", *tables);
    return r;
}

/* ---- columns ------------------------------------------------------------ */

/* a column named in the options; absent or ambiguous is bad input */
static int
find_col(const struct frame *f, const char *name, size_t *col,
         struct sr_err *err)
{
    int rc = frame_col_find(f, name, col, err);
    if (rc == SR_ENOTFOUND || rc == SR_ECONFLICT) {
        if (err != NULL) {
            err->code = SR_EINVAL;
        }
        return SR_EINVAL;
    }
    return rc;
}

static int
num_col(const struct frame *f, size_t col, bool is_required, double lo,
        double hi, double *out, struct sr_err *err)
{
    int rc = frame_col_numeric(f, col, out, NULL, err);
    for (size_t r = 0; rc == SR_OK && r < f->n_rows; r++) {
        if (isnan(out[r]) && is_required) {
            return sr_err_set(err, SR_EINVAL,
                              "column '%s', line %zu: missing value",
                              f->cols[col].name, f->row_line[r]);
        }
        if (!isnan(out[r]) && (out[r] < lo || out[r] > hi)) {
            return sr_err_set(err, SR_EINVAL,
                              "column '%s', line %zu: value out of range "
                              "[%g, %g]",
                              f->cols[col].name, f->row_line[r], lo, hi);
        }
    }
    return rc;
}

static int
binary_col(const struct frame *f, size_t col, double *out, struct sr_err *err)
{
    int rc = num_col(f, col, false, 0, 1, out, err);
    for (size_t r = 0; rc == SR_OK && r < f->n_rows; r++) {
        if (!isnan(out[r]) && out[r] != 0 && out[r] != 1) {
            return sr_err_set(err, SR_EINVAL,
                              "column '%s', line %zu: must be 0 or 1",
                              f->cols[col].name, f->row_line[r]);
        }
    }
    return rc;
}

struct str_ref {
    const char *s;
    size_t row;
};

static int
cmp_str_ref(const void *a, const void *b)
{
    const struct str_ref *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

/* group ids: the integers when all cells are, else ranks of the text */
static int
id_col(const struct frame *f, size_t col, long *out, struct sr_err *err)
{
    size_t n = f->n_rows, rank = 0;
    bool is_int = true;
    for (size_t r = 0; r < n; r++) {
        const char *c = frame_cell(f, r, col);
        long long x;
        if (frame_is_missing(c)) {
            return sr_err_set(err, SR_EINVAL,
                              "column '%s', line %zu: missing value",
                              f->cols[col].name, f->row_line[r]);
        }
        if (is_int &&
            sr_parse_i64(c, -1000000000000LL, 1000000000000LL, &x) == SR_OK) {
            out[r] = (long)x;
        } else {
            is_int = false;
        }
    }
    if (is_int) {
        return SR_OK;
    }
    struct str_ref *v = sr_xcalloc(n ? n : 1, sizeof(*v));
    for (size_t r = 0; r < n; r++) {
        v[r].s = frame_cell(f, r, col);
        v[r].row = r;
    }
    qsort(v, n, sizeof(*v), cmp_str_ref);
    for (size_t r = 0; r < n; r++) {
        if (r == 0 || strcmp(v[r].s, v[r - 1].s) != 0) {
            rank++;
        }
        out[v[r].row] = (long)rank;
    }
    free(v);
    return SR_OK;
}

struct design {
    struct survey_design d;
    double *w, *fpc;
    long *s, *c;
    bool is_any;
};

static void
design_release(struct design *ds)
{
    SR_RELEASE(ds, ds->w, ds->fpc, ds->s, ds->c);
}

/*
 * The design column named by option key, if given, into a new array:
 * numbers >= 0 with none missing into *num (weight, fpc), or group ids
 * into *ids (strata, clusters).
 */
static int
design_col(const struct frame *f, const json_t *o, const char *key,
           double **num, long **ids, struct sr_err *err)
{
    const char *name = opt(o, key);
    size_t col;
    int rc;
    if (name == NULL) {
        return SR_OK;
    }
    if ((rc = find_col(f, name, &col, err)) != SR_OK) {
        return rc;
    }
    if (num != NULL) {
        *num = sr_xcalloc(f->n_rows + 1, sizeof(**num));
        return num_col(f, col, true, 0, INFINITY, *num, err);
    }
    *ids = sr_xcalloc(f->n_rows + 1, sizeof(**ids));
    return id_col(f, col, *ids, err);
}

static int
design_build(const struct frame *f, const json_t *o, struct design *ds,
             struct sr_err *err)
{
    int rc;
    memset(ds, 0, sizeof(*ds));
    ds->d.n = f->n_rows;
    ds->is_any = has_design(o);
    if ((rc = opt_lonely(o, &ds->d.lonely, err)) != SR_OK ||
        (rc = design_col(f, o, "weight", &ds->w, NULL, err)) != SR_OK ||
        (rc = design_col(f, o, "fpc", &ds->fpc, NULL, err)) != SR_OK ||
        (rc = design_col(f, o, "strata", NULL, &ds->s, err)) != SR_OK ||
        (rc = design_col(f, o, "cluster", NULL, &ds->c, err)) != SR_OK) {
        return rc;
    }
    ds->d.weight = ds->w;
    ds->d.fpc = ds->fpc;
    ds->d.stratum = ds->s;
    ds->d.cluster = ds->c;
    return SR_OK;
}

/* ---- prevalence --------------------------------------------------------- */

/* every binomial interval of x of n (stats/binom.h), one row a method */
static int
binom_rows(long long x, long long n, double level, json_t **out,
           struct sr_err *err)
{
    json_t *rows = json_array();
    for (int m = 0; m < BINOM__COUNT; m++) {
        struct binom_ci ci;
        int rc =
            binom_ci((long)x, (long)n, level, (enum binom_method)m, &ci, err);
        if (rc != SR_OK) {
            json_decref(rows);
            return rc;
        }
        json_t *row = json_object();
        set_str(row, "method", binom_method_name((enum binom_method)m));
        set_num(row, "estimate", ci.est);
        set_num(row, "lower", ci.lo);
        set_num(row, "upper", ci.hi);
        json_array_append_new(rows, row);
    }
    *out = rows;
    return SR_OK;
}

int
analysis_binomial(long long x, long long n, double level, json_t **out,
                  struct sr_err *err)
{
    json_t *rows, *info, *tables;
    assert(out != NULL);
    int rc = binom_rows(x, n, level, &rows, err);
    if (rc != SR_OK) {
        return rc;
    }
    json_t *rep = report_new("prevalence", ANALYSIS_FORM_CLI, &info, &tables);
    set_int(info, "x", x);
    set_int(info, "n", n);
    set_num(info, "estimate", (double)x / (double)n);
    set_num(info, "level", level);
    json_object_set_new(tables, "intervals", rows);
    *out = rep;
    return SR_OK;
}

static json_t *
est_row(const char *group, const char *lvl, const struct survey_est *e)
{
    json_t *row = json_object();
    set_str(row, "group", group);
    set_str(row, "level", lvl);
    set_int(row, "n", (long long)e->n);
    set_num(row, "sum_weights", e->sum_w);
    set_num(row, "estimate", e->est);
    set_num(row, "se", e->se);
    set_num(row, "deff", e->deff);
    set_num(row, "df", e->df);
    set_num(row, "logit_lower", e->logit_lo);
    set_num(row, "logit_upper", e->logit_hi);
    set_num(row, "kg_lower", e->kg_lo);
    set_num(row, "kg_upper", e->kg_hi);
    return row;
}

static int
run_prevalence(const struct frame *f, const json_t *o, double level,
               enum analysis_form form, json_t **out, struct sr_err *err)
{
    struct design ds = { 0 };
    struct survey_est e;
    size_t col, n = 0, x = 0;
    json_t *rep = NULL, *info, *tables, *rows;
    int rc;
    if (opt(o, "outcome") == NULL) {
        return sr_err_set(err, SR_EINVAL, "outcome: required");
    }
    double *y = sr_xcalloc(f->n_rows + 1, sizeof(*y));
    bool *dom = NULL;
    if ((rc = find_col(f, opt(o, "outcome"), &col, err)) != SR_OK ||
        (rc = binary_col(f, col, y, err)) != SR_OK ||
        (rc = design_build(f, o, &ds, err)) != SR_OK ||
        (rc = survey_mean(&ds.d, y, NULL, level, true, &e, err)) != SR_OK) {
        goto done;
    }
    for (size_t r = 0; r < f->n_rows; r++) {
        if (!isnan(y[r])) {
            n++;
            x += y[r] == 1;
        }
    }
    rep = report_new("prevalence", form, &info, &tables);
    set_str(info, "outcome", f->cols[col].name);
    set_int(info, "rows", (long long)f->n_rows);
    set_int(info, "missing_outcome", (long long)(f->n_rows - n));
    if (form == ANALYSIS_FORM_STORED) {
        set_int(info, "x", (long long)x);
        set_int(info, "n", (long long)n);
    }
    set_str(info, "design",
            ds.is_any ? "weighted/stratified/clustered"
                      : "simple random sample");
    set_num(info, "level", level);
    if (!ds.is_any && form == ANALYSIS_FORM_STORED) {
        if ((rc = binom_rows((long long)x, (long long)n, level, &rows, err)) !=
            SR_OK) {
            goto done;
        }
        json_object_set_new(tables, "intervals", rows);
    }
    rows = json_array();
    json_array_append_new(rows, est_row("all", "", &e));
    if (opt(o, "by") != NULL) {
        size_t bc, nv = 0;
        if ((rc = find_col(f, opt(o, "by"), &bc, err)) != SR_OK) {
            json_decref(rows);
            goto done;
        }
        struct str_ref *v = sr_xcalloc(f->n_rows + 1, sizeof(*v));
        for (size_t r = 0; r < f->n_rows; r++) {
            if (!frame_is_missing(frame_cell(f, r, bc))) {
                v[nv].s = frame_cell(f, r, bc);
                v[nv++].row = r;
            }
        }
        qsort(v, nv, sizeof(*v), cmp_str_ref);
        dom = sr_xcalloc(f->n_rows + 1, sizeof(*dom));
        for (size_t k = 0; k < nv;) {
            size_t j = k;
            memset(dom, 0, f->n_rows * sizeof(*dom));
            while (j < nv && strcmp(v[j].s, v[k].s) == 0) {
                dom[v[j++].row] = true;
            }
            struct sr_err derr = { 0 };
            if (survey_mean(&ds.d, y, dom, level, true, &e, &derr) == SR_OK) {
                json_array_append_new(rows,
                                      est_row(f->cols[bc].name, v[k].s, &e));
            } else {
                /* a subgroup with no outcome: n 0, every number null */
                struct survey_est empty;
                memset(&empty, 0, sizeof empty);
                empty.est = empty.se = empty.deff = empty.df = NAN;
                empty.sum_w = empty.logit_lo = empty.logit_hi = NAN;
                empty.kg_lo = empty.kg_hi = NAN;
                json_array_append_new(
                    rows, est_row(f->cols[bc].name, v[k].s, &empty));
            }
            sr_err_release(&derr);
            k = j;
        }
        free(v);
    }
    json_object_set_new(tables, "estimates", rows);
    *out = rep;
    rep = NULL;
done:
    json_decref(rep);
    design_release(&ds);
    free(y);
    free(dom);
    return rc;
}

/* ---- risk --------------------------------------------------------------- */

static int
run_risk(const struct frame *f, const json_t *o, double level,
         enum analysis_form form, json_t **out, struct sr_err *err)
{
    struct design ds = { 0 };
    struct logit_fit fit = { 0 };
    struct logit_input in;
    struct risk_lists l;
    size_t col;
    int rc = risk_lists_parse(o, &l, err);

    if (rc != SR_OK) {
        return rc;
    }
    double *y = sr_xcalloc(f->n_rows + 1, sizeof(*y));
    struct logit_term *terms = sr_xcalloc(l.n_pred + 1, sizeof(*terms));
    double **nums = sr_xcalloc(l.n_pred + 1, sizeof(*nums));
    const char ***strs = sr_xcalloc(l.n_pred + 1, sizeof(*strs));
    if ((rc = find_col(f, opt(o, "outcome"), &col, err)) != SR_OK ||
        (rc = binary_col(f, col, y, err)) != SR_OK ||
        (rc = design_build(f, o, &ds, err)) != SR_OK) {
        goto done;
    }
    for (size_t i = 0; i < l.n_pred; i++) {
        size_t pc;
        if ((rc = find_col(f, l.pred[i], &pc, err)) != SR_OK) {
            goto done;
        }
        terms[i].name = l.pred[i];
        bool is_cat = in_list(l.cats, l.n_cats, l.pred[i]);
        for (size_t k = 0; k < l.n_refs; k++) {
            if (strcmp(l.refs[k], l.pred[i]) == 0) {
                terms[i].ref = l.refs[k] + strlen(l.refs[k]) + 1;
                is_cat = true;
            }
        }
        if (!is_cat) {
            bool is_num = false;
            nums[i] = sr_xcalloc(f->n_rows + 1, sizeof(*nums[i]));
            if ((rc = stats_risk_column(f, pc, nums[i], &is_num, err)) !=
                SR_OK) {
                goto done;
            }
            is_cat = !is_num;
        }
        if (is_cat) {
            strs[i] = sr_xcalloc(f->n_rows + 1, sizeof(*strs[i]));
            for (size_t r = 0; r < f->n_rows; r++) {
                const char *c = frame_cell(f, r, pc);
                strs[i][r] = frame_is_missing(c) ? NULL : c;
            }
            terms[i].cat = strs[i];
        } else {
            terms[i].num = nums[i];
        }
    }
    in.n = f->n_rows;
    in.y = y;
    in.n_terms = l.n_pred;
    in.terms = terms;
    in.design = ds.is_any ? &ds.d : NULL;
    in.level = level;
    in.want_profile = l.want_profile;
    if ((rc = logit_fit(&in, &fit, err)) != SR_OK) {
        goto done;
    }
    /* the stored form keeps its frozen keys; the CLI's shows what applies */
    bool is_cli = form == ANALYSIS_FORM_CLI;
    json_t *info, *tables, *rows;
    json_t *rep = report_new("risk", form, &info, &tables);
    set_str(info, "outcome", f->cols[col].name);
    set_int(info, "rows_used", (long long)fit.n_used);
    set_int(info, "rows_dropped_missing", (long long)fit.n_dropped);
    set_str(info, "standard_errors",
            fit.is_design ? "design-based (linearisation)" : "model-based");
    set_num(info, "deviance", fit.deviance);
    set_num(info, "null_deviance", fit.null_deviance);
    set_num(info, "aic", fit.aic);
    set_int(info, "iterations", fit.iterations);
    if (is_cli && fit.is_design) {
        set_num(info, "design_df", fit.design_df);
    }
    set_num(info, "level", level);
    rows = json_array();
    for (size_t i = 0; i < fit.n_coef; i++) {
        const struct logit_coef *c = &fit.coef[i];
        json_t *row = json_object();
        set_str(row, "term", c->name);
        set_num(row, "odds_ratio", c->odds_ratio);
        set_num(row, "wald_lower", c->or_lo);
        set_num(row, "wald_upper", c->or_hi);
        if (!is_cli || l.want_profile) {
            set_num(row, "profile_lower", c->pl_lo);
            set_num(row, "profile_upper", c->pl_hi);
        }
        set_num(row, "beta", c->beta);
        set_num(row, "se", c->se);
        set_num(row, "z", c->z);
        set_num(row, "p", c->p);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "coefficients", rows);
    rows = json_array();
    for (size_t i = 0; i < fit.n_terms; i++) {
        json_t *row = json_object();
        set_str(row, "predictor", terms[i].name);
        set_str(row, "test", fit.is_wald_test ? "wald" : "likelihood-ratio");
        set_num(row, "chisq", fit.test[i].stat);
        set_num(row, "df", fit.test[i].df);
        set_num(row, "p", fit.test[i].p);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "tests", rows);
    *out = rep;
done:
    for (size_t i = 0; i < l.n_pred; i++) {
        free(nums[i]);
        free(strs[i]);
    }
    free(nums);
    free(strs);
    free(terms);
    free(y);
    logit_fit_release(&fit);
    design_release(&ds);
    risk_lists_release(&l);
    return rc;
}

/* ---- rds ---------------------------------------------------------------- */

static json_t *
rds_row(const char *name, double est, double se, double deff, double lo,
        double hi)
{
    json_t *row = json_object();
    set_str(row, "estimator", name);
    set_num(row, "estimate", est);
    set_num(row, "se", se);
    set_num(row, "deff", deff);
    set_num(row, "lower", lo);
    set_num(row, "upper", hi);
    return row;
}

static int
run_rds(const struct frame *f, const json_t *o, double level,
        unsigned long seed, enum analysis_form form, json_t **out,
        struct sr_err *err)
{
    struct stats_rds_data d = { 0 };
    struct rds_options ro;
    struct rds_result res;
    struct rds_input in;
    size_t col;
    int rc = rds_opts_parse(o, level, seed, &ro, err);
    if (rc != SR_OK) {
        return rc;
    }
    if ((rc = find_col(f, opt(o, "trait"), &col, err)) != SR_OK) {
        return rc;
    }
    if (opt(o, "value") == NULL) {
        double *t = sr_xcalloc(f->n_rows + 1, sizeof(*t));
        rc = binary_col(f, col, t, err);
        free(t);
        if (rc != SR_OK) {
            return rc;
        }
    }
    rc = stats_rds_load(f, opt(o, "id") ? opt(o, "id") : "id",
                        opt(o, "recruiter") ? opt(o, "recruiter")
                                            : "recruiter.id",
                        opt(o, "degree") ? opt(o, "degree") : "network.size",
                        opt(o, "trait"), opt(o, "value"), &d, err);
    if (rc != SR_OK) {
        return rc;
    }
    in.n = d.n;
    in.recruiter = d.recruiter;
    in.degree = d.degree;
    in.trait = d.trait;
    rc = rds_estimate(&in, &ro, &res, err);
    stats_rds_data_release(&d);
    if (rc != SR_OK) {
        return rc;
    }
    /* the stored form keeps its frozen keys; the CLI's shows what applies */
    bool is_cli = form == ANALYSIS_FORM_CLI;
    json_t *info, *tables, *rows;
    json_t *rep = report_new("rds", form, &info, &tables);
    set_str(info, "trait", f->cols[col].name);
    if (!is_cli || opt(o, "value") != NULL) {
        set_str(info, "trait_value", opt(o, "value"));
    }
    set_int(info, "respondents", (long long)f->n_rows);
    set_int(info, "used", (long long)res.n);
    set_int(info, "seeds", (long long)res.n_seeds);
    set_int(info, "degree_missing", (long long)res.n_degree_missing);
    set_int(info, "degree_zero_set_to_1", (long long)res.n_degree_zero);
    if (is_cli) {
        set_str(info, "missing_degree",
                ro.missing_degree == RDS_DEGREE_DROP     ? "dropped"
                : ro.missing_degree == RDS_DEGREE_MEDIAN ? "median"
                                                         : "mean");
    }
    set_num(info, "s01", res.s01);
    set_num(info, "s10", res.s10);
    set_num(info, "harmonic_mean_degree_0", res.h0);
    set_num(info, "harmonic_mean_degree_1", res.h1);
    set_int(info, "bootstrap_replicates", (long long)res.n_boot_used);
    set_int(info, "bootstrap_seed", (long long)seed);
    set_num(info, "level", level);
    rows = json_array();
    json_array_append_new(
        rows, rds_row("RDS-I", res.rds1, res.se1, res.deff1, res.lo1, res.hi1));
    json_array_append_new(rows, rds_row("RDS-II", res.rds2, res.se2, res.deff2,
                                        res.lo2, res.hi2));
    json_array_append_new(rows,
                          rds_row("sample", res.naive, NAN, NAN, NAN, NAN));
    json_object_set_new(tables, "estimates", rows);
    *out = rep;
    return SR_OK;
}

/* ---- mse ---------------------------------------------------------------- */

static json_t *
mse_row(const char *model, double n_est, double se, double dev, int df,
        double aic, double bic, const char *status)
{
    json_t *row = json_object();
    set_str(row, "model", model);
    set_num(row, "estimate", n_est);
    set_num(row, "se", se);
    set_num(row, "deviance", dev);
    set_int(row, "df", df);
    set_num(row, "aic", aic);
    set_num(row, "bic", bic);
    set_str(row, "status", status);
    return row;
}

void
analysis_mse_ranking_release(struct analysis_mse_ranking *r)
{
    if (r != NULL) {
        mse_models_release(&r->m);
        memset(r, 0, sizeof(*r));
    }
}

int
analysis_mse_rank(const struct mse_table *t, int max_order, int n_threads,
                  bool use_aic, double alpha, struct analysis_mse_ranking *out,
                  struct sr_err *err)
{
    struct analysis_mse_ranking r;
    struct sr_err perr = { 0 };
    assert(t != NULL && out != NULL);
    memset(&r, 0, sizeof r);
    int rc = mse_models_run(t, max_order, n_threads, &r.m, err);
    if (rc != SR_OK) {
        return rc;
    }
    if (r.m.n_ranked == 0) {
        mse_models_release(&r.m);
        return sr_err_set(err, SR_EINVAL,
                          "no model has a finite maximum likelihood "
                          "estimate");
    }
    r.rank = use_aic ? r.m.by_aic : r.m.by_bic;
    mse_models_get(&r.m, r.rank[0], &r.best);
    /* no interval is still a result: the ranking stands without it */
    r.has_profile = mse_profile_ci(t, &r.best, alpha, &r.pr, &perr) == SR_OK;
    sr_err_release(&perr);
    for (size_t i = 0; i < r.m.n_models; i++) {
        r.n_boundary += r.m.res[i].status == LOGLIN_BOUNDARY;
    }
    *out = r;
    return SR_OK;
}

static int
run_mse_models(const struct mse_table *t, const json_t *o, double level,
               json_t **out, struct sr_err *err)
{
    long long order, top;
    const char *rank = opt(o, "rank");
    bool use_aic = rank != NULL && strcmp(rank, "aic") == 0;
    int rc;
    if (rank != NULL && !use_aic && strcmp(rank, "bic") != 0) {
        return sr_err_set(err, SR_EINVAL, "rank: aic or bic");
    }
    long long dflt = t->n_lists - 1 < 3 ? t->n_lists - 1 : 3;
    if ((rc = opt_int(o, "max-order", dflt, 1, t->n_lists - 1, &order, err)) !=
            SR_OK ||
        (rc = opt_int(o, "top", 20, 1, 1000, &top, err)) != SR_OK) {
        return rc;
    }
    struct analysis_mse_ranking rk;
    if ((rc = analysis_mse_rank(t, (int)order, 0, use_aic, 1 - level, &rk,
                                err)) != SR_OK) {
        return rc;
    }
    const struct mse_models *mp = &rk.m;
    const size_t *by = rk.rank;
    size_t n_top = (size_t)top < mp->n_ranked ? (size_t)top : mp->n_ranked;
    char name[512];
    json_t *info, *tables, *rows;
    json_t *rep = report_new("mse", ANALYSIS_FORM_STORED, &info, &tables);
    set_str(info, "model_choice", "models");
    set_int(info, "lists", t->n_lists);
    set_num(info, "observed", t->n_obs);
    set_int(info, "max_order", order);
    set_str(info, "rank", use_aic ? "aic" : "bic");
    set_int(info, "models_fitted", (long long)mp->n_models);
    set_int(info, "models_ranked", (long long)mp->n_ranked);
    set_int(info, "models_boundary", (long long)rk.n_boundary);
    set_num(info, "level", level);
    mse_model_format(&rk.best, t->n_lists, name, sizeof name);
    set_str(info, "chosen_model", name);
    set_num(info, "estimate", mp->res[by[0]].N);
    set_num(info, "se", mp->res[by[0]].se_N);
    set_num(info, "profile_max", rk.has_profile ? rk.pr.n_max : NAN);
    set_num(info, "profile_lower", rk.has_profile ? rk.pr.lower : NAN);
    set_num(info, "profile_upper", rk.has_profile ? rk.pr.upper : NAN);
    rows = json_array();
    for (size_t i = 0; i < n_top; i++) {
        const struct mse_result *r = &mp->res[by[i]];
        struct mse_model mm;
        mse_models_get(mp, by[i], &mm);
        mse_model_format(&mm, t->n_lists, name, sizeof name);
        json_array_append_new(rows, mse_row(name, r->N, r->se_N, r->deviance,
                                            r->df, r->aic, r->bic,
                                            loglin_status_name(r->status)));
    }
    json_object_set_new(tables, "models", rows);
    analysis_mse_ranking_release(&rk);
    *out = rep;
    return SR_OK;
}

static int
run_mse_stepwise(const struct mse_table *t, const json_t *o, double level,
                 unsigned long seed, json_t **out, struct sr_err *err)
{
    double threshold;
    long long boot;
    int rc;
    if ((rc = opt_double(o, "threshold", 0.02, 0, 1, &threshold, err)) !=
            SR_OK ||
        (rc = opt_int(o, "boot", 0, 0, 100000, &boot, err)) != SR_OK) {
        return rc;
    }
    if (boot == 1) {
        return sr_err_set(err, SR_EINVAL, "boot: 0, or at least 2");
    }
    struct mse_sparse s;
    if ((rc = mse_stepwise(t, threshold, 1 - level, NULL, &s, err)) != SR_OK) {
        return rc;
    }
    struct mse_boot b;
    memset(&b, 0, sizeof b);
    if (boot > 0 && (rc = mse_bootstrap(t, threshold, (size_t)boot, seed, 0,
                                        1 - level, &b, err)) != SR_OK) {
        return rc;
    }
    json_t *info, *tables, *rows;
    json_t *rep = report_new("mse", ANALYSIS_FORM_STORED, &info, &tables);
    char name[2 * MSE_NAME_MAX + 2];
    set_str(info, "model_choice", "stepwise");
    set_int(info, "lists", t->n_lists);
    set_num(info, "observed", t->n_obs);
    set_num(info, "threshold", threshold);
    set_num(info, "level", level);
    set_num(info, "estimate", s.N);
    set_num(info, "deviance", s.fit.deviance);
    set_int(info, "df", s.fit.df);
    set_num(info, "lognormal_lower", s.lower);
    set_num(info, "lognormal_upper", s.upper);
    set_int(info, "empty_overlaps", s.n_empty);
    if (boot > 0) {
        set_int(info, "bootstrap_replicates", boot);
        set_int(info, "bootstrap_failed", (long long)b.n_failed);
        set_int(info, "bootstrap_seed", (long long)seed);
        set_num(info, "bca_lower", b.lower);
        set_num(info, "bca_upper", b.upper);
    }
    rows = json_array();
    for (int i = 0; i < s.n_pairs; i++) {
        int a = -1, c = -1;
        for (int j = 0; j < t->n_lists; j++) {
            if (s.pair[i] & (1u << j)) {
                if (a < 0) {
                    a = j;
                } else {
                    c = j;
                }
            }
        }
        snprintf(name, sizeof name, "%s:%s", a >= 0 ? t->names[a] : "?",
                 c >= 0 ? t->names[c] : "?");
        json_t *row = json_object();
        set_str(row, "interaction", name);
        set_num(row, "p_value", s.p_value[i]);
        json_array_append_new(rows, row);
    }
    json_object_set_new(tables, "interactions", rows);
    mse_boot_release(&b);
    *out = rep;
    return SR_OK;
}

static int
run_mse(const char *csv, size_t len, const json_t *o, double level,
        unsigned long seed, json_t **out, struct sr_err *err)
{
    struct mse_table t;
    const char *model = opt(o, "model");
    int rc = mse_csv_parse(csv, len, &t, err);
    if (rc != SR_OK) {
        return rc;
    }
    if ((rc = mse_check_data(&t, err)) == SR_OK) {
        if (model == NULL || strcmp(model, "models") == 0) {
            rc = run_mse_models(&t, o, level, out, err);
        } else if (strcmp(model, "stepwise") == 0) {
            rc = run_mse_stepwise(&t, o, level, seed, out, err);
        } else {
            rc = sr_err_set(err, SR_EINVAL, "model: models or stepwise");
        }
    }
    mse_table_release(&t);
    return rc;
}

/* ---- entry points ------------------------------------------------------- */

int
analysis_compute_frame(const char *method, const struct frame *f,
                       const json_t *options, unsigned long seed,
                       enum analysis_form form, json_t **out,
                       struct sr_err *err)
{
    double level;
    json_t *res = NULL;
    assert(method != NULL && f != NULL && out != NULL);
    int rc = analysis_check_options(method, options, err);
    if (rc != SR_OK ||
        (rc = opt_double(options, "level", 0.95, 0, 1, &level, err)) != SR_OK) {
        return rc;
    }
    if (strcmp(method, "prevalence") == 0) {
        rc = run_prevalence(f, options, level, form, &res, err);
    } else if (strcmp(method, "risk") == 0) {
        rc = run_risk(f, options, level, form, &res, err);
    } else if (strcmp(method, "rds") == 0) {
        rc = run_rds(f, options, level, seed, form, &res, err);
    } else {
        rc = sr_err_set(err, SR_EINVAL,
                        "method: %s takes a table of lists, not a frame",
                        method);
    }
    if (rc == SR_OK) {
        *out = res;
    }
    return rc;
}

int
analysis_compute(const char *method, const char *csv, size_t len,
                 const json_t *options, unsigned long seed, json_t **out,
                 struct sr_err *err)
{
    double level;
    json_t *res = NULL;
    int rc = check_options(method, options, true, err);
    if (rc != SR_OK ||
        (rc = opt_double(options, "level", 0.95, 0, 1, &level, err)) != SR_OK) {
        return rc;
    }
    if (strcmp(method, "mse") == 0) {
        rc = run_mse(csv, len, options, level, seed, &res, err);
    } else {
        struct frame f = { 0 };
        struct sr_err perr = { 0 };
        rc = frame_parse(&f, csv, len, NULL, &perr);
        if (rc != SR_OK) {
            rc = sr_err_set(err, rc, "data: %s", sr_err_msg(&perr));
            sr_err_release(&perr);
            return rc;
        }
        rc = analysis_compute_frame(method, &f, options, seed,
                                    ANALYSIS_FORM_STORED, &res, err);
        frame_release(&f);
    }
    if (rc == SR_OK) {
        *out = res;
    }
    return rc;
}

char *
analysis_dump(const json_t *j, bool is_sorted)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17) |
                                (is_sorted ? JSON_SORT_KEYS : 0));
    if (s == NULL) {
        SR_BUG("json_dumps failed");
    }
    return s;
}

/* ---- identifying columns ------------------------------------------------ */

/* The options that name an outcome, group, predictor or design column. */
static const char *const column_opts[] = {
    "outcome", "trait",  "by",      "predictors", "categorical",
    "weight",  "strata", "cluster", "fpc",        NULL,
};

struct ident_ctx {
    const json_t *o;
    const char *opt_name; /* the option naming an identifying column */
    char column[128];     /* that column, cut to fit */
};

/* 1 if the comma-separated list names (spaces around items ignored). */
static int
list_names(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p != NULL && *p != '\0';) {
        while (*p == ' ') {
            p++;
        }
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ') {
            len--;
        }
        if (len == n && memcmp(p, name, n) == 0) {
            return 1;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

static int
find_identifying(const struct survey_column *c, void *ctx)
{
    struct ident_ctx *x = ctx;
    for (size_t i = 0; c->is_identifying && column_opts[i] != NULL; i++) {
        if (list_names(opt(x->o, column_opts[i]), c->name)) {
            x->opt_name = column_opts[i];
            snprintf(x->column, sizeof x->column, "%s", c->name);
            return 1;
        }
    }
    return 0;
}

/* SR_EINVAL naming the column when options o use an identifying column
 * of data set dataset_id as an outcome, group, predictor or design
 * column; SR_ENOTFOUND outside who's scope. */
static int
refuse_identifying(struct db *db, const struct principal *who,
                   int64_t dataset_id, const json_t *o, struct sr_err *err)
{
    struct ident_ctx x = { o, NULL, "" };
    int rc =
        survey_dataset_columns(db, who, dataset_id, find_identifying, &x, err);
    if (rc == SR_OK && x.opt_name != NULL) {
        rc = sr_err_set(err, SR_EINVAL,
                        "%s: column '%s' is identifying and cannot be used "
                        "in an analysis",
                        x.opt_name, x.column);
    }
    return rc;
}

int
analysis_run(struct db *db, const struct vault *v, const struct principal *who,
             const char *method, int64_t dataset_id, const json_t *options,
             unsigned long seed, int64_t *out_id, json_t **out_result,
             struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL);
    struct sr_buf csv;
    char sha[65];
    json_t *res = NULL;
    json_t *empty = json_object();
    const json_t *o = options != NULL ? options : empty;
    int rc = check_options(method, o, true, err);
    if (rc != SR_OK) {
        json_decref(empty);
        return rc;
    }
    rc = refuse_identifying(db, who, dataset_id, o, err);
    if (rc != SR_OK) {
        json_decref(empty);
        return rc;
    }
    if (!analysis_uses_seed(method, o)) {
        seed = 0;
    } else if (seed == 0) {
        seed = 1 + randombytes_uniform(2147483646u);
    }
    sr_buf_init(&csv, 0);
    rc = survey_dataset_load(db, v, who, dataset_id, &csv, sha, err);
    if (rc == SR_OK) {
        rc = analysis_compute(method, csv.data, csv.len, o, seed, &res, err);
    }
    vault_buf_wipe(&csv);
    if (rc == SR_OK) {
        char *opts_text = analysis_dump(o, true);
        char *res_text = analysis_dump(res, false);
        struct survey_analysis_row r = {
            .dataset_id = dataset_id,
            .dataset_sha256 = sha,
            .method = method,
            .options = opts_text,
            .seed = (int64_t)seed,
            .version = SIREN_VERSION,
            .result = res_text,
        };
        rc = survey_analysis_insert(db, v, who, &r, out_id, err);
        free(opts_text);
        free(res_text);
    }
    json_decref(empty);
    if (rc == SR_OK && out_result != NULL) {
        *out_result = res;
    } else {
        json_decref(res);
    }
    return rc;
}

struct rerun_ctx {
    int64_t dataset_id;
    char method[16];
    char sha[65];
    char *options;
    char *result;
    int64_t seed;
    bool is_live;
};

static int
keep_record(const struct survey_analysis_row *r, void *ctx)
{
    struct rerun_ctx *c = ctx;
    c->dataset_id = r->dataset_id;
    snprintf(c->method, sizeof c->method, "%s", r->method);
    snprintf(c->sha, sizeof c->sha, "%s", r->dataset_sha256);
    c->options = sr_xstrdup(r->options);
    c->result = sr_xstrdup(r->result);
    c->seed = r->seed;
    c->is_live = r->is_dataset_live;
    return 1;
}

int
analysis_rerun(struct db *db, const struct vault *v,
               const struct principal *who, int64_t id, bool *out_is_same,
               struct sr_err *err)
{
    assert(db != NULL && v != NULL && who != NULL && out_is_same != NULL);
    struct rerun_ctx c;
    struct sr_buf csv;
    char sha[65];
    json_t *opts = NULL, *res = NULL;
    memset(&c, 0, sizeof c);
    int rc = survey_analysis_get(db, who, id, keep_record, &c, err);
    if (rc != SR_OK) {
        return rc;
    }
    sr_buf_init(&csv, 0);
    if (!c.is_live) {
        rc = sr_err_set(err, SR_ENOTFOUND,
                        "analysis %lld: its data set was deleted",
                        (long long)id);
    } else {
        rc = survey_dataset_load(db, v, who, c.dataset_id, &csv, sha, err);
    }
    if (rc == SR_OK && strcmp(sha, c.sha) != 0) {
        rc = sr_err_set(err, SR_ECONFLICT,
                        "analysis %lld: the data set's hash differs from "
                        "the recorded one",
                        (long long)id);
    }
    if (rc == SR_OK) {
        opts = json_loads(c.options, 0, NULL);
        if (opts == NULL) {
            rc = sr_err_set(err, SR_EINVAL,
                            "analysis %lld: recorded options are not JSON",
                            (long long)id);
        }
    }
    if (rc == SR_OK) {
        rc = analysis_compute(c.method, csv.data, csv.len, opts,
                              (unsigned long)c.seed, &res, err);
    }
    if (rc == SR_OK) {
        char *text = analysis_dump(res, false);
        *out_is_same = strcmp(text, c.result) == 0;
        free(text);
    }
    vault_buf_wipe(&csv);
    json_decref(opts);
    json_decref(res);
    free(c.options);
    free(c.result);
    return rc;
}
