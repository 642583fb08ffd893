/*
 * rng.c - the demo's small deterministic generator (splitmix64): the same
 * seed gives the same synthetic workspace. Never used for secrets.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "demo/rng.h"

#include "core/banned.h"

uint64_t
demo_next(struct demo_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t
demo_below(struct demo_rng *r, uint64_t n)
{
    return n == 0 ? 0 : demo_next(r) % n;
}
