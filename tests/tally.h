/*
 * tally.h - for loops in tests: a loop's passes are one property, so a
 * loop TALLYs its failures and ends in ONE CHECK(bad == 0); REQUIRE is for
 * scaffolding (a buffer append, a temp file), which is no check at all.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_TALLY_H
#define SR_TALLY_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* count a failure of c in the int bad; say where (the first five) */
#define TALLY(bad, c)                                                   \
    do {                                                                \
        if (!(c) && (bad)++ < 5) {                                      \
            fprintf(stderr, "%s:%d: %s failed (in a loop)\n", __FILE__, \
                    __LINE__, #c);                                      \
        }                                                               \
    } while (0)

/* a and b agree to rel relative tolerance (absolute near zero) */
static inline int
tally_near(double a, double b, double rel)
{
    double d = fabs(a - b), s = fabs(b) > 1 ? fabs(b) : 1;
    return d <= rel * s;
}
#define TALLY_NEAR(bad, a, b, rel) TALLY(bad, tally_near((a), (b), (rel)))

/* scaffolding the test needs: stop the test when it fails, count nothing */
#define REQUIRE(c)                                                           \
    do {                                                                     \
        if (!(c)) {                                                          \
            fprintf(stderr, "%s:%d: setup failed: %s\n", __FILE__, __LINE__, \
                    #c);                                                     \
            exit(2);                                                         \
        }                                                                    \
    } while (0)

#endif
