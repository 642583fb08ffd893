/*
 * test_stats_survey.c - design-based proportions against hand computation
 * on small made-up data (worked out in the comments), and the reduction to
 * the simple binomial case.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "stats/num/binom.h"
#include "stats/num/survey.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "core/banned.h"

/*
 * The small design used below (7 rows; the last row, stratum 3, is only
 * used by the lonely-PSU tests, which set n = 7):
 *   stratum 1: PSU 1: (w 2, y 1), (w 2, y 0);  PSU 2: (w 1, y 1)
 *   stratum 2: PSU 1: (w 3, y 0);  PSU 2: (w 3, y 1), (w 1, y 1)
 *   stratum 3: PSU 9: (w 2, y 1)
 */
static const double y7[7] = { 1, 0, 1, 0, 1, 1, 1 };
static const double w7[7] = { 2, 2, 1, 3, 3, 1, 2 };
static const long s7[7] = { 1, 1, 1, 2, 2, 2, 3 };
static const long c7[7] = { 1, 1, 2, 1, 2, 2, 9 };

static void
test_hand_design(void)
{
    struct survey_design d = { 6, w7, s7, c7, NULL, SURVEY_LONELY_ADJUST };
    struct survey_est e;
    struct sr_err err = { 0 };
    double fpc[6] = { 4, 4, 4, 0.25, 0.25, 0.25 };

    /*
     * Six rows: W = 12, sum(w y) = 7, p = 7/12.
     * Scores u = w (y - 7/12) / 12; times 144: 10, -14, 5, -21, 15, 5.
     * PSU totals (x144): s1: -4, 5; s2: -21, 20.
     * s1: mean 0.5, squares 4.5^2 * 2 = 40.5, times n/(n-1) = 2: 81.
     * s2: mean -0.5, squares 20.5^2 * 2 = 840.5, times 2: 1681.
     * Var = 1762 / 144^2 = 0.08497299...; df = 4 PSUs - 2 strata = 2.
     */
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK_NEAR(e.est, 7.0 / 12, 1e-12);
    CHECK_NEAR(e.se, sqrt(1762.0 / 20736), 1e-12);
    CHECK(e.df == 2 && e.n == 6 && e.sum_w == 12);
    /*
     * Design effect: s^2 = n/(n-1) sum w (y-p)^2 / W. sum w (y-p)^2 =
     * (2+1+3+1) (5/12)^2 + (2+3) (7/12)^2 = (175 + 245) / 144 = 420/144;
     * s^2 = 6/5 * 420/144/12 = 0.29166...; srs var = s^2 / 6.
     */
    {
        double s2 = 6.0 / 5 * (420.0 / 144) / 12;
        CHECK_NEAR(e.deff, (1762.0 / 20736) / (s2 / 6), 1e-12);
    }
    /* logit interval: expit(logit(p) +- t_2 se / (p (1-p))) */
    {
        double p = 7.0 / 12, t = gsl_cdf_tdist_Qinv(0.025, 2);
        double sel = sqrt(1762.0 / 20736) / (p * (1 - p));
        double l = log(p / (1 - p));
        CHECK_NEAR(e.logit_lo, 1 / (1 + exp(-(l - t * sel))), 1e-12);
        CHECK_NEAR(e.logit_hi, 1 / (1 + exp(-(l + t * sel))), 1e-12);
        CHECK(e.kg_lo < p && e.kg_hi > p && e.kg_lo >= 0 && e.kg_hi <= 1);
    }

    /*
     * fpc: stratum 1 has 4 PSUs in the population (f = 2/4), stratum 2 a
     * sampling fraction 0.25: Var = (0.5 * 81 + 0.75 * 1681) / 144^2.
     */
    d.fpc = fpc;
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK_NEAR(e.se, sqrt((0.5 * 81 + 0.75 * 1681) / 20736), 1e-12);
    fpc[1] = 5; /* not constant within stratum 1 */
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "stratum 1") != NULL);
    fpc[0] = fpc[1] = fpc[2] = 1.5; /* fewer population PSUs than sampled */
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    d.fpc = NULL;

    /*
     * Domain D = rows 2, 3, 5 (a2, b1, d1): W_D = 6, sum(w y) = 4,
     * p_D = 2/3. Scores w (y - 2/3) / 6 on D, 0 elsewhere; times 18:
     * row2 -4, row3 1, row5 3. PSU totals (x18): s1: -4, 1; s2: 0, 3.
     * s1: mean -1.5, 2 * 2.5^2 = 12.5, x2 = 25; s2: mean 1.5,
     * 2 * 1.5^2 = 4.5, x2 = 9. Var = 34 / 324. (Subsetting instead would
     * leave stratum 2 with one PSU and a different answer.)
     */
    {
        bool dom[6] = { false, true, true, false, true, false };
        CHECK(survey_mean(&d, y7, dom, 0.95, true, &e, &err) == SR_OK);
        CHECK_NEAR(e.est, 2.0 / 3, 1e-12);
        CHECK_NEAR(e.se, sqrt(34.0 / 324), 1e-12);
        CHECK(e.n == 3 && e.df == 2);
    }
    sr_err_release(&err);
}

static void
test_lonely(void)
{
    struct survey_design d = { 7, w7, s7, c7, NULL, SURVEY_LONELY_CERTAINTY };
    struct survey_est e;
    struct sr_err err = { 0 };

    /*
     * Seven rows: W = 14, p = 9/14. Scores w (y - 9/14) / 14, times 196:
     * 10, -18, 5, -27, 15, 5, 10. PSU totals: s1 -8, 5; s2 -27, 20;
     * s3 10. s1: mean -1.5, 2 * 6.5^2 * 2 = 169; s2: mean -3.5,
     * 2 * 23.5^2 * 2 = 2209. Certainty: Var = 2378 / 196^2.
     * Adjust: grand mean of the 5 PSU totals is 0, so s3 adds 10^2:
     * Var = 2478 / 196^2. df = 5 PSUs - 3 strata = 2.
     */
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK_NEAR(e.est, 9.0 / 14, 1e-12);
    CHECK_NEAR(e.se, sqrt(2378.0 / 38416), 1e-12);
    d.lonely = SURVEY_LONELY_ADJUST;
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK_NEAR(e.se, sqrt(2478.0 / 38416), 1e-12);
    CHECK(e.df == 2);
    d.lonely = SURVEY_LONELY_FAIL;
    CHECK(survey_mean(&d, y7, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "stratum 3") != NULL);
    sr_err_release(&err);
}

/*
 * Equal weights, no strata, no clusters, 92 ones among 400: the estimate
 * is 92/400; the linearised variance is sum((y-p)/n)^2 * n/(n-1) =
 * p (1-p) / (n-1) (R survey's svymean); the design effect is exactly 1;
 * the Korn-Graubard interval is the Clopper-Pearson form with effective
 * n = p(1-p)/var = n - 1, so within 0.001 of Clopper-Pearson for 92/400.
 */
static void
test_reduces_to_binomial(void)
{
    double y[400], w[400];
    struct survey_design d = { 400, NULL, NULL, NULL, NULL, 0 };
    struct survey_est e, ew;
    struct binom_ci cp;
    struct sr_err err = { 0 };
    size_t i;
    double p = 0.23;

    for (i = 0; i < 400; i++) {
        y[i] = i < 92 ? 1 : 0;
        w[i] = 7.5;
    }
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK_NEAR(e.est, 0.23, 1e-12);
    CHECK_NEAR(e.se, sqrt(p * (1 - p) / 399), 1e-12);
    CHECK_NEAR(e.deff, 1, 1e-12);
    CHECK_NEAR(e.n_eff, 399, 1e-9);
    CHECK(e.df == 399);
    CHECK(binom_ci(92, 400, 0.95, BINOM_CLOPPER_PEARSON, &cp, &err) == SR_OK);
    CHECK(fabs(e.kg_lo - cp.lo) < 1e-3 && fabs(e.kg_hi - cp.hi) < 1e-3);
    /* constant weights change nothing */
    d.weight = w;
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &ew, &err) == SR_OK);
    CHECK_NEAR(ew.est, e.est, 1e-12);
    CHECK_NEAR(ew.se, e.se, 1e-12);
    CHECK_NEAR(ew.kg_lo, e.kg_lo, 1e-9);
    CHECK_NEAR(ew.sum_w, 3000, 1e-12);
    /* a mean of a non-0/1 variable: y = 0..399, mean 199.5, var of the
     * mean s^2/n with s^2 = n(n+1)/12 = 13366.67 (discrete uniform) */
    d.weight = NULL;
    for (i = 0; i < 400; i++) {
        y[i] = (double)i;
    }
    CHECK(survey_mean(&d, y, NULL, 0.95, false, &e, &err) == SR_OK);
    CHECK_NEAR(e.est, 199.5, 1e-12);
    CHECK_NEAR(e.se, sqrt(400.0 * 401 / 12 / 400), 1e-12);
    CHECK(isnan(e.kg_lo));
    /* ... but not as a proportion */
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "row 3") != NULL);
    sr_err_release(&err);
}

static void
test_errors(void)
{
    double y[3] = { 1, 0, NAN }, w[3] = { 1, -1, 1 };
    bool none[3] = { false, false, false };
    struct survey_design d = { 3, w, NULL, NULL, NULL, 0 };
    struct survey_est e = { 0 };
    struct sr_err err = { 0 };

    e.est = 42;
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "row 2") != NULL);
    w[1] = 1;
    CHECK(survey_mean(&d, y, none, 0.95, true, &e, &err) == SR_EINVAL);
    CHECK(survey_mean(&d, y, NULL, 1.5, true, &e, &err) == SR_EINVAL);
    CHECK(e.est == 42);
    /* the NaN row is left out: p = 1/2 over 2 rows */
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK(e.n == 2 && e.est == 0.5);
    /* all zero: degenerate intervals, no NaN */
    y[0] = 0;
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_OK);
    CHECK(e.est == 0 && e.kg_lo == 0 && e.kg_hi > 0 && e.logit_lo == 0);
    d.n = 0;
    CHECK(survey_mean(&d, y, NULL, 0.95, true, &e, &err) == SR_EINVAL);
    sr_err_release(&err);
}

int
main(void)
{
    gsl_set_error_handler_off();
    test_hand_design();
    test_lonely();
    test_reduces_to_binomial();
    test_errors();
    return TEST_DONE("test_stats_survey");
}
