/*
 * test_suppress.c - primary and secondary suppression on small tables
 * worked by hand.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include <string.h>

#include "core/suppress.h"
#include "harness.h"

#include "core/banned.h"

/*
 * A 2 x 2 table with its margins:
 *
 *            col 1  col 2 | total
 *   row 1        3     10 |    13
 *   row 2        7      8 |    15
 *   total       10     18 |    28
 *
 * By hand: 3 is below 5 (primary). Row 1 then has one hidden cell, so its
 * smallest shown count above zero, 10, is hidden; column 1 has one (3):
 * 7 goes; column 2 has one (10): 8 goes. Row 2 has two (7, 8): done. The
 * margins stay: 3 + 10 = 13, 7 + 8 = 15, 3 + 7 = 10, 10 + 8 = 18 have
 * one free unknown, so no hidden cell can be worked out.
 */
static void
test_two_by_two(void)
{
    struct sup_grid g;
    sup_init(&g);
    const int64_t v[9] = { 3, 10, 13, 7, 8, 15, 10, 18, 28 };
    size_t c[9];
    for (int i = 0; i < 9; i++) {
        c[i] = sup_cell(&g, v[i]);
    }
    /* rows (with their totals), then columns */
    const int lines[6][3] = { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 },
                              { 0, 3, 6 }, { 1, 4, 7 }, { 2, 5, 8 } };
    for (int l = 0; l < 6; l++) {
        for (int k = 0; k < 3; k++) {
            sup_member(&g, c[lines[l][k]]);
        }
        sup_line_end(&g);
    }
    CHECK(sup_run(&g, 5) == 4);
    const unsigned char want[9] = { SUP_PRIMARY,   SUP_SECONDARY, SUP_SHOWN,
                                    SUP_SECONDARY, SUP_SECONDARY, SUP_SHOWN,
                                    SUP_SHOWN,     SUP_SHOWN,     SUP_SHOWN };
    CHECK(memcmp(g.state, want, sizeof want) == 0);
    sup_release(&g);
}

/* Nothing small: nothing hidden. A zero is not small. */
static void
test_nothing_small(void)
{
    struct sup_grid g;
    sup_init(&g);
    size_t a = sup_cell(&g, 0), b = sup_cell(&g, 12), t = sup_cell(&g, 12);
    sup_member(&g, a);
    sup_member(&g, b);
    sup_member(&g, t);
    sup_line_end(&g);
    CHECK(sup_run(&g, 5) == 0);
    CHECK(g.state[a] == SUP_SHOWN && g.state[b] == SUP_SHOWN &&
          g.state[t] == SUP_SHOWN);
    sup_release(&g);
}

/*
 * A line 8 = 2 + 0 + 6 (the total first): the 2 is hidden, and with it
 * the smallest count above zero, the 6, not the zero (hiding the zero
 * would leave 8 = 2 + x + 6, x = 0 and the 2 plain). A line of one cell
 * is dropped: it relates nothing.
 */
static void
test_prefers_above_zero(void)
{
    struct sup_grid g;
    sup_init(&g);
    size_t t = sup_cell(&g, 8), p = sup_cell(&g, 2), z = sup_cell(&g, 0),
           r = sup_cell(&g, 6), lone = sup_cell(&g, 9);
    sup_member(&g, t);
    sup_member(&g, p);
    sup_member(&g, z);
    sup_member(&g, r);
    sup_line_end(&g);
    sup_member(&g, lone);
    sup_line_end(&g);
    CHECK(g.n_lines == 1);
    CHECK(sup_run(&g, 5) == 2);
    CHECK(g.state[p] == SUP_PRIMARY && g.state[r] == SUP_SECONDARY);
    CHECK(g.state[z] == SUP_SHOWN && g.state[t] == SUP_SHOWN);
    sup_release(&g);
}

int
main(void)
{
    test_two_by_two();
    test_nothing_small();
    test_prefers_above_zero();
    return TEST_DONE("test_suppress");
}
