/*
 * mse_cli.c - `siren stats mse FILE.csv [options]`.
 *
 * Owns the text/csv/json rendering of src/stats/mse.c's results. Thin: parse,
 * call, render. Must not hold state between calls nor print identities
 * (it prints list names and numbers only).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/mse_cli.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stats/analysis.h"
#include "stats/capture.h"
#include "stats/num/loglin.h"
#include "core/buf.h"
#include "cli/cli.h"
#include "core/csv.h"

#include "core/banned.h"

/* ----------------------------------------------------------------- options */

enum method { M_STEPWISE, M_MODELS, M_FIT };
enum format { F_TEXT, F_CSV, F_JSON };

struct opts {
    const char *file;
    enum method method;
    int method_set;
    int max_order; /* 0 = default */
    int use_aic;
    const char *model;
    double threshold;
    double alpha;
    long long n_boot;
    long long seed;
    long long threads;
    long long top;
    enum format format;
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "siren stats mse: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nrun 'siren stats mse --help' for usage\n");
    va_end(ap);
    return CLI_USAGE;
}

static int
parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Option name's value, when given, as a whole number in [lo, hi] into
 * *out; 0, or the usage error (range, such as " (1 to 14)", follows the
 * value in it). */
static int
opt_whole(const struct cli_args *a, const char *name, long long lo,
          long long hi, const char *range, long long *out)
{
    const char *val = cli_opt(a, name);
    if (val != NULL && sr_parse_i64(val, lo, hi, out) != 0) {
        return usage_error("bad %s '%s'%s", name, val, range);
    }
    return 0;
}

/* As opt_whole() for a number in [lo, hi]. */
static int
opt_real(const struct cli_args *a, const char *name, double lo, double hi,
         const char *range, double *out)
{
    const char *val = cli_opt(a, name);
    if (val != NULL && parse_num(val, lo, hi, out) != 0) {
        return usage_error("bad %s '%s'%s", name, val, range);
    }
    return 0;
}

/* The position of option name's value, when given, in words (NULL-
 * terminated) into *out; 0, or the usage error listing choices. */
static int
opt_word(const struct cli_args *a, const char *name, const char *const *words,
         const char *choices, int *out)
{
    const char *val = cli_opt(a, name);
    for (int i = 0; val != NULL && words[i] != NULL; i++) {
        if (strcmp(val, words[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return val != NULL ? usage_error("bad %s '%s' (%s)", name, val, choices)
                       : 0;
}

/* The row's options (cli.c parsed them) into o, checked; 0 or the exit
 * status. */
static int
parse_opts(const struct cli_args *a, struct opts *o)
{
    static const char *const ranks[] = { "bic", "aic", NULL };
    static const char *const formats[] = {
        [F_TEXT] = "text", [F_CSV] = "csv", [F_JSON] = "json", NULL
    };
    const char *val;
    long long order = 0;
    int rc, format = F_TEXT;
    memset(o, 0, sizeof *o);
    o->threshold = 0.02;
    o->alpha = 0.05;
    o->seed = 1;
    o->top = 10;
    o->file = a->args[1];
    if (cli_flag(a, "--two-way")) {
        o->max_order = 2;
    }
    if ((val = cli_opt(a, "--method")) != NULL) {
        if (strcmp(val, "stepwise") == 0) {
            o->method = M_STEPWISE;
        } else if (strcmp(val, "models") == 0) {
            o->method = M_MODELS;
        } else if (strcmp(val, "fit") == 0) {
            o->method = M_FIT;
        } else {
            return usage_error("unknown method '%s'", val);
        }
        o->method_set = 1;
    }
    if ((rc = opt_whole(a, "--max-order", 1, 14, " (1 to 14)", &order)) != 0) {
        return rc;
    }
    if (order != 0) {
        o->max_order = (int)order;
    }
    if ((rc = opt_word(a, "--rank", ranks, "aic or bic", &o->use_aic)) != 0) {
        return rc;
    }
    o->model = cli_opt(a, "--model");
    if ((rc = opt_real(a, "--threshold", 0, 1, " (0 to 1)", &o->threshold)) !=
            0 ||
        (rc = opt_real(a, "--alpha", 1e-6, 0.5, " (0.000001 to 0.5)",
                       &o->alpha)) != 0 ||
        (rc = opt_whole(a, "--bootstrap", 2, 1000000, " (2 to 1000000)",
                        &o->n_boot)) != 0 ||
        (rc = opt_whole(a, "--seed", 0, 4294967295LL, " (0 to 4294967295)",
                        &o->seed)) != 0 ||
        (rc = opt_whole(a, "--threads", 1, 256, " (1 to 256)", &o->threads)) !=
            0 ||
        (rc = opt_whole(a, "--top", 0, 100000000, "", &o->top)) != 0) {
        return rc;
    }
    if ((rc = opt_word(a, "--format", formats, "text, csv, json", &format)) !=
        0) {
        return rc;
    }
    o->format = (enum format)format;
    if (!o->method_set && o->model != NULL) {
        o->method = M_FIT;
    }
    if (o->method == M_FIT && o->model == NULL) {
        return usage_error("%s", "--method fit needs --model");
    }
    if (o->method != M_FIT && o->model != NULL) {
        return usage_error("%s", "--model is only for --method fit");
    }
    if (o->n_boot > 0 && o->method != M_STEPWISE) {
        return usage_error("%s", "--bootstrap is only for --method stepwise");
    }
    return 0;
}

/* ----------------------------------------------------------------- output */

static json_t *
jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static void
pair_name(const struct mse_table *t, uint32_t pair, char *buf, size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (int i = 0; i < t->n_lists; i++) {
        if (pair & (1u << i)) {
            int n = snprintf(buf + pos, len - pos, "%s%s", pos ? ":" : "",
                             t->names[i]);
            if (n < 0 || (size_t)n >= len - pos) {
                return;
            }
            pos += (size_t)n;
        }
    }
}

/* The root of a JSON answer: its method, then t's lists and observed
 * count. */
static json_t *
json_root(const struct mse_table *t, const char *method)
{
    json_t *root = json_object();
    json_t *lists = json_array();
    for (int i = 0; i < t->n_lists; i++) {
        json_array_append_new(lists, json_string(t->names[i]));
    }
    json_object_set_new(root, "method", json_string(method));
    json_object_set_new(root, "lists", lists);
    json_object_set_new(root, "observed", jnum(t->n_obs));
    return root;
}

/* A fitted model's numbers into o, after its name. */
static void
json_model(json_t *o, const char *name, double n_est, double se, double dev,
           int df, double aic, double bic)
{
    json_object_set_new(o, "model", json_string(name));
    json_object_set_new(o, "estimate", jnum(n_est));
    json_object_set_new(o, "stderr", jnum(se));
    json_object_set_new(o, "deviance", jnum(dev));
    json_object_set_new(o, "df", json_integer(df));
    json_object_set_new(o, "aic", jnum(aic));
    json_object_set_new(o, "bic", jnum(bic));
}

static void
print_header(const struct mse_table *t)
{
    printf("lists: %d (", t->n_lists);
    for (int i = 0; i < t->n_lists; i++) {
        printf("%s%d=%s", i ? ", " : "", i + 1, t->names[i]);
    }
    printf("), observed: %.0f\n", t->n_obs);
}

static void
emit_json(json_t *root)
{
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (s != NULL) {
        puts(s);
        free(s);
    }
    json_decref(root);
}

/* CSV rows "field,value" on stdout (core/csv.h: list names are data) */
static void
csv_text_row(const char *field, const char *value)
{
    struct sr_csv w;
    sr_csv_init_file(&w, stdout, 0);
    sr_csv_text(&w, field);
    sr_csv_text(&w, value);
    sr_csv_end_row(&w);
}

static void
csv_number_row(const char *field, int decimals, double v)
{
    struct sr_csv w;
    sr_csv_init_file(&w, stdout, 0);
    sr_csv_text(&w, field);
    sr_csv_numberf(&w, "%.*f", decimals, v);
    sr_csv_end_row(&w);
}

static void
add_two_list(const struct mse_table *t, json_t *root, int fmt)
{
    double lp, ch;
    if (t->n_lists != 2 || mse_two_list(t, &lp, &ch, NULL) != SR_OK) {
        return;
    }
    if (fmt == F_JSON) {
        json_object_set_new(root, "lincoln_petersen", jnum(lp));
        json_object_set_new(root, "chapman", jnum(ch));
    } else if (fmt == F_CSV) {
        csv_number_row("lincoln_petersen", 4, lp);
        csv_number_row("chapman", 4, ch);
    } else {
        printf("Lincoln-Petersen: %.2f, Chapman: %.2f\n", lp, ch);
    }
}

static int
run_stepwise(const struct mse_table *t, const struct opts *o)
{
    struct sr_err err = { 0 };
    struct mse_sparse s;
    if (mse_stepwise(t, o->threshold, o->alpha, NULL, &s, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    struct mse_boot b;
    memset(&b, 0, sizeof b);
    int has_boot = 0;
    if (o->n_boot > 0) {
        if (mse_bootstrap(t, o->threshold, (size_t)o->n_boot,
                          (unsigned long)o->seed, (int)o->threads, o->alpha, &b,
                          &err) != SR_OK) {
            fprintf(stderr, "siren stats mse: %s\n", sr_err_msg(&err));
            sr_err_release(&err);
            return CLI_FAIL;
        }
        has_boot = 1;
    }
    double level = 100 * (1 - o->alpha);
    char name[2 * MSE_NAME_MAX + 2];
    if (o->format == F_JSON) {
        json_t *root = json_root(t, "stepwise");
        json_object_set_new(root, "threshold", jnum(o->threshold));
        json_t *ints = json_array();
        for (int i = 0; i < s.n_pairs; i++) {
            pair_name(t, s.pair[i], name, sizeof name);
            json_t *e = json_object();
            json_object_set_new(e, "interaction", json_string(name));
            json_object_set_new(e, "p_value", jnum(s.p_value[i]));
            json_array_append_new(ints, e);
        }
        json_object_set_new(root, "interactions", ints);
        json_object_set_new(root, "empty_overlaps", json_integer(s.n_empty));
        json_object_set_new(root, "estimate", jnum(s.N));
        json_object_set_new(root, "deviance", jnum(s.fit.deviance));
        json_object_set_new(root, "df", json_integer(s.fit.df));
        json_object_set_new(root, "level", jnum(1 - o->alpha));
        json_object_set_new(root, "lognormal_lower", jnum(s.lower));
        json_object_set_new(root, "lognormal_upper", jnum(s.upper));
        if (has_boot) {
            json_t *bj = json_object();
            json_object_set_new(bj, "replicates", json_integer(o->n_boot));
            json_object_set_new(bj, "failed",
                                json_integer((json_int_t)b.n_failed));
            json_object_set_new(bj, "seed", json_integer(o->seed));
            json_object_set_new(bj, "z0", jnum(b.z0));
            json_object_set_new(bj, "acceleration", jnum(b.a_hat));
            json_object_set_new(bj, "bca_lower", jnum(b.lower));
            json_object_set_new(bj, "bca_upper", jnum(b.upper));
            json_object_set_new(root, "bootstrap", bj);
        }
        add_two_list(t, root, F_JSON);
        emit_json(root);
    } else if (o->format == F_CSV) {
        struct sr_buf pairs;
        sr_buf_init(&pairs, 0);
        for (int i = 0; i < s.n_pairs; i++) {
            pair_name(t, s.pair[i], name, sizeof name);
            (void)sr_buf_printf(&pairs, "%s%s", i ? ";" : "", name);
        }
        csv_text_row("field", "value");
        csv_text_row("method", "stepwise");
        csv_number_row("observed", 0, t->n_obs);
        csv_text_row("interactions", pairs.data);
        sr_buf_release(&pairs);
        csv_number_row("estimate", 4, s.N);
        csv_number_row("lognormal_lower", 4, s.lower);
        csv_number_row("lognormal_upper", 4, s.upper);
        if (has_boot) {
            csv_number_row("bca_lower", 4, b.lower);
            csv_number_row("bca_upper", 4, b.upper);
            csv_number_row("bootstrap_failed", 0, (double)b.n_failed);
        }
        add_two_list(t, NULL, F_CSV);
    } else {
        print_header(t);
        printf("method: stepwise (Chan, Silverman and Vincent), threshold "
               "%g\n",
               o->threshold);
        printf("interactions:");
        if (s.n_pairs == 0) {
            printf(" none");
        }
        for (int i = 0; i < s.n_pairs; i++) {
            pair_name(t, s.pair[i], name, sizeof name);
            printf(" %s (p=%.3g)%s", name, s.p_value[i],
                   i + 1 < s.n_pairs ? "," : "");
        }
        printf("\nestimate N: %.1f\n", s.N);
        printf("deviance: %.2f on %d df\n", s.fit.deviance, s.fit.df);
        printf("%g%% log-normal interval: %.1f - %.1f\n", level, s.lower,
               s.upper);
        if (has_boot) {
            printf("%g%% BCa bootstrap interval: %.1f - %.1f (%lld "
                   "replicates, seed %lld, %zu refused)\n",
                   level, b.lower, b.upper, o->n_boot, o->seed, b.n_failed);
        }
        add_two_list(t, NULL, F_TEXT);
    }
    mse_boot_release(&b);
    return 0;
}

static int
run_fit(const struct mse_table *t, const struct opts *o)
{
    struct sr_err err = { 0 };
    struct mse_model m;
    struct loglin_fit f;
    struct mse_profile pr;
    if (mse_model_parse(o->model, t->n_lists, &m, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_USAGE;
    }
    char name[256];
    mse_model_format(&m, t->n_lists, name, sizeof name);
    if (mse_fit_model(t, &m, &f, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: model %s: %s\n", name,
                sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    if (f.status != LOGLIN_OK) {
        fprintf(stderr, "siren stats mse: model %s: %s\n", name,
                f.status == LOGLIN_BOUNDARY
                    ? "the maximum likelihood estimate does not exist (the "
                      "estimate is infinite)"
                    : loglin_status_name(f.status));
        return CLI_FAIL;
    }
    if (mse_profile_ci(t, &m, o->alpha, &pr, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: model %s: %s\n", name,
                sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    double z = gsl_cdf_ugaussian_Pinv(1 - o->alpha / 2);
    double sd = sqrt(f.var_b0);
    double ln_lo = t->n_obs + exp(f.coef[0] - z * sd);
    double ln_hi = t->n_obs + exp(f.coef[0] + z * sd);
    double level = 100 * (1 - o->alpha);
    if (o->format == F_JSON) {
        json_t *root = json_root(t, "fit");
        json_model(root, name, f.N, f.se_N, f.deviance, f.df, f.aic, f.bic);
        json_object_set_new(root, "level", jnum(1 - o->alpha));
        json_object_set_new(root, "profile_max", jnum(pr.n_max));
        json_object_set_new(root, "profile_lower", jnum(pr.lower));
        json_object_set_new(root, "profile_upper", jnum(pr.upper));
        json_object_set_new(root, "lognormal_lower", jnum(ln_lo));
        json_object_set_new(root, "lognormal_upper", jnum(ln_hi));
        add_two_list(t, root, F_JSON);
        emit_json(root);
    } else if (o->format == F_CSV) {
        struct sr_csv w;
        sr_csv_init_file(&w, stdout, 0);
        csv_text_row("field", "value");
        csv_text_row("method", "fit");
        sr_csv_text(&w, "model");
        sr_csv_quoted(&w, name);
        sr_csv_end_row(&w);
        csv_number_row("observed", 0, t->n_obs);
        csv_number_row("estimate", 4, f.N);
        csv_number_row("stderr", 4, f.se_N);
        csv_number_row("deviance", 4, f.deviance);
        csv_number_row("df", 0, (double)f.df);
        csv_number_row("aic", 4, f.aic);
        csv_number_row("bic", 4, f.bic);
        csv_number_row("profile_max", 4, pr.n_max);
        csv_number_row("profile_lower", 4, pr.lower);
        if (isfinite(pr.upper)) {
            csv_number_row("profile_upper", 4, pr.upper);
        } else {
            csv_text_row("profile_upper", "");
        }
        csv_number_row("lognormal_lower", 4, ln_lo);
        csv_number_row("lognormal_upper", 4, ln_hi);
        add_two_list(t, NULL, F_CSV);
    } else {
        print_header(t);
        printf("model %s: N %.1f (standard error %.1f)\n", name, f.N, f.se_N);
        printf("deviance %.2f on %d df, AIC %.3f, BIC %.3f\n", f.deviance, f.df,
               f.aic, f.bic);
        if (isfinite(pr.upper)) {
            printf("%g%% profile-likelihood interval: %.1f - %.1f (profile "
                   "maximum %.1f)\n",
                   level, pr.lower, pr.upper, pr.n_max);
        } else {
            printf("%g%% profile-likelihood interval: %.1f - above %.1f "
                   "(profile maximum %.1f)\n",
                   level, pr.lower, 3 * f.N, pr.n_max);
        }
        printf("%g%% log-normal interval: %.1f - %.1f\n", level, ln_lo, ln_hi);
        add_two_list(t, NULL, F_TEXT);
    }
    return 0;
}

static int
run_models(const struct mse_table *t, const struct opts *o)
{
    struct sr_err err = { 0 };
    int order = o->max_order ? o->max_order : 3;
    if (order > t->n_lists - 1) {
        if (o->max_order) {
            fprintf(stderr,
                    "siren stats mse: --max-order %d too high for %d lists "
                    "(at most %d)\n",
                    order, t->n_lists, t->n_lists - 1);
            return CLI_USAGE;
        }
        order = t->n_lists - 1;
    }
    struct analysis_mse_ranking rk;
    if (analysis_mse_rank(t, order, (int)o->threads, o->use_aic != 0, o->alpha,
                          &rk, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    const struct mse_models *mp = &rk.m;
    const size_t *rank = rk.rank;
    size_t top = o->top == 0 || (size_t)o->top > mp->n_ranked ? mp->n_ranked
                                                              : (size_t)o->top;
    const struct mse_profile *pr = &rk.pr;
    int has_pr = rk.has_profile;
    char name[512];
    const char *crit = o->use_aic ? "aic" : "bic";
    if (o->format == F_JSON) {
        json_t *root = json_root(t, "models");
        json_object_set_new(root, "max_order", json_integer(order));
        json_object_set_new(root, "rank", json_string(crit));
        json_object_set_new(root, "models_fitted",
                            json_integer((json_int_t)mp->n_models));
        json_object_set_new(root, "models_ranked",
                            json_integer((json_int_t)mp->n_ranked));
        json_object_set_new(root, "models_boundary",
                            json_integer((json_int_t)rk.n_boundary));
        json_t *arr = json_array();
        for (size_t i = 0; i < top; i++) {
            const struct mse_result *r = &mp->res[rank[i]];
            struct mse_model mm;
            mse_models_get(mp, rank[i], &mm);
            mse_model_format(&mm, t->n_lists, name, sizeof name);
            json_t *e = json_object();
            json_model(e, name, r->N, r->se_N, r->deviance, r->df, r->aic,
                       r->bic);
            json_array_append_new(arr, e);
        }
        json_object_set_new(root, "models", arr);
        if (has_pr) {
            json_object_set_new(root, "profile_max", jnum(pr->n_max));
            json_object_set_new(root, "profile_lower", jnum(pr->lower));
            json_object_set_new(root, "profile_upper", jnum(pr->upper));
        }
        add_two_list(t, root, F_JSON);
        emit_json(root);
    } else if (o->format == F_CSV) {
        static const char *const head[] = { "rank",   "model",    "estimate",
                                            "stderr", "deviance", "df",
                                            "aic",    "bic" };
        struct sr_csv w;
        sr_csv_init_file(&w, stdout, 0);
        sr_csv_row(&w, head, sizeof head / sizeof head[0]);
        for (size_t i = 0; i < top; i++) {
            const struct mse_result *r = &mp->res[rank[i]];
            struct mse_model mm;
            mse_models_get(mp, rank[i], &mm);
            mse_model_format(&mm, t->n_lists, name, sizeof name);
            sr_csv_numberf(&w, "%zu", i + 1);
            sr_csv_quoted(&w, name);
            sr_csv_numberf(&w, "%.4f", r->N);
            sr_csv_numberf(&w, "%.4f", r->se_N);
            sr_csv_numberf(&w, "%.4f", r->deviance);
            sr_csv_numberf(&w, "%d", r->df);
            sr_csv_numberf(&w, "%.4f", r->aic);
            sr_csv_numberf(&w, "%.4f", r->bic);
            sr_csv_end_row(&w);
        }
    } else {
        print_header(t);
        printf("models: %zu hierarchical models up to order %d, %zu with a "
               "finite estimate, %zu boundary; ranked by %s\n",
               mp->n_models, order, mp->n_ranked, rk.n_boundary,
               o->use_aic ? "AIC" : "BIC");
        printf("%-28s %12s %10s %10s %4s %11s %11s\n", "model", "N", "stderr",
               "deviance", "df", "AIC", "BIC");
        for (size_t i = 0; i < top; i++) {
            const struct mse_result *r = &mp->res[rank[i]];
            struct mse_model mm;
            mse_models_get(mp, rank[i], &mm);
            mse_model_format(&mm, t->n_lists, name, sizeof name);
            printf("%-28s %12.1f %10.1f %10.3f %4d %11.3f %11.3f\n", name, r->N,
                   r->se_N, r->deviance, r->df, r->aic, r->bic);
        }
        mse_model_format(&rk.best, t->n_lists, name, sizeof name);
        if (has_pr && isfinite(pr->upper)) {
            printf("best model %s: %g%% profile-likelihood interval %.1f - "
                   "%.1f (profile maximum %.1f)\n",
                   name, 100 * (1 - o->alpha), pr->lower, pr->upper, pr->n_max);
        } else if (has_pr) {
            printf("best model %s: %g%% profile-likelihood interval %.1f - "
                   "above %.1f (profile maximum %.1f)\n",
                   name, 100 * (1 - o->alpha), pr->lower,
                   3 * mp->res[rank[0]].N, pr->n_max);
        }
        add_two_list(t, NULL, F_TEXT);
    }
    analysis_mse_ranking_release(&rk);
    return 0;
}

int
mse_cli_run(struct ws *ws, const struct cli_args *a)
{
    struct opts o;
    (void)ws;
    int rc = parse_opts(a, &o);
    if (rc != 0) {
        return rc;
    }
    struct mse_table t;
    struct sr_err err = { 0 };
    if (mse_csv_read_file(o.file, &t, &err) != SR_OK) {
        fprintf(stderr, "siren stats mse: %s\n", sr_err_msg(&err));
        sr_err_release(&err);
        return CLI_FAIL;
    }
    if (o.method == M_MODELS) {
        rc = run_models(&t, &o);
    } else if (o.method == M_FIT) {
        rc = run_fit(&t, &o);
    } else {
        rc = run_stepwise(&t, &o);
    }
    mse_table_release(&t);
    fflush(stdout);
    return rc;
}
