/*
 * binom.c - confidence intervals for one binomial proportion.
 *
 * Owns: the five classical interval formulas (Wilson, Wilson with
 * continuity correction as given by Newcombe 1998, Clopper-Pearson from
 * beta quantiles, Agresti-Coull, Wald). Pure numerics: no I/O, no state.
 * Must not: clip silently outside [0,1] for methods whose formula stays
 * inside it, or accept x > n.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "stats/num/binom.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "core/banned.h"

static double
clip01(double v)
{
    if (v < 0) {
        return 0;
    }
    if (v > 1) {
        return 1;
    }
    return v;
}

const char *
binom_method_name(enum binom_method m)
{
    static const char *const names[BINOM__COUNT] = {
        [BINOM_WILSON] = "wilson",
        [BINOM_WILSON_CC] = "wilson-cc",
        [BINOM_CLOPPER_PEARSON] = "clopper-pearson",
        [BINOM_AGRESTI_COULL] = "agresti-coull",
        [BINOM_WALD] = "wald",
    };
    if ((int)m < 0 || m >= BINOM__COUNT) {
        return "?";
    }
    return names[m];
}

int
binom_ci(long x, long n, double level, enum binom_method m,
         struct binom_ci *out, struct sr_err *err)
{
    double p, q, z, z2, nd, lo, hi;

    if (n < 1) {
        return sr_err_set(err, SR_EINVAL, "invalid n %ld: need n >= 1", n);
    }
    if (x < 0 || x > n) {
        return sr_err_set(err, SR_EINVAL,
                          "invalid x %ld: need 0 <= x <= n (%ld)", x, n);
    }
    if (!(level > 0 && level < 1)) {
        return sr_err_set(err, SR_EINVAL, "invalid level: need 0 < level < 1");
    }
    nd = (double)n;
    p = (double)x / nd;
    q = 1 - p;
    z = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
    z2 = z * z;

    switch (m) {
    case BINOM_WILSON: {
        double c = (p + z2 / (2 * nd)) / (1 + z2 / nd);
        double h = z / (1 + z2 / nd) * sqrt(p * q / nd + z2 / (4 * nd * nd));
        lo = clip01(c - h);
        hi = clip01(c + h);
        break;
    }
    case BINOM_WILSON_CC: {
        /* Newcombe (1998), method 4 */
        double den = 2 * (nd + z2);
        lo = 0;
        hi = 1;
        if (x > 0) {
            double r = z2 - 2 - 1 / nd + 4 * p * (nd * q + 1);
            lo = (2 * nd * p + z2 - 1 - z * sqrt(r > 0 ? r : 0)) / den;
        }
        if (x < n) {
            double r = z2 + 2 - 1 / nd + 4 * p * (nd * q - 1);
            hi = (2 * nd * p + z2 + 1 + z * sqrt(r > 0 ? r : 0)) / den;
        }
        lo = clip01(lo);
        hi = clip01(hi);
        break;
    }
    case BINOM_CLOPPER_PEARSON: {
        double a = (1 - level) / 2;
        lo = x == 0 ? 0 : gsl_cdf_beta_Pinv(a, (double)x, (double)(n - x + 1));
        hi =
            x == n ? 1 : gsl_cdf_beta_Qinv(a, (double)(x + 1), (double)(n - x));
        if (!isfinite(lo) || !isfinite(hi)) {
            return sr_err_set(err, SR_EINVAL,
                              "cannot compute beta quantile for x %ld n %ld", x,
                              n);
        }
        break;
    }
    case BINOM_AGRESTI_COULL: {
        double nt = nd + z2;
        double pt = ((double)x + z2 / 2) / nt;
        double h = z * sqrt(pt * (1 - pt) / nt);
        lo = clip01(pt - h);
        hi = clip01(pt + h);
        break;
    }
    case BINOM_WALD: {
        double h = z * sqrt(p * q / nd);
        lo = clip01(p - h);
        hi = clip01(p + h);
        break;
    }
    default:
        return sr_err_set(err, SR_EINVAL, "unknown interval method %d", (int)m);
    }
    out->est = p;
    out->lo = lo;
    out->hi = hi;
    return SR_OK;
}
