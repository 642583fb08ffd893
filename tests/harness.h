/*
 * harness.h - SIREN's unit-test harness: CHECK counts, TEST_DONE reports.
 * Each tests/test_<module>.c prints "<name>: N passed, N failed" and exits
 * 1 when anything failed.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_HARNESS_H
#define SR_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int n_pass, n_fail;

#define CHECK(c)                                                             \
    do {                                                                     \
        if (c) {                                                             \
            n_pass++;                                                        \
        } else {                                                             \
            n_fail++;                                                        \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
                    #c);                                                     \
        }                                                                    \
    } while (0)

/* a and b agree to rel relative tolerance (absolute near zero) */
#define CHECK_NEAR(a, b, rel)                                          \
    do {                                                               \
        double a_ = (a), b_ = (b);                                     \
        double d_ = fabs(a_ - b_), s_ = fabs(b_) > 1 ? fabs(b_) : 1;   \
        if (d_ <= (rel)*s_) {                                          \
            n_pass++;                                                  \
        } else {                                                       \
            n_fail++;                                                  \
            fprintf(stderr, "%s:%d: %s = %.9g, want %.9g\n", __FILE__, \
                    __LINE__, #a, a_, b_);                             \
        }                                                              \
    } while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)

#define TEST_DONE(name)                                            \
    (printf("%s: %d passed, %d failed\n", (name), n_pass, n_fail), \
     n_fail ? 1 : 0)

#endif
