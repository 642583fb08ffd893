/*
 * loglin.c - Poisson log-linear model fitting for capture-history tables.
 *
 * Owns the IRLS (Newton-Raphson) fitter, the Fienberg-Rinaldo existence
 * linear program and the design rank check. The design matrix is never
 * stored: with 0/1 columns "cell contains term", X'WX[a][b] is the sum of
 * W over the cells containing terms a|b, so one superset-sum pass over the
 * 2^k lattice (k 2^(k-1) additions) gives every entry, and one subset-sum
 * pass turns coefficients into linear predictors. Must not touch files,
 * databases or global state other than GLPK's lock.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/loglin.h"

#include <assert.h>
#include <float.h>
#include <glpk.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#include "core/banned.h"

#define MAX_ITER       100
#define MAX_HALVINGS   40
#define DEV_TOL        1e-12
#define ETA_MAX        700.0
#define SUSPECT_ITER   12
#define BIG_COEF       30.0
#define LP_POSITIVE    1e-7
#define RANK_MAX_CELLS 4096

/*
 * GLPK keeps its environment in thread-local storage (Debian's libglpk40
 * is built with TLS: it has a .tbss section), so threads may solve
 * separate problems at once; loglin_thread_done() frees each thread's
 * environment.
 */

int
loglin_work_init(struct loglin_work *w, int n_lists, int max_params)
{
    assert(w != NULL);
    if (n_lists < 1 || n_lists > LOGLIN_MAX_LISTS || max_params < 1 ||
        max_params > LOGLIN_MAX_PARAMS) {
        return SR_EINVAL;
    }
    size_t n = (size_t)1 << n_lists;
    size_t p = (size_t)max_params;
    w->n_lists = n_lists;
    w->n_cells = n;
    w->max_params = max_params;
    w->skip_lp = 0;
    w->lat = sr_xcalloc(n, sizeof(double));
    w->mu = sr_xcalloc(n, sizeof(double));
    w->res = sr_xcalloc(n, sizeof(double));
    w->info = sr_xcalloc(p * p, sizeof(double));
    w->grad = sr_xcalloc(p, sizeof(double));
    w->beta = sr_xcalloc(p, sizeof(double));
    w->trial = sr_xcalloc(p, sizeof(double));
    return SR_OK;
}

const char *
loglin_status_name(enum loglin_status s)
{
    static const char *const names[] = {
        [LOGLIN_OK] = "ok",
        [LOGLIN_NOT_CONVERGED] = "not converged",
        [LOGLIN_BOUNDARY] = "boundary (no MLE)",
        [LOGLIN_SINGULAR] = "not identifiable",
    };
    return s >= LOGLIN_OK && s <= LOGLIN_SINGULAR ? names[s] : "unknown";
}

void
loglin_work_release(struct loglin_work *w)
{
    SR_RELEASE(w, w->lat, w->mu, w->res, w->info, w->grad, w->beta, w->trial);
}

/* a[c] <- sum of a[s] over s subset of c */
static void
subset_sum(double *a, int k, size_t n)
{
    for (int i = 0; i < k; i++) {
        size_t bit = (size_t)1 << i;
        for (size_t c = 0; c < n; c++) {
            if (c & bit) {
                a[c] += a[c ^ bit];
            }
        }
    }
}

/* a[s] <- sum of a[c] over c superset of s */
static void
superset_sum(double *a, int k, size_t n)
{
    for (int i = 0; i < k; i++) {
        size_t bit = (size_t)1 << i;
        for (size_t c = 0; c < n; c++) {
            if (!(c & bit)) {
                a[c] += a[c | bit];
            }
        }
    }
}

/* Fitted values for beta into w->mu; returns the deviance, or +inf when a
 * linear predictor overflows. */
static double
predict(const struct loglin_data *d, const uint32_t *terms, int n_terms,
        const double *beta, struct loglin_work *w)
{
    size_t n = d->n_cells;
    memset(w->lat, 0, n * sizeof(double));
    for (int j = 0; j < n_terms; j++) {
        w->lat[terms[j]] += beta[j];
    }
    subset_sum(w->lat, d->n_lists, n);
    double dev = 0;
    for (size_t c = 0; c < n; c++) {
        if (!d->active[c]) {
            w->mu[c] = 0;
            continue;
        }
        double eta = w->lat[c];
        if (!(eta < ETA_MAX)) {
            return INFINITY;
        }
        double mu = exp(eta);
        w->mu[c] = mu;
        double y = d->y[c];
        if (y > 0) {
            dev += 2 * (y * log(y / mu) - (y - mu));
        } else {
            dev += 2 * mu;
        }
    }
    return dev;
}

/* Fill w->info (p x p) with X'diag(wt)X where wt is in w->lat as cell
 * values, consumed by the transform. */
static void
fill_info(const uint32_t *terms, int p, struct loglin_work *w, int k, size_t n)
{
    superset_sum(w->lat, k, n);
    for (int a = 0; a < p; a++) {
        for (int b = 0; b <= a; b++) {
            double v = w->lat[terms[a] | terms[b]];
            w->info[a * p + b] = v;
            w->info[b * p + a] = v;
        }
    }
}

/* Cholesky-factor w->info in place; returns 0 on success. */
static int
chol_factor(struct loglin_work *w, int p)
{
    gsl_matrix_view m = gsl_matrix_view_array(w->info, (size_t)p, (size_t)p);
    return gsl_linalg_cholesky_decomp1(&m.matrix) != GSL_SUCCESS;
}

/* Solve the factored system for rhs (length p) in place. */
static int
chol_solve(struct loglin_work *w, int p, double *rhs)
{
    gsl_matrix_view m = gsl_matrix_view_array(w->info, (size_t)p, (size_t)p);
    gsl_vector_view v = gsl_vector_view_array(rhs, (size_t)p);
    return gsl_linalg_cholesky_svx(&m.matrix, &v.vector) != GSL_SUCCESS;
}

/* Solve the weighted least-squares system X'WX x = X'r for x (length p),
 * the weights being in w->lat and the working residuals r in w->res
 * (both over the cells, and both summed over supersets in place).
 * Returns 0, or -1 if X'WX is singular. */
static int
wls_solve(const struct loglin_data *d, const uint32_t *terms, int p,
          struct loglin_work *w, double *x)
{
    fill_info(terms, p, w, d->n_lists, d->n_cells);
    superset_sum(w->res, d->n_lists, d->n_cells);
    for (int j = 0; j < p; j++) {
        x[j] = w->res[terms[j]];
    }
    return chol_factor(w, p) || chol_solve(w, p, x) ? -1 : 0;
}

/* R's starting point: one weighted least-squares step from mu = y + 0.1. */
static int
cold_start(const struct loglin_data *d, const uint32_t *terms, int p,
           struct loglin_work *w)
{
    size_t n = d->n_cells;
    for (size_t c = 0; c < n; c++) {
        if (d->active[c]) {
            double mu = d->y[c] + 0.1;
            w->lat[c] = mu;
            w->res[c] = mu * log(mu) + d->y[c] - mu;
        } else {
            w->lat[c] = 0;
            w->res[c] = 0;
        }
    }
    return wls_solve(d, terms, p, w, w->beta);
}

/* Information, score and Newton step at the fitted values in w->mu;
 * the step lands in w->grad. Returns 0, or -1 if X'WX is singular. */
static int
newton_step(const struct loglin_data *d, const uint32_t *terms, int p,
            struct loglin_work *w)
{
    size_t n = d->n_cells;
    for (size_t c = 0; c < n; c++) {
        w->lat[c] = w->mu[c];
        w->res[c] = d->active[c] ? d->y[c] - w->mu[c] : 0;
    }
    return wls_solve(d, terms, p, w, w->grad);
}

/* True when the fit shows signs of running to the boundary. */
static int
looks_boundary(const struct loglin_work *w, int p, int n_iter)
{
    if (n_iter > SUSPECT_ITER) {
        return 1;
    }
    for (int j = 0; j < p; j++) {
        if (fabs(w->beta[j]) > BIG_COEF) {
            return 1;
        }
    }
    return 0;
}

static int
check_terms(const struct loglin_data *d, const uint32_t *terms, int n_terms,
            const struct loglin_work *w)
{
    if (d == NULL || terms == NULL || w == NULL || n_terms < 1 ||
        n_terms > w->max_params || d->n_lists != w->n_lists ||
        d->n_cells != w->n_cells || terms[0] != 0) {
        return -1;
    }
    for (int j = 1; j < n_terms; j++) {
        if (terms[j] == 0 || terms[j] >= d->n_cells) {
            return -1;
        }
    }
    return 0;
}

int
loglin_fit(const struct loglin_data *d, const uint32_t *terms, int n_terms,
           const double *start, struct loglin_work *w, struct loglin_fit *out)
{
    assert(out != NULL);
    if (check_terms(d, terms, n_terms, w) != 0) {
        return SR_EINVAL;
    }
    int p = n_terms;
    double dev = INFINITY;
    if (start != NULL) {
        memcpy(w->beta, start, (size_t)p * sizeof(double));
        dev = predict(d, terms, p, w->beta, w);
    }
    if (!isfinite(dev)) {
        if (cold_start(d, terms, p, w) != 0) {
            memset(out, 0, sizeof *out);
            out->status = LOGLIN_SINGULAR;
            out->n_params = p;
            return SR_OK;
        }
        dev = predict(d, terms, p, w->beta, w);
    }
    int converged = 0, singular = 0, iter = 0;
    while (isfinite(dev) && iter < MAX_ITER) {
        iter++;
        if (newton_step(d, terms, p, w) != 0) {
            singular = 1;
            break;
        }
        double scale = 1.0, dev_new = INFINITY;
        int h;
        for (h = 0; h < MAX_HALVINGS; h++) {
            for (int j = 0; j < p; j++) {
                w->trial[j] = w->beta[j] + scale * w->grad[j];
            }
            dev_new = predict(d, terms, p, w->trial, w);
            if (isfinite(dev_new) && dev_new <= dev * (1 + 1e-13) + 1e-13) {
                break;
            }
            scale *= 0.5;
        }
        if (h == MAX_HALVINGS) {
            /* no descent left: we are at the optimum to rounding */
            predict(d, terms, p, w->beta, w);
            converged = 1;
            break;
        }
        memcpy(w->beta, w->trial, (size_t)p * sizeof(double));
        double change = fabs(dev - dev_new) / (fabs(dev_new) + 0.1);
        dev = dev_new;
        if (change < DEV_TOL) {
            converged = 1;
            break;
        }
    }
    memset(out, 0, sizeof *out);
    out->n_params = p;
    out->n_iter = iter;
    memcpy(out->coef, w->beta, (size_t)p * sizeof(double));
    size_t n_active = 0;
    double ll = 0;
    for (size_t c = 0; c < d->n_cells; c++) {
        if (!d->active[c]) {
            continue;
        }
        n_active++;
        double y = d->y[c], mu = w->mu[c];
        ll += (y > 0 ? y * log(mu) : 0) - mu - lgamma(y + 1);
    }
    out->deviance = dev;
    out->loglik = ll;
    out->df = (int)n_active - p;
    out->aic = -2 * ll + 2 * p;
    out->bic = out->aic + (log(d->n_obs) - 2) * p;
    out->dark = exp(w->beta[0]);
    out->N = d->n_obs + out->dark;

    int suspect = singular || !converged || looks_boundary(w, p, iter);
    out->status = LOGLIN_OK;
    if (suspect) {
        int ex = w->skip_lp ? 1 : loglin_mle_exists(d, terms, p);
        if (ex == 0) {
            out->status = LOGLIN_BOUNDARY;
        } else if (singular) {
            out->status = LOGLIN_SINGULAR;
        } else if (!converged) {
            out->status = LOGLIN_NOT_CONVERGED;
        }
    }
    if (out->status == LOGLIN_SINGULAR || out->status == LOGLIN_BOUNDARY) {
        out->var_b0 = NAN;
        out->se_N = NAN;
        return SR_OK;
    }
    /* variance of the intercept from the information at the estimate */
    if (newton_step(d, terms, p, w) != 0) {
        out->status = LOGLIN_SINGULAR;
        out->var_b0 = NAN;
        out->se_N = NAN;
        return SR_OK;
    }
    memset(w->grad, 0, (size_t)p * sizeof(double));
    w->grad[0] = 1;
    chol_solve(w, p, w->grad);
    out->var_b0 = w->grad[0];
    out->se_N = sqrt(out->dark + out->dark * out->dark * out->var_b0);
    /* newton_step overwrote w->mu's companions only; mu is intact */
    return SR_OK;
}

int
loglin_mle_exists(const struct loglin_data *d, const uint32_t *terms,
                  int n_terms)
{
    assert(d != NULL && terms != NULL && n_terms >= 1);
    size_t n_act = 0;
    int has_zero = 0;
    for (size_t c = 0; c < d->n_cells; c++) {
        if (d->active[c]) {
            n_act++;
            if (d->y[c] <= 0) {
                has_zero = 1;
            }
        }
    }
    if (n_act == 0) {
        return 0;
    }
    if (!has_zero) {
        return 1; /* x = y is strictly positive */
    }
    size_t *cell = sr_xcalloc(n_act, sizeof(size_t));
    size_t i = 0;
    for (size_t c = 0; c < d->n_cells; c++) {
        if (d->active[c]) {
            cell[i++] = c;
        }
    }
    size_t n_rows = (size_t)n_terms + n_act;
    size_t n_nz = (size_t)n_terms * n_act + 2 * n_act;
    int *ia = sr_xcalloc(n_nz + 1, sizeof(int));
    int *ja = sr_xcalloc(n_nz + 1, sizeof(int));
    double *ar = sr_xcalloc(n_nz + 1, sizeof(double));
    size_t k = 0;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_rows(lp, (int)n_rows);
    glp_add_cols(lp, (int)n_act + 1);
    for (int j = 0; j < n_terms; j++) {
        double t = 0;
        for (i = 0; i < n_act; i++) {
            if ((cell[i] & terms[j]) == terms[j]) {
                t += d->y[cell[i]];
                k++;
                ia[k] = j + 1;
                ja[k] = (int)i + 1;
                ar[k] = 1;
            }
        }
        glp_set_row_bnds(lp, j + 1, GLP_FX, t, t);
    }
    for (i = 0; i < n_act; i++) {
        int row = n_terms + (int)i + 1;
        glp_set_row_bnds(lp, row, GLP_LO, 0, 0);
        k++;
        ia[k] = row;
        ja[k] = (int)i + 1;
        ar[k] = 1;
        k++;
        ia[k] = row;
        ja[k] = (int)n_act + 1;
        ar[k] = -1;
        glp_set_col_bnds(lp, (int)i + 1, GLP_LO, 0, 0);
    }
    glp_set_col_bnds(lp, (int)n_act + 1, GLP_LO, 0, 0);
    glp_set_obj_coef(lp, (int)n_act + 1, 1);
    glp_load_matrix(lp, (int)k, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    int result = -1;
    if (glp_simplex(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT) {
        result = glp_get_obj_val(lp) > LP_POSITIVE;
    }
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    free(cell);
    return result;
}

/* Rank of X'X (= rank of X) from its eigenvalues; X'X[a][b] counts the
 * active cells containing terms a|b, a superset sum of the indicator. */
static int
gram_rank(const struct loglin_data *d, const uint32_t *terms, int n_terms)
{
    size_t n = d->n_cells, p = (size_t)n_terms;
    double *lat = sr_xcalloc(n, sizeof(double));
    for (size_t c = 0; c < n; c++) {
        lat[c] = d->active[c] ? 1.0 : 0.0;
    }
    superset_sum(lat, d->n_lists, n);
    gsl_matrix *g = gsl_matrix_alloc(p, p);
    gsl_vector *ev = gsl_vector_alloc(p);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(p);
    if (g == NULL || ev == NULL || ws == NULL) {
        SR_BUG("out of memory in loglin_design_rank");
    }
    for (size_t a = 0; a < p; a++) {
        for (size_t b = 0; b < p; b++) {
            gsl_matrix_set(g, a, b, lat[terms[a] | terms[b]]);
        }
    }
    int rank = -1;
    if (gsl_eigen_symm(g, ev, ws) == GSL_SUCCESS) {
        double emax = gsl_vector_max(ev);
        rank = 0;
        for (size_t j = 0; j < p; j++) {
            if (gsl_vector_get(ev, j) > 1e-10 * emax) {
                rank++;
            }
        }
    }
    gsl_eigen_symm_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(g);
    free(lat);
    return rank;
}

int
loglin_design_rank(const struct loglin_data *d, const uint32_t *terms,
                   int n_terms)
{
    assert(d != NULL && terms != NULL && n_terms >= 1);
    size_t n_act = 0;
    for (size_t c = 0; c < d->n_cells; c++) {
        n_act += d->active[c] != 0;
    }
    if (n_act > RANK_MAX_CELLS) {
        return gram_rank(d, terms, n_terms);
    }
    size_t p = (size_t)n_terms;
    size_t rows =
        n_act > p ? n_act : p; /* pad with zero rows: SVD needs M >= N */
    gsl_matrix *a = gsl_matrix_calloc(rows, p);
    gsl_matrix *v = gsl_matrix_alloc(p, p);
    gsl_vector *s = gsl_vector_alloc(p);
    gsl_vector *work = gsl_vector_alloc(p);
    if (a == NULL || v == NULL || s == NULL || work == NULL) {
        SR_BUG("out of memory in loglin_design_rank");
    }
    size_t r = 0;
    for (size_t c = 0; c < d->n_cells; c++) {
        if (!d->active[c]) {
            continue;
        }
        for (size_t j = 0; j < p; j++) {
            if ((c & terms[j]) == terms[j]) {
                gsl_matrix_set(a, r, j, 1.0);
            }
        }
        r++;
    }
    int rank = -1;
    if (gsl_linalg_SV_decomp(a, v, s, work) == GSL_SUCCESS) {
        double smax = gsl_vector_max(s);
        rank = 0;
        for (size_t j = 0; j < p; j++) {
            if (gsl_vector_get(s, j) > 1e-9 * smax * (double)rows) {
                rank++;
            }
        }
    }
    gsl_matrix_free(a);
    gsl_matrix_free(v);
    gsl_vector_free(s);
    gsl_vector_free(work);
    return rank;
}

void
loglin_thread_done(void)
{
    glp_free_env();
}
