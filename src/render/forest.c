/*
 * forest.c - draws a forest plot (odds ratios and intervals, log scale)
 * as SVG through html.h.
 *
 * Owns the plot's geometry. Must not: write anything but through
 * html_text/html_printf_text and HTML_LIT literals (labels come from the
 * data and may be hostile).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "render/forest.h"

#include <math.h>

#include "core/err.h"
#include "core/banned.h"

#define ROW_H   26.0  /* pixels per row */
#define TOP     10.0  /* space above the first row */
#define AXIS_H  34.0  /* axis and tick labels */
#define WIDTH   480.0 /* whole plot */
#define LABEL_W 150.0 /* label column */
#define RIGHT   20.0  /* right margin */
#define MIN_DOM 1e-4
#define MAX_DOM 1e4

static int
is_pos(double v)
{
    return isfinite(v) && v > 0;
}

void
forest_scale_init(struct forest_scale *s, const struct forest_row *rows,
                  size_t n, double x0, double x1)
{
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        const double v[3] = { rows[i].est, rows[i].lo, rows[i].hi };
        for (int k = 0; k < 3; k++) {
            if (is_pos(v[k])) {
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
            }
        }
    }
    lo = pow(10, floor(log10(lo < MIN_DOM ? MIN_DOM : lo)));
    hi = pow(10, ceil(log10(hi > MAX_DOM ? MAX_DOM : hi)));
    if (lo >= 1) {
        lo = 0.1;
    }
    if (hi <= 1) {
        hi = 10;
    }
    s->lo = lo;
    s->hi = hi;
    s->x0 = x0;
    s->x1 = x1;
}

double
forest_x(const struct forest_scale *s, double v)
{
    if (!is_pos(v) || v < s->lo) {
        v = s->lo;
    } else if (v > s->hi) {
        v = s->hi;
    }
    return s->x0 + (log10(v) - log10(s->lo)) / (log10(s->hi) - log10(s->lo)) *
                       (s->x1 - s->x0);
}

static void
line(struct html *h, double x1, double y1, double x2, double y2)
{
    HTML_LIT(h, "<line x1=\"");
    html_printf_text(h, "%.1f", x1);
    HTML_LIT(h, "\" y1=\"");
    html_printf_text(h, "%.1f", y1);
    HTML_LIT(h, "\" x2=\"");
    html_printf_text(h, "%.1f", x2);
    HTML_LIT(h, "\" y2=\"");
    html_printf_text(h, "%.1f", y2);
    HTML_LIT(h, "\"/>");
}

static void
tick_label(struct html *h, double v)
{
    if (v >= 1) {
        html_printf_text(h, "%.0f", v);
    } else {
        /* enough decimals for 0.5, 0.02, 0.0001 */
        int d = (int)ceil(-log10(v) - 1e-9);
        html_printf_text(h, "%.*f", d, v);
    }
}

int
forest_svg(struct html *h, const char *title, const struct forest_row *rows,
           size_t n)
{
    struct forest_scale s;
    double plot_h = TOP + ROW_H * (double)n;
    double total_h = plot_h + AXIS_H;

    forest_scale_init(&s, rows, n, LABEL_W, WIDTH - RIGHT);
    HTML_LIT(h, "<svg class=\"forest\" xmlns=\"http://www.w3.org/2000/svg\" "
                "role=\"img\" viewBox=\"0 0 ");
    html_printf_text(h, "%.0f %.0f", WIDTH, total_h);
    HTML_LIT(h, "\" width=\"");
    html_printf_text(h, "%.0f", WIDTH);
    HTML_LIT(h, "\" height=\"");
    html_printf_text(h, "%.0f", total_h);
    HTML_LIT(h, "\"><title>");
    html_text(h, title);
    HTML_LIT(h, "</title>");
    /* reference line at an odds ratio of 1 */
    HTML_LIT(h, "<g class=\"forest-ref\" stroke=\"currentColor\" "
                "stroke-dasharray=\"4 3\" stroke-opacity=\"0.5\">");
    line(h, forest_x(&s, 1), TOP / 2, forest_x(&s, 1), plot_h);
    HTML_LIT(h, "</g>");
    for (size_t i = 0; i < n; i++) {
        const struct forest_row *r = &rows[i];
        double y = TOP + ROW_H * ((double)i + 0.5);
        double xl = forest_x(&s, r->lo), xh = forest_x(&s, r->hi);
        double xe = forest_x(&s, r->est);
        HTML_LIT(h, "<g class=\"forest-row\"><text x=\"");
        html_printf_text(h, "%.1f", LABEL_W - 8);
        HTML_LIT(h, "\" y=\"");
        html_printf_text(h, "%.1f", y + 4);
        HTML_LIT(h, "\" text-anchor=\"end\" fill=\"currentColor\">");
        html_text(h, r->label);
        HTML_LIT(h, "</text><g stroke=\"currentColor\" stroke-width=\"2\">");
        line(h, xl, y, xh, y);
        /* an arrow head where the interval runs off the scale */
        if (!is_pos(r->lo) || r->lo < s.lo) {
            line(h, xl, y, xl + 6, y - 4);
            line(h, xl, y, xl + 6, y + 4);
        }
        if (!is_pos(r->hi) || r->hi > s.hi) {
            line(h, xh, y, xh - 6, y - 4);
            line(h, xh, y, xh - 6, y + 4);
        }
        HTML_LIT(h, "</g>");
        if (is_pos(r->est)) {
            HTML_LIT(h, "<rect class=\"forest-pt\" x=\"");
            html_printf_text(h, "%.1f", xe - 5);
            HTML_LIT(h, "\" y=\"");
            html_printf_text(h, "%.1f", y - 5);
            HTML_LIT(h, "\" width=\"10\" height=\"10\" "
                        "fill=\"currentColor\"/>");
        }
        HTML_LIT(h, "</g>");
    }
    /* axis: 1, 2, 5 x 10^k */
    HTML_LIT(h, "<g class=\"forest-axis\" stroke=\"currentColor\">");
    line(h, s.x0, plot_h, s.x1, plot_h);
    HTML_LIT(h, "</g><g class=\"forest-ticks\" fill=\"currentColor\" "
                "text-anchor=\"middle\" font-size=\"11\">");
    for (double dec = s.lo; dec < s.hi * 1.0001; dec *= 10) {
        static const double mult[] = { 1, 2, 5 };
        for (int k = 0; k < 3; k++) {
            double v = dec * mult[k];
            if (v > s.hi * 1.0001) {
                break;
            }
            double x = forest_x(&s, v);
            HTML_LIT(h, "<g stroke=\"currentColor\">");
            line(h, x, plot_h, x, plot_h + 4);
            HTML_LIT(h, "</g><text x=\"");
            html_printf_text(h, "%.1f", x);
            HTML_LIT(h, "\" y=\"");
            html_printf_text(h, "%.1f", plot_h + 16);
            HTML_LIT(h, "\">");
            tick_label(h, v);
            HTML_LIT(h, "</text>");
        }
    }
    /* once the cap is reached every later write fails, the last too */
    return HTML_LIT(h, "</g></svg>");
}
