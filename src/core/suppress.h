/*
 * suppress.h - small-count suppression of counts tied by additive
 * relations, so that no hidden count can be worked out from what is
 * shown.
 *
 * A grid is a list of cells (counts) and of lines: each line is a set of
 * cells of which one is the sum of the others (a row or a column of a
 * table with its total, one organisation's count and every
 * organisation's). Primary suppression hides every count from 1 to
 * min_cell - 1. Secondary suppression then looks at each line: a line
 * with exactly one hidden cell would give it away by subtraction, so the
 * smallest shown count of that line (one above zero if there is one) is
 * hidden too; this repeats until no line has exactly one hidden cell.
 * The result depends only on the counts and the order cells and lines
 * were added, so the same data give the same hidden cells every time.
 *
 * Not thread-safe per grid; grids are independent.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_SUPPRESS_H
#define SR_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

/* What became of a cell. */
enum sup_state {
    SUP_SHOWN = 0,     /* shown as it is */
    SUP_PRIMARY = 1,   /* 1 to min_cell - 1: hidden for itself */
    SUP_SECONDARY = 2, /* hidden so that a primary one stays hidden */
};

struct sup_grid {
    int64_t *n;           /* n_cells counts */
    unsigned char *state; /* n_cells enum sup_state */
    size_t n_cells, cap_cells;
    size_t *members; /* every line's cells, one line after another */
    size_t n_members, cap_members;
    size_t *line_end; /* line i is members[line_end[i-1] .. line_end[i]) */
    size_t n_lines, cap_lines;
    size_t line_start; /* first member of the line being added */
};

/* Make g empty. */
void sup_init(struct sup_grid *g);

/* Add a cell holding count n (>= 0); returns its index. */
size_t sup_cell(struct sup_grid *g, int64_t n);

/* Add cell (an index sup_cell() returned) to the line being built. */
void sup_member(struct sup_grid *g, size_t cell);

/* Close the line being built; a line of fewer than two cells is dropped. */
void sup_line_end(struct sup_grid *g);

/* Primary suppression below min_cell, then secondary until no line has
 * exactly one hidden cell. Returns how many cells were hidden in all. */
size_t sup_run(struct sup_grid *g, int64_t min_cell);

/* Free g's storage (g not NULL); g is empty again. */
void sup_release(struct sup_grid *g);

#endif
