/*
 * logit.h - logistic regression for a binary outcome: IRLS fit, odds
 * ratios with Wald and profile-likelihood intervals, likelihood-ratio
 * tests per term, and design-based (linearisation) standard errors for
 * weighted, stratified, clustered samples.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_LOGIT_H
#define SR_STATS_LOGIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "stats/num/survey.h"

/* One predictor: exactly one of num and cat is non-NULL. */
struct logit_term {
    const char *name;       /* shown in output and errors; borrowed */
    const double *num;      /* numeric values, NaN = missing */
    const char *const *cat; /* categorical values, NULL = missing */
    const char *ref;        /* reference level of cat; NULL = the first
                               level in byte order */
};

struct logit_input {
    size_t n;        /* rows */
    const double *y; /* 0/1 outcome, NaN = missing */
    size_t n_terms;  /* predictors (0 = intercept only) */
    const struct logit_term *terms;
    const struct survey_design *design; /* NULL = independent rows,
                                           maximum likelihood; else its n
                                           must equal n */
    double level;                       /* interval level, 0 < level < 1 */
    bool want_profile;                  /* compute profile-likelihood intervals
                                      (not for design-based fits) */
};

struct logit_coef {
    char *name;          /* "(Intercept)", "age", "sex=male"; owned */
    size_t term;         /* index into terms; SIZE_MAX for the intercept */
    double beta;         /* log odds ratio */
    double se;           /* model-based, or design-based if a design */
    double z;            /* beta / se */
    double p;            /* two-sided normal p-value */
    double odds_ratio;   /* exp(beta) */
    double or_lo, or_hi; /* Wald interval, exp(beta -+ z se) */
    double pl_lo, pl_hi; /* profile-likelihood interval for the odds
                               ratio; NaN if not computed or unbounded */
};

/* Test that all of a term's coefficients are zero. */
struct logit_test {
    double stat; /* LR chi-square (deviance difference), or the Wald
                      chi-square with the design-based covariance */
    double df;   /* number of coefficients of the term */
    double p;    /* upper chi-square tail */
};

struct logit_fit {
    size_t n_used;    /* rows in the fit */
    size_t n_dropped; /* rows dropped for a missing value */
    size_t n_coef;    /* coefficients, intercept first */
    struct logit_coef *coef;
    size_t n_terms;          /* = input n_terms */
    struct logit_test *test; /* one per term, in input order */
    double deviance;         /* -2 log-likelihood (weighted if a design) */
    double null_deviance;    /* of the intercept-only model */
    double aic;              /* deviance + 2 n_coef; NaN for a design */
    int iterations;          /* IRLS iterations of the full model */
    bool is_design;          /* SEs and tests are design-based */
    bool is_wald_test;       /* tests are Wald (design) rather than LR */
    double design_df;        /* PSUs - strata, or NaN without a design */
};

/*
 * Fit the model logit P(y = 1) = b0 + terms by iteratively reweighted
 * least squares with step halving (converged when the relative change in
 * deviance is below 1e-10; at most 100 iterations). Categorical terms are
 * dummy-coded against their reference level. Rows with a missing outcome,
 * predictor or weight are dropped and counted. With a design the fit is
 * weighted (pseudo-likelihood, quasi-binomial) and the covariance is the
 * sandwich A^-1 B A^-1, B from survey_total_vcov() of the score
 * contributions. Errors (SR_EINVAL, message naming the predictor): y not
 * 0/1, no usable rows, a categorical term with one level or an unknown
 * reference, more than 1000 levels, collinear predictors, complete or
 * quasi-complete separation, no convergence. Caller frees out with
 * logit_fit_release(); out written only on success. Thread-safe.
 */
int logit_fit(const struct logit_input *in, struct logit_fit *out,
              struct sr_err *err);

/* Free f's contents and zero it; safe twice. */
void logit_fit_release(struct logit_fit *f);

#endif
