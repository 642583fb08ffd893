/*
 * logit.c - logistic regression by iteratively reweighted least squares.
 *
 * Owns: the design matrix (intercept and numeric columns stored dense,
 * treatment-coded dummies as the one column per term that is 1), the
 * IRLS/Newton fit with step halving, model-based and design-based
 * (sandwich) covariances, likelihood-ratio and Wald term tests,
 * profile-likelihood intervals (Brent root finding on the restricted
 * deviance), and the checks that turn degenerate data into
 * errors: collinearity, complete or quasi-complete separation, a
 * single-valued outcome. Pure numerics, no I/O.
 * Must not: report coefficients from a fit whose maximum likelihood
 * estimate does not exist.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/logit.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_roots.h>

#include "core/buf.h"
#include "stats/num/workers.h"

#include "core/banned.h"

#define MAX_LEVELS  1000
#define MAX_ITER    100
#define MAX_HALVING 30
#define DEV_TOL     1e-10
/* |linear predictor| beyond this means fitted probabilities of 0 or 1 */
#define ETA_SEPARATED 30.0

/* a stretch of the design columns, in order: dense or one term's dummies */
struct seg {
    bool is_group; /* a categorical term's dummies, else dense columns */
    size_t first;  /* first dense index, or the group index */
    size_t end;    /* one past the last dense index (dense only) */
};

struct model {
    size_t n;          /* rows used */
    size_t p;          /* columns (intercept first) */
    double *y;         /* n outcomes, 0/1 */
    double *w;         /* n prior weights */
    bool *is_dummy;    /* p flags: column is a 0/1 dummy of a categorical
                          term (at most one per term is 1 in a row) */
    size_t n_groups;   /* categorical terms */
    size_t *hot;       /* n * n_groups: the dummy column that is 1 in this
                          row for this term, SIZE_MAX at the reference */
    size_t nd;         /* dense columns: the intercept and numeric ones */
    size_t ndp;        /* nd rounded up to even: the row stride of xd */
    double *xd;        /* n * ndp: the dense columns, row-major, padding 0 */
    size_t *dense_col; /* nd: the design column of each dense column */
    size_t *col_slot;  /* p: a dense column's index in xd, or a dummy's
                          categorical term (index into a row of hot) */
    size_t n_segs;     /* entries of segs */
    struct seg *segs;  /* the design columns in order, by stretches */
};

/* the design matrix's entry at row i, column col */
static double
xval(const struct model *m, size_t i, size_t col)
{
    size_t s = m->col_slot[col];

    if (m->is_dummy[col]) {
        return m->hot[i * m->n_groups + s] == col ? 1 : 0;
    }
    return m->xd[i * m->ndp + s];
}

static double
linpred(const struct model *m, size_t i, const size_t *cols, size_t k,
        const double *beta, const double *offset)
{
    double eta = offset != NULL ? offset[i] : 0;
    size_t a;

    for (a = 0; a < k; a++) {
        eta += xval(m, i, cols[a]) * beta[a];
    }
    return eta;
}

/* rows per block of the X'WX kernel */
#define BLOCK 4

/*
 * The numeric (dense) part of X'WX and X'r for one block of nb rows:
 * ad (lower triangle, rows of stride ndp) += sum_j (wv_j x_jr) x_jc and
 * gd += sum_j r_j x_j, the rows added one after the other so that every
 * element is summed in row order, exactly as a row-at-a-time loop would.
 * Rows of xb have stride ndp (even, zero-padded), and the loops take two
 * columns a step as two independent statements, which the compiler packs
 * into one vector instruction at -O2 (no reassociation: each element
 * keeps its own sum). The column past the diagonal that this may touch
 * belongs to the upper triangle, which is never read.
 */
static void
dense_block(size_t nd, size_t ndp, size_t nb, const double *xb,
            const double *wvb, const double *resb, double *restrict ad,
            double *restrict gd)
{
    size_t r, c, j;

    if (nb == BLOCK) {
        const double *restrict x0 = xb, *restrict x1 = xb + ndp;
        const double *restrict x2 = xb + 2 * ndp, *restrict x3 = xb + 3 * ndp;
        for (r = 0; r < nd; r++) {
            double w0 = wvb[0] * x0[r], w1 = wvb[1] * x1[r];
            double w2 = wvb[2] * x2[r], w3 = wvb[3] * x3[r];
            double *restrict ar = ad + r * ndp;
            for (c = 0; c <= r; c += 2) {
                double s0 =
                    ar[c] + w0 * x0[c] + w1 * x1[c] + w2 * x2[c] + w3 * x3[c];
                double s1 = ar[c + 1] + w0 * x0[c + 1] + w1 * x1[c + 1] +
                            w2 * x2[c + 1] + w3 * x3[c + 1];
                ar[c] = s0;
                ar[c + 1] = s1;
            }
        }
        for (c = 0; c < nd; c += 2) {
            double s0 = gd[c] + resb[0] * x0[c] + resb[1] * x1[c] +
                        resb[2] * x2[c] + resb[3] * x3[c];
            double s1 = gd[c + 1] + resb[0] * x0[c + 1] + resb[1] * x1[c + 1] +
                        resb[2] * x2[c + 1] + resb[3] * x3[c + 1];
            gd[c] = s0;
            gd[c + 1] = s1;
        }
        return;
    }
    for (j = 0; j < nb; j++) {
        const double *restrict xj = xb + j * ndp;
        for (r = 0; r < nd; r++) {
            double wx = wvb[j] * xj[r];
            double *restrict ar = ad + r * ndp;
            for (c = 0; c <= r; c++) {
                ar[c] += wx * xj[c];
            }
        }
        for (c = 0; c < nd; c++) {
            gd[c] += resb[j] * xj[c];
        }
    }
}

/* hr += wv x over ndp (even) columns, two a step as in dense_block() */
static void
axpy2(size_t ndp, double wv, const double *restrict x, double *restrict hr)
{
    size_t c;

    for (c = 0; c < ndp; c += 2) {
        double s0 = hr[c] + wv * x[c], s1 = hr[c + 1] + wv * x[c + 1];
        hr[c] = s0;
        hr[c + 1] = s1;
    }
}

/*
 * One pass over the rows at beta: the deviance, the information matrix
 * A = X' W X (k x k, full) and the score g = X' w (y - mu). All dense
 * columns (intercept, numeric) are accumulated by dense_block() straight
 * from m->xd, blocks of BLOCK rows at a time; a dense column not among
 * cols gets coefficient 0 and its sums are dropped. A dummy column is 1
 * in a row or 0, so it only adds that row's wv x to its own row of A (one
 * per categorical term). Every element of A and g, and the linear
 * predictor, is the same sum in the same order as a row-at-a-time loop
 * over the non-zero entries of the selected columns would give: products
 * (wv x_r) x_c with r the later column, where a factor of 1 is exact,
 * and zero terms, which change no sum. One exp and one log1p per row
 * serve both mu and the deviance.
 */
static double
pass(const struct model *m, const size_t *cols, size_t k, const double *beta,
     const double *offset, double *a, double *g)
{
    size_t nd = m->nd, ndp = m->ndp, ng = m->n_groups;
    size_t *kpos = sr_xcalloc(m->p + 1, sizeof(*kpos));
    size_t *hk = sr_xcalloc(BLOCK * ng + 1, sizeof(*hk));
    size_t n_hot[BLOCK], i, r, c, j, nb, s;
    double *bd = sr_xcalloc(ndp + 2, sizeof(*bd));
    double *ad = sr_xcalloc(nd * ndp + 2, sizeof(*ad));
    double *hd = sr_xcalloc(k * ndp + 2, sizeof(*hd)); /* by dummy k-index */
    double *gd = sr_xcalloc(ndp + 2, sizeof(*gd));
    double wvb[BLOCK], resb[BLOCK], dev = 0;

    for (c = 0; c < m->p; c++) {
        kpos[c] = SIZE_MAX;
    }
    for (r = 0; r < k; r++) {
        kpos[cols[r]] = r;
    }
    for (c = 0; c < nd; c++) {
        size_t kc = kpos[m->dense_col[c]];
        bd[c] = kc != SIZE_MAX ? beta[kc] : 0;
    }
    memset(a, 0, k * k * sizeof(*a));
    memset(g, 0, k * sizeof(*g));
    for (i = 0; i < m->n; i += nb) {
        nb = m->n - i < BLOCK ? m->n - i : BLOCK;
        for (j = 0; j < nb; j++) {
            const double *xj = m->xd + (i + j) * ndp;
            const size_t *hot = m->hot + (i + j) * ng;
            size_t *hj = hk + j * ng;
            double eta = offset != NULL ? offset[i + j] : 0, e, mu, w, y;
            n_hot[j] = 0;
            for (s = 0; s < m->n_segs; s++) {
                const struct seg *sg = &m->segs[s];
                if (!sg->is_group) {
                    for (c = sg->first; c < sg->end; c++) {
                        eta += xj[c] * bd[c];
                    }
                } else if (hot[sg->first] != SIZE_MAX &&
                           kpos[hot[sg->first]] != SIZE_MAX) {
                    hj[n_hot[j]] = kpos[hot[sg->first]];
                    eta += beta[hj[n_hot[j]++]];
                }
            }
            /* e = exp(-|eta|) keeps both mu and log(1 + exp(.)) stable */
            e = exp(-fabs(eta));
            mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
            w = m->w[i + j];
            y = m->y[i + j];
            dev += w * (log1p(e) + ((y > 0.5) == (eta >= 0) ? 0 : fabs(eta)));
            wvb[j] = w * mu * (1 - mu);
            resb[j] = w * (y - mu);
        }
        dense_block(nd, ndp, nb, m->xd + i * ndp, wvb, resb, ad, gd);
        for (j = 0; j < nb; j++) {
            /* hk of a row ascends: groups follow the column order */
            const size_t *h = hk + j * ng;
            size_t u, v;
            for (u = 0; u < n_hot[j]; u++) {
                double *au = a + h[u] * k;
                axpy2(ndp, wvb[j], m->xd + (i + j) * ndp, hd + h[u] * ndp);
                g[h[u]] += resb[j];
                for (v = 0; v <= u; v++) {
                    au[h[v]] += wvb[j];
                }
            }
        }
    }
    /* scatter the selected dense sums into the lower triangle, mirror */
    for (r = 0; r < nd; r++) {
        size_t kr = kpos[m->dense_col[r]];
        if (kr == SIZE_MAX) {
            continue;
        }
        g[kr] = gd[r];
        for (c = 0; c <= r; c++) {
            size_t kc = kpos[m->dense_col[c]];
            if (kc != SIZE_MAX) {
                a[kr * k + kc] = ad[r * ndp + c];
            }
        }
    }
    for (r = 0; r < k; r++) {
        if (!m->is_dummy[cols[r]]) {
            continue;
        }
        for (c = 0; c < nd; c++) {
            size_t kc = kpos[m->dense_col[c]];
            if (kc != SIZE_MAX) {
                a[(kc > r ? kc : r) * k + (kc > r ? r : kc)] = hd[r * ndp + c];
            }
        }
    }
    for (r = 0; r < k; r++) {
        for (c = 0; c < r; c++) {
            a[c * k + r] = a[r * k + c];
        }
    }
    free(kpos);
    free(hk);
    free(bd);
    free(ad);
    free(hd);
    free(gd);
    return 2 * dev;
}

enum irls_status { IRLS_OK = 0, IRLS_SINGULAR, IRLS_NOCONV };

/*
 * Fit the columns cols[0..k) with an optional offset, starting from beta
 * (k values, overwritten with the estimate): Newton steps (IRLS), each
 * halved until the deviance does not increase. On IRLS_OK, *out_dev and,
 * if cov is not NULL, the inverse information (k x k) are written.
 */
static enum irls_status
irls(const struct model *m, const size_t *cols, size_t k, const double *offset,
     double *beta, double *out_dev, int *out_iter, double *cov)
{
    double *a = sr_xcalloc(k * k + 1, sizeof(*a));
    double *g = sr_xcalloc(k + 1, sizeof(*g));
    double *a2 = sr_xcalloc(k * k + 1, sizeof(*a2));
    double *g2 = sr_xcalloc(k + 1, sizeof(*g2));
    double *l = sr_xcalloc(k * k + 1, sizeof(*l));
    double *step = sr_xcalloc(k + 1, sizeof(*step));
    double *old = sr_xcalloc(k + 1, sizeof(*old));
    double dev, dev_new = 0;
    enum irls_status st = IRLS_NOCONV;
    int iter;
    size_t r;

    dev = pass(m, cols, k, beta, offset, a, g);
    for (iter = 1; iter <= MAX_ITER; iter++) {
        gsl_matrix_view lv = gsl_matrix_view_array(l, k, k);
        gsl_vector_view sv = gsl_vector_view_array(step, k);
        int h;

        if (k == 0) {
            dev_new = dev;
            st = IRLS_OK;
            break;
        }
        memcpy(l, a, k * k * sizeof(*a));
        memcpy(step, g, k * sizeof(*g));
        if (gsl_linalg_cholesky_decomp1(&lv.matrix) != GSL_SUCCESS ||
            gsl_linalg_cholesky_svx(&lv.matrix, &sv.vector) != GSL_SUCCESS) {
            st = IRLS_SINGULAR;
            break;
        }
        memcpy(old, beta, k * sizeof(*beta));
        /*
         * g' A^-1 g is the deviance decrease the Newton step predicts;
         * when it is below the tolerance, take the step and stop without
         * another pass over the data (the error is of higher order).
         */
        {
            double dec = 0;
            for (r = 0; r < k; r++) {
                dec += g[r] * step[r];
            }
            if (dec >= 0 && dec < DEV_TOL * (fabs(dev) + 0.1)) {
                for (r = 0; r < k; r++) {
                    beta[r] += step[r];
                }
                dev_new = dev - dec;
                st = IRLS_OK;
                break;
            }
        }
        for (h = 0; h <= MAX_HALVING; h++) {
            double f = ldexp(1.0, -h);
            for (r = 0; r < k; r++) {
                beta[r] = old[r] + f * step[r];
            }
            dev_new = pass(m, cols, k, beta, offset, a2, g2);
            if (isfinite(dev_new) && dev_new <= dev * (1 + 1e-12) + 1e-12) {
                break;
            }
        }
        if (h > MAX_HALVING) {
            /* no decrease along the step: stay (a, g belong to old) */
            memcpy(beta, old, k * sizeof(*beta));
            dev_new = dev;
        } else {
            double *tmp = a;
            a = a2;
            a2 = tmp;
            tmp = g;
            g = g2;
            g2 = tmp;
        }
        if (fabs(dev_new - dev) / (fabs(dev_new) + 0.1) < DEV_TOL) {
            st = IRLS_OK;
            break;
        }
        dev = dev_new;
    }
    if (out_iter != NULL) {
        *out_iter = iter;
    }
    if (st == IRLS_OK) {
        *out_dev = dev_new;
        if (cov != NULL && k > 0) {
            gsl_matrix_view av = gsl_matrix_view_array(a, k, k);
            if (gsl_linalg_cholesky_decomp1(&av.matrix) != GSL_SUCCESS ||
                gsl_linalg_cholesky_invert(&av.matrix) != GSL_SUCCESS) {
                st = IRLS_SINGULAR;
            } else {
                memcpy(cov, a, k * k * sizeof(*a));
            }
        }
    }
    free(a);
    free(g);
    free(a2);
    free(g2);
    free(l);
    free(step);
    free(old);
    return st;
}

/* ---- design matrix ---- */

struct col_info {
    size_t term; /* SIZE_MAX for the intercept */
    char *name;  /* owned until handed to logit_coef */
};

static int
cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
logit_fit_release(struct logit_fit *f)
{
    for (size_t i = 0; f != NULL && f->coef != NULL && i < f->n_coef; i++) {
        free(f->coef[i].name);
    }
    SR_RELEASE(f, f->coef, f->test);
}

/* univariate separation checks on the rows used */
static int
check_separation_num(const struct model *m, size_t col, const char *name,
                     struct sr_err *err)
{
    double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
    size_t i;

    for (i = 0; i < m->n; i++) {
        int c = m->y[i] > 0.5;
        double v = xval(m, i, col);
        if (m->w[i] <= 0) {
            continue;
        }
        lo[c] = v < lo[c] ? v : lo[c];
        hi[c] = v > hi[c] ? v : hi[c];
    }
    if (hi[0] <= lo[1] || hi[1] <= lo[0]) {
        return sr_err_set(err, SR_EINVAL,
                          "%s separation by predictor '%s': the outcome "
                          "is determined by a threshold on it; odds ratios "
                          "would be infinite",
                          (hi[0] < lo[1] || hi[1] < lo[0]) ? "complete"
                                                           : "quasi-complete",
                          name);
    }
    return SR_OK;
}

struct term_build {
    size_t n_levels;     /* categorical: distinct levels (ref included) */
    const char **levels; /* sorted, borrowed strings */
    size_t ref;          /* index of the reference level */
    size_t first_col;    /* first design column of this term */
    size_t n_cols;       /* design columns of this term */
    size_t group;        /* categorical: index among the categorical terms */
};

/*
 * The distinct values of cat over the rows used, sorted by strcmp, into a
 * new array (*out, borrowed strings; caller frees the array) of *out_n.
 * A sorted table of the levels seen so far is searched for each row, so
 * the few levels of a typical predictor cost O(n log levels); past
 * MAX_LEVELS it sorts all values instead, to count them for the error.
 */
static void
collect_levels(const char *const *cat, const bool *use, size_t n, size_t n_used,
               const char ***out, size_t *out_n)
{
    const char **v = sr_xcalloc(MAX_LEVELS + 2, sizeof(*v));
    size_t u = 0, i, k = 0;

    for (i = 0; i < n && u <= MAX_LEVELS; i++) {
        size_t lo = 0, hi = u;
        if (!use[i]) {
            continue;
        }
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int d = strcmp(cat[i], v[mid]);
            if (d == 0) {
                lo = hi = SIZE_MAX;
            } else if (d < 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo != SIZE_MAX) {
            memmove(v + lo + 1, v + lo, (u - lo) * sizeof(*v));
            v[lo] = cat[i];
            u++;
        }
    }
    if (u > MAX_LEVELS) {
        free(v);
        v = sr_xcalloc(n_used + 1, sizeof(*v));
        for (i = 0; i < n; i++) {
            if (use[i]) {
                v[k++] = cat[i];
            }
        }
        qsort(v, k, sizeof(*v), cmp_str_ptr);
        for (i = 0, u = 0; i < k; i++) {
            if (u == 0 || strcmp(v[u - 1], v[i]) != 0) {
                v[u++] = v[i];
            }
        }
    }
    *out = v;
    *out_n = u;
}

static double
chisq_q(double stat, double df)
{
    return stat > 0 ? gsl_cdf_chisq_Q(stat, df) : 1;
}

/* ---- profile likelihood ---- */

struct profile {
    const struct model *m;
    size_t j;     /* the profiled column */
    size_t *cols; /* the other columns, k of them */
    size_t k;
    double *beta;   /* warm start / work, k values */
    double *offset; /* n */
    double target;  /* deviance at the bound */
    int is_failed;
};

static double
profile_fn(double b, void *params)
{
    struct profile *pr = params;
    double dev;
    size_t i;

    for (i = 0; i < pr->m->n; i++) {
        pr->offset[i] = b * xval(pr->m, i, pr->j);
    }
    if (irls(pr->m, pr->cols, pr->k, pr->offset, pr->beta, &dev, NULL, NULL) !=
        IRLS_OK) {
        pr->is_failed = 1;
        return NAN;
    }
    return dev - pr->target;
}

/* one limit: search from bhat in direction dir (+1/-1) */
static double
profile_limit(struct profile *pr, double bhat, double step, int dir,
              const double *beta_start)
{
    double inside = bhat, outside = bhat, f = -1, root = NAN;
    int tries;
    gsl_function fn;
    gsl_root_fsolver *s;

    memcpy(pr->beta, beta_start, pr->k * sizeof(*pr->beta));
    for (tries = 0; tries < 12; tries++) {
        outside = bhat + dir * step;
        f = profile_fn(outside, pr);
        if (pr->is_failed || isnan(f)) {
            return NAN;
        }
        if (f > 0) {
            break;
        }
        inside = outside;
        step *= 2;
    }
    if (!(f > 0)) {
        return NAN; /* unbounded within the search: report as NaN */
    }
    fn.function = profile_fn;
    fn.params = pr;
    s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL) {
        SR_BUG("gsl_root_fsolver_alloc failed");
    }
    if (gsl_root_fsolver_set(s, &fn, dir > 0 ? inside : outside,
                             dir > 0 ? outside : inside) == GSL_SUCCESS) {
        int it;
        for (it = 0; it < 100; it++) {
            double x_lo, x_hi;
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS || pr->is_failed) {
                break;
            }
            x_lo = gsl_root_fsolver_x_lower(s);
            x_hi = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(x_lo, x_hi, 1e-10, 1e-10) ==
                GSL_SUCCESS) {
                root = gsl_root_fsolver_root(s);
                break;
            }
        }
    }
    gsl_root_fsolver_free(s);
    return pr->is_failed ? NAN : root;
}

/* ---- likelihood-ratio tests, one refit per term, on worker threads ---- */

#define MAX_THREADS 8

/* independent jobs 0..n-1 handed out to worker threads */
struct queue {
    pthread_mutex_t lock; /* guards next */
    size_t next;          /* next job to hand out */
    size_t n;             /* jobs */
};

/* the next job, or SIZE_MAX when all are taken */
static size_t
queue_take(struct queue *q)
{
    size_t t;

    if (pthread_mutex_lock(&q->lock) != 0) {
        SR_BUG("pthread_mutex_lock failed");
    }
    t = q->next < q->n ? q->next++ : SIZE_MAX;
    pthread_mutex_unlock(&q->lock);
    return t;
}

/*
 * Run fn(arg) on this thread and on up to one more thread per CPU (at
 * most MAX_THREADS, at most q->n), each taking jobs from q until none is
 * left. Which thread runs a job does not change its result: jobs share
 * nothing they write.
 */
static void
run_workers(void *(*fn)(void *), void *arg, struct queue *q)
{
    long n_cpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n_th = n_cpu > 0 ? (size_t)n_cpu : 1;

    n_th = n_th > MAX_THREADS ? MAX_THREADS : n_th;
    n_th = n_th > q->n ? q->n : n_th;
    if (pthread_mutex_init(&q->lock, NULL) != 0) {
        SR_BUG("pthread_mutex_init failed");
    }
    q->next = 0;
    workers_run(fn, arg, (int)n_th);
    pthread_mutex_destroy(&q->lock);
}

struct lr_jobs {
    const struct model *m;
    const double *beta; /* full-model estimate, p values */
    const double *cov;  /* full-model inverse information, p x p */
    const struct term_build *tb;
    size_t n_terms;
    double dev;              /* full-model deviance */
    struct logit_test *test; /* out: one per term */
    struct queue q;          /* one job per term */
};

/*
 * Start a refit without columns f0..f0+q-1 where the quadratic
 * approximation of the likelihood puts it: the others' estimate minus
 * their regression on the dropped ones, b_r - V_rT V_TT^-1 b_T.
 */
static void
warm_start(const double *cov, size_t p, const double *beta, size_t f0, size_t q,
           const size_t *cols, size_t k, double *work)
{
    double *vt = sr_xcalloc(q * q, sizeof(*vt)), *z = sr_xcalloc(q, sizeof(*z));
    gsl_matrix_view vv = gsl_matrix_view_array(vt, q, q);
    gsl_vector_view zv = gsl_vector_view_array(z, q);
    size_t a, b;

    for (a = 0; a < q; a++) {
        z[a] = beta[f0 + a];
        for (b = 0; b < q; b++) {
            vt[a * q + b] = cov[(f0 + a) * p + f0 + b];
        }
    }
    if (gsl_linalg_cholesky_decomp1(&vv.matrix) == GSL_SUCCESS &&
        gsl_linalg_cholesky_svx(&vv.matrix, &zv.vector) == GSL_SUCCESS) {
        for (a = 0; a < k; a++) {
            for (b = 0; b < q; b++) {
                work[a] -= cov[cols[a] * p + f0 + b] * z[b];
            }
        }
    }
    free(vt);
    free(z);
}

static void *
lr_worker(void *arg)
{
    struct lr_jobs *j = arg;
    size_t p = j->m->p;
    size_t *cols = sr_xcalloc(p + 1, sizeof(*cols));
    double *work = sr_xcalloc(p + 1, sizeof(*work));

    for (;;) {
        size_t t, c, k = 0, f0, q;
        double dev_r;
        struct logit_test *lt;

        t = queue_take(&j->q);
        if (t == SIZE_MAX) {
            break;
        }
        f0 = j->tb[t].first_col;
        q = j->tb[t].n_cols;
        lt = &j->test[t];
        for (c = 0; c < p; c++) {
            if (c < f0 || c >= f0 + q) {
                cols[k] = c;
                work[k++] = j->beta[c];
            }
        }
        warm_start(j->cov, p, j->beta, f0, q, cols, k, work);
        if (irls(j->m, cols, k, NULL, work, &dev_r, NULL, NULL) == IRLS_OK) {
            lt->stat = dev_r - j->dev;
            lt->stat = lt->stat < 0 ? 0 : lt->stat;
        } else {
            lt->stat = NAN;
        }
    }
    free(cols);
    free(work);
    return NULL;
}

static void
lr_tests(struct lr_jobs *j)
{
    j->q.n = j->n_terms;
    run_workers(lr_worker, j, &j->q);
}

/* ---- profile limits, one job per limit, on worker threads ---- */

struct pl_jobs {
    const struct model *m;
    const double *beta;      /* full-model estimate, p values */
    double z;                /* normal quantile of the level */
    double target;           /* deviance at the limits */
    struct logit_coef *coef; /* in: se; out: pl_lo, pl_hi */
    struct queue q;          /* job 2c: lower limit of c, 2c + 1: upper */
};

static void *
pl_worker(void *arg)
{
    struct pl_jobs *j = arg;
    size_t p = j->m->p, t;
    struct profile pr;
    double *start = sr_xcalloc(p, sizeof(*start));

    pr.m = j->m;
    pr.cols = sr_xcalloc(p, sizeof(*pr.cols));
    pr.beta = sr_xcalloc(p, sizeof(*pr.beta));
    pr.offset = sr_xcalloc(j->m->n + 1, sizeof(*pr.offset));
    pr.target = j->target;
    pr.k = p - 1;
    while ((t = queue_take(&j->q)) != SIZE_MAX) {
        size_t c = t / 2, k = 0, e;
        int dir = t % 2 == 0 ? -1 : +1;
        double step = 1.2 * j->z * j->coef[c].se, b;
        for (e = 0; e < p; e++) {
            if (e != c) {
                pr.cols[k] = e;
                start[k++] = j->beta[e];
            }
        }
        pr.j = c;
        pr.is_failed = 0;
        b = profile_limit(&pr, j->beta[c], step, dir, start);
        b = isnan(b) ? NAN : exp(b);
        if (dir < 0) {
            j->coef[c].pl_lo = b;
        } else {
            j->coef[c].pl_hi = b;
        }
    }
    free(start);
    free(pr.cols);
    free(pr.beta);
    free(pr.offset);
    return NULL;
}

/* ---- the fit, step by step ---- */

/* what logit_fit() builds on its way; state_release() frees it */
struct fit_state {
    const struct logit_input *in; /* borrowed */
    bool *use;                    /* in->n flags: the row has every value */
    size_t n_used;                /* rows used */
    struct term_build *tb;        /* one per term */
    size_t p;                     /* design columns, intercept first */
    struct model m;               /* the design matrix of the rows used */
    struct col_info *ci;          /* p: each column's name and term */
    size_t *used_row;             /* n_used: the input row of each row used */
    size_t *cols;                 /* p: every column, 0 .. p-1 */
    double *beta;                 /* p: the estimate */
    double *cov;                  /* p x p: its covariance */
    double n1;                    /* weighted sum of the outcome */
    double sw;                    /* sum of the weights */
    double dev;                   /* deviance of the full fit */
    int iter;                     /* IRLS iterations of the full fit */
};

static void
state_release(struct fit_state *s)
{
    size_t t, c;

    if (s->tb != NULL) {
        for (t = 0; t < s->in->n_terms; t++) {
            free(s->tb[t].levels);
        }
    }
    for (c = 0; s->ci != NULL && c < s->p; c++) {
        free(s->ci[c].name);
    }
    free(s->ci);
    free(s->tb);
    free(s->use);
    free(s->m.y);
    free(s->m.w);
    free(s->m.is_dummy);
    free(s->m.hot);
    free(s->m.xd);
    free(s->m.dense_col);
    free(s->m.col_slot);
    free(s->m.segs);
    free(s->used_row);
    free(s->cols);
    free(s->beta);
    free(s->cov);
}

/* the checks on in that need no pass over the data */
static int
check_input(const struct logit_input *in, struct sr_err *err)
{
    size_t t;

    if (!(in->level > 0 && in->level < 1)) {
        return sr_err_set(err, SR_EINVAL, "invalid level: need 0 < level < 1");
    }
    if (in->design != NULL && in->design->n != in->n) {
        return sr_err_set(err, SR_EINVAL, "design has %zu rows, data %zu",
                          in->design->n, in->n);
    }
    for (t = 0; t < in->n_terms; t++) {
        const struct logit_term *lt = &in->terms[t];
        if ((lt->num == NULL) == (lt->cat == NULL)) {
            return sr_err_set(err, SR_EINVAL,
                              "predictor '%s' must be numeric or categorical",
                              lt->name);
        }
    }
    return SR_OK;
}

/* rows with everything present: s->use and s->n_used */
static int
select_rows(struct fit_state *s, struct sr_err *err)
{
    const struct logit_input *in = s->in;
    size_t i, t;

    s->use = sr_xcalloc(in->n + 1, sizeof(*s->use));
    for (i = 0; i < in->n; i++) {
        bool ok = !isnan(in->y[i]);
        if (ok && in->y[i] != 0 && in->y[i] != 1) {
            return sr_err_set(err, SR_EINVAL, "outcome must be 0 or 1, row %zu",
                              i + 1);
        }
        for (t = 0; ok && t < in->n_terms; t++) {
            const struct logit_term *lt = &in->terms[t];
            ok = lt->num != NULL ? isfinite(lt->num[i]) : lt->cat[i] != NULL;
        }
        if (ok && in->design != NULL && in->design->weight != NULL) {
            ok = isfinite(in->design->weight[i]);
        }
        s->use[i] = ok;
        s->n_used += ok;
    }
    if (s->n_used == 0) {
        return sr_err_set(err, SR_EINVAL,
                          "no rows without missing values to fit");
    }
    return SR_OK;
}

/* categorical term t: its levels over the rows used, and its reference */
static int
term_levels(struct fit_state *s, size_t t, struct sr_err *err)
{
    const struct logit_term *lt = &s->in->terms[t];
    struct term_build *b = &s->tb[t];

    collect_levels(lt->cat, s->use, s->in->n, s->n_used, &b->levels,
                   &b->n_levels);
    if (b->n_levels > MAX_LEVELS) {
        return sr_err_set(err, SR_EINVAL,
                          "predictor '%s' has %zu levels (limit %d)", lt->name,
                          b->n_levels, MAX_LEVELS);
    }
    if (b->n_levels < 2) {
        return sr_err_set(err, SR_EINVAL,
                          "predictor '%s' has a single level in the rows "
                          "used",
                          lt->name);
    }
    b->ref = 0;
    if (lt->ref != NULL) {
        const char **hit = bsearch(&lt->ref, b->levels, b->n_levels,
                                   sizeof(char *), cmp_str_ptr);
        if (hit == NULL) {
            return sr_err_set(err, SR_EINVAL,
                              "reference level '%s' not found for "
                              "predictor '%s'",
                              lt->ref, lt->name);
        }
        b->ref = (size_t)(hit - b->levels);
    }
    b->n_cols = b->n_levels - 1;
    return SR_OK;
}

/* levels of categorical terms, and the column layout: s->tb, s->p */
static int
build_terms(struct fit_state *s, struct sr_err *err)
{
    size_t t;
    int rc;

    s->p = 1;
    s->tb = sr_xcalloc(s->in->n_terms + 1, sizeof(*s->tb));
    for (t = 0; t < s->in->n_terms; t++) {
        s->tb[t].first_col = s->p;
        if (s->in->terms[t].num != NULL) {
            s->tb[t].n_cols = 1;
        } else {
            s->tb[t].group = s->m.n_groups++;
            rc = term_levels(s, t, err);
            if (rc != SR_OK) {
                return rc;
            }
        }
        s->p += s->tb[t].n_cols;
    }
    if (s->p > s->n_used) {
        return sr_err_set(err, SR_EINVAL,
                          "too few rows (%zu) for %zu coefficients", s->n_used,
                          s->p);
    }
    return SR_OK;
}

/* the column names (s->ci), and which columns are dummies */
static void
name_columns(struct fit_state *s)
{
    size_t t, r, c;

    s->m.is_dummy = sr_xcalloc(s->p, sizeof(*s->m.is_dummy));
    s->ci = sr_xcalloc(s->p, sizeof(*s->ci));
    s->ci[0].term = SIZE_MAX;
    s->ci[0].name = sr_xstrdup("(Intercept)");
    for (t = 0; t < s->in->n_terms; t++) {
        const struct logit_term *lt = &s->in->terms[t];
        const struct term_build *b = &s->tb[t];
        if (lt->num != NULL) {
            s->ci[b->first_col].term = t;
            s->ci[b->first_col].name = sr_xstrdup(lt->name);
            continue;
        }
        for (c = 0, r = 0; r < b->n_levels; r++) {
            struct sr_buf buf;
            if (r == b->ref) {
                continue;
            }
            sr_buf_init(&buf, 4096);
            if (sr_buf_printf(&buf, "%s=%s", lt->name, b->levels[r]) != SR_OK) {
                sr_buf_reset(&buf);
                (void)sr_buf_printf(&buf, "%s=#%zu", lt->name, r + 1);
            }
            s->ci[b->first_col + c].term = t;
            s->ci[b->first_col + c].name = sr_buf_detach(&buf, NULL);
            s->m.is_dummy[b->first_col + c] = true;
            c++;
        }
    }
}

/* the dense columns apart, and the column order by stretches */
static void
layout_columns(struct fit_state *s)
{
    struct model *m = &s->m;
    size_t t, c;

    m->dense_col = sr_xcalloc(s->p, sizeof(*m->dense_col));
    m->segs = sr_xcalloc(s->in->n_terms + 1, sizeof(*m->segs));
    m->dense_col[m->nd++] = 0;
    m->segs[0].end = m->n_segs = 1;
    for (t = 0; t < s->in->n_terms; t++) {
        struct seg *last = &m->segs[m->n_segs - 1];
        if (s->in->terms[t].cat != NULL) {
            m->segs[m->n_segs].is_group = true;
            m->segs[m->n_segs++].first = s->tb[t].group;
        } else if (!last->is_group) {
            last->end++;
            m->dense_col[m->nd++] = s->tb[t].first_col;
        } else {
            m->segs[m->n_segs].first = m->nd;
            m->segs[m->n_segs++].end = m->nd + 1;
            m->dense_col[m->nd++] = s->tb[t].first_col;
        }
    }
    m->ndp = m->nd + (m->nd & 1);
    m->xd = sr_xcalloc(s->n_used * m->ndp + 2, sizeof(*m->xd));
    m->col_slot = sr_xcalloc(s->p, sizeof(*m->col_slot));
    for (c = 0; c < m->nd; c++) {
        m->col_slot[m->dense_col[c]] = c;
    }
    for (t = 0; t < s->in->n_terms; t++) {
        for (c = 0; s->in->terms[t].cat != NULL && c < s->tb[t].n_cols; c++) {
            m->col_slot[s->tb[t].first_col + c] = s->tb[t].group;
        }
    }
}

/* row r of the model from input row i: outcome, weight, columns */
static void
fill_row(struct fit_state *s, size_t r, size_t i)
{
    const struct logit_input *in = s->in;
    struct model *m = &s->m;
    double *xr = m->xd + r * m->ndp;
    size_t t;

    s->used_row[r] = i;
    xr[0] = 1;
    m->y[r] = in->y[i];
    m->w[r] = in->design != NULL && in->design->weight != NULL
                  ? in->design->weight[i]
                  : 1;
    for (t = 0; t < in->n_terms; t++) {
        const struct logit_term *lt = &in->terms[t];
        const struct term_build *b = &s->tb[t];
        if (lt->num != NULL) {
            xr[m->col_slot[b->first_col]] = lt->num[i];
        } else {
            const char **hit = bsearch(&lt->cat[i], b->levels, b->n_levels,
                                       sizeof(char *), cmp_str_ptr);
            size_t lv = (size_t)(hit - b->levels), hc = SIZE_MAX;
            if (lv != b->ref) {
                hc = b->first_col + lv - (lv > b->ref);
            }
            m->hot[r * m->n_groups + b->group] = hc;
        }
    }
}

/* the design matrix and column names; s->n1 and s->sw */
static int
build_design(struct fit_state *s, struct sr_err *err)
{
    struct model *m = &s->m;
    size_t i, r;

    m->n = s->n_used;
    m->p = s->p;
    m->y = sr_xcalloc(s->n_used, sizeof(*m->y));
    m->w = sr_xcalloc(s->n_used, sizeof(*m->w));
    m->hot = sr_xcalloc(s->n_used * m->n_groups + 1, sizeof(*m->hot));
    s->used_row = sr_xcalloc(s->n_used, sizeof(*s->used_row));
    name_columns(s);
    layout_columns(s);
    for (i = 0, r = 0; i < s->in->n; i++) {
        if (!s->use[i]) {
            continue;
        }
        fill_row(s, r, i);
        s->n1 += m->w[r] * m->y[r];
        s->sw += m->w[r];
        r++;
    }
    if (!(s->sw > 0)) {
        return sr_err_set(err, SR_EINVAL, "the rows used have zero weight");
    }
    if (s->n1 <= 0 || s->n1 >= s->sw) {
        return sr_err_set(err, SR_EINVAL,
                          "outcome is always %d in the rows used: nothing to "
                          "model",
                          s->n1 > 0 ? 1 : 0);
    }
    return SR_OK;
}

/*
 * collinearity: incremental Cholesky of X'WX. pass() at beta = 0 has
 * mu = 1/2 and weights w/4, so its A is X'WX / 4 exactly (a power of
 * two), and the test below, relative, decides the same. Also makes
 * s->cols (every column) and s->beta (zero).
 */
static int
check_collinear(struct fit_state *s, struct sr_err *err)
{
    size_t p = s->p, c, d, e;
    double *a, *l;
    int rc = SR_OK;

    s->cols = sr_xcalloc(p, sizeof(*s->cols));
    for (c = 0; c < p; c++) {
        s->cols[c] = c;
    }
    s->beta = sr_xcalloc(p, sizeof(*s->beta));
    a = sr_xcalloc(p * p, sizeof(*a));
    l = sr_xcalloc(p * p, sizeof(*l));
    (void)pass(&s->m, s->cols, p, s->beta, NULL, a, l);
    memset(l, 0, p * p * sizeof(*l));
    for (c = 0; c < p && rc == SR_OK; c++) {
        for (d = 0; d <= c; d++) {
            double sum = a[c * p + d];
            for (e = 0; e < d; e++) {
                sum -= l[c * p + e] * l[d * p + e];
            }
            if (d < c) {
                l[c * p + d] = sum / l[d * p + d];
            } else if (!(sum > 1e-9 * a[c * p + c])) {
                rc = sr_err_set(err, SR_EINVAL,
                                "predictor '%s' is collinear with the "
                                "intercept or earlier predictors",
                                c == 0 ? "(Intercept)" : s->ci[c].name);
            } else {
                l[c * p + c] = sqrt(sum);
            }
        }
    }
    free(a);
    free(l);
    return rc;
}

/* categorical term t: a level whose rows all have the same outcome */
static int
check_separation_cat(const struct fit_state *s, size_t t, struct sr_err *err)
{
    const struct model *m = &s->m;
    const struct term_build *b = &s->tb[t];
    /* rows of each level with y = 0 and y = 1, from m->hot */
    size_t *cnt = sr_xcalloc(2 * b->n_levels, sizeof(*cnt));
    size_t r, c;
    int rc = SR_OK;

    for (r = 0; r < s->n_used; r++) {
        size_t hc = m->hot[r * m->n_groups + b->group], lv;
        if (!(m->w[r] > 0)) {
            continue;
        }
        lv = b->ref;
        if (hc != SIZE_MAX) {
            lv = hc - b->first_col;
            lv += lv >= b->ref;
        }
        cnt[2 * lv + (m->y[r] > 0.5)]++;
    }
    for (c = 0; c < b->n_levels; c++) {
        if (cnt[2 * c] == 0 || cnt[2 * c + 1] == 0) {
            rc = sr_err_set(err, SR_EINVAL,
                            "quasi-complete separation by predictor "
                            "'%s': the outcome is always %d when it "
                            "is '%s'; odds ratios would be infinite",
                            s->in->terms[t].name, cnt[2 * c + 1] > 0 ? 1 : 0,
                            b->levels[c]);
            break;
        }
    }
    free(cnt);
    return rc;
}

/* separation visible one predictor at a time */
static int
check_separation(struct fit_state *s, struct sr_err *err)
{
    size_t t;
    int rc;

    for (t = 0; t < s->in->n_terms; t++) {
        const struct logit_term *lt = &s->in->terms[t];
        rc = lt->num != NULL ? check_separation_num(&s->m, s->tb[t].first_col,
                                                    lt->name, err)
                             : check_separation_cat(s, t, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    return SR_OK;
}

/* the column with the largest standardised effect (1 if p is 1) */
static size_t
largest_effect(const struct fit_state *s)
{
    size_t best = 1, r, c, n_used = s->n_used;
    double best_v = -1;

    for (c = 1; c < s->p; c++) {
        double mean = 0, var = 0, v;
        for (r = 0; r < n_used; r++) {
            mean += xval(&s->m, r, c) / (double)n_used;
        }
        for (r = 0; r < n_used; r++) {
            double d = xval(&s->m, r, c) - mean;
            var += d * d / (double)n_used;
        }
        v = fabs(s->beta[c]) * sqrt(var);
        if (v > best_v) {
            best_v = v;
            best = c;
        }
    }
    return best;
}

/* the full fit: s->beta, s->cov, s->dev, s->iter */
static int
fit_full(struct fit_state *s, struct sr_err *err)
{
    size_t p = s->p, r;
    enum irls_status st;
    double max_eta = 0;

    s->cov = sr_xcalloc(p * p, sizeof(*s->cov));
    s->beta[0] = log(s->n1 / (s->sw - s->n1));
    st = irls(&s->m, s->cols, p, NULL, s->beta, &s->dev, &s->iter, s->cov);
    for (r = 0; r < s->n_used; r++) {
        double eta = fabs(linpred(&s->m, r, s->cols, p, s->beta, NULL));
        max_eta = eta > max_eta ? eta : max_eta;
    }
    if (st == IRLS_OK && max_eta <= ETA_SEPARATED) {
        return SR_OK;
    }
    if (max_eta > ETA_SEPARATED || st == IRLS_SINGULAR) {
        /* name the predictor with the largest standardised effect */
        size_t best = largest_effect(s);
        return sr_err_set(err, SR_EINVAL,
                          "complete or quasi-complete separation "
                          "(fitted probabilities of 0 or 1), most "
                          "likely involving predictor '%s'",
                          p > 1 ? s->in->terms[s->ci[best].term].name
                                : "(Intercept)");
    }
    return sr_err_set(err, SR_EINVAL,
                      "the fit did not converge in %d iterations", MAX_ITER);
}

/*
 * The design restricted to the rows used, into *sd; the arrays it points
 * to that are new go to *sv, *cv, *fv (caller frees).
 */
static void
used_design(const struct fit_state *s, struct survey_design *sd, long **sv,
            long **cv, double **fv)
{
    const struct survey_design *d = s->in->design;
    size_t r, n_used = s->n_used;

    sd->n = n_used;
    sd->lonely = d->lonely;
    if (d->weight != NULL) {
        sd->weight = s->m.w;
    }
    if (d->stratum != NULL) {
        *sv = sr_xcalloc(n_used, sizeof(**sv));
        for (r = 0; r < n_used; r++) {
            (*sv)[r] = d->stratum[s->used_row[r]];
        }
        sd->stratum = *sv;
    }
    if (d->cluster != NULL) {
        *cv = sr_xcalloc(n_used, sizeof(**cv));
        for (r = 0; r < n_used; r++) {
            (*cv)[r] = d->cluster[s->used_row[r]];
        }
        sd->cluster = *cv;
    }
    if (d->fpc != NULL) {
        *fv = sr_xcalloc(n_used, sizeof(**fv));
        for (r = 0; r < n_used; r++) {
            (*fv)[r] = d->fpc[s->used_row[r]];
        }
        sd->fpc = *fv;
    }
}

/* out <- a b, all p x p; out is neither a nor b */
static void
mat_mul(double *out, const double *a, const double *b, size_t p)
{
    for (size_t r = 0; r < p; r++) {
        for (size_t c = 0; c < p; c++) {
            double sum = 0;
            for (size_t e = 0; e < p; e++) {
                sum += a[r * p + e] * b[e * p + c];
            }
            out[r * p + c] = sum;
        }
    }
}

/* cov <- cov bm cov, all p x p; bm and tmp are overwritten */
static void
sandwich(double *cov, double *bm, double *tmp, size_t p)
{
    mat_mul(tmp, cov, bm, p);
    mat_mul(bm, tmp, cov, p);
    memcpy(cov, bm, p * p * sizeof(*cov));
}

/* design-based covariance A^-1 B A^-1 into s->cov; *design_df */
static int
design_cov(struct fit_state *s, double *design_df, struct sr_err *err)
{
    size_t p = s->p, r, c;
    struct survey_design sd = { 0 };
    double *u = sr_xcalloc(s->n_used * p, sizeof(*u));
    double *bm = sr_xcalloc(p * p, sizeof(*bm));
    double *tmp = sr_xcalloc(p * p, sizeof(*tmp));
    double *fv = NULL;
    long *sv = NULL, *cv = NULL;
    int rc;

    /* the score contributions */
    for (r = 0; r < s->n_used; r++) {
        double eta = linpred(&s->m, r, s->cols, p, s->beta, NULL);
        double mu = 1 / (1 + exp(-eta));
        for (c = 0; c < p; c++) {
            u[r * p + c] = s->m.w[r] * (s->m.y[r] - mu) * xval(&s->m, r, c);
        }
    }
    used_design(s, &sd, &sv, &cv, &fv);
    rc = survey_total_vcov(&sd, u, p, bm, design_df, err);
    if (rc == SR_OK) {
        sandwich(s->cov, bm, tmp, p);
    }
    free(u);
    free(bm);
    free(tmp);
    free(fv);
    free(sv);
    free(cv);
    return rc;
}

/* coefficients and Wald intervals at normal quantile z */
static void
fill_coefs(struct fit_state *s, struct logit_fit *fit, double z)
{
    size_t p = s->p, c;

    fit->coef = sr_xcalloc(p, sizeof(*fit->coef));
    for (c = 0; c < p; c++) {
        struct logit_coef *lc = &fit->coef[c];
        lc->name = s->ci[c].name;
        s->ci[c].name = NULL;
        lc->term = s->ci[c].term;
        lc->beta = s->beta[c];
        lc->se = sqrt(s->cov[c * p + c]);
        lc->z = lc->beta / lc->se;
        lc->p = 2 * gsl_cdf_ugaussian_Q(fabs(lc->z));
        lc->odds_ratio = exp(lc->beta);
        lc->or_lo = exp(lc->beta - z * lc->se);
        lc->or_hi = exp(lc->beta + z * lc->se);
        lc->pl_lo = lc->pl_hi = NAN;
    }
}

/* Wald test of term t with the design-based covariance: b' V^-1 b */
static double
wald_stat(const struct fit_state *s, size_t t)
{
    size_t q = s->tb[t].n_cols, f0 = s->tb[t].first_col, p = s->p, r, c;
    double *vb = sr_xcalloc(q * q, sizeof(*vb));
    double *bb = sr_xcalloc(q, sizeof(*bb));
    gsl_matrix_view vv = gsl_matrix_view_array(vb, q, q);
    gsl_vector_view bv = gsl_vector_view_array(bb, q);
    double stat = NAN;

    for (r = 0; r < q; r++) {
        bb[r] = s->beta[f0 + r];
        for (c = 0; c < q; c++) {
            vb[r * q + c] = s->cov[(f0 + r) * p + f0 + c];
        }
    }
    if (gsl_linalg_cholesky_decomp1(&vv.matrix) == GSL_SUCCESS &&
        gsl_linalg_cholesky_svx(&vv.matrix, &bv.vector) == GSL_SUCCESS) {
        stat = 0;
        for (r = 0; r < q; r++) {
            stat += s->beta[f0 + r] * bb[r];
        }
    }
    free(vb);
    free(bb);
    return stat;
}

/* term tests: Wald with a design, else likelihood-ratio on workers */
static void
term_tests(struct fit_state *s, struct logit_fit *fit)
{
    size_t t, n_terms = s->in->n_terms;

    fit->test = sr_xcalloc(n_terms + 1, sizeof(*fit->test));
    for (t = 0; t < n_terms; t++) {
        fit->test[t].df = (double)s->tb[t].n_cols;
        if (fit->is_design) {
            fit->test[t].stat = wald_stat(s, t);
        }
    }
    if (!fit->is_design && n_terms > 0) {
        struct lr_jobs jobs;
        jobs.m = &s->m;
        jobs.beta = s->beta;
        jobs.cov = s->cov;
        jobs.tb = s->tb;
        jobs.n_terms = n_terms;
        jobs.dev = s->dev;
        jobs.test = fit->test;
        lr_tests(&jobs);
    }
    for (t = 0; t < n_terms; t++) {
        struct logit_test *lt = &fit->test[t];
        lt->p = isnan(lt->stat) ? NAN : chisq_q(lt->stat, lt->df);
    }
}

/* the result from a full fit: summary, covariance, coefficients, tests */
static int
fill_fit(struct fit_state *s, struct logit_fit *fit, struct sr_err *err)
{
    const struct logit_input *in = s->in;
    size_t p = s->p;
    double z;

    fit->deviance = s->dev;
    fit->iterations = s->iter;
    fit->null_deviance = -2 * (s->n1 * log(s->n1 / s->sw) +
                               (s->sw - s->n1) * log(1 - s->n1 / s->sw));
    fit->n_used = s->n_used;
    fit->n_dropped = in->n - s->n_used;
    fit->n_coef = p;
    fit->n_terms = in->n_terms;
    fit->is_design = in->design != NULL;
    fit->is_wald_test = fit->is_design;
    fit->aic = fit->is_design ? NAN : s->dev + 2 * (double)p;
    fit->design_df = NAN;
    if (fit->is_design) {
        int rc = design_cov(s, &fit->design_df, err);
        if (rc != SR_OK) {
            return rc;
        }
    }
    z = gsl_cdf_ugaussian_Qinv((1 - in->level) / 2);
    fill_coefs(s, fit, z);
    term_tests(s, fit);
    /* profile-likelihood intervals, each limit on its own */
    if (in->want_profile && !fit->is_design) {
        struct pl_jobs jobs;
        jobs.m = &s->m;
        jobs.beta = s->beta;
        jobs.z = z;
        jobs.target = s->dev + gsl_cdf_chisq_Qinv(1 - in->level, 1);
        jobs.coef = fit->coef;
        jobs.q.n = 2 * p;
        run_workers(pl_worker, &jobs, &jobs.q);
    }
    return SR_OK;
}

/* The stages of a fit before its report, in order; each may refuse. */
static int (*const fit_stages[])(struct fit_state *s, struct sr_err *err) = {
    select_rows,     build_terms,      build_design,
    check_collinear, check_separation, fit_full,
};

int
logit_fit(const struct logit_input *in, struct logit_fit *out,
          struct sr_err *err)
{
    struct fit_state s;
    struct logit_fit fit = { 0 };
    int rc;

    assert(in != NULL && out != NULL && (in->y != NULL || in->n == 0));
    rc = check_input(in, err);
    if (rc != SR_OK) {
        return rc;
    }
    memset(&s, 0, sizeof(s));
    s.in = in;
    for (size_t i = 0;
         rc == SR_OK && i < sizeof fit_stages / sizeof fit_stages[0]; i++) {
        rc = fit_stages[i](&s, err);
    }
    if (rc == SR_OK) {
        rc = fill_fit(&s, &fit, err);
    }
    if (rc == SR_OK) {
        *out = fit;
        memset(&fit, 0, sizeof(fit));
    }
    logit_fit_release(&fit);
    state_release(&s);
    return rc;
}
