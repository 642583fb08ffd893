/*
 * survey.h - design-based estimation of means and proportions from
 * complex survey samples (weights, strata, clusters, finite population
 * correction), with Taylor-linearised standard errors, design effects,
 * and domain (subgroup) estimates computed over the full design.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_SURVEY_H
#define SR_STATS_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Variance contribution of a stratum that has a single PSU. */
enum survey_lonely {
    SURVEY_LONELY_ADJUST = 0, /* default: centre it at the grand mean of
                                 all PSU totals (R survey's "adjust") */
    SURVEY_LONELY_CERTAINTY,  /* contributes nothing ("certainty") */
    SURVEY_LONELY_FAIL        /* SR_EINVAL naming the stratum */
};

/*
 * A sample design over n rows; all arrays are borrowed and have n
 * entries. Clusters are PSUs nested in strata: the pair (stratum,
 * cluster) names a PSU, so cluster ids may repeat across strata. PSUs are
 * taken as sampled with replacement within strata unless fpc is given.
 */
struct survey_design {
    size_t n;             /* rows */
    const double *weight; /* sampling weights >= 0, finite; NULL = all 1 */
    const long *stratum;  /* stratum ids; NULL = one stratum */
    const long *cluster;  /* PSU ids; NULL = each row is its own PSU */
    const double *fpc;    /* per row, constant within a stratum: a value
                              <= 1 is the PSU sampling fraction, > 1 the
                              number of PSUs in the stratum's population;
                              NULL = no correction */
    enum survey_lonely lonely;
};

struct survey_est {
    double est;    /* weighted mean (proportion) */
    double se;     /* linearised standard error */
    double deff;   /* se^2 / (s^2 / n), s^2 the weighted variance
                         with n / (n - 1); NaN when s^2 = 0 */
    double n_eff;  /* est (1 - est) / se^2 (proportions), else n / deff */
    double df;     /* design degrees of freedom: PSUs - strata */
    size_t n;      /* rows in the domain with a non-missing y */
    double sum_w;  /* sum of their weights (estimated domain size) */
    double lo, hi; /* est +- t(df) se (clipped to [0,1] for proportions) */
    double logit_lo, logit_hi; /* logit-transformed interval (proportions) */
    double kg_lo, kg_hi;       /* Korn-Graubard beta interval (proportions) */
};

/*
 * Estimate the weighted mean of y (NaN = missing, left out of the domain)
 * over the rows with in_domain[i] true (in_domain NULL = all rows), at
 * interval level (0, 1). The variance is that of the ratio estimator
 * sum(w y) / sum(w) over the domain, linearised, with PSU totals of the
 * scores taken over the whole design (rows outside the domain score 0),
 * so domains are never subset. If is_proportion, y must be 0/1 and the
 * logit and Korn-Graubard intervals are filled (else they are NaN).
 * Writes *out only on success. SR_EINVAL: bad weight/fpc (naming the
 * row), a lonely PSU under SURVEY_LONELY_FAIL, an empty domain or one of
 * zero total weight, y not 0/1 for a proportion. Thread-safe.
 */
int survey_mean(const struct survey_design *d, const double *y,
                const bool *in_domain, double level, bool is_proportion,
                struct survey_est *out, struct sr_err *err);

/*
 * The design-based covariance of the estimated totals of k score
 * variables: u is n x k, row-major (row i = row i of the design). Uses
 * sum over strata of (1 - f_h) n_h / (n_h - 1) sum_j (t_hj - mean_h)
 * (t_hj - mean_h)^T over the PSU totals t_hj, with lonely PSUs handled
 * by d->lonely. Writes the k x k matrix to out_v (row-major) and the
 * design degrees of freedom to *out_df (may be NULL). Errors as for
 * survey_mean. Thread-safe.
 */
int survey_total_vcov(const struct survey_design *d, const double *u, size_t k,
                      double *out_v, double *out_df, struct sr_err *err);

#endif
