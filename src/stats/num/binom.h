/*
 * binom.h - confidence intervals for a binomial proportion x of n.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_BINOM_H
#define SR_STATS_BINOM_H

#include "core/err.h"

enum binom_method {
    BINOM_WILSON = 0,      /* Wilson score, no continuity correction */
    BINOM_WILSON_CC,       /* Wilson score with continuity correction */
    BINOM_CLOPPER_PEARSON, /* exact, from beta quantiles */
    BINOM_AGRESTI_COULL,   /* adjusted Wald, n + z^2 */
    BINOM_WALD,            /* p +- z sqrt(p(1-p)/n), clipped to [0,1] */
    BINOM__COUNT
};

struct binom_ci {
    double est; /* x / n */
    double lo;  /* lower limit, in [0, 1] */
    double hi;  /* upper limit, in [lo, 1] */
};

/*
 * Two-sided interval at confidence level (0 < level < 1, e.g. 0.95) for the
 * proportion x/n by method m. Needs 0 <= x <= n and n >= 1. Writes *out
 * only on success. Returns SR_OK or SR_EINVAL (err names the argument).
 * Thread-safe (no state).
 */
int binom_ci(long x, long n, double level, enum binom_method m,
             struct binom_ci *out, struct sr_err *err);

/* A stable lower-case name ("wilson", "wilson-cc", "clopper-pearson",
 * "agresti-coull", "wald") for m; "?" if m is out of range. */
const char *binom_method_name(enum binom_method m);

#endif
