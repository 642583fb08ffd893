/*
 * dvec.h - a growable array of doubles and the median of one, for the
 * reports that gather durations row by row (referral outcomes, the
 * justice funnel) and summarise them.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_DVEC_H
#define SR_DVEC_H

#include <stddef.h>

/* Zero-initialise ({ 0 }) before use; free with sr_dvec_release(). */
struct sr_dvec {
    double *v;  /* n values; NULL while cap is 0 */
    size_t n;   /* values held */
    size_t cap; /* values allocated */
};

/* Append x, growing v as sr_xgrow() does (aborts on OOM). */
void sr_dvec_push(struct sr_dvec *d, double x);

/* Free d's values and zero it; safe twice. */
void sr_dvec_release(struct sr_dvec *d);

/*
 * The median of the n values of v (the mean of the two middle ones when n
 * is even), sorting v in place. n must be at least 1: what an empty set
 * means is the caller's to say.
 */
double sr_median(double *v, size_t n);

#endif
