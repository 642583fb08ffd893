/*
 * chart.c - SVG charts written through html.h: the monthly chart (bars,
 * lines, axes, ticks, legend, event markers) and horizontal bars.
 *
 * Owns the chart geometry. Knows nothing of reports or the database: it
 * draws numbers it is given. Markup only through HTML_LIT, every text
 * through html_text/html_attr, numbers through html_printf_text.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/chart.h"

#include <math.h>
#include <stdio.h>

#include "core/err.h"
#include "core/banned.h"

/* Monthly chart geometry, in SVG user units. */
#define M_W      720.0
#define M_H      320.0
#define M_LEFT   52.0
#define M_RIGHT  12.0
#define M_TOP    34.0
#define M_BOTTOM 48.0
/* Most x labels drawn; others are skipped evenly. */
#define M_MAX_XLABELS 12

/* Dash patterns of lines 1, 2, 3...: solid, dashed, dotted, dash-dot. */
static const char *const dashes[] = { NULL, "6 4", "2 3", "8 3 2 3" };

double
chart_axis(double max, double *step)
{
    if (!(max > 0)) {
        *step = 1;
        return 1;
    }
    double s = pow(10, floor(log10(max / 5)));
    static const double mult[] = { 1, 2, 5 };
    for (;;) {
        for (int i = 0; i < 3; i++) {
            double st = s * mult[i];
            double n = ceil(max / st - 1e-9);
            if (n <= 5) {
                *step = st;
                return n * st;
            }
        }
        s *= 10;
    }
}

static double
val(const double *v, size_t i)
{
    return v != NULL && v[i] > 0 ? v[i] : 0;
}

/* A number for an SVG attribute: fixed, one decimal. */
static void
num(struct html *h, double x)
{
    html_printf_text(h, "%.1f", x);
}

/* A tick value: integers without decimals, else up to 2. */
static void
tick_text(struct html *h, double v)
{
    if (fabs(v - round(v)) < 1e-9) {
        html_printf_text(h, "%.0f", v);
    } else {
        html_printf_text(h, "%.2g", v);
    }
}

static void
colour_class(struct html *h, int colour)
{
    html_printf_text(h, "s%d", colour >= 1 && colour <= 6 ? colour : 1);
}

static void
figure_begin(struct html *h, const char *id, const char *title,
             const char *desc, double w, double ht)
{
    HTML_LIT(h, "<figure class=\"chart\" id=\"");
    html_attr(h, id);
    HTML_LIT(h, "\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    num(h, w);
    HTML_LIT(h, " ");
    num(h, ht);
    HTML_LIT(h, "\" role=\"img\" aria-labelledby=\"");
    html_attr(h, id);
    HTML_LIT(h, "-t ");
    html_attr(h, id);
    HTML_LIT(h, "-d\"><title id=\"");
    html_attr(h, id);
    HTML_LIT(h, "-t\">");
    html_text(h, title);
    HTML_LIT(h, "</title><desc id=\"");
    html_attr(h, id);
    HTML_LIT(h, "-d\">");
    html_text(h, desc);
    HTML_LIT(h, "</desc>");
}

static void
legend(struct html *h, const struct chart_series *s, size_t n,
       const struct chart_series *s2, size_t n2)
{
    if (n + n2 == 0) {
        return;
    }
    HTML_LIT(h, "<ul class=\"legend\">");
    for (size_t k = 0; k < n + n2; k++) {
        const struct chart_series *x = k < n ? &s[k] : &s2[k - n];
        HTML_LIT(h, "<li class=\"");
        colour_class(h, x->colour);
        HTML_LIT(h, "\">");
        html_text(h, x->label);
        HTML_LIT(h, "</li>");
    }
    HTML_LIT(h, "</ul>");
}

/* The largest value any bar (or stack) or line reaches. */
static double
monthly_max(const struct chart_monthly *c)
{
    double max = 0;
    for (size_t i = 0; i < c->n_points; i++) {
        double stack = 0;
        for (size_t b = 0; b < c->n_bars; b++) {
            double v = val(c->bars[b].values, i);
            stack += v;
            max = fmax(max, c->is_stacked ? stack : v);
        }
        for (size_t l = 0; l < c->n_lines; l++) {
            max = fmax(max, val(c->lines[l].values, i));
        }
    }
    return max;
}

static void
y_axis(struct html *h, double top, double step, double x0, double x1, double y0,
       double plot_h)
{
    HTML_LIT(h, "<g class=\"axis\">");
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = y0 - v / top * plot_h;
        HTML_LIT(h, "<line class=\"grid-line\" x1=\"");
        num(h, x0);
        HTML_LIT(h, "\" x2=\"");
        num(h, x1);
        HTML_LIT(h, "\" y1=\"");
        num(h, y);
        HTML_LIT(h, "\" y2=\"");
        num(h, y);
        HTML_LIT(h, "\"/><text x=\"");
        num(h, x0 - 6);
        HTML_LIT(h, "\" y=\"");
        num(h, y + 4);
        HTML_LIT(h, "\" text-anchor=\"end\">");
        tick_text(h, v);
        HTML_LIT(h, "</text>");
    }
    HTML_LIT(h, "<line x1=\"");
    num(h, x0);
    HTML_LIT(h, "\" x2=\"");
    num(h, x0);
    HTML_LIT(h, "\" y1=\"");
    num(h, y0 - plot_h);
    HTML_LIT(h, "\" y2=\"");
    num(h, y0);
    HTML_LIT(h, "\"/><line x1=\"");
    num(h, x0);
    HTML_LIT(h, "\" x2=\"");
    num(h, x1);
    HTML_LIT(h, "\" y1=\"");
    num(h, y0);
    HTML_LIT(h, "\" y2=\"");
    num(h, y0);
    HTML_LIT(h, "\"/></g>");
}

static void
rect(struct html *h, int colour, double x, double y, double w, double ht,
     const char *label, const char *x_label, double v)
{
    HTML_LIT(h, "<rect class=\"");
    colour_class(h, colour);
    HTML_LIT(h, "\" x=\"");
    num(h, x);
    HTML_LIT(h, "\" y=\"");
    num(h, y);
    HTML_LIT(h, "\" width=\"");
    num(h, w);
    HTML_LIT(h, "\" height=\"");
    num(h, ht);
    HTML_LIT(h, "\"><title>");
    if (x_label[0] != '\0') {
        html_text(h, x_label);
        HTML_LIT(h, " ");
    }
    html_text(h, label);
    HTML_LIT(h, ": ");
    html_printf_text(h, "%.0f", v);
    HTML_LIT(h, "</title></rect>");
}

int
chart_monthly(struct html *h, const struct chart_monthly *c)
{
    double step;
    double top = chart_axis(monthly_max(c), &step);
    double x0 = M_LEFT, x1 = M_W - M_RIGHT;
    double y0 = M_H - M_BOTTOM, plot_h = M_H - M_TOP - M_BOTTOM;
    double slot = c->n_points ? (x1 - x0) / (double)c->n_points : 0;
    figure_begin(h, c->id, c->title, c->desc, M_W, M_H);
    y_axis(h, top, step, x0, x1, y0, plot_h);

    /* bars: grouped side by side in 80% of the slot, or stacked */
    size_t n_cols = c->is_stacked ? 1 : c->n_bars;
    double bar_w = n_cols ? slot * 0.8 / (double)n_cols : 0;
    for (size_t i = 0; i < c->n_points; i++) {
        double base = 0;
        for (size_t b = 0; b < c->n_bars; b++) {
            double v = val(c->bars[b].values, i);
            double bh = v / top * plot_h;
            double x = x0 + slot * (double)i + slot * 0.1 +
                       (c->is_stacked ? 0 : bar_w * (double)b);
            double y = y0 - base - bh;
            rect(h, c->bars[b].colour, x, y, bar_w, bh, c->bars[b].label,
                 c->x_labels[i], v);
            if (c->is_stacked) {
                base += bh;
            }
        }
    }
    /* lines, through the middle of each slot */
    for (size_t l = 0; l < c->n_lines && c->n_points > 0; l++) {
        HTML_LIT(h, "<polyline class=\"line ");
        colour_class(h, c->lines[l].colour);
        HTML_LIT(h, "\"");
        const char *dash = dashes[l % (sizeof dashes / sizeof dashes[0])];
        if (dash != NULL) {
            HTML_LIT(h, " stroke-dasharray=\"");
            html_attr(h, dash);
            HTML_LIT(h, "\"");
        }
        HTML_LIT(h, " points=\"");
        for (size_t i = 0; i < c->n_points; i++) {
            num(h, x0 + slot * ((double)i + 0.5));
            HTML_LIT(h, ",");
            num(h, y0 - val(c->lines[l].values, i) / top * plot_h);
            if (i + 1 < c->n_points) {
                HTML_LIT(h, " ");
            }
        }
        HTML_LIT(h, "\"><title>");
        html_text(h, c->lines[l].label);
        HTML_LIT(h, "</title></polyline>");
    }
    /* event markers: a dashed rule and a label, in two staggered rows */
    for (size_t k = 0; k < c->n_markers; k++) {
        const struct chart_marker *m = &c->markers[k];
        if (m->index >= c->n_points) {
            continue;
        }
        double x = x0 + slot * ((double)m->index + 0.5);
        double ly = (k % 2) ? M_TOP - 6 : M_TOP - 20;
        HTML_LIT(h, "<g class=\"marker\"><title>");
        html_text(h, m->title);
        HTML_LIT(h, "</title><line class=\"grid-line\" stroke-dasharray=\"3 "
                    "3\" x1=\"");
        num(h, x);
        HTML_LIT(h, "\" x2=\"");
        num(h, x);
        HTML_LIT(h, "\" y1=\"");
        num(h, ly + 3);
        HTML_LIT(h, "\" y2=\"");
        num(h, y0);
        HTML_LIT(h, "\"/><text x=\"");
        num(h, x);
        HTML_LIT(h, "\" y=\"");
        num(h, ly);
        HTML_LIT(h, "\" text-anchor=\"middle\">");
        html_text(h, m->label);
        HTML_LIT(h, "</text></g>");
    }
    /* x labels: at most M_MAX_XLABELS, evenly skipped, slanted */
    size_t every = (c->n_points + M_MAX_XLABELS - 1) / M_MAX_XLABELS;
    HTML_LIT(h, "<g class=\"axis\">");
    for (size_t i = 0; every > 0 && i < c->n_points; i += every) {
        double x = x0 + slot * ((double)i + 0.5);
        HTML_LIT(h, "<text x=\"");
        num(h, x);
        HTML_LIT(h, "\" y=\"");
        num(h, y0 + 14);
        HTML_LIT(h, "\" text-anchor=\"end\" transform=\"rotate(-35 ");
        num(h, x);
        HTML_LIT(h, " ");
        num(h, y0 + 14);
        HTML_LIT(h, ")\">");
        html_text(h, c->x_labels[i]);
        HTML_LIT(h, "</text>");
    }
    HTML_LIT(h, "</g></svg>");
    legend(h, c->bars, c->n_bars, c->lines, c->n_lines);
    return HTML_LIT(h, "</figure>");
}

/* Horizontal bar geometry. */
#define H_W     720.0
#define H_ROW   22.0
#define H_LABEL 220.0
#define H_TOP   8.0
#define H_AXIS  24.0

int
chart_hbar(struct html *h, const struct chart_hbar *c)
{
    double max = 0;
    for (size_t i = 0; i < c->n; i++) {
        max = fmax(max, val(c->values, i));
    }
    double step;
    double top = chart_axis(max, &step);
    double x0 = H_LABEL, x1 = H_W - 40;
    double ht = H_TOP + H_ROW * (double)(c->n ? c->n : 1) + H_AXIS;
    double y0 = ht - H_AXIS;
    figure_begin(h, c->id, c->title, c->desc, H_W, ht);
    HTML_LIT(h, "<g class=\"axis\">");
    for (double v = 0; v <= top + step / 2; v += step) {
        double x = x0 + v / top * (x1 - x0);
        HTML_LIT(h, "<line class=\"grid-line\" x1=\"");
        num(h, x);
        HTML_LIT(h, "\" x2=\"");
        num(h, x);
        HTML_LIT(h, "\" y1=\"");
        num(h, H_TOP);
        HTML_LIT(h, "\" y2=\"");
        num(h, y0);
        HTML_LIT(h, "\"/><text x=\"");
        num(h, x);
        HTML_LIT(h, "\" y=\"");
        num(h, y0 + 16);
        HTML_LIT(h, "\" text-anchor=\"middle\">");
        tick_text(h, v);
        HTML_LIT(h, "</text>");
    }
    HTML_LIT(h, "</g>");
    for (size_t i = 0; i < c->n; i++) {
        double y = H_TOP + H_ROW * (double)i;
        double v = val(c->values, i);
        HTML_LIT(h, "<text x=\"");
        num(h, x0 - 8);
        HTML_LIT(h, "\" y=\"");
        num(h, y + H_ROW * 0.65);
        HTML_LIT(h, "\" text-anchor=\"end\">");
        html_text(h, c->labels[i]);
        HTML_LIT(h, "</text>");
        rect(h, c->colour, x0, y + 3, v / top * (x1 - x0), H_ROW - 6,
             c->labels[i], "", v);
        HTML_LIT(h, "<text x=\"");
        num(h, x0 + v / top * (x1 - x0) + 4);
        HTML_LIT(h, "\" y=\"");
        num(h, y + H_ROW * 0.65);
        HTML_LIT(h, "\">");
        html_printf_text(h, "%.0f", v);
        HTML_LIT(h, "</text>");
    }
    HTML_LIT(h, "</svg>");
    return HTML_LIT(h, "</figure>");
}
