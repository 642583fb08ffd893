/*
 * test_stats_binom.c - binomial intervals against EXPECTED.md (92 of 400,
 * and the n = 50 edge cases), which come from R 4.2 (binom, prop.test,
 * binom.test).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "harness.h"
#include "stats/num/binom.h"

#include <gsl/gsl_errno.h>

#include "core/banned.h"

static void
check_ci(long x, long n, enum binom_method m, double lo, double hi)
{
    struct binom_ci ci;
    struct sr_err err = { 0 };

    CHECK(binom_ci(x, n, 0.95, m, &ci, &err) == SR_OK);
    /* the table has 6 decimals: agree within rounding (5e-7) */
    CHECK_NEAR(ci.lo, lo, 6e-7);
    CHECK_NEAR(ci.hi, hi, 6e-7);
    CHECK_NEAR(ci.est, (double)x / (double)n, 1e-15);
    sr_err_release(&err);
}

int
main(void)
{
    struct binom_ci ci = { 0.5, 0.5, 0.5 };
    struct sr_err err = { 0 };

    gsl_set_error_handler_off();

    /* EXPECTED.md: 92 trafficked of 400 */
    check_ci(92, 400, BINOM_WILSON, 0.191444, 0.273693);
    check_ci(92, 400, BINOM_WILSON_CC, 0.190283, 0.275008);
    check_ci(92, 400, BINOM_CLOPPER_PEARSON, 0.189639, 0.274408);
    check_ci(92, 400, BINOM_AGRESTI_COULL, 0.191364, 0.273772);
    check_ci(92, 400, BINOM_WALD, 0.188759, 0.271241);

    /* EXPECTED.md edge cases at n = 50 */
    check_ci(0, 50, BINOM_CLOPPER_PEARSON, 0, 0.071122);
    check_ci(0, 50, BINOM_WILSON, 0, 0.071348);
    check_ci(50, 50, BINOM_CLOPPER_PEARSON, 0.928878, 1);
    check_ci(50, 50, BINOM_WILSON, 0.928652, 1);

    /*
     * Clopper-Pearson at x = 0 has the closed form 1 - (alpha/2)^(1/n):
     * 1 - 0.025^(1/50) = 0.0711217...
     */
    CHECK(binom_ci(0, 50, 0.95, BINOM_CLOPPER_PEARSON, &ci, &err) == SR_OK);
    CHECK_NEAR(ci.hi, 1 - pow(0.025, 1.0 / 50), 1e-10);
    /* Wald at x = 0 collapses to [0, 0]; Wilson-cc keeps the 0 end */
    check_ci(0, 50, BINOM_WALD, 0, 0);
    CHECK(binom_ci(0, 50, 0.95, BINOM_WILSON_CC, &ci, &err) == SR_OK);
    CHECK(ci.lo == 0 && ci.hi > 0.071348);
    CHECK(binom_ci(50, 50, 0.95, BINOM_AGRESTI_COULL, &ci, &err) == SR_OK);
    CHECK(ci.hi == 1 && ci.lo < 0.928652);

    /* a wider level gives a wider interval */
    {
        struct binom_ci a, b;
        CHECK(binom_ci(92, 400, 0.90, BINOM_WILSON, &a, &err) == SR_OK);
        CHECK(binom_ci(92, 400, 0.99, BINOM_WILSON, &b, &err) == SR_OK);
        CHECK(b.lo < a.lo && b.hi > a.hi);
    }

    /* bad input: error, out untouched */
    ci.lo = 42;
    CHECK(binom_ci(5, 0, 0.95, BINOM_WILSON, &ci, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "n") != NULL);
    CHECK(binom_ci(6, 5, 0.95, BINOM_WILSON, &ci, &err) == SR_EINVAL);
    CHECK(strstr(sr_err_msg(&err), "x") != NULL);
    CHECK(binom_ci(-1, 5, 0.95, BINOM_WILSON, &ci, &err) == SR_EINVAL);
    CHECK(binom_ci(1, 5, 1.0, BINOM_WILSON, &ci, &err) == SR_EINVAL);
    CHECK(binom_ci(1, 5, 0.95, BINOM__COUNT, &ci, &err) == SR_EINVAL);
    CHECK(ci.lo == 42);
    CHECK_STR(binom_method_name(BINOM_CLOPPER_PEARSON), "clopper-pearson");
    CHECK_STR(binom_method_name(BINOM__COUNT), "?");
    sr_err_release(&err);
    return TEST_DONE("test_stats_binom");
}
