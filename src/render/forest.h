/*
 * forest.h - a forest plot of odds ratios with their intervals on a log
 * scale, as inline SVG written through html.h.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_FOREST_H
#define SR_FOREST_H

#include <stddef.h>

#include "render/html.h"

/* One row: a term and its odds ratio with interval (NaN = not known). */
struct forest_row {
    const char *label; /* shown as text (escaped); borrowed */
    double est;        /* odds ratio > 0 */
    double lo, hi;     /* interval limits; NaN or <= 0 = open */
};

/* The x scale: log10 from lo to hi mapped onto [x0, x1] pixels. */
struct forest_scale {
    double lo, hi; /* domain, 0 < lo < 1 < hi, at powers of 10 */
    double x0, x1; /* pixel range */
};

/*
 * The scale for rows: the smallest and largest finite positive limits
 * and estimates, always including 1, widened to whole powers of ten and
 * clamped to [1e-4, 1e4]; mapped onto [x0, x1].
 */
void forest_scale_init(struct forest_scale *s, const struct forest_row *rows,
                       size_t n, double x0, double x1);

/* Pixel of value v (clamped to the domain; v <= 0 or NaN maps to x0). */
double forest_x(const struct forest_scale *s, double v);

/*
 * Append the plot as an <svg class="forest" role="img"> element with a
 * <title> (title, escaped), a dashed line at 1, one row per entry (label,
 * interval line, point; an arrow where an interval runs off the scale),
 * and an axis with ticks at 1, 2, 5 times powers of ten. Labels and
 * title are escaped by html_text(); nothing of the caller's reaches the
 * markup unescaped. Returns SR_OK, or SR_ETOOBIG when h's cap was
 * reached (the plot is then incomplete: discard the page).
 */
int forest_svg(struct html *h, const char *title, const struct forest_row *rows,
               size_t n);

#endif
