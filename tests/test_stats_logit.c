/*
 * test_stats_logit.c - logistic regression against closed forms: a single
 * binary predictor's odds ratio is ad/bc with Wald SE sqrt(1/a+1/b+1/c+
 * 1/d); a saturated categorical model reproduces the table's odds ratios
 * and its LR statistic is the table's G^2; the profile-likelihood limits
 * are where the restricted deviance (maximised over the intercept by
 * bisection here) exceeds the minimum by qchisq(0.95, 1). Plus separation,
 * collinearity, missing values and the design-based sandwich.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "tally.h"
#include "stats/num/logit.h"

#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "core/banned.h"

/* 2x2: x=1: a with y=1, b with y=0; x=0: c with y=1, d with y=0 */
enum { A = 30, B = 20, C = 15, D = 35, N22 = A + B + C + D };

static void
make_2x2(double *x, double *y)
{
    size_t i = 0, k;

    for (k = 0; k < A; k++, i++) {
        x[i] = 1, y[i] = 1;
    }
    for (k = 0; k < B; k++, i++) {
        x[i] = 1, y[i] = 0;
    }
    for (k = 0; k < C; k++, i++) {
        x[i] = 0, y[i] = 1;
    }
    for (k = 0; k < D; k++, i++) {
        x[i] = 0, y[i] = 0;
    }
}

static double
xlogy(double cnt, double pr)
{
    return cnt > 0 ? cnt * log(pr) : 0;
}

/* -2 log L of the 2x2 data at intercept al and slope be */
static double
dev_2x2(double al, double be)
{
    double p1 = 1 / (1 + exp(-(al + be))), p0 = 1 / (1 + exp(-al));
    return -2 *
           (xlogy(A, p1) + xlogy(B, 1 - p1) + xlogy(C, p0) + xlogy(D, 1 - p0));
}

/* the deviance with the slope fixed at be, maximised over the intercept:
 * solve (a+c) = (a+b) expit(al+be) + (c+d) expit(al) by bisection */
static double
profile_dev_2x2(double be)
{
    double lo = -50, hi = 50;
    int it;

    for (it = 0; it < 200; it++) {
        double al = (lo + hi) / 2;
        double g = (A + C) - (A + B) / (1 + exp(-(al + be))) -
                   (C + D) / (1 + exp(-al));
        if (g > 0) {
            lo = al;
        } else {
            hi = al;
        }
    }
    return dev_2x2((lo + hi) / 2, be);
}

static void
test_2x2(void)
{
    double x[N22], y[N22];
    struct logit_term term = { "exposed", x, NULL, NULL };
    struct logit_input in = { N22, y, 1, &term, NULL, 0.95, true };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };
    double or_ = (double)A * D / ((double)B * C);
    double se = sqrt(1.0 / A + 1.0 / B + 1.0 / C + 1.0 / D);
    double dev, null_dev, q = gsl_cdf_chisq_Qinv(0.05, 1);

    make_2x2(x, y);
    CHECK(logit_fit(&in, &f, &err) == SR_OK);
    CHECK(f.n_coef == 2 && f.n_used == N22 && f.n_dropped == 0);
    CHECK_STR(f.coef[0].name, "(Intercept)");
    CHECK_STR(f.coef[1].name, "exposed");
    CHECK_NEAR(f.coef[1].odds_ratio, or_, 1e-8);
    CHECK_NEAR(f.coef[1].se, se, 1e-8);
    CHECK_NEAR(f.coef[0].beta, log((double)C / D), 1e-8);
    CHECK_NEAR(f.coef[0].se, sqrt(1.0 / C + 1.0 / D), 1e-8);
    CHECK_NEAR(f.coef[1].or_lo, or_ * exp(-1.959963985 * se), 1e-8);
    CHECK_NEAR(f.coef[1].or_hi, or_ * exp(1.959963985 * se), 1e-8);
    CHECK_NEAR(f.coef[1].z, log(or_) / se, 1e-8);
    CHECK_NEAR(f.coef[1].p, 2 * gsl_cdf_ugaussian_Q(log(or_) / se), 1e-8);
    /* deviance of the saturated-in-x model, and of the null model */
    dev = dev_2x2(log((double)C / D), log(or_));
    null_dev = -2 * (xlogy(A + C, (double)(A + C) / N22) +
                     xlogy(B + D, (double)(B + D) / N22));
    CHECK_NEAR(f.deviance, dev, 1e-9);
    CHECK_NEAR(f.null_deviance, null_dev, 1e-9);
    CHECK_NEAR(f.aic, dev + 4, 1e-9);
    CHECK(f.n_terms == 1 && f.test[0].df == 1);
    CHECK_NEAR(f.test[0].stat, null_dev - dev, 1e-7);
    CHECK_NEAR(f.test[0].p, gsl_cdf_chisq_Q(null_dev - dev, 1), 1e-6);
    /* profile limits: restricted deviance = min + qchisq(0.95, 1) */
    CHECK(f.coef[1].pl_lo < or_ && f.coef[1].pl_hi > or_);
    CHECK_NEAR(profile_dev_2x2(log(f.coef[1].pl_lo)) - dev, q, 1e-6);
    CHECK_NEAR(profile_dev_2x2(log(f.coef[1].pl_hi)) - dev, q, 1e-6);
    /* profile intervals are asymmetric on the log scale, Wald are not */
    CHECK(fabs(log(f.coef[1].pl_hi / or_) + log(f.coef[1].pl_lo / or_)) > 1e-3);
    logit_fit_release(&f);
    logit_fit_release(&f);

    /*
     * Design-based with each row its own PSU and equal weights: in a
     * saturated model the score variance within each cell equals the
     * model information, so the sandwich is n/(n-1) times the model-based
     * variance: SE = se * sqrt(100/99).
     */
    {
        double w[N22];
        size_t i;
        struct survey_design d = { N22, w, NULL, NULL, NULL, 0 };
        for (i = 0; i < N22; i++) {
            w[i] = 2.5;
        }
        in.design = &d;
        CHECK(logit_fit(&in, &f, &err) == SR_OK);
        CHECK(f.is_design && f.is_wald_test && isnan(f.aic));
        CHECK_NEAR(f.coef[1].odds_ratio, or_, 1e-8);
        CHECK_NEAR(f.coef[1].se, se * sqrt(100.0 / 99), 1e-8);
        CHECK(f.design_df == 99);
        /* Wald test = z^2 for a one-column term */
        CHECK_NEAR(f.test[0].stat, f.coef[1].z * f.coef[1].z, 1e-8);
        CHECK(isnan(f.coef[1].pl_lo));
        logit_fit_release(&f);
        in.design = NULL;
    }
    sr_err_release(&err);
}

static void
test_categorical(void)
{
    /* level a: 10 yes / 20 no; b: 15 / 15; c: 25 / 5; reference b */
    static const int yes[3] = { 10, 15, 25 }, no[3] = { 20, 15, 5 };
    static const char *const names[3] = { "a", "b", "c" };
    const char *cat[92];
    double y[92], g2 = 0;
    size_t i = 0, l, k;
    struct logit_term term = { "grp", NULL, cat, "b" };
    struct logit_input in = { 92, y, 1, &term, NULL, 0.95, false };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };

    for (l = 0; l < 3; l++) {
        for (k = 0; k < (size_t)yes[l]; k++, i++) {
            cat[i] = names[l], y[i] = 1;
        }
        for (k = 0; k < (size_t)no[l]; k++, i++) {
            cat[i] = names[l], y[i] = 0;
        }
    }
    /* two rows with missing values */
    cat[90] = NULL, y[90] = 1;
    cat[91] = "a", y[91] = NAN;
    CHECK(logit_fit(&in, &f, &err) == SR_OK);
    CHECK(f.n_used == 90 && f.n_dropped == 2 && f.n_coef == 3);
    CHECK_STR(f.coef[1].name, "grp=a");
    CHECK_STR(f.coef[2].name, "grp=c");
    CHECK_NEAR(f.coef[1].odds_ratio, (10.0 / 20) / (15.0 / 15), 1e-8);
    CHECK_NEAR(f.coef[2].odds_ratio, (25.0 / 5) / (15.0 / 15), 1e-8);
    CHECK_NEAR(f.coef[1].se, sqrt(1.0 / 10 + 1.0 / 20 + 1.0 / 15 + 1.0 / 15),
               1e-8);
    CHECK_NEAR(f.coef[0].beta, 0, 1e-8);
    /* G^2 = 2 sum O log(O/E) over the 3x2 table, E from the margins */
    for (l = 0; l < 3; l++) {
        double nl = yes[l] + no[l];
        g2 += 2 * yes[l] * log(yes[l] / (nl * 50.0 / 90));
        g2 += 2 * no[l] * log(no[l] / (nl * 40.0 / 90));
    }
    CHECK(f.test[0].df == 2);
    CHECK_NEAR(f.test[0].stat, g2, 1e-7);
    logit_fit_release(&f);

    /* default reference: first in byte order ("a") */
    term.ref = NULL;
    CHECK(logit_fit(&in, &f, &err) == SR_OK);
    CHECK_STR(f.coef[1].name, "grp=b");
    CHECK_NEAR(f.coef[2].odds_ratio, (25.0 / 5) / (10.0 / 20), 1e-8);
    logit_fit_release(&f);
    term.ref = "zz";
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "'zz'") != NULL &&
          strstr(sr_err_msg(&err), "'grp'") != NULL);
    term.ref = "b";

    /* quasi-complete separation: level c always 1 */
    for (i = 0; i < 92; i++) {
        if (cat[i] != NULL && strcmp(cat[i], "c") == 0) {
            y[i] = 1;
        }
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "separation") != NULL);
    CHECK(strstr(sr_err_msg(&err), "'grp'") != NULL);
    CHECK(f.coef == NULL);
    sr_err_release(&err);
}

/*
 * A numeric predictor with a known answer is hard to write by hand, so
 * check the maximum-likelihood conditions instead: at the estimate the
 * score sum((y - mu) x) is zero for each column, and the reported SE is
 * the square root of the inverse information sum(mu(1-mu) x x').
 */
static void
test_numeric_score(void)
{
    double x[40], y[40], s0 = 0, s1 = 0, i00 = 0, i01 = 0, i11 = 0;
    struct logit_term term = { "age", x, NULL, NULL };
    struct logit_input in = { 40, y, 1, &term, NULL, 0.95, false };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };
    size_t i;

    for (i = 0; i < 40; i++) {
        x[i] = 15 + (double)((i * 7) % 40);
        y[i] = ((i * 13) % 10) < (x[i] > 35 ? 6 : 3) ? 1 : 0;
    }
    CHECK(logit_fit(&in, &f, &err) == SR_OK);
    for (i = 0; i < 40; i++) {
        double mu = 1 / (1 + exp(-(f.coef[0].beta + f.coef[1].beta * x[i])));
        s0 += y[i] - mu;
        s1 += (y[i] - mu) * x[i];
        i00 += mu * (1 - mu);
        i01 += mu * (1 - mu) * x[i];
        i11 += mu * (1 - mu) * x[i] * x[i];
    }
    CHECK(fabs(s0) < 1e-6 && fabs(s1) < 1e-5);
    CHECK_NEAR(f.coef[1].se, sqrt(i00 / (i00 * i11 - i01 * i01)), 1e-6);
    CHECK(f.iterations > 1 && f.iterations < 20);
    logit_fit_release(&f);
    sr_err_release(&err);
}

static void
test_degenerate(void)
{
    double x1[25], x2[25], y[25];
    struct logit_term terms[2] = { { "x1", x1, NULL, NULL },
                                   { "x2", x2, NULL, NULL } };
    struct logit_input in = { 25, y, 1, terms, NULL, 0.95, false };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };
    size_t i;

    /* complete separation on one numeric predictor */
    for (i = 0; i < 25; i++) {
        x1[i] = (double)i;
        y[i] = i > 12;
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "complete separation by predictor 'x1'") !=
          NULL);
    /* separation only by x1 + x2 together, on a 5x5 grid */
    for (i = 0; i < 25; i++) {
        x1[i] = (double)(i % 5) - 2;
        x2[i] = (double)(i / 5) - 2;
        y[i] = x1[i] + x2[i] > 0.5;
    }
    in.n_terms = 2;
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "separation") != NULL);
    CHECK(strstr(sr_err_msg(&err), "'x1'") != NULL ||
          strstr(sr_err_msg(&err), "'x2'") != NULL);
    /* collinear: x2 = 2 x1 + 1 */
    for (i = 0; i < 25; i++) {
        x1[i] = (double)(i % 7);
        x2[i] = 2 * x1[i] + 1;
        y[i] = (i * 5) % 3 == 0;
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "'x2' is collinear") != NULL);
    /* outcome not 0/1; single-valued outcome; nothing usable */
    in.n_terms = 1;
    y[3] = 2;
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "row 4") != NULL);
    for (i = 0; i < 25; i++) {
        y[i] = 1;
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "always 1") != NULL);
    for (i = 0; i < 25; i++) {
        x1[i] = NAN;
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "no rows") != NULL);
    CHECK(f.coef == NULL && f.n_coef == 0);
    sr_err_release(&err);
}

/* ---- the fit against a plain reference implementation ---- */

static uint64_t lcg_state = 20240601;

/* uniform on [0, 1): a 64-bit LCG (Knuth's MMIX constants), top 53 bits */
static double
unif(void)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) / 9007199254740992.0;
}

#define REF_MAXP 16

/*
 * Reference maximum likelihood by Newton's method written the plain way:
 * x is n x p row-major with every column stored (zeros included), X'WX
 * summed over all entries, solved by GSL's Cholesky, iterated until the
 * deviance stops changing; offset (n values) may be NULL. Writes beta
 * and, if cov is not NULL, the inverse information (p x p); returns the
 * deviance. Independent of logit.c's kernel, blocks and dummy handling.
 */
static double
ref_fit(const double *x, const double *y, const double *w, const double *offset,
        size_t n, size_t p, double *beta, double *cov)
{
    double a[REF_MAXP * REF_MAXP], g[REF_MAXP], dev = 0, old = INFINITY;
    size_t i, r, c;
    int it;

    for (r = 0; r < p; r++) {
        beta[r] = 0;
    }
    for (it = 0; it < 100; it++) {
        gsl_matrix_view av = gsl_matrix_view_array(a, p, p);
        gsl_vector_view gv = gsl_vector_view_array(g, p);
        memset(a, 0, sizeof(a));
        memset(g, 0, sizeof(g));
        dev = 0;
        for (i = 0; i < n; i++) {
            double eta = offset != NULL ? offset[i] : 0, mu;
            for (r = 0; r < p; r++) {
                eta += x[i * p + r] * beta[r];
            }
            mu = 1 / (1 + exp(-eta));
            dev -= 2 * w[i] * (y[i] > 0.5 ? log(mu) : log(1 - mu));
            for (r = 0; r < p; r++) {
                g[r] += w[i] * (y[i] - mu) * x[i * p + r];
                for (c = 0; c < p; c++) {
                    a[r * p + c] +=
                        w[i] * mu * (1 - mu) * x[i * p + r] * x[i * p + c];
                }
            }
        }
        if (fabs(old - dev) < 1e-13 * dev) {
            break;
        }
        old = dev;
        if (gsl_linalg_cholesky_decomp1(&av.matrix) != GSL_SUCCESS ||
            gsl_linalg_cholesky_svx(&av.matrix, &gv.vector) != GSL_SUCCESS) {
            return NAN;
        }
        for (r = 0; r < p; r++) {
            beta[r] += g[r];
        }
    }
    if (cov != NULL) {
        gsl_matrix_view av = gsl_matrix_view_array(a, p, p);
        if (gsl_linalg_cholesky_decomp1(&av.matrix) != GSL_SUCCESS ||
            gsl_linalg_cholesky_invert(&av.matrix) != GSL_SUCCESS) {
            return NAN;
        }
        memcpy(cov, a, p * p * sizeof(*a));
    }
    return dev;
}

/* x without columns [f0, f0 + q): n x (p - q) into xs */
static void
drop_cols(const double *x, size_t n, size_t p, size_t f0, size_t q, double *xs)
{
    size_t r, j, k;

    for (r = 0; r < n; r++) {
        for (j = 0, k = 0; j < p; j++) {
            if (j < f0 || j >= f0 + q) {
                xs[r * (p - q) + k++] = x[r * p + j];
            }
        }
    }
}

/*
 * Random data with numeric and categorical terms interleaved: u (a third
 * of it exact zeros), g (levels p q r, reference q in the middle), v,
 * h (levels a, m, z and a non-ASCII one; default reference "a"), k
 * (0..3), some cells missing, row counts covering every remainder of the
 * 4-row blocks. logit_fit must agree with ref_fit() on the coefficients,
 * SEs, deviance, each term's LR statistic, the profile limits of a
 * numeric and a dummy column (restricted deviance = min + qchisq(.95,
 * 1)), and, weighted, on the coefficients and deviance.
 */
static void
test_against_reference(void)
{
    static const char *const g_lv[3] = { "p", "q", "r" };
    static const char *const h_lv[4] = { "a", "m", "z", "\xc3\xa9t\xc3\xa9" };
    /* design columns: 1, u, g=p, g=r, v, h=m, h=z, h=ete, k */
    enum { P = 9 };
    static const size_t term_first[5] = { 1, 2, 4, 5, 8 };
    static const size_t term_cols[5] = { 1, 2, 1, 3, 1 };
    static const size_t sizes[5] = { 400, 401, 402, 403, 1337 };
    double q = gsl_cdf_chisq_Qinv(0.05, 1);
    size_t si;

    int loop_bad1 = 0;
    for (si = 0; si < 5; si++) {
        size_t n = sizes[si], i, j, t, n_used = 0;
        double *u = calloc(n, sizeof(double)), *v = calloc(n, sizeof(double));
        double *k = calloc(n, sizeof(double)), *y = calloc(n, sizeof(double));
        double *w = calloc(n, sizeof(double));
        const char **gc = calloc(n, sizeof(char *));
        const char **hc = calloc(n, sizeof(char *));
        double *x = calloc(n * P, sizeof(double));
        double *xs = calloc(n * P, sizeof(double));
        double *off = calloc(n, sizeof(double));
        double *yu = calloc(n, sizeof(double)), *wu = calloc(n, sizeof(double));
        double beta[P], bs[P], cov[P * P], dev;
        struct logit_term terms[5] = {
            { "u", NULL, NULL, NULL }, { "g", NULL, NULL, "q" },
            { "v", NULL, NULL, NULL }, { "h", NULL, NULL, NULL },
            { "k", NULL, NULL, NULL },
        };
        struct logit_input in = { n, y, 5, terms, NULL, 0.95, true };
        struct logit_fit f = { 0 };
        struct sr_err err = { 0 };
        struct survey_design d = { n, w, NULL, NULL, NULL, 0 };

        terms[0].num = u;
        terms[1].cat = gc;
        terms[2].num = v;
        terms[3].cat = hc;
        terms[4].num = k;
        for (i = 0; i < n; i++) {
            size_t gl = (size_t)(unif() * 3), hl = (size_t)(unif() * 4);
            double eta;
            u[i] = unif() < 0.33 ? 0 : (unif() + unif() + unif() - 1.5) * 2;
            v[i] = (unif() - 0.5) * 3;
            k[i] = (double)(int)(unif() * 4);
            gc[i] = g_lv[gl];
            hc[i] = h_lv[hl];
            w[i] = 0.5 + unif();
            eta = -0.3 + 0.8 * u[i] +
                  (gl == 0   ? 0.5
                   : gl == 2 ? -0.7
                             : 0) -
                  0.6 * v[i] + 0.3 * (double)hl + 0.2 * k[i];
            y[i] = unif() < 1 / (1 + exp(-eta)) ? 1 : 0;
            if (i % 97 == 5) {
                v[i] = NAN;
            } else if (i % 89 == 7) {
                hc[i] = NULL;
            }
        }
        /* the reference design: its own coding of the same rows */
        for (i = 0; i < n; i++) {
            double *xr = x + n_used * P;
            if (isnan(v[i]) || hc[i] == NULL) {
                continue;
            }
            xr[0] = 1;
            xr[1] = u[i];
            xr[2] = strcmp(gc[i], "p") == 0;
            xr[3] = strcmp(gc[i], "r") == 0;
            xr[4] = v[i];
            xr[5] = strcmp(hc[i], "m") == 0;
            xr[6] = strcmp(hc[i], "z") == 0;
            xr[7] = strcmp(hc[i], h_lv[3]) == 0;
            xr[8] = k[i];
            yu[n_used] = y[i];
            wu[n_used++] = 1;
        }
        dev = ref_fit(x, yu, wu, NULL, n_used, P, beta, cov);
        TALLY(loop_bad1, logit_fit(&in, &f, &err) == SR_OK);
        TALLY(loop_bad1, f.n_coef == P);
        if (f.n_coef == P) {
            TALLY(loop_bad1, f.n_used == n_used && f.n_dropped == n - n_used);
            TALLY(loop_bad1, strcmp(f.coef[3].name, "g=r") == 0);
            TALLY(loop_bad1,
                  strcmp(f.coef[7].name, "h=\xc3\xa9t\xc3\xa9") == 0);
            TALLY_NEAR(loop_bad1, f.deviance, dev, 1e-11);
            for (j = 0; j < P; j++) {
                TALLY_NEAR(loop_bad1, f.coef[j].beta, beta[j], 1e-8);
                /* the SE is at the last-but-one iterate (as glm) */
                TALLY_NEAR(loop_bad1, f.coef[j].se, sqrt(cov[j * P + j]), 1e-6);
            }
            /* LR statistic of each term: the reference without it */
            for (t = 0; t < 5; t++) {
                size_t qt = term_cols[t];
                double ds;
                drop_cols(x, n_used, P, term_first[t], qt, xs);
                ds = ref_fit(xs, yu, wu, NULL, n_used, P - qt, bs, NULL);
                TALLY(loop_bad1, f.test[t].df == (double)qt);
                TALLY_NEAR(loop_bad1, f.test[t].stat, ds - dev, 1e-7);
            }
            /* profile limits of u (column 1) and h=z (column 6) */
            for (j = 1; j < P; j += 5) {
                double lim[2] = { log(f.coef[j].pl_lo), log(f.coef[j].pl_hi) };
                size_t b, r;
                TALLY(loop_bad1,
                      lim[0] < f.coef[j].beta && f.coef[j].beta < lim[1]);
                drop_cols(x, n_used, P, j, 1, xs);
                for (b = 0; b < 2; b++) {
                    for (r = 0; r < n_used; r++) {
                        off[r] = lim[b] * x[r * P + j];
                    }
                    TALLY_NEAR(
                        loop_bad1,
                        ref_fit(xs, yu, wu, off, n_used, P - 1, bs, NULL) - dev,
                        q, 1e-6);
                }
            }
        } else {
            fprintf(stderr, "%s\n", sr_err_msg(&err));
        }
        logit_fit_release(&f);

        /* weighted: the reference's weighted likelihood */
        for (i = 0, j = 0; i < n; i++) {
            if (!isnan(v[i]) && hc[i] != NULL) {
                wu[j++] = w[i];
            }
        }
        dev = ref_fit(x, yu, wu, NULL, n_used, P, beta, NULL);
        in.design = &d;
        in.want_profile = false;
        TALLY(loop_bad1, logit_fit(&in, &f, &err) == SR_OK);
        TALLY(loop_bad1, f.is_design && f.n_coef == P);
        if (f.n_coef == P) {
            TALLY_NEAR(loop_bad1, f.deviance, dev, 1e-11);
            for (j = 0; j < P; j++) {
                TALLY_NEAR(loop_bad1, f.coef[j].beta, beta[j], 1e-8);
            }
        }
        logit_fit_release(&f);
        sr_err_release(&err);
        free(u);
        free(v);
        free(k);
        free(y);
        free(w);
        free(gc);
        free(hc);
        free(x);
        free(xs);
        free(off);
        free(yu);
        free(wu);
    }
    CHECK(loop_bad1 == 0);
}

/*
 * Level counting past the 1000-level limit (the sorted-table path gives
 * way to a full sort): 1500 distinct levels, each twice, must be
 * reported as 1500.
 */
static void
test_many_levels(void)
{
    enum { NL = 1500, NR = 2 * NL };
    static char names[NL][8];
    static const char *cat[NR];
    static double y[NR];
    struct logit_term term = { "id", NULL, cat, NULL };
    struct logit_input in = { NR, y, 1, &term, NULL, 0.95, false };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };
    size_t i;

    for (i = 0; i < NL; i++) {
        snprintf(names[i], sizeof(names[i]), "L%zu", (i * 7919) % NL);
    }
    for (i = 0; i < NR; i++) {
        cat[i] = names[i % NL];
        y[i] = (double)(i / NL);
    }
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "'id' has 1500 levels (limit 1000)") !=
          NULL);
    sr_err_release(&err);
}

/*
 * Collinearity involving dummies: a numeric copy of one dummy, and a
 * second categorical predictor equal to the first; the message names the
 * first column that adds nothing.
 */
static void
test_collinear_dummies(void)
{
    enum { N = 90 };
    static const char *const lv[3] = { "p", "q", "r" };
    const char *g[N];
    double y[N], x[N], z[N];
    struct logit_term terms[3] = {
        { "g", NULL, NULL, NULL },
        { "z", NULL, NULL, NULL },
        { "x", NULL, NULL, NULL },
    };
    struct logit_input in = { N, y, 3, terms, NULL, 0.95, false };
    struct logit_fit f = { 0 };
    struct sr_err err = { 0 };
    size_t i;

    for (i = 0; i < N; i++) {
        g[i] = lv[i % 3];
        y[i] = (double)((i / 3) % 2);
        x[i] = strcmp(g[i], "r") == 0 ? 1 : 0;
        z[i] = (double)(i % 7);
    }
    terms[0].cat = g;
    terms[1].num = z;
    terms[2].num = x;
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "predictor 'x' is collinear") != NULL);
    sr_err_release(&err);
    terms[2].num = NULL;
    terms[2].cat = g;
    terms[2].name = "g2";
    CHECK(logit_fit(&in, &f, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "predictor 'g2=q' is collinear") != NULL);
    sr_err_release(&err);
    terms[2].cat = NULL;
    terms[2].num = z;
    in.n_terms = 2;
    CHECK(logit_fit(&in, &f, &err) == SR_OK);
    logit_fit_release(&f);
}

int
main(void)
{
    gsl_set_error_handler_off();
    test_2x2();
    test_categorical();
    test_numeric_score();
    test_degenerate();
    test_against_reference();
    test_many_levels();
    test_collinear_dummies();
    return TEST_DONE("test_stats_logit");
}
