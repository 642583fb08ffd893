/*
 * loglin.h - Poisson log-linear models for capture-history tables.
 *
 * A table over k lists has 2^k cells; cell c (0 <= c < 2^k) is the history
 * whose bit i is set when the person is on list i. Cell 0 is the dark
 * figure. A model is a list of terms, each a bitmask of lists: term 0 is
 * the intercept (mask 0), a one-bit mask is a main effect, a mask with
 * several bits an interaction of that order. The design matrix is implicit:
 * X[c][j] = 1 when cell c contains every list of term j (c & t == t), so
 * X'WX and X'r are read off superset sums over the subset lattice; one
 * fixed lattice serves every model (no per-model matrix is built).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_LOGLIN_H
#define SR_LOGLIN_H

#include <stddef.h>
#include <stdint.h>

#define LOGLIN_MAX_LISTS  15
#define LOGLIN_MAX_PARAMS 128

enum loglin_status {
    LOGLIN_OK = 0,            /* converged to a finite maximum */
    LOGLIN_NOT_CONVERGED = 1, /* iteration limit reached */
    LOGLIN_BOUNDARY = 2,      /* the MLE does not exist (estimate infinite) */
    LOGLIN_SINGULAR = 3       /* design not of full rank: not identifiable */
};

/* The data one fit sees. All pointers are borrowed. */
struct loglin_data {
    int n_lists;                 /* k, 1..LOGLIN_MAX_LISTS */
    size_t n_cells;              /* 2^k */
    const double *y;             /* [n_cells] counts, >= 0 */
    const unsigned char *active; /* [n_cells] 1 = cell enters the fit */
    double n_obs;                /* observed units n (BIC, N = n + dark) */
};

/* Per-thread scratch space; reuse it across fits for speed. */
struct loglin_work {
    int n_lists;    /* lists the buffers are sized for */
    size_t n_cells; /* 2^n_lists */
    int max_params; /* capacity of the parameter buffers */
    double *lat;    /* [n_cells] lattice transform buffer */
    double *mu;     /* [n_cells] fitted values of the last fit (0 off) */
    double *res;    /* [n_cells] residual lattice buffer */
    double *info;   /* [max_params^2] Fisher information / Cholesky */
    double *grad;   /* [max_params] score */
    double *beta;   /* [max_params] current coefficients */
    double *trial;  /* [max_params] trial coefficients */
    int skip_lp;    /* 1: never run the existence LP (caller knows the
                     * answer); a suspect fit is then reported as OK or
                     * NOT_CONVERGED */
};

/* Result of one fit. */
struct loglin_fit {
    enum loglin_status status;
    int n_params;                   /* columns of the design */
    int n_iter;                     /* Newton iterations used */
    int df;                         /* active cells - n_params */
    double coef[LOGLIN_MAX_PARAMS]; /* estimates, in term order */
    double deviance;                /* 2 sum y log(y/mu) - (y - mu) */
    double loglik;                  /* sum y log mu - mu - lgamma(y+1) */
    double aic;                     /* -2 loglik + 2 p (R's glm) */
    double bic;                     /* aic + (log n - 2) p (Rcapture) */
    double var_b0;                  /* inverse Fisher information [0][0] */
    double dark;                    /* exp(intercept) */
    double N;                       /* n_obs + dark */
    double se_N;                    /* sqrt(dark + dark^2 var_b0) */
};

/* Size w for tables of n_lists lists and models of up to max_params
 * parameters. Returns SR_OK or SR_EINVAL (out of range); w is untouched
 * on failure. Release with loglin_work_release(). */
int loglin_work_init(struct loglin_work *w, int n_lists, int max_params);

/* Free w's buffers; safe twice. */
void loglin_work_release(struct loglin_work *w);

/* The words for status s, as stored analyses record them: "ok", "not
 * converged", "boundary (no MLE)", "not identifiable"; "unknown" for a
 * value out of the enum. Static storage; thread-safe. */
const char *loglin_status_name(enum loglin_status s);

/* Fit the Poisson log-linear model with the n_terms terms (terms[0] must
 * be 0, the intercept; no duplicates) to the active cells of d by
 * Newton-Raphson (IRLS) with step halving. start, when not NULL, holds
 * n_terms warm-start coefficients (for instance a neighbouring model's
 * fit with 0 for new terms); NULL starts from mu = y + 0.1 as R's glm.
 * Converged when the relative change in deviance falls below 1e-12.
 * A fit that looks divergent (more than 12 iterations, no convergence,
 * a coefficient beyond +-30 or a singular information matrix: Newton
 * steps shrink vanishing fitted values only by a factor e each, so a
 * fit running to the boundary needs ~25 iterations while a finite MLE
 * converges quadratically) is checked with loglin_mle_exists() and
 * marked LOGLIN_BOUNDARY when the MLE does not exist; a singular
 * information matrix at an existing MLE gives LOGLIN_SINGULAR.
 * Returns SR_OK with *out filled (see out->status) and w->mu holding the
 * fitted values, or SR_EINVAL for bad arguments (out untouched).
 * Thread-safe with a separate w per thread. */
int loglin_fit(const struct loglin_data *d, const uint32_t *terms, int n_terms,
               const double *start, struct loglin_work *w,
               struct loglin_fit *out);

/* The Fienberg-Rinaldo linear program (GLPK): with A the design over the
 * active cells and t = A'y, maximise s subject to A'x = t, x >= s, s >= 0.
 * The MLE exists iff the optimum is positive. Returns 1 (exists), 0 (does
 * not) or -1 (the LP failed). Thread-safe: GLPK keeps its state per
 * thread. */
int loglin_mle_exists(const struct loglin_data *d, const uint32_t *terms,
                      int n_terms);

/* Column rank of the design (active cells x terms): by SVD of X up to
 * 4096 active cells, beyond that from the eigenvalues of X'X. Returns
 * the rank, or -1 if the decomposition fails. */
int loglin_design_rank(const struct loglin_data *d, const uint32_t *terms,
                       int n_terms);

/* Release GLPK's per-thread environment; call at the end of every thread
 * that ran loglin_mle_exists() (LeakSanitizer otherwise reports it). */
void loglin_thread_done(void);

#endif
