/*
 * survey.c - design-based means and proportions for complex samples.
 *
 * Owns: the stratified, clustered, with-replacement (optionally finite
 * population corrected) variance of estimated totals (the "ultimate
 * cluster" estimator), the linearised ratio estimator for means and
 * proportions, design effects, and the logit and Korn-Graubard intervals.
 * Follows the conventions of Lumley's R survey package (svymean,
 * svyciprop) so results can be compared. Pure numerics, no I/O.
 * Must not: subset the design for a domain (that understates variance).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/survey.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/banned.h"

struct key {
    long stratum;
    long cluster;
    size_t row;
};

static int
cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;

    if (x->stratum != y->stratum) {
        return x->stratum < y->stratum ? -1 : 1;
    }
    if (x->cluster != y->cluster) {
        return x->cluster < y->cluster ? -1 : 1;
    }
    return x->row < y->row ? -1 : x->row > y->row;
}

static int
check_design(const struct survey_design *d, struct sr_err *err)
{
    size_t i;

    if (d->n == 0) {
        return sr_err_set(err, SR_EINVAL, "empty design: no rows");
    }
    for (i = 0; d->weight != NULL && i < d->n; i++) {
        if (!isfinite(d->weight[i]) || d->weight[i] < 0) {
            return sr_err_set(err, SR_EINVAL,
                              "weight must be finite and >= 0, row %zu", i + 1);
        }
    }
    for (i = 0; d->fpc != NULL && i < d->n; i++) {
        if (!isfinite(d->fpc[i]) || d->fpc[i] < 0) {
            return sr_err_set(err, SR_EINVAL,
                              "fpc must be finite and >= 0, row %zu", i + 1);
        }
    }
    return SR_OK;
}

int
survey_total_vcov(const struct survey_design *d, const double *u, size_t k,
                  double *out_v, double *out_df, struct sr_err *err)
{
    struct key *keys;
    double *tot, *mean, *grand, *v;
    size_t n = d->n, i, a, b, n_psu_all = 0, n_strata = 0;
    size_t *psu_start, n_psu_rows;
    int rc;

    assert(u != NULL && out_v != NULL && k > 0);
    if ((rc = check_design(d, err)) != SR_OK) {
        return rc;
    }
    keys = sr_xcalloc(n, sizeof(*keys));
    for (i = 0; i < n; i++) {
        keys[i].stratum = d->stratum != NULL ? d->stratum[i] : 0;
        keys[i].cluster = d->cluster != NULL ? d->cluster[i] : (long)i;
        keys[i].row = i;
    }
    qsort(keys, n, sizeof(*keys), cmp_key);

    /* PSU totals of the scores, in sorted order */
    psu_start = sr_xcalloc(n + 1, sizeof(*psu_start));
    tot = sr_xcalloc(n * k, sizeof(*tot));
    for (i = 0; i < n; i++) {
        if (i == 0 || keys[i].stratum != keys[i - 1].stratum ||
            keys[i].cluster != keys[i - 1].cluster) {
            psu_start[n_psu_all++] = i;
        }
        for (a = 0; a < k; a++) {
            tot[(n_psu_all - 1) * k + a] += u[keys[i].row * k + a];
        }
    }
    psu_start[n_psu_all] = n;
    n_psu_rows = n_psu_all;

    grand = sr_xcalloc(k, sizeof(*grand));
    for (i = 0; i < n_psu_rows; i++) {
        for (a = 0; a < k; a++) {
            grand[a] += tot[i * k + a] / (double)n_psu_rows;
        }
    }

    v = sr_xcalloc(k * k, sizeof(*v));
    mean = sr_xcalloc(k, sizeof(*mean));
    rc = SR_OK;
    for (i = 0; i < n_psu_rows && rc == SR_OK;) {
        /* PSUs i .. j-1 form one stratum */
        size_t j = i, nh, p;
        long s = keys[psu_start[i]].stratum;
        double f = 0, scale;
        const double *centre;

        while (j < n_psu_rows && keys[psu_start[j]].stratum == s) {
            j++;
        }
        nh = j - i;
        n_strata++;
        if (d->fpc != NULL) {
            double fv = d->fpc[keys[psu_start[i]].row];
            size_t r;
            for (r = psu_start[i]; r < psu_start[j]; r++) {
                if (d->fpc[keys[r].row] != fv) {
                    rc = sr_err_set(err, SR_EINVAL,
                                    "fpc differs within stratum %ld, row %zu",
                                    s, keys[r].row + 1);
                    break;
                }
            }
            if (rc != SR_OK) {
                break;
            }
            if (fv > 1) {
                if (fv < (double)nh) {
                    rc = sr_err_set(err, SR_EINVAL,
                                    "fpc of stratum %ld is below its %zu "
                                    "sampled PSUs",
                                    s, nh);
                    break;
                }
                f = (double)nh / fv;
            } else {
                f = fv;
            }
        }
        if (nh == 1) {
            if (d->lonely == SURVEY_LONELY_FAIL) {
                rc = sr_err_set(err, SR_EINVAL, "stratum %ld has a single PSU",
                                s);
                break;
            }
            if (d->lonely == SURVEY_LONELY_CERTAINTY) {
                i = j;
                continue;
            }
            centre = grand;
            scale = 1 - f;
        } else {
            memset(mean, 0, k * sizeof(*mean));
            for (p = i; p < j; p++) {
                for (a = 0; a < k; a++) {
                    mean[a] += tot[p * k + a] / (double)nh;
                }
            }
            centre = mean;
            scale = (1 - f) * (double)nh / (double)(nh - 1);
        }
        for (p = i; p < j; p++) {
            for (a = 0; a < k; a++) {
                double da = tot[p * k + a] - centre[a];
                for (b = 0; b <= a; b++) {
                    v[a * k + b] += scale * da * (tot[p * k + b] - centre[b]);
                }
            }
        }
        i = j;
    }
    if (rc == SR_OK) {
        for (a = 0; a < k; a++) {
            for (b = 0; b <= a; b++) {
                out_v[a * k + b] = v[a * k + b];
                out_v[b * k + a] = v[a * k + b];
            }
        }
        if (out_df != NULL) {
            *out_df = (double)n_psu_rows - (double)n_strata;
        }
    }
    free(keys);
    free(psu_start);
    free(tot);
    free(grand);
    free(v);
    free(mean);
    return rc;
}

static double
expit(double x)
{
    return 1 / (1 + exp(-x));
}

int
survey_mean(const struct survey_design *d, const double *y,
            const bool *in_domain, double level, bool is_proportion,
            struct survey_est *out, struct sr_err *err)
{
    size_t n = d->n, i, n_dom = 0;
    double sw = 0, swy = 0, ss = 0, est, var, df, t, *u;
    struct survey_est r;
    int rc;

    assert(d != NULL && y != NULL && out != NULL);
    if ((rc = check_design(d, err)) != SR_OK) {
        return rc;
    }
    if (!(level > 0 && level < 1)) {
        return sr_err_set(err, SR_EINVAL, "invalid level: need 0 < level < 1");
    }
    for (i = 0; i < n; i++) {
        double w = d->weight != NULL ? d->weight[i] : 1;
        if ((in_domain != NULL && !in_domain[i]) || isnan(y[i])) {
            continue;
        }
        if (!isfinite(y[i]) || (is_proportion && y[i] != 0 && y[i] != 1)) {
            return sr_err_set(err, SR_EINVAL,
                              is_proportion ? "outcome must be 0 or 1, row %zu"
                                            : "outcome not finite, row %zu",
                              i + 1);
        }
        n_dom++;
        sw += w;
        swy += w * y[i];
    }
    if (n_dom == 0) {
        return sr_err_set(err, SR_EINVAL,
                          "no rows with an outcome in the domain");
    }
    if (!(sw > 0)) {
        return sr_err_set(err, SR_EINVAL, "domain has zero total weight");
    }
    est = swy / sw;

    /* linearised scores of the ratio sum(w y) / sum(w) */
    u = sr_xcalloc(n, sizeof(*u));
    for (i = 0; i < n; i++) {
        double w = d->weight != NULL ? d->weight[i] : 1;
        if ((in_domain != NULL && !in_domain[i]) || isnan(y[i])) {
            continue;
        }
        u[i] = w * (y[i] - est) / sw;
        ss += w * (y[i] - est) * (y[i] - est);
    }
    rc = survey_total_vcov(d, u, 1, &var, &df, err);
    free(u);
    if (rc != SR_OK) {
        return rc;
    }

    memset(&r, 0, sizeof(r));
    r.est = est;
    r.se = sqrt(var);
    r.df = df;
    r.n = n_dom;
    r.sum_w = sw;
    {
        double s2 =
            n_dom > 1 ? ss / sw * (double)n_dom / (double)(n_dom - 1) : NAN;
        double srs = s2 / (double)n_dom;
        r.deff = srs > 0 ? var / srs : NAN;
    }
    t = gsl_cdf_tdist_Qinv((1 - level) / 2, df >= 1 ? df : 1);
    r.lo = est - t * r.se;
    r.hi = est + t * r.se;
    r.logit_lo = r.logit_hi = r.kg_lo = r.kg_hi = NAN;
    r.n_eff = isfinite(r.deff) && r.deff > 0 ? (double)n_dom / r.deff : NAN;
    if (is_proportion) {
        double a = (1 - level) / 2, ne;
        r.lo = r.lo < 0 ? 0 : r.lo;
        r.hi = r.hi > 1 ? 1 : r.hi;
        if (est > 0 && est < 1 && var > 0) {
            double sel = r.se / (est * (1 - est)), l = log(est / (1 - est));
            r.logit_lo = expit(l - t * sel);
            r.logit_hi = expit(l + t * sel);
            ne = est * (1 - est) / var;
        } else {
            /* degenerate: the logit interval collapses to the estimate */
            r.logit_lo = r.logit_hi = est;
            ne = (double)n_dom;
        }
        r.n_eff = ne;
        /* Korn-Graubard: effective n scaled by (t_{n-1} / t_df)^2 */
        {
            double t_n = gsl_cdf_tdist_Qinv(a, n > 1 ? (double)(n - 1) : 1);
            ne *= (t_n / t) * (t_n / t);
        }
        r.kg_lo =
            est > 0 ? gsl_cdf_beta_Pinv(a, ne * est, ne * (1 - est) + 1) : 0;
        r.kg_hi =
            est < 1 ? gsl_cdf_beta_Qinv(a, ne * est + 1, ne * (1 - est)) : 1;
    }
    *out = r;
    return SR_OK;
}
