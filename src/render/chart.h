/*
 * chart.h - SVG charts drawn by SIREN itself, through html.h: a monthly
 * bar chart (grouped or stacked bars, optional lines, axes, ticks, a
 * legend and labelled event markers) and a horizontal bar chart for
 * breakdowns.
 *
 * Every chart is a <figure class="chart"> holding an <svg role="img">
 * with <title> and <desc>, then its legend. Series colours are the
 * colour-blind-safe classes .s1-.s6 of web/app.css; lines also differ by
 * dash pattern so they read in black-and-white print. No inline style
 * (the CSP forbids it). Every label is escaped. The caller puts the
 * chart's table beside it.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CHART_H
#define SR_CHART_H

#include <stddef.h>

#include "render/html.h"

/* One series: a label (already translated) and n_points values >= 0. */
struct chart_series {
    const char *label;    /* legend text */
    const double *values; /* n_points values; negatives are drawn as 0 */
    int colour;           /* 1-6: class s1-s6 */
};

/* A labelled vertical marker at one point (an event in a month). */
struct chart_marker {
    size_t index;      /* point index, < n_points */
    const char *label; /* short text drawn at the top ("1") */
    const char *title; /* full text, the marker's <title> (tooltip) */
};

struct chart_monthly {
    const char *id;    /* unique in the page, [a-z0-9-]; ids of title/desc */
    const char *title; /* accessible title */
    const char *desc;  /* accessible description */
    const char *const *x_labels; /* n_points labels ("2024-01") */
    size_t n_points;
    const struct chart_series *bars; /* n_bars series drawn as bars */
    size_t n_bars;
    int is_stacked;                   /* 1: stack the bars; 0: group them */
    const struct chart_series *lines; /* n_lines series drawn as lines */
    size_t n_lines;
    const struct chart_marker *markers; /* n_markers event markers */
    size_t n_markers;
};

/*
 * Write the monthly chart as a figure. n_points may be 0 (axes only).
 * Returns SR_OK or SR_ETOOBIG (the page cap).
 */
int chart_monthly(struct html *h, const struct chart_monthly *c);

struct chart_hbar {
    const char *id;
    const char *title;
    const char *desc;
    const char *const *labels; /* n labels (translated) */
    const double *values;      /* n values >= 0 */
    size_t n;
    int colour; /* 1-6 */
};

/* Write a horizontal bar chart as a figure; n may be 0. */
int chart_hbar(struct html *h, const struct chart_hbar *c);

/*
 * A "nice" axis for data up to max: the smallest top >= max of the form
 * step * n_ticks with step 1, 2 or 5 times a power of ten and
 * n_ticks <= 5 (4 to 5 intervals for big values). max <= 0 gives top 1
 * with one tick. Writes the step and returns the top.
 */
double chart_axis(double max, double *step);

#endif
