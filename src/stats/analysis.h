/*
 * analysis.h - analyses of stored survey data sets: prevalence, risk
 * factors (logistic regression), multiple systems estimation and
 * respondent-driven sampling, run through src/stats on the data set's
 * canonical CSV and recorded with their inputs so they can be rerun to
 * the same numbers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ANALYSIS_H
#define SR_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "stats/num/mse.h"
#include "base/store.h"

struct principal;

struct frame;
struct vault;

/*
 * The shape of a report. Both are {KEY: method, "info": {...}, "tables":
 * {name: [rows]}} with the same numbers; they differ only in keys.
 */
enum analysis_form {
    /*
     * KEY "method"; what records store. Frozen: a rerun compares its
     * result with the recorded JSON. prevalence: info has x and n, and
     * tables "intervals" (binomial, when no design); risk: every row has
     * profile_lower/upper (null unless profile); rds: info always has
     * trait_value (null unless value).
     */
    ANALYSIS_FORM_STORED = 0,
    /*
     * KEY "command"; `siren stats`'s report. prevalence: no x, n or
     * intervals; risk: info has design_df for a design fit, profile
     * columns only with profile; rds: trait_value only with value, and
     * info has missing_degree (dropped|median|mean).
     */
    ANALYSIS_FORM_CLI,
};

/*
 * The option names each method takes (as `siren stats`, without "--"):
 *   prevalence: outcome (required), weight, strata, cluster, fpc, by,
 *               lonely, level
 *   risk:       outcome, predictors (required, comma list), ref
 *               (COL=LEVEL,...), categorical, weight, strata, cluster,
 *               fpc, lonely, profile (0/1), level
 *   rds:        trait (required), value, id, recruiter, degree, boot,
 *               missing-degree, level
 *   mse:        model (models|stepwise, default models), max-order, rank
 *               (aic|bic), top, threshold, boot, level
 * Returns the NULL-terminated list for method, or NULL for an unknown
 * method.
 */
const char *const *analysis_option_names(const char *method);

/* Whether method is one of prevalence, risk, mse, rds. */
bool analysis_method_valid(const char *method);

/*
 * Run method on len bytes of canonical CSV with options (a JSON object
 * whose values are all strings; borrowed) and seed (used by the RDS and
 * MSE bootstraps only). On success *out is a new JSON object
 * {"method", "info": {...}, "tables": {name: [rows]}} (caller decrefs),
 * every table's rows sharing keys. Errors, out untouched: SR_EINVAL with
 * the message naming the option, column or line (never a cell's text):
 * unknown option, missing required option, bad value, data the method
 * refuses. Thread-safe.
 */
int analysis_compute(const char *method, const char *csv, size_t len,
                     const json_t *options, unsigned long seed, json_t **out,
                     struct sr_err *err);

/*
 * Check options for method before any data is read: the names (as
 * analysis_compute(), without its 1000-byte cap on values), then every
 * value that does not depend on the data: level, required options, whole
 * numbers in range, keywords (lonely, missing-degree), risk's lists (1 to
 * 200 predictors, ref as COL=LEVEL naming a predictor) and profile with a
 * design. MSE's values are checked when it runs (they depend on the
 * lists). Returns SR_OK or SR_EINVAL with a message that starts with the
 * option's name and a colon ("lonely: ..."). Thread-safe.
 */
int analysis_check_options(const char *method, const json_t *options,
                           struct sr_err *err);

/*
 * Run prevalence, risk or rds on frame f (borrowed) with options (checked
 * by analysis_check_options() first: option errors come before data
 * errors) and seed (RDS bootstrap), making a report of the given form
 * (see enum analysis_form). This is the one computation of these methods:
 * analysis_compute() and `siren stats` both call it. On success *out is
 * a new JSON object (caller decrefs). Errors, out untouched: SR_EINVAL
 * naming the option, column or line (never a cell's text); mse is
 * SR_EINVAL (it reads a table of lists: analysis_compute()). Thread-safe.
 */
int analysis_compute_frame(const char *method, const struct frame *f,
                           const json_t *options, unsigned long seed,
                           enum analysis_form form, json_t **out,
                           struct sr_err *err);

/*
 * Binomial intervals for x of n (0 <= x <= n, n >= 1) at level (0 < level
 * < 1) by every method of stats/binom.h: a new report (caller decrefs) in
 * the CLI form, {"command": "prevalence", "info": {x, n, estimate,
 * level}, "tables": {"intervals": [{method, estimate, lower, upper}]}},
 * the same rows as a stored prevalence without a design. Errors from
 * binom_ci() (SR_EINVAL), out untouched. Thread-safe.
 */
int analysis_binomial(long long x, long long n, double level, json_t **out,
                      struct sr_err *err);

/* The hierarchical models of an MSE table, ranked (analysis_mse_rank()). */
struct analysis_mse_ranking {
    struct mse_models m;   /* every model fitted, with their results */
    const size_t *rank;    /* m.by_aic or m.by_bic: best first */
    struct mse_model best; /* the model at rank[0] */
    struct mse_profile pr; /* best's profile interval, if has_profile */
    bool has_profile;      /* false when the profile search failed */
    size_t n_boundary;     /* models on the boundary (no finite MLE) */
};

/*
 * Fit every hierarchical model of t up to max_order (1 to n_lists - 1)
 * on n_threads threads (0 = all cores; results do not depend on it), rank
 * them by AIC (use_aic) or BIC, and take the best's profile-likelihood
 * interval at 1 - alpha. The one model ranking of stored MSE analyses and
 * `siren stats mse`. Release *out with analysis_mse_ranking_release().
 * Errors, out untouched: those of mse_models_run(), and SR_EINVAL "no
 * model has a finite maximum likelihood estimate". Thread-safe.
 */
int analysis_mse_rank(const struct mse_table *t, int max_order, int n_threads,
                      bool use_aic, double alpha,
                      struct analysis_mse_ranking *out, struct sr_err *err);

/* Free r's models and zero it; safe twice. */
void analysis_mse_ranking_release(struct analysis_mse_ranking *r);

/* Whether method with options uses random numbers (a bootstrap). */
bool analysis_uses_seed(const char *method, const json_t *options);

/*
 * Run method on live data set dataset_id and record it (survey_store):
 * data set id and hash, method, options (stored with sorted keys), seed
 * (seed 0 = a random one when the method needs one, else 0), SIREN
 * version, result. *out_id gets the analysis id; *out_result (may be
 * NULL) a new reference to the result. Audited (analysis.run). Errors as
 * analysis_compute, plus SR_ENOTFOUND, SR_ECONFLICT (data altered),
 * SR_EDB, SR_ECRYPTO; nothing is recorded on error. who (never NULL)
 * needs stats.run over the data set (SR_ENOTFOUND outside its scope,
 * SR_EPERM without the action); an identifying column named as an
 * outcome, group, predictor or design column is SR_EINVAL naming it.
 */
int analysis_run(struct db *db, const struct vault *v,
                 const struct principal *who, const char *method,
                 int64_t dataset_id, const json_t *options, unsigned long seed,
                 int64_t *out_id, json_t **out_result, struct sr_err *err);

/*
 * Rerun analysis id from its record: the data set must still be live and
 * have the recorded hash (SR_ECONFLICT otherwise); the method is run with
 * the recorded options and seed, nothing new is recorded. *out_is_same is
 * true when the result serialises to exactly the recorded JSON (numbers
 * to 17 significant digits). Not audited as a write: a rerun changes
 * nothing. The analysis and its data set must be in who's scope.
 * SR_ENOTFOUND, SR_EINVAL, SR_EDB, SR_ECRYPTO.
 */
int analysis_rerun(struct db *db, const struct vault *v,
                   const struct principal *who, int64_t id, bool *out_is_same,
                   struct sr_err *err);

/* Serialise a result or options object the way records store it
 * (compact, 17 significant digits, keys sorted when is_sorted). Caller
 * frees with free(). */
char *analysis_dump(const json_t *j, bool is_sorted);

#endif
