/*
 * test_chart.c - the SVG charts: axis scale, bar heights computed from it,
 * escaping of every label, accessible title and description, colour
 * classes and legend, empty data and a single month.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "render/chart.h"
#include "core/err.h"
#include "harness.h"

#include "core/banned.h"

static int
has(const struct html *h, const char *s)
{
    return strstr(h->buf.data, s) != NULL;
}

static size_t
count(const struct html *h, const char *s)
{
    size_t n = 0;
    for (const char *p = h->buf.data; (p = strstr(p, s)) != NULL; p++) {
        n++;
    }
    return n;
}

static void
test_axis(void)
{
    double step;
    /* by hand: the smallest 1-2-5 step giving at most 5 intervals */
    CHECK_NEAR(chart_axis(68, &step), 80, 1e-12); /* 20 x 4 */
    CHECK_NEAR(step, 20, 1e-12);
    CHECK_NEAR(chart_axis(100, &step), 100, 1e-12); /* 20 x 5 */
    CHECK_NEAR(step, 20, 1e-12);
    CHECK_NEAR(chart_axis(7, &step), 8, 1e-12); /* 2 x 4 */
    CHECK_NEAR(step, 2, 1e-12);
    CHECK_NEAR(chart_axis(3529, &step), 4000, 1e-12); /* 1000 x 4 */
    CHECK_NEAR(step, 1000, 1e-12);
    CHECK_NEAR(chart_axis(1, &step), 1, 1e-12); /* 0.2 x 5 */
    CHECK_NEAR(step, 0.2, 1e-12);
    CHECK_NEAR(chart_axis(0, &step), 1, 1e-12);
    CHECK_NEAR(step, 1, 1e-12);
    CHECK_NEAR(chart_axis(-3, &step), 1, 1e-12);
}

static void
test_monthly(void)
{
    struct html h;
    html_init(&h, 0);
    const char *x[3] = { "2025-01", "2025-02", "<x&y>" };
    double total[3] = { 0, 40, 80 };
    double traff[3] = { 4, 8, -1 }; /* a negative is drawn as 0 */
    struct chart_series bars[1] = { { "All \"contacts\"", total, 1 } };
    struct chart_series lines[1] = { { "Trafficking <b>", traff, 3 } };
    struct chart_marker mk[2] = {
        { 1, "1", "1. 2025-02-03 Broadcast: <script>alert(1)</script>" },
        { 7, "2", "out of range: not drawn" },
    };
    struct chart_monthly c = {
        .id = "m1",
        .title = "Contacts & calls",
        .desc = "Bars <all>",
        .x_labels = x,
        .n_points = 3,
        .bars = bars,
        .n_bars = 1,
        .lines = lines,
        .n_lines = 1,
        .markers = mk,
        .n_markers = 2,
    };
    CHECK(chart_monthly(&h, &c) == SR_OK);
    /* accessible name and description */
    CHECK(has(&h, "role=\"img\" aria-labelledby=\"m1-t m1-d\""));
    CHECK(has(&h, "<title id=\"m1-t\">Contacts &amp; calls</title>"));
    CHECK(has(&h, "<desc id=\"m1-d\">Bars &lt;all&gt;</desc>"));
    /* every label escaped; no markup from data */
    CHECK(!has(&h, "<script>"));
    CHECK(has(&h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK(has(&h, "&lt;x&amp;y&gt;"));
    CHECK(has(&h, "Trafficking &lt;b&gt;"));
    CHECK(has(&h, "All &quot;contacts&quot;"));
    /* scale: max 80 -> top 80, plot height 320 - 34 - 48 = 238; the bar of
     * 40 is half of it, of 80 all of it, of 0 nothing */
    CHECK(has(&h, "height=\"238.0\""));
    CHECK(has(&h, "height=\"119.0\""));
    CHECK(has(&h, "height=\"0.0\""));
    CHECK(count(&h, "<rect ") == 3);
    /* ticks 0, 20, 40, 60, 80 */
    CHECK(has(&h, ">80</text>") && has(&h, ">20</text>"));
    CHECK(count(&h, "class=\"grid-line\" x1=") == 5);
    /* the line's third point is at the axis (value -1 drawn as 0) */
    CHECK(has(&h, "<polyline class=\"line s3\""));
    CHECK(has(&h, ",272.0\"><title>"));
    /* one marker drawn (the other is past the data) with its label */
    CHECK(count(&h, "<g class=\"marker\">") == 1);
    CHECK(!has(&h, "out of range"));
    /* colour classes and legend */
    CHECK(has(&h, "<rect class=\"s1\""));
    CHECK(has(&h, "<ul class=\"legend\"><li class=\"s1\">"));
    CHECK(has(&h, "<li class=\"s3\">Trafficking &lt;b&gt;</li>"));
    CHECK(has(&h, "</svg>") && has(&h, "</figure>"));
    /* no inline style anywhere (CSP) */
    CHECK(!has(&h, "style="));
    html_release(&h);
}

static void
test_stacked_and_grouped(void)
{
    struct html h;
    const char *x[1] = { "2025-01" };
    double a[1] = { 30 }, b[1] = { 10 };
    struct chart_series bars[2] = { { "A", a, 1 }, { "B", b, 2 } };
    struct chart_monthly c = { .id = "s",
                               .title = "t",
                               .desc = "d",
                               .x_labels = x,
                               .n_points = 1,
                               .bars = bars,
                               .n_bars = 2,
                               .is_stacked = 1 };
    html_init(&h, 0);
    CHECK(chart_monthly(&h, &c) == SR_OK);
    /* stacked: top 40 (10 x 4); A is 30/40 of 238, B 10/40 on top of it */
    CHECK(has(&h, "height=\"178.5\""));
    CHECK(has(&h, "height=\"59.5\""));
    /* B starts where A ends: y = 272 - 178.5 - 59.5 = 34 */
    CHECK(has(&h, "y=\"34.0\" width"));
    html_release(&h);
    c.is_stacked = 0;
    html_init(&h, 0);
    CHECK(chart_monthly(&h, &c) == SR_OK);
    /* grouped: top 30 (10 x 3); A is full height, B a third */
    CHECK(has(&h, "height=\"238.0\""));
    CHECK(has(&h, "height=\"79.3\""));
    html_release(&h);
}

static void
test_empty_and_one(void)
{
    struct html h;
    html_init(&h, 0);
    struct chart_monthly c = { .id = "e", .title = "Empty", .desc = "none" };
    CHECK(chart_monthly(&h, &c) == SR_OK);
    CHECK(has(&h, "<svg") && has(&h, "</svg></figure>"));
    CHECK(!has(&h, "<rect") && !has(&h, "<polyline"));
    CHECK(!has(&h, "nan") && !has(&h, "inf"));
    html_release(&h);

    html_init(&h, 0);
    const char *x[1] = { "2026-11" };
    double v[1] = { 5 };
    struct chart_series bars[1] = { { "All", v, 1 } };
    struct chart_series lines[1] = { { "Labour", v, 2 } };
    struct chart_monthly one = { .id = "o",
                                 .title = "One",
                                 .desc = "d",
                                 .x_labels = x,
                                 .n_points = 1,
                                 .bars = bars,
                                 .n_bars = 1,
                                 .lines = lines,
                                 .n_lines = 1 };
    CHECK(chart_monthly(&h, &one) == SR_OK);
    CHECK(count(&h, "<rect ") == 1);
    CHECK(has(&h, ">2026-11</text>"));
    /* one point: a polyline of one coordinate pair, mid-slot (52 + 656/2) */
    CHECK(has(&h, "points=\"380.0,34.0\""));
    CHECK(!has(&h, "nan"));
    html_release(&h);

    html_init(&h, 0);
    struct chart_hbar hb = { .id = "h", .title = "None", .desc = "d" };
    CHECK(chart_hbar(&h, &hb) == SR_OK);
    CHECK(has(&h, "</svg></figure>") && !has(&h, "<rect"));
    html_release(&h);
}

static void
test_hbar(void)
{
    struct html h;
    html_init(&h, 0);
    const char *labels[2] = { "Songkhla (TH-90)", "<img src=x>" };
    double values[2] = { 50, 25 };
    struct chart_hbar c = { .id = "hb",
                            .title = "By province",
                            .desc = "largest first",
                            .labels = labels,
                            .values = values,
                            .n = 2,
                            .colour = 4 };
    CHECK(chart_hbar(&h, &c) == SR_OK);
    CHECK(has(&h, "aria-labelledby=\"hb-t hb-d\""));
    CHECK(has(&h, "&lt;img src=x&gt;"));
    CHECK(!has(&h, "<img"));
    /* top 50 (10 x 5): bar widths 460 and 230 (plot 220..680) */
    CHECK(has(&h, "width=\"460.0\""));
    CHECK(has(&h, "width=\"230.0\""));
    CHECK(count(&h, "<rect class=\"s4\"") == 2);
    html_release(&h);
}

int
main(void)
{
    test_axis();
    test_monthly();
    test_stacked_and_grouped();
    test_empty_and_one();
    test_hbar();
    return TEST_DONE("test_chart");
}
