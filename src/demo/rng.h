/*
 * rng.h - a small deterministic generator for synthetic data (rng.c); not
 * for secrets.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DEMO_RNG_H
#define SR_DEMO_RNG_H

#include <stdint.h>

/* Generator state; seed it by setting state. Not thread-safe. */
struct demo_rng {
    uint64_t state;
};

/* The next 64 random bits (splitmix64). */
uint64_t demo_next(struct demo_rng *r);

/* Uniform in [0, n) (with the small modulo bias synthetic data can bear);
 * 0 when n is 0. */
uint64_t demo_below(struct demo_rng *r, uint64_t n);

#endif
