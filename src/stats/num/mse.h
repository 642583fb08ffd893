/*
 * mse.h - multiple systems estimation (capture-recapture over k lists).
 *
 * Estimates the size N of a population seen on several lists from the
 * counts of each capture history: Poisson log-linear models (loglin.h)
 * selected by exhaustive search over hierarchical models ranked by AIC or
 * BIC (as Rcapture's closedpMS.t), or by the stepwise method of Chan,
 * Silverman and Vincent (as SparseMSE's estimatepopulation), with
 * profile-likelihood, log-normal and BCa bootstrap intervals. See
 * docs/stats-mse.md for every definition. Pure numerics; no I/O.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_MSE_H
#define SR_MSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "stats/num/loglin.h"

#define MSE_MAX_LISTS  15
#define MSE_NAME_MAX   64      /* bytes of a list name, NUL included */
#define MSE_MAX_GEN    64      /* generating classes of a model */
#define MSE_MAX_PAIRS  105     /* pairs of 15 lists */
#define MSE_MAX_MODELS 4194304 /* exhaustive search cap (2^22) */

/* A capture-history table. count[h] is the number of people with history
 * h (bit i = on list i); count[0], the dark figure, is always 0. */
struct mse_table {
    int n_lists;                             /* k, 1..MSE_MAX_LISTS */
    size_t n_cells;                          /* 2^k */
    char names[MSE_MAX_LISTS][MSE_NAME_MAX]; /* list names (column heads) */
    double *count;                           /* [n_cells], owned */
    double n_obs;                            /* sum of count: observed n */
};

/* Make t an empty table over n_lists lists named names[0..n_lists-1]
 * (NULL: A, B, C...). Returns SR_OK or SR_EINVAL (n_lists out of 1..15,
 * name too long); release with mse_table_release(). */
int mse_table_init(struct mse_table *t, int n_lists, const char *const *names,
                   struct sr_err *err);

/* Free t's storage and zero *t; safe twice. */
void mse_table_release(struct mse_table *t);

/* Add count people with history hist. SR_EINVAL for hist 0 or out of
 * range, a negative or non-finite count. */
int mse_table_add(struct mse_table *t, uint32_t hist, double count,
                  struct sr_err *err);

/* The marginal table over the lists in lists_mask (in column order) into
 * *out (initialised here; release it). Histories that fall to 0 drop out.
 * SR_EINVAL for an empty mask or lists beyond the table. */
int mse_table_select(const struct mse_table *t, uint32_t lists_mask,
                     struct mse_table *out, struct sr_err *err);

/* Refuse data that cannot support any estimate: fewer than two lists,
 * nobody observed, or no person on two lists at once (no overlap at all).
 * Returns SR_OK or SR_EINVAL with the reason in err. */
int mse_check_data(const struct mse_table *t, struct sr_err *err);

/* Lincoln-Petersen n1 n2 / m and Chapman (n1+1)(n2+1)/(m+1) - 1 for a
 * two-list table. SR_EINVAL if t has not exactly two lists or (for
 * Lincoln-Petersen only, *lp = NAN) m = 0. */
int mse_two_list(const struct mse_table *t, double *lp, double *chapman,
                 struct sr_err *err);

/* A hierarchical model by its generating classes (bitmasks of lists, each
 * with at least one bit); every main effect is implied. */
struct mse_model {
    int n_gen;
    uint32_t gen[MSE_MAX_GEN];
};

/* Parse Rcapture's notation "[123,14,34]" (list numbers from 1 in column
 * order; with more than 9 lists numbers are separated by '.', "[1.10,2]").
 * "[]" is main effects only. SR_EINVAL names the offending character. */
int mse_model_parse(const char *s, int n_lists, struct mse_model *m,
                    struct sr_err *err);

/* Write m's name into buf (size len): the maximal terms, largest first,
 * then by list numbers, as Rcapture names models ("[123,14,34]",
 * "[1,2,3,4]" for main effects only). Returns the length needed. */
size_t mse_model_format(const struct mse_model *m, int n_lists, char *buf,
                        size_t len);

/* Every term of m's hierarchy: 0 (intercept), then the main effects and
 * the interactions ordered by size then mask. Writes at most cap terms
 * into terms and returns the count, or -1 if more than cap. */
int mse_model_terms(const struct mse_model *m, int n_lists, uint32_t *terms,
                    int cap);

/* Outcome of one model. */
struct mse_result {
    uint64_t mask; /* search: bit j = candidate interaction j */
    enum loglin_status status;
    int df;      /* cells - parameters */
    double N;    /* n + exp(intercept); NAN unless status OK */
    double se_N; /* delta-method standard error (Rcapture) */
    double deviance, aic, bic;
};

/* Fit m to all 2^k - 1 observed cells (zeros included) as Rcapture's
 * closedpCI.t does. *fit gets the full loglin fit. SR_OK, or SR_EINVAL
 * (bad data, too many parameters). A boundary or singular fit is not an
 * error here: look at fit->status. */
int mse_fit_model(const struct mse_table *t, const struct mse_model *m,
                  struct loglin_fit *fit, struct sr_err *err);

/* All hierarchical models with every main effect and interactions of
 * order 2..max_order (max_order <= k - 1), as closedpMS.t enumerates them. */
struct mse_models {
    int n_lists;
    int max_order;
    int n_cand;        /* candidate interaction terms */
    uint32_t cand[64]; /* their list masks, by size then mask */
    size_t n_models;
    struct mse_result *res; /* [n_models], in enumeration order */
    size_t n_ranked;        /* models with status OK */
    size_t *by_aic;         /* [n_ranked] indexes, best first */
    size_t *by_bic;         /* [n_ranked] indexes, best first */
};

/* Fit every model on n_threads threads (0 = all cores), warm-starting
 * each from the model with one term fewer. Results do not depend on the
 * thread count. SR_EINVAL (bad max_order, data refused), SR_ETOOBIG (more
 * than 64 candidate terms or MSE_MAX_MODELS models). Release with
 * mse_models_release(). */
int mse_models_run(const struct mse_table *t, int max_order, int n_threads,
                   struct mse_models *out, struct sr_err *err);

/* Free m's storage and zero it; safe twice. */
void mse_models_release(struct mse_models *m);

/* The model of search result i as generating classes. */
void mse_models_get(const struct mse_models *m, size_t i,
                    struct mse_model *out);

/* Multinomial profile-likelihood interval for N under m, with Cormack's
 * correction, as Rcapture's closedpCI.t: maximum over (n, 3 N_poisson),
 * bounds where the profile falls by qchisq(1 - alpha, 1) / 2. */
struct mse_profile {
    double n_max; /* N maximising the profile likelihood */
    double lower; /* n when the profile stays above the cut-off */
    double upper; /* NAN when not reached below 3 N_poisson */
};

/* SR_OK, or SR_EINVAL (m's MLE does not exist or is not identifiable,
 * alpha outside (0, 1)). */
int mse_profile_ci(const struct mse_table *t, const struct mse_model *m,
                   double alpha, struct mse_profile *out, struct sr_err *err);

/* Existence and identifiability of the model with main effects and the
 * given pairs, as SparseMSE's checkident: pairs whose lists share nobody
 * are dropped from the design and the cells holding both are removed. */
struct mse_check {
    int exists;       /* the Fienberg-Rinaldo LP has a positive optimum */
    int identifiable; /* design of full column rank */
};

/* Fill *out for main effects plus the n_pairs pairs (two-bit masks).
 * SR_OK, or SR_EINVAL for a term that is not a pair of lists. */
int mse_check_pairs(const struct mse_table *t, const uint32_t *pairs,
                    int n_pairs, struct mse_check *out, struct sr_err *err);

/* A SparseMSE-style fit: the model, its estimate and log-normal interval
 * n + exp(b0 +- z sd(b0)). */
struct mse_sparse {
    int n_pairs;                   /* pairs in the model */
    uint32_t pair[MSE_MAX_PAIRS];  /* in order of addition */
    double p_value[MSE_MAX_PAIRS]; /* stepwise p-value when added */
    int n_empty;                   /* of those, pairs with no overlap */
    struct loglin_fit fit;         /* the final fit */
    double N;                      /* n + exp(b0) */
    double lower, upper;           /* log-normal interval */
};

/* Fit main effects plus the given pairs (SparseMSE modelfit, checked).
 * SR_EINVAL when the data are refused, the MLE does not exist or the
 * model is not identifiable (the reason in err). */
int mse_sparse_fit(const struct mse_table *t, const uint32_t *pairs,
                   int n_pairs, double alpha, struct loglin_work *w,
                   struct mse_sparse *out, struct sr_err *err);

/* The stepwise method of Chan, Silverman and Vincent with p-value
 * threshold (0.02 in SparseMSE): from main effects, add the pair with the
 * smallest two-sided Poisson p-value of its overlap count among those
 * whose model passes mse_check_pairs(), while it is below threshold.
 * w must be sized for t (k lists, 1 + k + k(k-1)/2 parameters); NULL
 * makes a temporary one. SR_EINVAL when the data are refused. */
int mse_stepwise(const struct mse_table *t, double threshold, double alpha,
                 struct loglin_work *w, struct mse_sparse *out,
                 struct sr_err *err);

/* BCa bootstrap of the stepwise estimate (SparseMSE estimatepopulation):
 * nonparametric multinomial resampling of the n observed people over
 * their histories, the whole stepwise selection repeated per replicate,
 * the acceleration from the delete-one-person jackknife. */
struct mse_boot {
    size_t n_boot;       /* replicates asked for */
    size_t n_failed;     /* replicates refused (left out of the interval) */
    double *reps;        /* [n_boot] estimates, NAN when refused; owned */
    double estimate;     /* stepwise estimate on the data */
    double z0;           /* bias correction */
    double a_hat;        /* acceleration */
    double lower, upper; /* BCa limits at alpha/2 and 1 - alpha/2 */
};

/* Run n_boot replicates on n_threads threads (0 = all cores); replicate r
 * draws from its own gsl_rng (MT19937) seeded from (seed, r), so results
 * depend on the seed only, never on the thread count. SR_EINVAL (data
 * refused, n_boot < 2 or > 1e6, bad alpha). Release with
 * mse_boot_release(). */
int mse_bootstrap(const struct mse_table *t, double threshold, size_t n_boot,
                  unsigned long seed, int n_threads, double alpha,
                  struct mse_boot *out, struct sr_err *err);

/* Free out's storage and zero *out; safe twice. */
void mse_boot_release(struct mse_boot *out);

/* Number of online cores (at least 1). */
int mse_cores(void);

#endif
