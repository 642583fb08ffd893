/*
 * rds.h - respondent-driven sampling estimators of a binary trait's
 * population proportion: RDS-I (Salganik-Heckathorn) and RDS-II
 * (Volz-Heckathorn), with tree-bootstrap standard errors.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_RDS_H
#define SR_STATS_RDS_H

#include <stddef.h>

#include "core/err.h"

struct rds_input {
    size_t n;              /* respondents (rows) */
    const long *recruiter; /* row index of each one's recruiter, -1 = seed */
    const double *degree;  /* reported network size; NaN = missing */
    const double *trait;   /* 0 or 1; NaN = missing */
};

/* What to do with a missing (NaN) network size. Zero is always set to 1. */
enum rds_missing_degree {
    RDS_DEGREE_DROP = 0, /* default, as RDS 0.9-10's vh.weights: weight 0 */
    RDS_DEGREE_MEDIAN,   /* impute the median of the observed degrees */
    RDS_DEGREE_MEAN      /* impute the mean of the observed degrees */
};

struct rds_options {
    size_t n_boot;      /* bootstrap replicates; 0 = no standard errors */
    unsigned long seed; /* gsl_rng (mt19937) seed for the bootstrap */
    double level;       /* interval level, 0 < level < 1 */
    enum rds_missing_degree missing_degree;
};

struct rds_result {
    double rds1;             /* RDS-I estimate of P(trait = 1) */
    double rds2;             /* RDS-II estimate of P(trait = 1) */
    double s01, s10;         /* recruitment transition proportions 0->1, 1->0 */
    double h0, h1;           /* harmonic-mean network sizes, trait 0 and 1 */
    double naive;            /* unweighted sample proportion */
    size_t n;                /* respondents with a trait and a usable degree */
    size_t n_seeds;          /* rows with recruiter -1 */
    size_t n_degree_missing; /* degrees that were NaN */
    size_t n_degree_zero;    /* degrees that were 0 (set to 1) */
    size_t n_trans[2][2];    /* recruiter trait x recruit trait counts */
    size_t n_boot_used;      /* bootstrap replicates with both estimates */
    double se1, se2;         /* bootstrap standard errors (NaN if none) */
    double deff1, deff2;     /* se^2 / (p (1 - p) / n) */
    double lo1, hi1;         /* percentile interval for RDS-I */
    double lo2, hi2;         /* percentile interval for RDS-II */
};

/* Defaults: 1000 replicates, seed 1, level 0.95, RDS_DEGREE_DROP. */
void rds_options_default(struct rds_options *opt);

/*
 * Estimate the proportion with trait 1. Recruiters must point to rows in
 * [0, n), not to themselves, and every chain must end at a seed (no
 * cycles). Traits other than 0/1/NaN and negative degrees are errors.
 * RDS-I needs at least one recruitment from each trait group and both
 * trait values present. The bootstrap resamples recruitment trees (seeds
 * with replacement, then each sampled node's recruits with replacement),
 * deterministic for a given seed. Writes *out only on success; returns
 * SR_OK or SR_EINVAL (err names the row or the problem). Thread-safe.
 */
int rds_estimate(const struct rds_input *in, const struct rds_options *opt,
                 struct rds_result *out, struct sr_err *err);

#endif
