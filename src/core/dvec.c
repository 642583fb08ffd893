/*
 * dvec.c - a growable array of doubles and its median.
 *
 * Owns struct sr_dvec's memory. Knows nothing of what the values measure:
 * units, rounding and what an empty set reports stay with the callers.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/dvec.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/banned.h"

void
sr_dvec_push(struct sr_dvec *d, double x)
{
    assert(d != NULL);
    d->v = sr_xgrow(d->v, d->n, &d->cap, sizeof d->v[0]);
    d->v[d->n++] = x;
}

void
sr_dvec_release(struct sr_dvec *d)
{
    SR_RELEASE(d, d->v);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double
sr_median(double *v, size_t n)
{
    assert(v != NULL && n > 0);
    qsort(v, n, sizeof v[0], cmp_double);
    size_t m = n / 2;
    return n % 2 ? v[m] : (v[m - 1] + v[m]) / 2.0;
}
