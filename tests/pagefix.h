/*
 * pagefix.h - what the list tests keep of one keyset page: the codes of
 * its first rows in order, how many rows it had and the last row's id
 * (the next page's cursor). Each test's row callback passes its row's
 * code and id to page_rows_add().
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_PAGEFIX_H
#define SR_PAGEFIX_H

#include <stdint.h>
#include <stdio.h>

struct page_rows {
    char codes[8][32];
    int n;
    int64_t last_id;
};

static inline void
page_rows_add(struct page_rows *p, const char *code, int64_t id)
{
    if (p->n < 8) {
        snprintf(p->codes[p->n], sizeof p->codes[p->n], "%s", code);
    }
    p->n++;
    p->last_id = id;
}

#endif
