/*
 * suppress.c - primary and secondary small-count suppression over cells
 * tied by additive lines (see suppress.h).
 *
 * Owns: its grid's arrays. Must not: know what the counts mean.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/suppress.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/banned.h"

void
sup_init(struct sup_grid *g)
{
    assert(g != NULL);
    memset(g, 0, sizeof *g);
}

/* p with room for one more of its *cap elements of size (used in use). */
static void *
grow(void *p, size_t *cap, size_t used, size_t size)
{
    if (used < *cap) {
        return p;
    }
    *cap = *cap ? 2 * *cap : 64;
    return sr_xrealloc(p, *cap * size);
}

size_t
sup_cell(struct sup_grid *g, int64_t n)
{
    assert(g != NULL && n >= 0);
    if (g->n_cells == g->cap_cells) {
        g->cap_cells = g->cap_cells ? 2 * g->cap_cells : 64;
        g->n = sr_xrealloc(g->n, g->cap_cells * sizeof *g->n);
        g->state = sr_xrealloc(g->state, g->cap_cells * sizeof *g->state);
    }
    g->n[g->n_cells] = n;
    g->state[g->n_cells] = SUP_SHOWN;
    return g->n_cells++;
}

void
sup_member(struct sup_grid *g, size_t cell)
{
    assert(g != NULL && cell < g->n_cells);
    g->members =
        grow(g->members, &g->cap_members, g->n_members, sizeof *g->members);
    g->members[g->n_members++] = cell;
}

void
sup_line_end(struct sup_grid *g)
{
    assert(g != NULL);
    if (g->n_members - g->line_start < 2) {
        g->n_members = g->line_start;
        return;
    }
    g->line_end =
        grow(g->line_end, &g->cap_lines, g->n_lines, sizeof *g->line_end);
    g->line_end[g->n_lines++] = g->n_members;
    g->line_start = g->n_members;
}

/* The shown cell of the line [from, to) to hide with a lone hidden one:
 * the smallest count above zero, else a zero; ties go to the first. */
static size_t
pick(const struct sup_grid *g, size_t from, size_t to)
{
    size_t best = SIZE_MAX;
    for (size_t k = from; k < to; k++) {
        size_t c = g->members[k];
        if (g->state[c] != SUP_SHOWN) {
            continue;
        }
        if (best == SIZE_MAX) {
            best = c;
            continue;
        }
        int64_t a = g->n[c], b = g->n[best];
        if (a > 0 && (b == 0 || a < b)) {
            best = c;
        }
    }
    return best;
}

size_t
sup_run(struct sup_grid *g, int64_t min_cell)
{
    assert(g != NULL);
    size_t hidden = 0;
    for (size_t c = 0; c < g->n_cells; c++) {
        if (g->n[c] > 0 && g->n[c] < min_cell) {
            g->state[c] = SUP_PRIMARY;
            hidden++;
        }
    }
    int changed = hidden > 0;
    while (changed) {
        changed = 0;
        size_t from = 0;
        for (size_t l = 0; l < g->n_lines; l++) {
            size_t to = g->line_end[l], n_hidden = 0;
            for (size_t k = from; k < to; k++) {
                n_hidden += g->state[g->members[k]] != SUP_SHOWN;
            }
            if (n_hidden == 1) {
                size_t c = pick(g, from, to);
                assert(c != SIZE_MAX); /* a line holds two cells or more */
                g->state[c] = SUP_SECONDARY;
                hidden++;
                changed = 1;
            }
            from = to;
        }
    }
    return hidden;
}

void
sup_release(struct sup_grid *g)
{
    void *arrays[] = { g->n, g->state, g->members, g->line_end };
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        free(arrays[i]);
    }
    sup_init(g);
}
